"""Reading order of a page's words: columns, banners, sidebars and boxes, by whitespace cuts.

A recursive XY-cut on word boxes. A region whose words leave a vertical gutter from top to
bottom is split into columns, read left to right. Otherwise the region is cut into horizontal
strips at the white gaps between lines; consecutive strips that keep a common gutter form a
multi-column band (cut and read column by column), and the other strips are full-width text,
read top to bottom. So a banner over two or three columns reads banner first, then each column;
a full-width block between column bands splits the bands; a sidebar is a column of its own.

A gutter counts only when text on both sides of it runs over at least three lines and is a few
ems wide: word gaps in justified text, tab stops and the cells of a small table are not columns.
A gutter hardly wider than the page's own word spaces (an old OCR layer's word boxes leave wide
gaps: 0.75 em where type has 0.3) counts only when many rows have text on both sides of it: a few
lines whose spaces line up by chance are a paragraph, not two columns. So does a narrow gutter
(down to NARROW_GUTTER, about 5 pt, yet wider than the page's word gaps): a river of white
through every line of a region that many rows of prose cross is a gutter; no line is then read
across it.

Table columns are not prose columns: when the left of two columns is short cells (labels of a
few words, often ending in `:`) and nearly each of its rows has a cell of the right column on the
same baseline, the two are one table, read row by row (`Ordförande: Anna Berg`), not all the
labels and then all the values. Each row of such a table is a table row: `layout_rows` gives,
for each of its words, the table column it stands in (its cell), so the row keeps its cells.

Pure geometry on `Word` boxes; no PDF library here, so the OCR reader could use it too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from .layout import Word

MIN_GUTTER = 6.0  # points: narrower gaps are word spaces, never gutters
GUTTER_EMS = 0.8  # a gutter is at least this many body-text ems wide
MIN_COLUMN_EMS = 5.0  # a column is at least this many ems wide (else: a table cell, a label)
MIN_COLUMN_LINES = 3  # ... and runs over at least this many lines (two could be a river)
BLOCK_GAP_EMS = 1.6  # a vertical gap this large (in ems of the larger line) starts a new block
STRIP_SHRINK = 0.25  # share of a word's height ignored at top and bottom when cutting strips
MAX_DEPTH = 24  # recursion guard for hostile pages
WORD_GAP_GUTTER = 1.6  # a gutter narrower than this many median word gaps is a possible river...
RIVER_ROWS = 8  # ... and counts only when this many rows have text on both sides of it
PROSE_WORDS = 3  # beside a narrow gutter: the median row has this many words or more,
PROSE_LETTERED = 0.7  # ... this share of the words have letters,
PROSE_FILL = 0.6  # ... and the median row fills this share of its side's width
EDGE_TOLERANCE = 1.0  # points: right of a narrow gutter, rows start within this of one edge
EDGE_SHARE = 0.8  # ... this share of them, at one of EDGES edges (text, bullets, indents)
EDGES = 3
RIVER_WORD_GAPS = 1.3  # a narrow gutter is this many median word gaps wide or more
NARROW_GUTTER = 4.5  # points: a river white through all of a region's lines, so many rows
# across it (RIVER_ROWS), is a gutter down to this width (book and calendar pages: 5-8 pt)

TABLE_CELL_WORDS = 2  # a table's left cells: this many words a row or fewer ...
TABLE_SHARE = 0.8  # ... in this share of its rows (or they end in ":"), which meet a right
TABLE_BASELINE = 0.25  # cell on the same baseline (within this many ems)
TABLE_ENTRY_WORDS = 5  # ... or rows of at most this many words not starting in lower case
MARKER_SHARE = 0.2  # a column with list markers in more than this share of its rows is a list
TABLE_WORD_CHARS = 3  # ... and one of its columns has words of this many characters
TABLE_COLUMN_ROWS = 0.3  # a column of a table has cells in this share of its rows (2 at least)

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """One line in reading order: its block, the indices of its words left to right, and for
    a row of a table the table column (cell) of each of those words and the table's number of
    columns (`cells` empty and `columns` 0 for any other line)."""

    block: int
    words: tuple[int, ...]
    cells: tuple[int, ...] = ()
    columns: int = 0


def layout_lines(words: Sequence[Word]) -> list[tuple[int, tuple[int, ...]]]:
    """Group words into lines in reading order: (block number, indices of the line's words).

    Blocks are numbered from 0 in reading order; each column, full-width region or box is a
    block, and a large vertical gap inside one starts a new block.
    """
    return [(placed.block, placed.words) for placed in layout_rows(words)]


def layout_rows(words: Sequence[Word]) -> list[PlacedLine]:
    """`layout_lines` with the cells of table rows: a line all of whose words stand in the
    columns of one table (`_Cutter.join_tables`) is a row of it."""
    if not words:
        return []
    body = median(w.size for w in words) or 10.0
    cutter = _Cutter(words, gutter=max(MIN_GUTTER, GUTTER_EMS * body), body=body)
    word_gap = cutter.word_gap()
    cutter.narrow = WORD_GAP_GUTTER * word_gap
    cutter.river = max(NARROW_GUTTER, RIVER_WORD_GAPS * word_gap)
    cutter.cell_gap = max(cutter.river, cutter.narrow)
    regions = cutter.cut(list(range(len(words))), 0)
    out: list[PlacedLine] = []
    block = -1
    for region in regions:
        block += 1
        prev: tuple[int, ...] | None = None
        for line in _group_lines(region, words):
            if prev is not None and _starts_block(prev, line, words):
                block += 1
            out.append(cutter.placed(block, line))
            prev = line
    return out


class _Cutter:
    def __init__(self, words: Sequence[Word], gutter: float, body: float) -> None:
        self.words = words
        self.gutter = gutter
        self.min_column_width = MIN_COLUMN_EMS * body
        self.body = body
        self.narrow = 0.0  # gutters narrower than this need RIVER_ROWS rows across them
        self.river = NARROW_GUTTER  # ... and, narrower than `gutter`, at least this wide
        # word index -> (table, column): the words of table columns joined by `join_tables`;
        # a table is named by its first word's index, and `tables` gives its number of columns
        self.cell: dict[int, tuple[int, int]] = {}
        self.tables: dict[int, int] = {}
        self.cell_gap = NARROW_GUTTER  # white channels this wide split a table into cells

    def placed(self, block: int, line: tuple[int, ...]) -> PlacedLine:
        """The line as placed; a row of a table when all its words stand in one table."""
        found = {self.cell.get(i, (-1, 0))[0] for i in line}
        if len(found) != 1 or -1 in found:
            return PlacedLine(block, line)
        table = found.pop()
        return PlacedLine(block, line, tuple(self.cell[i][1] for i in line), self.tables[table])

    def word_gap(self) -> float:
        """The median white between neighbouring words of a line on this page (points)."""
        gaps: list[float] = []
        for strip in self.strips(list(range(len(self.words)))):
            spans = self.spans(strip)
            for (_, a1), (b0, _) in zip(spans, spans[1:], strict=False):
                if 0 < b0 - a1 < 2 * self.body:
                    gaps.append(b0 - a1)
        return median(gaps) if gaps else 0.0

    def rows_across(self, idx: list[int], gap: Interval) -> int:
        """How many strips of `idx` have words on both sides of `gap`."""
        rows = 0
        for strip in self.strips(idx):
            spans = self.spans(strip)
            if spans[0][0] < gap[0] and spans[-1][1] > gap[1]:
                rows += 1
        return rows

    def edge_after(self, idx: list[int], gap: Interval) -> bool:
        """Whether the rows start at one edge right of a narrow gap, as a column's lines do
        (a river of word spaces that lines up by chance has words starting anywhere)."""
        words = self.words
        starts = []
        for strip in self.strips(idx):
            right = [words[i].x0 for i in strip if words[i].x0 >= gap[1] - 0.5]
            if right:
                starts.append(min(right))
        if len(starts) < RIVER_ROWS:
            return False
        # a column's edge, its list items' bullets and their hanging indents: a few edges
        bins = Counter(round(x / EDGE_TOLERANCE) for x in starts)
        edges = sorted(bins, key=lambda b: -bins[b])[:EDGES]
        near = sum(any(abs(round(x / EDGE_TOLERANCE) - e) <= 1 for e in edges) for x in starts)
        return near >= EDGE_SHARE * len(starts)

    def prose_beside(self, idx: list[int], gap: Interval) -> bool:
        """Whether the text on each side of a narrow gap reads as prose columns: rows of
        several words, mostly words of letters, most rows filling their side. The cells of a
        table (numbers, short labels) leave narrow white channels too; they are read row by
        row, not column by column."""
        centre = (gap[0] + gap[1]) / 2
        words = self.words
        for side in (
            [i for i in idx if (words[i].x0 + words[i].x1) / 2 < centre],
            [i for i in idx if (words[i].x0 + words[i].x1) / 2 >= centre],
        ):
            if not side:
                return False
            lettered = sum(any(ch.isalpha() for ch in words[i].text) for i in side)
            if lettered < PROSE_LETTERED * len(side):
                return False
            if median(len(words[i].text) for i in side) < 2:
                return False  # one glyph per word: vertical or spaced-out text, not prose
            strips = self.strips(side)
            left = min(words[i].x0 for i in side)
            right = max(words[i].x1 for i in side)
            if median(len(strip) for strip in strips) < PROSE_WORDS:
                return False
            filled = [
                max(words[i].x1 for i in strip) - min(words[i].x0 for i in strip)
                for strip in strips
            ]
            if median(filled) < PROSE_FILL * (right - left):
                return False
        return True

    def cut(self, idx: list[int], depth: int) -> list[list[int]]:
        """Single-column regions of `idx`, in reading order."""
        if len(idx) < 2 * MIN_COLUMN_LINES or depth > MAX_DEPTH:
            return [idx]
        columns = self.split_columns(idx)
        if len(columns) > 1:
            return [r for col in columns for r in self.cut(col, depth + 1)]
        strips = self.strips(idx)
        if len(strips) < 2:
            return [idx]
        # narrow columns under a title across them: a gutter the bands below cannot see
        run = self.river_run(strips)
        if run is not None and run[0] > 0:
            pieces = (strips[: run[0]], strips[run[0] : run[1]], strips[run[1] :])
            middle = [i for strip in pieces[1] for i in strip]
            narrow_only = not _gaps(self.spans(middle), self.gutter)
            if narrow_only and len(self.split_columns(middle)) > 1:
                groups = [[i for strip in piece for i in strip] for piece in pieces]
                return [r for group in groups if group for r in self.cut(group, depth + 1)]
        out: list[list[int]] = []
        flowing: list[int] = []  # consecutive full-width strips, read as one region
        for band in self.bands(strips):
            group = [i for strip in band for i in strip]
            parts = self.split_columns(group) if len(band) > 1 and len(group) < len(idx) else []
            if len(parts) > 1:
                if flowing:
                    out.append(flowing)
                    flowing = []
                out.extend(r for part in parts for r in self.cut(part, depth + 1))
            else:
                if len(parts) < 2 and self.is_grid(band):
                    self.mark_table(group)  # read row by row, as it is: rows with cells
                flowing.extend(group)
        if flowing:
            out.append(flowing)
        return out

    def river_run(self, strips: list[list[int]]) -> tuple[int, int] | None:
        """The longest run of consecutive strips (start, end) that keep a narrow white channel
        (at least `river` wide, narrower than `gutter`) in common, RIVER_ROWS of them with
        words on both sides of it; lines on one side only (a paragraph's last line, a
        heading) do not break the run."""
        best: tuple[int, int] | None = None
        k = 0
        while k < len(strips):
            current = _gaps(self.spans(strips[k]), self.river)
            end = k + 1
            if current:
                across = 1
                while end < len(strips):
                    spans = self.spans(strips[end])
                    inner = _gaps(spans, self.river)
                    shared = _intersect(current, _with_margins(inner, spans), self.river)
                    if not shared:
                        break
                    current = shared
                    across += bool(_intersect(current, inner, self.river))
                    end += 1
                narrow = all(b - a < self.gutter for a, b in current)
                if (
                    narrow
                    and across >= RIVER_ROWS
                    and (best is None or end - k > best[1] - best[0])
                ):
                    best = (k, end)
            k = max(end, k + 1) if current else k + 1
        return best

    def split_columns(self, idx: list[int]) -> list[list[int]]:
        """Split at every valid top-to-bottom gutter; columns left to right."""
        gaps = [
            g
            for g in _gaps(self.spans(idx), min(self.gutter, NARROW_GUTTER))
            if (g[1] - g[0] >= self.gutter and g[1] - g[0] >= self.narrow)
            or (
                self.rows_across(idx, g) >= RIVER_ROWS
                and (
                    g[1] - g[0] >= self.gutter
                    or (
                        g[1] - g[0] >= self.river
                        and self.prose_beside(idx, g)
                        and self.edge_after(idx, g)
                    )
                )
            )
        ]
        while gaps:
            cuts = [(a + b) / 2 for a, b in gaps]
            columns = _partition(idx, cuts, self.words)
            bad = [k for k, col in enumerate(columns) if not self.is_column(col)]
            if not bad:
                return self.join_tables([c for c in columns if c])
            # drop the gutter next to the first failing column (the narrower-side gap first)
            k = bad[0]
            if k == 0:
                gaps.pop(0)
            elif k == len(columns) - 1:
                gaps.pop(k - 1)
            else:
                left, right = gaps[k - 1], gaps[k]
                gaps.pop(k - 1 if (left[1] - left[0]) <= (right[1] - right[0]) else k)
        return [idx]

    def join_tables(self, columns: list[list[int]]) -> list[list[int]]:
        """Columns that are the cells of a table or a label-value list, joined again so that
        they are read row by row (a column and the one right of it: see `is_table`)."""
        runs = [[columns[0]]]
        for left, col in zip(columns, columns[1:], strict=False):
            if self.is_table(left, col):
                runs[-1].append(col)
            else:
                runs.append([col])
        out = [[i for col in run for i in col] for run in runs]
        for run, joined in zip(runs, out, strict=True):
            if len(run) > 1:
                self.mark_table(joined)
        return out

    def mark_table(self, idx: list[int]) -> None:
        """Each word of a table in its cell: the table's columns are split at every white
        channel through all its rows at least `cell_gap` wide (narrower than a gutter: a
        column of times or amounts beside the next is a column of the table too)."""
        rows = self.strips(idx)
        while rows and not _gaps(self.spans(rows[0]), self.gutter):
            rows.pop(0)  # a paragraph's last line that left the gutter white: not a row
        idx = [i for row in rows for i in row]
        channels = _gaps(self.spans(idx), self.cell_gap)
        least = max(2.0, TABLE_COLUMN_ROWS * len(rows))
        while channels:  # a column of the table has cells in several of its rows
            cuts = [(a + b) / 2 for a, b in channels]
            filled = [
                sum(any(i in col for i in row) for row in rows)
                for col in map(set, _partition(idx, cuts, self.words))
            ]
            k = next((k for k, n in enumerate(filled) if n < least), -1)
            if k < 0:
                break
            # a sparse column (a page number, a stray label) joins a neighbour: the narrower
            # channel beside it goes
            sides = [c for c in (k - 1, k) if 0 <= c < len(channels)]
            channels.pop(min(sides, key=lambda c: channels[c][1] - channels[c][0]))
        if not channels or len(rows) < MIN_COLUMN_LINES:
            return
        cuts = [(a + b) / 2 for a, b in channels]
        first = set(_partition(idx, cuts, self.words)[0])
        while rows and all(i in first for i in rows[-1]):
            rows.pop()  # a line under the table in its first column only (a page number)
        if len(rows) < MIN_COLUMN_LINES:
            return
        idx = [i for row in rows for i in row]
        columns = _partition(idx, cuts, self.words)
        if not any(self.holds_words(rows, set(col)) for col in columns):
            return  # the labels of a drawing (single letters, marks), not a table's cells
        table = min(idx)
        self.tables[table] = len(cuts) + 1
        for k, col in enumerate(columns):
            for i in col:
                self.cell[i] = (table, k)

    def holds_words(self, rows: list[list[int]], col: set[int]) -> bool:
        """Whether a table column's cells hold words: more than half of its filled cells have
        a word (`_is_word`). A drawing's labels lined up in rows and columns (points `P`,
        `g 2`, edges `b`, marks `*`) have none."""
        words = self.words
        cells = [[i for i in row if i in col] for row in rows]
        filled = [cell for cell in cells if cell]
        worded = sum(any(_is_word(words[i].text) for i in cell) for cell in filled)
        return worded > 0.5 * len(filled)

    def is_grid(self, band: list[list[int]]) -> bool:
        """Whether a band of rows that no column split reads (its columns too narrow, or too
        short) is a table: at its first white channel (a gutter wide) the rows line up, most
        of them with cells on both sides, and the cells left of it are short (labels, dates,
        numbers); a wrapped cell may leave a row with its right side only. Prose beside a
        margin of labels has most of its rows on one side only."""
        if len(band) < MIN_COLUMN_LINES:
            return False
        words = self.words
        channels = _gaps(self.spans([i for strip in band for i in strip]), self.gutter)
        if not channels:
            return False
        centre = (channels[0][0] + channels[0][1]) / 2
        lefts = [[i for i in strip if words[i].x1 <= centre] for strip in band]
        across = [left for left, strip in zip(lefts, band, strict=True)
                  if left and len(left) < len(strip)]
        if len(across) < max(MIN_COLUMN_LINES, 0.5 * len(band)):
            return False
        if sum(_is_marker(left, words) for left in across) > MARKER_SHARE * len(across):
            return False  # list markers and their items' hanging indent: a list
        if _numbers_only(across, words) and len(across) < TABLE_SHARE * len(band):
            return False  # numbered sections: a number beside each heading, its text under it
        short = sum(
            len(left) <= TABLE_CELL_WORDS or words[max(left, key=lambda i: words[i].x1)]
            .text.endswith(":")
            for left in across
        )
        return short >= TABLE_SHARE * len(across)

    def is_table(self, left: list[int], right: list[int]) -> bool:
        """Whether two columns side by side are table columns, not prose: the left one is
        short cells (labels, a few words a row, or rows ending in `:`) and nearly every one of
        its rows has a row of the right one on the same baseline, as cells of one row do;
        prose columns run long lines whose baselines need not meet."""
        words = self.words
        # a left column that is itself cells (a narrow column of times beside the dates is no
        # column of its own): each row's last cell, right of its last gap a gutter wide
        rows_l = [self.last_cell(r) for r in _group_lines(left, words)]
        rows_r = _group_lines(right, words)
        if len(rows_l) < MIN_COLUMN_LINES or not rows_r:
            return False
        short = sum(len(r) <= TABLE_CELL_WORDS for r in rows_l)
        labels = sum(words[r[-1]].text.endswith(":") for r in rows_l)
        # a cell of a few words that starts as an entry does (capital, digit), where a line of
        # prose more often goes on with the sentence of the line before (lower case); script
        # without case (CJK) tells nothing
        entries = sum(
            len(r) <= TABLE_ENTRY_WORDS and _starts_entry(words[r[0]].text) for r in rows_l
        )
        if max(short, labels, entries) < TABLE_SHARE * len(rows_l):
            return False
        if sum(_is_marker(r, words) for r in rows_l) > MARKER_SHARE * len(rows_l):
            return False  # a column of list markers: a list
        base_r = [max(words[i].bottom for i in r) for r in rows_r]
        matched = 0
        for r in rows_l:
            base = max(words[i].bottom for i in r)
            size = max(words[i].size for i in r)
            if any(abs(b - base) <= TABLE_BASELINE * size for b in base_r):
                matched += 1
        if _numbers_only(rows_l, words) and matched < TABLE_SHARE * len(rows_r):
            return False  # numbered sections: a number beside each heading, its text under it
        # values may wrap over two lines, but most rows of the right column start a row
        return matched >= TABLE_SHARE * len(rows_l) and matched >= 0.5 * len(rows_r)

    def last_cell(self, row: tuple[int, ...]) -> tuple[int, ...]:
        """The words of a row (left to right) after its last gap at least a gutter wide."""
        words = self.words
        start = 0
        for k in range(1, len(row)):
            if words[row[k]].x0 - words[row[k - 1]].x1 >= self.gutter:
                start = k
        return row[start:]

    def is_column(self, col: list[int]) -> bool:
        if not col:
            return False
        words = self.words
        x0 = min(words[i].x0 for i in col)
        x1 = max(words[i].x1 for i in col)
        if x1 - x0 < self.min_column_width:
            return False
        return len(self.strips(col)) >= MIN_COLUMN_LINES

    def strips(self, idx: list[int]) -> list[list[int]]:
        """Horizontal strips of `idx` separated by white gaps, top to bottom."""
        words = self.words
        spans = sorted((_shrunk(words[i]), i) for i in idx)
        strips: list[list[int]] = []
        end = float("-inf")
        for (top, bottom), i in spans:
            if not strips or top > end:
                strips.append([i])
                end = bottom
            else:
                strips[-1].append(i)
                end = max(end, bottom)
        return strips

    def spans(self, strip: list[int]) -> list[Interval]:
        return sorted((self.words[i].x0, self.words[i].x1) for i in strip)

    def bands(self, strips: list[list[int]]) -> list[list[list[int]]]:
        """Runs of consecutive strips: multi-column bands and full-width runs.

        A strip with white gaps between its words (a row across columns) opens or continues a
        band; the band keeps the gaps its rows share. A strip with no such gap (a line of one
        column, or a full-width line) joins the band when it leaves one of those gaps white;
        otherwise it closes the band. Last, the lines just before a band that leave its final
        gutters white join it: they start a column that begins higher than the others.
        """
        runs: list[tuple[list[list[int]], list[Interval]]] = []
        current: list[list[int]] = []
        gutters: list[Interval] = []  # empty: the current run is full-width text
        for strip in strips:
            spans = self.spans(strip)
            inner = _gaps(spans, self.gutter)
            if gutters:
                shared = _intersect(gutters, _with_margins(inner, spans), self.gutter)
                if shared:
                    current.append(strip)
                    gutters = shared
                    continue
            elif not inner and current:
                current.append(strip)
                continue
            if current:
                runs.append((current, gutters))
            current, gutters = [strip], inner
        if current:
            runs.append((current, gutters))
        for k in range(1, len(runs)):
            before, band = runs[k - 1], runs[k]
            if before[1] or not band[1]:
                continue  # only a full-width run gives lines to the band after it
            while before[0] and _intersect(
                band[1], _with_margins([], self.spans(before[0][-1])), self.gutter
            ):
                band[0].insert(0, before[0].pop())
        return [strips_ for strips_, _ in runs if strips_]


def _numbers_only(cells: Sequence[Sequence[int]], words: Sequence[Word]) -> bool:
    """Whether every cell is a bare number (`12`, `§ 3`): section or agenda numbers.

    >>> _numbers_only([[0], [1, 2]], [Word("2", 0, 0, 5, 10, 10, False),
    ...     Word("§", 0, 12, 5, 22, 10, False), Word("3", 7, 12, 12, 22, 10, False)])
    True
    """
    return all(
        _SECTION_NUMBER.fullmatch(" ".join(words[i].text for i in cell)) for cell in cells
    )


_SECTION_NUMBER = re.compile(r"(?:§\s*)?\d{1,3}")


def _starts_entry(text: str) -> bool:
    """Whether a cell starts as an entry does: a capital or a digit.

    >>> [_starts_entry(t) for t in ("Kassör:", "12", "och", "宮")]
    [True, True, False, False]
    """
    first = text[:1]
    return first.isupper() or first.isdigit()


def _is_word(text: str) -> bool:
    """A word as a table's cell holds one, not a drawing's label: TABLE_WORD_CHARS characters
    or more, two of them letters or digits.

    >>> [_is_word(t) for t in ("Ort", "33,00", "T0-C1", "g", "PY", "(a)", "* *")]
    [True, True, True, False, False, False, False]
    """
    return len(text) >= TABLE_WORD_CHARS and sum(ch.isalnum() for ch in text) >= 2


def _is_marker(cell: Sequence[int], words: Sequence[Word]) -> bool:
    """A cell that is a list item's marker (a bullet, a dash, `1.`, `a)`), not a table's.

    >>> _is_marker([0], [Word("12.", 0, 0, 9, 10, 10, False)])
    True
    """
    return len(cell) == 1 and bool(_MARKER.fullmatch(words[cell[0]].text))


_MARKER = re.compile(r"[•◦▪▫‣⁃●○■□►▸➢✓·∙*\-–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[IVXivx]{1,4}\.")


def _shrunk(w: Word) -> Interval:
    pad = (w.bottom - w.top) * STRIP_SHRINK
    return (w.top + pad, w.bottom - pad)


def _merged(spans: list[Interval]) -> list[Interval]:
    """Union of sorted intervals."""
    out: list[Interval] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _gaps(spans: list[Interval], width: float) -> list[Interval]:
    """White intervals at least `width` wide between the (sorted) spans."""
    merged = _merged(spans)
    return [(a[1], b[0]) for a, b in zip(merged, merged[1:], strict=False) if b[0] - a[1] >= width]


def _with_margins(free: list[Interval], spans: list[Interval]) -> list[Interval]:
    """`free` plus the unbounded white on either side of a strip's words."""
    left = min(a for a, _ in spans)
    right = max(b for _, b in spans)
    return [(float("-inf"), left), *free, (right, float("inf"))]


def _intersect(a: list[Interval], b: list[Interval], width: float) -> list[Interval]:
    out: list[Interval] = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= width:
                out.append((lo, hi))
    return out


def _partition(idx: list[int], cuts: list[float], words: Sequence[Word]) -> list[list[int]]:
    columns: list[list[int]] = [[] for _ in range(len(cuts) + 1)]
    for i in idx:
        centre = (words[i].x0 + words[i].x1) / 2
        k = 0
        while k < len(cuts) and centre > cuts[k]:
            k += 1
        columns[k].append(i)
    return columns


def _group_lines(idx: list[int], words: Sequence[Word]) -> list[tuple[int, ...]]:
    """Words of one single-column region grouped into lines, top to bottom, left to right."""
    order = sorted(idx, key=lambda i: (words[i].top, words[i].x0, i))
    lines: list[list[int]] = []
    band: Interval = (0.0, 0.0)
    for i in order:
        w = words[i]
        if lines and _same_line(band, w):
            lines[-1].append(i)
            continue
        lines.append([i])
        band = (w.top, w.bottom)
    return [tuple(sorted(line, key=lambda i: (words[i].x0, words[i].top, i))) for line in lines]


def _same_line(band: Interval, w: Word) -> bool:
    overlap = min(band[1], w.bottom) - max(band[0], w.top)
    shorter = min(band[1] - band[0], w.bottom - w.top)
    if shorter <= 0:
        return overlap >= 0
    centre = (w.top + w.bottom) / 2
    return overlap >= 0.5 * shorter and band[0] <= centre <= band[1]


def _starts_block(prev: tuple[int, ...], line: tuple[int, ...], words: Sequence[Word]) -> bool:
    """A large vertical gap, or a line that sits mostly beside the previous one (a box)."""
    prev_bottom = max(words[i].bottom for i in prev)
    top = min(words[i].top for i in line)
    size = max(max(words[i].size for i in prev), max(words[i].size for i in line))
    if top - prev_bottom > BLOCK_GAP_EMS * size:
        return True
    a0, a1 = min(words[i].x0 for i in prev), max(words[i].x1 for i in prev)
    b0, b1 = min(words[i].x0 for i in line), max(words[i].x1 for i in line)
    overlap = min(a1, b1) - max(a0, b0)
    return overlap < 0.5 * min(a1 - a0, b1 - b0)
