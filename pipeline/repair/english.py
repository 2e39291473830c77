"""English passages are left alone: a line that reads as English rather than Swedish.

The cue is the share of the commonest English function words, which Swedish text almost never
has (``the``, ``and``, ``of``, ``is`` …); no English word list needs loading.

>>> is_english_line("Read more about the project on our website")
True
>>> is_english_line("Las mer om projektet pa var hemsida")
False
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from operator import itemgetter

from ..lexicon import WORD_PATTERN, words_in_tokens
from .records import Edit

#: The commonest English function words that are not also common Swedish words.
ENGLISH_WORDS = frozenset(
    "the and of to is are was were be been this that these those with from for on our your "
    "you we they it its at by an or not no can will would should about more most which what "
    "who how when where why there their them has have had do does did all any some each "
    "other into over than then also only just very read please here".split()
)


def is_english_line(line: str) -> bool:
    """At least 3 words, and at least a third of them English function words."""
    return is_english(WORD_PATTERN.findall(line, concurrent=False))


def is_english(words: Sequence[str]) -> bool:
    """`is_english_line` for a line's words (its runs of letters)."""
    if len(words) < 3:
        return False
    english = sum(map(ENGLISH_WORDS.__contains__, map(str.lower, words)))
    return english * 3 >= len(words) and english >= 2


def not_english(text: str, edits: list[Edit], toks: list[tuple[int, str]]) -> list[Edit]:
    """Drop edits on lines that read as English: English passages are left as printed.

    `toks` are the text's `tokens`: a line's words are read from those on it
    (`lexicon.words_in_tokens`), not searched for in the line again."""
    if not edits:
        return edits
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    english = english_lines(text, toks, starts)
    if not english:
        return edits
    return [e for e in edits if bisect.bisect_right(starts, e.offset) - 1 not in english]


def english_lines(text: str, toks: list[tuple[int, str]], starts: list[int]) -> set[int]:
    """The numbers of the lines (starting at `starts`) that read as English (`is_english`).

    A line reads as English only with two English function words or more: the lines that have
    them are found from the tokens that are such words (a token with digits or & holds what
    `words_in_tokens` finds in it), and only those lines are read whole.
    """
    counts: dict[int, int] = {}  # line number -> English function words on it
    for start, word in toks:
        if word.isalpha():
            if word.lower() not in ENGLISH_WORDS:
                continue
            found = 1
        else:
            found = sum(w.lower() in ENGLISH_WORDS for w in words_in_tokens([word]))
            if not found:
                continue
        line = bisect.bisect_right(starts, start) - 1
        counts[line] = counts.get(line, 0) + found
    english = set()
    for line, found in counts.items():
        if found < 2:
            continue
        end = starts[line + 1] if line + 1 < len(starts) else len(text)
        first = bisect.bisect_left(toks, starts[line], key=_START)
        after = bisect.bisect_left(toks, end, lo=first, key=_START)
        if is_english(words_in_tokens(map(_TEXT, toks[first:after]))):
            english.add(line)
    return english


_NEWLINE = re.compile("\n")
_START = itemgetter(0)  # a token's offset
_TEXT = itemgetter(1)  # a token's text
