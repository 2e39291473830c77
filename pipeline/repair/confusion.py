"""The character confusion channel: P(what OCR printed | what the author wrote), loaded from data.

The table lives in ``pipeline/data/confusions.tsv`` (one row per truth -> observed pair, with the
counts it was estimated from; see the header of that file and ``pipeline/repair/estimate.py``).
It holds characters and short character strings only, never whole words. Both the corrector
(``diacritics.py``, which inverts the channel) and the corruption tool (``corrupt.py``, which
samples from it) read the same table, so what we measure on is what we model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: Contexts a confusion applies in (column 3 of the table).
ANY = "any"  # anywhere inside a word
WORD_START = "word-start"  # first letter of a word (l read as I)
LINE_START = "line-start"  # a bullet at the start of a line
WORD_ALONE = "word-alone"  # a one-letter word (I read as |)
AROUND_I = "around-i"  # the spaces around the word "i" (truth " ", observed "")
LINE_END = "line-end"  # a line-end hyphen added by the typesetter (truth "", observed "-\n")


@dataclass(frozen=True, slots=True)
class Confusion:
    truth: str
    observed: str
    context: str
    count: int
    probability: float


@dataclass(frozen=True, slots=True)
class ConfusionTable:
    rows: tuple[Confusion, ...]

    def damage(self, truth: str, context: str = ANY) -> tuple[Confusion, ...]:
        """The ways `truth` gets damaged in `context` (identity excluded), likeliest first."""
        return tuple(
            r
            for r in self.rows
            if r.truth == truth and r.context == context and r.observed != r.truth
        )

    def identity(self, truth: str, context: str = ANY) -> float:
        """P(observed == truth): the share of `truth` characters the channel left alone."""
        for r in self.rows:
            if r.truth == truth and r.context == context and r.observed == r.truth:
                return r.probability
        return 1.0 - sum(r.probability for r in self.damage(truth, context))

    def inverse(self, context: str = ANY) -> dict[str, tuple[tuple[str, float], ...]]:
        """observed string -> ((truth, P(observed | truth, damaged)), ...), for candidate search.

        The probability is renormalized over the damaged outcomes only: once we suppose a
        character was damaged, how likely is this reading of it.
        """
        out: dict[str, list[tuple[str, float]]] = {}
        for r in self.rows:
            if r.context != context or r.observed == r.truth:
                continue
            total = 1.0 - self.identity(r.truth, context)
            p = r.probability / total if total > 0 else 0.0
            out.setdefault(r.observed, []).append((r.truth, p))
        return {k: tuple(sorted(v, key=lambda t: -t[1])) for k, v in out.items()}


def parse_table(text: str) -> ConfusionTable:
    """Parse the TSV: truth, observed, context, count, probability; `#` starts a comment.

    >>> t = parse_table("ö\\to\\tany\\t3\\t0.75\\nö\\tö\\tany\\t1\\t0.25\\n")
    >>> [(r.truth, r.observed) for r in t.damage("ö")]
    [('ö', 'o')]
    """
    rows = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0] if raw.startswith("#") else raw
        if not line.strip():
            continue
        truth, observed, context, count, probability = line.split("\t")
        rows.append(
            Confusion(
                truth=_unescape(truth),
                observed=_unescape(observed),
                context=context,
                count=int(count),
                probability=float(probability),
            )
        )
    return ConfusionTable(rows=tuple(rows))


def _unescape(field: str) -> str:
    # The table writes the empty string, the space and the newline visibly.
    if field == "<empty>":
        return ""
    return field.replace("<space>", " ").replace("<nl>", "\n")


def escape(field: str) -> str:
    if not field:
        return "<empty>"
    return field.replace(" ", "<space>").replace("\n", "<nl>")


@lru_cache(maxsize=1)
def load_confusions() -> ConfusionTable:
    """The packaged table, parsed once per process."""
    text = resources.files("pipeline.data").joinpath("confusions.tsv").read_text("utf-8")
    return parse_table(text)
