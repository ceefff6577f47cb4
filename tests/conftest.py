"""Shared fixtures: the repository root and the built website."""

from pathlib import Path

import pytest
from filelock import FileLock

from rnncourse.site import ROOT, build_book


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def book_build_lock() -> FileLock:
    """Held by every build of the website at the root: parallel workers take turns."""
    return FileLock(ROOT / "_build" / "build.lock")


@pytest.fixture(scope="session")
def site() -> Path:
    """The website built from this checkout (once; parallel workers wait for it)."""
    (ROOT / "_build").mkdir(exist_ok=True)
    with book_build_lock():
        result = build_book()
    assert result.returncode == 0, f"the book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return ROOT / "_build" / "html"
