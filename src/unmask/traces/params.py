"""The knobs of every trace, in one frozen dataclass so a run is fully described by its parameters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TraceParams:
    """Parameters of the behavioural traces; the defaults are the ones `unmask analyze` uses.

    Windows (seconds; a pair of actions matches when ``|Δt| <= window``, boundary included, as in CooRTweet
    and the QUT toolkit):

    * ``window_seconds = 60``: co-action window of the windowed traces (repost, link, domain, hashtag sequence,
      reply, mention).  Schoch et al. (2022) found most campaign accounts co-act within one minute.
    * ``text_window_seconds = 3600``: window of the text traces (co-post, near-duplicate).  Copypasta is pasted
      by hand or scheduled over longer spans than one-click reposts, so the window is wider.

    Text (co-post and near-duplicate):

    * ``min_text_chars = 20``: normalised texts shorter than this are no evidence ("thank you so much" matches
      by chance) and act on no object; a kana, CJK ideograph or Hangul syllable counts as 3 characters (so a
      7-character Chinese slogan qualifies).
    * ``random_token_min = 4``, ``random_token_max = 12``: trailing tokens of this many letters and digits that
      mix both (``x7f3a``, ``4b9e2c1d``) are dropped; operators append them to copypasta to evade filters.
    * ``shingle_size = 3``: character shingles for MinHash; characters, not words, so Chinese works unsegmented
      (one changed character of a 30-character Chinese text still leaves Jaccard 0.79; with 4 it drops to 0.72).
    * ``near_dup_threshold = 0.7``: Jaccard similarity of shingle sets (estimated from the MinHash signatures)
      needed to join two texts into one near-duplicate cluster.
    * ``minhash_bands = 20``, ``minhash_rows = 5``: LSH banding of 100 MinHash values; two texts with Jaccard
      0.7 share a band with probability 0.975 (0.9997 at 0.8).  ``minhash_seed = 1`` fixes the hash family (of
      the texts, and of the bin sets of synchronised activity).

    Others:

    * ``min_hashtags = 2``: a hashtag sequence needs at least this many tags to be an object.
    * ``sync_bin_minutes = 30``: synchronised activity compares accounts' sets of active 30-minute bins
      (Pacheco et al. 2021).  ``sync_min_bins = 10`` active bins per account, and ``sync_min_overlap = 0.8``
      Jaccard overlap of the two bin sets for a pair (about cosine 0.89 for sets of equal size).  Candidates come
      from MinHash LSH banded for that threshold (a pair at exactly 0.8 is missed with probability <= 1e-4), and
      every reported pair's overlap is exact.  ``sync_max_active_share = 0.5``: accounts active in more than half
      of the bins the data spans are not paired (round-the-clock accounts overlap with each other by chance).
      ``sync_max_partners = 50``: an account keeps its 50 most similar partners (a pair stays when it is among
      either account's 50); a campaign of two thousand accounts on one office schedule is two million pairs
      otherwise, each listing hundreds of shared bins, and 50 partners each still tie the group together.
    * ``max_crowd = 100``: in a windowed trace, an action pairs with nobody when more than this many actions on
      its object fall within about three windows of it (see :func:`unmask.traces.matching.window_matches_sql`):
      a viral post's crowd is no evidence about any one pair, and its pairs would cost the square of its size.
    * ``max_object_accounts = 500``: traces without a window (shared image) pair accounts on an object only when
      at most this many accounts share it; default avatars and stock images are not evidence.
    * ``max_evidence_per_pair = 10``: posts kept per pair in ``trace_evidence`` (the fastest matches).
    * ``slow_window_seconds = 86400``, ``slow_max_reposters = 20``: the slow co-repost trace pairs actions on a
      post that at most 20 accounts repost within a day (dripped amplification; see
      :mod:`unmask.traces.catalog.slow_repost`).  Above 20 reposters, accounts of one language or interest
      community meet on the same posts far more often than the significance test's null expects.
    """

    window_seconds: float = 60.0
    text_window_seconds: float = 3600.0
    min_text_chars: int = 20
    random_token_min: int = 4
    random_token_max: int = 12
    shingle_size: int = 3
    near_dup_threshold: float = 0.7
    minhash_bands: int = 20
    minhash_rows: int = 5
    minhash_seed: int = 1
    min_hashtags: int = 2
    sync_bin_minutes: int = 30
    sync_min_bins: int = 10
    sync_min_overlap: float = 0.8
    sync_max_active_share: float = 0.5
    sync_max_partners: int = 50
    max_crowd: int = 100
    max_object_accounts: int = 500
    max_evidence_per_pair: int = 10
    slow_window_seconds: float = 86400.0
    slow_max_reposters: int = 20

    def __post_init__(self) -> None:
        for name in ("window_seconds", "text_window_seconds", "slow_window_seconds"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("near_dup_threshold", "sync_min_overlap", "sync_max_active_share"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {getattr(self, name)}")
        for name in ("shingle_size", "minhash_bands", "minhash_rows", "sync_bin_minutes", "sync_min_bins",
                     "max_crowd", "max_object_accounts", "max_evidence_per_pair", "min_hashtags", "slow_max_reposters", "sync_max_partners"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 2 <= self.random_token_min <= self.random_token_max:
            raise ValueError("need 2 <= random_token_min <= random_token_max")

    @property
    def minhash_permutations(self) -> int:
        """Length of a MinHash signature (bands × rows)."""
        return self.minhash_bands * self.minhash_rows
