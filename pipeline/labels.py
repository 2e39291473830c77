"""Margin labels back on their lines: agenda and paragraph numbers that OCR read as a column.

Minutes print their agenda numbers (`2`, `12`, `§ 3`) in a margin, a tab stop left of the
headings. Tesseract takes such a column of short labels for a text block of its own and puts
it before or after the text, so `12` and `15` land far from `Övriga frågor` and `Avslutning`.
A line that is a short label alone in its block, with a line of another block beside it at the
same height to its right (within a few ems), is put back at the start of that line: a rule
about the page's shape, not about the words.

Tesseract also drops a lone digit in such a margin (`2`, `3`): `find_lost_labels` looks for
label-sized ink left of a line where nothing was read, in a column of such ink, and reads it on
its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import regex
from PIL import Image

from .layout import Line, Word

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


#: A lost label's ink: at most this many ems wide, at least this share of the line's height.
LABEL_MAX_EMS = 2.5
LABEL_MIN_HEIGHT = 0.5
#: Labels found this close together (ems, left edges) form a column; a column needs two.
COLUMN_EMS = 1.0
MIN_COLUMN = 2
#: A pixel darker than this is ink.
INK = 128


def find_lost_labels(
    image: Image.Image,
    points_per_pixel: float,
    lines: Sequence[Line],
    read_crop: Callable[[Image.Image], str],
) -> tuple[Line, ...]:
    """`lines` with the labels OCR dropped put back: ink left of a line (a few ems, nothing
    read there) that sits in a column of such ink, read on its own with `read_crop` (a
    Tesseract call for one short line), kept when it reads as a label (`12`, `§ 3`, `b)`)."""
    candidates: list[tuple[int, tuple[int, int, int, int]]] = []
    for k, line in enumerate(lines):
        box = _margin_ink(image, points_per_pixel, line, lines)
        if box is not None:
            candidates.append((k, box))
    if len(candidates) < MIN_COLUMN:
        return tuple(lines)
    out = list(lines)
    for k, box in candidates:
        size_px = lines[k].size / points_per_pixel
        column = [b for _, b in candidates if abs(b[0] - box[0]) <= COLUMN_EMS * size_px]
        if len(column) < MIN_COLUMN:
            continue
        pad = round(size_px / 2)
        crop = image.crop((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad))
        text = " ".join(read_crop(crop).split())
        if not _LABEL.fullmatch(text):
            continue
        x0, top, x1, bottom = (round(v * points_per_pixel, 2) for v in box)
        word = Word(text, x0, top, x1, bottom, lines[k].size, lines[k].bold)
        label = Line(text, x0, top, x1, bottom, lines[k].size, lines[k].bold, words=(word,))
        out[k] = _prefixed(label, out[k])
    return tuple(out)


def _margin_ink(
    image: Image.Image, points_per_pixel: float, line: Line, lines: Sequence[Line]
) -> tuple[int, int, int, int] | None:
    """The box (pixels) of the ink left of `line` where nothing was read, if it is label-sized."""
    size = max(line.size, 1.0)
    left_pt = max(0.0, line.x0 - MAX_GAP_EMS * size)
    right_pt = line.x0 - 0.5 * size
    if right_pt - left_pt < size:
        return None
    for other in lines:  # something was read there: nothing is missing
        if other is not line and other.x1 > left_pt and other.x0 < right_pt:
            if min(other.bottom, line.bottom) > max(other.top, line.top):
                return None
    x_left, y_top, x_right, y_bottom = (
        round(v / points_per_pixel) for v in (left_pt, line.top, right_pt, line.bottom)
    )
    box = (x_left, y_top, x_right, y_bottom)
    strip = image.crop(box).point(lambda v: 255 if v < INK else 0)
    ink = strip.getbbox()
    if ink is None:
        return None
    x0, top, x1, bottom = ink[0] + box[0], ink[1] + box[1], ink[2] + box[0], ink[3] + box[1]
    size_px = size / points_per_pixel
    if x1 - x0 > LABEL_MAX_EMS * size_px or bottom - top < LABEL_MIN_HEIGHT * (box[3] - box[1]):
        return None
    return (x0, top, x1, bottom)
