"""Heading tests a reader makes from a line's shape: where a heading's lines break, date lines.

Small pure predicates used by the segment stage; they look at text and geometry only, never at
particular words.
"""

from __future__ import annotations

import regex

from .layout import Line

_MONTHS = (
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = (
    r"(?:(?:19|20)\d\d-[01]\d-[0-3]\d"  # 2021-12-15
    r"|[0-3]?\d\s+(?:" + _MONTHS + r")\.?\s+(?:19|20)\d\d"  # 15 december 2021
    r"|(?:" + _MONTHS + r")\.?\s+(?:19|20)\d\d"  # december 2021
    r"|[0-3]?\d[./][01]?\d[./](?:19|20)?\d\d)"  # 15.12.2021, 15/12/21
)
# A masthead's place-and-date line: a date, with at most a place (two words) before it and a
# weekday or nothing around it ("Akalla 2021-12-15", "Stockholm, 15 december 2021").
DATE_LINE = regex.compile(
    r"^\s*(?:\p{Lu}[\p{L}\-]*\.?,?\s+){0,3}(?:den\s+)?" + _DATE + r"\s*[.,]?\s*$",
    regex.IGNORECASE,
)
# A label and a colon before a name only: a picture credit ("FOTO: …") or a label-value line
# ("Kurator: …"): words that caption or fill in, never a heading.
LABELLED_NAME = regex.compile(
    r"^\s*\p{L}+\s*:\s*(?:\p{Lu}[\p{L}\-'’]*\.?(?:\s+|$|(?=[/|,]))){1,5}(?:[/|,]\s*\S+)?\s*$"
)
_SPACE_WIDTH = 0.28  # a word space, as a share of the font size


def is_date_line(text: str) -> bool:
    """A line that only gives a place and a date: metadata of a masthead, not a heading.

    >>> is_date_line("Akalla 2021-12-15"), is_date_line("Stockholm, 15 december 2021")
    (True, True)
    >>> is_date_line("Styrelsen i Brf Imatra"), is_date_line("Städdag 15 maj 2022 kl. 10")
    (False, False)
    """
    return bool(DATE_LINE.match(text))


def is_labelled_name(text: str) -> bool:
    """A label with a colon, then a name (capitalized words only): a credit, not a heading.

    >>> is_labelled_name("FOTO: ANNA ANDERSSON"), is_labelled_name("Foto: Per Ek/TT")
    (True, True)
    >>> is_labelled_name("Tips: Så sparar du energi"), is_labelled_name("Vad händer nu?")
    (False, False)
    """
    return bool(LABELLED_NAME.match(text))


def wraps_into(prev: Line, line: Line, right_edge: float) -> bool:
    """Does `line` continue `prev` because `prev` ran out of room (a wrapped line)?

    A line that ends well before the right edge of its block, when the next line's first word
    would have fitted after it, was broken by hand: a new heading or a new entry starts there.
    A next line in lower case continues the sentence wherever the break falls.
    """
    text = line.text.lstrip()
    if not text or text[0].islower() or prev.size <= 0:
        return True
    first = line.words[0] if line.words else None
    if first is not None and first.text == text.split()[0]:
        width = first.x1 - first.x0
    else:
        width = len(text.split()[0]) * 0.5 * max(line.size, 1.0)
    room = right_edge - prev.x1 - _SPACE_WIDTH * prev.size
    return width > room - 0.5 * prev.size


def right_edges(placed: list[tuple[int, Line]]) -> dict[tuple[int, int], float]:
    """The right edge of each layout block: the furthest right any of its lines reaches."""
    edges: dict[tuple[int, int], float] = {}
    for page, line in placed:
        key = (page, line.block)
        edges[key] = max(edges.get(key, 0.0), line.x1)
    return edges
