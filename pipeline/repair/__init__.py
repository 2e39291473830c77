"""The repair stage (stub until the repair issue lands): text in, repaired text and records out."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..model import Repair


@dataclass(frozen=True, slots=True)
class RepairResult:
    text: str
    records: list[Repair] = field(default_factory=list)


def repair_text(text: str, *, page: int = 1, lexicon: Lexicon | None = None) -> RepairResult:
    """Repair one page's text (lines joined by newlines); the number of lines never changes."""
    return RepairResult(text=text)
