"""Glyph confusions at line starts and in isolation: bullets, the word I, dashes in ranges.

>>> [(e.before, e.after) for e in fix_glyphs("e Dialog och samverkan.\\n| detta arbete 7—18 år")]
[('e', '•'), ('|', 'I'), ('—', '–')]
"""

from __future__ import annotations

import regex

from .records import Edit

# A bullet read as e, o, *, » at a line start, before a capitalized word.
_BULLET = regex.compile(r"(?m)^[ \t]*([eo*»·])[ \t]+(?=\p{Lu}\p{Ll})")
# |, l or 1 standing alone where the word I belongs: at a sentence start, before a word.
_WORD_I = regex.compile(
    r"(?:(?<=^[ \t]*)|(?<=[.!?:][ \t]+)|(?<=[ \t]))([|l1])[ \t]+(?=\p{Ll}{2,})", regex.M
)
_SENTENCE_START = regex.compile(r"(?:^|[.!?:])[ \t]*$")
# An em dash between numbers is an en dash of a range: 7—18.
_RANGE = regex.compile(r"(?<=\d)[ \t]?—[ \t]?(?=\d)")
#: Words that may follow the word I at a sentence start when OCR read it as 1 ("1 detta").
_DETERMINERS = frozenset(
    "detta denna dessa den det de ett en vår våra var varje samband början slutet dag år "
    "maj juni juli augusti september oktober november december januari februari mars april "
    "mitten höst höstas våras vår sommar vinter".split()
)


def fix_glyphs(text: str) -> list[Edit]:
    """Edits (offsets into `text`) for misread bullets, the word I, and range dashes."""
    edits = [
        Edit(m.start(1), m.group(1), "•", "bullet read as a letter", 0.9)
        for m in _BULLET.finditer(text)
    ]
    for m in _WORD_I.finditer(text):
        glyph = m.group(1)
        at_start = bool(_SENTENCE_START.search(text, 0, m.start(1)))
        following = regex.match(r"\p{Ll}+", text[m.end() :])
        nxt = following.group(0) if following else ""
        if glyph == "1" and (not at_start or nxt not in _DETERMINERS):
            continue
        if at_start:
            edits.append(Edit(m.start(1), glyph, "I", f"the word I read as {glyph}", 0.9))
        elif glyph in "|l":
            edits.append(Edit(m.start(1), glyph, "i", f"the word i read as {glyph}", 0.75))
    edits.extend(
        Edit(m.start(), m.group(0), "–", "em dash in a number range", 0.95)
        for m in _RANGE.finditer(text)
    )
    return sorted(edits, key=lambda e: e.offset)
