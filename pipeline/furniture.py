"""Page furniture: running headers and footers that repeat across pages, and page numbers.

A line near the top or the bottom of its page whose text, with digits normalized, recurs at the
same edge on several pages ("Nyhetsbrev maj 2021", "Sida 2", "3 (12)") is furniture, not
content, and is taken out of the reading flow. So is a lone page number at the top or bottom.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from .layout import Line, PageLayout

EDGE_SHARE = 0.1  # a line whose centre lies in the top or bottom tenth of the page is at an edge
MANY_PAGES = 6  # from this many pages on, a running line must recur on a share of them
RECUR_SHARE = 0.3  # ... this share (running heads often alternate between odd and even pages)

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


def _key(line: Line, edge: str) -> tuple[str, str, int]:
    text = _DIGITS.sub("#", " ".join(line.text.lower().split()))
    return (edge, text, round(line.size))


def drop_running_furniture(pages: Sequence[PageLayout]) -> list[PageLayout]:
    """Pages without their repeated headers and footers and lone page numbers.

    Block numbers are renumbered so they stay consecutive from 0.
    """
    seen: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            edge = _edge(line, page.height)
            if edge is not None:
                seen[_key(line, edge)].add(page.number)
    n = len(pages)
    needed = 2 if n < MANY_PAGES else max(2, math.ceil(RECUR_SHARE * n))
    out: list[PageLayout] = []
    for page in pages:
        kept: list[Line] = []
        for line in page.lines:
            edge = _edge(line, page.height)
            if edge is not None and (
                len(seen[_key(line, edge)]) >= needed or is_page_number(line.text)
            ):
                continue
            kept.append(line)
        if len(kept) == len(page.lines):
            out.append(page)
        else:
            out.append(replace(page, lines=_renumber(kept)))
    return out


def _renumber(lines: list[Line]) -> tuple[Line, ...]:
    out: list[Line] = []
    mapping: dict[int, int] = {}
    for line in lines:
        block = mapping.setdefault(line.block, len(mapping))
        out.append(line if line.block == block else replace(line, block=block))
    return tuple(out)
