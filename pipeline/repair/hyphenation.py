"""Line-end hyphenation: join words the typesetter broke, keep the hyphens the author wrote.

The tail of a joined word moves up to the end of the line, so the number of lines never
changes: ``"helhets-\\nperspektiv kring"`` becomes ``"helhetsperspektiv\\nkring"``.

>>> from pipeline.lexicon import load_lexicon
>>> from pipeline.repair.records import apply_edits, replay
>>> def fix(t):
...     _, records = apply_edits(t, dehyphenate_line_ends(t, load_lexicon()), stage="h", page=1)
...     return replay(t, records)
>>> fix("ett helhets-\\nperspektiv kring")
'ett helhetsperspektiv\\nkring'
>>> fix("barn-\\noch ungdomspsykiatrin")
'barn-\\noch ungdomspsykiatrin'
>>> fix("byt e-\\npost nu"), fix("ett EU-\\nprojekt"), fix("NPF-lik-\\nnande problematik")
('byt e-post\\nnu', 'ett EU-projekt\\n', 'NPF-liknande\\nproblematik')
"""

from __future__ import annotations

import regex

from ..lexicon import Lexicon
from .context import word_classes
from .diacritics import word_plausibility
from .records import Edit

_HEAD = regex.compile(r"([\p{L}\p{N}][\p{L}\p{N}\-]*?)([\-\u2010\u00ad])$")
_TAIL = regex.compile(r"^([ \t]*)(\S+)([ \t]*)")
#: Below this log-plausibility a form counts as unknown (any reading, compounds too, counts).
_KNOWN = -60.0


#: The hyphens a line may end in: hyphen-minus, hyphen, soft hyphen.
_HYPHENS = "-\u2010\u00ad"
_HYPHEN_LAST = regex.compile(f"[{_HYPHENS}]\n")  # a hyphen last on a line


def dehyphenate_line_ends(text: str, lexicon: Lexicon) -> list[Edit]:
    """Edits joining hyphenated line ends (offsets into `text`)."""
    edits: list[Edit] = []
    # only the lines that end in a hyphen (`_join` leaves the others), found by one search
    for m in _HYPHEN_LAST.finditer(text, concurrent=False):
        end = m.end() - 1  # the line break
        following = text.find("\n", end + 1)
        line = text[text.rfind("\n", 0, end) + 1 : end]
        nxt = text[end + 1 : following if following >= 0 else len(text)]
        edit = _join(line, nxt, end, lexicon)
        if edit:
            edits.append(edit)
    return edits


def _join(line: str, nxt: str, end: int, lexicon: Lexicon) -> Edit | None:
    if not line or line[-1] not in _HYPHENS:
        return None  # what _HEAD needs: a hyphen last on the line
    m = _HEAD.search(line.rstrip(" \t"), concurrent=False) if line.rstrip(" \t") == line else None
    t = _TAIL.match(nxt, concurrent=False)
    if not m or not t:
        return None
    head, hyphen = m.group(1), m.group(2)
    lead, tail, space = t.group(1), t.group(2), t.group(3)
    word = regex.match(r"[\p{L}\p{N}]+", tail)
    if not word or tail.endswith(("-", "\u00ad")):
        return None
    tail_word = word.group(0)
    before = hyphen + "\n" + lead + tail + space
    if tail == nxt.strip():  # the tail is all of the next line
        before = hyphen + "\n" + nxt
    offset = end - len(hyphen)
    # a table row's next line may start with empty cells (tabs): they stay where they were
    nl = "\n" + "\t" * lead.count("\t")
    last = regex.split(r"[\-\u2010]", head)[-1]
    if hyphen == "\u00ad":
        return Edit(offset, before, tail + nl, "soft hyphen at line end", 0.99)
    closed = tail_word.lower() in word_classes()
    if closed and (last + tail_word).lower() not in lexicon.frequencies:
        # a closed-class word that makes no lexicon word with the head ("barn- och", "3- till";
        # not "där- för"): the author's hyphen, and the line break is a space
        return None
    if last.isupper() or any(c.isdigit() for c in last) or len(last) == 1 or tail_word[0].isupper():
        return Edit(offset, before, "-" + tail + nl, "hyphen of a compound kept", 0.9)
    joined = word_plausibility(last + tail_word, lexicon)
    if joined > _KNOWN:
        return Edit(offset, before, tail + nl, "line-end hyphenation joined", 0.95)
    parts = min(word_plausibility(last, lexicon), word_plausibility(tail_word, lexicon))
    if parts > _KNOWN:
        return Edit(offset, before, "-" + tail + nl, "hyphen between two words kept", 0.6)
    return Edit(offset, before, tail + nl, "line-end hyphenation joined (unknown word)", 0.7)
