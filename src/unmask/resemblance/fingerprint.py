"""The fingerprint of a network: a small JSON file with a version, shareable because it holds no post text, no
account ids and no handles -- only the shares, quantiles and averages of :mod:`.features`.

```json
{"format": "unmask-fingerprint", "version": 1, "name": "IRA RightTroll", "description": "...",
 "accounts": 630, "posts": 623198, "period": ["2014-11", "2018-03"],
 "sources": [{"format": "ira-tweets", "sha256": "..."}],
 "families": {"schedule": {"utc_offset": -5, "hour_of_week": [...]}, "tactics": {...}, ...}}
```

``period`` gives the first and last month of the posts (of the account creations when there are no posts);
``sources`` the format and SHA-256 of each input file, so a reference can be traced back to a public release
without naming files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .families import FAMILY_NAMES
from .features import AccountKey, set_features

FORMAT = "unmask-fingerprint"
NUMBER_LIST = re.compile(r"\[\s*((?:-?[0-9.eE+-]+,?\s*)+)\]")
"""A JSON list of numbers spread over lines by ``indent``: written on one line instead."""
VERSION = 1


class FingerprintError(ValueError):
    """A file that is not a fingerprint unmask can read."""


@dataclass(frozen=True)
class Fingerprint:
    """What a set of accounts looks like, family by family (absent families are simply not in ``families``)."""

    name: str
    accounts: int
    posts: int
    families: dict[str, dict[str, Any]]
    period: tuple[str, str] | None = None
    description: str = ""
    sources: tuple[dict[str, str], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of this fingerprint, families in their canonical order."""
        return {
            "format": FORMAT, "version": VERSION, "name": self.name, "description": self.description,
            "accounts": self.accounts, "posts": self.posts, "period": list(self.period) if self.period else None,
            "sources": [dict(s) for s in self.sources],
            "families": {name: self.families[name] for name in FAMILY_NAMES if name in self.families},
        }

    def save(self, path: Path | str) -> Path:
        """Write the fingerprint as indented UTF-8 JSON; returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(), indent=1, ensure_ascii=False)
        path.write_text(NUMBER_LIST.sub(lambda m: "[" + " ".join(m.group(1).split()) + "]", text) + "\n",
                        encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fingerprint:
        """A fingerprint from its JSON document; raises :class:`FingerprintError` for anything else."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise FingerprintError(f"not an unmask fingerprint (no \"format\": \"{FORMAT}\")")
        if not isinstance(data.get("version"), int) or data["version"] > VERSION:
            raise FingerprintError(f"fingerprint version {data.get('version')!r} is newer than this unmask reads "
                                   f"({VERSION}); upgrade unmask")
        families = data.get("families")
        if not isinstance(families, Mapping) or not all(isinstance(v, Mapping) for v in families.values()):
            raise FingerprintError("fingerprint has no \"families\" object")
        period = data.get("period")
        return cls(
            name=str(data.get("name", "")), accounts=int(data.get("accounts", 0)), posts=int(data.get("posts", 0)),
            families={name: dict(values) for name, values in families.items() if name in FAMILY_NAMES},
            period=(str(period[0]), str(period[1])) if isinstance(period, list) and len(period) == 2 else None,
            description=str(data.get("description", "")),
            sources=tuple(dict(s) for s in data.get("sources", []) if isinstance(s, Mapping)),
        )

    @classmethod
    def load(cls, path: Path | str) -> Fingerprint:
        """Read a fingerprint file; raises :class:`FingerprintError` when it is not one."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FingerprintError(f"{path}: cannot read a fingerprint ({exc})") from exc
        try:
            return cls.from_dict(data)
        except FingerprintError as exc:
            raise FingerprintError(f"{path}: {exc}") from exc


def fingerprint_sets(
    con: duckdb.DuckDBPyConnection,
    groups: Mapping[str, Sequence[AccountKey]],
    names: Mapping[str, str] | None = None,
    description: str = "",
    sources: Sequence[Mapping[str, str]] = (),
) -> dict[str, Fingerprint]:
    """A fingerprint of each named set of accounts (``names`` maps a set to its fingerprint's name, default the
    set's key); needs :func:`~.accounts.prepare_accounts` to have run on ``con``."""
    names = names or {}
    out = {}
    for group, values in set_features(con, groups).items():
        out[group] = Fingerprint(
            name=names.get(group, group), accounts=values.accounts, posts=values.posts, families=values.families,
            period=values.period, description=description, sources=tuple(dict(s) for s in sources),
        )
    return out
