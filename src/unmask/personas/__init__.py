"""Personas: account signals (handles, creation bursts, schedule, clients, templates, repurposing) and
profile photos (the StyleGAN/FFHQ eye template, image reuse, network-level blends and montages).

``persona_signals(con)`` writes table ``persona_signals``; ``analyze_faces(con)`` writes tables ``faces`` and
``face_clusters``, fills ``media.phash`` and draws PNGs into ``CASE/faces/``.  Run faces first when both run:
the persona score uses the avatar evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from .faces import FacesUnavailable
from .score import FLAG_THRESHOLD, SIGNALS, persona_signals

if TYPE_CHECKING:
    from .faces.analyze import FaceResult
    from .faces.backends import Backend

__all__ = ["FLAG_THRESHOLD", "SIGNALS", "FacesUnavailable", "analyze_faces", "persona_signals"]


def analyze_faces(
    con_or_paths: duckdb.DuckDBPyConnection | Iterable[Path | str] | Path | str,
    backend: str | Backend = "auto",
    on_image: Callable[[FaceResult], None] | None = None,
) -> pa.Table:
    """Analyse profile photos (see :func:`unmask.personas.faces.pipeline.analyze_faces`).

    Imported on first use, so the account signals work without the optional ``faces`` dependencies; raises
    :class:`FacesUnavailable` when they are missing or no face back end can run.
    """
    try:
        from .faces.pipeline import analyze_faces as run
    except ImportError as exc:
        raise FacesUnavailable(f"profile photos need {exc.name} (pip install 'unmask[faces]')") from exc
    return run(con_or_paths, backend, on_image)
