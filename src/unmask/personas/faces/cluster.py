"""Network-level face evidence: template share, average-face blend with its sharpness, and a montage.

The blend averages the avatars as they are (each centre-cropped to a square and resized), deliberately without
re-aligning them: StyleGAN faces already share the FFHQ crop, so their average keeps sharp eyes, nose and mouth,
while real photos, framed each in its own way, average to a blur.  Re-aligning by the eyes would make any set
sharp around the eyes and hide exactly that difference.  The sharpness score is the contrast kept in the
blend across the band of the template eye positions, relative to a single image (see :func:`blend_sharpness`;
the variance of the Laplacian was tried and does not separate the sets, since averaging removes fine texture
from aligned and unaligned sets alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from .images import LoadedImage

BLEND_SIDE = 256
SHARPNESS_SIDE = 48
EYE_BAND_ROWS = (0.40, 0.54)
EYE_BAND_COLUMNS = (0.27, 0.73)
GREY_WEIGHTS = np.array([0.299, 0.587, 0.114])
TILE = 96
MONTAGE_COLUMNS = 8
MAX_MONTAGE = 64
FLAG_COLOUR = (214, 39, 40)
PLAIN_COLOUR = (200, 200, 200)


@dataclass(frozen=True)
class GroupFaces:
    """Face evidence for one group of avatars (a cluster, or a folder)."""

    images: int
    faces: int
    template_matches: int
    template_share: float
    blend_sharpness: float | None


def square(rgb: np.ndarray, side: int) -> np.ndarray:
    """Centre-crop an RGB array to a square and resize it to ``side`` pixels."""
    height, width = rgb.shape[:2]
    edge = min(height, width)
    top, left = (height - edge) // 2, (width - edge) // 2
    crop = Image.fromarray(rgb[top: top + edge, left: left + edge])
    return np.asarray(crop.resize((side, side), Image.LANCZOS), dtype=np.float64)


def blend(images: Sequence[LoadedImage], side: int = BLEND_SIDE) -> np.ndarray:
    """The pixel average of the images as squares of ``side`` pixels (RGB ``uint8``)."""
    if not images:
        raise ValueError("blend needs at least one image")
    total = np.zeros((side, side, 3), dtype=np.float64)
    for image in images:
        total += square(image.rgb, side)
    return np.clip(total / len(images) + 0.5, 0, 255).astype(np.uint8)


def blend_sharpness(images: Sequence[LoadedImage]) -> float | None:
    """How much of a single face's contrast across the template eye band survives in the blend (0 to about 1).

    Measured on coarse (48 px) grey squares: the standard deviation of the blend inside the band holding both
    template eye positions, over the median of the same measure for the single images.  None for fewer than
    two images.
    """
    if len(images) < 2:
        return None
    greys = [square(image.rgb, SHARPNESS_SIDE) @ GREY_WEIGHTS for image in images]
    reference = float(np.median([_eye_band(grey).std() for grey in greys]))
    if reference <= 0:
        return None
    return round(float(_eye_band(np.mean(greys, axis=0)).std()) / reference, 4)


def _eye_band(grey: np.ndarray) -> np.ndarray:
    side = grey.shape[0]
    top, bottom = (round(v * side) for v in EYE_BAND_ROWS)
    left, right = (round(v * side) for v in EYE_BAND_COLUMNS)
    return grey[top:bottom, left:right]


def montage(images: Sequence[LoadedImage], flagged: Sequence[bool], tile: int = TILE,
            columns: int = MONTAGE_COLUMNS) -> Image.Image:
    """A grid of at most :data:`MAX_MONTAGE` thumbnails; template matches get a red frame, others a grey one."""
    shown = list(zip(images, flagged))[:MAX_MONTAGE]
    rows = max(1, -(-len(shown) // columns))
    sheet = Image.new("RGB", (columns * tile, rows * tile), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for position, (image, is_flagged) in enumerate(shown):
        x, y = (position % columns) * tile, (position // columns) * tile
        thumb = Image.fromarray(square(image.rgb, tile - 6).astype(np.uint8))
        sheet.paste(thumb, (x + 3, y + 3))
        draw.rectangle((x + 1, y + 1, x + tile - 2, y + tile - 2),
                       outline=FLAG_COLOUR if is_flagged else PLAIN_COLOUR, width=2)
    return sheet


def summarise(images: Sequence[LoadedImage], face_found: Sequence[bool],
              flagged: Sequence[bool]) -> tuple[GroupFaces, np.ndarray | None]:
    """Evidence for one group: counts, the share of faces at the template, and the blend with its sharpness."""
    faces = sum(face_found)
    matches = sum(flagged)
    blended = blend(images) if images else None
    sharp = blend_sharpness(images)
    summary = GroupFaces(
        images=len(images), faces=faces, template_matches=matches,
        template_share=round(matches / faces, 4) if faces else 0.0, blend_sharpness=sharp,
    )
    return summary, blended
