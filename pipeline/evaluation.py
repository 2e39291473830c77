"""Quality measures, defined as in ../shared/EVALUATION.md (used by tests and `make bench`).

>>> word_error_rate("Målet är att alla barn", "Målet ar att alla barn")
0.2
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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


def bag_error(truth: str, hypothesis: str) -> float:
    """Order-free word error: the words compared as multisets,
    `sum |count_truth - count_out| / 2 / truth words`. WER minus this is roughly what the
    reading order costs.

    >>> bag_error("a b c d", "d c b a"), bag_error("a b c d", "a b c")
    (0.0, 0.125)
    """
    reference = Counter(words(truth))
    total = sum(reference.values())
    found = Counter(words(hypothesis))
    if not total:
        return 0.0 if not found else 1.0
    difference = sum(abs(reference[w] - found[w]) for w in reference.keys() | found.keys())
    return difference / 2 / total


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
    """A URL as links are compared: a trailing `/` ignored, and the scheme (a truth that prints
    `www.hsb.se` or an address says nothing of http, https or mailto).

    >>> normalize_url("https://www.hsb.se/") == normalize_url("www.hsb.se")
    True
    >>> normalize_url("mailto:info@ekeby.se")
    'info@ekeby.se'
    """
    return _SCHEME.sub("", url.strip()).rstrip("/")


_SCHEME = regex.compile(r"^(?:https?://|mailto:)", regex.IGNORECASE)


@dataclass(frozen=True)
class Scorecard:
    """A converted document judged against a truth (EVALUATION.md's measures).

    `wrong_levels`: pairs of truth headings (both found) ranked the other way round;
    `duplicate_links`: truth URLs that appear more than once in `links[]`;
    `rows`/`missing_rows`: the truth's table rows, and those not found as a `table_row` with the
    same cells (each cell compared as list items are).
    """

    words: int
    wer: float
    bag: float
    heading_f1: float
    headings: int
    missing_headings: list[str]
    extra_headings: list[str]
    wrong_levels: list[tuple[str, str]]
    items: int
    missing_items: list[str]
    links: int
    missing_links: list[str]
    duplicate_links: list[str]
    rows: int = 0
    missing_rows: list[str] = field(default_factory=list)

    @property
    def rows_found(self) -> float:
        """Share of truth table rows found with their cells (1.0 when the truth has none)."""
        return 1.0 if not self.rows else 1 - len(self.missing_rows) / self.rows

    @property
    def items_found(self) -> float:
        """Share of truth list items found exactly (1.0 when the truth has none)."""
        return 1.0 if not self.items else 1 - len(self.missing_items) / self.items

    @property
    def links_once(self) -> float:
        """Share of truth URLs found exactly once in `links[]` (1.0 when the truth has none)."""
        if not self.links:
            return 1.0
        bad = set(self.missing_links) | set(self.duplicate_links)
        return 1 - len(bad) / self.links


def score_document(
    *,
    truth_text: str,
    truth_headings: Sequence[tuple[str, int]],
    truth_items: Sequence[str],
    truth_urls: Sequence[str],
    text: str,
    headings: Sequence[tuple[str, int]],
    items: Iterable[str],
    urls: Sequence[str],
    truth_rows: Sequence[Sequence[str]] = (),
    rows: Iterable[Sequence[str]] = (),
) -> Scorecard:
    """Judge an output (its text, (heading, level) pairs in order, list item texts, link URLs
    and the cells of its table rows) against a truth's parts."""
    truth_levels: dict[str, int] = {}
    for heading, level in truth_headings:
        truth_levels.setdefault(normalize_heading(heading), level)
    found_levels: dict[str, int] = {}
    for heading, level in headings:
        found_levels.setdefault(normalize_heading(heading), level)
    _, _, f1 = precision_recall_f1(truth_levels, found_levels)
    item_set = {normalize_item(i) for i in items}
    found_urls = [normalize_url(u) for u in urls]
    unique_truth_urls = list(dict.fromkeys(truth_urls))
    row_set = {tuple(normalize_item(c) for c in row) for row in rows}
    return Scorecard(
        words=len(words(truth_text)),
        wer=word_error_rate(truth_text, text),
        bag=bag_error(truth_text, text),
        heading_f1=f1,
        headings=len(truth_levels),
        missing_headings=sorted(set(truth_levels) - set(found_levels)),
        extra_headings=sorted(set(found_levels) - set(truth_levels)),
        wrong_levels=levels_consistent(truth_levels, found_levels),
        items=len(truth_items),
        missing_items=[i for i in truth_items if normalize_item(i) not in item_set],
        links=len(unique_truth_urls),
        missing_links=[u for u in unique_truth_urls if normalize_url(u) not in found_urls],
        duplicate_links=sorted(
            {u for u in unique_truth_urls if found_urls.count(normalize_url(u)) > 1}
        ),
        rows=len(truth_rows),
        missing_rows=[
            " | ".join(row) for row in truth_rows
            if tuple(normalize_item(c) for c in row) not in row_set
        ],
    )
