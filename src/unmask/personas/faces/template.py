"""The StyleGAN/FFHQ eye template and the per-image verdict.

StyleGAN 1, 2 and 2-ADA were trained on FFHQ, whose photos were cropped so that the eyes sit at fixed places;
the generators reproduce that crop, so their faces put the eyes at the same relative positions in every image.
Each landmark model marks "the eye" a little differently (dlib's 5-point model gives eye-corner midpoints,
a Haar eye box gives roughly the iris centre), so each back end carries its own template, measured on the
MIT-licensed SFHQ StyleGAN2 set (``python eval/eval_faces.py --calibrate`` prints the numbers) and checked on
the other StyleGAN families.  The test detects the alignment, not the synthesis: real photos cropped the FFHQ
way (FFHQ itself, CelebA-HQ, face-restoration output) match too, and every verdict says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

REAL_CROPS_CAVEAT = "note: real photos cropped the FFHQ way match too"
MIN_SQUARENESS = 0.9


@dataclass(frozen=True)
class Template:
    """Where a landmark back end finds the eyes of an FFHQ-aligned face, as fractions of width and height."""

    backend: str
    left: tuple[float, float]
    right: tuple[float, float]
    tolerance: float

    @property
    def eye_gap(self) -> float:
        """Horizontal distance between the eyes, as a fraction of the width."""
        return self.right[0] - self.left[0]


@dataclass(frozen=True)
class EyeGeometry:
    """Eye positions of one face (fractions of the image size) and how they relate to a template."""

    left: tuple[float, float]
    right: tuple[float, float]
    template_distance: float
    eye_gap: float
    tilt_degrees: float
    squareness: float


def measure(left_px: tuple[float, float], right_px: tuple[float, float], width: int, height: int,
            template: Template) -> EyeGeometry:
    """Normalise pixel eye positions by the image size and compare them with ``template``.

    The template distance is the larger of the two eyes' Euclidean distances to their template positions,
    in fractions of the image side, so both eyes must sit in place for a small distance.
    """
    left = (left_px[0] / width, left_px[1] / height)
    right = (right_px[0] / width, right_px[1] / height)
    distance = max(math.dist(left, template.left), math.dist(right, template.right))
    tilt = math.degrees(math.atan2(right_px[1] - left_px[1], right_px[0] - left_px[0]))
    return EyeGeometry(
        left=left, right=right, template_distance=distance, eye_gap=right[0] - left[0],
        tilt_degrees=tilt, squareness=min(width, height) / max(width, height),
    )


def ai_face_score(geometry: EyeGeometry, template: Template) -> float:
    """A score in [0, 1]: 1 with the eyes exactly at the template, 0.5 at the tolerance, 0 at twice it."""
    score = 1.0 - geometry.template_distance / (2.0 * template.tolerance)
    if geometry.squareness < MIN_SQUARENESS:
        score *= geometry.squareness
    return round(min(1.0, max(0.0, score)), 4)


def verdict(geometry: EyeGeometry, template: Template) -> tuple[bool, str]:
    """Whether the face matches the template, and the reason in words (naming the real-crop caveat)."""
    distance = f"distance {geometry.template_distance:.3f}"
    if geometry.template_distance > template.tolerance:
        return False, f"face found; eyes away from the StyleGAN/FFHQ template ({distance}, {template.backend})"
    if geometry.squareness < MIN_SQUARENESS:
        return False, (f"eyes near the StyleGAN/FFHQ template ({distance}) but the image is not square "
                       f"(squareness {geometry.squareness:.2f}); {REAL_CROPS_CAVEAT}")
    return True, f"eyes at the StyleGAN/FFHQ template positions ({distance}, {template.backend}); {REAL_CROPS_CAVEAT}"
