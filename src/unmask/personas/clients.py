"""Client apps and audience: automation clients, web-only posting, zero followers, following far above followers.

The client is the app an account posts from (the IO archive's ``tweet_client_name``, Mastodon's
``application.name``): the most used client of the account's posts, else ``accounts.client``.  Automation and
feed-posting services are medium evidence; posting only from the web app is weak (plenty of people do), but
whole networks of web-only accounts are typical of operations run from office desktops.  Zero followers and
following far more accounts than follow back are weak on their own: new real accounts look the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

AUTOMATION = re.compile(
    r"ifttt|dlvr\.?it|twittbot|botize|twitterfeed|roundteam|zapier|socialoomph|tweepy|autopost|auto[ -]post"
    r"|\bbots?\b|\bapi\b|\bscript\b|python|\brss\b|feed ?(poster|bot)",
    re.IGNORECASE,
)
WEB_APP = re.compile(r"^(twitter web (app|client)|web|mastodon web|web app)$", re.IGNORECASE)
MIN_FOLLOWING = 50
FOLLOW_RATIO = 10.0


@dataclass(frozen=True)
class ClientSignals:
    """Client and audience signals of one account (``None``: not known)."""

    client: str | None
    client_share: float | None
    client_automation: bool
    client_web_only: bool
    zero_followers: bool | None
    following_ratio: float | None
    follows_far_more: bool


def client_signals(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], ClientSignals]:
    """Client and audience signals for every account of the workspace."""
    rows = con.execute(
        """
        WITH per AS (SELECT platform, account_id, client, count(*) AS n FROM posts
                     WHERE client IS NOT NULL AND client <> '' GROUP BY ALL),
             top AS (SELECT platform, account_id, arg_max(client, (n, client)) AS client,
                            max(n) / sum(n) AS share FROM per GROUP BY ALL)
        SELECT a.platform, a.account_id, coalesce(t.client, nullif(a.client, '')) AS client,
               CASE WHEN t.client IS NOT NULL THEN t.share END AS share, a.followers, a.following
        FROM accounts a LEFT JOIN top t USING (platform, account_id)
        ORDER BY a.platform, a.account_id
        """
    ).fetchall()
    return {(platform, account_id): _signals(client, share, followers, following)
            for platform, account_id, client, share, followers, following in rows}


def _signals(client: str | None, share: float | None, followers: int | None, following: int | None) -> ClientSignals:
    ratio = None
    if followers is not None and following is not None:
        ratio = round(following / (followers + 1), 2)
    return ClientSignals(
        client=client,
        client_share=round(float(share), 4) if share is not None else None,
        client_automation=bool(client and AUTOMATION.search(client)),
        client_web_only=bool(client and WEB_APP.match(client.strip())) and share is not None and share >= 0.99,
        zero_followers=None if followers is None else followers == 0,
        following_ratio=ratio,
        follows_far_more=bool(following is not None and ratio is not None and following >= MIN_FOLLOWING
                              and ratio >= FOLLOW_RATIO),
    )
