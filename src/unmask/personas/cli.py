"""``unmask faces``: profile photos of a folder or of a case -> faces.csv (+ blend and montage PNGs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

from ..exports.csv import write_csv
from ..workspace import WORKSPACE_FILE, Workspace


def faces_command(
    source: Annotated[Path, typer.Argument(help="A folder of images, or a case folder holding workspace.duckdb")],
    out: Annotated[Path, typer.Option("--out", help="CSV file to write, one row per image")] = Path("faces.csv"),
    backend: Annotated[str, typer.Option(help="Landmark back end: auto, dlib or haar")] = "auto",
    png_dir: Annotated[Optional[Path], typer.Option(
        "--png-dir", help="Folder for the blend and montage PNGs of an image folder (a case uses CASE/faces)")] = None,
) -> None:
    """Find AI-generated (StyleGAN/FFHQ-aligned) profile photos and reused images; write faces.csv.

    A match means the eyes sit where StyleGAN puts them; real photos cropped the FFHQ way match too, so treat
    one match as a lead and the share of matches across a network as the evidence.
    """
    from .faces import FacesUnavailable

    console = Console(stderr=True)
    try:  # the faces extra (Pillow, dlib, OpenCV) is needed only from here on
        from .faces.analyze import COLUMNS
        from .faces.backends import get_backend
        from .faces.images import image_files
        from .faces.pipeline import analyze_faces
    except ImportError as exc:
        console.print(f"[red]error:[/red] profile photos need {exc.name} (pip install 'unmask[faces]')")
        raise typer.Exit(2) from exc
    if not source.exists():
        console.print(f"[red]error:[/red] {source}: no such file or folder")
        raise typer.Exit(2)
    try:
        locator = get_backend(backend)
    except (FacesUnavailable, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if (source / WORKSPACE_FILE).exists():
        with Workspace(source) as ws:
            table = analyze_faces(ws.con, locator)
            groups = ws.con.execute(
                "SELECT cluster_id, images, faces, template_matches, template_share, blend_sharpness, montage_png "
                "FROM face_clusters ORDER BY cluster_id = 'all' DESC, cluster_id"
            ).fetchall()
        csv_table = table.select([name for name, _ in COLUMNS] + ["platform", "account_id", "reuse_accounts"])
    else:
        paths = [source] if source.is_file() else image_files(source)
        csv_table = analyze_faces(paths, locator)
        groups = [_folder_group(csv_table, png_dir)]
    rows = write_csv(out, csv_table)
    _print_summary(groups, rows, out)


def _folder_group(table: pa.Table, png_dir: Path | None) -> tuple:
    """Summary row of an image folder (and its PNGs when ``png_dir`` is given)."""
    from PIL import Image

    from .faces.cluster import montage, summarise
    from .faces.images import LoadedImage, load_image

    usable = [(row["path"], row["face_found"], row["flagged"]) for row in table.to_pylist() if not row["skipped"]]
    loaded = [(load_image(p), face, flag) for p, face, flag in usable]
    images = [(image, face, flag) for image, face, flag in loaded if isinstance(image, LoadedImage)]
    summary, blended = summarise([i for i, _, _ in images], [f for _, f, _ in images], [g for _, _, g in images])
    montage_path = None
    if png_dir is not None and blended is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
        Image.fromarray(blended).save(png_dir / "blend.png")
        montage_path = png_dir / "montage.png"
        montage([i for i, _, _ in images], [g for _, _, g in images]).save(montage_path)
    return ("folder", summary.images, summary.faces, summary.template_matches, summary.template_share,
            summary.blend_sharpness, str(montage_path) if montage_path else "")


def _print_summary(groups: list[tuple], rows: int, out: Path) -> None:
    table = Table(title=f"faces: {rows:,} images -> {out}")
    for column in ("group", "images", "faces", "at template", "share", "blend sharpness", "montage"):
        table.add_column(column, justify="left" if column in ("group", "montage") else "right")
    for name, images, faces, matches, share, sharpness, montage_png in groups:
        table.add_row(str(name), f"{images:,}", f"{faces:,}", f"{matches:,}", f"{share:.0%}",
                      "-" if sharpness is None else f"{sharpness:.2f}", montage_png or "")
    Console().print(table)
    Console(stderr=True).print("note: eyes at the StyleGAN/FFHQ template also match real photos cropped the FFHQ "
                               "way; a network-wide share is the evidence, one image is a lead.")
