"""Glyph confusions at line starts and in isolation: bullets, the word I, dashes in ranges,
the @ of an e-mail address.

>>> [(e.before, e.after) for e in fix_glyphs("e Dialog och samverkan.\\n| detta arbete 7—18 år")]
[('e', '•'), ('|', 'I'), ('—', '–')]
>>> [(e.before, e.after) for e in fix_glyphs("e-post bibliotekQekeby.se eller FAQ.se")]
[('Q', '@')]
"""

from __future__ import annotations

import regex

from ..addresses import ENDINGS
from .records import Edit

# A bullet read as e, o, *, », ¢, « at a line start, before a capitalized word: at the start of
# the text, and after a line break (a search for the line break is five times cheaper than one that
# tries every position for a line start).
_BULLET_AT_START = regex.compile(r"[ \t]*+([eo*»·¢«])[ \t]++(?=\p{Lu}\p{Ll})")
_BULLET = regex.compile(r"\n[ \t]*+([eo*»·¢«])[ \t]++(?=\p{Lu}\p{Ll})")
# |, l or 1 standing alone where the word I belongs (at a line start or after a space or tab),
# before a word; `fix_glyphs` tells a sentence start from the middle of one.
_WORD_I = regex.compile(r"(?<![^ \t\n])([|l1])[ \t]+(?=\p{Ll}{2,})")
_LOWER_RUN = regex.compile(r"\p{Ll}+")
# An em dash between numbers is an en dash of a range: 7—18.
_RANGE = regex.compile(r"(?<=\d)[ \t]?—[ \t]?(?=\d)")
# An e-mail address whose @ Tesseract read as Q: a lower-case name, Q, and a lower-case domain
# with a known ending, making a whole token (no URL, no other @, no other capital: a Q inside
# CamelCase, as in a brand's domain, stays).
_EMAIL_Q = regex.compile(
    r"(?<![\w.@/:+-])(?!www\.)[a-z0-9._+-]{0,63}[a-z0-9](Q)[a-z0-9][a-z0-9-]{0,62}"
    rf"(?:\.[a-z0-9-]{{1,63}}){{0,4}}\.(?:{ENDINGS})(?![\w@/-])"
)
#: Words that may follow the word I at a sentence start when OCR read it as 1 ("1 detta").
_DETERMINERS = frozenset(
    "detta denna dessa den det de ett en vår våra var varje samband början slutet dag år "
    "maj juni juli augusti september oktober november december januari februari mars april "
    "mitten höst höstas våras vår sommar vinter".split()
)


def fix_glyphs(text: str) -> list[Edit]:
    """Edits (offsets into `text`) for misread bullets, the word I, and range dashes."""
    first = _BULLET_AT_START.match(text, concurrent=False)
    bullets = ([first] if first else []) + list(_BULLET.finditer(text, concurrent=False))
    edits = [Edit(m.start(1), m.group(1), "•", "bullet read as a letter", 0.9) for m in bullets]
    for m in _WORD_I.finditer(text, concurrent=False):
        glyph = m.group(1)
        at_start = _sentence_start(text, m.start(1))
        following = _LOWER_RUN.match(text, m.end(), concurrent=False)
        nxt = following.group(0) if following else ""
        if glyph == "1" and (not at_start or nxt not in _DETERMINERS):
            continue
        if at_start:
            edits.append(Edit(m.start(1), glyph, "I", f"the word I read as {glyph}", 0.9))
        elif glyph in "|l":
            edits.append(Edit(m.start(1), glyph, "i", f"the word i read as {glyph}", 0.75))
    edits.extend(
        Edit(m.start(), m.group(0), "–", "em dash in a number range", 0.95)
        for m in _RANGE.finditer(text, concurrent=False)
    )
    if "Q" in text:
        edits.extend(
            Edit(m.start(1), "Q", "@", "@ read as Q in an e-mail address", 0.9)
            for m in _EMAIL_Q.finditer(text, concurrent=False)
        )
    return sorted(edits, key=lambda e: e.offset)


def _sentence_start(text: str, end: int) -> bool:
    """Whether text[:end] ends where a sentence starts: at the start of the text or after
    . ! ? : (spaces and tabs between), or at the start of the line after such an end.

    Looks back from `end` only (a search from the start of the text for every glyph was
    quadratic in the length of the page).
    """
    for stop in (end, end - 1) if end and text[end - 1] == "\n" else (end,):
        k = stop
        while k and text[k - 1] in " \t":
            k -= 1
        if k == 0 or text[k - 1] in ".!?:":
            return True
    return False
