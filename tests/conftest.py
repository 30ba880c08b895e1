"""Shared fixtures: where the real data sets live, and fresh case folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("UNMASK_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real data sets (../shared/data); tests using it skip when it is absent (a user's clone)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data sets not found at {SHARED_DATA} (set UNMASK_SHARED_DATA to run these tests)")
    return SHARED_DATA


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """An empty case folder."""
    return tmp_path / "case"
