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

A line without å/ä/ö that is not judged stripped but has two cues may still have lost a mark
or two, and there a real word (``ar``, ``fran``) may stand for its reading with å/ä/ö. Its words
are weighed again with `diacritic_edits(unmarked=True)`: a printed word that the counted Swedish
text (``context.tsv``) does not use as a word of its own loses the margin that guards real
words, and its reading is taken on wordfreq's frequencies, the channel and the counted context
alone. Every change of a real word on an OCR'd page gives that evidence in its reason
(`real_word_evidence`), and says so when the document prints the reading.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import regex

from ..lexicon import Lexicon
from .confusion import parse_table
from .context import WORD, context_bonus, unit
from .diacritics import diacritic_edits, printed_twins, tokens
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
#: The cues a line without å/ä/ö needs before its rarer real words are weighed without the margin.
MIN_CUES = 2


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


def unmarked_lines(
    text: str, lexicon: Lexicon, skip: Sequence[tuple[int, int, float]]
) -> list[tuple[int, int]]:
    """(start, end) of each line with no å/ä/ö but two cues or more that it lost them (words
    whose form with å/ä/ö is far more frequent: a word weighed there is not its own only
    evidence), not in `skip`."""
    taken = {a for a, _, _ in skip}
    out = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if (
            start not in taken
            and not _MARKED.search(line)
            and _LETTER.search(line)
            and stripped_evidence(line, lexicon)[0] >= MIN_CUES
        ):
            out.append((start, end))
        start = end + 1
    return out


def real_word_evidence(text: str, edit: Edit, lexicon: Lexicon) -> str:
    """The evidence for reading a printed word (a word of the lexicon) as another: how much more
    frequent the reading is (wordfreq), what the counted context between its neighbours says,
    and whether the counted Swedish text (``context.tsv``) uses each as a word of its own.

    >>> from pipeline.lexicon import load_lexicon
    >>> text = "som har kartlagts ar familjecentraler"
    >>> real_word_evidence(text, Edit(18, "ar", "är", "", 1.0), load_lexicon()).split(";")[0]
    'ar is a word too: är 933 times as frequent (wordfreq)'
    """
    before, after = edit.before.lower(), edit.after.lower()
    freq = lexicon.frequencies
    ratio = freq.get(after, 0.0) / max(freq.get(before, 0.0), 1e-12)
    toks = tokens(text)
    i = next(k for k, (a, _) in enumerate(toks) if a == edit.offset)
    prev = toks[i - 1][1] if i and "\n" not in text[toks[i - 1][0] : edit.offset] else None
    after_end = edit.offset + len(edit.before)
    nxt = None
    if i + 1 < len(toks) and "\n" not in text[after_end : toks[i + 1][0]]:
        nxt = toks[i + 1][1]
    shift = context_bonus(after, prev, nxt) - context_bonus(before, prev, nxt)
    own = [w for w in (before, after) if unit(w).startswith(WORD)]
    if len(own) == 2:
        counted = "the counted text uses both as words of their own"
    elif own:
        counted = f"the counted text uses only {own[0]} as a word of its own"
    else:
        counted = "the counted text uses neither as a word of its own"
    return (
        f"{before} is a word too: {after} {ratio:,.0f} times as frequent (wordfreq); "
        f"context {prev or '–'} _ {nxt or '–'}: {shift:+.1f} nats for {after}; {counted}"
    )


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
    plain = unmarked_lines(text, lexicon, spans)
    redone = [(a, b) for a, b, _ in spans] + plain
    out = [e for e in edits if not any(a <= e.offset < b for a, b in redone)]
    for a, b in plain:
        line = text[a:b]
        for e in diacritic_edits(
            line, lexicon=lexicon, rate=rate, ocr=True, toks=tokens(line), phrases=phrases,
            unmarked=True,
        ):
            out.append(Edit(e.offset + a, e.before, e.after, e.reason, e.confidence))
    for a, b, own in spans:
        line = text[a:b]
        for e in diacritic_edits(
            line, lexicon=lexicon, rate=own, ocr=True, toks=tokens(line), phrases=phrases
        ):
            reason = f"{e.reason} (a line read without its å/ä/ö, rate {own:.2f})"
            out.append(Edit(e.offset + a, e.before, e.after, reason, e.confidence))
    twins = printed_twins(phrases)
    return [_with_evidence(text, e, lexicon, twins) for e in sorted(out, key=lambda e: e.offset)]


def _with_evidence(text: str, edit: Edit, lexicon: Lexicon, twins: frozenset[str]) -> Edit:
    """`edit`, with `real_word_evidence` in its reason when it changes a word of the lexicon."""
    if edit.before.lower() not in lexicon.frequencies or edit.before.lower() == edit.after.lower():
        return edit
    evidence = real_word_evidence(text, edit, lexicon)
    if edit.before.lower() in twins:
        evidence += f"; the document prints {edit.after.lower()}"
    reason = f"{edit.reason} ({evidence})"
    return Edit(edit.offset, edit.before, edit.after, reason, edit.confidence)
