"""Page furniture: running headers and footers that repeat across pages, and page numbers.

A line near the top or the bottom of its page whose text, with digits normalized, recurs at the
same edge on several pages ("Nyhetsbrev maj 2021", "Sida 2", "3 (12)") is furniture, not
content, and is taken out of the reading flow. So is a lone page number at the top or bottom.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from .layout import Line, PageLayout

EDGE_SHARE = 0.1  # a line whose centre lies in the top or bottom tenth of the page is at an edge
MANY_PAGES = 6  # from this many pages on, a running line must recur on a share of them
RECUR_SHARE = 0.3  # ... this share (running heads often alternate between odd and even pages)
SEGMENT_GAP_EMS = 2.0  # a gap this wide (in ems) separates a footer's left and right parts
SMALL_PRINT = 0.9  # ... or two pages when set smaller than the body text
DISPLAY_TYPE = 1.5  # lines this much larger than the body are never running furniture

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
