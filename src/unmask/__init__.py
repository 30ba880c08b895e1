"""unmask: uncover networks of fake social-media profiles running coordinated influence campaigns.

The library mirrors the command line: ``unmask.ingest(...)`` loads exports into a case workspace and hands
back per-file results; ``unmask.Workspace(case).table("posts")`` is a DuckDB relation (``.arrow()``, ``.df()``,
``.pl()`` convert it for pyarrow, pandas and polars users).
"""

from importlib.metadata import PackageNotFoundError, version

from .ingest import ingest
from .workspace import Workspace

try:
    __version__ = version("unmask")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = ["Workspace", "__version__", "ingest"]
