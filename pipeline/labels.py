"""Margin labels back on their lines: agenda and paragraph numbers that OCR read as a column.

Minutes print their agenda numbers (`2`, `12`, `§ 3`) in a margin, a tab stop left of the
headings. Tesseract takes such a column of short labels for a text block of its own and puts
it before or after the text, so `12` and `15` land far from `Övriga frågor` and `Avslutning`.
A line that is a short label alone in its block, with a line of another block beside it at the
same height to its right (within a few ems), is put back at the start of that line: a rule
about the page's shape, not about the words.

Pure geometry on `Line`s, in the order the OCR gave them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex

from .layout import Line

# a label: a number (with a dot, a closing bracket or a paragraph sign), or a letter with ) or .
_LABEL = regex.compile(r"(?:§\s?)?\d{1,3}[.)]?|\p{Ll}[.)]|[IVX]{1,4}\.")
#: A label is at most this many ems left of the line it belongs to.
MAX_GAP_EMS = 8.0
#: ... and shares at least this share of its height with it.
MIN_OVERLAP = 0.5


def attach_labels(lines: Sequence[Line]) -> tuple[Line, ...]:
    """`lines` with each margin label moved to the start of the line beside it."""
    per_block: dict[int, int] = {}
    for line in lines:
        per_block[line.block] = per_block.get(line.block, 0) + 1
    moved: dict[int, list[Line]] = {}  # index of the target line -> labels to put before it
    dropped: set[int] = set()
    for i, label in enumerate(lines):
        if per_block[label.block] != 1 or not _LABEL.fullmatch(label.text):
            continue
        target = _beside(label, lines)
        if target is not None:
            moved.setdefault(target, []).append(label)
            dropped.add(i)
    if not dropped:
        return tuple(lines)
    out: list[Line] = []
    for i, line in enumerate(lines):
        if i in dropped:
            continue
        for label in sorted(moved.get(i, []), key=lambda lab: lab.x0):
            line = _prefixed(label, line)
        out.append(line)
    return _renumbered(out)


def _beside(label: Line, lines: Sequence[Line]) -> int | None:
    """The nearest line of another block to the right of `label` at the same height."""
    size = max(label.size, label.bottom - label.top, 1.0)
    best: tuple[float, int] | None = None
    for k, line in enumerate(lines):
        if line.block == label.block or line.x0 <= label.x1:
            continue
        overlap = min(line.bottom, label.bottom) - max(line.top, label.top)
        shorter = min(line.bottom - line.top, label.bottom - label.top)
        if shorter <= 0 or overlap < MIN_OVERLAP * shorter:
            continue
        gap = line.x0 - label.x1
        if gap <= MAX_GAP_EMS * size and (best is None or gap < best[0]):
            best = (gap, k)
    return None if best is None else best[1]


def _prefixed(label: Line, line: Line) -> Line:
    return replace(
        line,
        text=f"{label.text} {line.text}",
        x0=min(label.x0, line.x0),
        top=min(label.top, line.top),
        bottom=max(label.bottom, line.bottom),
        words=label.words + line.words,
    )


def _renumbered(lines: list[Line]) -> tuple[Line, ...]:
    """Blocks numbered 0, 1, 2, … in order again (a label's own block is gone)."""
    numbers: dict[int, int] = {}
    return tuple(
        line if numbers.setdefault(line.block, len(numbers)) == line.block
        else replace(line, block=numbers[line.block])
        for line in lines
    )
