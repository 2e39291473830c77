"""Composes the stages: read, triage and OCR, repair, segment, assemble; nothing else."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import NotPdfError, ResourceLimitError
from .extract import PdfContent, read_pdf
from .furniture import drop_running_furniture
from .layout import PageLayout
from .lexicon import Lexicon, load_lexicon
from .metadata import detect_language, detect_metadata
from .model import Document, Page, Repair, Source, Tool
from .options import Options
from .pdfrepair import repair_pdf
from .repair import document_phrases, numbered_paragraphs, repair_text
from .repair.stripping import estimate_stripped
from .review.apply import review_page
from .review.decisions import Decision
from .review.words import with_words
from .segment import segment
from .source import SourceFile, decode_text, read_source
from .textinput import read_text_pages
from .triage import is_old_ocr_layer, read_pages_best_way
from .version import __version__

SHORT_PAGE_WORDS = 150


@dataclass(frozen=True, slots=True)
class Conversion:
    """A Document with the pages it was made from, as read (before the repair): their words
    carry the boxes and OCR confidences that the geometry outputs (ALTO) need."""

    document: Document
    pages: tuple[PageLayout, ...]


def convert(path: str | Path | SourceFile, options: Options | None = None) -> Document:
    """Convert one newsletter (a PDF, or already-extracted text) into a Document.

    `path` may also be a `SourceFile` already read (`source.read_stdin()` for standard input).
    """
    return convert_with_pages(path, options).document


def convert_with_pages(
    path: str | Path | SourceFile, options: Options | None = None
) -> Conversion:
    """`convert`, keeping the pages as read (for outputs with word boxes)."""
    options = options or Options()
    lexicon = with_words(load_lexicon(), options.words)
    source = path if isinstance(path, SourceFile) else read_source(path)
    pages, info, repaired_by = _read_pages(source, options, lexicon)
    full_text = "\n".join(page.text for page in pages)
    language = detect_language(full_text)
    # Swedish word repairs only where Swedish is read, or where nothing else is recognised
    # (short or badly damaged text): French or English is never made "Swedish".
    swedish = language in ("sv", None)
    repaired, repairs = (
        _repair_pages(pages, full_text, lexicon, swedish=swedish)
        if options.repair
        else (pages, [])
    )
    if options.decisions:
        repaired, repairs = _review_pages(repaired, repairs, options.decisions, source.sha256)
    structure = segment(repaired)
    document = Document(
        tool=Tool(version=__version__),
        source=Source(
            path=source.path,
            sha256=source.sha256,
            bytes=len(source.data),
            pages=len(pages),
            media_type=source.media_type,
            repaired=repaired_by,
        ),
        metadata=detect_metadata(structure, info, language),
        pages=[_page_record(p) for p in repaired],
        sections=structure.sections,
        links=structure.links,
        repairs=repairs,
        text=structure.text,
    )
    return Conversion(document=document, pages=tuple(pages))


def _read_pages(
    source: SourceFile, options: Options, lexicon: Lexicon
) -> tuple[list[PageLayout], dict[str, str], str | None]:
    """The pages, the document info, and how the PDF was repaired to be read (or None)."""
    if source.media_type == "text/plain":
        return list(read_text_pages(decode_text(source))), {}, None
    data = None if source.on_disk else source.data
    content, data, repaired_by = _read_or_repair(source, options, data)
    pages = read_pages_best_way(source.path, content.pages, options, lexicon, data)
    if any(page.method == "ocr" for page in pages):
        pages = drop_running_furniture(pages, fuzzy=True)  # OCR'd pages' footers too
    return pages, content.info, repaired_by


def _read_or_repair(
    source: SourceFile, options: Options, data: bytes | None
) -> tuple[PdfContent, bytes | None, str | None]:
    """The PDF read as it is; failing that, a copy repaired by qpdf in memory (the input is
    never written). A refusal for size or nesting is not retried; when the repair does not help
    either, the first error stands. Returns what was read, the bytes to render its pages from
    (None: the file itself) and the repair's note."""
    try:
        return read_pdf(source.path, password=options.password, data=data), data, None
    except ResourceLimitError:
        raise
    except NotPdfError as first:
        if b"%PDF-" not in source.data[:1024]:
            raise
        try:
            fixed, note = repair_pdf(source.data, source.path, options.password)
            content = read_pdf(source.path, password=options.password, data=fixed)
        except NotPdfError:
            raise first from None
        return content, fixed, note


def _repair_pages(
    pages: list[PageLayout], full_text: str, lexicon: Lexicon, *, swedish: bool
) -> tuple[list[PageLayout], list[Repair]]:
    """Each page repaired; `full_text` (the pages' text joined) decides short pages."""
    repaired: list[PageLayout] = []
    records: list[Repair] = []
    # A short page says too little about whether its å/ä/ö were lost: the document decides.
    document_stripped: bool | None = None
    # the document's word pairs with å/ä/ö, for its OCR'd pages (made at the first one)
    phrases: frozenset[tuple[str, str]] | None = None
    numbered: bool | None = None  # whether it numbers its paragraphs with § (minutes, statutes)
    for page in pages:
        if not page.lines:  # a blank page ("".split gives one empty line, not none)
            repaired.append(page)
            continue
        text = page.text
        stripped = None
        if len(text.split()) < SHORT_PAGE_WORDS:
            if document_stripped is None:
                document_stripped = estimate_stripped(full_text, lexicon)
            stripped = document_stripped
        ocr = page.method == "ocr" or is_old_ocr_layer(page)  # an old layer: OCR's errors
        if ocr and phrases is None:
            phrases = document_phrases(full_text)
            numbered = numbered_paragraphs(full_text)
        result = repair_text(
            text,
            page=page.number,
            lexicon=lexicon,
            stripped=stripped,
            swedish=swedish,
            ocr=ocr,
            phrases=phrases or frozenset(),
            numbered=numbered,
        )
        # the repair keeps line breaks, so its lines map back one to one (strict: or fail loudly)
        lines = tuple(
            line if line.text == new else replace(line, text=new)
            for line, new in zip(page.lines, result.text.split("\n"), strict=True)
        )
        repaired.append(replace(page, lines=lines))
        records.extend(Repair(**r._asdict()) for r in result.records)
    return repaired, records


def _review_pages(
    pages: list[PageLayout], repairs: list[Repair], decisions: tuple[Decision, ...], sha256: str
) -> tuple[list[PageLayout], list[Repair]]:
    """The reviewer's decisions on this input applied to its repaired pages; each page's
    `review` records follow its own (so every page's records still replay in order)."""
    reviewed: list[PageLayout] = []
    records: list[Repair] = []
    for page in pages:
        own = [r for r in repairs if r.page == page.number]
        result = review_page(page.text, own, decisions, sha256, page.number)
        if result.text != page.text:
            lines = tuple(
                line if line.text == new else replace(line, text=new)
                for line, new in zip(page.lines, result.text.split("\n"), strict=True)
            )
            page = replace(page, lines=lines)
        reviewed.append(page)
        records.extend(own)
        records.extend(Repair(**r._asdict()) for r in result.records)
    numbers = {page.number for page in pages}
    records.extend(r for r in repairs if r.page not in numbers)  # none expected
    return reviewed, records


def _page_record(page: PageLayout) -> Page:
    return Page(
        number=page.number,
        method=page.method,
        reason=page.reason,
        quality=round(page.quality, 3),
        ocr_confidence=None if page.ocr_confidence is None else round(page.ocr_confidence, 3),
        width=page.width,
        height=page.height,
    )
