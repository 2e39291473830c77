"""Ligature glyphs that a PDF maps to the wrong character: a quote mark or a private-use
character where a word has its ``ll``, ``tt``, ``fi``, ``fl``, ``ff``, ``ffi`` or ``ffl``.

Apple Pages, among others, writes its ``ll`` and ``tt`` ligatures with a ToUnicode entry of a
quote mark: ``vi"`` for ``vill``, ``e"er`` for ``eller``. Such a glyph between two letters, or
at the end of a word that no quotation opened, is read as the ligature that makes a lexicon
word (the most frequent one when several do); nothing else is touched.

>>> from pipeline.lexicon import load_lexicon
>>> text = 'Vi vi" gärna höra från dig e"er din granne.'
>>> [(e.before, e.after) for e in fix_ligatures(text, load_lexicon())]
[('"', 'll'), ('"', 'll')]
>>> fix_ligatures('Hon sa "vi" och gick, fem" långt.', load_lexicon())
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
MIN_LETTERS = 2  # the word's own letters, besides the glyphs
INSIDE_CONFIDENCE = 0.9
END_CONFIDENCE = 0.8


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
    return edits


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
