"""Page furniture: running headers and footers that repeat across pages, and page numbers.

A line near the top or the bottom of its page whose text, with digits normalized, recurs at the
same edge on several pages ("Nyhetsbrev maj 2021", "Sida 2", "3 (12)") is furniture, not
content, and is taken out of the reading flow. So is a lone page number at the top or bottom.

Furniture is also found by position alone (`by_position`, before the columns are found, so it
never joins a column): a short row of small type in the top or bottom band of the page, alone
at its height and set apart from the text beside the band (a one-page newsletter's footer).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from .layout import Line, PageLayout, Word

EDGE_SHARE = 0.1  # a line whose centre lies in the top or bottom tenth of the page is at an edge
MANY_PAGES = 6  # from this many pages on, a running line must recur on a share of them
RECUR_SHARE = 0.3  # ... this share (running heads often alternate between odd and even pages)
SEGMENT_GAP_EMS = 2.0  # a gap this wide (in ems) separates a footer's left and right parts
SMALL_PRINT = 0.9  # ... or two pages when set smaller than the body text
DISPLAY_TYPE = 1.5  # lines this much larger than the body are never running furniture

SMALLER_TYPE = 0.95  # furniture by position is set at most this share of the body size
SHORT_ROW = 80  # characters: a longer row in the band is text running into the margin
APART_EMS = 1.5  # furniture stands at least this many body ems from the text beside the band
ROW_OVERLAP = 0.5  # words overlapping this share of the shorter height are on one row

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"""^[\s\-–—|.]*
    (?:(?:sida|sid|s\.|page|p\.)\s*)?
    \d{1,4}
    (?:\s*(?:/|av|of|\(|\)|-|–)\s*\d{0,4}\)?)?
    [\s\-–—|.]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_page_number(text: str) -> bool:
    """A line that is nothing but a page number.

    >>> is_page_number("Sida 2"), is_page_number("- 3 -"), is_page_number("4 (12)")
    (True, True, True)
    >>> is_page_number("3 maj"), is_page_number("2.")
    (False, True)
    """
    return bool(_PAGE_NUMBER.match(text))


def _edge(line: Line, height: float | None) -> str | None:
    if not height:
        return None
    centre = (line.top + line.bottom) / 2
    if centre < EDGE_SHARE * height:
        return "top"
    if centre > (1 - EDGE_SHARE) * height:
        return "bottom"
    return None


def _segments(line: Line) -> list[str]:
    """The line's text cut at wide gaps: a footer's left and right parts are separate keys."""
    if not line.words:
        return [line.text]
    parts: list[list[str]] = [[line.words[0].text]]
    for prev, word in zip(line.words, line.words[1:], strict=False):
        if word.x0 - prev.x1 > SEGMENT_GAP_EMS * max(line.size, 1.0):
            parts.append([])
        parts[-1].append(word.text)
    return [" ".join(p) for p in parts]


def _key(text: str, edge: str, size: float, fuzzy: bool = False) -> tuple[str, str, int]:
    if fuzzy:
        return (edge, _skeleton(text), 0)
    return (edge, _DIGITS.sub("#", " ".join(text.lower().split())), round(size))


_CONFUSABLE = str.maketrans({"l": "i", "1": "i", "|": "i", "!": "i", "0": "o", "6": "o"})


def _skeleton(text: str) -> str:
    """What survives OCR's small misreadings: letters without accents, confusable glyphs merged.

    >>> _skeleton("Barnens bästa · Sida 2") == _skeleton("Bamens basta - Sida 3")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text.lower()).translate(_CONFUSABLE)
    letters = "".join(ch for ch in decomposed if ch.isalpha() and ch.isascii())
    return letters.replace("rn", "m")


def drop_running_furniture(pages: Sequence[PageLayout], *, fuzzy: bool = False) -> list[PageLayout]:
    """Pages without their repeated headers and footers and lone page numbers.

    An edge line goes when each of its parts (cut at wide gaps) is a page number or recurs at
    the same edge of enough pages. Block numbers are renumbered to stay consecutive from 0.
    `fuzzy` (for OCR'd pages) compares the lines' letter skeletons and ignores their size, since
    Tesseract reads the same footer a letter or half a point differently on each page.
    """
    seen: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            edge = _edge(line, page.height)
            if edge is not None:
                for part in _segments(line):
                    seen[_key(part, edge, line.size, fuzzy)].add(page.number)
    n = len(pages)
    needed = 2 if n < MANY_PAGES else max(2, math.ceil(RECUR_SHARE * n))
    body = _body_size(pages)

    def furniture(part: str, edge: str, size: float) -> bool:
        if is_page_number(part):
            return True
        if size >= DISPLAY_TYPE * body:  # a banner title, even on every page, is content
            return False
        if fuzzy and len(_skeleton(part)) < 4:
            return False
        recurs = len(seen[_key(part, edge, size, fuzzy)])
        return recurs >= needed or (recurs >= 2 and size < SMALL_PRINT * body)

    out: list[PageLayout] = []
    for page in pages:
        kept: list[Line] = []
        for line in page.lines:
            edge = _edge(line, page.height)
            if edge is not None and all(
                furniture(part, edge, line.size) for part in _segments(line)
            ):
                continue
            kept.append(line)
        if len(kept) == len(page.lines):
            out.append(page)
        else:
            out.append(replace(page, lines=_renumber(kept)))
    return out


def _body_size(pages: Sequence[PageLayout]) -> float:
    """The size most of the document's characters are set in."""
    weight: dict[float, int] = defaultdict(int)
    for page in pages:
        for line in page.lines:
            weight[line.size] += len(line.text)
    return max(sorted(weight), key=lambda s: weight[s]) if weight else 0.0


def _renumber(lines: list[Line]) -> tuple[Line, ...]:
    out: list[Line] = []
    mapping: dict[int, int] = {}
    for line in lines:
        block = mapping.setdefault(line.block, len(mapping))
        out.append(line if line.block == block else replace(line, block=block))
    return tuple(out)


def by_position(
    words: Sequence[Word],
    height: float | None,
    images: Sequence[tuple[float, float, float, float]] = (),
    first_page: bool = False,
) -> set[int]:
    """Indices of the words that are page furniture by their position and type alone.

    A row of words (all at one height across the page) is furniture when its centre lies in the
    top or bottom tenth of the page, it is short (at most SHORT_ROW characters), all its type is
    smaller than the page's body type, and the text nearest to it on the side of the page's
    middle, where it overlaps the row across, is at least APART_EMS body ems away with no image
    (x0, top, x1, bottom) between (that makes it a caption). Rows are taken from the edge inward
    while each qualifies (a two-line letterhead footer). On the first page a top row with a year
    in it is the masthead's date or issue line, not furniture. The page keeps words besides: a
    page of nothing but small print is not emptied.

    >>> def w(text, x0, top, size):
    ...     return Word(text, x0, top, x0 + 6 * len(text), top + size, size, False)
    >>> body = [w("Brödtext", 50, 100 + 14 * k, 10.0) for k in range(40)]
    >>> footer = [w("Nyhetsbrev", 50, 800, 7.0), w("Föreningen", 130, 800, 7.0)]
    >>> sorted(by_position(body + footer, 842.0))
    [40, 41]
    >>> sorted(by_position(body + [w("Sida", 50, 672, 7.0)], 842.0))  # close under the text
    []
    """
    if not height or len(words) < 2:
        return set()
    body = _body_of(words)
    rows = _rows(words)
    found: set[int] = set()
    for edge_rows, inward in ((rows, 1), (rows[::-1], -1)):
        for row in edge_rows:
            if not _furniture_row(row, words, height, body, inward, found, images):
                break
            if first_page and inward == 1 and any(_YEAR.search(words[i].text) for i in row):
                break  # the masthead's "Nr 4 · december 2023": metadata, kept
            found.update(row)
    if len(found) >= len(words):
        return set()
    return found


def _body_of(words: Sequence[Word]) -> float:
    weight: dict[float, int] = defaultdict(int)
    for word in words:
        weight[word.size] += len(word.text)
    return max(sorted(weight), key=lambda s: weight[s])


def _rows(words: Sequence[Word]) -> list[list[int]]:
    """Words grouped into rows across the whole page, top to bottom."""
    order = sorted(range(len(words)), key=lambda i: (words[i].top, words[i].x0, i))
    rows: list[list[int]] = []
    band = (0.0, 0.0)
    for i in order:
        w = words[i]
        if rows:
            overlap = min(band[1], w.bottom) - max(band[0], w.top)
            shorter = min(band[1] - band[0], w.bottom - w.top)
            if overlap > 0 and overlap >= ROW_OVERLAP * shorter:
                rows[-1].append(i)
                band = (min(band[0], w.top), max(band[1], w.bottom))
                continue
        rows.append([i])
        band = (w.top, w.bottom)
    return rows


def _furniture_row(
    row: list[int],
    words: Sequence[Word],
    height: float,
    body: float,
    inward: int,
    found: set[int],
    images: Sequence[tuple[float, float, float, float]] = (),
) -> bool:
    """Whether one row at the top (inward = 1) or bottom (-1) of the page is furniture."""
    top = min(words[i].top for i in row)
    bottom = max(words[i].bottom for i in row)
    centre = (top + bottom) / 2
    in_band = centre < EDGE_SHARE * height if inward == 1 else centre > (1 - EDGE_SHARE) * height
    if not in_band:
        return False
    if sum(len(words[i].text) + 1 for i in row) - 1 > SHORT_ROW:
        return False
    if max(words[i].size for i in row) >= SMALLER_TYPE * body:
        return False
    x0 = min(words[i].x0 for i in row)
    x1 = max(words[i].x1 for i in row)
    members = set(row) | found
    gaps = [
        (w.top - bottom) if inward == 1 else (top - w.bottom)
        for k, w in enumerate(words)
        if k not in members
        and min(x1, w.x1) > max(x0, w.x0)
        and ((w.top >= bottom) if inward == 1 else (w.bottom <= top))
    ]
    if gaps and min(gaps) < APART_EMS * body:
        return False
    # an image between the row and the text (or the page's middle) makes the row its caption
    reach = min(gaps) if gaps else height
    for left, image_top, right, image_bottom in images:
        if min(x1, right) <= max(x0, left):
            continue
        apart = (image_top - bottom) if inward == 1 else (top - image_bottom)
        if -body <= apart < reach:
            return False
    return True
