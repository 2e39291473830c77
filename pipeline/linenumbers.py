"""Line numbering in a page's margin: a number beside each text line, not part of the text.

Transcripts, pleadings, statutes in draft and code listings number their lines in the margin:
a column of consecutive integers (1, 2, 3 ...), one on each text line's baseline at a fixed
pitch, also on the blank lines between paragraphs, set apart from the text by a margin. Read as
words of their lines they fall into the prose (`oral 13 argument before`) or, lined up beside
it, make every line look like a table's row (number | text). They are page furniture: taken out
of the reading flow, so the text flows as prose.

A numbered list is not line numbering: its numbers mark items, not lines, so an item that wraps
leaves a text line without a number, no number stands on an empty line, and an item does not go
on with the sentence of the item above. Line numbering needs one of those two signs (a number on
an empty line, or lines whose text goes on with the line above) besides the fixed pitch and a
number on every text line beside it.

Pure geometry on `Word` boxes, as `columns` is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from .layout import Word

MIN_NUMBERED = 5  # a numbering runs over at least this many consecutive lines
ALIGN_EMS = 0.5  # the numbers' outer (or inner) edges line up within this many ems
MARGIN_EMS = 1.0  # the text beside starts at least this many ems from the numbers
PITCH_SHARE = 0.2  # consecutive numbers stand one pitch apart, within this share of it
UNNUMBERED_SHARE = 0.1  # text rows without a number inside the run: at most this share
TEXT_SHARE = 0.5  # this share of the numbered lines has text beside,
PROSE_WORDS = 3  # the text lines beside have this many words or more (median)
CONTINUED = 2  # ... and this many lines going on with the sentence of the line above,
# or one number on an empty line, tell line numbering from a numbered list

_NUMBER = re.compile(r"\d{1,4}")
_SENTENCE_END = (".", "!", "?", ":", ";")


def line_numbers(words: Sequence[Word]) -> set[int]:
    """Indices of the words that number the lines of the page in its left or right margin.

    >>> def w(text, x0, top):
    ...     return Word(text, x0, top, x0 + 6.0 * len(text), top + 12.0, 12.0, False)
    >>> page = []
    >>> for n, line in enumerate(["Nu börjar vi", "med att läsa", "", "Det går bra", "och fort"]):
    ...     page.append(w(str(n + 1), 60.0, 100.0 + 24.0 * n))
    ...     page += [w(t, 100.0 + 40.0 * k, 100.0 + 24.0 * n) for k, t in enumerate(line.split())]
    >>> sorted(line_numbers(page))
    [0, 4, 8, 9, 13]
    """
    if len(words) < MIN_NUMBERED:
        return set()
    rows = _rows(words)
    found: set[int] = set()
    for side in (0, -1):  # numbers first in their rows (left margin), then last (right margin)
        candidates = []
        for row in rows:
            k = row[side]
            w = words[k]
            if not _NUMBER.fullmatch(w.text):
                continue
            rest = [words[i] for i in row if i != k]
            gap = (
                min(r.x0 for r in rest) - w.x1 if side == 0 else w.x0 - max(r.x1 for r in rest)
            ) if rest else float("inf")
            if gap >= MARGIN_EMS * w.size:
                candidates.append((k, row))
        for run in _runs(candidates, words, side):
            if _is_numbering(run, rows, words):
                found.update(k for k, _ in run)
    return found


def _rows(words: Sequence[Word]) -> list[list[int]]:
    """Words grouped into rows (their vertical centres inside the row's first word's height),
    top to bottom, each row left to right."""
    order = sorted(range(len(words)), key=lambda i: (words[i].top, words[i].x0, i))
    rows: list[list[int]] = []
    band = (0.0, 0.0)
    for i in order:
        w = words[i]
        centre = (w.top + w.bottom) / 2
        if rows and band[0] <= centre <= band[1]:
            rows[-1].append(i)
        else:
            rows.append([i])
            band = (w.top, w.bottom)
    return [sorted(row, key=lambda i: (words[i].x0, i)) for row in rows]


def _runs(
    candidates: list[tuple[int, list[int]]], words: Sequence[Word], side: int
) -> list[list[tuple[int, list[int]]]]:
    """Runs of consecutive integers at a fixed pitch, down one aligned edge of the page."""
    runs: list[list[tuple[int, list[int]]]] = []
    for edge in (True, False):  # numbers aligned at their edge towards the text, or away from it
        def key(w: Word, edge: bool = edge) -> float:
            return w.x1 if (side == 0) == edge else w.x0

        pending = sorted(candidates, key=lambda c: (key(words[c[0]]), words[c[0]].top))
        columns: list[list[tuple[int, list[int]]]] = []
        for c in pending:
            w = words[c[0]]
            if columns and abs(key(words[columns[-1][0][0]]) - key(w)) <= ALIGN_EMS * w.size:
                columns[-1].append(c)
            else:
                columns.append([c])
        for column in columns:
            column.sort(key=lambda c: words[c[0]].top)
            run = [column[0]]
            for prev, c in zip(column, column[1:], strict=False):
                if _follows(run, prev, c, words):
                    run.append(c)
                    continue
                if len(run) >= MIN_NUMBERED:
                    runs.append(run)
                run = [c]
            if len(run) >= MIN_NUMBERED:
                runs.append(run)
    return runs


def _follows(
    run: list[tuple[int, list[int]]],
    prev: tuple[int, list[int]],
    c: tuple[int, list[int]],
    words: Sequence[Word],
) -> bool:
    """Whether `c` numbers the line after `prev`: the next integer, one pitch further down."""
    a, b = words[prev[0]], words[c[0]]
    if int(b.text) != int(a.text) + 1:
        return False
    step = b.top - a.top
    if len(run) < 2:
        return step > 0
    pitch = (words[run[-1][0]].top - words[run[0][0]].top) / (len(run) - 1)
    return abs(step - pitch) <= PITCH_SHARE * pitch


def _is_numbering(
    run: list[tuple[int, list[int]]], rows: list[list[int]], words: Sequence[Word]
) -> bool:
    """Whether a run of numbers numbers lines: a number on every text line beside it, and
    numbers on empty lines or lines that go on with the sentence above (not a list)."""
    numbered = {id(row) for _, row in run}
    top = words[run[0][0]].top
    bottom = words[run[-1][0]].bottom
    inside = [row for row in rows if top <= words[row[0]].top and words[row[0]].bottom <= bottom]
    unnumbered = sum(id(row) not in numbered for row in inside)
    if unnumbered > UNNUMBERED_SHARE * len(run):
        return False
    texts = [[words[i].text for i in row if i != k] for k, row in run]
    filled = [len(text) for text in texts if text]
    if len(filled) < TEXT_SHARE * len(run) or median(filled) < PROSE_WORDS:
        return False  # numbers alone, or beside cells and one-word entries: not prose beside
    if any(not text for text in texts):
        return True
    continued = sum(
        bool(text[0][:1].islower()) and not above[-1].endswith(_SENTENCE_END)
        for above, text in zip(texts, texts[1:], strict=False)
    )
    return continued >= CONTINUED
