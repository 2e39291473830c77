"""Word geometry through the repair: each word of the output traced to where it was read.

The repair works on text alone; boxes stay out of its loop. Afterwards each character of a
page's repaired text is traced back to the character it was read as, by replaying the page's
repair records (each change's two sides aligned with difflib: kept letters keep their place, a
replaced letter takes the place of the one it replaced, an inserted space has none). A
character read from a word takes its share of that word's box, in proportion to the letters, so
a split word (``insatserihela`` → ``insatser i hela``) divides its box and a joined
hyphenation keeps both parts' boxes (its letters stay on the two lines they were read on).

The document's words (its `text`, after segmentation joined lines and stripped bullets) are
then matched to the repaired pages' words in reading order (`place_words`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

from ..layout import Line, PageLayout
from ..model import Repair

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left
#: How far (in words, on either side) a mismatch is searched for the next agreeing pair.
RESYNC_WINDOW = 40


class Glyph(NamedTuple):
    """One character of a page's text as read (before the repair). Named tuples: a page has
    thousands of characters, and a tuple is the cheapest to make."""

    page: int
    line: int  # the index of its line on the page
    offset: int  # its offset in the page's text as read
    box: Box | None  # its share of its word's box; None for a space or a page without geometry
    conf: float | None  # its word's OCR confidence, 0..1


class Traced(NamedTuple):
    """One character of the repaired text: what it was read as (None: inserted), and the repair
    stages that changed it."""

    char: str
    glyph: Glyph | None
    stages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageTrace:
    page: PageLayout
    read: str  # the page's text as read
    glyphs: list[Glyph]  # its characters
    chars: list[Traced]  # the repaired text, character by character


def read_glyphs(page: PageLayout) -> list[Glyph]:
    """The page's text as read (`page.text`), one Glyph per character."""
    glyphs: list[Glyph] = []
    geometry = page.width is not None and page.height is not None
    for number, line in enumerate(page.lines):
        if glyphs:  # the newline before this line belongs to the line before
            prev = glyphs[-1]
            glyphs.append(Glyph(page.number, prev.line, len(glyphs), None, None))
        start = len(glyphs)
        boxes = _char_boxes(line) if geometry else [(None, None)] * len(line.text)
        for k, (box, conf) in enumerate(boxes):
            glyphs.append(Glyph(page.number, number, start + k, box, conf))
    return glyphs


def _char_boxes(line: Line) -> list[tuple[Box | None, float | None]]:
    """Each character's box and confidence: its word's box divided by letters (or, when the
    words do not spell the line's text, the line's box divided evenly)."""
    text = line.text
    if line.words and " ".join(w.text for w in line.words) == text:
        out: list[tuple[Box | None, float | None]] = []
        for w in line.words:
            if out:
                out.append((None, None))  # the space between two words
            out.extend(_divide((w.x0, w.top, w.x1, w.bottom), len(w.text), w.conf))
        return out
    if line.x1 <= line.x0 or not text:
        return [(None, None)] * len(text)
    boxes = _divide((line.x0, line.top, line.x1, line.bottom), len(text), None)
    return [(None, None) if c.isspace() else b for c, b in zip(text, boxes, strict=True)]


def _divide(box: Box, n: int, conf: float | None) -> list[tuple[Box | None, float | None]]:
    x0, top, x1, bottom = box
    step = (x1 - x0) / n if n else 0.0
    return [((x0 + k * step, top, x0 + (k + 1) * step, bottom), conf) for k in range(n)]


def trace_page(page: PageLayout, repairs: Sequence[Repair]) -> PageTrace:
    """The page's repaired text traced to the characters read, by replaying `repairs` (the
    page's records, in the order they were made) on its text as read.

    >>> from pipeline.layout import Line, PageLayout, Word
    >>> words = (Word("insatserihela", 0, 0, 130, 10, 10, False),)
    >>> page = PageLayout(1, 200, 100, (Line("insatserihela", 0, 0, 130, 10, 10, False,
    ...                                       words=words),))
    >>> split = Repair(stage="split", page=1, offset=0, before="insatserihela",
    ...                after="insatser i hela", reason="", confidence=0.9)
    >>> [(w[0].glyph.box[0], w[-1].glyph.box[2]) for w in tokens(trace_page(page, [split]))]
    [(0.0, 80.0), (80.0, 90.0), (90.0, 130.0)]
    """
    read = page.text
    glyphs = read_glyphs(page)
    chars = [Traced(c, g) for c, g in zip(read, glyphs, strict=True)]
    text = read
    for r in repairs:
        if not r.applied:
            continue
        end = r.offset + len(r.before)
        if text[r.offset : end] != r.before:
            continue  # never expected (records replay); the words are matched by text anyway
        chars[r.offset : end] = _changed(chars[r.offset : end], r.after, r.stage)
        text = text[: r.offset] + r.after + text[end:]
    return PageTrace(page=page, read=read, glyphs=glyphs, chars=chars)


def _changed(old: list[Traced], after: str, stage: str) -> list[Traced]:
    """`old` replaced by `after`: letters kept keep their glyph; replaced ones take the glyphs
    they replace, spread evenly; inserted ones have none (a space) or their neighbour's."""
    before = "".join(t.char for t in old)
    new: list[Traced] = []
    for op, a0, a1, b0, b1 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            new.extend(
                Traced(c, t.glyph, t.stages) for c, t in zip(after[b0:b1], old[a0:a1], strict=True)
            )
        elif op in ("replace", "insert"):
            for k, c in enumerate(after[b0:b1]):
                if a1 > a0:
                    source = old[a0 + k * (a1 - a0) // (b1 - b0)]
                elif c.isspace():
                    source = Traced(c, None)
                elif old:  # an inserted letter stands where its neighbour was read
                    source = old[min(max(a0 - 1, 0), len(old) - 1)]
                else:
                    source = Traced(c, None)
                stages = source.stages + ((stage,) if stage not in source.stages else ())
                new.append(Traced(c, source.glyph, stages))
    return new


def tokens(trace: PageTrace) -> list[list[Traced]]:
    """The repaired page's words (runs of non-space characters), in reading order."""
    out: list[list[Traced]] = []
    current: list[Traced] = []
    for t in trace.chars:
        if t.char.isspace():
            if current:
                out.append(current)
                current = []
        else:
            current.append(t)
    if current:
        out.append(current)
    return out


def place_words(words: Sequence[str], found: Sequence[list[Traced]]) -> list[list[Traced | None]]:
    """Each of the document's `words` mapped, letter by letter, onto the pages' words `found`
    (both in reading order): equal words pair off; between two agreeing pairs, the letters are
    aligned (a line-end URL rejoined, letter-spaced display type read as words, a bullet
    dropped). A letter with no counterpart maps to None."""
    texts = ["".join(t.char for t in w) for w in found]
    anchors = _Anchors(words, texts)
    out: list[list[Traced | None]] = []
    i = j = 0
    while i < len(words):
        if j < len(texts) and words[i] == texts[j]:
            out.append(list(found[j]))
            i += 1
            j += 1
            continue
        di, dj = _resync(words, texts, i, j) or anchors.next(i, j)
        out.extend(_align_region(words[i : i + di], found[j : j + dj]))
        i += di
        j += dj
    return out


def _resync(
    words: Sequence[str], texts: Sequence[str], i: int, j: int
) -> tuple[int, int] | None:
    """The nearest (di, dj) within the window from which words and texts agree again (two
    words in a row, or the last); None when there is none."""
    n, m = len(words), len(texts)
    if j >= m:
        return n - i, 0
    for total in range(1, 2 * RESYNC_WINDOW + 1):
        for di in range(max(0, total - RESYNC_WINDOW), min(total, RESYNC_WINDOW) + 1):
            dj = total - di
            a, b = i + di, j + dj
            if a >= n or b >= m or words[a] != texts[b]:
                continue
            if a + 1 >= n or b + 1 >= m or words[a + 1] == texts[b + 1]:
                return di, dj
    return None


class _Anchors:
    """Three words in a row, found again further on: where words and texts agree after a gap
    wider than the window (a run of lines one side lacks). Built on first use."""

    def __init__(self, words: Sequence[str], texts: Sequence[str]) -> None:
        self.words, self.texts = words, texts
        self._in_words: dict[tuple[str, ...], list[int]] | None = None
        self._in_texts: dict[tuple[str, ...], list[int]] | None = None

    def next(self, i: int, j: int) -> tuple[int, int]:
        if self._in_words is None or self._in_texts is None:
            self._in_words, self._in_texts = _trigrams(self.words), _trigrams(self.texts)
        best: tuple[int, int] | None = None
        for di in range(RESYNC_WINDOW):  # the next words, found further on in the texts
            b = _after(self._in_texts, tuple(self.words[i + di : i + di + 3]), j)
            if b is not None and (best is None or di + b - j < sum(best)):
                best = (di, b - j)
                break
        for dj in range(RESYNC_WINDOW):  # the next texts, found further on in the words
            a = _after(self._in_words, tuple(self.texts[j + dj : j + dj + 3]), i)
            if a is not None and (best is None or a - i + dj < sum(best)):
                best = (a - i, dj)
                break
        return best if best is not None and sum(best) > 0 else (1, 1)


def _trigrams(items: Sequence[str]) -> dict[tuple[str, ...], list[int]]:
    index: dict[tuple[str, ...], list[int]] = {}
    for k in range(len(items) - 2):
        index.setdefault(tuple(items[k : k + 3]), []).append(k)
    return index


def _after(index: dict[tuple[str, ...], list[int]], key: tuple[str, ...], start: int) -> int | None:
    """The first place at or after `start` where the three words `key` stand."""
    if len(key) < 3:
        return None
    places = index.get(key, [])
    k = bisect_left(places, start)
    return places[k] if k < len(places) else None


def _align_region(
    words: Sequence[str], found: Sequence[list[Traced]]
) -> list[list[Traced | None]]:
    letters = [t for w in found for t in w]
    source = "".join(t.char for t in letters)
    target = "".join(words)
    mapped: list[Traced | None] = [None] * len(target)
    matcher = SequenceMatcher(None, target, source, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and b1 > b0):
            for k in range(a0, a1):
                mapped[k] = letters[b0 + (k - a0) * (b1 - b0) // (a1 - a0)]
    out: list[list[Traced | None]] = []
    start = 0
    for w in words:
        out.append(mapped[start : start + len(w)])
        start += len(w)
    return out
