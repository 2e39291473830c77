"""The repair stage: one page's text in, repaired text and the record of every change out.

Stages, in order, each a named function that records only what it changed:

1. ``unicode``: ftfy (mojibake, ligatures, NFC), soft hyphens, control characters, odd spaces;
   ``ligatures``: ligature glyphs a PDF maps to a quote mark or a private-use character
   (``vi"`` → ``vill``, ``e"er`` → ``eller``) read as the ligature that makes a lexicon word;
2. ``hyphenation``: line-end hyphens joined or kept (the tail of a joined word moves up);
3. ``glyphs``: bullets read as e/o/*/¢/«, the word I read as | l 1, em dashes in number ranges;
   on OCR'd pages, ``symbols``: the ``§`` of numbered paragraphs read as & $ 8 S (or lost), en
   dashes of number ranges read as ``-``;
4. ``split``: spaces the OCR lost (``insatserihela`` → ``insatser i hela``);
5. ``diacritics``: the noisy-channel corrector (``bdsta`` → ``bästa``, ``for`` → ``för`` on a
   stripped page); on an OCR'd page, a line that lost all its å/ä/ö (the English model won
   it) at its own rate (``lines``, with the OCR channel learned from Tesseract's errors).

The number of lines never changes, and the applied records replay: ``replay(text, records)``
gives the repaired text.

>>> repair_text("Malbilden for arbetet ar att alla barn\\ni S6rmland ska ga i skolan").text
'Målbilden för arbetet är att alla barn\\ni Sörmland ska gå i skolan'
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager

from ..addresses import address_spans
from ..lexicon import (
    Lexicon,
    load_lexicon,
    loose_index,
    skeleton_index,
)
from .corrupt import corrupt_text, strip_diacritics
from .diacritics import (
    diacritic_edits,
    document_phrases,
    fix_diacritics,
    page_rate,
    tokens,
)
from .english import not_english
from .glyphs import fix_glyphs
from .hyphenation import dehyphenate_line_ends
from .ligatures import fix_ligatures
from .lines import with_line_rates
from .parts import part_trie
from .records import (
    APPLY_THRESHOLD,
    Edit,
    RepairRecord,
    RepairResult,
    apply_edits,
    repair_diff,
    replay,
)
from .splitting import split_edits, tokens_after_split
from .stripping import estimate_damage_rate, estimate_stripped
from .symbols import fix_symbols, numbered_paragraphs
from .unicode import fix_unicode

__all__ = [
    "APPLY_THRESHOLD",
    "RepairRecord",
    "RepairResult",
    "corrupt_text",
    "document_phrases",
    "estimate_damage_rate",
    "estimate_stripped",
    "fix_diacritics",
    "numbered_paragraphs",
    "repair_diff",
    "repair_text",
    "replay",
    "strip_diacritics",
]



#: The least damage rate λ assumed on a page Tesseract just read: with `swe+eng` its English
#: model wins a line now and then and drops that line's rings and dots.
OCR_RATE = 0.25


def repair_text(
    text: str,
    *,
    page: int = 1,
    lexicon: Lexicon | None = None,
    stripped: bool | None = None,
    swedish: bool = True,
    ocr: bool = False,
    phrases: frozenset[tuple[str, str]] = frozenset(),
    numbered: bool | None = None,
) -> RepairResult:
    """Repair one page's text (lines joined by newlines); the number of lines never changes.

    `stripped` overrides the page's own estimate of whether its å/ä/ö were lost (pass a
    document-level ``estimate_stripped(whole_text)`` for short pages). `swedish=False` (a
    document in another language) keeps only the language-neutral steps: Unicode, line-end
    hyphens, glyphs and symbols; no Swedish word is forced on French or English text. `ocr=True`
    (a page Tesseract just read, or an old OCR layer) restores symbols the OCR misread
    (`symbols`), lets unknown-looking compounds be corrected too (see `correct_token`), and
    favours a reading the document prints next to the same neighbour with its å/ä/ö
    (`phrases`, from `document_phrases(whole_text)`; see `diacritic_edits`). `numbered` says
    whether the document numbers its paragraphs with `§` (`numbered_paragraphs(whole_text)`;
    None: the page judges alone).
    """
    lexicon = lexicon or load_lexicon()
    if swedish:  # the indexes built before the first page (0.4 s), not in the middle of one
        loose_index(lexicon)
        skeleton_index(lexicon)
        part_trie(lexicon)
    with _collector_paused():
        return _repair_text(text, page, lexicon, stripped, swedish, ocr, phrases, numbered)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one page is repaired.

    The repair allocates many small tuples (readings, candidates) and its caches grow; the
    collector's full passes over them took a quarter of the time on damaged text. The stage makes
    no reference cycles worth collecting mid-page; the collector resumes (if it was on) after.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def outside_addresses(text: str, edits: list[Edit]) -> list[Edit]:
    """The edits that change nothing inside a URL, an e-mail address or a domain (their spans in
    `text`, `addresses.address_spans`), whatever the stage. The one edit an address may take is
    the @ that Tesseract read as Q (`glyphs`), which is what makes it an address.

    >>> text = "se ekeby.io/for-barn for barn"
    >>> [e.offset for e in outside_addresses(text, [Edit(12, "for", "för", "", 1.0),
    ...                                              Edit(21, "for", "för", "", 1.0)])]
    [21]
    """
    if not edits:
        return edits
    spans = address_spans(text)
    if not spans:
        return edits
    starts = [a for a, _ in spans]  # the spans are in order and apart
    kept = []
    for e in edits:
        # the last span starting before the edit's end is the only one it may reach into
        i = bisect_left(starts, e.offset + max(len(e.before), 1)) - 1
        if i < 0 or spans[i][1] <= e.offset or e.after == "@":
            kept.append(e)
    return kept


def keep_archive_words(edits: list[Edit], kept: frozenset[str]) -> list[Edit]:
    """The edits that change no word of the archive's own list (`kept`, lower-cased).

    >>> edits = [Edit(0, "Bjorkas", "Björkås", "", 1.0), Edit(8, "ar", "är", "", 1.0)]
    >>> [e.after for e in keep_archive_words(edits, frozenset({"bjorkas"}))]
    ['är']
    """
    return [e for e in edits if e.before.strip().lower() not in kept]


def _repair_text(
    text: str,
    page: int,
    lexicon: Lexicon,
    stripped: bool | None,
    swedish: bool,
    ocr: bool,
    phrases: frozenset[tuple[str, str]],
    numbered: bool | None = None,
) -> RepairResult:
    records: list[RepairRecord] = []

    def run(stage: str, current: str, edits: list[Edit]) -> str:
        if stage != "unicode":
            edits = outside_addresses(current, edits)
        if lexicon.kept:
            edits = keep_archive_words(edits, lexicon.kept)
        new, recs = apply_edits(current, edits, stage=stage, page=page)
        records.extend(recs)
        return new

    current = run("unicode", text, fix_unicode(text))
    current = run("ligatures", current, fix_ligatures(current, lexicon))
    current = run("hyphenation", current, dehyphenate_line_ends(current, lexicon))
    current = run("glyphs", current, fix_glyphs(current))
    if ocr:
        current = run("symbols", current, fix_symbols(current, numbered))
    if swedish:
        toks = tokens(current)  # one tokenization for the stages below
        rate = page_rate(current, lexicon, stripped, toks)
        if ocr:
            rate = max(rate, OCR_RATE)
        split = split_edits(current, lexicon=lexicon, rate=rate, toks=toks, ocr=ocr)
        before = current
        current = run("split", current, not_english(current, split, toks))
        if current != before:
            toks = tokens_after_split(current, toks, records)
        found = diacritic_edits(
            current, lexicon=lexicon, rate=rate, ocr=ocr, toks=toks, phrases=phrases
        )
        if ocr:  # a line the English model won lost all its å/ä/ö: its own rate
            found = with_line_rates(current, found, lexicon=lexicon, rate=rate, phrases=phrases)
        current = run("diacritics", current, not_english(current, found, toks))
    if current.count("\n") != text.count("\n"):  # a contract with the caller; never expected
        raise AssertionError("the repair changed the number of lines")
    return RepairResult(text=current, records=records)

