"""Page triage: read each page from its text layer or with OCR, and say why.

`needs_ocr` is a predicate with a reason (after OCRmyPDF's `is_ocr_required`): a page is OCR'd when
it has no text, too little text for the ink on it, unreadable glyphs, text that is not language
(a broken font encoding), or an old OCR layer (invisible text over a full-page image) that reads
poorly as Swedish; an old layer is judged by its order too (`streamorder`: its own lines that
run across a column gutter are read column by column, by their word boxes), and a kept one is
repaired as OCR text. Where the text layer has something to offer (an old layer, a doubtful layer),
the page is read afresh and the better of the two readings is kept; `reason` says which and why.

How well a text reads is the share of its words found in a word list: the Swedish lexicon first,
then English and other common languages from wordfreq's short lists (a page in German is
language, not garbage).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import regex
import wordfreq

from . import ocr
from .addresses import is_address
from .coverage import Region, insert_lines, truncated_ends, uncovered_regions
from .errors import MissingDependencyError
from .layout import Line, PageLayout, PageSignals
from .lexicon import Lexicon
from .options import OcrMode, Options
from .raster import render_page

__all__ = [
    "Decision",
    "combine_readings",
    "decide_pages",
    "is_old_ocr_layer",
    "needs_ocr",
    "pages_to_read",
    "read_pages_best_way",
    "reading_quality",
]

# An old OCR layer (or any layer) reads "well" as Swedish when this share of its words is in the
# lexicon: clean Swedish pages score 0.89-0.99, pages damaged like seed 000 0.75-0.87.
GOOD_READING = 0.90
# Below this share of words in any language, a text layer is not language but a broken encoding.
LANGUAGE = 0.5
# Too few words (and letters) to judge the language of a page: leave it be.
MIN_WORDS_TO_JUDGE = 3
MIN_LETTERS_TO_JUDGE = 15
# Text over a full-page image: invisible for more than this share of its characters, over an
# image covering more than this share of the page.
INVISIBLE_SHARE = 0.5
FULL_PAGE_IMAGE = 0.5
# Pages whose images cover at least this share, and that carry fewer than CHARS_PER_INK
# characters per unit of covered share, are mostly picture: OCR finds what the layer lacks.
INKED_PAGE = 0.5
CHARS_PER_INK = 200
# Unreadable glyphs: this many, and this share of the characters.
BAD_GLYPHS_MIN = 3
BAD_GLYPHS_SHARE = 0.02
# Coverage of a kept old layer (`coverage`): the page is searched for ink at this resolution,
# and a line read where the layer has none is added when every word has this confidence.
COVERAGE_DPI = 100
ADDED_CONFIDENCE = 0.6
# A row of printed ink (ascenders to descenders) spans about this share of its type size.
INK_HEIGHT = 0.95
# Word lists tried after Swedish, English first; wordfreq's short lists (30-60k words each).
OTHER_LANGUAGES = ("en", "de", "fr", "da", "nb", "fi", "nl", "es", "it", "pt", "pl", "cs")

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")
_EDGES = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$")
# Letters, joined by hyphens, apostrophes, dots (t.ex.) or a genitive colon (HSB:s)
_WORDLIKE = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:(?:[-'’.]|:(?=\p{Ll}{1,3}$))\p{L}[\p{L}\p{M}]*)*")
# A line read where an old layer has no words: stray marks at a word's edges (a stroke of the
# handwriting beside it read as a bracket, a bar or a quote) are trimmed.
_STRAY = regex.compile(r"^[^\p{L}\p{N}§]+|[^\p{L}\p{N}.,:;!?]+$")
_SCRIPT = regex.compile(r"\p{Script=Latin}")
_VOWEL = regex.compile(r"[aeiouyæøœAEIOUYÆØŒ]")


# How an OCR reading is weighed against the text layer it may replace:
# "none": OCR replaces the layer (nothing usable in it, or --ocr always);
# "old-layer": an old OCR layer that read poorly: the one that reads better wins, OCR on a tie;
# "language": a layer that is not language: OCR must read better (more words that are words);
# "words": a layer with too little text for the ink: OCR must find many more known words.
Compare = Literal["none", "old-layer", "language", "words"]


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a page needs OCR, and why; `quality` is how well its text layer reads (0..1).

    `compare` says whether the text layer still has something to offer, and so how the OCR
    reading must be weighed against it.
    """

    ocr: bool
    reason: str
    quality: float
    compare: Compare = "none"


@dataclass(frozen=True, slots=True)
class Reading:
    """How well a text reads in `language` (an ISO code), the language that knows it best.

    `share`: the share of its words that the language's word list knows (for Swedish, the
    lexicon share). `score`: the same, with each unknown word that still looks like a word
    (one script, sane capitals, a vowel) counted half, so that a name or a word of a language
    without a list is not taken for junk, while `3HQČåQtSURVWĜHGN` is.
    """

    share: float
    score: float
    language: str
    words: int
    letters: int = 0

    @property
    def judgeable(self) -> bool:
        return self.words >= MIN_WORDS_TO_JUDGE or self.letters >= MIN_LETTERS_TO_JUDGE

    def describe(self) -> str:
        if self.language == "sv":
            return f"lexicon share {self.share:.2f}"
        return f"{self.language} word share {self.share:.2f}"


def reading_quality(text: str, lexicon: Lexicon) -> Reading:
    """How well `text` reads: Swedish first, then English, other languages only when neither
    knows half of the words.

    Words are the white-space separated tokens with two letters or more, punctuation at their
    ends removed; numbers, addresses and single letters are not judged.

    >>> from pipeline.lexicon import load_lexicon
    >>> reading_quality("Målet är att alla barn ska må bra.", load_lexicon())
    Reading(share=1.0, score=1.0, language='sv', words=8, letters=26)
    >>> reading_quality("3HQČåQtSURVWĜHGN QD~þWHFK", load_lexicon()).score
    0.0
    >>> reading_quality("Penézni prostfedky na uétech", load_lexicon()).score
    0.625
    """
    tokens = _tokens(text)
    if not tokens:
        return Reading(0.0, 0.0, "sv", 0)
    best = _reading(tokens, lexicon.frequencies, "sv")
    if best.share >= GOOD_READING:
        return best
    # Swedish's long list knows much English: an English page must be judged in English
    english = _reading(tokens, wordfreq.get_frequency_dict("en", wordlist="small"), "en")
    if english.share > best.share:
        best = english
    if best.share >= LANGUAGE:
        return best
    for language in OTHER_LANGUAGES[1:]:
        reading = _reading(
            tokens, wordfreq.get_frequency_dict(language, wordlist="small"), language
        )
        if reading.score > best.score:
            best = reading
    return best


@dataclass(frozen=True, slots=True)
class _Token:
    parts: tuple[str, ...]  # lower-cased letter runs (compounds split at hyphens)
    letters: int
    wordlike: bool


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for raw in text.split():
        token = _EDGES.sub("", raw)
        letters = _WORD.findall(token)
        if sum(len(w) for w in letters) < 2 or is_address(token):
            continue
        wordlike = bool(_WORDLIKE.fullmatch(token)) and all(_looks_like_a_word(w) for w in letters)
        parts = tuple(w.lower() for w in letters)
        tokens.append(_Token(parts, sum(len(w) for w in parts), wordlike))
    return tokens


def _looks_like_a_word(word: str) -> bool:
    lower, upper = word == word.lower(), word == word.upper()  # both in scripts without case
    if not (lower or upper or (word[0] == word[0].upper() and word[1:] == word[1:].lower())):
        return False
    if len(_SCRIPT.findall(word)) not in (0, len(word)):  # Latin mixed with another script
        return False
    if _SCRIPT.match(word) and not upper:  # Latin words have vowels; acronyms need none
        return bool(_VOWEL.search(unicodedata.normalize("NFD", word)))
    return True


def _reading(tokens: Sequence[_Token], known: dict[str, float], language: str) -> Reading:
    hits = 0.0
    half = 0.0
    for token in tokens:
        if token.wordlike and all(part in known for part in token.parts):
            hits += 1
        elif token.wordlike:
            half += 0.5
    n = len(tokens)
    letters = sum(token.letters for token in tokens)
    return Reading(round(hits / n, 4), round((hits + half) / n, 4), language, n, letters)


def needs_ocr(page: PageLayout, lexicon: Lexicon, mode: OcrMode = "auto") -> Decision:
    """Decide whether `page` (as the extract stage read it) must be read with OCR, and why.

    >>> from pipeline.layout import Line
    >>> from pipeline.lexicon import load_lexicon
    >>> line = Line("Målet är att alla barn ska må bra", 0, 0, 1, 1, 11, False)
    >>> needs_ocr(PageLayout(1, 595, 842, (line,)), load_lexicon()).reason
    'text layer reads well (lexicon share 1.00)'
    >>> needs_ocr(PageLayout(1, 595, 842, ()), load_lexicon())
    Decision(ocr=True, reason='no text layer', quality=0.0, compare='none')
    """
    decision = _decide(page, lexicon, mode)
    unmapped = page.signals.unmapped
    if unmapped and not decision.ocr:
        glyphs = "glyph" if unmapped == 1 else "glyphs"
        note = f"; {unmapped} {glyphs} without Unicode left out"
        return replace(decision, reason=decision.reason + note)
    return decision


def _decide(page: PageLayout, lexicon: Lexicon, mode: OcrMode) -> Decision:
    signals = page.signals
    text = page.text
    chars = signals.chars or sum(1 for ch in text if not ch.isspace())
    reading = reading_quality(text, lexicon)
    quality = reading.share
    if mode == "always":
        return Decision(True, "--ocr always", quality)
    if chars == 0 or not text.strip():
        if mode == "never":
            return Decision(False, "no text layer; not read with OCR (--ocr never)", 0.0)
        return Decision(True, "no text layer", 0.0)

    problem: str | None = None
    compare: Compare = "none"
    if signals.bad_glyphs >= max(BAD_GLYPHS_MIN, BAD_GLYPHS_SHARE * chars):
        problem = (
            f"text layer has {signals.bad_glyphs} unreadable glyphs "
            f"(without Unicode, private-use or U+FFFD) in {chars} characters"
        )
    elif signals.image_coverage >= INKED_PAGE and chars < CHARS_PER_INK * signals.image_coverage:
        problem = (
            f"too little text ({chars} characters) for a page "
            f"{signals.image_coverage:.0%} covered by images"
        )
        compare = "words"
    elif _old_ocr_layer(signals, chars):
        order = _layer_order(signals)
        if reading.share >= GOOD_READING:
            return Decision(
                False,
                f"old OCR layer reads well ({reading.describe()}); {order}; "
                "its words kept, repaired as OCR text",
                quality,
            )
        problem = f"old OCR layer read poorly ({reading.describe()}); {order}"
        compare = "old-layer"
    elif reading.judgeable and reading.score < LANGUAGE:
        problem = (
            f"text layer is not language (word score {reading.score:.2f}, "
            f"best of sv and {len(OTHER_LANGUAGES)} other languages)"
        )
        compare = "language"

    if problem is None:
        if not reading.judgeable:
            return Decision(False, "text layer (too few words to judge how it reads)", quality)
        return Decision(False, f"text layer reads well ({reading.describe()})", quality)
    if mode == "never":
        return Decision(False, f"{problem}; not read with OCR (--ocr never)", quality)
    return Decision(True, problem, quality, compare)


def _layer_order(signals: PageSignals) -> str:
    """What the triage makes of an old layer's own order (`streamorder.crossing_lines`)."""
    n = signals.crossing_lines
    if n == 0:
        return "its order: no line across a column gutter"
    lines = "line" if n == 1 else "lines"
    return f"its order: {n} {lines} across a column gutter, read column by column by word boxes"


def is_old_ocr_layer(page: PageLayout) -> bool:
    """Whether `page` was read from an old OCR layer (invisible text over a full-page image):
    its text carries the OCR's errors, and the repair treats it as OCR'd."""
    signals = page.signals
    return page.method == "text-layer" and _old_ocr_layer(signals, signals.chars)


def _old_ocr_layer(signals: PageSignals, chars: int) -> bool:
    return (
        signals.invisible_chars > INVISIBLE_SHARE * chars
        and signals.image_coverage >= FULL_PAGE_IMAGE
    )


def read_pages_best_way(
    path: str | Path,
    pages: Sequence[PageLayout],
    options: Options,
    lexicon: Lexicon,
    data: bytes | None = None,
) -> list[PageLayout]:
    """Triage each extracted page, OCR those that need it (in parallel), keep the best reading.

    Tesseract is not touched when no page needs it (so `--ocr never` works without it).
    A batch runner that fans pages out to its own pool does the same in three steps:
    `decide_pages`, then `ocr.ocr_page_task` for each page `pages_to_read` names, then
    `combine_readings`.
    """
    decisions = decide_pages(pages, options, lexicon)
    wanted = pages_to_read(pages, decisions)
    readings = (
        ocr.read_pages(
            path,
            wanted,
            lang=options.lang,
            dpi=options.dpi,
            jobs=options.jobs,
            password=options.password,
            data=data,
        )
        if wanted
        else {}
    )
    combined = combine_readings(pages, decisions, readings, lexicon)
    if options.ocr != "auto":
        return combined
    return [
        _complete(path, page, options, lexicon, data) if is_old_ocr_layer(page) else page
        for page in combined
    ]


def _complete(
    path: str | Path, page: PageLayout, options: Options, lexicon: Lexicon, data: bytes | None
) -> PageLayout:
    """A kept old layer with the printed lines it lacks read and added (`coverage`).

    The page is rendered at COVERAGE_DPI (cheap: no OCR) and searched for text-like lines of ink
    outside the layer's words; only when there are some is Tesseract run, on those lines alone.
    A line read there is added only when each of its words is read with confidence
    (`ADDED_CONFIDENCE`) and looks like a word (`_looks_like_a_word`): handwriting beside the
    text comes back as junk or with low confidence, and adds nothing.
    """
    rendered = render_page(path, page.number, COVERAGE_DPI, options.password, data)
    regions = uncovered_regions(rendered.image, rendered.dpi, page)
    ends = truncated_ends(rendered.image, rendered.dpi, page)
    if not regions and not ends:
        return page
    task = ocr.PageTask(str(path), page.number, options.lang, options.dpi, options.password, data)
    boxes = [(r.x0, r.top, r.x1, r.bottom) for r in regions + [r for _, r in ends]]
    try:
        read = ocr.read_regions(task, boxes)
    except MissingDependencyError:  # the layer is kept as it is; nothing else needs Tesseract
        return replace(page, reason=f"{page.reason}; ink outside its words not read (no Tesseract)")
    notes = []
    lines = list(page.lines)
    if ends:
        completed = []
        for (index, _region), reading in zip(ends, read[len(regions) :], strict=True):
            line = _completed_end(lines[index], reading, lexicon)
            if line is not None:
                completed.append(f"{lines[index].words[-1].text!r} → {line.words[-1].text!r}")
                lines[index] = line
        some = "line ends" if len(ends) > 1 else "a line end"
        done = ", ".join(completed) if completed else "none changed"
        notes.append(f"ink after {some} read with Tesseract: {done}")
    if regions:
        plausible = (_plausible(line, lexicon) for found in read[: len(regions)] for line in found)
        added = [_sized(line, regions) for line in plausible if line is not None]
        n = "line" if len(regions) == 1 else "lines"
        found = f"{len(regions)} text-like {n} of ink outside its words, read with Tesseract"
        if added:
            texts = ", ".join(repr(line.text) for line in added)
            notes.insert(0, f"{found}: added {texts} in reading order")
            lines = list(insert_lines(lines, added))
        else:
            notes.insert(0, f"{found}: none kept")
    return replace(page, lines=tuple(lines), reason="; ".join([page.reason, *notes]))


def _completed_end(line: Line, reading: Sequence[Line], lexicon: Lexicon) -> Line | None:
    """`line` with its last word as read again with the ink after it, when that reading is
    the layer's word with more letters, read with confidence, and a word of the lexicon."""
    words = [w for found in reading for w in found.words]
    if not words:
        return None
    last, read = line.words[-1], words[-1]
    text = _STRAY.sub("", read.text)
    stem = _EDGES.sub("", last.text)
    if (
        (read.conf or 0.0) < ADDED_CONFIDENCE
        or not stem
        or len(_EDGES.sub("", text)) <= len(stem)
        or not text.startswith(stem)
        or not all(w.lower() in lexicon.frequencies for w in _WORD.findall(text))
        or not _WORD.fullmatch(_EDGES.sub("", text))
    ):
        return None
    word = replace(last, text=text, x1=max(last.x1, read.x1))
    head = line.text[: len(line.text) - len(last.text)] if line.text.endswith(last.text) else None
    if head is None:
        return None
    return replace(line, text=head + text, x1=word.x1, words=(*line.words[:-1], word))


def _sized(line: Line, regions: Sequence[Region]) -> Line:
    """`line` with the type size its region's ink shows: Tesseract's estimate takes in the
    strokes of handwriting through the line (a name under its signature would read as a
    heading), the character-sized ink does not."""

    def overlap(r: Region) -> float:
        return min(r.bottom, line.bottom) - max(r.top, line.top)

    region = max(regions, key=overlap)
    if overlap(region) <= 0:
        return line
    size = round((region.bottom - region.top) / INK_HEIGHT, 1)
    return replace(line, size=size, words=tuple(replace(w, size=size) for w in line.words))


def _plausible(line: Line, lexicon: Lexicon) -> Line | None:
    """`line` (read where the layer has no words) with stray marks trimmed from its words'
    edges, or None when a word of it is read without confidence, or is neither in the lexicon
    nor shaped like a name (a capital, then a word's letters)."""
    words = []
    for word in line.words:
        text = _STRAY.sub("", word.text)
        if not text:
            continue
        if (word.conf or 0.0) < ADDED_CONFIDENCE:
            return None
        if not all(_known_or_name(w, lexicon) for w in _WORD.findall(text) if len(w) > 1):
            return None
        words.append(replace(word, text=text))
    if not any(_WORD.search(w.text) for w in words):
        return None
    return replace(
        line,
        text=" ".join(w.text for w in words),
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        words=tuple(words),
    )


def _known_or_name(word: str, lexicon: Lexicon) -> bool:
    if word.lower() in lexicon.frequencies:
        return True
    return word[0].isupper() and _looks_like_a_word(word)


def decide_pages(pages: Sequence[PageLayout], options: Options, lexicon: Lexicon) -> list[Decision]:
    """The triage decision for each page, in order."""
    return [needs_ocr(page, lexicon, options.ocr) for page in pages]


def pages_to_read(pages: Sequence[PageLayout], decisions: Sequence[Decision]) -> list[int]:
    """The numbers of the pages to OCR."""
    return [page.number for page, d in zip(pages, decisions, strict=True) if d.ocr]


def combine_readings(
    pages: Sequence[PageLayout],
    decisions: Sequence[Decision],
    readings: Mapping[int, PageLayout],
    lexicon: Lexicon,
) -> list[PageLayout]:
    """Each page as it is best read: its text layer, or its OCR reading (in `readings`, by
    page number, for every page whose decision asked for OCR), with method, reason and quality."""
    result: list[PageLayout] = []
    for page, decision in zip(pages, decisions, strict=True):
        if not decision.ocr:
            result.append(
                replace(page, method="text-layer", reason=decision.reason, quality=decision.quality)
            )
        else:
            result.append(_choose(page, decision, readings[page.number], lexicon))
    return result


def _choose(page: PageLayout, decision: Decision, read: PageLayout, lexicon: Lexicon) -> PageLayout:
    ocr_reading = reading_quality(read.text, lexicon)
    ocr_page = replace(
        read,
        number=page.number,
        links=page.links,
        signals=page.signals,
        method="ocr",
        quality=ocr_reading.share,
    )
    if decision.compare == "none":
        note = "" if read.lines else "; OCR found no text"
        return replace(ocr_page, reason=decision.reason + note)
    layer_reading = reading_quality(page.text, lexicon)
    read_again = f"re-read with Tesseract ({ocr_reading.describe()})"
    if _ocr_wins(decision.compare, layer_reading, ocr_reading):
        return replace(ocr_page, reason=f"{decision.reason}; {read_again}, kept the OCR reading")
    return replace(
        page,
        method="text-layer",
        reason=f"{decision.reason}; {read_again}, kept the text layer",
        quality=decision.quality,
    )


def _rounded(*values: float) -> tuple[float, ...]:
    return tuple(round(v, 2) for v in values)


def _ocr_wins(compare: Compare, layer: Reading, fresh: Reading) -> bool:
    if fresh.words == 0:
        return False
    if compare == "old-layer":  # judged poor already: a tie goes to the fresh reading
        return _rounded(fresh.share, fresh.score) >= _rounded(layer.share, layer.score)
    if compare == "language":  # the document's own text: OCR must beat it
        return _rounded(fresh.score, fresh.share) > _rounded(layer.score, layer.share)
    # "words": a picture with a caption gains only junk from OCR; a scan under a stray line of
    # text gains the whole page
    known_layer, known_fresh = layer.share * layer.words, fresh.share * fresh.words
    return fresh.share >= LANGUAGE and known_fresh >= 2 * known_layer + 5
