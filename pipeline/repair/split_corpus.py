"""A stable split of Swedish sentences into the part that estimates and the part held out.

Each line of a text file (one sentence a line, as in ``../shared/corpus/text-sv/``) goes to one
part by a hash of its text, so the split does not depend on the file's order or on the other
lines, and it is the same on every machine. The context weights (``pipeline/data/context.tsv``)
are counted on the ``estimate`` part only; the evaluation reports the ``held out`` part apart.

>>> part("Det här är en mening.") in (ESTIMATE, HELD_OUT)
True
>>> part("Det här är en mening.") == part("Det här är en mening.")
True
"""

from __future__ import annotations

import hashlib
from typing import Final

ESTIMATE: Final = "estimate"
HELD_OUT: Final = "held out"


def part(line: str) -> str:
    """The part a sentence belongs to: the first byte of its SHA-1, even or odd."""
    digest = hashlib.sha1(line.strip().encode("utf-8")).digest()
    return ESTIMATE if digest[0] % 2 == 0 else HELD_OUT


def lines_of(text: str, which: str) -> list[str]:
    """The non-empty lines of `text` in part `which`, in their order."""
    return [line for line in text.split("\n") if line.strip() and part(line) == which]
