"""Ligature glyphs that a PDF maps to the wrong character: a quote mark or a private-use
character where a word has its ``ll``, ``tt``, ``fi``, ``fl``, ``ff``, ``ffi`` or ``ffl``.

Apple Pages, among others, writes its ``ll`` and ``tt`` ligatures with a ToUnicode entry of a
quote mark: ``vi"`` for ``vill``, ``e"er`` for ``eller``. Such a glyph between two letters, or
at the end of a word that no quotation opened, is read as the ligature that makes a lexicon
word (the most frequent one when several do); nothing else is touched.

At the start of a word (``"nns`` for ``finns``, ``"ytta`` for ``flytta``) a quote mark usually
opens a quotation, so there it is read as ``fi``, ``fl``, ``ff``, ``ffi`` or ``ffl`` only where
the ligature makes a word far more frequent than the letters after it alone (``"era`` may quote
``era``) and no quote mark closes a quotation on that line or the next.

>>> from pipeline.lexicon import load_lexicon
>>> text = 'Vi vi" gärna höra från dig e"er din granne.'
>>> [(e.before, e.after) for e in fix_ligatures(text, load_lexicon())]
[('"', 'll'), ('"', 'll')]
>>> fix_ligatures('Hon sa "vi" och gick, fem" långt.', load_lexicon())
[]
>>> [(e.before, e.after) for e in fix_ligatures('Det "nns "era som vill "ytta.', load_lexicon())]
[('"', 'fi'), ('"', 'fl')]
>>> fix_ligatures('Hon sa "nns inte" och gick.', load_lexicon())
[]
"""

from __future__ import annotations

from itertools import product

import regex

from ..lexicon import Lexicon
from .records import Edit

LIGATURES = ("ll", "tt", "fi", "fl", "ff", "ffi", "ffl")
_GLYPHS = "\"“”„\ue000-\uf8ff"
# a word with one or two suspect glyphs after a letter: inside it or at its end
_WORD = regex.compile(rf"(?<![\p{{L}}{_GLYPHS}])\p{{L}}+(?:[{_GLYPHS}]\p{{L}}*){{1,2}}")
_GLYPH = regex.compile(rf"[{_GLYPHS}]")
# a quotation opens: a quote mark at the start of a word
_OPENING = regex.compile(r"(?:^|(?<=[\s(\[]))[\"“”„](?=\p{L})")
# a glyph first in a word, then letters only: a ligature that starts words (f-ligatures)
_START = regex.compile(
    rf"(?:^|(?<=[\s(\[/]))([{_GLYPHS}])(\p{{L}}{{2,}})(?![\p{{L}}{_GLYPHS}])", regex.MULTILINE
)
_CLOSING = regex.compile(r"(?<=\S)[\"“”„](?!\p{L})")  # a quote mark that ends a quotation
STARTING = ("fi", "fl", "ff", "ffi", "ffl")
MIN_LETTERS = 2  # the word's own letters, besides the glyphs
INSIDE_CONFIDENCE = 0.9
END_CONFIDENCE = 0.8
START_CONFIDENCE = 0.8
START_RATIO = 20.0  # at a word's start, the ligature's word this many times as frequent as
# the letters alone


def fix_ligatures(text: str, lexicon: Lexicon) -> list[Edit]:
    """Edits (offsets into `text`) that read misencoded ligature glyphs as their letters."""
    if not _GLYPH.search(text, concurrent=False):
        return []
    edits: list[Edit] = []
    for m in _WORD.finditer(text, concurrent=False):
        word = m.group(0)
        glyphs = [g.start() for g in _GLYPH.finditer(word, concurrent=False)]
        if len(word) - len(glyphs) < MIN_LETTERS:
            continue  # `B"(x)`: a symbol after a letter, not a word
        last = glyphs[-1]
        at_end = last == len(word) - 1
        if at_end and _quotation_open(text, m.start()):
            continue  # `"vi"`: a closing quote
        reading = _best_reading(word, glyphs, lexicon)
        if reading is None:
            continue
        confidence = END_CONFIDENCE if at_end else INSIDE_CONFIDENCE
        for offset, letters in zip(glyphs, reading, strict=True):
            edits.append(
                Edit(
                    m.start() + offset,
                    word[offset],
                    letters,
                    f"ligature {letters} mapped to {word[offset]!r}",
                    confidence,
                )
            )
    edits.extend(_at_word_starts(text, lexicon))
    return sorted(edits, key=lambda e: e.offset)


def _at_word_starts(text: str, lexicon: Lexicon) -> list[Edit]:
    """Edits for a glyph first in a word where an f-ligature makes a word far more frequent
    than its letters alone, and (for a quote mark) no quotation closes on its line or the
    next."""
    edits: list[Edit] = []
    for m in _START.finditer(text, concurrent=False):
        glyph, rest = m.group(1), m.group(2)
        if glyph in "\"“”„" and _closes_soon(text, m.end()):
            continue  # `"nns" kallas det`: a quotation
        upper = rest.isupper()
        scored = [
            (lexicon.frequency(lig + rest), lig.upper() if upper else lig) for lig in STARTING
        ]
        frequency, letters = max(scored, key=lambda pair: pair[0])
        # `"era` may quote `era` as well as stand for `flera`: only a word far more frequent
        # than its letters alone (which the web's own broken ligatures put in the lexicon)
        if frequency > 0 and frequency >= START_RATIO * lexicon.frequency(rest):
            edits.append(Edit(m.start(1), glyph, letters,
                              f"ligature {letters} mapped to {glyph!r}", START_CONFIDENCE))
    return edits


def _closes_soon(text: str, start: int) -> bool:
    """Whether a quote mark closes a quotation between `start` and the end of the next line."""
    end = text.find("\n", start)
    end = text.find("\n", end + 1) if end >= 0 else -1
    return bool(_CLOSING.search(text, start, end if end >= 0 else len(text), concurrent=False))


def _best_reading(word: str, glyphs: list[int], lexicon: Lexicon) -> tuple[str, ...] | None:
    """The ligatures for the glyphs at `glyphs` that make the most frequent lexicon word."""
    upper = word.isupper()
    best: tuple[float, tuple[str, ...]] | None = None
    for choice in product(LIGATURES, repeat=len(glyphs)):
        letters = tuple(c.upper() for c in choice) if upper else choice
        parts: list[str] = []
        start = 0
        for offset, ligature in zip(glyphs, letters, strict=True):
            parts.append(word[start:offset])
            parts.append(ligature)
            start = offset + 1
        parts.append(word[start:])
        candidate = "".join(parts)
        frequency = lexicon.frequency(candidate)
        if frequency > 0 and (best is None or frequency > best[0]):
            best = (frequency, letters)
    return best[1] if best else None


def _quotation_open(text: str, start: int) -> bool:
    """Whether a quotation opened earlier on the line of `start` and has not closed yet."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    opened = [m.start() for m in _OPENING.finditer(before, concurrent=False)]
    if not opened:
        return False
    after_open = before[opened[-1] + 1 :]
    return not regex.search(r"\p{L}[\"“”„](?!\p{L})", after_open)
