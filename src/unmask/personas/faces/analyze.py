"""Per-image analysis: load safely, find the face and eyes, compare with the template, hash the image."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa

from .backends import Backend
from .images import LoadedImage, SkippedImage, load_image
from .phash import phash
from .template import ai_face_score, measure, verdict

# The first ten are the documented columns of faces.csv, in order; the rest follow them.
COLUMNS: list[tuple[str, pa.DataType]] = [
    ("path", pa.string()),
    ("face_found", pa.bool_()),
    ("template_distance", pa.float64()),
    ("eye_left_x", pa.float64()),
    ("eye_left_y", pa.float64()),
    ("eye_right_x", pa.float64()),
    ("eye_right_y", pa.float64()),
    ("ai_face_score", pa.float64()),
    ("flagged", pa.bool_()),
    ("reason", pa.string()),
    ("eye_gap", pa.float64()),
    ("tilt_degrees", pa.float64()),
    ("squareness", pa.float64()),
    ("faces", pa.int64()),
    ("width", pa.int64()),
    ("height", pa.int64()),
    ("phash", pa.string()),
    ("backend", pa.string()),
    ("skipped", pa.bool_()),
    ("notes", pa.string()),
]
SCHEMA = pa.schema(COLUMNS)


@dataclass
class FaceResult:
    """What one image shows; eye coordinates are fractions of the image width and height."""

    path: str
    face_found: bool = False
    template_distance: float | None = None
    eye_left_x: float | None = None
    eye_left_y: float | None = None
    eye_right_x: float | None = None
    eye_right_y: float | None = None
    ai_face_score: float = 0.0
    flagged: bool = False
    reason: str = ""
    eye_gap: float | None = None
    tilt_degrees: float | None = None
    squareness: float | None = None
    faces: int = 0
    width: int | None = None
    height: int | None = None
    phash: str | None = None
    backend: str = ""
    skipped: bool = False
    notes: str = ""


def analyze_image(path: Path | str, backend: Backend) -> FaceResult:
    """Load one image and say whether its face has the eyes at ``backend``'s StyleGAN/FFHQ template."""
    loaded = load_image(path)
    if isinstance(loaded, SkippedImage):
        return FaceResult(path=loaded.path, reason=f"skipped: {loaded.reason}", backend=backend.name, skipped=True)
    return _analyze_loaded(loaded, backend)


def _analyze_loaded(image: LoadedImage, backend: Backend) -> FaceResult:
    result = FaceResult(
        path=image.path, width=image.original_size[0], height=image.original_size[1], phash=phash(image.rgb),
        backend=backend.name, notes="; ".join(image.notes),
    )
    detection = backend.detect(image.rgb)
    if detection is None:
        result.reason = "no face found"
        return result
    result.face_found = True
    result.faces = detection.faces
    if detection.left_eye is None or detection.right_eye is None:
        result.reason = "face found; eyes not located"
        return result
    geometry = measure(detection.left_eye, detection.right_eye, image.width, image.height, backend.template)
    result.template_distance = round(geometry.template_distance, 4)
    result.eye_left_x, result.eye_left_y = (round(v, 4) for v in geometry.left)
    result.eye_right_x, result.eye_right_y = (round(v, 4) for v in geometry.right)
    result.eye_gap = round(geometry.eye_gap, 4)
    result.tilt_degrees = round(geometry.tilt_degrees, 2)
    result.squareness = round(geometry.squareness, 4)
    result.ai_face_score = ai_face_score(geometry, backend.template)
    result.flagged, result.reason = verdict(geometry, backend.template)
    return result


def analyze_paths(paths: Iterable[Path | str], backend: Backend,
                  on_image: Callable[[FaceResult], None] | None = None) -> list[FaceResult]:
    """Analyse each distinct path once, in sorted order; ``on_image`` is called after each (for progress)."""
    results = []
    for path in sorted({str(p) for p in paths}):
        result = analyze_image(path, backend)
        results.append(result)
        if on_image:
            on_image(result)
    return results


def results_table(results: Iterable[FaceResult]) -> pa.Table:
    """The results as an Arrow table with the documented column order."""
    return pa.Table.from_pylist([asdict(r) for r in results], schema=SCHEMA)
