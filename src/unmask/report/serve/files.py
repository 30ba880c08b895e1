"""Files of the case folder, served safely: nothing outside it, no workspace database, no hidden files.

The report opens in the browser (in a sandbox, under its own policy); images are shown; everything else
downloads as an attachment, so a hostile file in the case folder is never rendered as a page of the UI.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse

from ...workspace import WORKSPACE_FILE
from ..write import EXPORTS_DIR, REPORT_FILE

IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}
REPORT_CSP = ("sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              "img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def case_file(case_dir: Path, relative: str) -> Path | None:
    """The file at ``relative`` inside ``case_dir``; None if it is outside, hidden, the database, or missing."""
    if "\x00" in relative or relative.startswith(("/", "\\")):
        return None
    root = case_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    parts = path.relative_to(root).parts
    if any(part.startswith(".") for part in parts) or path.name.startswith(WORKSPACE_FILE):
        return None
    return path


def file_response(case_dir: Path, path: Path) -> FileResponse:
    """The response for a file that :func:`case_file` accepted."""
    if path == case_dir.resolve() / REPORT_FILE:
        return FileResponse(path, media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": REPORT_CSP})
    if path.suffix.lower() in IMAGES:
        return FileResponse(path, media_type=IMAGES[path.suffix.lower()])
    return FileResponse(path, media_type="application/octet-stream", filename=path.name,
                        content_disposition_type="attachment")


def export_files(case_dir: Path) -> list[str]:
    """The files under ``CASE/exports/``, as paths relative to the case folder, sorted."""
    folder = case_dir / EXPORTS_DIR
    if not folder.is_dir():
        return []
    return sorted(str(p.relative_to(case_dir)) for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
