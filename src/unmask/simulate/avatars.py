"""Profile pictures for the accounts, so that a face pipeline runs end to end on a simulated world.

Each account's avatar kind is decided when the world is built; with image folders given, this module writes
the pictures to ``DIR/avatars/`` and lists them in ``DIR/avatars.csv`` (``platform, account_id, avatar_path``,
the path relative to ``DIR``):

* ``ai_face``: a file from the fake-face folder, copied byte for byte (its alignment is the evidence).  When a
  campaign needs more faces than the folder holds, the second round uses mirrored copies (the eyes stay at
  their template positions); later rounds repeat files.
* ``photo``: a real photo from the real-face folder, as a platform would store it: a square crop at a random
  position, sometimes mirrored, 400 x 400 JPEG.  Thousands of organic accounts share a folder of a few hundred
  photos, so each account gets its own crop; the crops of one photo still look alike.
* ``reused``: one picture (made like a photo) shared by a group: fans using their celebrity's photo, or
  campaign accounts sharing a stolen picture.  The celebrity itself shows the same file.
* ``cartoon``: a small PNG drawn here (a mascot face or a logo).
* ``none``: the default picture; nothing is written.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from .ids import rng_for
from .world import AVATAR_KINDS, World

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
SIZE = 400


def image_files(folder: Path) -> list[Path]:
    """Image files under ``folder`` (recursively), sorted; raises ``ValueError`` when there are none."""
    files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    if not files:
        raise ValueError(f"{folder}: no .jpg/.jpeg/.png images here")
    return files


def safe_name(account_id: str) -> str:
    """A file name for an account id (hashed ids hold ``/`` and ``+``, DIDs hold ``:``)."""
    return account_id.replace("/", "_").replace("+", "-").replace(":", "_")


def write_avatars(out_dir: Path, world: World, platform: str, account_ids: list[str], present: np.ndarray,
                  fake_dir: Path, real_dir: Path) -> Path:
    """Write the picture of every present account with an avatar, and ``avatars.csv``; returns the CSV path."""
    fakes, reals = image_files(fake_dir), image_files(real_dir)
    rng = rng_for(world.seed, "avatar-order")
    fakes = [fakes[i] for i in rng.permutation(len(fakes))]
    reals = [reals[i] for i in rng.permutation(len(reals))]
    folder = out_dir / "avatars"
    shutil.rmtree(folder, ignore_errors=True)  # pictures of an earlier run would not match the new ids
    folder.mkdir(parents=True)
    acc = world.accounts
    groups: dict[int, bytes] = {}
    used = {"ai_face": 0, "photo": 0}
    rows = []
    for i in np.flatnonzero(present):
        kind = AVATAR_KINDS[acc.avatar[i]]
        if kind == "none":
            continue
        group = int(acc.avatar_group[i])
        suffix = ".png" if kind == "cartoon" else ".jpg"
        target = folder / (safe_name(account_ids[i]) + suffix)
        if group >= 0:
            if group not in groups:
                groups[group] = _photo(reals[group % len(reals)], rng_for(world.seed, "avatar-group", group))
            target.write_bytes(groups[group])
        elif kind == "ai_face":
            k = used["ai_face"]
            used["ai_face"] += 1
            source = fakes[k % len(fakes)]
            if k // len(fakes) == 1:
                target.write_bytes(_mirrored(source))
            else:
                shutil.copyfile(source, target)
        elif kind == "photo":
            k = used["photo"]
            used["photo"] += 1
            target.write_bytes(_photo(reals[k % len(reals)], rng_for(world.seed, "avatar", int(i))))
        else:
            target.write_bytes(_cartoon(rng_for(world.seed, "avatar", int(i))))
        rows.append((platform, account_ids[i], f"avatars/{target.name}"))
    path = out_dir / "avatars.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("platform", "account_id", "avatar_path"))
        writer.writerows(sorted(rows))
    return path


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _mirrored(source: Path) -> bytes:
    with Image.open(source) as image:
        return _jpeg(ImageOps.mirror(image), 90)


def _photo(source: Path, rng: np.random.Generator) -> bytes:
    """A square crop (80-100 % of the short side, random position), mirrored half the time, 400 x 400."""
    with Image.open(source) as image:
        image.draft("RGB", (SIZE * 2, SIZE * 2))
        w, h = image.size
        side = int(min(w, h) * rng.uniform(0.8, 1.0))
        x, y = int(rng.integers(0, w - side + 1)), int(rng.integers(0, h - side + 1))
        square = image.crop((x, y, x + side, y + side)).resize((SIZE, SIZE), Image.Resampling.BILINEAR)
        if rng.random() < 0.5:
            square = ImageOps.mirror(square)
        return _jpeg(square, int(rng.integers(78, 93)))


def _cartoon(rng: np.random.Generator) -> bytes:
    """A flat cartoon: a round mascot face, or a geometric logo on a coloured background."""
    size = 200
    colour = tuple(int(c) for c in rng.integers(40, 230, 3))
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    ink = tuple(255 - c for c in colour)
    if rng.random() < 0.6:
        skin = tuple(int(c) for c in rng.integers(150, 256, 3))
        r = int(rng.integers(60, 85))
        draw.ellipse((100 - r, 105 - r, 100 + r, 105 + r), fill=skin, outline=ink, width=3)
        eye = int(rng.integers(6, 14))
        gap = int(rng.integers(20, 34))
        for cx in (100 - gap, 100 + gap):
            draw.ellipse((cx - eye, 90 - eye, cx + eye, 90 + eye), fill=(20, 20, 20))
        draw.arc((70, 100, 130, 150), 20, 160, fill=(20, 20, 20), width=4)
        hair = tuple(int(c) for c in rng.integers(0, 256, 3))
        draw.chord((100 - r, 105 - r - 10, 100 + r, 105 + r - 40), 180, 360, fill=hair)
    else:
        for _ in range(int(rng.integers(1, 4))):
            x0, y0 = (int(v) for v in rng.integers(20, 110, 2))
            x1, y1 = x0 + int(rng.integers(40, 90)), y0 + int(rng.integers(40, 90))
            shape = draw.rectangle if rng.random() < 0.5 else draw.ellipse
            shape((x0, y0, x1, y1), fill=tuple(int(c) for c in rng.integers(0, 256, 3)), outline=ink, width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
