"""A reference library: a folder of fingerprint files and an ``index.json`` listing them.

```json
{"format": "unmask-reference-library", "version": 1,
 "references": [{"name": "IRA RightTroll", "file": "ira-righttroll.json", "accounts": 630, "posts": 623198,
                 "period": ["2014-11", "2018-03"], "families": ["handles", "schedule", ...],
                 "description": "..."}]}
```

unmask ships one (:func:`default_library`), built by ``scripts/build_references.py`` from public takedown data;
``unmask fingerprint ... --out DIR`` creates or extends another from the takedown data an investigator holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .fingerprint import Fingerprint, FingerprintError

INDEX = "index.json"
LIBRARY_FORMAT = "unmask-reference-library"
LIBRARY_VERSION = 1


class LibraryError(ValueError):
    """A folder that is not a reference library, or a broken one."""


def default_library() -> Path:
    """The folder of reference fingerprints shipped with unmask."""
    return Path(__file__).parent / "references"


def load_library(directory: Path | str | None = None) -> list[Fingerprint]:
    """The fingerprints listed in ``directory``'s index (default: the shipped library), in index order."""
    directory = Path(directory) if directory is not None else default_library()
    entries = _index(directory)
    references = []
    for entry in entries:
        try:
            references.append(Fingerprint.load(directory / str(entry["file"])))
        except (KeyError, FingerprintError) as exc:
            raise LibraryError(f"{directory / INDEX}: broken entry {entry!r}: {exc}") from exc
    return references


def save_references(fingerprints: Iterable[Fingerprint], directory: Path | str) -> list[Path]:
    """Write each fingerprint into ``directory`` (replacing a reference of the same name) and rewrite the index
    in name order; creates the library when the folder has none.  Returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    entries = {entry["name"]: entry for entry in (_index(directory) if (directory / INDEX).exists() else [])}
    written = []
    for fingerprint in fingerprints:
        path = fingerprint.save(directory / reference_file_name(fingerprint.name))
        entries[fingerprint.name] = _entry(fingerprint, path.name)
        written.append(path)
    index = {"format": LIBRARY_FORMAT, "version": LIBRARY_VERSION,
             "references": [entries[name] for name in sorted(entries)]}
    (directory / INDEX).write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return written


def reference_file_name(name: str) -> str:
    """The file name of a reference: its name in lower case, runs of other characters as one dash, ``.json``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise LibraryError(f"reference name {name!r} has no letters or digits to name its file by")
    return f"{slug}.json"


def _index(directory: Path) -> list[dict[str, Any]]:
    path = directory / INDEX
    if not path.exists():
        raise LibraryError(f"{directory}: no {INDEX} here, so not a reference library "
                           f"(build one with `unmask fingerprint ARCHIVE... --name NAME --out {directory}`)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LibraryError(f"{path}: cannot read the index ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != LIBRARY_FORMAT or not isinstance(data.get("references"), list):
        raise LibraryError(f"{path}: not an unmask reference library index")
    return [entry for entry in data["references"] if isinstance(entry, dict)]


def _entry(fingerprint: Fingerprint, file: str) -> dict[str, Any]:
    return {"name": fingerprint.name, "file": file, "accounts": fingerprint.accounts, "posts": fingerprint.posts,
            "period": list(fingerprint.period) if fingerprint.period else None,
            "families": list(fingerprint.to_dict()["families"]), "description": fingerprint.description}
