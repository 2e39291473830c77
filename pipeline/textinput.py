"""Already-extracted text as pages of lines (stub)."""
from __future__ import annotations

from .layout import Line, PageLayout


def read_text_pages(text: str) -> tuple[PageLayout, ...]:
    lines = tuple(Line(t, 0, 0, 0, 0, 0, False) for t in text.split("\n"))
    return (PageLayout(1, None, None, lines, reason="text input"),)
