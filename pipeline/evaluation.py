"""Quality measures, defined as in ../shared/EVALUATION.md (used by tests and `make bench`).

>>> word_error_rate("Målet är att alla barn", "Målet ar att alla barn")
0.2
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import regex

_WORD = regex.compile(r"\w+")
_DASHES = regex.compile(r"[\p{Pd}\u2212]")


def words(text: str) -> list[str]:
    """NFC, then the Unicode `\\w+` words; punctuation and bullets do not count, case does."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two sequences (substitutions, insertions, deletions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def word_error_rate(truth: str, hypothesis: str) -> float:
    """Word-level edit distance / number of truth words."""
    reference = words(truth)
    if not reference:
        return 0.0 if not words(hypothesis) else 1.0
    return edit_distance(reference, words(hypothesis)) / len(reference)


def normalize_heading(text: str) -> str:
    """NFC, dashes unified, white space collapsed, trailing `.`/`:` removed, case folded."""
    text = unicodedata.normalize("NFC", text)
    text = _DASHES.sub("-", text)
    text = " ".join(text.split()).rstrip(".:").strip()
    return text.casefold()


def normalize_item(text: str) -> str:
    """List items are compared like headings, trailing punctuation kept."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_DASHES.sub("-", text).split())


def precision_recall_f1(truth: Iterable[str], found: Iterable[str]) -> tuple[float, float, float]:
    t, f = set(truth), set(found)
    if not t and not f:
        return 1.0, 1.0, 1.0
    hits = len(t & f)
    precision = hits / len(f) if f else 0.0
    recall = hits / len(t) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def levels_consistent(truth: dict[str, int], found: dict[str, int]) -> list[tuple[str, str]]:
    """Pairs of truth headings whose relative order of level the output gets wrong.

    For every pair of truth headings with different levels that both were found, the output
    must rank them the same way; absolute numbers are free.
    """
    wrong = []
    names = [h for h in truth if h in found]
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if truth[a] == truth[b]:
                continue
            if (truth[a] < truth[b]) != (found[a] < found[b]) or found[a] == found[b]:
                wrong.append((a, b))
    return wrong


def normalize_url(url: str) -> str:
    return url.rstrip("/")
