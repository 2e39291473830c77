"""The archive's own words: a plain word list that the lexicon takes in.

A word in the list is known to the lexicon (so a correction typed once is offered everywhere)
and is kept: no repair stage changes a token that is one of them (a local name a reviewer kept
is never "repaired" again). The file is UTF-8, one word a line; blank lines and lines starting
with ``#`` are ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import regex

from ..errors import ReviewFileError
from ..lexicon import Lexicon
from .decisions import Decision

#: A word of the list: letters, with inner hyphens or apostrophes (Ann-Marie, O'Neil).
WORD = regex.compile(r"^\p{L}+(?:['’-]\p{L}+)*$")
#: A word in running text (`WORD` without its anchors).
TOKEN = regex.compile(r"\p{L}+(?:['’-]\p{L}+)*")
#: The frequency an archive word is given when the lexicon does not know it: that of a
#: content word read now and then (about one in a hundred thousand words), enough for the
#: repair to offer it as a reading, not enough to win over the common words of the language.
ARCHIVE_FREQUENCY = 1e-5
HEADER = "# newsletter-pipeline archive words: one a line (newsletter words learn)\n"


def parse_words(text: str) -> tuple[str, ...]:
    """The words of a word list's text, in file order, without repeats.

    >>> parse_words("# names\\nBjorkas\\n\\n bjorkas \\nAnn-Marie\\n")
    ('Bjorkas', 'Ann-Marie')
    """
    seen: set[str] = set()
    words = []
    for number, line in enumerate(text.splitlines(), 1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if not WORD.match(word):
            raise ReviewFileError(f"word list line {number}: not one word: {word!r}")
        if word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)
    return tuple(words)


def read_words(path: str | Path) -> tuple[str, ...]:
    """The words of a word list file (`parse_words`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewFileError(f"{path}: cannot read the word list: {exc}") from exc
    return parse_words(text)


def format_words(words: Iterable[str]) -> str:
    """A word list's text: the words sorted (case-blind, then as written), one a line.

    >>> print(format_words(["Tarnby", "Bjorkas"]), end="")
    # newsletter-pipeline archive words: one a line (newsletter words learn)
    Bjorkas
    Tarnby
    """
    unique = {w.lower(): w for w in sorted(set(words))}
    return HEADER + "".join(w + "\n" for w in sorted(unique.values(), key=lambda w: (w.lower(), w)))


def words_digest(words: Iterable[str]) -> str:
    """sha256 of a word list in file form (`format_words`): the same words, the same digest,
    whatever their order; the batch manifest records it, so a new list reconverts.

    >>> words_digest(["Tarnby", "Bjorkas"]) == words_digest(["Bjorkas", "Tarnby"])
    True
    """
    return hashlib.sha256(format_words(words).encode("utf-8")).hexdigest()


def with_words(lexicon: Lexicon, words: Iterable[str]) -> Lexicon:
    """`lexicon` with the archive's words added and kept; the same object for the same words
    (so its indexes are built once per batch, not once per file).

    >>> from pipeline.lexicon import load_lexicon
    >>> extended = with_words(load_lexicon(), ["Bjorkas"])
    >>> "bjorkas" in extended, "bjorkas" in extended.kept
    (True, True)
    """
    words = frozenset(w.lower() for w in words)
    if not words:
        return lexicon
    return _with_words(lexicon, words)


@lru_cache(maxsize=4)
def _with_words(lexicon: Lexicon, words: frozenset[str]) -> Lexicon:
    added = {w: ARCHIVE_FREQUENCY for w in sorted(words) if w not in lexicon.frequencies}
    frequencies = lexicon.frequencies
    if added:  # kept most frequent first, as the indexes expect (a stable sort: ties keep order)
        merged = list(lexicon.frequencies.items()) + list(added.items())
        frequencies = dict(sorted(merged, key=lambda item: -item[1]))
    return replace(lexicon, frequencies=frequencies, kept=lexicon.kept | words)


def learn_words(decisions: Iterable[Decision]) -> tuple[str, ...]:
    """The archive's words that `decisions` teach: each word of a rejected repair's printed
    text (the reviewer kept it) and of a typed correction; sorted, without repeats.

    >>> from pipeline.review.decisions import Decision
    >>> learn_words([Decision("", "0" * 64, 1, 0, "Bjorkas", "Björkås", "reject"),
    ...              Decision("", "0" * 64, 1, 9, "Tarnby", "Tårnby", "correct", "Tärnby"),
    ...              Decision("", "0" * 64, 2, 0, "ar", "är", "accept")])
    ('Bjorkas', 'Tärnby')
    """
    words: dict[str, str] = {}
    for decision in decisions:
        if decision.action == "reject":
            text = decision.before
        elif decision.action == "correct":
            text = decision.correction or ""
        else:
            continue
        for word in TOKEN.findall(text):
            words.setdefault(word.lower(), word)
    return tuple(sorted(words.values(), key=lambda w: (w.lower(), w)))
