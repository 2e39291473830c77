"""The Swedish lexicon: word frequencies from wordfreq's Swedish list, built once per process.

Shared by triage (does this page read as Swedish?) and repair (which spelling is likelier?).
The repair stage adds, lazily and cached per lexicon, an index from each word's form without
diacritics to the words that have them (``skeleton_index``): ``"for" -> ("för", ...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import regex
import wordfreq

WORD_PATTERN = regex.compile(r"\p{L}+")


def skeleton(word: str) -> str:
    """A lower-case word with å, ä, ö read as a, a, o.

    >>> skeleton("förändring")
    'forandring'
    """
    return word.replace("å", "a").replace("ä", "a").replace("ö", "o")


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """Lower-cased Swedish word -> relative frequency (0..1).

    Compared and hashed by identity, so caches can be keyed on it.
    """

    frequencies: dict[str, float]

    def frequency(self, word: str) -> float:
        return self.frequencies.get(word.lower(), 0.0)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self.frequencies

    def word_share(self, text: str) -> float:
        """Share of the letter words (two letters or more) in `text` that the lexicon knows.

        >>> load_lexicon().word_share("Målet är att alla barn ska må bra")
        1.0
        """
        words = [w for w in WORD_PATTERN.findall(text) if len(w) > 1]
        if not words:
            return 0.0
        return sum(1 for w in words if w.lower() in self.frequencies) / len(words)


def per_lexicon(maxsize: int) -> Callable[[Callable[..., Any]], Callable[[Lexicon], Any]]:
    """Memoize `fn(lexicon, *args)` in one table per lexicon, called as ``fn(lexicon)(*args)``.

    The table's keys are the other arguments only. A key that held the lexicon (an object the
    cyclic garbage collector tracks) would stay tracked as long as it is memoized, hundreds of
    thousands of them for the collector to visit; keys of strings, numbers and tuples of them
    it stops tracking after one pass.

    >>> @per_lexicon(maxsize=16)
    ... def frequency(lexicon, word):
    ...     return lexicon.frequency(word)
    >>> frequency(load_lexicon())("och") > 0.01
    True
    """

    def decorate(fn: Callable[..., Any]) -> Callable[[Lexicon], Any]:
        @lru_cache(maxsize=4)
        def table(lexicon: Lexicon) -> Callable[..., Any]:
            return lru_cache(maxsize=maxsize)(partial(fn, lexicon))

        table.__doc__ = fn.__doc__
        table.__name__ = fn.__name__
        return table

    return decorate


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Build the lexicon once per process (about 0.2 s)."""
    frequencies = wordfreq.get_frequency_dict("sv")
    # wordfreq keeps the list it built the dict from: 340,000 strings in lists, which every full
    # pass of the cyclic garbage collector walks (30 ms each). The dict (untracked: strings and
    # floats only) is all that is used; the list is read again if anyone asks wordfreq for it.
    wordfreq.get_frequency_list.cache_clear()
    return Lexicon(frequencies=frequencies)


@lru_cache(maxsize=4)
def skeleton_index(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Skeleton -> the words with å/ä/ö that have it, most frequent first (built on first use).

    >>> "för" in skeleton_index(load_lexicon())["for"]
    True
    """
    words = list(lexicon.frequencies)
    # one pass over all words joined is ten times faster than a translate per word
    skeletons = skeleton("\n".join(words)).split("\n")
    index: dict[str, list[str]] = {}
    for word, skel in zip(words, skeletons, strict=True):
        if skel != word:
            index.setdefault(skel, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=4)
def known_skeletons(lexicon: Lexicon) -> Mapping[str, None]:
    """Every skeleton some lexicon word has (its words, and the keys of `skeleton_index`), as
    the keys of a mapping: a dict of strings is one object to the garbage collector, where a
    set of them is hundreds of thousands to visit on every full collection.

    >>> "forandring" in known_skeletons(load_lexicon())
    True
    """
    known = dict.fromkeys(lexicon.frequencies)
    known.update(dict.fromkeys(skeleton_index(lexicon)))
    return known
