"""Diacritics and OCR confusions: a noisy-channel corrector over the Swedish lexicon.

For a token as printed, every reading the confusion channel allows is a candidate word
(``tjdnster`` → ``tjänster``: ä read as d); its score is log P(word) + log P(printed | word).
P(word) is the lexicon's frequency, or a compound of lexicon words (``compounds.py``);
P(printed | word) comes from the character table (``confusion.py``) scaled by the page's damage
rate λ: high on a stripped or damaged page (no å/ä/ö left), low on a page that has its
diacritics, where only words the lexicon rejects are repaired.

>>> fix_diacritics("Målet ar att alla barn ska ges majligheter").text
'Målet är att alla barn ska ges möjligheter'
>>> fix_diacritics("Malet ar att alla barn i lanet ska ma bra for det ar viktigt").text
'Målet är att alla barn i länet ska må bra för det är viktigt'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from itertools import compress, count, product
from operator import itemgetter, ne
from typing import Final

import regex

from ..addresses import address_spans
from ..lexicon import (
    LOOSE_LETTERS,
    WORD_PATTERN,
    Lexicon,
    load_lexicon,
    loose_index,
    loose_key,
    loose_words,
    per_lexicon,
    skeleton,
    skeleton_index,
    word_table,
)
from .compounds import (
    LONGEST_WORD,
    MIN_PART,
    PartScorer,
    best_compound,
    compound_parts,
    part_threshold,
)
from .confusion import ANY, WORD_START, load_confusions
from .context import EDGE, Cue, context_words, cue, cue_bonus, unit, word_class
from .context import WORD as OWN_UNIT
from .parts import compound_ends, part_trie
from .records import APPLY_THRESHOLD, Edit, RepairResult, apply_edits, make_edit
from .stripping import DIACRITIC, estimate_damage_rate

#: Damage rate λ (share of å/ä/ö the channel damaged) on a stripped page and on a normal one.
STRIPPED_RATE = 0.97
NORMAL_RATE = 0.03
#: Log prior of a word the lexicon does not know (and no compound explains).
UNKNOWN = math.log(1e-11)
#: On a page with its diacritics, a valid word is replaced only when another is this much likelier.
NORMAL_REAL_WORD_MARGIN = math.log(50)
#: The weight, on a page Tesseract read, of a reading the document prints next to the same
#: neighbour with its å/ä/ö (Tesseract's English model drops them from a word now and then,
#: not from every copy of a phrase).
DOCUMENT_BONUS = math.log(10)
#: The margin of a rarer real word on an OCR'd page whose document prints its reading with å/ä/ö
#: (a content word): the usual margin less what the document's own copy is worth.
TWIN_MARGIN = NORMAL_REAL_WORD_MARGIN - DOCUMENT_BONUS
MAX_READINGS = 96
#: The first readings of a token the compound and split searches try (enumerated only so far).
SEARCH_READINGS = 12
COMPOUND_READINGS = 4  # the likeliest readings tried as compounds (the search is quadratic)
#: The lexicon's noise level: a word rarer than this may be a scrap of web text, not a word.
COMPOUND_BELOW = math.log(4e-8)

# A token: letters with the digits and signs OCR puts for letters (S6rmland, &r, pé&).
# (Every search that repair_text makes passes ``concurrent=False``: by default the regex module
# lets go of the GIL around each match of a str and takes it back, a third of the tokenizer's
# time. The damage channel and the evaluation, off that path, do not need it.)
TOKEN = regex.compile(r"[\p{L}\p{N}&]+")
#: The tokens of four characters or more (whole tokens, as TOKEN finds them).
LONG_TOKEN = regex.compile(r"[\p{L}\p{N}&]{4,}")

Piece = tuple[str, str]  # (skeleton character, what was printed for it)
#: What was printed for each letter of a reading's skeleton: the token itself when every letter
#: was printed as one character (a string), else one string per letter (``da`` or ``é&`` printed
#: for one letter).
Printed = str | tuple[str, ...]
#: A reading of a printed token: (its skeleton, what was printed for each skeleton letter).
Reading = tuple[str, Printed]

#: A candidate reading of a token: (word, log P(word) + log P(printed | word), whether it is a
#: compound). A plain tuple, not a named one: the memo tables hold tens of thousands, and the
#: garbage collector stops tracking a plain tuple of strings and numbers after one look, where
#: it visits every named tuple on every full collection.
Candidate = tuple[str, float, bool]
#: Its fields.
WORD: Final = 0
SCORE: Final = 1
COMPOUND: Final = 2


def _best_first(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """Candidates sorted by score, best first (ties by word)."""
    found = tuple(candidates)
    if len(found) < 2:
        return found  # (most tokens have one reading that is a word: nothing to sort)
    return tuple(sorted(found, key=lambda c: (-c[SCORE], c[WORD])))


def _keep_best(found: dict[str, Candidate], candidate: Candidate) -> None:
    """Keep `candidate` in `found` (word -> its best candidate) if it beats what is there."""
    word = candidate[WORD]
    if word not in found or candidate[SCORE] > found[word][SCORE]:
        found[word] = candidate


@lru_cache(maxsize=4)
def _channel(rate: float) -> dict[tuple[str, str], float]:
    """(truth, printed) -> log(λ · P(printed | truth, damaged))."""
    table = load_confusions()
    out: dict[tuple[str, str], float] = {}
    for truth in "åäö":
        damage = table.damage(truth, ANY)
        total = sum(c.probability for c in damage) or 1.0
        for c in damage:
            out[(truth, c.observed)] = math.log(rate * c.probability / total)
    for c in table.damage("l", WORD_START):
        out[("l", c.observed.lower())] = math.log(
            max(1e-4, rate * c.probability / (1.0 - table.identity("l", WORD_START) or 1.0))
        )
    return out


class _Pieces(dict[str, Piece]):
    """A character read as itself, ``"k" -> ("k", "k")``: one shared tuple per character, not
    one per position of every reading (fewer objects for the garbage collector to visit)."""

    def __missing__(self, ch: str) -> Piece:
        piece = self[ch] = (ch, ch)
        return piece


_SAME = _Pieces()


# The channel's reading rules, one table: what each printed character can be read as (`_READS`,
# with `_INSIDE_ONLY`, `_JOINED` and `_CAPITAL_I`) and what a reading uses of the limits
# (`_steps`: a change, an ö read as a; `_within`: at most `MAX_CHANGES` and `MAX_O_AS_A`).
# Every walk takes its steps from the tables derived here: the enumerations of a token's
# readings (`_walk_options`, `_single_readings` and `_walk_choices`), the checks of a word
# against a token (`_loose_score`, `_joined_score`) and their count (`_reading_count`).

#: The skeleton letters each printed character can be read as, the printed one first when it is
#: one of them; a character not in the table is read as itself.
_READS: Final[dict[str, str]] = {
    "å": "a", "ä": "a", "ö": "o", "6": "o", "&": "a", "d": "dao", "é": "éoa", "a": "ao",
}
#: The characters the table reads only inside a longer token (alone, a 6 or & is itself).
_INSIDE_ONLY: Final = "6&"
#: Two printed characters read as one letter: (that skeleton letter, the first position where).
_JOINED: Final[dict[str, tuple[str, int]]] = {"da": ("a", 1), "é&": ("a", 0)}
#: A leading capital I (lower-cased: `_LOWER_I`) may be an l: its readings, the l first.
_CAPITAL_I: Final = "li"
_LOWER_I: Final = "i"
#: The printed character whose reading as o (ö) is an ö read as a: only with `a_for_o`.
_O_AS_A: Final = "a"
#: The most changes a reading makes, and the most ö read as a it has (with `a_for_o`).
MAX_CHANGES: Final = 3
MAX_O_AS_A: Final = 1

#: A step of a walk: (the skeleton letter read, the changes it makes, the ö read as a it is).
Step = tuple[str, int, int]
#: The skeleton letter of a word's letter (`lexicon.skeleton`, letter by letter).
_SKELETON_LETTER: Final[dict[str, str]] = {"å": "a", "ä": "a", "ö": "o"}


def _within(changes: int, o_as_a: int, a_for_o: bool) -> bool:
    """True when a reading with so many changes and ö read as a is allowed."""
    return changes <= MAX_CHANGES and o_as_a <= (MAX_O_AS_A if a_for_o else 0)


def _steps(printed: str, letters: str, joined_walk: bool) -> tuple[Step, ...]:
    """The steps that read `printed` (one character, or a `_JOINED` pair) as each of `letters`.

    A letter read as another is a change. Where every letter was printed as one character, a
    character with one reading (å, ä, ö; 6 and & inside a word) is read so without a change:
    it is no choice. The walk over a token with a joined pair counts it as a change too.
    """
    fixed = len(letters) == 1 and not joined_walk
    return tuple(
        (letter, int(letter != printed and not fixed), int(letter != printed == _O_AS_A))
        for letter in letters
    )


class _Identity(dict[str, tuple[Step, ...]]):
    """A character the table does not read: read as itself, ``"k" -> (("k", 0, 0),)``."""

    def __missing__(self, ch: str) -> tuple[Step, ...]:
        steps = self[ch] = ((ch, 0, 0),)
        return steps


#: The steps of each printed character of a token whose letters were each printed as one
#: character; of a token with a joined pair (the pairs too); of a one-character token.
_SINGLE_STEPS = _Identity({ch: _steps(ch, r, False) for ch, r in _READS.items()})
_JOINED_STEPS = _Identity(
    {ch: _steps(ch, r, True) for ch, r in _READS.items()}
    | {pair: _steps(pair, letter, True) for pair, (letter, _) in _JOINED.items()}
)
_ALONE_STEPS = _Identity({**_SINGLE_STEPS, **{ch: _steps(ch, ch, False) for ch in _INSIDE_ONLY}})
#: The steps of a leading capital I (printed i after lower-casing).
_CAPITAL_I_STEPS: Final = _steps(_LOWER_I, _CAPITAL_I, False)


def _costs(steps: dict[str, tuple[Step, ...]]) -> dict[tuple[str, str], tuple[int, int]]:
    """(skeleton letter, printed) -> (changes, ö read as a) of each step in `steps`."""
    return {(letter, p): (c, o) for p, options in steps.items() for letter, c, o in options}


_SINGLE_COSTS: Final = _costs(_SINGLE_STEPS)
_JOINED_COSTS: Final = _costs(_JOINED_STEPS)
_ALONE_COSTS: Final = _costs(_ALONE_STEPS)
_CAPITAL_I_COSTS: Final = {letter: (c, o) for letter, c, o in _CAPITAL_I_STEPS}
#: The cost of a character the table does not read, read as itself.
_FREE: Final = (0, 0)
#: The characters whose own letter is none of their readings inside a word (6 and &).
_NOT_ITSELF: Final = "".join(
    ch for ch, r in _READS.items() if _SKELETON_LETTER.get(ch, ch) not in r
)
_NOT_ITSELF_CHARS: Final = tuple(_NOT_ITSELF)


def _choices(a_for_o: bool) -> dict[str, tuple[Step, ...]]:
    """The characters with more than one reading within the limits, and those readings."""
    out = {}
    for ch in _READS:
        steps = tuple(s for s in _SINGLE_STEPS[ch] if _within(s[1], s[2], a_for_o))
        if len(steps) > 1:
            out[ch] = steps
    return out


#: The characters with a choice of readings (d, é; and a, with `a_for_o`), and their steps.
_CHOICES: Final = _choices(False)
_CHOICES_A_FOR_O: Final = _choices(True)
#: The characters with a choice of readings, as a tuple (`_choice_count` maps over it), and
#: the letters each can be read as.
_CHOICE_CHARS: Final = tuple(_CHOICES)
_CHOICE_LETTERS: Final = {ch: "".join([s[0] for s in steps]) for ch, steps in _CHOICES.items()}
#: The characters read as one letter without a choice, and that letter (6 and & only inside a
#: longer token): inside a token and in a one-character token.
_FIXED_INSIDE: Final = tuple(
    (ch, steps[0][0]) for ch, steps in _SINGLE_STEPS.items() if len(steps) == 1
)
_FIXED_ALONE: Final = tuple(
    (ch, steps[0][0]) for ch, steps in _ALONE_STEPS.items() if len(steps) == 1 and steps[0][0] != ch
)
_JOINED_PAIRS: Final = tuple(_JOINED)


def _has_any(text: str, parts: tuple[str, ...]) -> bool:
    """True when one of `parts` is in `text` (a loop: faster than a pattern on a short token)."""
    for part in parts:
        if part in text:
            return True
    return False


def _has_joined(token: str) -> bool:
    """True when some two characters of the token may be one letter (`_JOINED`)."""
    return _has_any(token, _JOINED_PAIRS)


def _read_fixed(token: str, fixed: tuple[tuple[str, str], ...]) -> str:
    """The token with each character that has one reading read so (`_FIXED_INSIDE`)."""
    for ch, letter in fixed:
        if ch in token:
            token = token.replace(ch, letter)
    return token


def _choice_count(token: str) -> int:
    """How many characters of the token have a choice of readings (`_CHOICES`)."""
    return sum(map(token.count, _CHOICE_CHARS))


#: A step of `_walk_options`: ((skeleton letter, what was printed for it), characters read,
#: changes, ö read as a).
_Option = tuple[Piece, int, int, int]


def _options(token: str, k: int, first_capital_i: bool) -> list[_Option]:
    """The steps that read the printed text at position k (a joined pair, or one character)."""
    out: list[_Option] = []
    if k == 0 and first_capital_i:  # the l a leading capital I may be (its i: below)
        out += [((r, _LOWER_I), 1, c, o) for r, c, o in _CAPITAL_I_STEPS if r != _LOWER_I]
    for pair, (_, first) in _JOINED.items():
        if k >= first and token.startswith(pair, k):
            out += [((r, pair), 2, c, o) for r, c, o in _JOINED_STEPS[pair]]
    ch = token[k]
    steps = _ALONE_STEPS[ch] if len(token) == 1 else _JOINED_STEPS[ch]
    out += [(_SAME[ch] if r == ch else (r, ch), 1, c, o) for r, c, o in steps]
    return out


def readings(
    token: str, first_capital_i: bool = False, a_for_o: bool = False
) -> tuple[tuple[Piece, ...], ...]:
    """The ways to read a lower-case printed token, as pieces (at most a few confusions each).

    ö read as a is rare (one in twenty ö): only with `a_for_o`, and then once per token.

    >>> readings("dn")
    ((('d', 'd'), ('n', 'n')), (('a', 'd'), ('n', 'n')), (('o', 'd'), ('n', 'n')))
    >>> [skel for skel, _ in _readings("isé", True, False)]  # Isé: I for l, é for o or a
    ['lsé', 'lso', 'lsa', 'isé', 'iso', 'isa']
    """
    return tuple(
        tuple(zip(skel, printed, strict=True))
        for skel, printed in _readings(token, first_capital_i, a_for_o)
    )


@lru_cache(maxsize=131072)
def _readings(
    token: str, first_capital_i: bool, a_for_o: bool, limit: int = MAX_READINGS
) -> tuple[Reading, ...]:
    """`readings` as (skeleton, printed) pairs, in the same order: the first `limit`."""
    if not _has_joined(token):
        return _single_readings(token, first_capital_i, a_for_o, limit)
    results: list[tuple[Piece, ...]] = []
    options = [_options(token, k, first_capital_i) for k in range(len(token))]
    _walk_options(options, a_for_o, 0, [], 0, 0, results, limit)
    return tuple(
        ("".join([p[0] for p in pieces]), tuple([p[1] for p in pieces])) for pieces in results
    )


def _walk_options(
    options: list[list[_Option]],
    a_for_o: bool,
    k: int,
    acc: list[Piece],
    changes: int,
    o_as_a: int,
    results: list[tuple[Piece, ...]],
    limit: int,
) -> None:
    """Depth-first over the steps of positions k.. within the limits, the first `limit`
    readings (a module function, not a closure: a recursive closure is a reference cycle,
    garbage only the cyclic collector frees)."""
    if len(results) >= limit:
        return
    if k == len(options):
        results.append(tuple(acc))
        return
    for piece, length, c, o in options[k]:
        if not _within(changes + c, o_as_a + o, a_for_o):
            continue
        acc.append(piece)
        _walk_options(options, a_for_o, k + length, acc, changes + c, o_as_a + o, results, limit)
        acc.pop()


def _single_readings(
    token: str, first_capital_i: bool, a_for_o: bool, limit: int
) -> tuple[Reading, ...]:
    """`_readings` when every letter was printed as one character: the skeletons are a product
    over the positions with a choice (`_CHOICES`; a leading I for l), in lexicographic order of
    the choices, each listing the printed reading first (l first for the I), within the
    limits; the other characters are read as their one reading (`_FIXED_INSIDE`)."""
    base = _read_fixed(token, _FIXED_INSIDE if len(token) > 1 else _FIXED_ALONE)
    choices = _CHOICES_A_FOR_O if a_for_o else _CHOICES
    positions = [k for k, ch in enumerate(token) if ch in choices]
    if first_capital_i:
        positions.insert(0, 0)  # token[0] is the i the capital I was read as
    if not positions:
        return ((base, token),)
    # the skeleton with a slot for each choice, and each choice's steps
    segments = [
        base[start + 1 : end]
        for start, end in zip([-1, *positions], [*positions, len(base)], strict=True)
    ]
    if "%" in token:
        segments = [segment.replace("%", "%%") for segment in segments]
    template = "%s".join(segments)
    if len(positions) <= MAX_CHANGES and not a_for_o:
        # each choice makes at most one change, none an ö read as a: every combination
        letters = [
            _CAPITAL_I if k == 0 and first_capital_i else _CHOICE_LETTERS[token[k]]
            for k in positions
        ]
        return tuple((template % combo, token) for combo in product(*letters))[:limit]
    options = [
        _CAPITAL_I_STEPS if k == 0 and first_capital_i else choices[token[k]] for k in positions
    ]
    results: list[Reading] = []
    chosen = [steps[0][0] for steps in options]
    _walk_choices(template, options, token, a_for_o, chosen, 0, 0, 0, results, limit)
    return tuple(results)


def _walk_choices(
    template: str,
    options: list[tuple[Step, ...]],
    token: str,
    a_for_o: bool,
    chosen: list[str],
    idx: int,
    changes: int,
    o_as_a: int,
    results: list[Reading],
    limit: int,
) -> bool:
    """Depth-first over the steps of the choices idx.. within the limits; False once `limit`
    readings are found."""
    if idx == len(options):
        results.append((template % tuple(chosen), token))
        return len(results) < limit
    for letter, c, o in options[idx]:
        if not _within(changes + c, o_as_a + o, a_for_o):
            continue
        chosen[idx] = letter
        if not _walk_choices(
            template, options, token, a_for_o, chosen, idx + 1, changes + c, o_as_a + o,
            results, limit,
        ):
            return False
    return True


def _channel_score(
    word: str, printed: Printed, channel: dict[tuple[str, str], float]
) -> float | None:
    total = 0.0
    for t, p in zip(word, printed, strict=True):
        if t == p:
            continue
        lp = channel.get((t, p))
        if lp is None:
            return None
        total += lp
    return total


@per_lexicon(maxsize=262144)
def _whole_words(
    lexicon: Lexicon, printed: Printed, rate: float, min_freq: float, skel: str
) -> tuple[Candidate, ...]:
    """Lexicon words that the reading (`skel`, `printed`) can be, best first."""
    freq = lexicon.frequencies
    channel = _channel(rate)
    words = list(skeleton_index(lexicon).get(skel, ()))
    if skel in freq:
        words.append(skel)
    out = []
    for w in words:
        f = freq.get(w, 0.0)
        if f < min_freq:
            continue
        ch = _channel_score(w, printed, channel)
        if ch is not None:
            out.append((w, math.log(f) + ch, False))
    return _best_first(out)


def _compound(skel: str, printed: Printed, rate: float, lexicon: Lexicon) -> Candidate | None:
    """The best reading of the reading (`skel`, `printed`) as a compound, or None."""
    n = len(skel)
    if n < 6:
        return None
    ends = _reachable_part_ends(skel, lexicon)
    if ends is None:
        return None
    result = best_compound(n, _part_scorer(skel, printed, rate, lexicon), ends.__getitem__)
    if result is None:
        return None
    return ("".join(result[0]), result[1], True)


def _reachable_part_ends(skel: str, lexicon: Lexicon) -> dict[int, list[int]] | None:
    """`parts.compound_ends` of each position the compound search of `skel` can reach, or
    None when no compound of two parts or more can end at its end.

    A search reaches only positions these ends lead to from 0, and ends with a last part some
    word has the skeleton of: without one after position 0, it would find nothing, so it is not
    run (two searches in three end so; their part look-ups are most of their cost).
    """
    n = len(skel)
    freq = lexicon.frequencies
    forms = skeleton_index(lexicon)
    trie = part_trie(lexicon)
    found: dict[int, list[int]] = {}
    reached = {0}
    last_part = False  # some position after 0 that is reached starts a known last part
    for i in range(n - MIN_PART + 1):
        if i not in reached:
            continue
        ends = found[i] = compound_ends(trie, skel, i)
        for j in ends:
            if j < n:
                reached.add(j)
            elif i and not last_part:
                last_part = skel[i:] in freq or skel[i:] in forms
    return found if last_part else None


def _part_scorer(skel: str, printed: Printed, rate: float, lexicon: Lexicon) -> PartScorer:
    """`score_part(i, j)` for `best_compound`: the best reading of positions i..j of the reading
    (`skel`, `printed`) as a compound part (`_score_part`)."""
    lookups = (lexicon.frequencies, skeleton_index(lexicon), _whole_words(lexicon))
    return partial(_score_part, lookups, skel, printed, rate)


#: The lexicon's frequencies, its skeleton index and its `_whole_words`.
_Lookups = tuple[dict[str, float], dict[str, tuple[str, ...]], Callable[..., tuple[Candidate, ...]]]


def _score_part(
    lookups: _Lookups,
    skel: str,
    printed: Printed,
    rate: float,
    i: int,
    j: int,
) -> list[tuple[str, float]]:
    """The best reading of positions i..j of the reading (`skel`, `printed`) as a compound part
    (a word; a word with a linking s or e; a first part that lost a final e or a, or whose
    final a became o or u), as [(word, log score)], or [] if there is none. `lookups`: the
    lexicon's frequencies, its skeleton index and its `_whole_words`; a skeleton is known when
    some word has it (``s in freq or s in forms``)."""
    freq, forms, whole_words = lookups
    final = j == len(skel)
    part = skel[i:j]
    if part in freq or part in forms:
        found = whole_words(printed[i:j], rate, part_threshold(j - i, final), part)
        if found:
            return [(found[0][WORD], found[0][SCORE])]
    if final:
        return []
    letter, was = skel[j - 1], printed[j - 1]  # the part's last letter, and what was printed
    if letter in "se" and j - i > 3 and (part[:-1] in freq or part[:-1] in forms):
        found = whole_words(printed[i : j - 1], rate, part_threshold(j - i - 1, final), part[:-1])
        if found and was == letter:
            return [(found[0][WORD] + letter, found[0][SCORE])]
    if j - i >= 5:
        # a first part that lost its final vowel: löntagar(e)-, flick(a)-
        for vowel in "ea":
            if part + vowel not in freq and part + vowel not in forms:
                continue
            found = whole_words(
                _plus(printed[i:j], vowel), rate, part_threshold(j - i + 1, final), part + vowel
            )
            if found:
                return [(found[0][WORD][:-1], found[0][SCORE])]
    if j - i >= 4 and was in "ou" and (part[:-1] + "a" in freq or part[:-1] + "a" in forms):
        # a first part whose final a became o or u: känsl(a→o)-, gat(a→u)-
        found = whole_words(
            _plus(printed[i : j - 1], "a"), rate, part_threshold(j - i, final), part[:-1] + "a"
        )
        if found:
            return [(found[0][WORD][:-1] + was, found[0][SCORE])]
    return []


def _plus(printed: Printed, letter: str) -> Printed:
    """What was printed, with `letter` printed as itself after it."""
    return printed + letter if isinstance(printed, str) else printed + (letter,)


def candidates(
    token: str, rate: float, lexicon: Lexicon, capital_i: bool = False
) -> tuple[Candidate, ...]:
    """Candidate words for a lower-case printed token, best first (may include the token)."""
    return _candidates(lexicon)(token, rate, capital_i)


def _add_whole_words(
    found: dict[str, Candidate],
    lexicon: Lexicon,
    rate: float,
    all_readings: tuple[Reading, ...],
) -> None:
    """Add to `found` the lexicon words these readings can be, each at its best score."""
    whole_words = _whole_words(lexicon)
    freq = lexicon.frequencies
    forms = skeleton_index(lexicon)
    for skel, printed in all_readings:
        if skel not in freq and skel not in forms:
            continue
        for c in whole_words(printed, rate, 0.0, skel):
            _keep_best(found, c)


def _loose_token(token: str) -> str:
    """A printed token's loose key (`lexicon.loose_key`), 6 and & inside it read as ö and ä."""
    key = loose_key(token)
    for ch in _INSIDE_ONLY:
        key = key.replace(ch, "*")
    return key


def _add_words(
    found: dict[str, Candidate],
    lexicon: Lexicon,
    rate: float,
    token: str,
    first_capital_i: bool,
    a_for_o: bool,
) -> bool:
    """Add to `found` the lexicon words `readings(token, first_capital_i, a_for_o)` can be,
    each with its score: the words that share the token's loose key, each checked against the
    channel, position by position, under the rules `readings` enumerates by (what a character
    can be read as, at most three changes, at most one ö read as a).

    Tokens with ``da`` or ``é&`` (one letter printed as two characters) take
    `_add_joined_words`; tokens with more than `MAX_READINGS` readings, the enumeration itself
    (`_add_whole_words`), so the result is the same either way.

    False when no lexicon word shares the token's loose key: then no reading of it is a word,
    whatever `a_for_o` (every reading has the token's loose key).
    """
    if _has_joined(token):
        return _add_joined_words(found, lexicon, rate, token, first_capital_i, a_for_o)
    if (a_for_o or first_capital_i or _choice_count(token) > MAX_CHANGES) and _reading_count(
        token, first_capital_i, a_for_o
    ) > MAX_READINGS:  # (three d or é at most: 27 readings at most, counted or not)
        _add_whole_words(found, lexicon, rate, _readings(token, first_capital_i, a_for_o))
        return True
    inside = len(token) > 1
    key = _loose_token(token) if inside else loose_key(token)
    words = _key_words(lexicon, key, first_capital_i)
    if not words:
        return False
    channel = _channel(rate)
    freq = lexicon.frequencies
    for word in words:
        score = _loose_score(word, token, channel, inside, first_capital_i, a_for_o)
        if score is not None:
            _keep_best(found, (word, math.log(freq[word]) + score, False))
    return True


def _key_words(lexicon: Lexicon, key: str, first_capital_i: bool) -> tuple[str, ...]:
    """The lexicon words with this loose key, and with a leading I read as l, those that start
    with l and have the rest of it."""
    words = loose_words(lexicon, key)
    if first_capital_i:
        words += loose_words(lexicon, "l" + key[1:])
    return words


def _loose_score(
    word: str,
    token: str,
    channel: dict[tuple[str, str], float],
    inside: bool,
    first_capital_i: bool,
    a_for_o: bool,
) -> float | None:
    """log P(token | word) if some reading of the token is `word` (same length, same loose
    key), else None; the channel score of that reading, as `_channel_score` gives it. The
    reading takes the steps `_single_readings` takes (`_SINGLE_COSTS`, `_ALONE_COSTS` for a
    one-character token, `_CAPITAL_I_COSTS`), within the limits.

    Only the positions where the two differ are read in Python (found by `compress`, which
    walks the strings in C): a word and its token differ in a letter or two. Where they agree,
    every character is one of its own readings but 6 and & inside a word (`_NOT_ITSELF`).
    """
    if (
        inside
        and _has_any(word, _NOT_ITSELF_CHARS)
        and any(t == p and p in _NOT_ITSELF for t, p in zip(word, token, strict=True))
    ):
        return None
    costs = _SINGLE_COSTS if inside else _ALONE_COSTS
    total = 0.0
    changes = 0
    o_as_a = 0
    for k, t, p in compress(zip(count(), word, token), map(ne, word, token)):
        lp = channel.get((t, p))
        if lp is None:
            return None
        letter = _SKELETON_LETTER.get(t, t)
        if k == 0 and first_capital_i and p == _LOWER_I:
            cost = _CAPITAL_I_COSTS.get(letter)
        else:
            cost = costs.get((letter, p), _FREE if letter == p else None)
        if cost is None:
            return None
        changes += cost[0]
        o_as_a += cost[1]
        total += lp
    return total if _within(changes, o_as_a, a_for_o) else None


def _add_joined_words(
    found: dict[str, Candidate],
    lexicon: Lexicon,
    rate: float,
    token: str,
    first_capital_i: bool,
    a_for_o: bool,
) -> bool:
    """`_add_words` for a token with ``da`` or ``é&``, which `_walk_options` reads either as one
    letter (å or ä printed as two characters) or as two: for each choice of the two, the words
    that share the loose key of what was printed, each checked against the rules of
    `_options` and `_walk_options` (where a printed å, ä, ö, 6 or & counts as a change too).

    A token that may have more than `MAX_READINGS` readings takes the enumeration itself.
    """
    spots = [
        k
        for pair, (_, first) in _JOINED.items()
        for k in range(first, len(token) - 1)
        if token[k : k + 2] == pair
    ]
    # (at most so many readings: four options where a spot starts, three at d and é)
    bound = 4 ** _choice_count(token) * 2 ** (
        first_capital_i + (a_for_o and token.count(_O_AS_A))
    )
    if bound > MAX_READINGS:
        _add_whole_words(found, lexicon, rate, _readings(token, first_capital_i, a_for_o))
        return True
    channel = _channel(rate)
    freq = lexicon.frequencies
    shared = False  # some word shares a loose key of the token
    for joined in product((False, True), repeat=len(spots)):
        joined_at = dict(zip(spots, joined, strict=True))  # spot -> read as one letter
        units: list[str] = []
        k = 0
        while k < len(token):
            two = joined_at.get(k, False)
            units.append(token[k : k + 2] if two else token[k])
            k += 2 if two else 1
        key = "".join(["*" if len(u) == 2 or u in _LOOSE_UNITS else u for u in units])
        words = _key_words(lexicon, key, first_capital_i)
        shared = shared or bool(words)
        for word in words:
            score = _joined_score(word, units, channel, first_capital_i, a_for_o)
            if score is not None:
                _keep_best(found, (word, math.log(freq[word]) + score, False))
    return shared


#: The printed characters a loose key blurs (`lexicon.LOOSE_LETTERS`, and 6 and & inside a word).
_LOOSE_UNITS = frozenset(LOOSE_LETTERS + _INSIDE_ONLY)


def _joined_score(
    word: str,
    units: list[str],
    channel: dict[tuple[str, str], float],
    first_capital_i: bool,
    a_for_o: bool,
) -> float | None:
    """log P(printed | word) for a word read from these printed units (one or two characters
    for each letter) by the steps `_walk_options` takes (`_JOINED_COSTS`, `_CAPITAL_I_COSTS`),
    within the limits; None if no reading allows it."""
    total = 0.0
    changes = 0
    o_as_a = 0
    for k, (t, u) in enumerate(zip(word, units, strict=True)):
        letter = _SKELETON_LETTER.get(t, t)
        if k == 0 and first_capital_i:
            cost = _CAPITAL_I_COSTS.get(letter)
        else:
            cost = _JOINED_COSTS.get((letter, u), _FREE if letter == u else None)
        if cost is None:
            return None
        changes += cost[0]
        o_as_a += cost[1]
        if t != u:
            lp = channel.get((t, u))
            if lp is None:
                return None
            total += lp
    return total if _within(changes, o_as_a, a_for_o) else None


def _reading_count(token: str, first_capital_i: bool, a_for_o: bool) -> int:
    """How many readings `readings(token, ...)` has (before its `MAX_READINGS` cap), for a
    token without a joined pair: the combinations of the steps of its choices within the
    limits (`_count_readings`)."""
    choices = _CHOICES_A_FOR_O if a_for_o else _CHOICES
    return _count_readings(
        tuple([token.count(ch) for ch in choices]), first_capital_i, a_for_o
    )


@lru_cache(maxsize=1024)
def _count_readings(counts: tuple[int, ...], first_capital_i: bool, a_for_o: bool) -> int:
    """How many combinations of steps within the limits a token has with so many of each
    character with a choice (`counts`, in the order of `_CHOICES` or `_CHOICES_A_FOR_O`) and,
    with `first_capital_i`, a leading I for l: counted by (changes, ö read as a) so far."""
    choices = _CHOICES_A_FOR_O if a_for_o else _CHOICES
    steps = [s for ch, n in zip(choices.values(), counts, strict=True) for s in [ch] * n]
    if first_capital_i:
        steps.insert(0, _CAPITAL_I_STEPS)
    ways: dict[tuple[int, int], int] = {(0, 0): 1}
    for options in steps:
        after: dict[tuple[int, int], int] = {}
        for (changes, o_as_a), n in ways.items():
            for _, c, o in options:
                if _within(changes + c, o_as_a + o, a_for_o):
                    key = (changes + c, o_as_a + o)
                    after[key] = after.get(key, 0) + n
        ways = after
    return sum(ways.values())


@per_lexicon(maxsize=131072)
def _candidates(
    lexicon: Lexicon, token: str, rate: float, capital_i: bool
) -> tuple[Candidate, ...]:
    if len(token) > LONGEST_WORD:
        return ()
    found: dict[str, Candidate] = {}
    shared = _add_words(found, lexicon, rate, token, capital_i, False)
    if not found and shared and _O_AS_A in token:  # then ö read as a (majligheter → möjligheter)
        _add_words(found, lexicon, rate, token, capital_i, True)
    if len(token) >= 7 and _try_compounds(found, token):
        readings = _readings(token, capital_i, False, SEARCH_READINGS)
        for skel, printed in readings[:COMPOUND_READINGS]:
            compound = _compound(skel, printed, rate, lexicon)
            if compound:
                _keep_best(found, compound)
    return _best_first(found.values())


def _try_compounds(found: dict[str, Candidate], token: str) -> bool:
    """Whether the compound search is run for a token whose whole-word readings are `found`:
    when none of its readings is a lexicon word, or the only one is the token itself at the
    lexicon's noise level (`COMPOUND_BELOW`).

    A reading that is another lexicon word is kept over a compound, even below the noise
    level: on the bench's 50,000 damaged words, of the 850 tokens whose best such reading was
    below it, the compound search changed the text of none, and skipping it saves 5.5 % of the
    repair's instructions there (the repair's evaluation figures are unchanged).
    """
    if not found:
        return True
    own = found.get(token)
    return own is not None and len(found) == 1 and own[SCORE] < COMPOUND_BELOW


def word_plausibility(word: str, lexicon: Lexicon) -> float:
    """The best log score of any reading of `word` (damaged readings count): -inf if none."""
    found = candidates(word.lower(), STRIPPED_RATE, lexicon)
    return found[0][SCORE] if found else -math.inf


def is_protected(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses, which are never repaired (`addresses.address_spans`)."""
    return address_spans(text)


#: A token: (offset in the text, the token as printed).
Token = tuple[int, str]


def tokens(text: str, pattern: regex.Pattern[str] = TOKEN) -> list[Token]:
    return [(m.start(), m[0]) for m in pattern.finditer(text, concurrent=False)]


def capital_i(printed: str) -> bool:
    """A capitalized token starting with I, which may be a lower-case word starting with l."""
    return printed[0] == "I" and len(printed) > 2 and printed[1:].islower()


def _restore_case(printed: str, word: str) -> str:
    if printed[:1] == "I" and word[:1] == "l":
        return word  # l read as I: the word was lower-case
    if printed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=65536)
def _reason(printed: str, word: str) -> str:
    low = printed.lower()
    if len(low) == len(word):
        changed = compress(zip(word, low, strict=True), map(ne, word, low))
        diffs = [f"{t} read as {p}" for t, p in changed]
    else:
        diffs = []
    if not diffs:
        diffs = [f"{word} read as {low}"]
    return ", ".join(dict.fromkeys(diffs))


@per_lexicon(maxsize=262144)
def _found(
    lexicon: Lexicon, tok: str, rate: float, stripped: bool, ocr: bool
) -> tuple[Candidate, ...]:
    """The readings `correct_token` weighs; none for what it leaves alone whatever the context."""
    if len(tok) < 2 or tok.isupper() or tok.isdigit():
        return ()
    if not any(c.isalpha() for c in tok):
        return ()
    low = tok.lower()
    if not stripped and not ocr and compound_parts(low, lexicon) and not _has_damage_glyph(tok):
        return ()  # a compound of known words on a page with its diacritics: valid
    return _candidates(lexicon)(low, rate, capital_i(tok))


@per_lexicon(maxsize=262144)
def correct_token(
    lexicon: Lexicon,
    tok: str,
    before: Cue,
    after: Cue,
    rate: float,
    stripped: bool,
    ocr: bool,
    guard: float = NORMAL_REAL_WORD_MARGIN,
) -> tuple[str, float] | None:
    """(replacement, confidence) for a printed token between neighbours with these cues
    (`context.cue`; `context.EDGE` where there is none), or None to leave it; memoized per
    lexicon: ``correct_token(lexicon)(tok, before, after, rate, stripped, ocr)``.

    `ocr`: the page was just read by Tesseract, whose English model drops a ring or dots from
    a single word now and then; there a compound of known parts is not taken as proof of itself.
    `guard`: the margin that guards a rarer real word (`_real_word_stands`).
    """
    found = _found(lexicon)(tok, rate, stripped, ocr)
    return _weigh(found, tok, (before, after), (lexicon, stripped, ocr, guard))


#: How a word on the page a token is on is weighed: (with this lexicon, the page's å/ä/ö lost
#: (`stripped`) or not, just read by Tesseract (`ocr`) or not, the margin that guards a rarer
#: real word (`guard`, `_real_word_stands`)). A plain tuple: one is made per token weighed.
_Page = tuple[Lexicon, bool, bool, float]
#: Its fields.
LEXICON: Final = 0
STRIPPED: Final = 1
OCR: Final = 2
GUARD: Final = 3


#: The cues of a token's neighbours: (before it, after it).
_Cues = tuple[Cue, Cue]
#: The cues of a token weighed without its neighbours.
_NO_CUES: Final[_Cues] = (EDGE, EDGE)


def _weigh(
    found: tuple[Candidate, ...],
    tok: str,
    cues: _Cues,
    page: _Page,
    in_document: frozenset[str] = frozenset(),
) -> tuple[str, float] | None:
    """`correct_token` given the token's readings `found` (`_found`); the readings in
    `in_document` (printed in the document next to this token's neighbour) weigh
    `DOCUMENT_BONUS` more.

    The weighing is three named scores: `_scored` (each reading's score with its context
    bonuses, best first), `_real_word_stands` (a printed word that the best reading does not
    beat by enough) and `_confidence` (the chance the change helps: the best reading's share
    less the printed word's, a wrong word made another wrong word counted as a coin toss),
    capped by `_guessed_compound`.
    """
    if not found:
        return None
    low = tok.lower()
    if len(found) == 1 and found[0][WORD] == low:
        return None  # the token is its only reading: nothing to weigh
    as_printed = _as_printed(found, low)
    is_word = as_printed is not None  # the token as printed is one of its readings
    scored = _scored(found, cues, is_word, in_document)
    best_score, best = scored[0]
    if best[WORD] == low:
        return None
    if as_printed is not None and _real_word_stands(scored, as_printed, tok, best_score, page):
        return None
    confidence = _confidence(scored, best_score, as_printed)
    if best[COMPOUND] and _guessed_compound(low, page):
        confidence = min(confidence, 0.5)
    return _restore_case(tok, best[WORD]), confidence


def _as_printed(found: tuple[Candidate, ...], low: str) -> Candidate | None:
    """The reading that is the token as printed (lower case), if it is one."""
    for c in found:
        if c[WORD] == low:
            return c
    return None


#: A reading's score in context, and the reading.
_Scored = tuple[float, Candidate]


def _scored(
    found: tuple[Candidate, ...], cues: _Cues, is_word: bool, in_document: frozenset[str]
) -> list[_Scored]:
    """The first six readings, each with its score plus its bonuses (`_bonus`), best first (ties
    by word); without neighbours or document readings, in the order `_found` gives them."""
    alone = cues == _NO_CUES  # no neighbours: no cue gives a bonus
    if alone and not in_document:
        return [(c[SCORE], c) for c in found[:6]]
    cued = not alone and (is_word or len(found) > 1)
    scored = [(c[SCORE] + _bonus(c, cues, cued, in_document), c) for c in found[:6]]
    scored.sort(key=lambda x: (-x[0], x[1][WORD]))
    return scored


def _bonus(c: Candidate, cues: _Cues, cued: bool, in_document: frozenset[str]) -> float:
    """A reading's context bonus: its neighbours' cue (`cue_bonus`; none for a compound or when
    not `cued`), plus `DOCUMENT_BONUS` if the document prints it next to the same neighbour."""
    bonus = 0.0
    if cued and not c[COMPOUND]:
        bonus = cue_bonus(c[WORD], *cues)
    if in_document and c[WORD] in in_document:
        bonus += DOCUMENT_BONUS
    return bonus


def _real_word_stands(
    scored: list[_Scored], as_printed: Candidate, tok: str, best_score: float, page: _Page
) -> bool:
    """True when a token that is a word as printed (`as_printed`, its reading) stays: on a page
    with its diacritics, when the best reading is not `NORMAL_REAL_WORD_MARGIN` likelier, or
    when it is a capitalised open-class word (a name, likelier than its reading). The printed
    word's score is its score among the readings weighed, or, below the first six, its own.

    A word the counted Swedish text does not use as a word of its own (`context.unit`: ``ar``,
    ``fran``) is guarded by the page's `GUARD` instead: less on an OCR'd page where there is
    evidence that it lost a mark (`diacritic_edits`)."""
    if page[STRIPPED]:
        return False
    word = as_printed[WORD]
    id_score = next((s for s, c in scored if c[WORD] == word), as_printed[SCORE])
    margin = NORMAL_REAL_WORD_MARGIN if unit(word).startswith(OWN_UNIT) else page[GUARD]
    if best_score - id_score < margin:
        return True
    return tok[0].isupper() and word_class(word) == "OPEN"


def _confidence(scored: list[_Scored], best_score: float, as_printed: Candidate | None) -> float:
    """The confidence that changing the token to its best reading helps.

    The readings weighed share the probability. For a token that is a word as printed
    (`as_printed`), the change helps when the best reading is right (its share), harms when the
    printed word is right (its share), and else leaves a wrong word wrong, which counts as a
    coin toss: (1 + the best's share - the printed word's share) / 2. For a token that is no
    word as printed, leaving it counts as a reading far less likely than the best, and the
    best's share is mapped to between 1/2 and 1: a change can only make it right.
    """
    others = [s for s, _ in scored]
    if as_printed is None:
        others.append(min(UNKNOWN, best_score - math.log(50)))
    top = max(others)
    z = sum(math.exp(s - top) for s in others)
    best = math.exp(best_score - top) / z
    if as_printed is None:
        return (1.0 + best) / 2.0
    word = as_printed[WORD]
    printed_score = next((s for s, c in scored if c[WORD] == word), None)
    printed = 0.0 if printed_score is None else math.exp(printed_score - top) / z
    return (1.0 + best - printed) / 2.0


def _guessed_compound(low: str, page: _Page) -> bool:
    """True when a compound reading is a guess whose confidence is capped at 1/2: on a page with
    its diacritics, unless Tesseract just read it and the token is no plain compound of two."""
    return not page[STRIPPED] and (not page[OCR] or _plain_compound_of_two(low, page[LEXICON]))


def _plain_compound_of_two(word: str, lexicon: Lexicon) -> bool:
    """As printed, a compound of at most two known words: too plausible to overrule outright."""
    parts = compound_parts(word, lexicon)
    return parts is not None and len(parts) <= 2


def _context_free(found: tuple[Candidate, ...]) -> bool:
    """True when `correct_token` gives the same answer whatever the neighbours, for a token
    whose readings are `found`.

    `cue_bonus` is zero for every candidate that is not one of `context.context_words`; the
    early returns of `correct_token` do not look at the neighbours.
    """
    words = context_words()
    return not any(c[WORD].lower() in words for c in found[:6])


def _on_its_own(
    lexicon: Lexicon,
    word: str,
    rate: float,
    stripped: bool,
    ocr: bool,
    guard: float = NORMAL_REAL_WORD_MARGIN,
) -> tuple[tuple[str, float] | None, bool]:
    """(the correction of a token without neighbours, whether neighbours could change it)."""
    if _sole_reading(word, lexicon):
        return _LEFT_ALONE
    found = _found(lexicon)(word, rate, stripped, ocr)
    fixed = _weigh(found, word, _NO_CUES, (lexicon, stripped, ocr, guard))
    return fixed, _context_free(found)


def diacritic_edits(
    text: str,
    *,
    lexicon: Lexicon,
    rate: float,
    ocr: bool = False,
    toks: list[Token] | None = None,
    phrases: frozenset[tuple[str, str]] = frozenset(),
    unmarked: bool = False,
) -> list[Edit]:
    """Edits (offsets into `text`) restoring diacritics and undoing OCR letter confusions.

    `rate` is the page's damage rate λ; at 0.5 and above the page counts as stripped. `toks`:
    the text's `tokens`, if the caller has them. `phrases`: the pairs of adjacent words, lower
    case, that the whole document prints with å/ä/ö (`document_phrases`); on a page Tesseract
    read (`ocr`), a word left alone whose reading with å/ä/ö the document prints next to the
    same neighbour is weighed again with that reading favoured (`barnens basta` in a title,
    `barnens bästa` in the text below it). A rarer real word (`_real_word_stands`) is guarded
    by no margin where `unmarked` (`text` is an OCR'd line with no å/ä/ö and other cues that it
    lost them: `lines.unmarked_lines`), and by `TWIN_MARGIN` on a page Tesseract read where the
    document prints a reading of it with å/ä/ö that is a content word (`printed_twins`).
    """
    stripped = rate >= 0.5
    protected = is_protected(text)
    if toks is None:
        toks = tokens(text)
    edits: list[Edit] = []
    todo: list[int] = []  # tokens whose correction the neighbours may change
    first: dict[int, tuple[str, float]] = {}
    correct = correct_token(lexicon)
    favour = ocr and bool(phrases)  # favour readings the document prints (`phrases`)
    # a word left alone -> (its readings, those of them with å/ä/ö the phrases may favour)
    readings: dict[str, tuple[tuple[Candidate, ...], tuple[str, ...]]] = {}
    # each word as this stage reads it on its own on a page like this one: (its correction on
    # its own, whether context is free, the reason for that correction), or None for a word
    # left alone whatever its neighbours
    twins = printed_twins(phrases) if ocr and not unmarked else frozenset()
    guards: dict[str, float] = {}  # the words guarded by less than the usual margin
    needs: dict[str, _Decision] = {}  # the words of this page that are not left alone
    tables: dict[float, dict[str, _Decision | None]] = {}  # guard -> its `word_table`
    for word in dict.fromkeys(map(_TEXT, toks)):
        guard = NORMAL_REAL_WORD_MARGIN
        if unmarked:
            guard = guards[word] = 0.0
        elif twins and word.lower() in twins:
            guard = guards[word] = TWIN_MARGIN
        decided = tables.get(guard)
        if decided is None:  # (one look-up per page and guard, not one per word)
            decided = tables[guard] = word_table(lexicon, "diacritics", rate, stripped, ocr, guard)
        info = decided.get(word, _UNSEEN)
        if info == _UNSEEN:
            info = decided[word] = _decide(lexicon, word, rate, stripped, ocr, guard)
        if info is not None:
            needs[word] = info
    # first pass: each word on its own; final for the words no neighbour can change
    for i in compress(range(len(toks)), map(needs.__contains__, map(_TEXT, toks))):
        start, word = toks[i]
        if protected and any(a <= start < b for a, b in protected):
            continue
        fixed, context_free, reason = needs[word]
        if fixed is not None:
            first[i] = fixed
            if context_free:
                edits.append(make_edit((start, word, fixed[0], reason, fixed[1])))
        if not context_free:
            todo.append(i)
    if favour:  # the words left alone, weighed again with the readings the document prints
        for i, (start, word) in enumerate(toks):
            if word in needs or (protected and any(a <= start < b for a, b in protected)):
                continue
            fixed = _as_printed_elsewhere(lexicon, toks, i, phrases, rate, stripped, readings)
            if fixed is not None:
                reason = _reason(word, fixed[0].lower())
                edits.append(make_edit((start, word, fixed[0], reason, fixed[1])))
    # second pass: context, with the neighbours as the first pass read them
    last = len(toks) - 1
    for i in todo:
        start, word = toks[i]
        prev = _neighbour(text, toks, first, i - 1, i) if i else None
        nxt = _neighbour(text, toks, first, i + 1, i) if i < last else None
        guard = guards.get(word, NORMAL_REAL_WORD_MARGIN)
        fixed = correct(word, cue(prev), cue(nxt), rate, stripped, ocr, guard)
        if fixed is None:
            continue
        after, confidence = fixed
        edits.append(make_edit((start, word, after, _reason(word, after.lower()), confidence)))
    return edits


#: What `diacritic_edits` makes of a word on its own: (its correction, or None; whether the
#: neighbours may change it; the reason for the correction).
_Decision = tuple[tuple[str, float] | None, bool, str]
#: What a word not in the table yet gets from ``table.get`` (no decision equals it; compared
#: with ==).
_UNSEEN: Final[_Decision] = (None, False, "not decided yet")


def _decide(
    lexicon: Lexicon,
    word: str,
    rate: float,
    stripped: bool,
    ocr: bool,
    guard: float = NORMAL_REAL_WORD_MARGIN,
) -> _Decision | None:
    """What `diacritic_edits` makes of `word` on its own; None for a word left alone whatever
    its neighbours (a number; a known word on a page that has its diacritics; a word no reading
    changes)."""
    if word.isdigit() or (
        not stripped and not ocr and word.lower() in lexicon.frequencies
        and not _has_damage_glyph(word)
    ):
        return None
    fixed, context_free = _on_its_own(lexicon, word, rate, stripped, ocr, guard)
    if fixed is None and context_free:
        return None
    reason = _reason(word, fixed[0].lower()) if fixed is not None else ""
    return fixed, context_free, reason


def _as_printed_elsewhere(
    lexicon: Lexicon,
    toks: list[Token],
    i: int,
    phrases: frozenset[tuple[str, str]],
    rate: float,
    stripped: bool,
    readings: dict[str, tuple[tuple[Candidate, ...], tuple[str, ...]]],
) -> tuple[str, float] | None:
    """The correction of token i, left alone on its own, when a reading of it with å/ä/ö is
    printed elsewhere in the document next to the same neighbour (`phrases`); else None.
    `readings` memoizes, for the page, each word's readings and those with å/ä/ö."""
    word = toks[i][1]
    if word not in readings:
        low = word.lower()
        found = _found(lexicon)(word, rate, stripped, True)
        # content words only: a function word (för, där) stands next to anything somewhere
        marked = tuple(
            c[WORD]
            for c in found[:6]
            if c[WORD] != low
            and not c[COMPOUND]
            and DIACRITIC.search(c[WORD], concurrent=False)
            and word_class(c[WORD]) == "OPEN"
        )
        readings[word] = (found, marked)
    found, marked = readings[word]
    if not marked:
        return None
    before = toks[i - 1][1].lower() if i else ""
    after = toks[i + 1][1].lower() if i + 1 < len(toks) else ""
    favoured = frozenset(r for r in marked if (before, r) in phrases or (r, after) in phrases)
    if not favoured:
        return None
    page = (lexicon, stripped, True, NORMAL_REAL_WORD_MARGIN)
    return _weigh(found, word, _NO_CUES, page, favoured)


def document_phrases(text: str) -> frozenset[tuple[str, str]]:
    """The pairs of adjacent words (lower case, runs of letters) in which a word has å/ä/ö."""
    words = WORD_PATTERN.findall(text.lower(), concurrent=False)
    pairs = zip(words, words[1:], strict=False)
    marked = DIACRITIC.search
    return frozenset(
        (a, b) for a, b in pairs if marked(a, concurrent=False) or marked(b, concurrent=False)
    )


@lru_cache(maxsize=4)
def printed_twins(phrases: frozenset[tuple[str, str]]) -> frozenset[str]:
    """The content words with å/ä/ö of `phrases` (`document_phrases`), as they read without
    them: a printed word among these has a reading with å/ä/ö that the document prints. (A
    function word, `för`, `där`, is printed on nearly every page, so it is no evidence.)

    >>> sorted(printed_twins(document_phrases("Arbetet pågår nu, pagar från i höst")))
    ['host', 'pagar']
    """
    return frozenset(
        skeleton(w)
        for pair in phrases
        for w in pair
        if DIACRITIC.search(w, concurrent=False) and word_class(w) == "OPEN"
    )


#: `_on_its_own` of a word left alone whatever its neighbours.
_LEFT_ALONE: tuple[tuple[str, float] | None, bool] = (None, True)


def _sole_reading(word: str, lexicon: Lexicon) -> bool:
    """True for a lexicon word that no reading of it can turn into another word (its loose key
    is its alone) and that is frequent or short enough for no compound to be tried: what
    `correct_token` leaves alone whatever the neighbours, found without its caches."""
    low = word.lower()
    if not low.isalpha() or capital_i(word) or _has_joined(low):
        return False  # (da and é& are read by other rules: uppdat → uppåt)
    freq = lexicon.frequencies.get(low)
    if freq is None or low in loose_index(lexicon).shared:
        return False  # not a word, or a word whose loose key others have too
    return len(low) < 7 or math.log(freq) >= COMPOUND_BELOW


def _neighbour(
    text: str, toks: list[Token], first: dict[int, tuple[str, float]], j: int, i: int
) -> str | None:
    """Token j, next to token i, as the first pass read it; None unless in the same clause."""
    a, b = (toks[j], toks[i]) if j < i else (toks[i], toks[j])
    between = text[a[0] + len(a[1]) : b[0]]
    # only spaces (or a line break) between them, or a dash
    if not (between == " " or between.strip(" \t\n") == "" or between in ("-", "–")):
        return None
    fixed = first.get(j)
    return fixed[0] if fixed is not None and fixed[1] >= APPLY_THRESHOLD else toks[j][1]


def _has_damage_glyph(word: str) -> bool:
    return "&" in word or "6" in word or "é" in word


_TEXT = itemgetter(1)  # a token's text


def page_rate(
    text: str, lexicon: Lexicon, stripped: bool | None, toks: list[Token] | None = None
) -> float:
    """The damage rate λ of a page: estimated from its text (`toks`: its `tokens`, if the
    caller has them), or as the caller knows it (`stripped`: its å/ä/ö lost, or not)."""
    if stripped is None:
        words = None if toks is None else map(_TEXT, toks)
        return estimate_damage_rate(text, lexicon, words)
    return STRIPPED_RATE if stripped else NORMAL_RATE


def fix_diacritics(
    text: str, *, lexicon: Lexicon | None = None, stripped: bool | None = None, page: int = 1
) -> RepairResult:
    """Only the diacritics stage, for doctests and experiments."""
    lexicon = lexicon or load_lexicon()
    edits = diacritic_edits(text, lexicon=lexicon, rate=page_rate(text, lexicon, stripped))
    new, records = apply_edits(text, edits, stage="diacritics", page=page)
    return RepairResult(new, records)
