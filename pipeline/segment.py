"""Segment stage: pages of lines in reading order -> title, sections, blocks, links, text.

Lines are first grouped into chunks (a heading, a paragraph, a list item, a closing line...)
from geometry and style: a chunk ends at a vertical gap larger than the body's line spacing,
at a change of font size or weight, at a bullet, or where a paragraph's last line ends a
sentence and the next starts a new block. A paragraph that does not end a sentence continues
into the next column or page when that starts in lower case. Headings are recognised from font
size and weight relative to the body text (tagged roles first where present), or from the text
alone for plain-text input; their levels come from the ranking of their styles.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from .addresses import EMAIL, URL, URL_ONLY, breaks_off, continues_url, strip_tail, url_key
from .headings import is_date_line, is_labelled_name, right_edges, wraps_into
from .layout import Line, LinkArea, PageLayout
from .markers import item_prefix, printed_marker
from .model import Block, BlockType, Link, Section
from .numbering import Numbered, accepted, numbering
from .spacing import collapse_letter_spacing
from .toc import TocEntry, find_toc

BULLET = regex.compile(
    r"^(?:[•◦▪▫‣⁃●○■□►▸➢✓·∙*\-–—«»¢+](?=\s)|\d{1,2}[.)](?=\s)|[a-z][)](?=\s))\s*"
)
# Markers that also occur in running text, or that OCR makes of a bullet: they start a list item
# only after a finished sentence, or inside a list that uses the same marker.
WEAK_MARKERS = "-–—*«»¢+"
SENTENCE_END = regex.compile(r"[.!?:;…”\"')\]]\s*$")
CLOSING = regex.compile(
    r"^(?:(?:med\s+)?(?:vänlig[a]?|varm[a]?|bästa|många|hjärtlig[a]?|glada|soliga)\s+h\p{L}*ning\p{L}*"
    r"(?:\s+\S+){0,6}|hälsningar|mvh|vänligen|(?:kind|best|warm)\s+regards|sincerely"
    r"|yours\s+sincerely)\W*$",
    regex.IGNORECASE,
)
ANY_SCHEME = regex.compile(r"^[a-z][a-z0-9+.-]*:", regex.IGNORECASE)
LOWER_START = regex.compile(r"^\p{Ll}")
UPPER_START = regex.compile(r"^[\p{Lu}\d\"“”']")
SENTENCE_INSIDE = regex.compile(r"[.!?]\s+\p{Lu}")
MASTHEAD_CHUNKS = 4  # a place-and-date line is the masthead's when among the first chunks


@dataclass(frozen=True, slots=True)
class Structure:
    """What segmentation finds; the Document is assembled from it."""

    title: str | None
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    text: str = ""


@dataclass(slots=True)
class _Chunk:
    kind: str  # heading | paragraph | list_item | closing | signature | toc_entry | table_row
    lines: list[tuple[int, Line]]  # (page number, line)
    level: int = 0
    text: str = ""  # the lines joined, set once the chunk is complete
    numbered: Numbered | None = None  # the numbering its first line opens with (§ 3, 2.1 …)
    toc: TocEntry | None = None  # the entry of a table of contents it is

    @property
    def page(self) -> int:
        return self.lines[0][0]


def segment(pages: Sequence[PageLayout]) -> Structure:
    """Title, sections with headings and levels, blocks, links and the document text."""
    placed = [
        (page.number, line if line.table_row else collapse_letter_spacing(line))
        for page in pages
        for line in page.lines
        if line.text.strip()
    ]
    placed = _drop_repeated_url_lines(placed)
    has_geometry = any(line.size > 0 for _, line in placed)
    body = _body_style(placed)
    tagged = any(_heading_role(line.role) for _, line in placed)
    toc = find_toc([line for _, line in placed])
    numbered = {} if tagged else _numbered_lines(placed, toc)
    chunks = _chunk(placed, body, has_geometry, numbered, toc)
    _classify_headings(chunks, body, has_geometry)
    _mark_closings(chunks)
    title = _assign_levels(chunks, has_geometry)
    printed: dict[int, str] = {}
    sections = _sections(chunks, has_geometry, printed)
    links = _links(pages, sections)
    return Structure(
        title=title, sections=sections, links=links, text=_document_text(sections, printed)
    )


# --- lines to chunks -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Body:
    size: float
    bold: bool
    gap: float  # typical vertical gap between two lines of one paragraph
    line_chars: float  # typical length of a body line, in characters


def _body_style(placed: Sequence[tuple[int, Line]]) -> _Body:
    """The dominant font size and weight (by characters), and the usual line gap."""
    if not placed:
        return _Body(0.0, False, 2.0, 60.0)
    sizes: Counter[float] = Counter()
    bold = 0
    for _, line in placed:
        sizes[round(line.size * 2) / 2] += len(line.text)
        bold += len(line.text) if line.bold else 0
    size = sizes.most_common(1)[0][0]
    gaps = [
        b.top - a.bottom
        for (pa, a), (pb, b) in zip(placed, placed[1:], strict=False)
        if pa == pb and a.block == b.block and abs(a.size - size) < 0.6 and abs(b.size - size) < 0.6
        and -2 < b.top - a.bottom < 2 * max(size, 5.0)
    ]
    gap = statistics.median(gaps) if gaps else max(size * 0.3, 2.0)
    total = sum(len(line.text) for _, line in placed)
    lengths = sorted(len(line.text) for _, line in placed)
    line_chars = float(lengths[int(len(lengths) * 0.75)])
    return _Body(size, bold > total / 2, max(gap, 0.0), line_chars)


def _numbered_lines(
    placed: Sequence[tuple[int, Line]], toc: dict[int, TocEntry]
) -> dict[int, Numbered]:
    """The lines (by id) that open a numbered heading by the document's own numbering."""
    candidates = [None if id(line) in toc else numbering(line.text) for _, line in placed]
    return {
        id(line): found
        for (_, line), found, ok in zip(placed, candidates, accepted(candidates), strict=True)
        if ok and found is not None
    }


def _chunk(
    placed: Sequence[tuple[int, Line]],
    body: _Body,
    has_geometry: bool,
    numbered: dict[int, Numbered] | None = None,
    toc: dict[int, TocEntry] | None = None,
) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    edges = right_edges(list(placed))
    numbered = numbered or {}
    toc = toc or {}
    for page, line in placed:
        edge = edges.get((page, line.block), 0.0)
        if current is not None and current.toc and len(current.lines) < current.toc.lines:
            current.lines.append((page, line))  # the second line of a wrapped entry
            continue
        if id(line) in toc:
            current = _Chunk("toc_entry", [(page, line)], toc=toc[id(line)])
            chunks.append(current)
            continue
        if line.table_row:
            if current is None or not _continues_row(current, page, line):
                current = _Chunk("table_row", [(page, line)])
                chunks.append(current)
            else:
                current.lines.append((page, line))
            continue
        starts_item = _starts_item(current, line) and id(line) not in numbered
        if (
            current is None
            or current.toc is not None
            or current.kind == "table_row"
            or id(line) in numbered
            or _ends_numbered_heading(current, line, has_geometry, edge)
            or _breaks(current, page, line, body, has_geometry, starts_item, edge)
        ):
            current = _Chunk("list_item" if starts_item else "paragraph", [(page, line)])
            current.numbered = numbered.get(id(line))
            chunks.append(current)
        else:
            current.lines.append((page, line))
    for chunk in chunks:
        if chunk.kind == "table_row":
            chunk.text = "\t".join(_row_cells(chunk))
            continue
        kept = (
            [
                not wraps_into(a, b, edges.get((page, b.block), 0.0))
                for (_, a), (page, b) in zip(chunk.lines, chunk.lines[1:], strict=False)
            ]
            if has_geometry and chunk.kind in ("paragraph", "list_item")
            else []
        )
        chunk.text = _join_lines((line.text for _, line in chunk.lines), kept)
    return chunks


def _cells(line: Line) -> list[str]:
    return [" ".join(cell.split()) for cell in line.text.split("\t")]


def _continues_row(chunk: _Chunk, page: int, line: Line) -> bool:
    """A table row's line whose first cell is empty, right under a row of the same table:
    the value of that row wrapped over a line end (`Kassör:` … two lines of names)."""
    prev_page, prev = chunk.lines[-1]
    if chunk.kind != "table_row" or page != prev_page or line.block != prev.block:
        return False
    cells = _cells(line)
    return len(cells) == len(_cells(prev)) and not cells[0] and any(cells)


def _row_cells(chunk: _Chunk) -> list[str]:
    """The cells of a table row, each cell's lines joined by a space."""
    rows = [_cells(line) for _, line in chunk.lines]
    return [
        " ".join(row[k] for row in rows if k < len(row) and row[k]) for k in range(len(rows[0]))
    ]


def _ends_numbered_heading(chunk: _Chunk, line: Line, has_geometry: bool, edge: float) -> bool:
    """A numbered heading is its line, or two when its title wraps; the text starts after it."""
    if chunk.numbered is None:
        return False
    text = line.text.lstrip()
    if len(chunk.lines) > 1 or not has_geometry:
        return True
    if not LOWER_START.match(text) or BULLET.match(text):
        return True  # its text starts with a capital: a block of its own may be short
    return not wraps_into(chunk.lines[-1][1], line, edge)


def _starts_item(current: _Chunk | None, line: Line) -> bool:
    """A bullet starts a list item; a dash does not where it only continues a sentence."""
    marker = BULLET.match(line.text)
    if not marker:
        return False
    symbol = marker.group().strip()
    if line.text[marker.end() :].startswith(f"{symbol} {symbol}"):
        return False  # a rule drawn with the mark (`- - - - x`), or a dinkus (`* * *`)
    if current is None or (symbol not in WEAK_MARKERS and not symbol[0].isalnum()):
        return True
    prev_line = current.lines[-1][1]
    prev = prev_line.text
    if SENTENCE_END.search(prev):
        return True
    if prev_line.bold != line.bold or abs(prev_line.size - line.size) > 0.1 * max(line.size, 1):
        return True  # right under a heading
    if current.numbered is not None and len(current.lines) == 1 and symbol[0].isalnum():
        return True  # `a)` right under a numbered heading (`§ 14 Val av …`), bold or not
    own = BULLET.match(current.lines[0][1].text)
    if current.kind != "list_item" or own is None:
        return False  # '12.' or '- ' continuing a sentence, not a list
    mine = own.group().strip()
    return mine == symbol or (mine[0].isalnum() and symbol[0].isalnum())


def _breaks(
    chunk: _Chunk,
    page: int,
    line: Line,
    body: _Body,
    has_geometry: bool,
    starts_item: bool,
    right_edge: float = 0.0,
) -> bool:
    """Does `line` start a new chunk after `chunk`?"""
    prev_page, prev = chunk.lines[-1]
    if not starts_item and continues_url(_joined_tail(chunk), line.text):
        return False  # a URL printed over two or three lines
    if starts_item or _url_line_apart(chunk, prev, line):
        return True
    if CLOSING.match(prev.text) or CLOSING.match(line.text):
        return True
    unfinished = not SENTENCE_END.search(prev.text)
    style_changed = _style_changed(prev, line, body)
    if unfinished and LOWER_START.match(line.text) and not style_changed:
        if not URL_ONLY.match(line.text):  # (a URL line goes on with it only from close by)
            return False  # a sentence running on, into the next column or page too
    if page != prev_page or line.block != prev.block:
        return True
    if style_changed:
        return True
    gap = line.top - prev.bottom
    size = max(line.size, prev.size, 1.0) if has_geometry else 0.0
    limit = max(body.gap * 1.8, body.gap + 0.45 * size) if has_geometry else body.gap + 1.0
    if (
        has_geometry
        and unfinished
        and len(chunk.lines) <= 2
        and _heading_styled(prev, body)
        and 0 <= gap <= 0.9 * size
        and wraps_into(prev, line, right_edge)
    ):
        return False  # a display title set with its own (looser) leading, wrapped
    if gap > limit or gap < -0.5 * max(size, 1.0):
        return True
    if chunk.kind == "list_item" and has_geometry:
        first = chunk.lines[0][1]
        indent = first.words[1].x0 if len(first.words) > 1 else first.x0
        if line.x0 < indent - 0.5 * size and not unfinished:
            return True
        if (
            len(chunk.lines) == 1
            and unfinished
            and printed_marker(first.text)
            and not LOWER_START.match(line.text)
            and not wraps_into(prev, line, right_edge)
        ):
            return True  # `c) Val av …` broken short: the sentence below is not its second line
    if has_geometry and not unfinished and line.x0 > prev.x0 + 1.2 * size:
        return True  # first-line indent of a new paragraph
    if (
        has_geometry
        and unfinished
        and len(chunk.lines) <= 3
        and _heading_styled(prev, body)
        and not wraps_into(prev, line, right_edge)
    ):
        return True  # a heading's lines wrap; one broken short is followed by a new heading
    if (
        not has_geometry
        and not unfinished
        and _looks_like_heading_text(line.text)
        and not line.text.rstrip().endswith(":")  # introduces what follows: a sentence
    ):
        return True
    if not has_geometry and len(chunk.lines) == 1 and _looks_like_heading_text(prev.text):
        # a short line standing alone above a paragraph: a heading in plain text
        return not unfinished or len(prev.text) < 0.6 * body.line_chars
    return False


def _heading_styled(line: Line, body: _Body) -> bool:
    """Set apart from the body by weight or size, as headings are."""
    return line.size >= body.size * 1.12 or (line.bold and not body.bold)


def _url_line_apart(chunk: _Chunk, prev: Line, line: Line) -> bool:
    """A line that is only a URL stands apart (a list of links, a link under a paragraph), but
    not where it goes on with a sentence that runs over the line end ("… beskrivs på" + the URL;
    the usual breaks by block and gap still apply), nor from a line that goes on with that
    sentence after it."""
    if URL_ONLY.match(line.text):
        return bool(SENTENCE_END.search(prev.text) or URL_ONLY.match(prev.text))
    if URL_ONLY.match(prev.text):
        return len(chunk.lines) == 1 or not LOWER_START.match(line.text)
    return False


def _joined_tail(chunk: _Chunk) -> str:
    """The chunk's last lines joined (a URL printed over lines is one word in it)."""
    return _join_lines(line.text for _, line in chunk.lines[-3:])


def _style_changed(a: Line, b: Line, body: _Body) -> bool:
    if a.size <= 0 or b.size <= 0:
        return False
    if abs(a.size - b.size) > 0.1 * max(a.size, b.size):
        return True
    if a.role != b.role and (_heading_role(a.role) or _heading_role(b.role)):
        return True
    return a.bold != b.bold and (len(a.text) < 90 or len(b.text) < 90) and not body.bold


# --- headings ----------------------------------------------------------------------------------


def _heading_role(role: str | None) -> int:
    """Level of a tagged heading role (Title -> 1, H1 -> 1, H2 -> 2 ...), else 0."""
    if role == "Title":
        return 1
    if role and len(role) == 2 and role[0] == "H" and role[1].isdigit():
        return int(role[1])
    return 0


def _looks_like_heading_text(text: str) -> bool:
    """Plain text: a short line that starts like a title and does not end like a sentence."""
    stripped = text.strip()
    words = stripped.split()
    if not words or len(words) > 10 or len(stripped) > 80:
        return False
    if BULLET.match(stripped) or URL.search(stripped) or CLOSING.match(stripped):
        return False
    if stripped[-1] in ".,;" or not UPPER_START.match(stripped):
        return False
    if stripped[-1] == "!" and len(words) > 4:
        return False  # an exclamation, not a heading
    return sum(ch.isalpha() for ch in stripped) >= 3


def _classify_headings(chunks: list[_Chunk], body: _Body, has_geometry: bool) -> None:
    tagged = any(_heading_role(line.role) for chunk in chunks for _, line in chunk.lines)
    role_size = max(
        (line.size for c in chunks for _, line in c.lines if _heading_role(line.role)),
        default=0.0,
    )
    for index, chunk in enumerate(chunks):
        if chunk.kind != "paragraph" or CLOSING.match(chunk.text):
            continue
        if index and CLOSING.match(chunks[index - 1].text):
            continue  # the names under 'Vänliga hälsningar'
        if is_labelled_name(chunk.text):
            continue  # a picture credit, a label and its value
        if chunk.numbered is not None:
            chunk.kind = "heading"
            continue
        first = chunk.lines[0][1]
        text = chunk.text
        following = chunks[index + 1] if index + 1 < len(chunks) else None
        if tagged:
            # a cover's title that the tags left a plain paragraph: larger than any heading
            cover = (
                index == 0
                and chunk.page == 1
                and has_geometry
                and first.size >= max(1.5 * body.size, role_size)
                and len(chunk.lines) <= 4
            )
            is_heading = _heading_role(first.role) > 0 or cover
        elif has_geometry:
            is_heading = (
                following is not None  # nothing follows a sign-off or a logo line at the end
                and not (index < MASTHEAD_CHUNKS and chunk.page == 1 and is_date_line(text))
                and _styled_as_heading(chunk, text, body, following)
            )
        else:
            is_heading = len(chunk.lines) == 1 and _looks_like_heading_text(text) and (
                index + 1 < len(chunks)
            )
        if is_heading:
            chunk.kind = "heading"


def _styled_as_heading(chunk: _Chunk, text: str, body: _Body, following: _Chunk) -> bool:
    first = chunk.lines[0][1]
    words = text.split()
    if not words or len(words) > 25 or len(chunk.lines) > 4:
        return False
    if URL_ONLY.match(text) or not any(ch.isalpha() for ch in text) or LOWER_START.match(text):
        return False
    if first.size >= body.size * 1.12:
        return True
    if not first.bold or body.bold:
        return False
    if text.rstrip()[-1] not in ".,;":
        return len(words) <= 14
    # A bold sentence standing alone right above plain body text is that text's title (a
    # run-in title set on its own line), when it is one sentence of one or two lines.
    after = following.lines[0][1]
    return (
        text.rstrip()[-1] == "."
        and len(chunk.lines) <= 2
        and len(words) <= 20
        and not SENTENCE_INSIDE.search(text.rstrip()[:-1])
        and not after.bold
        and following.page == chunk.page
        and abs(after.size - first.size) < 0.1 * first.size
    )


def _assign_levels(chunks: list[_Chunk], has_geometry: bool) -> str | None:
    """Levels from the ranking of heading styles; level 1 is the document's title."""
    headings = [c for c in chunks if c.kind == "heading"]
    if not headings:
        return None
    if any(_heading_role(line.role) for c in headings for _, line in c.lines):
        roles = [_heading_role(c.lines[0][1].role) for c in headings]
        shift = 1 if 0 in roles and min(r for r in roles if r) == 1 else 0  # under a cover title
        for c, role in zip(headings, roles, strict=True):
            c.level = role + shift if role else 1
        title_chunk = headings[0] if headings[0].level == min(c.level for c in headings) else None
        return title_chunk.text if title_chunk and title_chunk.level == 1 else None
    if has_geometry:
        key_of = _heading_keys(chunks)
        rank_of = _rank_order(headings, key_of)
        rank = {id(c): rank_of[_entry(c, key_of)] for c in headings}
        first = headings[0]
        titled = (
            rank[id(first)] == 0
            and sum(1 for c in headings if rank[id(c)] == 0) == 1
            and _in_masthead(first, chunks)
            and first.numbered is None
        )
        for c in headings:
            c.level = rank[id(c)] + (1 if titled else 2)
        return first.text if titled else None
    # Plain text: the opening line is the title when it stands alone; a heading right after
    # another heading is a sub-heading; numbered headings rank by their numbering.
    first = headings[0]
    titled = first is chunks[0] and first.numbered is None
    ranks = sorted({c.numbered.rank for c in headings if c.numbered is not None})
    previous_kind = ""
    for c in chunks:
        if c.kind == "heading":
            if c.numbered is not None:
                c.level = 2 + ranks.index(c.numbered.rank)
            else:
                c.level = 1 if (titled and c is first) else (3 if previous_kind == "heading" else 2)
        previous_kind = c.kind if c is not first or not titled else "title"
    return first.text if titled else None


def _in_masthead(heading: _Chunk, chunks: list[_Chunk]) -> bool:
    """Is `heading` the masthead's: first, or after no more than a few short lines of page 1
    (the publisher's name, a place and date, an issue line) and nothing else?"""
    before = chunks[: chunks.index(heading)]
    return heading.page == 1 and len(before) <= MASTHEAD_CHUNKS - 1 and all(
        c.kind in ("paragraph", "closing") and len(c.lines) <= 2 and len(c.text.split()) <= 12
        for c in before
    )


_Entry = tuple[str, tuple[float, ...]]  # ("style", size, bold, heads) or ("numbered", rank)


def _prominence(key: tuple[float, ...]) -> tuple[float, bool, bool]:
    return (-key[0], not key[1], not key[2])


def _entry(chunk: _Chunk, key_of: dict[int, tuple[float, bool, bool]]) -> _Entry:
    if chunk.numbered is not None:
        return ("numbered", tuple(float(n) for n in chunk.numbered.rank))
    return ("style", key_of[id(chunk)])


def _rank_order(
    headings: list[_Chunk], key_of: dict[int, tuple[float, bool, bool]]
) -> dict[_Entry, int]:
    """The rank (0 = most prominent) of each heading style and each kind of numbering.

    Styles rank by size and weight. A kind of numbered heading takes the rank of its usual
    style (sharing it with unnumbered headings of that style), but always below the numbering
    kinds above it (§ under kap., 2.1 under §, whatever their print size: OCR's sizes vary).
    """
    order: list[list[_Entry]] = [
        [("style", key)]
        for key in sorted(
            {key_of[id(c)] for c in headings if c.numbered is None}, key=_prominence
        )
    ]
    last = -1
    for rank in sorted({c.numbered.rank for c in headings if c.numbered is not None}):
        styles = Counter(
            key_of[id(c)] for c in headings if c.numbered is not None and c.numbered.rank == rank
        )
        style = min(styles, key=lambda k: (-styles[k], _prominence(k)))
        entry: _Entry = ("numbered", tuple(float(n) for n in rank))
        position = next(
            (
                i
                for i, slot in enumerate(order)
                if slot[0][0] == "style" and _prominence(slot[0][1]) >= _prominence(style)
            ),
            len(order),
        )
        if position > last and position < len(order) and order[position][0] == ("style", style):
            order[position].append(entry)  # numbered and unnumbered headings of one style
        else:
            position = max(position, last + 1)
            order.insert(position, [entry])
        last = position
    return {entry: index for index, slot in enumerate(order) for entry in slot}


def _style_key(chunk: _Chunk) -> tuple[float, bool]:
    line = chunk.lines[0][1]
    return (round(line.size), line.bold)


def _heading_keys(chunks: list[_Chunk]) -> dict[int, tuple[float, bool, bool]]:
    """Each heading's rank key: its style, and whether it heads other headings of that style.

    A heading followed at once by another of the same style (no text between) is the section
    that heading opens ("HSB informerar" over its item titles): it ranks just above its style.
    A heading printed twice in a row counts as its more prominent printing.
    """
    keys: dict[int, tuple[float, bool, bool]] = {}
    for index, chunk in enumerate(chunks):
        if chunk.kind != "heading":
            continue
        style = _style_key(chunk)
        nxt = chunks[index + 1] if index + 1 < len(chunks) else None
        same_text = nxt is not None and nxt.kind == "heading" and _same_heading(chunk, nxt)
        if same_text and nxt is not None:
            style = max(style, _style_key(nxt), key=lambda k: (k[0], k[1]))
        heads = (
            nxt is not None
            and nxt.kind == "heading"
            and not same_text
            and _style_key(nxt) == style
        )
        keys[id(chunk)] = (style[0], style[1], heads)
    # Where a section heading's first sub-heading is indented under it, the others of its style
    # set at the section heading's indent open sections too.
    section_heads = [
        (keys[id(c)][:2], c.lines[0][1].x0, c.lines[0][1].size)
        for c, nxt in zip(chunks, chunks[1:], strict=False)
        if c.kind == "heading"
        and keys[id(c)][2]
        and nxt.lines[0][1].x0 > c.lines[0][1].x0 + 0.5 * c.lines[0][1].size
    ]
    for chunk in chunks:
        if chunk.kind != "heading" or keys[id(chunk)][2]:
            continue
        style, x0 = keys[id(chunk)][:2], chunk.lines[0][1].x0
        if any(s == style and abs(x0 - x) <= 0.5 * size for s, x, size in section_heads):
            keys[id(chunk)] = (style[0], style[1], True)
    return keys


def _same_heading(a: _Chunk, b: _Chunk) -> bool:
    return " ".join(a.text.casefold().split()) == " ".join(b.text.casefold().split())


# --- closings and signatures -----------------------------------------------------------------


def _mark_closings(chunks: list[_Chunk]) -> None:
    """'Vänliga hälsningar' and the short lines of names after it, to the next heading."""
    signing = False
    for chunk in chunks:
        if chunk.kind in ("heading", "toc_entry"):
            signing = False
            continue
        text = chunk.text
        if CLOSING.match(text):
            chunk.kind = "closing"
            signing = True
        elif (
            signing
            and chunk.kind == "paragraph"
            and not URL.search(text)
            and len(text.split()) <= 8 * len(chunk.lines)
        ):
            chunk.kind = "signature"
        else:
            signing = False


# --- sections, links, text --------------------------------------------------------------------


def _sections(chunks: list[_Chunk], has_geometry: bool, printed: dict[int, str]) -> list[Section]:
    """Sections of blocks; `printed` gets the words of each table-of-contents entry as printed
    (by the block's id), for the document text."""
    sections: list[Section] = []
    heading: _Chunk | None = None
    blocks: list[Block] = []

    def close() -> None:
        if heading is None and not blocks:
            return
        sections.append(
            Section(
                heading=heading.text if heading else None,
                level=heading.level if heading else None,
                page=heading.page if heading else blocks[0].page,
                blocks=list(blocks),
            )
        )

    for chunk in chunks:
        if chunk.kind == "heading":
            close()
            heading, blocks = chunk, []
            continue
        if chunk.kind == "signature":
            for page, line in chunk.lines:
                blocks.append(_block("signature", line.text.strip(), page, [line], has_geometry))
            continue
        if chunk.toc is not None:
            block = _block("toc_entry", chunk.toc.title, chunk.page,
                           [line for _, line in chunk.lines], has_geometry,
                           target_page=chunk.toc.target_page)
            printed[id(block)] = chunk.toc.printed
            blocks.append(block)
            continue
        text = chunk.text
        if chunk.kind == "table_row":
            blocks.append(_block("table_row", text, chunk.page, [line for _, line in chunk.lines],
                                 has_geometry, cells=text.split("\t")))
            continue
        if chunk.kind == "list_item":
            text = _item_text(text)
        blocks.append(
            _block(chunk.kind, text, chunk.page,  # type: ignore[arg-type]
                   [line for page, line in chunk.lines if page == chunk.page], has_geometry)
        )
    close()
    return sections


def _item_text(text: str) -> str:
    """A list item's text: without its bullet, with its number or letter as printed.

    >>> _item_text("•  Kaffe och bulle"), _item_text("b)  Val av revisorer")
    ('Kaffe och bulle', 'b) Val av revisorer')
    """
    marker = BULLET.match(text)
    if marker is None:
        return text.strip()
    rest = text[marker.end() :].strip()
    number = printed_marker(marker.group().strip() + " ")
    return f"{number} {rest}" if number else rest


def _block(
    kind: BlockType,
    text: str,
    page: int,
    lines: list[Line],
    has_geometry: bool,
    target_page: int | None = None,
    cells: list[str] | None = None,
) -> Block:
    bbox = None
    if has_geometry and lines:
        bbox = (
            round(min(line.x0 for line in lines), 2),
            round(min(line.top for line in lines), 2),
            round(max(line.x1 for line in lines), 2),
            round(max(line.bottom for line in lines), 2),
        )
    return Block(
        type=kind, text=text, page=page, bbox=bbox, target_page=target_page, cells=cells
    )


def _join_lines(texts: Iterable[str], kept: Sequence[bool] = ()) -> str:
    """Join a chunk's lines with single spaces; a URL broken at a line end is rejoined.

    `kept[i]` marks a line break the author made before line i + 1 (a short line whose next
    word would have fitted: contact details, opening hours, an address): it stays a newline.
    """
    out = ""
    for index, raw in enumerate(texts):
        text = raw.strip()
        if not out:
            out = text
        elif continues_url(out, text):
            out += text
        elif index - 1 < len(kept) and kept[index - 1]:
            out += "\n" + text
        else:
            out += " " + text
    return out


def _drop_repeated_url_lines(placed: list[tuple[int, Line]]) -> list[tuple[int, Line]]:
    """A URL line printed twice in a row (link text, then its target) is kept once."""
    kept: list[tuple[int, Line]] = []
    for page, line in placed:
        repeated = kept and url_key(line.text) == url_key(kept[-1][1].text)
        if repeated and URL_ONLY.match(line.text):
            continue
        kept.append((page, line))
    return kept


def _links(pages: Sequence[PageLayout], sections: list[Section]) -> list[Link]:
    """Link annotations first, then URLs and e-mail addresses printed in the text (an address as
    a ``mailto:`` link); each once, first place kept, its text what is printed."""
    printed = [
        _Printed(block.page, block.bbox, url, text)
        for section in sections
        for block in section.blocks
        for url, text in _printed_links(block.text)
    ]
    found: dict[str, Link] = {}
    for page in pages:
        for area in page.links:
            _add_link(found, _completed(area, page.number, printed), page.number)
    for one in printed:
        _add_link(found, LinkArea(url=one.url, text=one.text), one.page)
    return list(found.values())


@dataclass(frozen=True, slots=True)
class _Printed:
    """A URL or e-mail address printed in a block (its url, and its text as printed)."""

    page: int
    bbox: tuple[float, float, float, float] | None
    url: str
    text: str


def _printed_links(text: str) -> list[tuple[str, str]]:
    """(url, printed text) of each URL and e-mail address in a block's text, in order."""
    found = [(m.start(), strip_tail(m.group())) for m in URL.finditer(text)]
    taken = [(start, start + len(url)) for start, url in found]
    for m in EMAIL.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.start(), "mailto:" + m.group()))
    return [(url, url.removeprefix("mailto:")) for _, url in sorted(found)]


def _completed(area: LinkArea, page: int, printed: list[_Printed]) -> LinkArea:
    """An annotation drawn over the first line only of a URL printed over several: its text (and
    its target, when that is the printed URL cut short) is the whole printed URL. The annotation's
    text must end where a URL goes on over a line end, inside the block that prints the whole."""
    text = " ".join(area.text.split())
    if not text or not URL.fullmatch(text) or not breaks_off(text):
        return area
    key = url_key(text)
    for one in printed:
        whole_key = url_key(one.url)
        if one.page != page or len(whole_key) <= len(key) or not whole_key.startswith(key):
            continue
        if not _within(area, one.bbox):
            continue
        target = area.url if len(url_key(area.url)) >= len(whole_key) else one.url
        return LinkArea(url=target, text=one.text)
    return area


def _within(area: LinkArea, bbox: tuple[float, float, float, float] | None) -> bool:
    """Whether the middle of the annotation's box lies in `bbox` (true where either is unknown)."""
    if bbox is None or area.x1 <= area.x0:
        return True
    x, y = (area.x0 + area.x1) / 2, (area.top + area.bottom) / 2
    return bbox[0] - 2 <= x <= bbox[2] + 2 and bbox[1] - 2 <= y <= bbox[3] + 2


def _add_link(found: dict[str, Link], area: LinkArea, page: int) -> None:
    url = area.url.strip()
    if not url or url.lower().startswith(("javascript:", "file:")):
        return
    if not ANY_SCHEME.match(url):
        url = "https://" + url  # www.… or a bare domain with a path
    key = url_key(url)
    if key in found:
        return
    text = " ".join(area.text.split())
    if URL.fullmatch(strip_tail(text)) or EMAIL.fullmatch(strip_tail(text)):
        text = strip_tail(text)  # the sentence's full stop or comma after the printed address
    found[key] = Link(url=url, text=text or None, page=page)


def _document_text(sections: list[Section], printed: dict[int, str]) -> str:
    parts: list[str] = []
    for section in sections:
        if section.heading is not None:
            parts.append(section.heading)
        for block in section.blocks:
            text = printed.get(id(block), block.text)
            parts.append((item_prefix(text) if block.type == "list_item" else "") + text)
    return "\n\n".join(parts)
