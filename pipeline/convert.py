"""Composes the stages: read, triage and OCR, repair, segment, assemble; nothing else."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .extract import read_pdf
from .furniture import drop_running_furniture
from .layout import PageLayout
from .lexicon import Lexicon, load_lexicon
from .metadata import detect_language, detect_metadata
from .model import Document, Page, Repair, Source, Tool
from .options import Options
from .repair import document_phrases, numbered_paragraphs, repair_text
from .repair.stripping import estimate_stripped
from .segment import segment
from .source import SourceFile, decode_text, read_source
from .textinput import read_text_pages
from .triage import is_old_ocr_layer, read_pages_best_way
from .version import __version__

SHORT_PAGE_WORDS = 150


def convert(path: str | Path, options: Options | None = None) -> Document:
    """Convert one newsletter (a PDF, or already-extracted text) into a Document."""
    options = options or Options()
    lexicon = load_lexicon()
    source = read_source(path)
    pages, info = _read_pages(source, options, lexicon)
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
    structure = segment(repaired)
    return Document(
        tool=Tool(version=__version__),
        source=Source(
            path=source.path,
            sha256=source.sha256,
            bytes=len(source.data),
            pages=len(pages),
            media_type=source.media_type,
        ),
        metadata=detect_metadata(structure, info, language),
        pages=[_page_record(p) for p in repaired],
        sections=structure.sections,
        links=structure.links,
        repairs=repairs,
        text=structure.text,
    )


def _read_pages(
    source: SourceFile, options: Options, lexicon: Lexicon
) -> tuple[list[PageLayout], dict[str, str]]:
    if source.media_type == "text/plain":
        return list(read_text_pages(decode_text(source))), {}
    content = read_pdf(source.path, password=options.password)
    pages = read_pages_best_way(source.path, content.pages, options, lexicon)
    if any(page.method == "ocr" for page in pages):
        pages = drop_running_furniture(pages, fuzzy=True)  # OCR'd pages' footers too
    return pages, content.info


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
