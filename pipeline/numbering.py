"""Numbered headings of statutes and minutes: `1 kap …`, `§ 3 …`, `2.1 …`, `Motion 3 - …`.

A line that opens with a paragraph sign, a chapter number, a decimal section number or a label
with a number, then a capitalized title, is a candidate; the document's own numbering decides
which candidates are headings (a `§ 12` between `§ 11` and `§ 13`, or the paragraph sign as
OCR misreads it: `& 1`, `$9`, `812`, a lost `§`). Levels come from the kind of numbering:
chapters over paragraphs over decimal sections (one level deeper per number) over labelled
items. Only shape and order are looked at, never a word of the title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import regex

Kind = Literal["chapter", "paragraph", "decimal", "labelled"]
KIND_RANK: dict[Kind, int] = {"chapter": 0, "paragraph": 1, "decimal": 2, "labelled": 3}

_TITLE = r"(?P<title>\p{Lu}\S*(?:[ \t]+\S+)*)"
_CHAPTER = regex.compile(
    r"^\s*(?:(?P<num>\d{1,2})[ \t]*kap(?:\.|itel)?|kapitel[ \t]+(?P<num2>\d{1,2})[.:]?)[ \t]+"
    + _TITLE + r"\s*$",
    regex.IGNORECASE,
)
# `§ 3`, `§3`, and the paragraph sign as OCR reads it: `& 1`, `&10`, `$9`, `S 4` (sure) or
# `812` for `§ 12` and `7` for a lost `§ 7` (only where the numbering continues).
_PARAGRAPH = regex.compile(
    r"^\s*(?P<sym>[§&$]|S(?=[ \t]*\d))?[ \t]*(?P<num>\d{1,3})(?!\d)[ \t]*[a-z]?"
    r"(?:[ \t]*[.:=])?[ \t]+" + _TITLE + r"\s*$"
)
_DECIMAL = regex.compile(r"^\s*(?P<num>[1-9]\d?(?:\.(?:[1-9]\d?))+)\.?[ \t]+" + _TITLE + r"\s*$")
_LABELLED = regex.compile(
    r"^\s*(?P<label>\p{Lu}\p{Ll}+)[ \t]+(?P<num>\d{1,3}(?:\.\d{1,2})*)[ \t]+[-–—:][ \t]+"
    + _TITLE + r"\s*$"
)
MAX_TITLE_WORDS = 16
MIN_SEQUENCE = 2  # a kind of numbering counts when the document uses it at least this often


@dataclass(frozen=True, slots=True)
class Numbered:
    """A line's numbering: its kind, its numbers and its depth among headings of its kind."""

    kind: Kind
    numbers: tuple[int, ...]
    label: str = ""  # the label of a labelled item, the sign of a paragraph as printed
    sure: bool = True  # False for a bare number or `8` read for `§`: the sequence decides

    @property
    def rank(self) -> tuple[int, int]:
        """Lower ranks are higher headings: the kind, then the depth of a decimal number."""
        return (KIND_RANK[self.kind], len(self.numbers))


def numbering(text: str) -> Numbered | None:
    """The numbering a heading-shaped line opens with, if any.

    >>> numbering("1 kap Allmänna bestämmelser")
    Numbered(kind='chapter', numbers=(1,), label='', sure=True)
    >>> numbering("§ 3 Val av ordförande").numbers, numbering("&10 Beslut om årets resultat").sure
    ((3,), True)
    >>> numbering("2.1 Syfte").numbers, numbering("Motion 3.1 - Månadsavgifter").kind
    ((2, 1), 'labelled')
    >>> numbering("812 Beslut om ansvarsfrihet").numbers, numbering("7 Fråga om kallelse").sure
    ((12,), False)
    >>> numbering("Vi ses den 12 maj."), numbering("17.30 Samling"), numbering("2. Övertar")
    (None, None, None)
    """
    stripped = text.strip()
    if not stripped or stripped[-1] in ",;" or len(stripped.split()) > MAX_TITLE_WORDS + 3:
        return None
    if m := _CHAPTER.match(stripped):
        return Numbered("chapter", (int(m.group("num") or m.group("num2")),))
    if m := _DECIMAL.match(stripped):
        numbers = tuple(int(n) for n in m.group("num").split("."))
        return Numbered("decimal", numbers) if all(n <= 20 for n in numbers[1:]) else None
    if m := _LABELLED.match(stripped):
        numbers = tuple(int(n) for n in m.group("num").split("."))
        return Numbered("labelled", numbers, label=m.group("label"))
    if m := _PARAGRAPH.match(stripped):
        sym = m.group("sym") or ""
        num = m.group("num")
        if not sym and stripped[m.end("num") : m.start("title")].strip():
            return None  # `1. kommer att …`, `2) …`: a numbered list, not a paragraph sign
        if sym:
            return Numbered("paragraph", (int(num),), label=sym)
        if len(num) >= 2 and num[0] == "8":  # `812`: the sign read as an 8
            return Numbered("paragraph", (int(num[1:]),), label="8", sure=False)
        return Numbered("paragraph", (int(num),), sure=False)
    return None


def accepted(candidates: Sequence[Numbered | None]) -> list[bool]:
    """Which candidates (in document order) are headings by the document's own numbering.

    Paragraph signs read as such count once the document has `MIN_SEQUENCE` of them; a bare
    number only between the paragraphs numbered one less and one more (an agenda inside a
    paragraph is none), an `8` for the sign where it continues the numbering on either side.
    Decimal numbers and labelled items count when the document has several of the same kind
    (and label): a decimal number needs a neighbour (`2.1` beside `2.2`), so that times of
    day in a programme (`10.15`) are none.

    >>> found = [numbering(t) for t in ["§ 1 Öppnande", "2 Val av ordförande", "§ 3 Röstlängd",
    ...                                   "812 Ansvarsfrihet", "45 Gäster kom"]]
    >>> accepted(found)
    [True, True, True, False, False]
    """
    sure_signs = sum(1 for c in candidates if c and c.kind == "paragraph" and c.sure)
    decimals = {c.numbers for c in candidates if c and c.kind == "decimal"}
    labels = Counter(c.label for c in candidates if c and c.kind == "labelled")
    paragraphs = [
        (i, c.numbers[0]) for i, c in enumerate(candidates) if c and c.kind == "paragraph"
    ]
    sure_numbers = {
        i: c.numbers[0]
        for i, c in enumerate(candidates)
        if c and c.kind == "paragraph" and c.sure
    }
    result = []
    for index, c in enumerate(candidates):
        if c is None:
            result.append(False)
        elif c.kind == "chapter":
            result.append(True)
        elif c.kind == "decimal":
            result.append(_has_neighbour(c.numbers, decimals))
        elif c.kind == "labelled":
            result.append(labels[c.label] >= MIN_SEQUENCE)
        elif sure_signs < MIN_SEQUENCE:
            result.append(False)
        elif c.sure:
            result.append(True)
        else:
            both = c.label != "8"  # a bare number: the numbering on both sides must agree
            result.append(_continues(index, c.numbers[0], paragraphs, sure_numbers, both=both))
    return result


def _continues(
    index: int,
    number: int,
    paragraphs: list[tuple[int, int]],
    sure: dict[int, int],
    *,
    both: bool = False,
) -> bool:
    """Is `number` one more than the sure paragraph before, or (`both`: and) one less than the
    sure paragraph after?"""
    before = [n for i, n in paragraphs if i < index and i in sure]
    after = [n for i, n in paragraphs if i > index and i in sure]
    follows = bool(before and before[-1] == number - 1)
    precedes = bool(after and after[0] == number + 1)
    return (follows and precedes) if both else (follows or precedes)


def _has_neighbour(numbers: tuple[int, ...], others: set[tuple[int, ...]]) -> bool:
    """`2.1` beside `2.2` or `2.0`, or under a `1.4`-style sibling's parent sequence."""
    head, last = numbers[:-1], numbers[-1]
    return (*head, last - 1) in others or (*head, last + 1) in others
