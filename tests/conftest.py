"""Shared paths and fixtures for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

# The suite runs the package as plain Python (the doctests read the sources' docstrings);
# tests/test_native.py compares the compiled repair modules with it, when they are built.
os.environ.setdefault("NEWSLETTER_PURE_PYTHON", "1")

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"


def fixture_file(path: str | Path) -> Path:
    """A fixture file (a path, or one relative to fixtures/), or skip the test when it has not
    been made (`make fixtures`)."""
    path = FIXTURES / path if isinstance(path, str) else path
    if not path.exists():
        pytest.skip(f"{path.name} missing: run `make fixtures`")
    return path


def shared_file(relative: str) -> Path:
    """A file under ../shared, or skip the test when this checkout has none beside it."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"../shared/{relative} is not available")
    return path


@pytest.fixture(scope="session")
def seed004() -> Path:
    return next(iter(sorted(shared_file("seeds").glob("004_*.txt"))))


@pytest.fixture(scope="session")
def seed000() -> Path:
    return next(iter(sorted(shared_file("seeds").glob("000_*.txt"))))
