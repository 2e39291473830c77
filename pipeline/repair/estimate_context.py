"""Count which word stands next to which neighbour in Swedish text; writes context.tsv.

    python -m pipeline.repair.estimate_context ../shared/corpus/text-sv/*.txt \
        > pipeline/data/context.tsv

Reads Swedish text, one sentence a line, and keeps only the lines of the ``estimate`` part
(`split_corpus.part`: a hash of the line), so the ``held out`` part never shapes the weights.
Two words are neighbours when only spaces or a dash stand between them (as the repair stage
reads them). For each pair the unit of the second word is counted after the cue of the first
("before" rows), and the unit of the first before the cue of the second ("after" rows):

- a word's unit is the word itself when it is seen at least `min_word_candidate` times in the
  counted lines, else its class (`context.word_class`: a closed class, or OPEN);
- a neighbour's cue is the word itself when seen at least `min_word_neighbour` times, else its
  `context.shape`, an open word's ending pooled as OPEN when rarer than `context.MIN_ENDING`.

The settings (those two thresholds, the prior's weight and the scale of the bonus) are chosen
by two-fold cross-validation on the estimate part: the setting under which frequency and context
most often pick the word the text has among the lexicon words that differ from it only in
å/ä/ö. The output is the settings and counts: ``setting, name, value`` and
``side, cue, unit, count``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from ..lexicon import load_lexicon
from .context import MIN_ENDING, OPEN, WORD, Counts, bonuses, shape, word_class
from .corrupt import strip_diacritics
from .diacritics import TOKEN
from .split_corpus import ESTIMATE, lines_of

Key = tuple[str, str, str]
Pair = tuple[str | None, str, str | None]  # (before, word, after) in one clause
#: The settings tried: (min_word_candidate, min_word_neighbour, scale, prior_weight).
GRID = list(
    itertools.product(
        (10, 20, 50, 10**9), (20, 50, 200, 10**9), (0.25, 0.5, 0.75, 1.0), (5.0, 20.0)
    )
)


def neighbours(lines: list[str]) -> list[Pair]:
    """Every word with its neighbours in the same clause (None where there is none).

    >>> neighbours(["Vi ska vara där. Nu"])[1:3]
    [('Vi', 'ska', 'vara'), ('ska', 'vara', 'där')]
    """
    out: list[Pair] = []
    for line in lines:
        toks = [(m.start(), m[0]) for m in TOKEN.finditer(line)]
        joined = [
            line[a + len(w) : b].strip(" \t") in ("", "-", "–")
            for (a, w), (b, _) in zip(toks, toks[1:], strict=False)
        ]
        for i, (_, w) in enumerate(toks):
            before = toks[i - 1][1] if i and joined[i - 1] else None
            after = toks[i + 1][1] if i < len(joined) and joined[i] else None
            out.append((before, w, after))
    return out


def count_pairs(pairs: list[Pair], min_candidate: int, min_neighbour: int) -> Counter[Key]:
    """(side, neighbour cue, unit) -> count, rare endings pooled.

    >>> sorted(count_pairs(neighbours(["Vi ska vara där."]), 10**9, 10**9))[:3]
    [('after', 'ADV', 'AUX'), ('after', 'AUX', 'MODAL'), ('after', 'MODAL', 'PRON')]
    """
    seen = Counter(w.lower() for _, w, _ in pairs)

    def unit(w: str) -> str:
        cls = word_class(w)
        return WORD + w.lower() if cls not in ("NUM",) and seen[w.lower()] >= min_candidate else cls

    def cue(w: str) -> str:
        own = not w[0].isdigit() and seen[w.lower()] >= min_neighbour
        return WORD + w.lower() if own else shape(w)

    counts: Counter[Key] = Counter()
    for before, w, _ in pairs:
        if before is not None:
            counts["before", cue(before), unit(w)] += 1
            counts["after", cue(w), unit(before)] += 1
    return pool_rare(counts)


def pool_rare(counts: Counter[Key]) -> Counter[Key]:
    """The counts with each side's open-word endings seen fewer than MIN_ENDING times as OPEN."""
    seen: Counter[tuple[str, str]] = Counter()
    for (side, neighbour, _), n in counts.items():
        seen[side, neighbour] += n
    out: Counter[Key] = Counter()
    for (side, neighbour, u), n in counts.items():
        if neighbour.startswith("-") and seen[side, neighbour] < MIN_ENDING:
            neighbour = OPEN
        out[side, neighbour, u] += n
    return out


def as_table(counts: Counter[Key]) -> Counts:
    table: Counts = {"before": {}, "after": {}}
    for (side, neighbour, u), n in counts.items():
        table[side].setdefault(neighbour, {})[u] = n
    return table


Scorer = Callable[[str, str | None, str | None], float]


def _scorer(counts: Counter[Key], scale: float, prior_weight: float) -> Scorer:
    """The context bonus of a candidate between two words under these counts (as `context`)."""
    table = as_table(counts)
    bonus = bonuses(table, prior_weight, scale)
    units = {u for side in table.values() for row in side.values() for u in row}
    cues = set(table["before"]) | set(table["after"])

    def cue(w: str | None) -> str:
        if not w:
            return "NONE"
        if WORD + w.lower() in cues:
            return WORD + w.lower()
        s = shape(w)
        return s if s in cues or not s.startswith("-") else OPEN

    def score(word: str, before: str | None, after: str | None) -> float:
        u = WORD + word if WORD + word in units else word_class(word)
        if u == OPEN:
            return 0.0
        return bonus["before"].get(cue(before), {}).get(u, 0.0) + bonus["after"].get(
            cue(after), {}
        ).get(u, 0.0)

    return score


def choose_settings(lines: list[str]) -> dict[str, float]:
    """The settings of GRID that pick the right word most often, two-fold on `lines`."""
    frequencies = load_lexicon().frequencies
    variants: dict[str, list[str]] = defaultdict(list)
    for w in frequencies:
        variants[strip_diacritics(w)].append(w)
    folds = [[line for line in lines if _fold(line) == k] for k in (0, 1)]
    pairs = [neighbours(f) for f in folds]
    tests = [
        [
            (w.lower(), variants[strip_diacritics(w.lower())], b, a)
            for b, w, a in p
            if not w[0].isupper() and len(variants.get(strip_diacritics(w.lower()), ())) > 1
        ]
        for p in pairs
    ]
    best: tuple[int, tuple[int, int, float, float]] | None = None
    for setting in GRID:
        right = 0
        for k in (0, 1):
            counts = count_pairs(pairs[1 - k], setting[0], setting[1])
            score = _scorer(counts, setting[2], setting[3])
            for word, options, before, after in tests[k]:
                pick = max(
                    (math.log(frequencies[o]) + score(o, before, after), o) for o in options
                )[1]
                right += pick == word
        if best is None or right > best[0]:
            best = (right, setting)
    assert best is not None
    names = ("min_word_candidate", "min_word_neighbour", "scale", "prior_weight")
    return dict(zip(names, map(float, best[1]), strict=True))


def _fold(line: str) -> int:
    return hashlib.sha1(("fold" + line.strip()).encode("utf-8")).digest()[0] % 2


def write_table(counts: Counter[Key], settings: dict[str, float], sources: list[str]) -> str:
    out = [
        "# Which word or class stands next to which neighbour, counted in Swedish text.",
        "# Made by: python -m pipeline.repair.estimate_context " + " ".join(sources),
        "# from the lines of the 'estimate' part (pipeline/repair/split_corpus.py) only;",
        "# settings chosen by two-fold cross-validation on that part.",
        "# before: the neighbour stands before the word; after: it stands after it.",
        "# setting\tname\tvalue  |  side\tcue\tunit\tcount",
    ]
    for name, value in sorted(settings.items()):
        out.append(f"setting\t{name}\t{value:g}")
    for (side, neighbour, u), n in sorted(counts.items()):
        out.append(f"{side}\t{neighbour}\t{u}\t{n}")
    return "\n".join(out) + "\n"


def estimate(texts: list[str]) -> tuple[Counter[Key], dict[str, float]]:
    """(the counts, the settings) from the estimate part of `texts`."""
    lines = [line for text in texts for line in lines_of(text, ESTIMATE)]
    settings = choose_settings(lines)
    counts = count_pairs(
        neighbours(lines), int(settings["min_word_candidate"]), int(settings["min_word_neighbour"])
    )
    return counts, settings


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    counts, settings = estimate([Path(name).read_text("utf-8") for name in argv])
    sys.stdout.write(write_table(counts, settings, [Path(n).name for n in argv]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
