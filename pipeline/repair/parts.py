"""Where a part can end: a trie of the skeletons that compound and split parts can have.

The compound search (``diacritics._compound``) and the split search (``splitting``) try parts
``skel[i:j]`` of a token's skeleton. Most ends j find nothing: no word frequent enough to be a
part has that skeleton. The trie lists, in one call, the ends where one might (`compound_ends`,
`split_ends`); the searches try those only, with the same rules as before, so they find the
same parts. It holds the skeletons of the words frequent enough to be a part anywhere (55,000
of wordfreq's 340,000), and the forms a first part takes (a lost final vowel, a final a read
as o or u), and is built in about 0.1 s.

>>> from pipeline.lexicon import load_lexicon
>>> compound_ends(part_trie(load_lexicon()), "verksamhetsforandring", 0)
[4, 5, 7, 10, 11, 21]
"""

from __future__ import annotations

from functools import lru_cache

import marisa_trie

from ..lexicon import Lexicon, skeleton
from .compounds import MIN_PART, part_threshold

#: The least frequency of a split part: short parts (function words) and longer ones.
SPLIT_SHORT_FREQUENCY = 1e-4
SPLIT_FREQUENCY = 1e-6
#: The longest part the split search tries.
SPLIT_LONGEST = 20


def split_threshold(length: int) -> float:
    """The least frequency a split part of this length must have."""
    return SPLIT_SHORT_FREQUENCY if length <= 3 else SPLIT_FREQUENCY


def _floor(length: int) -> float:
    """The least frequency of a word that can be a part of this length, compound or split."""
    if length < MIN_PART:
        return split_threshold(length)
    return min(part_threshold(length, final=False), split_threshold(length))


@lru_cache(maxsize=4)
def part_trie(lexicon: Lexicon) -> marisa_trie.Trie:
    """The skeletons of the lexicon words that can be parts (above `_floor` for their length),
    with the forms a first part takes: less a final e or a (``löntagar(e)-``) and with a final a
    read as o or u (``känsl(a→o)-``)."""
    freq = lexicon.frequencies
    lowest = _floor(MIN_PART + 2)  # the floor falls with the length, down to five letters
    words = [w for w, f in freq.items() if f >= lowest and f >= _floor(len(w))]
    skeletons = skeleton("\n".join(words)).split("\n") if words else []
    keys = set(skeletons)
    for k in skeletons:
        if len(k) >= 6 and k[-1] in "ea":
            keys.add(k[:-1])
        if len(k) >= 4 and k[-1] == "a":
            keys.add(k[:-1] + "o")
            keys.add(k[:-1] + "u")
    return marisa_trie.Trie(keys)


def compound_ends(trie: marisa_trie.Trie, skel: str, i: int) -> list[int]:
    """The ends j, ascending, where a compound part skel[i:j] may be found: a non-final part
    the trie holds (or one more letter, a linking s or e), and the end of the word."""
    n = len(skel)
    ends: list[int] = []
    for key in trie.prefixes(skel[i : n - 1]):  # shortest first
        j = i + len(key)
        if j - i >= MIN_PART:
            if not ends or ends[-1] < j:
                ends.append(j)
            if skel[j] in "se":
                ends.append(j + 1)
    if n - i >= MIN_PART and (not ends or ends[-1] < n):
        ends.append(n)
    return ends


def split_ends(trie: marisa_trie.Trie, skel: str, i: int) -> list[int]:
    """The ends j > i + 1, ascending, where a split part skel[i:j] may be found."""
    return [
        i + len(key)
        for key in trie.prefixes(skel[i : i + SPLIT_LONGEST])
        if len(key) > 1
    ]
