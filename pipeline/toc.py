"""Tables of contents: entries with dot leaders, or runs of titles with page numbers before or
after them (as magazines print them), found from the lines' shape and the order of the numbers.

An entry keeps its title without the leaders and the page it points to. A price list with dot
leaders is no table of contents: the page numbers of a run never go down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .layout import Line

# title, then at least three leader characters (or two ellipses), then the page number
_LEADERED = regex.compile(
    r"^(?P<title>.*?\p{L}.*?)[ \t]*(?:(?:[.·_][ \t]*){3,}|(?:…[ \t]*){2,})[ \t]*"
    r"(?P<page>\d{1,4})?[ \t]*$"
)
_NUMBER_FIRST = regex.compile(r"^(?P<page>\d{1,3})[ \t]+(?P<title>[\p{Lu}\"”“'«][^\t]{1,90})$")
_NUMBER_LAST = regex.compile(
    r"^(?P<title>[\p{Lu}\"”“'«][^\t]{0,90}?\p{L}[^\d\s]?)[ \t]+(?P<page>\d{1,3})$"
)
# a numbered section's title and its page: "2.1 Syfte 4" (as LaTeX sets a contents list)
_SECTION_AND_PAGE = regex.compile(
    r"^(?P<title>\d{1,2}(?:\.\d{1,2})*\.?[ \t]+\p{Lu}[^\t]{0,90}?[\p{L})”\"'][.:]?)[ \t]+"
    r"(?P<page>\d{1,4})$"
)
MIN_RUN = 3  # lines in a row for a table of contents without leaders
MIN_LEADERED = 2
MAX_TITLE_WORDS = 14
MAX_BETWEEN = 2  # lines of a blurb between two entries of a magazine's contents
MIN_SPREAD_RUN = 4  # entries needed in a run with blurbs between them
WORD = regex.compile(r"\p{L}{3,}")


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One entry: its title without leaders, the page it points to, and how it was printed."""

    title: str
    target_page: int | None
    number_first: bool = False  # the page number printed before the title
    lines: int = 1  # a title wrapped over two lines, the second carrying the leaders

    @property
    def printed(self) -> str:
        """The entry's words in the order printed, without the leaders."""
        if self.target_page is None:
            return self.title
        if self.number_first:
            return f"{self.target_page} {self.title}"
        return f"{self.title} {self.target_page}"


def leadered(text: str) -> TocEntry | None:
    """An entry with dot leaders, if `text` is one.

    >>> leadered("§ 1 Bostadsrättsföreningens firma och säte.............. 4").printed
    '§ 1 Bostadsrättsföreningens firma och säte 4'
    >>> leadered("Hemvärnsnytt …………… 15").target_page, leadered("Vi ses... snart")
    (15, None)
    """
    m = _LEADERED.match(text.strip())
    if not m:
        return None
    title = m.group("title").strip()
    if len(title.split()) > MAX_TITLE_WORDS + 4:
        return None
    page = m.group("page")
    return TocEntry(title, int(page) if page else None)


def find_toc(lines: Sequence[Line]) -> dict[int, TocEntry]:
    """The entries of the document's tables of contents, keyed by the `id` of their first line.

    Lines are in reading order. Entries with leaders count in runs of at least two whose page
    numbers never go down; a title whose leaders are on its second line takes that line too.
    Without leaders, a run of at least three short lines with the page number first (or last)
    counts when the numbers never go down and are not simply 1, 2, 3 … (an agenda, a list).
    """
    found: dict[int, TocEntry] = {}
    _leadered_runs(lines, found)
    _read_leader_runs(lines, found)
    kinds = ((_SECTION_AND_PAGE, False), (_NUMBER_FIRST, True), (_NUMBER_LAST, False))
    for pattern, first in kinds:
        _numbered_runs(lines, found, pattern, number_first=first)
    return found


def _leadered_runs(lines: Sequence[Line], found: dict[int, TocEntry]) -> None:
    entries: list[tuple[int, TocEntry]] = []  # (index of first line, entry)
    for index, line in enumerate(lines):
        entry = leadered(line.text)
        if entry is None:
            continue
        prev = lines[index - 1] if index else None
        if (
            prev is not None
            and entry.title[:1].islower()
            and leadered(prev.text) is None
            and index >= 2
            and leadered(lines[index - 2].text) is not None
        ):
            # `§ 12 Upplåtelse- … samt avgift för` / `andrahandsupplåtelse ….. 5`
            title = f"{prev.text.strip()} {entry.title}"
            entries.append((index - 1, TocEntry(title, entry.target_page, lines=2)))
        else:
            entries.append((index, entry))
    for run in _runs(entries, MIN_LEADERED):
        for index, entry in run:
            found[id(lines[index])] = entry


#: OCR word confidence below which a word between a title and its page number is leader junk
#: (Tesseract reads dot leaders as `ee`, `cece`, `0000:` with confidence 0-0.3; title words
#: read at 0.6 and above).
LEADER_CONF = 0.4
#: What Tesseract reads for the digit 1 standing alone at a line's end.
_PAGE_TOKEN = regex.compile(r"^[0-9lI|]{1,4}$")
_LEADER_CHARS = regex.compile(r"[.·_…,:\-]")


def read_leadered(line: Line) -> TocEntry | None:
    """An entry of an OCR'd contents list, if `line` is one: a title, then words Tesseract made
    of the dot leaders (low confidence, or mostly dots) over a quarter of the line or more, then
    the page number at the line's end (a lone `l`, `I` or `|` there is the digit 1).

    The title is the line's text as repaired when its words line up with the words read.
    """
    words = line.words
    if len(words) < 3 or words[-1].conf is None:
        return None
    page = words[-1].text
    if not _PAGE_TOKEN.match(page) or not any(c.isdigit() for c in page) and len(page) > 1:
        return None
    k = len(words) - 1
    while k > 0 and _leader_word(words[k - 1].text, words[k - 1].conf):
        k -= 1
    if k == len(words) - 1 or k == 0:
        return None
    span = words[-1].x0 - words[k].x0
    if span < 0.25 * (line.x1 - line.x0):
        return None
    tokens = line.text.split()
    title_words = tokens[:k] if len(tokens) == len(words) else [w.text for w in words[:k]]
    title = " ".join(title_words)
    if len(title_words) > MAX_TITLE_WORDS or not WORD.search(title):
        return None
    return TocEntry(title, int(regex.sub(r"[lI|]", "1", page)))


def _leader_word(text: str, conf: float | None) -> bool:
    """A word Tesseract made of dot leaders: read with low confidence, or mostly dots."""
    dots = len(_LEADER_CHARS.findall(text))
    return (conf is not None and conf < LEADER_CONF) or 2 * dots >= len(text)


def _read_leader_runs(lines: Sequence[Line], found: dict[int, TocEntry]) -> None:
    entries = [
        (index, entry)
        for index, line in enumerate(lines)
        if id(line) not in found and (entry := read_leadered(line)) is not None
    ]
    for run in _runs(entries, MIN_LEADERED):
        for index, entry in run:
            found[id(lines[index])] = entry


def _numbered_runs(
    lines: Sequence[Line],
    found: dict[int, TocEntry],
    pattern: regex.Pattern[str],
    *,
    number_first: bool,
) -> None:
    entries: list[tuple[int, TocEntry]] = []
    for index, line in enumerate(lines):
        if id(line) in found:
            continue
        m = pattern.match(line.text.strip())
        if (
            m
            and len(m.group("title").split()) <= MAX_TITLE_WORDS
            and WORD.search(m.group("title"))  # a title, not a formula
        ):
            title = m.group("title").strip()
            entries.append((index, TocEntry(title, int(m.group("page")), number_first)))
    for run in _runs(entries, MIN_RUN, lines=lines):
        pages = [e.target_page or 0 for _, e in run]
        steps = [b - a for a, b in zip(pages, pages[1:], strict=False)]
        if 2 * sum(1 for step in steps if step == 1) >= len(steps):
            continue  # mostly 1, 2, 3 …: an agenda, a numbered list, a transcript's line numbers
        spread = run[-1][0] - run[0][0] + 1 > len(run)
        if spread and len(run) < MIN_SPREAD_RUN:
            continue  # entries with blurbs between them: a longer run is needed
        for index, entry in run:
            found[id(lines[index])] = entry


def _runs(
    entries: list[tuple[int, TocEntry]],
    minimum: int,
    lines: Sequence[Line] | None = None,
) -> list[list[tuple[int, TocEntry]]]:
    """Entries on consecutive lines, at least `minimum` of them, whose page numbers never go
    down: a run where a number goes down (a price list) is none at all.

    With `lines`, entries set in one style may have up to `MAX_BETWEEN` other lines between
    them (a magazine's blurb under each title).
    """
    runs: list[list[tuple[int, TocEntry]]] = []
    current: list[tuple[int, TocEntry]] = []
    last_line = -2
    for index, entry in entries:
        between = index - last_line - 1
        alike = (
            lines is not None
            and bool(current)
            and _same_style(lines[current[-1][0]], lines[index])
            and between <= MAX_BETWEEN
        )
        if current and between != 0 and not alike:
            runs.append(current)
            current = []
        current.append((index, entry))
        last_line = index + entry.lines - 1
    if current:
        runs.append(current)
    return [run for run in runs if len(run) >= minimum and _rising(run)]


def _rising(run: list[tuple[int, TocEntry]]) -> bool:
    pages = [e.target_page for _, e in run if e.target_page is not None]
    return all(b >= a for a, b in zip(pages, pages[1:], strict=False))


def _same_style(a: Line, b: Line) -> bool:
    return a.bold == b.bold and abs(a.size - b.size) <= 0.05 * max(a.size, b.size, 1.0)
