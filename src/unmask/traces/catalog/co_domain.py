"""Co-domain: accounts linking to the same web site within the window (coordinated link sharing)."""

from __future__ import annotations

from ..base import Trace, register
from ..normalize import AUTHORED, SHORTENER_DOMAINS, domain_list_sql
from ..params import TraceParams


@register
class CoDomain(Trace):
    """Object: the linked domain (lower-case host without ``www.``, as readers store it in ``posts.domains``);
    link shorteners are no site (:data:`unmask.traces.normalize.SHORTENER_DOMAINS`)."""

    name = "co_domain"
    description = "Linked to the same domain within the window."

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post acts once on each domain it links to."""
        return f"""
SELECT DISTINCT platform, account_id, domain AS object_id, ts, post_id FROM (
    SELECT platform, account_id, created_at AS ts, post_id, UNNEST(domains) AS domain FROM posts WHERE {AUTHORED}
) linked_domains
WHERE domain <> '' AND domain NOT IN {domain_list_sql(SHORTENER_DOMAINS)}"""
