"""Word boundaries from the geometry of lines that draw no space characters.

Most PDFs draw a space glyph between words, and the word extractor splits on it. Some (pages
set in QuarkXPress, InDesign exports) position every word and draw no spaces; a fixed gap
tolerance (3 pt) then runs tightly set words together ("Iflerahar"). On such a line the gaps
between glyphs show two kinds: the letter gap of the line's own tracking (the common one) and
the word gap, wider by at least a fraction of an em. A space is put where a gap is
WORD_GAP_EMS of the type size wider than the line's typical letter gap.

Works on pdfplumber-style char dicts (text, x0, x1, top, bottom, size, upright); no PDF library.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median
from typing import Any

WORD_GAP_EMS = 0.1  # a word gap is at least this much wider than the line's letter gap
MIN_LINE_CHARS = 8  # shorter runs of glyphs tell too little about their letter gap
SAME_LINE = 0.5  # glyphs whose vertical centres lie within this share of the size: one line


def with_word_spaces(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chars, with a space char added at each word gap of a line that draws no spaces.

    >>> def c(t, x0, w=5.0):
    ...     return {"text": t, "x0": x0, "x1": x0 + w, "top": 0.0, "bottom": 10.0,
    ...             "size": 10.0, "upright": True}
    >>> line, x = [], 0.0
    >>> for word in ("vi", "har", "haft", "det"):
    ...     for ch in word:
    ...         line.append(c(ch, x)); x += 5.0
    ...     x += 2.0  # a tight word space: 0.2 em, under pdfplumber's 3 pt tolerance
    >>> "".join(ch["text"] for ch in with_word_spaces(line))
    'vi har haft det'
    """
    if not chars or _draws_spaces(chars):
        return list(chars)
    added: list[tuple[int, dict[str, Any]]] = []  # (insert before this index, space char)
    for line in _lines(chars):
        if len(line) < MIN_LINE_CHARS or any(chars[i]["text"].isspace() for i in line):
            continue
        order = sorted(line, key=lambda i: float(chars[i]["x0"]))
        gaps = [
            float(chars[b]["x0"]) - float(chars[a]["x1"])
            for a, b in zip(order, order[1:], strict=False)
        ]
        size = median(float(chars[i]["size"]) for i in line) or 10.0
        letter = median(gaps)
        for (a, b), gap in zip(zip(order, order[1:], strict=False), gaps, strict=True):
            if gap > letter + WORD_GAP_EMS * size:
                added.append((b, _space_between(chars[a], chars[b])))
    if not added:
        return list(chars)
    before: dict[int, list[dict[str, Any]]] = {}
    for index, space in added:
        before.setdefault(index, []).append(space)
    out: list[dict[str, Any]] = []
    for i, ch in enumerate(chars):
        out.extend(before.get(i, ()))
        out.append(ch)
    return out


def _draws_spaces(chars: Sequence[dict[str, Any]]) -> bool:
    """Whether the page draws space glyphs between its words (one in twenty glyphs or more)."""
    spaces = sum(1 for ch in chars if ch["text"] == " ")
    return spaces * 20 >= len(chars)


def _lines(chars: Sequence[dict[str, Any]]) -> list[list[int]]:
    """Indices of upright chars grouped into lines by their vertical centres."""
    order = sorted(
        (i for i, ch in enumerate(chars) if ch.get("upright", True)),
        key=lambda i: (float(chars[i]["top"]) + float(chars[i]["bottom"])) / 2,
    )
    lines: list[list[int]] = []
    centre = float("-inf")
    for i in order:
        ch = chars[i]
        mid = (float(ch["top"]) + float(ch["bottom"])) / 2
        if lines and mid - centre <= SAME_LINE * float(ch["size"] or 10.0):
            lines[-1].append(i)
        else:
            lines.append([i])
            centre = mid
    return lines


def _space_between(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    """A space char filling the gap between two glyphs, with the left one's attributes."""
    x0, x1 = float(left["x1"]), float(right["x0"])
    return {**left, "text": " ", "x0": x0, "x1": x1, "width": x1 - x0}
