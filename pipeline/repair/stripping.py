"""Is a page "stripped" (its å/ä/ö lost or damaged) or does it have its diacritics?

On a stripped page valid plain words (``for``, ``ar``, ``pa``) are damaged forms to restore; on
a page with its diacritics they are left alone. The evidence: words whose form with å/ä/ö is
far more frequent (cues), against words that have å/ä/ö.

>>> estimate_stripped("Malet ar att alla barn i lanet ska ma bra for det ar viktigt")
True
>>> estimate_stripped("Målet är att alla barn i länet ska må bra för det är viktigt")
False
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from ..lexicon import (
    Lexicon,
    load_lexicon,
    per_lexicon,
    skeleton,
    skeleton_index,
    words_in_tokens,
)

_WORD = regex.compile(r"[\p{L}&6]{2,}")
#: A letter with a ring or dots.
DIACRITIC = regex.compile(r"[åäöÅÄÖ]")
_DAMAGE = regex.compile(r"\p{L}[6&]|[6&]\p{L}|\p{L}é\p{L}")
#: A plain word is a cue when a form with diacritics is this many times more frequent.
CUE_RATIO = 20.0


def stripped_evidence(
    text: str, lexicon: Lexicon | None = None, tokens: Iterable[str] | None = None
) -> tuple[int, int]:
    """(cues of stripping or damage, words that have å/ä/ö); `tokens`: the text's runs of
    letters, digits and & (`diacritics.tokens`), if the caller has them."""
    lexicon = lexicon or load_lexicon()
    if tokens is None:
        words = _WORD.findall(text, concurrent=False)
    else:
        words = words_in_tokens(tokens, _WORD, 2)
    marks = list(map(_evidence(lexicon), words))
    return marks.count(1), marks.count(2)


@per_lexicon(maxsize=262144)
def _evidence(lexicon: Lexicon, word: str) -> int:
    """What one word says: 2 it has å/ä/ö, 1 a cue of stripping or damage, 0 nothing."""
    if not word.isascii():  # (the searches only when the word has a letter they look for)
        if DIACRITIC.search(word, concurrent=False):
            return 2
        if "é" in word and _DAMAGE.search(word, concurrent=False):
            return 1
    if ("6" in word or "&" in word) and _DAMAGE.search(word, concurrent=False):
        return 1
    if word.isupper():
        return 0
    low = word.lower()
    forms = skeleton_index(lexicon).get(low if low.isascii() else skeleton(low))
    freq = lexicon.frequencies
    if forms and freq.get(forms[0], 0.0) > CUE_RATIO * freq.get(low, 0.0):
        return 1
    return 0


#: The damage rates the repair distinguishes (a few levels keep its caches small).
RATE_LEVELS = (0.03, 0.1, 0.25, 0.5, 0.75, 0.97)


def estimate_damage_rate(
    text: str, lexicon: Lexicon | None = None, tokens: Iterable[str] | None = None
) -> float:
    """The share λ of å/ä/ö the channel damaged on this text, from cues against intact words
    (`tokens` as for `stripped_evidence`).

    >>> estimate_damage_rate("Målet ar att alla barn")
    0.5
    """
    cues, diacritics = stripped_evidence(text, lexicon, tokens)
    rate = (cues + 0.2) / (cues + diacritics + 1.0)
    return min(RATE_LEVELS, key=lambda level: abs(level - rate))


def estimate_stripped(text: str, lexicon: Lexicon | None = None) -> bool:
    """True when the text has lost most of its å/ä/ö (damage rate at least one half)."""
    return estimate_damage_rate(text, lexicon) >= 0.5
