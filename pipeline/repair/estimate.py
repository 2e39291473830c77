"""Estimate the confusion table from damaged text aligned with its truth; writes confusions.tsv.

    python -m pipeline.repair.estimate ../shared/seeds/000_ed95ccfacf04fe09.txt \
        tests/data/seed000_truth.txt > pipeline/data/confusions.tsv

The damaged text and its truth must have the same lines (the truth with line-end hyphens
resolved the way the repair stage resolves them: the tail moved up). Each line pair is aligned
character by character (difflib); every diacritic of the truth is counted with what was printed
for it, and so are the other channel events (see ``confusion.py`` for the contexts). Counts get
add-one smoothing over the outcomes seen, so no seen confusion has probability 1 or 0.
"""

from __future__ import annotations

import difflib
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import regex

from .confusion import ANY, AROUND_I, LINE_END, LINE_START, WORD_ALONE, WORD_START, escape

DIACRITICS = "åäöÅÄÖ"


def count_events(damaged: str, truth: str) -> Counter[tuple[str, str, str]]:
    """(truth, observed, context) -> count over a line-aligned damaged/truth pair."""
    damaged = unicodedata.normalize("NFC", damaged)
    truth = unicodedata.normalize("NFC", truth)
    d_lines, t_lines = damaged.split("\n"), truth.split("\n")
    if len(d_lines) != len(t_lines):
        raise ValueError("damaged text and truth must have the same number of lines")
    counts: Counter[tuple[str, str, str]] = Counter()
    for k, (d, t) in enumerate(zip(d_lines, t_lines, strict=True)):
        _count_line(d, t, counts)
        nxt = t_lines[k + 1] if k + 1 < len(t_lines) else ""
        if regex.search(r"\p{L}$", t) and nxt.strip():
            hyphen = bool(regex.search(r"\p{L}-$", d)) and not t.endswith("-")
            counts[("", "-\n" if hyphen else "", LINE_END)] += 1
    return counts


def _count_line(d: str, t: str, counts: Counter[tuple[str, str, str]]) -> None:
    sm = difflib.SequenceMatcher(a=t, b=d, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for i in range(i1, i2):
                _count_char(t, i, t[i], counts)
        elif op == "replace" and i2 - i1 == 1:
            _count_char(t, i1, d[j1:j2], counts)
        elif op == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                _count_char(t, i, d[j], counts)
        elif op == "delete" and t[i1:i2] == " " and _next_to_i(t, i1):
            counts[(" ", "", AROUND_I)] += 1
        elif op == "replace":
            for i in range(i1, i2):
                if t[i] in DIACRITICS:  # an unaligned diacritic: count it as read as plain
                    counts[(t[i], "?", ANY)] += 1


def _next_to_i(t: str, i: int) -> bool:
    return t[i + 1 : i + 3] in ("i ", "i") or (i >= 2 and t[i - 2 : i] in (" i",))


def _count_char(t: str, i: int, observed: str, counts: Counter[tuple[str, str, str]]) -> None:
    ch = t[i]
    prev = t[i - 1] if i else " "
    nxt = t[i + 1] if i + 1 < len(t) else " "
    if ch in DIACRITICS:
        counts[(ch, observed, ANY)] += 1
    elif ch == "l" and not prev.isalnum():
        counts[("l", observed, WORD_START)] += 1
    elif ch == "I" and not prev.isalnum() and not nxt.isalnum():
        counts[("I", observed, WORD_ALONE)] += 1
    elif ch == "•" and not t[:i].strip():
        counts[("•", observed, LINE_START)] += 1
    elif ch == " " and _next_to_i(t, i):
        counts[(" ", observed, AROUND_I)] += 1


def _tie_upper_case(counts: Counter[tuple[str, str, str]]) -> Counter[tuple[str, str, str]]:
    """Capital Å/Ä/Ö are rare in any sample: pool them with their small letters.

    A capital is read as itself or as its plain capital (A, O); both rows get the small
    letter's counts for the same outcomes (``ä`` read as ``a`` counts for ``Ä`` read as ``A``).
    """
    out = Counter(counts)
    for upper in "ÅÄÖ":
        lower = upper.lower()
        plain = {"Å": "A", "Ä": "A", "Ö": "O"}[upper]
        out[(upper, upper, ANY)] += counts[(lower, lower, ANY)]
        out[(upper, plain, ANY)] += counts[(lower, plain.lower(), ANY)]
    return out


def write_table(counts: Counter[tuple[str, str, str]], sources: list[str]) -> str:
    counts = _tie_upper_case(Counter({k: v for k, v in counts.items() if k[1] != "?"}))
    groups: dict[tuple[str, str], dict[str, int]] = {}
    for (truth, observed, context), n in counts.items():
        groups.setdefault((truth, context), {})[observed] = n
    out = [
        "# Character confusion channel of old OCR layers: P(observed | truth, context).",
        "# Estimated by pipeline/repair/estimate.py from: " + ", ".join(sources),
        "# (damaged text aligned character by character with its hand-made truth).",
        "# count = times seen; probability = (count + 1) / (total + outcomes), add-one smoothed.",
        "# Contexts: any (inside a word), word-start (l read as I), word-alone (I read as |),",
        "# line-start (a bullet), around-i (the spaces around the word i), line-end (a hyphen",
        "# added at a line end). <empty>, <space> and <nl> stand for those strings. Capitals",
        "# Å/Ä/Ö pool the counts of their small letters (see _tie_upper_case).",
        "# truth\tobserved\tcontext\tcount\tprobability",
    ]
    return "\n".join(out + smoothed_rows(groups)) + "\n"


def smoothed_rows(
    groups: dict[tuple[str, str], dict[str, int]],
    unseen_truth: Callable[[str], bool] = lambda context: True,
) -> list[str]:
    """The table's rows: for each (truth, context), each outcome with its count and add-one
    smoothed probability, commonest first. In the contexts `unseen_truth` names, the truth read
    as itself is an outcome with count 0 where it was never seen so (a context such as a whole
    line that lost its rings has no such outcome).

    >>> smoothed_rows({("ä", "any"): {"a": 3, "ä": 5}})
    ['ä\\tä\\tany\\t5\\t0.6000', 'ä\\ta\\tany\\t3\\t0.4000']
    """
    rows = []
    for truth, context in sorted(groups):
        seen = groups[(truth, context)]
        if unseen_truth(context):
            seen.setdefault(truth, 0)
        total = sum(seen.values()) + len(seen)
        for observed in sorted(seen, key=lambda o: (-seen[o], o)):
            p = (seen[observed] + 1) / total
            rows.append(f"{escape(truth)}\t{escape(observed)}\t{context}\t{seen[observed]}\t{p:.4f}")
    return rows


def main(argv: list[str]) -> int:
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    counts: Counter[tuple[str, str, str]] = Counter()
    sources = []
    for damaged, truth in zip(argv[::2], argv[1::2], strict=True):
        counts += count_events(Path(damaged).read_text("utf-8"), Path(truth).read_text("utf-8"))
        sources.append(Path(damaged).name)
    sys.stdout.write(write_table(counts, sources))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
