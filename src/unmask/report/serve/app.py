"""The local web UI of ``unmask serve``: browse clusters, search accounts and posts, open the evidence, record
verdicts, regenerate the report.

The workspace is opened per request (read-only, or read-write only to record a verdict) and closed again, so an
analysis can run between two clicks; requests take turns on it.  Pages are Jinja2 templates with autoescape;
the scripts and styles are the report's own, served from the package.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import duckdb
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ... import __version__
from ...workspace import WORKSPACE_FILE, Workspace
from ..clusters import cluster_views, detail_clusters
from ..collect import summary
from ..accounts import select_accounts
from ..evidence import account_evidence
from ..html import SCRIPTS, STYLESHEET, cluster_figures, environment, script_json
from ..model import AccountRow, ReportOptions
from ..network_map import network_map
from ..verdicts import VERDICTS, load, record_account, record_cluster
from ..write import REPORT_FILE, write_report
from .files import case_file, export_files, file_response
from .guard import Guard
from .queries import account_posts, search_accounts, search_posts

TEMPLATES = Path(__file__).parent / "templates"
STATIC = {path.name: path for path in (*SCRIPTS, STYLESHEET)}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
MAX_FORM_BYTES = 64 * 1024
UI_OPTIONS = ReportOptions(max_accounts=1_000, evidence_per_trace=8)
ACCOUNT_EVIDENCE = 50
STALE_FORM = "The form is out of date: reload the page."


class UI:
    """The state of one server: its case folder, its guard, its templates, and the turn-taking lock."""

    def __init__(self, case_dir: Path, guard: Guard):
        self.case_dir = case_dir
        self.guard = guard
        self.env = environment(TEMPLATES)
        self.lock = threading.Lock()

    @contextmanager
    def workspace(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """The workspace, open for this request only."""
        with self.lock, Workspace(self.case_dir, read_only=not write) as ws:
            yield ws.con

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A rendered page; every page gets the case name, the version, the CSRF token and the link helpers."""
        html = self.env.get_template(template).render(
            case_name=self.case_dir.name, version=__version__, csrf=self.guard.csrf, account_href=account_href,
            verdicts=VERDICTS, **context,
        )
        return HTMLResponse(html, status_code=status)


def account_href(account: AccountRow) -> str:
    """The UI address of an account's page."""
    return f"/account/{quote(account.platform, safe='')}/{quote(account.account_id, safe='')}"


def create_app(case_dir: Path | str, token: str | None = None, remote: bool = False) -> FastAPI:
    """The UI application for ``case_dir``; ``remote`` (reachable from other machines) requires ``token``."""
    case = Path(case_dir).resolve()
    if not (case / WORKSPACE_FILE).exists():
        raise FileNotFoundError(f"{case}: no {WORKSPACE_FILE} here (run `unmask analyze` first)")
    ui = UI(case, Guard(token, remote))
    app = FastAPI(title="unmask", docs_url=None, redoc_url=None, openapi_url=None)
    app.middleware("http")(ui.guard)

    @app.exception_handler(duckdb.IOException)
    async def busy(request: Request, exc: duckdb.IOException) -> HTMLResponse:
        """Another process holds the workspace."""
        return ui.page("message.html.j2", status=503, title="Workspace busy",
                       message="The workspace is in use by another process (an analysis running?). "
                               "Try again when it has finished.")

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        """The case at a glance, its networks, and the report and exports."""
        with ui.workspace() as con:
            verdicts = load(con)
            views = cluster_views(con, verdicts)
            overview = summary(con, ui.case_dir, views, verdicts)
        return ui.page("index.html.j2", summary=overview, clusters=views, exports=export_files(ui.case_dir),
                       has_report=(ui.case_dir / REPORT_FILE).is_file())

    @app.get("/map", response_class=HTMLResponse)
    def network() -> HTMLResponse:
        """The interactive network map."""
        with ui.workspace() as con:
            verdicts = load(con)
            views = cluster_views(con, verdicts)
            net = network_map(con, verdicts, views, ReportOptions())
        data = {"nodes": net.nodes, "edges": net.edges} if net else {"nodes": [], "edges": []}
        return ui.page("map.html.j2", network=net, network_json=script_json(data))

    @app.get("/cluster/{cluster_id}", response_class=HTMLResponse)
    def cluster(cluster_id: int) -> HTMLResponse:
        """One network: techniques, accounts, evidence, activity, faces, narratives, verdict form."""
        with ui.workspace() as con:
            verdicts = load(con)
            view = next((v for v in cluster_views(con, verdicts) if v.cluster_id == cluster_id), None)
            if view is None:
                return ui.page("message.html.j2", status=404, title="Not found", message=f"No cluster C{cluster_id}.")
            omitted = detail_clusters(con, ui.case_dir, [view], verdicts, UI_OPTIONS)
        return ui.page("cluster.html.j2", c=view, fig=cluster_figures(view), omitted=omitted,
                       persona=any(a.persona_score is not None for a in view.accounts))

    @app.get("/account/{platform}/{account_id:path}", response_class=HTMLResponse)
    def account(platform: str, account_id: str) -> HTMLResponse:
        """One account: profile, reasons, evidence pairs, newest posts, verdict form."""
        with ui.workspace() as con:
            verdicts = load(con)
            rows = select_accounts(con, verdicts, where="platform = ? AND account_id = ?",
                                   params=[platform, account_id], max_text=UI_OPTIONS.max_text)
            if not rows:
                return ui.page("message.html.j2", status=404, title="Not found", message="No such account.")
            posts = account_posts(con, platform, account_id)
            evidence = account_evidence(con, platform, account_id, ACCOUNT_EVIDENCE, UI_OPTIONS.max_text)
        return ui.page("account.html.j2", a=rows[0], posts=posts, evidence=evidence or [])

    @app.get("/search", response_class=HTMLResponse)
    def search(q: str = "") -> HTMLResponse:
        """Accounts and posts matching ``q``."""
        with ui.workspace() as con:
            accounts = search_accounts(con, load(con), q)
            posts = search_posts(con, q)
        return ui.page("search.html.j2", q=q, accounts=accounts, posts=posts)

    @app.post("/verdict")
    async def verdict(request: Request) -> Response:
        """Record a verdict from the form, then go back to its account or cluster."""
        fields = await _form(request)
        if fields is None or not ui.guard.form_ok(fields):
            return ui.page("message.html.j2", status=403, title="Refused", message=STALE_FORM)
        try:
            with ui.workspace(write=True) as con:
                target = _record(con, fields)
        except ValueError as exc:
            return ui.page("message.html.j2", status=400, title="Not recorded", message=str(exc))
        return RedirectResponse(target, status_code=303)

    @app.post("/report")
    async def regenerate(request: Request) -> Response:
        """Rewrite report.html and the exports with the verdicts so far, then open the report."""
        fields = await _form(request)
        if fields is None or not ui.guard.form_ok(fields):
            return ui.page("message.html.j2", status=403, title="Refused", message=STALE_FORM)
        with ui.workspace() as con:
            write_report(con, ui.case_dir)
        return RedirectResponse(f"/files/{REPORT_FILE}", status_code=303)

    @app.get("/files/{relative:path}")
    def files(relative: str) -> Response:
        """A file of the case folder (see :mod:`.files` for what is refused)."""
        path = case_file(ui.case_dir, relative)
        if path is None:
            return ui.page("message.html.j2", status=404, title="Not found", message="No such file in this case.")
        return file_response(ui.case_dir, path)

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        """The UI's stylesheet and scripts (an allow-list, nothing else)."""
        path = STATIC.get(name)
        if path is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix])

    return app


async def _form(request: Request) -> dict[str, str] | None:
    """A url-encoded form body as a dict (None when it is too large or not url-encoded)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def _record(con: duckdb.DuckDBPyConnection, fields: dict[str, str]) -> str:
    """Record the verdict a form describes; returns the page to go back to."""
    verdict, note = fields.get("verdict", ""), fields.get("note", "")
    if fields.get("target") == "cluster":
        try:
            cluster_id = int(fields.get("cluster_id", ""))
        except ValueError as exc:
            raise ValueError("the form names no cluster") from exc
        record_cluster(con, cluster_id, verdict, note)
        return f"/cluster/{cluster_id}"
    platform, account_id = fields.get("platform", ""), fields.get("account_id", "")
    record_account(con, platform, account_id, verdict, note)
    return f"/account/{quote(platform, safe='')}/{quote(account_id, safe='')}"
