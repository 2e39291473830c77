"""Page triage (stub): text layer or OCR, with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .layout import PageLayout
from .lexicon import Lexicon
from .options import Options


def read_pages_best_way(
    path: str | Path, pages: Sequence[PageLayout], options: Options, lexicon: Lexicon
) -> list[PageLayout]:
    return list(pages)
