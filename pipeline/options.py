"""Options shared by `convert` and `batch`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .review.decisions import Decision

OcrMode = Literal["auto", "always", "never"]


@dataclass(frozen=True, slots=True)
class Options:
    ocr: OcrMode = "auto"
    lang: str = "swe+eng"
    dpi: int = 300
    jobs: int = 1  # processes for a file's OCR pages; 0 means all cores
    password: str | None = None
    repair: bool = True
    #: the archive's own words (`review.words`): known to the lexicon, never repaired
    words: tuple[str, ...] = ()
    #: a reviewer's decisions (`review.decisions`); each input takes those naming its sha256
    decisions: tuple[Decision, ...] = ()
