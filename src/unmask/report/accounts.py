"""Accounts as the report, the map cards and the local UI show them: profile, scores, reasons, verdict.

One query serves every view; callers narrow it with a ``WHERE`` fragment of their own (never built from user
text: user values always go in as parameters).  Scores come from ``account_scores`` and persona signals from
``persona_signals`` when those tables exist; without them the accounts are shown unscored.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ..network.explain import REASON_SEPARATOR
from .model import AccountRow, Text
from .tables import has_columns, has_table
from .verdicts import Verdicts

ORDER = "coordination_score DESC NULLS LAST, platform, account_id"


def cut(text: str | None, limit: int) -> Text | None:
    """``text`` cut to ``limit`` characters for display (None stays None)."""
    if text is None:
        return None
    return Text(text[:limit], max(0, len(text) - limit))


def split_reasons(reasons: str | None) -> list[str]:
    """A stage's reasons string as a list of phrases."""
    return [part for part in (reasons or "").split(REASON_SEPARATOR) if part]


def select_accounts(
    con: duckdb.DuckDBPyConnection,
    verdicts: Verdicts,
    *,
    where: str = "TRUE",
    params: list[Any] | None = None,
    per_cluster: int | None = None,
    limit: int | None = None,
    max_text: int = 1_500,
) -> list[AccountRow]:
    """Accounts matching ``where`` (over columns of :func:`accounts_sql`), strongest first.

    ``per_cluster`` keeps that many per cluster; ``limit`` caps the whole list.
    """
    sql = f"SELECT * FROM ({accounts_sql(con)}) WHERE {where}"
    if per_cluster is not None:
        sql += f" QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY {ORDER}) <= {int(per_cluster)}"
    sql += f" ORDER BY {ORDER}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [_row(dict(zip(names, values, strict=True)), verdicts, max_text) for values in cursor.fetchall()]


def accounts_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The account view: every account with its post count, scores and persona signals where they exist."""
    if has_table(con, "account_scores"):
        scores = ("SELECT platform, account_id, cluster_id, coordination_score, flagged, reasons "
                  "FROM account_scores")
    else:
        scores = ("SELECT platform, account_id, NULL::BIGINT AS cluster_id, NULL::DOUBLE AS coordination_score, "
                  "false AS flagged, NULL::VARCHAR AS reasons FROM accounts")
    if has_columns(con, "persona_signals", "platform", "account_id", "persona_score", "persona_reasons"):
        persona = "SELECT platform, account_id, persona_score, persona_reasons FROM persona_signals"
    else:
        persona = ("SELECT NULL::VARCHAR AS platform, NULL::VARCHAR AS account_id, NULL::DOUBLE AS persona_score, "
                   "NULL::VARCHAR AS persona_reasons WHERE false")
    return f"""
        WITH counts AS (SELECT platform, account_id, count(*) AS posts FROM posts GROUP BY ALL)
        SELECT s.platform, s.account_id, a.handle, a.display_name, a.bio, a.created_at, a.followers,
               coalesce(c.posts, 0) AS posts, s.cluster_id, s.coordination_score, coalesce(s.flagged, false)
               AS flagged, s.reasons, p.persona_score, p.persona_reasons
        FROM ({scores}) s
        LEFT JOIN accounts a ON a.platform = s.platform AND a.account_id = s.account_id
        LEFT JOIN counts c ON c.platform = s.platform AND c.account_id = s.account_id
        LEFT JOIN ({persona}) p ON p.platform = s.platform AND p.account_id = s.account_id
    """


def _row(values: dict[str, Any], verdicts: Verdicts, max_text: int) -> AccountRow:
    return AccountRow(
        platform=values["platform"],
        account_id=values["account_id"],
        handle=values["handle"],
        display_name=values["display_name"],
        bio=cut(values["bio"], max_text),
        created_at=values["created_at"],
        followers=values["followers"],
        posts=values["posts"],
        cluster_id=values["cluster_id"],
        coordination_score=values["coordination_score"],
        flagged=bool(values["flagged"]),
        reasons=split_reasons(values["reasons"]),
        persona_score=values["persona_score"],
        persona_reasons=split_reasons(values["persona_reasons"]),
        status=verdicts.account(values["platform"], values["account_id"]),
    )
