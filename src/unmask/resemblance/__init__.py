"""Resemblance to known takedowns, with the evidence -- never attribution.

A *fingerprint* describes a network (a detected cluster, or a whole takedown release) by families of features
(:mod:`.families`): account creation, handle style, posting schedule, client apps, languages, followers, tactics,
narratives and profile photos, each present only when the data carries it.  It is a small JSON file without post
text, account ids or handles, so investigators can share it (:mod:`.fingerprint`).

The modules, in the order a comparison uses them: ``accounts`` (per-account values, once per workspace) →
``features`` (the families of sets of accounts) → ``fingerprint`` (the file) → ``compare`` (similarity per
feature, family and overall, in words) → ``calibrate`` (against random same-size sets of ordinary accounts) →
``clusters`` (every cluster of a case against a ``library`` of references).  ``labels`` and ``build`` make
references from takedown data, ``cli`` holds ``unmask fingerprint`` and ``unmask compare``.

A high similarity says that a cluster *resembles* a reference in the features measured.  It does not say who
runs either: resemblance is not attribution.
"""

from .build import build_fingerprints, fingerprint_workspace
from .calibrate import null_similarities, percentile
from .clusters import ResemblanceResult, compare_clusters
from .compare import Comparison, FeatureSimilarity, compare, rank
from .fingerprint import Fingerprint, FingerprintError, fingerprint_sets
from .library import LibraryError, default_library, load_library, save_references

__all__ = [
    "Comparison", "FeatureSimilarity", "Fingerprint", "FingerprintError", "LibraryError", "ResemblanceResult",
    "build_fingerprints", "compare", "compare_clusters", "default_library", "fingerprint_sets",
    "fingerprint_workspace", "load_library", "null_similarities", "percentile", "rank", "save_references",
]
