"""The repair modules' doctests (small pure functions, examples in Swedish) run with the suite."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pipeline.lexicon",
    "pipeline.repair",
    "pipeline.repair.compounds",
    "pipeline.repair.confusion",
    "pipeline.repair.context",
    "pipeline.repair.corrupt",
    "pipeline.repair.diacritics",
    "pipeline.repair.english",
    "pipeline.repair.glyphs",
    "pipeline.repair.hyphenation",
    "pipeline.repair.records",
    "pipeline.repair.splitting",
    "pipeline.repair.stripping",
    "pipeline.repair.unicode",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0
