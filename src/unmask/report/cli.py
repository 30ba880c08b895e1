"""``unmask report CASE/`` and ``unmask serve CASE/``: the report stage's commands.

``serve`` listens on 127.0.0.1 unless told otherwise; another address needs both ``--allow-remote`` and a
``--token``, because the UI shows the case's data and records verdicts.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..workspace import Workspace
from .model import TLP_LEVELS, ReportOptions

LOOPBACK_NAMES = ("localhost",)


def report_command(
    case: Annotated[Path, typer.Argument(help="Case folder holding workspace.duckdb")],
    tlp: Annotated[str, typer.Option(help=f"TLP marking of report and STIX: {', '.join(TLP_LEVELS)}")] = "amber",
    max_clusters: Annotated[int, typer.Option(help="Clusters given a full section (strongest first)")] = 40,
    max_nodes: Annotated[int, typer.Option(help="Accounts drawn on the network map")] = 20_000,
    max_edges: Annotated[int, typer.Option(help="Pairs drawn on the network map (most significant first)")] = 30_000,
) -> None:
    """Write CASE/report.html and CASE/exports/ (tables, GEXF, GraphML, STIX 2.1, Markdown summary)."""
    from ..cli import console
    from .write import write_report

    try:
        options = ReportOptions(tlp=tlp, max_clusters=max_clusters, max_nodes=max_nodes, max_edges=max_edges)
        workspace = Workspace(case, read_only=True)
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with workspace:
        workspace.con.execute("SET enable_progress_bar = false")
        files = write_report(workspace.con, case, options)
    console.print(f"report: {files['report']}")
    console.print(f"exports: {', '.join(sorted(p.name for name, p in files.items() if name != 'report'))}")


def serve_command(
    case: Annotated[Path, typer.Argument(help="Case folder holding workspace.duckdb")],
    host: Annotated[str, typer.Option(help="Address to listen on (loopback unless --allow-remote)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8765,
    token: Annotated[Optional[str], typer.Option(help="Require this token (needed with --allow-remote)")] = None,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Listen beyond loopback (+ --token)")] = False,
) -> None:
    """Browse a case in a local web UI: clusters, accounts, posts, evidence; record verdicts."""
    from ..cli import console

    try:
        import uvicorn

        from .serve import create_app
    except ImportError as exc:
        console.print(f"[red]error:[/red] the web UI needs the serve extra: pip install 'unmask[serve]' ({exc.name})")
        raise typer.Exit(2) from exc
    try:
        check_binding(host, token, allow_remote)
        app = create_app(case, token=token, remote=not is_loopback(host))
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    shown = f"[{host}]" if ":" in host else host
    console.print(f"unmask serve: http://{shown}:{port}/" + (f"?token={token}" if token else ""))
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def check_binding(host: str, token: str | None, allow_remote: bool) -> None:
    """Refuse a non-loopback address without ``--allow-remote`` and a strong enough token."""
    if is_loopback(host):
        return
    if not allow_remote:
        raise ValueError(f"{host} is not a loopback address: add --allow-remote (and --token) to listen there")
    if not token or len(token) < 16:
        raise ValueError(f"listening on {host} needs --token of at least 16 characters, "
                         f"e.g. {secrets.token_urlsafe(24)}")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
