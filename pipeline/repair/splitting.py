"""Joined words split: a space the OCR lost, mostly around the word ``i``.

A token is split only when no reading of it is a word (or a compound far less likely than the
split), every part is a word, and one part is a short function word (``i``, ``är``, ``ni``):
that is how spaces get lost, and it keeps names and rare compounds whole. On a page read by OCR,
a token the lexicon knows only at its noise level (web text runs words together) that reads as a
one-letter preposition and a word (``ifrågan``) is split where the counted context favours the
preposition between its neighbours.

>>> from pipeline.lexicon import load_lexicon
>>> text = "insatserihela skeriarbetet ilanet Nidrvalkomna"
>>> [e.after for e in split_edits(text, lexicon=load_lexicon(), rate=0.97)]
['insatser i hela', 'sker i arbetet', 'i länet', 'Ni är välkomna']
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from functools import lru_cache, partial
from itertools import compress
from operator import itemgetter
from typing import Final, NamedTuple

import marisa_trie
import regex

from ..lexicon import Lexicon, per_lexicon, skeleton, skeleton_index, word_table
from .compounds import LONGEST_WORD, compound_parts
from .confusion import AROUND_I, load_confusions
from .context import cue, cue_bonus, word_class, word_classes
from .diacritics import (
    COMPOUND,
    LONG_TOKEN,
    SCORE,
    SEARCH_READINGS,
    TOKEN,
    WORD,
    Candidate,
    Printed,
    Token,
    _readings,
    _restore_case,
    _whole_words,
    candidates,
    capital_i,
    is_protected,
    tokens,
)
from .parts import SPLIT_LONGEST, part_trie, split_ends, split_threshold
from .records import Edit, RepairRecord, make_edit

#: log P(a space lost) elsewhere than around i (seed 000 shows one in ~500 spaces).
OTHER_SPACE_LOST = math.log(0.005)
#: A word of the lexicon rarer than this may be two words run together (web text has "ochi").
RARE = 1e-6
#: The split must beat the best joined reading by this much.
MARGIN = math.log(100)


@lru_cache(maxsize=1)
def _space_lost_around_i() -> float:
    table = load_confusions()
    return math.log(max(1e-4, 1.0 - table.identity(" ", AROUND_I)))


def best_split(
    token: str, rate: float, lexicon: Lexicon, capital_i: bool = False
) -> tuple[tuple[str, ...], float] | None:
    """The likeliest reading of a lower-case token as several words, or None."""
    return _best_split(lexicon)(token, rate, capital_i)


@per_lexicon(maxsize=65536)
def _best_split(
    lexicon: Lexicon, token: str, rate: float, capital_i: bool
) -> tuple[tuple[str, ...], float] | None:
    if len(token) > LONGEST_WORD:
        return None
    tools = _SplitTools(
        freq=lexicon.frequencies,
        forms=skeleton_index(lexicon),
        short_words=_function_skeletons(),
        whole_words=_whole_words(lexicon),
        trie=part_trie(lexicon),
        word_i=("i", math.log(lexicon.frequency("i"))),
        around_i=_space_lost_around_i(),
        ends={},
    )
    best: tuple[list[str], float] | None = None
    for skel, printed in _readings(token, capital_i, False, SEARCH_READINGS):
        result = _split_reading(skel, printed, rate, lexicon, tools)
        if result and (best is None or result[1] > best[1]):
            best = result
    return (tuple(best[0]), best[1]) if best else None


class _SplitTools(NamedTuple):
    """What the split search of one token's readings looks things up in."""

    freq: dict[str, float]
    forms: dict[str, tuple[str, ...]]  # a skeleton is known: in freq or in forms
    short_words: frozenset[str]  # (`_function_skeletons`)
    whole_words: Callable[..., tuple[Candidate, ...]]  # (`diacritics._whole_words`)
    trie: marisa_trie.Trie  # (`parts.part_trie`)
    word_i: tuple[str, float]  # the word i and its log frequency
    around_i: float  # (`_space_lost_around_i`)
    ends: dict[str, list[int]]  # up to 20 letters of a skeleton -> `split_ends` there


def _split_reading(
    skel: str, printed: Printed, rate: float, lexicon: Lexicon, tools: _SplitTools
) -> tuple[list[str], float] | None:
    """The likeliest split of the reading (`skel`, `printed`) into words, or None."""
    n = len(skel)
    freq, forms, short_words, whole_words, trie, word_i, around_i, known_ends = tools
    parts: dict[int, tuple[list[str], float]] = {0: ([], 0.0)}
    # Parts from each reached start i in ascending order (parts[i] is final once reached), at
    # most 20 long; for each end j the starts come in ascending order, and only a strictly
    # better total replaces what reached j before.
    for i in range(n):
        reached = parts.get(i)
        if reached is None or len(reached[0]) >= 4:
            continue
        window = skel[i : i + SPLIT_LONGEST]  # (the readings of a token share most windows)
        ends = known_ends.get(window)
        if ends is None:
            ends = known_ends[window] = split_ends(trie, window, 0)
        if skel[i] == "i" and printed[i] == "i":
            ends = [1, *ends]
        for length in ends:  # where a part may be found
            j = i + length
            if length == 1:
                found: tuple[str, float] = word_i  # (tried only where the letter is an i)
            else:
                part = skel[i:j]
                if (part not in freq and part not in forms) or (
                    length < 4 and part not in short_words and part.isalpha()
                ):
                    continue  # no word has this skeleton
                words = whole_words(printed[i:j], rate, split_threshold(length), part)
                # content words of four letters or more; shorter parts only as function words
                if length < 4:
                    words = tuple(c for c in words if word_class(c[WORD]) != "OPEN")
                if not words:
                    continue
                found = (words[0][WORD], words[0][SCORE])
            word, score = found
            prev_words, total = reached
            if prev_words:
                total += around_i if "i" in (word, prev_words[-1]) else OTHER_SPACE_LOST
            total += score
            if j not in parts or total > parts[j][1]:
                parts[j] = (prev_words + [word], total)
    result = parts.get(n)
    if not result or len(result[0]) < 2 or not _plausible_split(result[0], rate, lexicon):
        return None
    return result


@lru_cache(maxsize=1)
def _function_skeletons() -> frozenset[str]:
    """Skeletons of the words `word_class` does not call open: a part under four letters must
    be one of them (or a number) to count in a split."""
    return frozenset(skeleton(w.lower()) for w, cls in word_classes().items() if cls != "OPEN")


def _plausible_split(words: list[str], rate: float, lexicon: Lexicon) -> bool:
    """How lost spaces look: around a short function word inside the token, between words.

    Content parts have four letters or more (shorter ones are suffixes: ``samlevnad en``);
    a function word other than ``i`` counts only on a damaged page, never last, and first only
    as the pronoun of a capitalized token (``Nidrvalkomna`` → ``Ni är välkomna``).
    """
    has_function = False
    for k, w in enumerate(words):
        cls = word_class(w)
        last = k == len(words) - 1
        if cls == "OPEN":
            if len(w) < 4 or lexicon.frequency(w) < 1e-6:
                return False
            continue
        has_function = True
        if w == "i":
            continue
        next_to_i = "i" in words[max(0, k - 1) : k + 2]
        if next_to_i and len(w) >= 2:
            continue  # the space lost is the one around i: "ochi" → "och i"
        if last or rate < 0.5 or (k == 0 and cls != "PRON"):
            return False
    return has_function


def split_edits(
    text: str,
    *,
    lexicon: Lexicon,
    rate: float,
    toks: list[Token] | None = None,
    ocr: bool = False,
) -> list[Edit]:
    """Edits (offsets into `text`) putting back spaces the OCR lost; `toks`: the text's
    `diacritics.tokens`, if the caller has them. On a page Tesseract read or an old layer
    (`ocr`), a one-letter preposition run into the word after it is split too where the
    counted context supports it (`_run_in_preposition`, `_context_supports`)."""
    split_word = partial(_split_word, lexicon)
    if toks is None:
        toks = tokens(text, LONG_TOKEN)
    # each word as this stage reads it at this damage rate: (the words, joined; confidence;
    # whether the split needs its context's support), or None to leave it
    decided: dict[str, _Split | None] = word_table(lexicon, "split", rate, ocr)
    splits: dict[str, _Split] = {}  # the words of this page that are split
    for word in dict.fromkeys(map(_TEXT, toks)):
        split = decided.get(word, _UNSEEN)
        if split == _UNSEEN:
            # (what LONG_TOKEN leaves out: shorter words)
            split = decided[word] = split_word(word, rate, ocr) if len(word) >= 4 else None
        if split is not None:
            splits[word] = split
    if not splits:
        return []
    protected = is_protected(text)
    edits = []
    for i in compress(range(len(toks)), map(splits.__contains__, map(_TEXT, toks))):
        start, word = toks[i]
        if protected and any(a <= start < b for a, b in protected):
            continue
        after, confidence, in_context = splits[word]
        if in_context:
            if not _context_supports(after.split(" "), text, start, start + len(word)):
                continue
            reason = "space lost after a preposition (the counted context supports it)"
        else:
            reason = "space lost between words"
        edits.append(make_edit((start, word, after, reason, confidence)))
    return edits


#: A split: (the words, joined by spaces; confidence; whether its context must support it).
_Split = tuple[str, float, bool]
#: The word before a position and the word after one, in the same clause (spaces between).
_WORD_BEFORE: Final = regex.compile(r"([\p{L}\p{N}&]+)[ \t]*\n?[ \t]*$")
_WORD_AFTER: Final = regex.compile(r"[ \t]*\n?[ \t]*([\p{L}\p{N}&]+)")


def _context_supports(words: list[str], text: str, start: int, end: int) -> bool:
    """True when the counted context (`context.cue_bonus`) favours the preposition and the word
    after it, each between its neighbours, over the token as printed, an open word there (whose
    bonus is 0): ``beslutade i frågan`` yes, ``ett i land`` no."""
    before = _WORD_BEFORE.search(text[max(0, start - 60) : start], concurrent=False)
    after = _WORD_AFTER.match(text, end, concurrent=False)
    prev = before[1] if before else None
    nxt = after[1] if after else None
    first, second = words
    support = cue_bonus(first.lower(), cue(prev), cue(second))
    support += cue_bonus(second.lower(), cue(first), cue(nxt))
    return support > 0.0


_TEXT = itemgetter(1)  # a token's text
#: What a word not in the table yet gets from ``table.get`` (no split equals it; compared with
#: ==).
_UNSEEN: Final = ("", 0.0, False)


def _split_word(lexicon: Lexicon, word: str, rate: float, ocr: bool = False) -> _Split | None:
    """(the words, joined by spaces; confidence; whether the context must support the split)
    for a printed token, or None to leave it."""
    freq = lexicon.frequencies
    low = word.lower()
    if len(word) < 4 or word.isupper() or not word.isalpha() and "&" not in word:
        return None
    known = freq.get(low, 0.0)
    if ocr and 0.0 < known < RARE:
        run_in = _run_in_preposition(lexicon, word, rate, known)
        if run_in is not None:
            return run_in
    if known and (rate < 0.5 or known >= RARE or "i" not in low):
        return None  # a word; on a damaged page a rare one may be two run together ("ochi")
    if rate < 0.5 and "i" not in low:
        return None  # on a page with its diacritics a split needs the word i (_plausible_split)
    if not known and rate < 0.5 and compound_parts(low, lexicon):
        return None  # a compound of known words on a page with its diacritics
    first_i = capital_i(word)
    found = candidates(low, rate, lexicon, first_i)
    if any(not c[COMPOUND] for c in found):
        return None
    split = best_split(low, rate, lexicon, first_i)
    if split is None:
        return None
    words, score = list(split[0]), split[1]
    joined = found[0][SCORE] if found else -math.inf
    if score < joined + (0.0 if known else MARGIN):
        return None
    if word[0].isupper():
        if word_class(words[0]) not in ("PRON", "PREP"):
            return None  # a name or a capitalized compound: leave it whole
        words[0] = _restore_case(word, words[0])
    confidence = 0.9 if min(freq.get(w, 0.0) for w in words) > 1e-5 else 0.7
    return " ".join(words), confidence, False


@lru_cache(maxsize=1)
def _one_letter_prepositions() -> frozenset[str]:
    """The prepositions of one letter in ``function_words.tsv``."""
    return frozenset(w for w, cls in word_classes().items() if cls == "PREP" and len(w) == 1)


def _run_in_preposition(lexicon: Lexicon, word: str, rate: float, known: float) -> _Split | None:
    """A token that the lexicon knows only at its noise level (`RARE`: web text runs words
    together) read as a one-letter preposition and a word after it, when that split
    (`best_split`, with the chance of a space lost around it) is likelier than the token as
    printed; whether its context supports it is decided where it stands (`_context_supports`)."""
    low = word.lower()
    if low[0] not in _one_letter_prepositions():
        return None
    split = best_split(low, rate, lexicon, capital_i(word))
    if split is None or len(split[0]) != 2 or split[0][0] != low[0]:
        return None
    if split[1] <= math.log(known):
        return None
    words = list(split[0])
    words[0] = _restore_case(word, words[0])
    confidence = 0.9 if lexicon.frequency(words[1]) > 1e-5 else 0.7
    return " ".join(words), confidence, True


def tokens_after_split(text: str, toks: list[Token], records: list[RepairRecord]) -> list[Token]:
    """`tokens(text)` for the text the split stage made: its applied records each replaced one
    whole token of `toks` by words and spaces, so the tokens between them are the old ones,
    shifted, and the new ones are the words (cheaper than reading the whole text again)."""
    out: list[Token] = []
    done = 0  # toks[:done] are in out
    shift = 0  # how much longer the text has grown before toks[done]
    for r in records:
        if r.stage != "split" or not r.applied:
            continue
        k = bisect.bisect_left(toks, r.offset - shift, key=_START)
        if k == len(toks) or toks[k] != (r.offset - shift, r.before):
            return tokens(text)  # not a whole token (never expected): read the text again
        kept = toks[done:k]
        out.extend([(start + shift, word) for start, word in kept] if shift else kept)
        out.extend((r.offset + m.start(), m[0]) for m in TOKEN.finditer(r.after, concurrent=False))
        done = k + 1
        shift += len(r.after) - len(r.before)
    out.extend([(start + shift, word) for start, word in toks[done:]])
    return out


_START = itemgetter(0)  # a token's offset
