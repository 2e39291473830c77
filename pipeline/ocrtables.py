"""Tables on OCR'd pages: Tesseract's words through the layout's table rule.

Tesseract groups a scanned table as it sees it: a label-value list often as all the labels and
then all the values, or each column a block of its own. The words it read keep their boxes, so
the same rule that reads a text layer's tables (`columns.layout_rows`: short cells whose rows
line up across a white gap) finds them here too. Only the rows of a table found so are changed:
their words are taken out of Tesseract's lines and put back as table rows, cell by cell, where
the table's first word stood; every other line stays as Tesseract read it (its reading order
of the rest of the page is not second-guessed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import median

from .columns import PlacedLine, layout_rows
from .layout import Line, Word


def read_tables(lines: Sequence[Line]) -> tuple[Line, ...]:
    """`lines` with the rows of any table among their words read row by row as table rows."""
    words = [w for line in lines for w in line.words]
    if not words:
        return tuple(lines)
    runs: list[list[PlacedLine]] = [[]]  # consecutive table rows in the layout's reading order
    for placed in layout_rows(words):
        if placed.columns > 1:
            runs[-1].append(placed)
        elif runs[-1]:
            runs.append([])
    runs = [run for run in runs if run]
    if not runs:
        return tuple(lines)
    in_table = {i for run in runs for placed in run for i in placed.words}
    # each run of rows goes where the first of its words stood in Tesseract's order
    first_row = {min(i for placed in run for i in placed.words): run for run in runs}
    out: list[Line] = []
    k = 0
    for line in lines:
        if not any(k + n in in_table for n in range(len(line.words))):
            out.append(line)
            k += len(line.words)
            continue
        kept: list[Word] = []
        for w in line.words:
            if k in first_row:
                if kept:  # words of this line before the table stay before it
                    out.append(_line_of(kept, line))
                    kept = []
                out.extend(_row_line(placed, words, line.block) for placed in first_row[k])
            if k not in in_table:
                kept.append(w)
            k += 1
        if kept:
            out.append(_line_of(kept, line))
    return tuple(out)


def _row_line(placed: PlacedLine, words: Sequence[Word], block: int) -> Line:
    """A table row: its cells' words left to right, the cells joined by a tab."""
    cells: list[list[Word]] = [[] for _ in range(placed.columns)]
    for i, k in zip(placed.words, placed.cells, strict=True):
        cells[k].append(words[i])
    row = [w for cell in cells for w in cell]
    chars = Counter(w.bold for w in row for _ in w.text)
    return Line(
        text="\t".join(" ".join(w.text for w in cell) for cell in cells),
        x0=min(w.x0 for w in row),
        top=min(w.top for w in row),
        x1=max(w.x1 for w in row),
        bottom=max(w.bottom for w in row),
        size=round(median(w.size for w in row), 1),
        bold=chars[True] > chars[False],
        block=block,
        words=tuple(row),
        table_row=True,
    )


def _line_of(kept: list[Word], line: Line) -> Line:
    """What is left of a Tesseract line once a table's words are taken out of it."""
    return Line(
        text=" ".join(w.text for w in kept),
        x0=min(w.x0 for w in kept),
        top=min(w.top for w in kept),
        x1=max(w.x1 for w in kept),
        bottom=max(w.bottom for w in kept),
        size=line.size,
        bold=line.bold,
        block=line.block,
        words=tuple(kept),
    )
