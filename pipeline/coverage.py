"""Where a page's image has printed text that its old OCR layer lacks.

An old OCR layer is judged by the words it has (`triage`); this module finds what it misses:
rows of character-sized ink on the rendered page, outside every word box of the layer. It works
on a low-resolution grayscale render with PIL alone: ink is thresholded, the layer's word boxes
are blanked, the rest is cut into connected components (runs of ink joined row to row), and
components of a character's height standing in a row on one baseline make a text-like line.
Handwriting (signatures, initials) is mostly strokes taller than a line or too few in a row;
what still passes is read with Tesseract and judged by its confidence and its words (`triage`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw

from .layout import Line, PageLayout, Word

__all__ = ["Region", "insert_lines", "truncated_ends", "uncovered_regions"]

# A pixel darker than this is ink.
INK = 128
# Character-sized components: their height against the layer's median text size (pixels).
CHAR_MIN_HEIGHT = 0.3
CHAR_MAX_HEIGHT = 1.3
CHAR_MAX_WIDTH = 3.0
# One printed line: components whose bottoms lie within this share of the text size, with
# gaps below this many text sizes, at least MIN_CHARS of them over MIN_WIDTH text sizes.
BASELINE = 0.35
MAX_GAP = 1.2
MIN_CHARS = 4
MIN_WIDTH = 3.0
# A line's end lost by the layer: character-sized ink starting within TAIL_START sizes after
# the line's last word and reaching TAIL to MAX_TAIL sizes beyond it (the layer's boxes end a
# little short of the ink: such slivers reach 0.6 of a size at most on the 2014 minutes, at
# 100 and 150 dpi, a lost `et` about one).
TAIL_START = 1.0
TAIL = 0.8
MAX_TAIL = 3.0
# Word boxes are blanked with this margin (share of their size): the layer's boxes are tight.
MARGIN = 0.25
# Rows centred in this share of the page at its top or bottom are furniture's place, not searched.
EDGE_BAND = 0.1
# A row whose ink overlaps a layer word's height by this share, within BESIDE text sizes of it
# across, belongs to that word's line.
ROW_OVERLAP = 0.5
BESIDE = 1.5

_RUN = re.compile(rb"\x01+")


@dataclass(frozen=True, slots=True)
class Region:
    """A text-like line of ink that no word of the layer covers, in PDF points."""

    x0: float
    top: float
    x1: float
    bottom: float
    chars: int  # character-sized components in it


@dataclass(slots=True)
class _Box:
    x0: int
    top: int
    x1: int  # exclusive
    bottom: int  # exclusive

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.x1 - self.x0


def uncovered_regions(image: Image.Image, dpi: float, page: PageLayout) -> list[Region]:
    """The text-like lines of ink on `image` (the page rendered at `dpi`) outside the word
    boxes of `page`'s lines, top to bottom.

    >>> from pipeline.layout import Line, Word
    >>> from PIL import ImageDraw
    >>> im = Image.new("L", (200, 100), 255)
    >>> draw = ImageDraw.Draw(im)
    >>> for x in range(20, 120, 12):
    ...     draw.rectangle((x, 40, x + 7, 48), fill=0)
    >>> line = Line("a", 0, 0, 10, 10, 10.0, False, words=(Word("a", 0, 0, 10, 10, 10.0, False),))
    >>> [r.chars for r in uncovered_regions(im, 72, PageLayout(1, 200, 100, (line,)))]
    [9]
    >>> word = Word("xx", 15, 35, 130, 58, 10.0, False)
    >>> covered = Line("xx", 15, 35, 130, 58, 10.0, False, words=(word,))
    >>> uncovered_regions(im, 72, PageLayout(1, 200, 100, (covered,)))
    []
    """
    words = [w for line in page.lines for w in (line.words or ())]
    sizes = sorted(w.size for w in words if w.size > 0)
    if not sizes:
        return []
    scale = dpi / 72.0
    size = sizes[len(sizes) // 2] * scale  # the layer's text size, in pixels
    chars = [box for box in _uncovered_ink(image, scale, page) if _char_sized(box, size)]
    regions = [
        Region(
            round(row[0].x0 / scale, 2),
            round(min(b.top for b in row) / scale, 2),
            round(max(b.x1 for b in row) / scale, 2),
            round(max(b.bottom for b in row) / scale, 2),
            len(row),
        )
        for row in _rows(chars, size)
    ]
    return [
        r for r in regions
        if not _in_margin_band(r, page.height) and not _beside_a_word(r, words, size / scale)
    ]


def _in_margin_band(region: Region, height: float | None) -> bool:
    """A row centred in the top or bottom tenth of the page: running titles, footers and page
    numbers live there, and the extract stage leaves them out of the text anyway."""
    if not height:
        return False
    centre = (region.top + region.bottom) / 2
    return not EDGE_BAND * height <= centre <= (1 - EDGE_BAND) * height


def _beside_a_word(region: Region, words: Sequence[Word], size: float) -> bool:
    """Ink on the baseline of a layer word, within BESIDE text sizes of it: part of a line the
    layer has (a hyphenated word's tail its box does not reach), not a line it lacks."""
    for w in words:
        overlap = min(w.bottom, region.bottom) - max(w.top, region.top)
        if overlap <= ROW_OVERLAP * min(w.bottom - w.top, region.bottom - region.top):
            continue
        gap = max(w.x0 - region.x1, region.x0 - w.x1)
        if gap <= BESIDE * size:
            return True
    return False


def truncated_ends(image: Image.Image, dpi: float, page: PageLayout) -> list[tuple[int, Region]]:
    """The lines of `page` whose last word stops short of its ink: character-sized ink right
    after the line's end, on its baseline, reaching TAIL to MAX_TAIL of its size beyond it (a
    word the layer read without its ending). Each as (index of the line, region of its last
    word with the ink after it), in points."""
    scale = dpi / 72.0
    ink = _uncovered_ink(image, scale, page)
    found = []
    for index, line in enumerate(page.lines):
        if not line.words or line.size <= 0:
            continue
        size = line.size * scale
        end, bottom = line.x1 * scale, line.bottom * scale
        tail = [
            b
            for b in ink
            if _char_sized(b, size)
            and end - 0.2 * size <= b.x0 <= end + TAIL_START * size
            and abs(b.bottom - bottom) <= BASELINE * size
        ]
        reach = (max(b.x1 for b in tail) - end) / size if tail else 0.0
        if TAIL <= reach <= MAX_TAIL:
            last = line.words[-1]
            x1 = round(max(b.x1 for b in tail) / scale, 2)
            found.append((index, Region(last.x0, last.top, x1, last.bottom, len(tail))))
    return found


def _uncovered_ink(image: Image.Image, scale: float, page: PageLayout) -> list[_Box]:
    """The connected components of ink outside the layer's word boxes (blanked with MARGIN)."""
    gray = image.convert("L").copy()
    draw = ImageDraw.Draw(gray)
    for line in page.lines:
        for w in line.words:
            m = MARGIN * w.size
            box = (
                (w.x0 - m) * scale,
                (w.top - m) * scale,
                (w.x1 + m) * scale,
                (w.bottom + m) * scale,
            )
            draw.rectangle(box, fill=255)
    return _components(gray.point(lambda v: 1 if v < INK else 0))


def _char_sized(box: _Box, size: float) -> bool:
    return (
        CHAR_MIN_HEIGHT * size <= box.height <= CHAR_MAX_HEIGHT * size
        and box.width <= CHAR_MAX_WIDTH * size
    )


def _components(ink: Image.Image) -> list[_Box]:
    """Bounding boxes of the 8-connected components of a 0/1 image (runs joined row to row)."""
    width, height = ink.size
    data = ink.tobytes()
    parent: list[int] = []
    boxes: list[_Box] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[tuple[int, int, int]] = []  # start, end, component of the row above
    for y in range(height):
        row = data[y * width : (y + 1) * width]
        current: list[tuple[int, int, int]] = []
        if b"\x01" in row:
            for match in _RUN.finditer(row):
                start, end = match.start(), match.end()
                label = -1
                for p_start, p_end, p_label in previous:
                    if p_start <= end and start <= p_end:  # touching, diagonals too
                        root = find(p_label)
                        if label < 0:
                            label = root
                        elif root != label:
                            parent[root] = label
                            a, b = boxes[label], boxes[root]
                            a.x0, a.top = min(a.x0, b.x0), min(a.top, b.top)
                            a.x1, a.bottom = max(a.x1, b.x1), max(a.bottom, b.bottom)
                if label < 0:
                    label = len(parent)
                    parent.append(label)
                    boxes.append(_Box(start, y, end, y + 1))
                else:
                    box = boxes[label]
                    box.x0, box.x1 = min(box.x0, start), max(box.x1, end)
                    box.bottom = y + 1
                current.append((start, end, label))
        previous = current
    return [boxes[i] for i in range(len(parent)) if find(i) == i]


def _rows(chars: Sequence[_Box], size: float) -> list[list[_Box]]:
    """Character boxes chained left to right on one baseline, long enough to be a line."""
    rows: list[list[_Box]] = []
    for box in sorted(chars, key=lambda b: (b.x0, b.top)):
        for row in rows:
            last = row[-1]
            if (
                abs(last.bottom - box.bottom) <= BASELINE * size
                and -0.2 * size <= box.x0 - last.x1 <= MAX_GAP * size
            ):
                row.append(box)
                break
        else:
            rows.append([box])
    lines = [
        row for row in rows if len(row) >= MIN_CHARS and row[-1].x1 - row[0].x0 >= MIN_WIDTH * size
    ]
    return sorted(lines, key=lambda row: (min(b.top for b in row), row[0].x0))


def insert_lines(lines: Sequence[Line], added: Sequence[Line]) -> tuple[Line, ...]:
    """`lines` (in reading order) with each of `added` put where it reads: before the first
    line below it in a column it shares (overlapping widths), else before the first line
    below it or beside it on its right; it takes the block of the line above it when they
    share a column, else of the line it precedes.

    >>> a = Line("a", 0, 0, 50, 10, 10, False, block=0)
    >>> c = Line("c", 0, 40, 50, 50, 10, False, block=1)
    >>> [(x.text, x.block) for x in insert_lines([a, c], [Line("b", 0, 20, 50, 30, 10, False)])]
    [('a', 0), ('b', 0), ('c', 1)]
    """
    result = list(lines)
    for new in sorted(added, key=lambda x: (x.top, x.x0)):
        at = _place(result, new)
        above = result[at - 1] if at > 0 else None
        below = result[at] if at < len(result) else None
        if above is not None and (below is None or _shares_column(above, new)):
            block = above.block
        else:
            block = below.block if below is not None else 0
        result.insert(at, replace(new, block=block))
    return tuple(result)


def _shares_column(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)


def _place(lines: Sequence[Line], new: Line) -> int:
    column = [i for i, line in enumerate(lines) if _shares_column(line, new)]
    for i in column:
        if lines[i].top > new.top:
            return i
    if column:
        return column[-1] + 1
    for i, line in enumerate(lines):
        same_row = min(line.bottom, new.bottom) > max(line.top, new.top)
        if line.top > new.top or (same_row and line.x0 >= new.x1):
            return i
    return len(lines)
