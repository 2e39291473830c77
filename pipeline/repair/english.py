"""English passages are left alone: a line that reads as English rather than Swedish.

The cue is the share of the commonest English function words, which Swedish text almost never
has (``the``, ``and``, ``of``, ``is`` …); no English word list needs loading.

>>> is_english_line("Read more about the project on our website")
True
>>> is_english_line("Las mer om projektet pa var hemsida")
False
"""

from __future__ import annotations

from collections.abc import Sequence

from ..lexicon import WORD_PATTERN

#: The commonest English function words that are not also common Swedish words.
ENGLISH_WORDS = frozenset(
    "the and of to is are was were be been this that these those with from for on our your "
    "you we they it its at by an or not no can will would should about more most which what "
    "who how when where why there their them has have had do does did all any some each "
    "other into over than then also only just very read please here".split()
)


def is_english_line(line: str) -> bool:
    """At least 3 words, and at least a third of them English function words."""
    return is_english(WORD_PATTERN.findall(line))


def is_english(words: Sequence[str]) -> bool:
    """`is_english_line` for a line's words (its runs of letters)."""
    if len(words) < 3:
        return False
    english = sum(map(ENGLISH_WORDS.__contains__, map(str.lower, words)))
    return english * 3 >= len(words) and english >= 2
