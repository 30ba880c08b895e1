"""Safe image loading: every file either becomes an RGB array or a skip reason, never an exception.

Profile photos come from scraped folders and hostile accounts, so a loader must survive files that are
truncated, not images at all, decompression bombs (a small file declaring billions of pixels), huge, CMYK,
16-bit, palette, with alpha, animated or rotated by an EXIF tag.  The size is checked from the header before
any pixel is decoded; JPEGs are decoded at a reduced scale when that is enough for the working size.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 20_000
WORKING_SIDE = 512


@dataclass
class LoadedImage:
    """An image as an RGB ``uint8`` array at working size, with what was done to it."""

    path: str
    rgb: np.ndarray
    original_size: tuple[int, int]
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        """Width of the working array in pixels."""
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        """Height of the working array in pixels."""
        return int(self.rgb.shape[0])


@dataclass
class SkippedImage:
    """A file that could not be used, and why."""

    path: str
    reason: str


def load_image(path: Path | str, working_side: int = WORKING_SIDE) -> LoadedImage | SkippedImage:
    """Open ``path`` as RGB scaled to at most ``working_side`` pixels a side, or say why it was skipped.

    CMYK, palette, grey, 16-bit and alpha images are converted (alpha over white); an EXIF orientation is
    applied; an animated image gives its first frame.  Files over :data:`MAX_FILE_BYTES`, images over
    :data:`MAX_PIXELS` pixels or :data:`MAX_SIDE` a side, truncated and unreadable files are skipped.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return SkippedImage(str(path), f"cannot read file ({exc.strerror or exc})")
    if not path.is_file():
        return SkippedImage(str(path), "not a regular file")
    if size == 0:
        return SkippedImage(str(path), "empty file")
    if size > MAX_FILE_BYTES:
        return SkippedImage(str(path), f"file too large ({size:,} bytes > {MAX_FILE_BYTES:,})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return _decode(image, str(path), working_side)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return SkippedImage(str(path), _describe(exc))
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        return SkippedImage(str(path), f"unreadable image ({_first_line(exc)})")


def _decode(image: Image.Image, path: str, working_side: int) -> LoadedImage | SkippedImage:
    width, height = image.size
    if width <= 0 or height <= 0:
        return SkippedImage(path, f"invalid dimensions {width}x{height}")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        return SkippedImage(path, f"decompression bomb or huge image: {width}x{height} pixels exceeds the limit")
    notes = []
    if image.mode == "CMYK":
        notes.append("CMYK converted to RGB")
    if getattr(image, "is_animated", False):
        notes.append("animated: first frame used")
    if image.format == "JPEG":
        image.draft("RGB", (working_side, working_side))
    image.load()
    rotated = ImageOps.exif_transpose(image)
    if rotated.size != image.size or _orientation(image) not in (None, 1):
        notes.append("EXIF rotation applied")
    rgb = _to_rgb(rotated)
    if max(rgb.size) > working_side:
        scale = working_side / max(rgb.size)
        rgb = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))), Image.LANCZOS)
    return LoadedImage(path, np.asarray(rgb, dtype=np.uint8), (width, height), notes)


def _orientation(image: Image.Image) -> int | None:
    return image.getexif().get(0x0112)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        peak = array.max() or 1.0
        return Image.fromarray((array / peak * 255).astype(np.uint8)).convert("RGB")
    return image.convert("RGB")


def _describe(exc: Exception) -> str:
    if isinstance(exc, UnidentifiedImageError):
        return "not an image (unknown or corrupt format)"
    return f"decompression bomb: {_first_line(exc)}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def image_files(folder: Path | str) -> list[Path]:
    """All files under ``folder`` with an image suffix, sorted by path (hidden files are ignored)."""
    root = Path(folder)
    return sorted(
        p for p in root.rglob("*")
        if p.suffix.lower() in IMAGE_SUFFIXES and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
