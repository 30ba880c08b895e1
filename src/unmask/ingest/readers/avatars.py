"""Avatar list: a CSV naming each account's profile-photo file, for collections that saved the images.

Columns: ``account_id`` (or ``userid``), ``avatar_path`` (relative to the CSV's folder, or absolute), and
optionally ``platform`` (default ``twitter``).  Each row becomes an ``avatar`` media row with its ``local_path``
and sets the account's ``avatar_path``, so the face pipeline finds the images.
"""

from __future__ import annotations

from ..base import Reader, Sink, register
from ..bulk import col, load_csv, sql_str
from ..sample import Sample, take_sample
from ..sources import Source


@register
class AvatarList(Reader):
    name = "avatar-list"
    platform = "any"
    description = "CSV of account ids and their saved profile-photo files (account_id|userid, avatar_path)"
    required = ("account_id | userid", "avatar_path")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.8 if not cls.missing(sample) and len(sample.columns) <= 4 else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        needed = [] if {"account_id", "userid"} & set(sample.columns) else ["account_id | userid"]
        return needed + ([] if "avatar_path" in sample.columns else ["avatar_path"])

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        load_csv(sink, source, sample, "_avatar_rows")
        account = f"coalesce({col(sample, 'account_id')}, {col(sample, 'userid')})"
        folder = sql_str(str(source.path.parent.resolve()) + "/")
        path = (
            f"CASE WHEN starts_with({col(sample, 'avatar_path')}, '/') THEN {col(sample, 'avatar_path')} "
            f"ELSE {folder} || {col(sample, 'avatar_path')} END"
        )
        sink.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _avatars AS
            SELECT coalesce({col(sample, 'platform')}, 'twitter') AS platform, {account} AS account_id,
                   {path} AS avatar_path, _line,
                   CASE WHEN {account} IS NULL THEN 'missing account id'
                        WHEN {col(sample, 'avatar_path')} IS NULL THEN 'missing avatar_path' END AS _problem
            FROM _avatar_rows
            """
        )
        sink.reject_sql("SELECT _line AS line, _problem AS reason, account_id AS raw FROM _avatars WHERE _problem IS NOT NULL")
        sink.stage_sql(
            "accounts",
            "SELECT platform, account_id, avatar_path FROM _avatars WHERE _problem IS NULL",
        )
        sink.stage_sql(
            "media",
            "SELECT platform, 'avatar:' || account_id AS media_id, account_id, 'avatar' AS kind, "
            "avatar_path AS local_path FROM _avatars WHERE _problem IS NULL",
            primary=False,
        )
        sink.con.execute("DROP TABLE _avatar_rows; DROP TABLE _avatars")
