"""Shared paths and fixtures for the test suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

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


#: Under CI (CI=true, as GitHub Actions and most others set it) a test whose material is
#: missing fails instead of skipping: a measure must not silently vanish from the run.
IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")


def missing(what: str) -> NoReturn:
    """Skip the test for want of `what`, or fail it under CI."""
    if IN_CI:
        pytest.fail(f"{what} is not available (CI=true: the test cannot be skipped)")
    pytest.skip(f"{what} is not available")


#: Marks a test that runs Tesseract: skipped without it, except under CI, where it runs (and
#: fails on the missing dependency).
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None and not IN_CI, reason="needs Tesseract"
)


def shared_file(relative: str) -> Path:
    """A file or folder under ../shared; the test skips when this checkout has none beside it
    (fails under CI)."""
    path = SHARED / relative
    if not path.exists():
        missing(f"../shared/{relative}")
    return path


@pytest.fixture(scope="session")
def seed004() -> Path:
    return next(iter(sorted(shared_file("seeds").glob("004_*.txt"))))


@pytest.fixture(scope="session")
def seed000() -> Path:
    return next(iter(sorted(shared_file("seeds").glob("000_*.txt"))))


@pytest.fixture(scope="session")
def converted_json() -> Callable[[str], str]:
    """The JSON of a fixture PDF (by file name) converted in this process in the default mode,
    OCR pages two at a time; made once per session for every module that judges it."""
    from pipeline.batch.executors import convert_to_json
    from pipeline.options import Options

    made: dict[str, str] = {}

    def get(name: str) -> str:
        if name not in made:
            made[name] = convert_to_json(fixture_file(f"pdf/{name}"), name, Options(jobs=2))
        return made[name]

    return get
