"""How a text layer's own order runs against the columns its word boxes show.

The extract stage reads a page in the order of its word boxes (`columns`). A text layer also has
an order of its own, the order its characters are drawn in; an old OCR layer wrote its lines
as its OCR engine read them, sometimes straight across two columns. `crossing_lines` counts the
layer's own lines that run from one block into another beside it (across a column gutter): the
triage says so in the page's reason, and that the words were kept in the order of their boxes.

Pure geometry on character boxes (pdfplumber-style dicts, in drawing order) and `Line`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .layout import Line

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

# characters on one line of the layer's own order: their tops differ by less than this share of
# their size, and the next does not start far to the left of the last (a new line)
SAME_LINE = 0.5


def block_boxes(lines: Sequence[Line]) -> dict[int, Box]:
    """Each layout block's bounding box."""
    boxes: dict[int, Box] = {}
    for line in lines:
        box = boxes.get(line.block)
        if box is None:
            boxes[line.block] = (line.x0, line.top, line.x1, line.bottom)
        else:
            boxes[line.block] = (
                min(box[0], line.x0),
                min(box[1], line.top),
                max(box[2], line.x1),
                max(box[3], line.bottom),
            )
    return boxes


def _beside(a: Box, b: Box) -> bool:
    """Side by side: they share some height and no width."""
    return min(a[3], b[3]) > max(a[1], b[1]) and (a[2] <= b[0] or b[2] <= a[0])


def crossing_lines(chars: Sequence[dict[str, Any]], lines: Sequence[Line]) -> int:
    """How many lines of the layer's own drawing order run across a gutter between two blocks
    that stand side by side (0 when the page has no such blocks).

    >>> from pipeline.layout import Line
    >>> left = Line("a b", 0, 0, 40, 10, 10, False, block=0)
    >>> right = Line("c d", 60, 0, 100, 10, 10, False, block=1)
    >>> row = [{"text": t, "x0": x, "x1": x + 5, "top": 0, "bottom": 10, "size": 10}
    ...        for t, x in (("a", 0), ("b", 30), ("c", 60), ("d", 90))]
    >>> crossing_lines(row, [left, right]), crossing_lines(row[:2] + row[2:], [left])
    (1, 0)
    """
    boxes = block_boxes(lines)
    pairs = {
        (a, b)
        for a, box_a in boxes.items()
        for b, box_b in boxes.items()
        if a < b and _beside(box_a, box_b)
    }
    if not pairs:
        return 0
    crossing = 0
    seen: set[int] = set()  # blocks the current line of the layer has touched
    last: dict[str, Any] | None = None
    for char in chars:
        if char["text"].isspace():
            continue
        if last is not None and not _same_line(last, char):
            crossing += _crosses(seen, pairs)
            seen = set()
        block = _block_of(char, boxes)
        if block is not None:
            seen.add(block)
        last = char
    return crossing + _crosses(seen, pairs)


def _same_line(a: dict[str, Any], b: dict[str, Any]) -> bool:
    size = max(float(a["size"]), float(b["size"]), 1.0)
    return abs(float(a["top"]) - float(b["top"])) < SAME_LINE * size and float(b["x0"]) >= float(
        a["x0"]
    ) - size


def _block_of(char: dict[str, Any], boxes: dict[int, Box]) -> int | None:
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    for block, (x0, top, x1, bottom) in boxes.items():
        if x0 <= x <= x1 and top <= y <= bottom:
            return block
    return None


def _crosses(blocks: set[int], pairs: set[tuple[int, int]]) -> int:
    if len(blocks) < 2:
        return 0
    return int(any((a, b) in pairs for a in blocks for b in blocks if a < b))
