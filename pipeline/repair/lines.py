"""Lines of an OCR'd page that lost all their å/ä/ö: repaired at their own damage rate.

Tesseract reads with `swe+eng`; now and then the English model wins a line and drops every ring
and dot on it, while the rest of the page keeps them (`pagar` on a page that prints `pågår`
elsewhere). The page's damage rate, estimated over the whole page, is too low for such a line.

Whether a line without å/ä/ö lost them is weighed with the channel learned from Tesseract's own
errors (`pipeline/data/ocr_channel.tsv`, context `line`: the share of lines with å/ä/ö that lose
them all) as the prior, the line's length (a long Swedish line without any å/ä/ö is unusual:
about one letter in twenty is one) and its cues (`stripping.stripped_evidence`: `pa`, `pagar`,
words whose form with å/ä/ö is far more frequent). A line judged stripped is repaired as a page
at that rate would be; the records say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import regex

from ..lexicon import Lexicon
from .confusion import parse_table
from .diacritics import diacritic_edits, tokens
from .records import Edit
from .stripping import RATE_LEVELS, stripped_evidence

_MARKED = regex.compile(r"[åäöÅÄÖ]")
_LETTER = regex.compile(r"\p{L}")
#: The share of letters of Swedish text that are å, ä or ö (LinES sentences: 5.4 %).
MARK_SHARE = 0.054
#: How much likelier a cue (a word whose form with å/ä/ö is far more frequent) is on a line
#: that lost its marks than on one that never had any.
CUE_ODDS = 3.0
#: A line is taken as stripped when the odds reach this.
MIN_ODDS = 2.0


@lru_cache(maxsize=1)
def line_loss() -> float:
    """P(a line with å/ä/ö loses them all), from the learned channel's `line` rows."""
    text = resources.files("pipeline.data").joinpath("ocr_channel.tsv").read_text("utf-8")
    rows = {r.observed: r.count for r in parse_table(text).rows if r.context == "line"}
    lost, kept = rows.get("all lost", 0), rows.get("kept", 0)
    return (lost + 1) / (lost + kept + 2)


def stripped_odds(line: str, lexicon: Lexicon) -> float:
    """The odds that `line` (no å/ä/ö on it) had them and lost them all."""
    prior = line_loss()
    letters = len(_LETTER.findall(line))
    cues, _ = stripped_evidence(line, lexicon)
    if not cues:
        return 0.0
    log_odds = (
        math.log(prior / (1 - prior))
        - letters * math.log(1 - MARK_SHARE)
        + cues * math.log(CUE_ODDS)
    )
    return math.exp(log_odds)


def line_rates(text: str, lexicon: Lexicon, rate: float) -> list[tuple[int, int, float]]:
    """(start, end, rate) of each line without å/ä/ö judged stripped, at a rate above `rate`."""
    out = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if not _MARKED.search(line):
            odds = stripped_odds(line, lexicon)
            if odds >= MIN_ODDS:
                own = min(RATE_LEVELS, key=lambda level: abs(level - odds / (1 + odds)))
                if own > rate:
                    out.append((start, end, own))
        start = end + 1
    return out


def with_line_rates(
    text: str,
    edits: Sequence[Edit],
    *,
    lexicon: Lexicon,
    rate: float,
    phrases: frozenset[tuple[str, str]] = frozenset(),
) -> list[Edit]:
    """The page's diacritic `edits`, with those of each line that lost its å/ä/ö made again at
    the line's own rate (the reason says so)."""
    spans = line_rates(text, lexicon, rate)
    if not spans:
        return list(edits)
    out = [e for e in edits if not any(a <= e.offset < b for a, b, _ in spans)]
    for a, b, own in spans:
        line = text[a:b]
        for e in diacritic_edits(
            line, lexicon=lexicon, rate=own, ocr=True, toks=tokens(line), phrases=phrases
        ):
            reason = f"{e.reason} (a line read without its å/ä/ö, rate {own:.2f})"
            out.append(Edit(e.offset + a, e.before, e.after, reason, e.confidence))
    return sorted(out, key=lambda e: e.offset)
