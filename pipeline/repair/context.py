"""Context cues: which of two valid words fits between its neighbours (word classes, not words).

The classes of Swedish closed-class words come from ``pipeline/data/function_words.tsv``; a word
not there is an open-class word (noun, verb, adjective). Each cue is a log-odds bonus for a
candidate's class given the neighbours' classes, from Swedish grammar:

- after a numeral, a determiner, a possessive or a preposition comes a noun phrase, not a
  finite verb: ``7–18 år``, ``ett år``, ``i år`` (not ``är``);
- after a preposition a possessive is likely (``på våra nya adresser``), before a
  preposition, an adverb or a verb it is not (``ta vara på``, ``var främst``);
- after a modal, the infinitive marker ``att`` or a verb in -s (``planeras``), the infinitive
  (``ska vara``) rather than a possessive;
- an auxiliary is not followed by another finite auxiliary (``här är``, not ``har är``).

>>> context_bonus("år", "18", "resultatet") > context_bonus("är", "18", "resultatet")
True
>>> context_bonus("våra", "på", "nya") > context_bonus("vara", "på", "nya")
True
>>> context_bonus("vara", "ska", "i") > context_bonus("våra", "ska", "i")
True
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import regex

_YEAR = regex.compile(r"^(19|20)\d\d$")
_NUMBER = regex.compile(r"^\d+([–\-]\d+)?$")
_NOUNISH = regex.compile(r"(er|ar|or|na|en|et|ing|ingar|het|tion|er|sida|are|else)$")
_NOUN_PHRASE_START = frozenset({"NUM", "DET", "POSS", "PREP"})
_FINITE = frozenset({"är", "var", "har", "hade", "blir", "blev", "finns", "fanns"})


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
    return word_classes().get(word.lower(), "OPEN")


#: What `context_bonus` reads of a neighbour, a plain tuple (memo keys stay untracked):
#: (its word_class, "NONE" at an edge; a year (2022 har vi); a verb in -s (planeras vara);
#: a noun ending (våra tjänster); a finite auxiliary (har är)).
Cue = tuple[str, bool, bool, bool, bool]


@lru_cache(maxsize=65536)
def cue(word: str | None) -> Cue:
    """The features of a neighbouring word that the context cues look at.

    Words with the same cue give every candidate the same bonus, so results can be shared.
    """
    if not word:
        return ("NONE", False, False, False, False)
    low = word.lower()
    return (
        word_class(word),
        bool(_YEAR.match(word, concurrent=False)),
        word.endswith("as"),
        bool(_NOUNISH.search(low, concurrent=False)),
        low in _FINITE,
    )


#: The cue at the edge of a clause (no neighbour).
EDGE = cue(None)


def context_bonus(candidate: str, prev: str | None, nxt: str | None) -> float:
    """Log-odds bonus for `candidate` between the words `prev` and `nxt` (None at an edge)."""
    return cue_bonus(candidate, cue(prev), cue(nxt))


def cue_bonus(candidate: str, before: Cue, after: Cue) -> float:
    """`context_bonus` from the neighbours' cues; nothing for a word with no neighbours.

    >>> any(cue_bonus(w, EDGE, EDGE) for w in [*word_classes(), "vara", "år", "hus"])
    False
    """
    before_cls, before_year, before_passive, _, _ = before
    after_cls, _, _, after_nounish, after_finite = after
    cls = word_class(candidate)
    bonus = 0.0
    if cls in ("AUX", "MODAL") and candidate in _FINITE and before_cls in _NOUN_PHRASE_START:
        # a year is an adverbial ("2022 har vi"), a count starts a noun phrase ("7–18 år")
        if not (before_cls == "NUM" and before_year):
            bonus -= 5.0
    if cls == "POSS":
        if before_cls == "PREP":
            bonus += 3.0
        if after_cls in ("PREP", "ADV", "AUX", "MODAL", "CONJ", "INF"):
            bonus -= 3.0
        if before_cls in ("MODAL", "INF") or (before_cls == "OPEN" and before_passive):
            bonus -= 3.0
        elif before_cls == "OPEN" and after_cls == "OPEN" and after_nounish:
            bonus += 3.0
    if candidate == "vara" and (before_cls in ("MODAL", "INF") or before_passive):
        bonus += 2.0
    if cls == "AUX" and candidate in _FINITE and after_finite:
        bonus -= 3.0
    return bonus
