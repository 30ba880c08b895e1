"""Co-post: accounts posting the same text, after normalisation, within the text window (copypasta)."""

from __future__ import annotations

import duckdb

from ..base import Trace, register
from ..params import TraceParams
from ..texts import TEXTS, create_texts


@register
class CoPost(Trace):
    """Object: the hash of the normalised text (see :func:`unmask.traces.normalize.text_key_sql`)."""

    name = "co_post"
    description = (
        "Posted the same text (ignoring case, links, mentions, punctuation, random suffixes) within the text window."
    )

    def window(self, params: TraceParams) -> float:
        """Copypasta is spread over longer spans than reposts: the text window."""
        return params.text_window_seconds

    def prepare(self, con: duckdb.DuckDBPyConnection, params: TraceParams) -> None:
        """Normalise the texts, once per run (shared with the near-duplicate trace, see :mod:`unmask.traces.texts`)."""
        create_texts(con, params)

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post with a long enough normalised text acts on that text."""
        return f"SELECT platform, account_id, text_hash AS object_id, ts, post_id FROM {TEXTS}"
