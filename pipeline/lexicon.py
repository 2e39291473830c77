"""The Swedish lexicon: word frequencies from wordfreq's Swedish list, built once per process.

Shared by triage (does this page read as Swedish?) and repair (which spelling is likelier?).
The repair stage adds, built once and cached per lexicon, an index from each word's loose key
(its form with a, å, ä, o, ö, d, é blurred) to the words that have it (``loose_index``), and
one from each form without diacritics to the words with them (``skeleton_index``):
``"for" -> ("för", ...)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain
from typing import Any

import regex
import wordfreq

WORD_PATTERN = regex.compile(r"\p{L}+")


def words_in_tokens(
    tokens: Iterable[str], pattern: regex.Pattern[str] = WORD_PATTERN, shortest: int = 1
) -> list[str]:
    """`pattern.findall(text)` from the text's tokens (its runs of letters, digits and &, as
    `repair.diacritics.tokens` finds them), for a pattern of runs of letters (and perhaps & or
    digits) `shortest` long or more: a token of letters alone is one such run, and the others
    hold what the pattern finds in them.

    >>> words_in_tokens(["Malet", "&r", "S6rmland", "i"])
    ['Malet', 'r', 'S', 'rmland', 'i']
    """
    words = []
    for token in tokens:
        if token.isalpha():
            if len(token) >= shortest:
                words.append(token)
        else:
            words.extend(pattern.findall(token, concurrent=False))
    return words


#: The most entries a `word_table` keeps before it starts afresh.
WORD_TABLE_SIZE = 262144


def word_table(lexicon: Lexicon, *key: object) -> dict[str, Any]:
    """A memo table of one stage's result per printed word under the settings `key` (a stage's
    name and the page's damage rate, say), shared by every page repaired with `lexicon`.

    A stage looks up each distinct word of a page in a plain dict (a look-up of a few dozen
    instructions, where a call through a memoized function costs some hundreds) and works out
    only the words it has not met. The table starts afresh when it holds `WORD_TABLE_SIZE`
    words, so a long batch does not grow it without bound.

    >>> table = word_table(load_lexicon(), "example", 0.5)
    >>> table is word_table(load_lexicon(), "example", 0.5)
    True
    """
    table: dict[str, Any] = _word_tables(lexicon).setdefault(key, {})
    if len(table) >= WORD_TABLE_SIZE:
        table.clear()
    return table


@lru_cache(maxsize=4)
def _word_tables(lexicon: Lexicon) -> dict[tuple[object, ...], dict[str, Any]]:
    return {}


def skeleton(word: str) -> str:
    """A lower-case word with å, ä, ö read as a, a, o.

    >>> skeleton("förändring")
    'forandring'
    """
    return word.replace("å", "a").replace("ä", "a").replace("ö", "o")


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """Lower-cased Swedish word -> relative frequency (0..1).

    Compared and hashed by identity, so caches can be keyed on it. `kept`: lower-cased words
    that no repair changes (the archive's own words, `review.words`).
    """

    frequencies: dict[str, float]
    kept: frozenset[str] = frozenset()

    def frequency(self, word: str) -> float:
        return self.frequencies.get(word.lower(), 0.0)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self.frequencies

    def word_share(self, text: str) -> float:
        """Share of the letter words (two letters or more) in `text` that the lexicon knows.

        >>> load_lexicon().word_share("Målet är att alla barn ska må bra")
        1.0
        """
        words = [w for w in WORD_PATTERN.findall(text, concurrent=False) if len(w) > 1]
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


#: The letters `loose_key` blurs: those a damaged token may print for another (a for ä, d for
#: å, é for ö ...), and the letters they stand for.
LOOSE_LETTERS = "aåäoödé"


def loose_key(word: str) -> str:
    """A lower-case word with every letter of `LOOSE_LETTERS` read as ``*``.

    >>> loose_key("förändring"), loose_key("fdrandring")
    ('f*r*n*ring', 'f*r*n*ring')
    """
    for letter in LOOSE_LETTERS:
        word = word.replace(letter, "*")
    return word


@lru_cache(maxsize=4)
def loose_index(lexicon: Lexicon) -> LooseIndex:
    """Loose key -> the one lexicon word that has it, or a tuple of the words (most frequent
    first) when several do; built once per lexicon, in about 0.2 s.

    Every word a damaged token can be a reading of has the token's loose key, so one look-up
    lists them all (to be checked against the confusion channel), where a look-up per reading
    of the token would take dozens. A word is kept as itself, not as a tuple of one: 320,000
    fewer objects to build and for the garbage collector to visit.

    >>> loose_index(load_lexicon())["m*jligheter"]
    'möjligheter'
    """
    words = list(lexicon.frequencies)  # most frequent first
    # one pass over all words joined is ten times faster than a pass per word
    keys = loose_key("\n".join(words)).split("\n")
    index = LooseIndex(zip(keys, words, strict=True))
    if len(index) < len(words):  # keys that several words share: their words as tuples
        shared: dict[str, list[str]] = {k: [] for k, n in Counter(keys).items() if n > 1}
        for word, key in zip(words, keys, strict=True):
            if key in shared:
                shared[key].append(word)
        index.update((k, tuple(v)) for k, v in shared.items())
        index.shared = frozenset(chain.from_iterable(shared.values()))
    return index


class LooseIndex(dict[str, str | tuple[str, ...]]):
    """`loose_index`'s dict, with the words whose loose key other words have too (`shared`:
    32,000 of 340,000): a lexicon word not among them is the one word of its loose key, found
    without computing the key.

    >>> shared = loose_index(load_lexicon()).shared
    >>> "för" in shared, "möjligheter" in shared  # (för, for, far, får ... share f*r)
    (True, False)
    """

    shared: frozenset[str] = frozenset()


def loose_words(lexicon: Lexicon, key: str) -> tuple[str, ...]:
    """The lexicon words with this loose key, most frequent first."""
    found = loose_index(lexicon).get(key, ())
    return (found,) if isinstance(found, str) else found


@lru_cache(maxsize=4)
def skeleton_index(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Skeleton -> the words with å/ä/ö that have it, most frequent first (built on first use,
    from the 90,000 words that have å/ä/ö: about 0.05 s).

    >>> skeleton_index(load_lexicon())["for"][0]
    'för'
    """
    marked = [
        w for w in lexicon.frequencies if not w.isascii() and ("å" in w or "ä" in w or "ö" in w)
    ]
    # one pass over the words joined is ten times faster than a pass per word
    skeletons = skeleton("\n".join(marked)).split("\n") if marked else []
    index: dict[str, tuple[str, ...]] = {}
    for word, skel in zip(marked, skeletons, strict=True):
        index[skel] = index.get(skel, ()) + (word,)
    return index
