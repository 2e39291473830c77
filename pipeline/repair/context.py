"""Context: which of two valid words fits between its neighbours, from counts in Swedish text.

A candidate is counted as a unit: the word itself when it was frequent in the counted text,
else its class, a closed class from ``pipeline/data/function_words.tsv`` (preposition,
determiner, possessive, auxiliary, ...) or OPEN (noun, verb, adjective: any other word). A
neighbour is seen through its `cue`: the word itself when frequent, else its closed class, a
year, a number, a capitalized word, or an open word's last two letters (``-as``, ``-na``; rare
endings pooled as OPEN). How often each unit stands after and before each cue was counted on
one part of Swedish text (``pipeline/data/context.tsv``, made by ``make data``, that is
``python -m pipeline.repair.estimate_context``; see ``pipeline/data/README.md``); no weight here
is set by hand and no rule names a word.

The bonus of a candidate is a log-likelihood ratio against an open word, from those counts:
``[log P(unit | left) - log P(OPEN | left)] - [log P(unit) - log P(OPEN)]``, and the same with
the right neighbour (the two sides taken as independent given the unit), times a scale chosen
with the counts. A word that is only an open word to the counts gets 0, so readings that are all
such words are weighed as if there were no context; at an edge (no neighbour in the same clause)
a side gives 0.

>>> context_bonus("har", "vi", "en") > context_bonus("här", "vi", "en")
True
>>> context_bonus("våra", "på", "nya") > context_bonus("vara", "på", "nya")
True
>>> context_bonus("vara", "ska", "i") > context_bonus("våra", "ska", "i")
True
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import regex

_YEAR = regex.compile(r"^(19|20)\d\d$")
_NUMBER = regex.compile(r"^\d+([–\-]\d+)?$")

#: The class of a word that is not a closed-class word.
OPEN = "OPEN"
#: Pseudo-counts of the prior P(unit) added to each neighbour's counts (a Dirichlet prior): a
#: neighbour seen a few times moves the bonus little, one seen often moves it fully. The value
#: and the other settings below are chosen by `estimate_context` (two-fold cross-validation on
#: the estimate part) and read from ``context.tsv``; these are what a table without them gets.
PRIOR_WEIGHT = 20.0
#: An open word's ending is its own cue when seen this many times on a side; rarer ones pool.
MIN_ENDING = 20
#: Prefix of a unit that is a word itself (a word frequent enough in the counted text).
WORD = "w:"


@lru_cache(maxsize=1)
def word_classes() -> dict[str, str]:
    text = resources.files("pipeline.data").joinpath("function_words.tsv").read_text("utf-8")
    classes: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, cls = line.split("\t")
            classes.setdefault(word, cls)
    return classes


@lru_cache(maxsize=65536)
def word_class(word: str | None) -> str:
    if not word:
        return "NONE"
    if _NUMBER.match(word, concurrent=False):
        return "NUM"
    return word_classes().get(word.lower(), OPEN)


def shape(word: str | None) -> str:
    """A neighbour's features before rare endings are pooled: ``NONE`` at an edge, ``YEAR``,
    ``NUM``, a closed class, ``CAP`` (a capitalized open word), else ``-`` and its last two
    letters.

    >>> [shape(w) for w in (None, "2022", "7–18", "ska", "Ekeby", "planeras")]
    ['NONE', 'YEAR', 'NUM', 'MODAL', 'CAP', '-as']
    """
    if not word:
        return "NONE"
    if _YEAR.match(word, concurrent=False):
        return "YEAR"
    cls = word_class(word)
    if cls != OPEN:
        return cls
    if word[0].isupper():
        return "CAP"
    return "-" + word[-2:].lower()


#: What `cue_bonus` reads of a neighbour (a plain string, so memo keys stay small).
Cue = str

#: The cue at the edge of a clause (no neighbour).
EDGE: Cue = "NONE"

#: side ("before": the neighbour stands before the word; "after") -> cue -> unit -> bonus
Bonuses = dict[str, dict[str, dict[str, float]]]
#: side -> cue -> unit -> count, as ``context.tsv`` holds them
Counts = dict[str, dict[str, dict[str, int]]]


class Model(NamedTuple):
    """The context weights: the bonuses, the units (``w:`` and a word) that candidates have of
    their own, and the neighbour cues the counts know."""

    bonus: Bonuses
    units: frozenset[str]
    cues: frozenset[str]


def parse_table(text: str) -> tuple[Counts, dict[str, float]]:
    """(the counts, the settings) of a ``context.tsv``."""
    counts: Counts = {"before": {}, "after": {}}
    settings: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "setting":
            settings[fields[1]] = float(fields[2])
        else:
            side, neighbour, unit, n = fields
            counts[side].setdefault(neighbour, {})[unit] = int(n)
    return counts, settings


def make_model(counts: Counts, settings: dict[str, float]) -> Model:
    bonus = bonuses(counts, settings.get("prior_weight", PRIOR_WEIGHT), settings.get("scale", 1.0))
    units = frozenset(
        u for side in counts.values() for row in side.values() for u in row if u.startswith(WORD)
    )
    return Model(bonus, units, frozenset(counts["before"]) | frozenset(counts["after"]))


@lru_cache(maxsize=1)
def model() -> Model:
    """The weights of ``pipeline/data/context.tsv``."""
    text = resources.files("pipeline.data").joinpath("context.tsv").read_text("utf-8")
    return make_model(*parse_table(text))


def bonuses(counts: Counts, prior_weight: float = PRIOR_WEIGHT, scale: float = 1.0) -> Bonuses:
    """Each side's bonus of each unit next to each cue, from the counts (side -> cue -> unit ->
    count): the smoothed log-odds of the unit against OPEN next to the cue, less its log-odds in
    all the text, times `scale`.

    Smoothing is in two levels: a class next to a cue is drawn to the class's share in all the
    text, and a word (a unit of its own) to its share of its class next to that cue, so a word
    seen rarely next to a cue behaves as its class does there.

    >>> b = bonuses({"before": {"PREP": {"POSS": 9, "OPEN": 1}, "ADV": {"POSS": 1, "OPEN": 9}},
    ...              "after": {}})
    >>> b["before"]["PREP"]["POSS"] > 0 > b["before"]["ADV"]["POSS"]
    True
    """
    out: Bonuses = {}
    for side, table in counts.items():
        totals: dict[str, int] = {}
        for row in table.values():
            for u, n in row.items():
                totals[u] = totals.get(u, 0) + n
        if OPEN not in totals:
            out[side] = {}
            continue
        class_of = {u: _class_of(u) for u in totals}
        class_totals: dict[str, int] = {}
        for u, n in totals.items():
            class_totals[class_of[u]] = class_totals.get(class_of[u], 0) + n
        everything = sum(totals.values())
        class_prior = {c: n / everything for c, n in class_totals.items()}
        in_class = {u: n / class_totals[class_of[u]] for u, n in totals.items()}
        prior_odds = {u: math.log(totals[u] / totals[OPEN]) for u in totals}
        side_out: dict[str, dict[str, float]] = {}
        for neighbour, row in table.items():
            seen = sum(row.values())
            by_class: dict[str, int] = {}
            for u, n in row.items():
                by_class[class_of[u]] = by_class.get(class_of[u], 0) + n
            share = {
                c: (by_class.get(c, 0) + prior_weight * p) / (seen + prior_weight)
                for c, p in class_prior.items()
            }
            p = {
                u: (row.get(u, 0) + prior_weight * share[class_of[u]] * in_class[u])
                / (seen + prior_weight)
                for u in totals
            }
            side_out[neighbour] = {
                u: scale * (math.log(p[u] / p[OPEN]) - prior_odds[u]) for u in totals if u != OPEN
            }
        out[side] = side_out
    return out


def _class_of(u: str) -> str:
    """The class of a unit: a word's class, or the unit itself when it is a class."""
    return word_class(u[len(WORD) :]) if u.startswith(WORD) else u


@lru_cache(maxsize=65536)
def unit(word: str) -> str:
    """What the counts know a candidate word by: the word itself (``w:`` and the word) when it
    was frequent in the counted text, else its class.

    >>> unit("hus") == unit("tjänsteutövningar") == OPEN
    True
    """
    own = WORD + word.lower()
    return own if own in model().units else word_class(word)


@lru_cache(maxsize=1)
def context_words() -> frozenset[str]:
    """The words whose bonus may not be 0: the closed-class words and the words with a unit of
    their own; readings that are all other words are weighed alike whatever the neighbours."""
    return frozenset(word_classes()) | frozenset(u[len(WORD) :] for u in model().units)


@lru_cache(maxsize=65536)
def cue(word: str | None) -> Cue:
    """The cue of a neighbouring word: the word itself when the counts know it, else its
    `shape`, or OPEN for an ending the counts pooled.

    Words with the same cue give every candidate the same bonus, so results can be shared.
    """
    if not word:
        return EDGE
    cues = model().cues
    own = WORD + word.lower()
    if own in cues:
        return own
    s = shape(word)
    return s if s in cues or not s.startswith("-") else OPEN


def context_bonus(candidate: str, prev: str | None, nxt: str | None) -> float:
    """Log-odds bonus for `candidate` between the words `prev` and `nxt` (None at an edge)."""
    return cue_bonus(candidate, cue(prev), cue(nxt))


def cue_bonus(candidate: str, before: Cue, after: Cue) -> float:
    """`context_bonus` from the neighbours' cues; nothing for a word that is only an open word
    to the counts, nothing for a word with no neighbours.

    >>> any(cue_bonus(w, EDGE, EDGE) for w in [*word_classes(), "vara", "år", "hus"])
    False
    >>> cue_bonus("tjänsteutövningar", "PREP", "PREP")
    0.0
    """
    u = unit(candidate)
    if u == OPEN:
        return 0.0
    bonus = model().bonus
    return bonus["before"].get(before, {}).get(u, 0.0) + bonus["after"].get(after, {}).get(u, 0.0)
