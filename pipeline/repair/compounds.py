"""Swedish compound analysis: a word the lexicon lacks may still be made of words it has.

``verksamhetsförändring`` = ``verksamhet`` + linking ``s`` + ``förändring``. A compound's score
is the sum of its parts' log frequencies plus a cost per join, so a word the lexicon knows as a
whole always beats the same letters read as a compound.

>>> from pipeline.lexicon import load_lexicon
>>> compound_parts("samverkansarbetet", load_lexicon())
('samverkans', 'arbetet')
>>> compound_parts("insatserihela", load_lexicon()) is None
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from ..lexicon import Lexicon, per_lexicon

MIN_PART = 3  # letters in a compound part (shorter parts make almost anything a compound)
MAX_PARTS = 4
#: A token longer than this is no word (the lexicon's longest has 33 letters) but a run of OCR
#: noise or a hostile input: the repair leaves it as printed, and its searches stay small.
LONGEST_WORD = 60
JOIN_COST = math.log(0.02)
#: A non-final part must be at least this frequent: rare scraps glue anything together.
MIN_PART_FREQUENCY = 3e-7


def part_threshold(length: int, final: bool) -> float:
    """The least frequency a compound part of this length must have (short scraps are noise)."""
    if length <= 3:
        return 2e-5
    if length == 4:
        return 2e-6
    return 1e-12 if final else MIN_PART_FREQUENCY


#: (i, j) -> readings of positions i..j, best first.
PartScorer = Callable[[int, int], list[tuple[str, float]]]


def best_compound(
    n: int, score_part: PartScorer, ends: Callable[[int], Iterable[int]] | None = None
) -> tuple[tuple[str, ...], float] | None:
    """Best split of positions 0..n into parts scored by `score_part(i, j)` (best first).

    `score_part(i, j)` gives (word, log score) readings of positions i..j; the final part must
    be a whole word, a non-final part may also be a word with a linking s or e. Ties go to the
    split whose last part starts first. `ends(i)`, if given, lists in ascending order the ends j
    where `score_part(i, j)` may find a part (``parts.compound_ends``); the others are skipped.
    """
    best: dict[int, tuple[tuple[str, ...], float]] = {0: ((), 0.0)}
    for i in range(n - MIN_PART + 1):
        reached = best.get(i)  # final: every part ending at i starts before it
        if reached is None or len(reached[0]) >= MAX_PARTS:
            continue
        parts, total = reached
        for j in range(i + MIN_PART, n + 1) if ends is None else ends(i):
            readings = score_part(i, j)
            if not readings:
                continue
            word, score = readings[0]
            candidate = total + score + (JOIN_COST if parts else 0.0)
            if j not in best or candidate > best[j][1]:
                best[j] = (parts + (word,), candidate)
    result = best.get(n)
    if result is None or len(result[0]) < 2:
        return None
    return result


@per_lexicon(maxsize=65536)
def _plain_compound(lexicon: Lexicon, word: str) -> tuple[tuple[str, ...], float] | None:
    freq = lexicon.frequencies

    def score_part(i: int, j: int) -> list[tuple[str, float]]:
        part = word[i:j]
        final = j == len(word)
        f = freq.get(part, 0.0)
        if f >= part_threshold(len(part), final):
            return [(part, math.log(f))]
        if not final and part[-1] in "se" and len(part) > MIN_PART:
            g = freq.get(part[:-1], 0.0)
            if g >= part_threshold(len(part) - 1, final):
                return [(part, math.log(g))]
        if not final and len(part) >= 5:
            # a first part loses its final vowel: löntagar(e)organisation, flick(a)skola
            for vowel in "ea":
                g = freq.get(part + vowel, 0.0)
                if g >= part_threshold(len(part) + 1, final):
                    return [(part, math.log(g))]
        if not final and len(part) >= 4 and part[-1] in "ou":
            # a final a becomes o or u: känsl(a→o)kontakt, gat(a→u)kök
            g = freq.get(part[:-1] + "a", 0.0)
            if g >= part_threshold(len(part), final):
                return [(part, math.log(g))]
        return []

    return best_compound(len(word), score_part)


def compound_parts(word: str, lexicon: Lexicon) -> tuple[str, ...] | None:
    """The parts of a compound of known words, or None."""
    if len(word) > LONGEST_WORD:
        return None
    result = _plain_compound(lexicon)(word.lower())
    return result[0] if result else None
