"""``report.html``: one self-contained file, rendered with Jinja2 (autoescape on) from the report model.

Styles, the vendored sigma.js and graphology builds and the map script are inlined; charts are inline SVG and
face images ``data:`` URIs, so the file opens offline and makes no request.  A Content-Security-Policy allows
exactly the inlined scripts and style (by their sha256) and nothing else: no network, no inline event handler,
so even text that escaped escaping could not run.  Data for the map sits in a JSON block, escaped with
:func:`script_json`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import __version__
from ..network.explain import gap, phrase
from . import charts
from .model import ClusterView, Report

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
VENDOR = HERE / "vendor"
SCRIPTS = (VENDOR / "graphology.umd.min.js", VENDOR / "sigma.min.js", STATIC / "network.js")
STYLESHEET = STATIC / "report.css"
JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
UNSAFE_INLINE = re.compile(r"</script|<!--", re.IGNORECASE)


def render_report(report: Report) -> str:
    """The report as one HTML document."""
    scripts = [inline_script(path) for path in SCRIPTS]
    css = STYLESHEET.read_text(encoding="utf-8")
    template = environment().get_template("report.html.j2")
    return template.render(
        report=report,
        version=__version__,
        css=Markup(css),
        scripts=[Markup(s) for s in scripts],
        csp=content_security_policy(scripts, [css]),
        network_json=script_json(_network_payload(report)),
        figures={c.cluster_id: cluster_figures(c) for c in report.detailed},
        persona=any(a.persona_score is not None for c in report.detailed for a in c.accounts),
    )


def environment(*extra: Path) -> Environment:
    """A Jinja2 environment over ``extra`` folders and the report templates, autoescaping everything."""
    env = Environment(
        loader=FileSystemLoader([*map(str, extra), str(TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters.update(
        num=_num, score=_score, pct=_pct, day=_day, when=_when, gap=_gap, offset=utc_offset_label,
        trace_name=_trace_name, anchor=anchor, cell=_cell, segment=_segment,
    )
    return env


def script_json(data: Any) -> Markup:
    """``data`` as JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 as ``\\u`` escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Markup(re.sub("[<>&\u2028\u2029]", lambda m: JSON_ESCAPES[m.group()], text))


@cache
def inline_script(path: Path) -> str:
    """A script's text ready to inline: without a source-map comment, refusing text that would end the element."""
    text = SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).rstrip()
    if UNSAFE_INLINE.search(text):
        raise ValueError(f"{path.name} holds '</script' or '<!--' and cannot be inlined")
    return text


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """A policy allowing only these exact inline scripts and styles, ``data:`` images, and no connections."""
    def hashes(texts: list[str]) -> str:
        return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'" for t in texts)

    return (f"default-src 'none'; script-src {hashes(scripts)}; style-src {hashes(styles)}; img-src data:; "
            "connect-src 'none'; base-uri 'none'; form-action 'none'")


def anchor(text: str) -> str:
    """``text`` as an HTML id fragment: letters, digits, ``-`` and ``_`` kept, anything else as ``.hex``."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else f".{ord(ch):x}" for ch in text)


def utc_offset_label(hours: float | None) -> str:
    """``UTC+8``, ``UTC+5:30``, ``UTC−3``, ``UTC``."""
    if hours is None:
        return "unknown zone"
    minutes = round(hours * 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def cluster_figures(cluster: ClusterView) -> dict[str, Markup | None]:
    """A detailed cluster's charts as inline SVG: timeline, hour-of-week in UTC and local zone, creation dates."""
    activity = cluster.activity
    assert activity is not None
    name = cluster.label
    local = activity.hour_of_week_local
    zone = utc_offset_label(activity.utc_offset)
    return {
        "timeline": Markup(charts.timeline(activity.timeline, activity.bin_unit, f"Posts over time, {name}")),
        "heatmap_utc": Markup(charts.heatmap(activity.hour_of_week_utc, "UTC", f"Hour of week in UTC, {name}")),
        "heatmap_local": None if local is None else Markup(
            charts.heatmap(local, zone, f"Hour of week in {zone}, {name}")),
        "creation": Markup(charts.histogram(activity.creation, activity.creation_unit,
                                            f"Account creation dates, {name}")),
    }


def _network_payload(report: Report) -> dict[str, Any]:
    if report.network is None:
        return {"nodes": [], "edges": []}
    return {"nodes": report.network.nodes, "edges": report.network.edges}


def _num(value: int | float | None) -> str:
    return "" if value is None else f"{value:,}"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _when(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S UTC")


def _gap(seconds: float | None) -> str:
    return "unknown time" if seconds is None else gap(seconds)


def _trace_name(trace: str) -> str:
    verb = phrase(trace).verb
    return verb[:1].upper() + verb[1:]


def _segment(value: str) -> str:
    """A path segment of a link, every reserved character percent-encoded."""
    return quote(str(value), safe="")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, dt.datetime):
        return _when(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)
