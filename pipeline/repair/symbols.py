"""Genre symbols on OCR'd pages: the `§` of numbered paragraphs, read as `&`, `$`, `8` or `S`
(or lost), and a hyphen between two numbers that was an en dash.

Minutes and statutes start their paragraphs with `§ N` and a capitalized title. Tesseract and
old OCR layers read the `§` as `&` or `$` (sometimes joined to the number: `&10`), as `8`
(`812` for `§ 12`), as `S`, or drop it (`7 Fråga om …`). The rules look at the shape of the
line and at the page's own numbering, never at a word:

- a document (or, alone, a page) is numbered by paragraphs when at least two of its lines start
  with `§`, `&` or `$` and a number, then a capitalized word (`numbered_paragraphs`);
- on a page of such a document, `&` or `$` before the number of a line of that shape is `§`;
- `8` or `S` before the number is `§` only when the number it leaves continues the page's
  numbering (one more than the paragraph before, or one less than the one after), and a bare
  number whose neighbours on both sides are `§ N-1` and `§ N+1` gets its lost `§` back;
- `§` is followed by a space (`§ 10`), and a lone `=` between the number and the title (a tab
  read as a glyph) is dropped.

>>> text = "& 1 Stämmans öppnande\\n$2 Val av\\n3 Anmälan\\n84 Godkännande\\n&5 = Fastställande"
>>> [(e.before, e.after) for e in section_edits(text)]
[('& ', '§ '), ('$', '§ '), ('', '§ '), ('8', '§ '), ('&', '§ '), (' =', '')]
>>> [(e.before, e.after) for e in range_dash_edits("barn 0-18 år, tel. 08-123 45, 2014-04-28")]
[('-', '–')]
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .records import Edit

# A line that may open a numbered paragraph: a symbol (or none), the number, an optional tab
# read as `=`, then a capitalized word.
_HEAD = regex.compile(
    r"^[ \t]*+(?P<sym>[§&$8S]?)(?P<space>[ \t]*+)(?P<num>\d{1,3})(?!\d)"
    r"(?P<tab>[ \t]++=)?[ \t]++(?=\p{Lu})",
    regex.MULTILINE,
)
# the symbols OCR makes of a `§` that no number starts with
_SURE = "&$§"
# a genre needs this many lines that start with a paragraph sign (or its sure misreadings)
MIN_PARAGRAPH_LINES = 2
# A hyphen between two numbers of a range: 0-18, 9-12, 2014-2015. Not a date or a chain
# (2014-04-28), not a phone number (08-123 45: a leading zero), not a code.
_RANGE = regex.compile(r"(?<![\w.,:/-])(?P<a>\d{1,4})-(?P<b>\d{1,4})(?![\w/-]|[.,:]\d)")
_YEAR = regex.compile(r"1[5-9]\d\d|20\d\d")
MAX_YEAR_SPAN = 50


@dataclass(frozen=True, slots=True)
class _Head:
    start: int  # offset of the symbol (or of the number when there is none)
    sym: str
    space: str
    num: int
    tab: str  # " =" or ""
    tab_at: int


def _heads(text: str) -> list[_Head]:
    out = []
    for m in _HEAD.finditer(text, concurrent=False):
        sym, space, num = m.group("sym"), m.group("space"), m.group("num")
        out.append(
            _Head(
                m.start("sym"),
                sym,
                space,
                int(num),
                m.group("tab") or "",
                m.start("tab") if m.group("tab") else -1,
            )
        )
    return out


def numbered_paragraphs(text: str) -> bool:
    """Whether `text` (a document, or a page) numbers its paragraphs with `§`, as minutes and
    statutes do: at least two lines of that shape, the sign read right or as `&` or `$`."""
    sure = sum(1 for h in _heads(text) if h.sym and h.sym in _SURE)
    return sure >= MIN_PARAGRAPH_LINES


def section_edits(text: str, numbered: bool | None = None) -> list[Edit]:
    """Edits restoring the `§` of numbered paragraphs on a page of a document whose paragraphs
    are so numbered (`numbered`; None: judged by the page alone)."""
    if numbered is None:
        numbered = numbered_paragraphs(text)
    if not numbered:
        return []
    heads = _heads(text)
    sure = [h for h in heads if h.sym and h.sym in _SURE]
    accepted: dict[int, _Head] = {h.start: h for h in sure}
    # `8`/`S` and bare numbers need the numbering of the accepted ones around them (each one
    # accepted may vouch for the next: repeat until nothing changes)
    changed = True
    while changed:
        changed = False
        for k, h in enumerate(heads):
            if h.start in accepted:
                continue
            before = next((p.num for p in reversed(heads[:k]) if p.start in accepted), None)
            after = next((p.num for p in heads[k + 1 :] if p.start in accepted), None)
            fits_before = before is not None and h.num == before + 1
            fits_after = after is not None and h.num == after - 1
            if (h.sym in ("8", "S") and (fits_before or fits_after)) or (
                not h.sym and fits_before and fits_after
            ):
                accepted[h.start] = h
                changed = True
    edits: list[Edit] = []
    for h in sorted(accepted.values(), key=lambda h: h.start):
        if h.sym == "§" and not h.space:
            edits.append(Edit(h.start, "§", "§ ", "a space after the paragraph sign", 0.9))
        elif not h.sym:
            edits.append(
                Edit(h.start, "", "§ ", "paragraph sign lost before a numbered paragraph", 0.8)
            )
        elif h.sym != "§":
            misread = h.sym + h.space
            edits.append(Edit(h.start, misread, "§ ", f"paragraph sign read as {h.sym}", 0.9))
        if h.tab:
            edits.append(Edit(h.tab_at, h.tab, "", "a tab read as =", 0.8))
    return edits


def range_dash_edits(text: str) -> list[Edit]:
    """A hyphen between two numbers of a rising range is an en dash (0-18 → 0–18)."""
    edits = []
    for m in _RANGE.finditer(text, concurrent=False):
        a, b = m.group("a"), m.group("b")
        if (a.startswith("0") and len(a) > 1) or (b.startswith("0") and len(b) > 1):
            continue  # a phone number's area code, a date's month
        if int(a) >= int(b):
            continue  # not a range that rises: a code, a score
        if len(a) == 4 or len(b) == 4:
            years = _YEAR.fullmatch(a) and _YEAR.fullmatch(b)
            if not years or int(b) - int(a) > MAX_YEAR_SPAN:
                continue  # a bank giro number or a code, not a span of years
        edits.append(Edit(m.start() + len(a), "-", "–", "en dash of a number range read as -", 0.9))
    return edits


def fix_symbols(text: str, numbered: bool | None = None) -> list[Edit]:
    """The edits of this stage for one OCR'd page, by offset (`numbered`: see `section_edits`)."""
    edits = [*section_edits(text, numbered), *range_dash_edits(text)]
    return sorted(edits, key=lambda e: e.offset)
