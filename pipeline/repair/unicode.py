"""Unicode repair with ftfy: mojibake, ligatures, NFC, soft hyphens, control characters, odd spaces.

Each line is fixed on its own (so the line count cannot change) and every changed word is
recorded with the steps ftfy explains. Curly Swedish quotes (”…”) are kept.

>>> [(e.before, e.after) for e in fix_unicode("Region SÃ¶rmland ﬁnns")]
[('SÃ¶rmland', 'Sörmland'), ('ﬁnns', 'finns')]
"""

from __future__ import annotations

import difflib
import unicodedata

import ftfy
import regex

from .records import Edit

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_line_breaks=False,  # the line count is a contract with the caller
    normalization="NFC",
    explain=True,
)
_ODD_SPACE = regex.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = regex.compile(r"[\u00ad\u200b\u2060\ufeff]")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What clean Swedish text is made of: tab, printable ASCII, Latin-1 letters, dashes, ’ ” •.
_CLEAN = r"\x09\x20-\x7e\u00c0-\u00ff\u2013\u2014\u2019\u201d\u2022"
_SUSPECT = regex.compile(rf"[^{_CLEAN}]")
# The same over a whole page: line breaks are not suspect there.
_SUSPECT_IN_PAGE = regex.compile(rf"[^\x0a{_CLEAN}]")


def fix_unicode(text: str) -> list[Edit]:
    """Edits (offsets into `text`) that make each line clean Unicode; none for clean text."""
    suspect = _SUSPECT_IN_PAGE.search(text, concurrent=False)
    if not suspect and (text.isascii() or not _needs_ftfy(text)):
        return []  # no line has anything to fix (one search of the page, not one per line)
    edits: list[Edit] = []
    start = 0
    for line in text.split("\n"):
        if _SUSPECT.search(line, concurrent=False) or not line.isascii() and _needs_ftfy(line):
            edits.extend(_fix_line(line, start))
        start += len(line) + 1
    return edits


def _needs_ftfy(line: str) -> bool:
    # Plain Latin-1 letters are fine unless they look like UTF-8 read as cp1252 (Ã¶, Ã¥ ...)
    return "Ã" in line or "Â" in line or "â€" in line


def _fix_line(line: str, start: int) -> list[Edit]:
    # Soft hyphens at the end of a line are the hyphenation stage's business.
    if line.endswith("\u00ad"):
        line = line[:-1]
    try:
        fixed, steps = ftfy.fix_and_explain(line, _CONFIG)
    except Exception as exc:  # ftfy must never take the pipeline down
        raise ValueError(f"ftfy failed on a line: {exc}") from exc
    reasons = [name for _, name in (steps or []) if name]
    fixed = _ODD_SPACE.sub(" ", fixed, concurrent=False)
    fixed = _INVISIBLE.sub("", fixed, concurrent=False)
    fixed = _CONTROL.sub("", fixed, concurrent=False)
    fixed = unicodedata.normalize("NFC", fixed)
    if _ODD_SPACE.search(line, concurrent=False):
        reasons.append("odd space")
    if _INVISIBLE.search(line, concurrent=False):
        reasons.append("soft hyphen or invisible character")
    if _CONTROL.search(line, concurrent=False):
        reasons.append("control character")
    if fixed == line:
        return []
    reason = "unicode: " + (", ".join(dict.fromkeys(reasons)) or "normalized")
    return [
        Edit(start + a, line[a:b], fixed[c:d], reason, 0.99)
        for a, b, c, d in _word_spans(line, fixed)
    ]


def _word_spans(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """A character diff grouped into whole non-space runs: (old_a, old_b, new_a, new_b)."""
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    spans: list[tuple[int, int, int, int]] = []
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            continue
        # widen to the enclosing words on both sides; equal text maps one to one
        while a1 > 0 and b1 > 0 and not old[a1 - 1].isspace() and old[a1 - 1] == new[b1 - 1]:
            a1, b1 = a1 - 1, b1 - 1
        while a2 < len(old) and b2 < len(new) and not old[a2].isspace() and old[a2] == new[b2]:
            a2, b2 = a2 + 1, b2 + 1
        if spans and a1 <= spans[-1][1]:
            p = spans.pop()
            a1, b1 = p[0], p[2]
        spans.append((a1, a2, b1, b2))
    return spans
