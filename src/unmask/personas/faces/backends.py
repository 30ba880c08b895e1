"""Offline face and eye locators behind one small interface, each with its own eye template.

* ``dlib``: dlib's HOG face detector and the 5-point landmark model shipped inside the
  ``face-recognition-models`` wheel (eye position = midpoint of the two eye-corner points).
* ``haar``: OpenCV's Haar cascades shipped inside ``opencv-python-headless<5`` (face, then the eye cascade in the
  face's upper half; eye position = centre of the eye box).  Lighter, less precise: it gets a wider tolerance.

No back end downloads anything.  ``get_backend("auto")`` takes dlib when it is installed, else Haar.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image

from . import FacesUnavailable
from .template import Template

Point = tuple[float, float]

# Measured on faces/fake/sfhq-stylegan2 (200 images, 400 px, JPEG q75) by `python eval/eval_faces.py --calibrate`
# (re-measurements move them by less than 0.001); the other StyleGAN folders are held out.
DLIB_TEMPLATE = Template("dlib", left=(0.3765, 0.4745), right=(0.6219, 0.4743), tolerance=0.02)
HAAR_TEMPLATE = Template("haar", left=(0.3685, 0.4672), right=(0.6147, 0.4664), tolerance=0.03)


DETECT_SIDE = 320


@dataclass(frozen=True)
class Detection:
    """The largest face in an image: its box, and its eyes in pixels (image-left first) when located."""

    faces: int
    box: tuple[int, int, int, int]
    left_eye: Point | None
    right_eye: Point | None


class Backend(Protocol):
    """A face and eye locator."""

    name: str
    template: Template

    def detect(self, rgb: np.ndarray) -> Detection | None:
        """The largest face of an RGB ``uint8`` image with its eyes, or None when no face is found."""
        ...


class DlibBackend:
    """dlib HOG face detector + 5-point landmarks (eye-corner midpoints)."""

    name = "dlib"
    template = DLIB_TEMPLATE

    def __init__(self) -> None:
        import dlib

        self._dlib = dlib
        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(str(_five_point_model()))

    def detect(self, rgb: np.ndarray) -> Detection | None:
        """The largest face with eye positions from the 5-point model.

        Faces are searched on a copy at most :data:`DETECT_SIDE` pixels a side (a template face spans about half
        the image, far above the detector's 80-pixel minimum), then on the full working image when none is
        found there; landmarks are always placed on the full image.
        """
        rects, scale = [], 1.0
        if max(rgb.shape[:2]) > DETECT_SIDE:
            scale = max(rgb.shape[:2]) / DETECT_SIDE
            small = Image.fromarray(rgb).resize((round(rgb.shape[1] / scale), round(rgb.shape[0] / scale)),
                                                Image.BILINEAR)
            rects = list(self._detector(np.asarray(small), 0))
        if not rects:
            rects, scale = list(self._detector(rgb, 0)), 1.0
        if not rects:
            return None
        found = max(rects, key=lambda r: (r.area(), -r.left(), -r.top()))
        rect = self._dlib.rectangle(round(found.left() * scale), round(found.top() * scale),
                                    round(found.right() * scale), round(found.bottom() * scale))
        shape = self._predictor(rgb, rect)
        points = [(shape.part(i).x, shape.part(i).y) for i in range(4)]
        first = ((points[0][0] + points[1][0]) / 2, (points[0][1] + points[1][1]) / 2)
        second = ((points[2][0] + points[3][0]) / 2, (points[2][1] + points[3][1]) / 2)
        left, right = sorted((first, second))
        box = (rect.left(), rect.top(), rect.width(), rect.height())
        return Detection(len(rects), box, left, right)


class HaarBackend:
    """OpenCV Haar cascades: frontal face, then one eye in each half of the face's upper part (box centres)."""

    name = "haar"
    template = HAAR_TEMPLATE

    def __init__(self) -> None:
        import cv2

        folder = Path(cv2.data.haarcascades)
        self._cv2 = cv2
        self._face = cv2.CascadeClassifier(str(folder / "haarcascade_frontalface_default.xml"))
        self._eyes = [cv2.CascadeClassifier(str(folder / name))
                      for name in ("haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml")]
        if self._face.empty() or any(c.empty() for c in self._eyes):
            raise FacesUnavailable(f"OpenCV Haar cascade files missing in {folder} (install opencv-python-headless<5)")

    def detect(self, rgb: np.ndarray) -> Detection | None:
        """The largest frontal face with the centres of the best eye box in each half of its upper part."""
        grey = self._cv2.cvtColor(rgb, self._cv2.COLOR_RGB2GRAY)
        side = min(grey.shape)
        faces = self._face.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(side // 8, side // 8))
        if len(faces) == 0:
            return None
        x, y, w, h = (int(v) for v in max(faces, key=lambda f: (f[2] * f[3], -f[0], -f[1])))
        upper = grey[y: y + h * 6 // 10, x: x + w]
        left = right = None
        for cascade in self._eyes:
            boxes = cascade.detectMultiScale(upper, scaleFactor=1.05, minNeighbors=3,
                                             minSize=(w // 8, w // 8), maxSize=(w // 3, w // 3))
            centres = [(x + ex + ew / 2, y + ey + eh / 2, ew * eh) for ex, ey, ew, eh in boxes]
            left = _largest([c for c in centres if c[0] < x + w / 2])
            right = _largest([c for c in centres if c[0] >= x + w / 2])
            if left and right:
                break
        if not (left and right):
            return Detection(len(faces), (x, y, w, h), None, None)
        return Detection(len(faces), (x, y, w, h), left, right)


def _largest(centres: list[tuple[float, float, float]]) -> Point | None:
    if not centres:
        return None
    cx, cy, _ = max(centres, key=lambda c: (c[2], -c[0], -c[1]))
    return (cx, cy)


def _five_point_model() -> Path:
    """Path of dlib's 5-point model inside the face-recognition-models wheel, found without importing it.

    Importing ``face_recognition_models`` needs ``pkg_resources`` (setuptools), which recent environments lack;
    the model file is data, so its folder is located from the package spec instead.
    """
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FacesUnavailable("face-recognition-models is not installed (pip install 'unmask[faces]')")
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / "shape_predictor_5_face_landmarks.dat"
    if not path.is_file():
        raise FacesUnavailable(f"dlib 5-point model missing at {path}")
    return path


BACKENDS: dict[str, type[DlibBackend] | type[HaarBackend]] = {"dlib": DlibBackend, "haar": HaarBackend}


def get_backend(name: str = "auto") -> Backend:
    """An instance of back end ``name`` (``dlib``, ``haar``), or for ``auto`` the first one that can run."""
    if name != "auto":
        if name not in BACKENDS:
            raise ValueError(f"unknown face back end {name!r}; choose from auto, {', '.join(BACKENDS)}")
        try:
            return BACKENDS[name]()
        except ImportError as exc:
            raise FacesUnavailable(f"face back end {name!r} needs {exc.name} (pip install 'unmask[faces]')") from exc
    problems = []
    for candidate in BACKENDS.values():
        try:
            return candidate()
        except (ImportError, FacesUnavailable) as exc:
            problems.append(f"{candidate.name}: {exc}")
    raise FacesUnavailable("no face back end can run: " + "; ".join(problems))
