"""``exports/summary.md``: the findings in Markdown, to paste into an article draft or a ticket.

Text from the data goes through :func:`md_text`: the characters that make Markdown structure are
backslash-escaped (brackets, so no link or image; ``<``, ``>`` and ``&``, so no HTML or entity; emphasis, code,
table and strike marks; ``:``, ``@`` and the dot of ``www.``, so no URL or address is auto-linked), line breaks
become spaces, and invisible direction controls such as U+202E are written as ``[U+202E]`` so a reader sees
them.  Ordinary punctuation is left alone, so the text still reads well where Markdown is not rendered.
"""

from __future__ import annotations

import re

from .. import __version__
from ..network.explain import gap
from .html import utc_offset_label
from .model import ClusterView, EvidencePair, Report

STRUCTURE = re.compile(r"[\\`*_\[\]<>|~&:@]|(?<=www)\.", re.IGNORECASE)
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029]+")
QUOTE_CHARS = 280
TOP_ACCOUNTS = 10
EXAMPLES = 2


def md_text(text: str | None, limit: int | None = None) -> str:
    """Hostile text made inert for Markdown (see the module text), cut to ``limit`` characters with ``…``."""
    if text is None:
        return ""
    cut = text if limit is None or len(text) <= limit else text[:limit] + "…"
    cut = LINE_BREAKS.sub(" ", cut)
    cut = BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", cut)
    return STRUCTURE.sub(lambda m: "\\" + m.group(), cut)


def render_markdown(report: Report) -> str:
    """The summary document."""
    s = report.summary
    lines = [f"# Coordinated networks in case {md_text(s.case_name)}", ""]
    period = f", {s.first_post:%Y-%m-%d} to {s.last_post:%Y-%m-%d} (UTC)" if s.first_post and s.last_post else ""
    platforms = ", ".join(p["platform"] for p in s.platforms)
    lines += [f"*TLP:{report.options.tlp.upper()}. Written by unmask {__version__} from {s.posts:,} posts by "
              f"{s.accounts:,} accounts{f' on {md_text(platforms)}' if platforms else ''}{period}.*", ""]
    lines += ["> Coordination is evidence of a network, not of who runs it: these accounts acted together more often "
              "than chance allows; who operates them is not established here. Resemblance is not attribution.", ""]
    lines += _findings(report)
    for cluster in report.detailed:
        lines += _cluster(cluster)
    lines += _method(report)
    return "\n".join(lines).rstrip() + "\n"


def _findings(report: Report) -> list[str]:
    s = report.summary
    if not report.clusters:
        return ["## Findings", "", "No coordinated network was found.", ""]
    lines = ["## Findings", "",
             f"unmask found {s.clusters:,} network{'' if s.clusters == 1 else 's'} of coordinated accounts "
             f"({s.flagged:,} accounts flagged, {s.pairs:,} significantly coordinated pairs): "
             f"{s.confidence['high']} with high, {s.confidence['medium']} with medium and {s.confidence['low']} with "
             "low confidence.", "",
             "| Network | Accounts | Confidence | Score | DISARM techniques | Analyst verdict |",
             "|---|---:|---|---:|---|---|"]
    for c in report.clusters:
        codes = ", ".join(t.technique.id for t in c.techniques) or "none"
        lines.append(f"| {c.label} | {c.size:,} | {c.confidence} | {c.score:.3f} | {codes} | "
                     f"{c.status.verdict or 'not reviewed'} |")
    return lines + [""]


def _cluster(c: ClusterView) -> list[str]:
    lines = [f"## Network {c.label} ({c.confidence} confidence)", ""]
    density = f" ({c.density:.0%} of all possible pairs)" if c.density is not None else ""
    lines.append(f"- {c.size:,} accounts on {md_text(', '.join(c.platforms)) or 'unknown platforms'}; "
                 f"{c.pairs:,} significantly coordinated pairs{density}; cluster score {c.score:.3f}.")
    lines += [f"- {md_text(reason)}" for reason in c.reasons]
    if c.activity and c.activity.utc_offset is not None:
        lines.append(f"- Posting week fits office hours best in {utc_offset_label(c.activity.utc_offset)} "
                     f"(correlation {c.activity.zone_fit:.2f}); a hypothesis about the operators' clock.")
    for use in c.techniques:
        lines.append(f"- DISARM {use.technique.id} {use.technique.name}: {md_text(use.evidence)}.")
    handles = [f"@{md_text(a.handle)}" if a.handle else md_text(a.account_id) for a in c.accounts[:TOP_ACCOUNTS]]
    if handles:
        more = f" and {c.size - len(handles):,} more" if c.size > len(handles) else ""
        lines.append(f"- Most coordinated accounts: {', '.join(handles)}{more}.")
    if c.status.verdict or c.status.notes:
        lines.append(f"- Analyst verdict: {c.status.verdict or 'notes only'}"
                     + "".join(f"; {md_text(v.note)}" for v in c.status.notes) + ".")
    lines.append("")
    for example in c.evidence[:EXAMPLES]:
        lines += _example(example)
    return lines


def _example(e: EvidencePair) -> list[str]:
    def who(post) -> str:
        return f"@{md_text(post.handle)}" if post.handle else md_text(post.account_id)

    when = f" ({e.a.created_at:%Y-%m-%d %H:%M:%S} and {e.b.created_at:%H:%M:%S} UTC)" \
        if e.a.created_at and e.b.created_at else ""
    gap_text = gap(e.dt) if e.dt is not None else "an unknown time"
    lines = [f"Example: {who(e.a)} and {who(e.b)}, {gap_text} apart{when}:", ""]
    for post in (e.a, e.b):
        text = post.text.shown if post.text else None
        lines.append(f"> {who(post)}: {md_text(text, QUOTE_CHARS) or '(no text)'}")
        lines.append(">")
    return lines[:-1] + [""]


def _method(report: Report) -> list[str]:
    run = dict(report.methods.run)
    keys = ("parameters.traces", "parameters.network_params.alpha", "parameters.trace_params.window_seconds",
            "parameters.trace_params.text_window_seconds", "parameters.community_method")
    shown = [f"{key.split('.')[-1]} = {md_text(run[key])}" for key in keys if key in run]
    lines = ["## Method", "",
             "unmask paired accounts that acted on the same objects (posts, texts, links, hashtags) within a time "
             "window, tested each pair against chance with a family-wise error rate, and grouped the significant "
             "pairs into networks. Scores, thresholds and every parameter are in the report's methods section."]
    if shown:
        lines += ["", "Parameters: " + "; ".join(shown) + "."]
    return lines + [""]
