"""Profile photos: safe loading, the eye template per back end, pHash near-duplicates, workspace outputs."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("dlib")
pytest.importorskip("cv2")

from unmask.personas.faces.analyze import COLUMNS, analyze_image  # noqa: E402
from unmask.personas.faces.backends import get_backend  # noqa: E402
from unmask.personas.faces.cluster import blend_sharpness  # noqa: E402
from unmask.personas.faces.images import LoadedImage, SkippedImage, load_image  # noqa: E402
from unmask.personas.faces.phash import hamming, near_duplicate_groups, phash  # noqa: E402
from unmask.personas.faces.pipeline import analyze_faces  # noqa: E402
from unmask.workspace import Workspace  # noqa: E402

FAKE = ("stylegan1-teaser", "stylegan2-teaser", "stylegan2ada-ffhq")
UNALIGNED = ("dlib-examples", "face-recognition-examples", "faceapi-examples")


@pytest.fixture(scope="module")
def dlib_backend():
    return get_backend("dlib")


def _first(folder: Path, n: int) -> list[Path]:
    return sorted(folder.glob("*.jpg"))[:n]


def _as_served(path: Path, out: Path, side: int = 400, quality: int = 75) -> Path:
    """The image as a platform serves it: resized to ``side`` pixels, JPEG at ``quality``."""
    image = Image.open(path).convert("RGB")
    image = image.resize((side, round(image.height * side / image.width)), Image.LANCZOS)
    image.save(out, "JPEG", quality=quality)
    return out


# --- bad images: skipped with a reason or handled, never a crash -------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_truncated_jpeg_is_skipped(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.fromarray(np.full((200, 200, 3), 128, np.uint8)).save(buffer, "JPEG", quality=90)
    path = tmp_path / "truncated.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    result = load_image(path)
    assert isinstance(result, SkippedImage) and "unreadable" in result.reason


def test_not_an_image_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "avatar.jpg"
    path.write_text("<html>not found</html>")
    result = load_image(path)
    assert isinstance(result, SkippedImage) and result.reason.startswith("not an image")


def test_empty_and_missing_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    assert load_image(tmp_path / "empty.png").reason == "empty file"  # type: ignore[union-attr]
    assert "cannot read" in load_image(tmp_path / "missing.png").reason  # type: ignore[union-attr]


def test_decompression_bomb_header_is_skipped_before_decoding(tmp_path: Path) -> None:
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    path = tmp_path / "bomb.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + _png_chunk(b"IEND", b""))
    result = load_image(path)
    assert isinstance(result, SkippedImage) and "decompression bomb" in result.reason


def test_huge_dimensions_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    Image.new("L", (21_000, 2), 0).save(path)
    result = load_image(path)
    assert isinstance(result, SkippedImage) and "exceeds the limit" in result.reason


def test_cmyk_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (64, 64), (0, 255, 255, 0)).save(path, "JPEG")
    result = load_image(path)
    assert isinstance(result, LoadedImage) and result.rgb.shape == (64, 64, 3)
    assert "CMYK converted to RGB" in result.notes
    red, green, blue = result.rgb[32, 32]
    assert red > 200 and green < 60 and blue < 60


def test_exif_rotation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (60, 40), (10, 20, 30)).save(path, "JPEG", exif=exif)
    result = load_image(path)
    assert isinstance(result, LoadedImage) and (result.width, result.height) == (40, 60)
    assert "EXIF rotation applied" in result.notes


def test_alpha_and_palette_become_rgb(tmp_path: Path) -> None:
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(tmp_path / "clear.png")
    Image.new("P", (10, 10), 3).save(tmp_path / "palette.gif")
    clear, palette = load_image(tmp_path / "clear.png"), load_image(tmp_path / "palette.gif")
    assert isinstance(clear, LoadedImage) and clear.rgb[0, 0].tolist() == [255, 255, 255]
    assert isinstance(palette, LoadedImage) and palette.rgb.shape == (10, 10, 3)


def test_bad_image_row_says_why(tmp_path: Path, dlib_backend) -> None:
    path = tmp_path / "junk.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nrubbish")
    result = analyze_image(path, dlib_backend)
    assert result.skipped and not result.face_found and not result.flagged
    assert result.reason.startswith("skipped: ")


def test_blank_image_has_no_face(tmp_path: Path, dlib_backend) -> None:
    path = tmp_path / "blank.png"
    Image.new("RGB", (256, 256), (90, 120, 200)).save(path)
    result = analyze_image(path, dlib_backend)
    assert not result.face_found and result.reason == "no face found" and result.phash


# --- the template on real data --------------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAKE)
def test_stylegan_faces_sit_at_the_template(shared_data: Path, tmp_path: Path, dlib_backend, family: str) -> None:
    for index, path in enumerate(_first(shared_data / "faces" / "fake" / family, 2)):
        result = analyze_image(_as_served(path, tmp_path / f"{index}.jpg"), dlib_backend)
        assert result.face_found and result.flagged, result.reason
        assert result.template_distance is not None and result.template_distance <= 0.02
        assert "real photos cropped the FFHQ way match too" in result.reason
        assert abs(result.eye_gap - 0.246) < 0.02


@pytest.mark.parametrize("source", UNALIGNED)
def test_unaligned_real_photos_are_not_flagged(shared_data: Path, dlib_backend, source: str) -> None:
    for path in _first(shared_data / "faces" / "real" / source, 3):
        result = analyze_image(path, dlib_backend)
        assert not result.flagged, (path, result.reason)


def test_haar_backend_finds_the_template_too(shared_data: Path, tmp_path: Path) -> None:
    haar = get_backend("haar")
    path = _first(shared_data / "faces" / "fake" / "stylegan2ada-ffhq", 1)[0]
    result = analyze_image(_as_served(path, tmp_path / "served.jpg"), haar)
    assert result.backend == "haar" and result.flagged, result.reason
    unaligned = analyze_image(_first(shared_data / "faces" / "real" / "faceapi-examples", 1)[0], haar)
    assert not unaligned.flagged


def test_exif_rotated_stylegan_face_is_turned_upright(shared_data: Path, tmp_path: Path, dlib_backend) -> None:
    source = _first(shared_data / "faces" / "fake" / "stylegan2ada-ffhq", 1)[0]
    path = tmp_path / "sideways.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": store the pixels turned the other way
    Image.open(source).convert("RGB").rotate(90, expand=True).save(path, "JPEG", quality=90, exif=exif)
    result = analyze_image(path, dlib_backend)
    assert result.flagged and "EXIF rotation applied" in result.notes


# --- perceptual hashes ----------------------------------------------------------------------------------------


def test_phash_survives_resize_and_recompression(shared_data: Path, tmp_path: Path) -> None:
    first, second = _first(shared_data / "faces" / "fake" / "stylegan2ada-ffhq", 2)
    copy = _as_served(first, tmp_path / "copy.jpg", side=200, quality=40)
    hashes = {name: phash(load_image(p).rgb) for name, p in  # type: ignore[union-attr]
              {"original": first, "copy": copy, "other": second}.items()}
    assert hamming(hashes["original"], hashes["copy"]) <= 8
    assert hamming(hashes["original"], hashes["other"]) > 8
    groups = near_duplicate_groups(hashes)
    assert groups["original"] == groups["copy"] != groups["other"]


def test_near_duplicate_groups_are_transitive_and_exact() -> None:
    hashes = {"a": "0" * 16, "b": "00000000000000ff", "c": "000000000000ffff", "d": "ffffffffffffffff"}
    groups = near_duplicate_groups(hashes)
    assert groups["a"] == groups["b"] == groups["c"] != groups["d"]
    assert near_duplicate_groups(hashes, max_distance=7)["a"] != near_duplicate_groups(hashes, max_distance=7)["b"]


def test_phash_is_deterministic_and_64_bits() -> None:
    rng = np.random.default_rng(0)
    image = (rng.random((64, 64, 3)) * 255).astype(np.uint8)
    assert phash(image) == phash(image.copy()) and len(phash(image)) == 16


# --- network level and the workspace --------------------------------------------------------------------------


def test_blend_keeps_stylegan_eyes_and_blurs_unaligned_photos(shared_data: Path) -> None:
    gan = [load_image(p) for p in _first(shared_data / "faces" / "fake" / "stylegan2ada-ffhq", 12)]
    real = [load_image(p) for p in _first(shared_data / "faces" / "real" / "face-recognition-examples", 12)]
    assert blend_sharpness(gan) > blend_sharpness(real)  # type: ignore[operator]


def test_workspace_faces_tables_phash_and_pngs(shared_data: Path, case_dir: Path, tmp_path: Path) -> None:
    fakes = _first(shared_data / "faces" / "fake" / "stylegan2ada-ffhq", 3)
    real = _first(shared_data / "faces" / "real" / "faceapi-examples", 1)[0]
    reused = _as_served(fakes[0], tmp_path / "reused.jpg", side=256, quality=60)
    avatars = {"a1": fakes[0], "a2": fakes[1], "a3": fakes[2], "a4": reused, "a5": real, "a6": tmp_path / "gone.jpg"}
    with Workspace(case_dir) as ws:
        for account, path in avatars.items():
            ws.con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('twitter', ?, ?)",
                           [account, account])
            ws.con.execute("INSERT INTO media (platform, media_id, account_id, kind, local_path) "
                           "VALUES ('twitter', ?, ?, 'avatar', ?)", [f"avatar:{account}", account, str(path)])
        ws.con.execute("CREATE TABLE account_scores AS SELECT platform, account_id, "
                       "CASE WHEN account_id IN ('a1', 'a2', 'a3') THEN 7 ELSE 8 END AS cluster_id FROM accounts")
        table = analyze_faces(ws.con, "dlib")
        rows = {r["account_id"]: r for r in table.to_pylist()}
        assert table.column_names[3: 3 + len(COLUMNS)] == [name for name, _ in COLUMNS]
        assert rows["a1"]["flagged"] and not rows["a5"]["flagged"]
        assert rows["a6"]["skipped"] and "cannot read" in rows["a6"]["reason"]
        assert rows["a1"]["reuse_accounts"] == rows["a4"]["reuse_accounts"] == 2
        assert rows["a2"]["reuse_accounts"] == 1
        hashed = ws.con.execute("SELECT count(*) FROM media WHERE phash IS NOT NULL").fetchall()[0][0]
        assert hashed == 5
        clusters = {r[0]: r for r in ws.con.execute(
            "SELECT cluster_id, template_share, montage_png, blend_png FROM face_clusters").fetchall()}
        assert set(clusters) == {"all", "7", "8"} and clusters["7"][1] == 1.0
        assert Path(clusters["7"][2]).is_file() and Path(clusters["7"][3]).parent == case_dir / "faces"


def test_faces_table_of_plain_paths_has_the_documented_columns(tmp_path: Path) -> None:
    Image.new("RGB", (32, 32)).save(tmp_path / "x.png")
    table = analyze_faces([tmp_path / "x.png"], "haar")
    assert table.column_names[:10] == ["path", "face_found", "template_distance", "eye_left_x", "eye_left_y",
                                       "eye_right_x", "eye_right_y", "ai_face_score", "flagged", "reason"]


def test_faces_command_writes_csv_and_pngs(shared_data: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from unmask.cli import app

    folder = tmp_path / "avatars"
    folder.mkdir()
    _as_served(_first(shared_data / "faces" / "fake" / "stylegan1-teaser", 1)[0], folder / "a.jpg")
    (folder / "broken.jpg").write_bytes(b"GIF89a")
    out = tmp_path / "faces.csv"
    result = CliRunner().invoke(app, ["faces", str(folder), "--out", str(out), "--png-dir", str(tmp_path / "png")])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("path,face_found,template_distance,eye_left_x")
    assert len(lines) == 3 and ",true," in lines[1] and "skipped: not an image" in lines[2]
    assert (tmp_path / "png" / "montage.png").is_file()
