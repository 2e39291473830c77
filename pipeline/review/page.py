"""What a reviewer is shown: the uncertain repairs of one or more output documents, each with
its place in the text and a crop of the page image around it.

An item is a repair record that is a suggestion (not applied) or an applied repair below
`REVIEW_BELOW` confidence; items run most uncertain first. Each item is placed by its own record:
the input PDF (the document's `source.path`, or that path under `inputs`) is read again as the
conversion read it (`convert_with_pages`: OCR too, on pages the document says were OCR'd), the
page's records are replayed on that text and its characters traced to their boxes
(`outputs.wordboxes`), and the record's word is followed to where it stands in the repaired page
(`apply.where_now`): its context is the page's text around that place, its crop (pypdfium2) the
page around the boxes of that word's letters. So of two `lanet` on a page, each item shows its
own. When the input is not found or does not read as the records say (another tool version),
the item falls back to the first block of its page that holds the word, and the crop to the
word's first match in the text layer (pdfplumber), else that block.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PipelineError, ReviewFileError
from ..source import file_sha256
from .decisions import item_id

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left

#: Applied repairs below this confidence are listed too. The apply threshold is 0.6; a repair
#: between 0.6 and 0.9 is applied on a narrow margin (two readings of like frequency, a short
#: word), and these are where a wrong change hides.
REVIEW_BELOW = 0.9
#: The resolution of the crops, and the margin around the word's box (PDF points).
CROP_DPI = 110
MARGIN_X, MARGIN_Y = 140.0, 28.0
#: The box shown when neither the word nor its block is found: the page's head, full width.
TOP_OF_PAGE = (0.0, 0.0, 1e6, 92.0)
CONTEXT = 70  # characters of the text on either side of the word


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    document: str  # the input's sha256
    path: str  # the input as the document names it
    page: int
    offset: int
    stage: str
    before: str
    after: str
    reason: str
    confidence: float
    applied: bool
    left: str  # the text before the word and after it, in its block
    right: str
    crop: str | None  # a data: URL of a PNG, or None when the page could not be rendered

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


#: Pages below this reading quality or OCR word confidence are listed to look at as a whole.
PAGE_BELOW = 0.8
#: What a page's triage reason says when part of the page was not read (the tool's own words).
PAGE_WARNINGS = ("left out", "not read with OCR", "OCR found no text")
THUMBNAIL_DPI = 40


@dataclass(frozen=True, slots=True)
class PageItem:
    """A page to look at as a whole: no record to decide on, a reason to doubt its reading."""

    document: str
    path: str
    page: int
    method: str
    reason: str
    quality: float
    ocr_confidence: float | None
    image: str | None  # a data: URL of the whole page, small


def page_items(documents: list[dict[str, Any]], below: float = PAGE_BELOW,
               inputs: Path | None = None) -> list[PageItem]:
    """Pages read poorly (quality or OCR confidence below `below`) or whose triage reason says
    part of them was not read; worst first."""
    items = []
    for document in documents:
        sha, path = document["source"]["sha256"], document["source"]["path"]
        pdf = input_pdf(document, inputs)
        for page in document.get("pages", []):
            confidence = page.get("ocr_confidence")
            if not (page["quality"] < below or (confidence is not None and confidence < below)
                    or any(w in page["reason"] for w in PAGE_WARNINGS)):
                continue
            image = _render(pdf, page["number"], None, THUMBNAIL_DPI) if pdf else None
            items.append(PageItem(sha, path, page["number"], page["method"], page["reason"],
                                  page["quality"], confidence, image))
    return sorted(items, key=lambda i: (min(i.quality, i.ocr_confidence or 1.0), i.path, i.page))


def read_documents(path: Path) -> list[dict[str, Any]]:
    """The output documents of `path`: one JSON file, or every *.json under a batch's folder."""
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    documents = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            if path.is_dir():
                continue  # not one of ours
            raise ReviewFileError(f"{file}: not an output JSON: {exc}") from exc
        if isinstance(data, dict) and "repairs" in data and "source" in data:
            documents.append(data)
    if not documents:
        raise ReviewFileError(f"{path}: no output JSON of newsletter convert or batch")
    return documents


def review_items(documents: list[dict[str, Any]], below: float = REVIEW_BELOW,
                 inputs: Path | None = None) -> list[Item]:
    """The items of `documents`, most uncertain first (then by document, page and offset).
    `inputs`: the folder the inputs' `source.path` are relative to (a batch's INPUT_DIR)."""
    items = []
    for document in documents:
        sha, path = document["source"]["sha256"], document["source"]["path"]
        blocks = [b for s in document.get("sections", []) for b in s.get("blocks", [])]
        pdf = input_pdf(document, inputs)
        listed = [k for k, r in enumerate(document["repairs"]) if not (
            r["stage"] == "review" or (r["applied"] and r["confidence"] >= below))]
        places = _places(document, pdf) if pdf and listed else {}
        for k in listed:
            r = document["repairs"][k]
            word = r["after"] if r["applied"] else r["before"]
            place = places.get(k)
            if place is not None:
                left, right, box = place
                crop = _render(pdf, r["page"], box or TOP_OF_PAGE, CROP_DPI) if pdf else None
            else:
                block = next((b for b in blocks if b["page"] == r["page"] and word in b["text"]),
                             None)
                left, right = _context(block["text"] if block else "", word)
                crop = _crop(pdf, r["page"], r["before"], block) if pdf else None
            items.append(Item(
                id=item_id(sha, r["page"], r["offset"], r["before"], r["after"]), document=sha,
                path=path, page=r["page"], offset=r["offset"], stage=r["stage"],
                before=r["before"], after=r["after"], reason=r["reason"],
                confidence=r["confidence"], applied=r["applied"], left=left, right=right,
                crop=crop,
            ))
    return sorted(items, key=lambda i: (i.confidence, i.path, i.page, i.offset))


def input_pdf(document: dict[str, Any], inputs: Path | None = None) -> Path | None:
    """The input PDF of `document`: its `source.path` under `inputs` or as it is, when a file
    with the document's sha256 is there (else None)."""
    source = document["source"]
    if source.get("media_type") != "application/pdf":
        return None
    for candidate in ([inputs / source["path"]] if inputs else []) + [Path(source["path"])]:
        try:
            if candidate.is_file() and file_sha256(candidate) == source["sha256"]:
                return candidate
        except OSError:
            continue
    return None


def _places(document: dict[str, Any], pdf: Path) -> dict[int, tuple[str, str, Box | None]]:
    """For each record of `document` (by index) whose word is still in its page: the text
    before and after it on the page and the box of its letters. Empty when the input does not
    read again as the records say."""
    from ..convert import convert_with_pages
    from ..model import Repair
    from ..options import Options
    from ..outputs.wordboxes import trace_page
    from .apply import where_now

    ocr = any(p["method"] == "ocr" for p in document.get("pages", []))
    try:
        pages = convert_with_pages(pdf, Options(ocr="auto" if ocr else "never")).pages
        records = [Repair(**r) for r in document["repairs"]]
    except (PipelineError, TypeError, ValueError):  # a place is a help, never a failure
        return {}
    if [p.method for p in pages] != [p["method"] for p in document.get("pages", [])]:
        return {}
    places: dict[int, tuple[str, str, Box | None]] = {}
    for page in pages:
        own = [(k, r) for k, r in enumerate(records) if r.page == page.number]
        if not _replays(page.text, [r for _, r in own]):
            return {}
        trace = trace_page(page, [r for _, r in own])
        text = "".join(t.char for t in trace.chars)
        for j, (k, _) in enumerate(own):
            found = where_now([r for _, r in own], j, text)
            if found is None:
                continue
            at, word = found
            boxes = [t.glyph.box for t in trace.chars[at : at + len(word)]
                     if t.glyph is not None and t.glyph.box is not None]
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else None
            left = text[max(0, at - CONTEXT) : at].replace("\n", " ")
            right = text[at + len(word) : at + len(word) + CONTEXT].replace("\n", " ")
            places[k] = (left, right, box)
    return places


def _replays(text: str, records: list[Any]) -> bool:
    """Whether the applied `records` replay on `text` (the page as read)."""
    for r in records:
        if not r.applied:
            continue
        if text[r.offset : r.offset + len(r.before)] != r.before:
            return False
        text = text[: r.offset] + r.after + text[r.offset + len(r.before) :]
    return True


def _context(text: str, word: str) -> tuple[str, str]:
    at = text.find(word)
    if at < 0:
        return "", ""
    return text[max(0, at - CONTEXT) : at], text[at + len(word) : at + len(word) + CONTEXT]


def _crop(pdf: Path, page: int, printed: str, block: dict[str, Any] | None) -> str | None:
    """A PNG data URL of the page around the printed word (or its block), or None."""
    import pdfplumber

    if not pdf.is_file():
        return None
    box = None
    try:
        with pdfplumber.open(pdf) as doc:
            if 1 <= page <= len(doc.pages):
                found = doc.pages[page - 1].search(printed, regex=False, case=True)
                if found:
                    box = (found[0]["x0"], found[0]["top"], found[0]["x1"], found[0]["bottom"])
        if box is None and block is not None and block.get("bbox"):
            x0, top, x1, bottom = block["bbox"]
            box = (x0, top, x1, min(bottom, top + 60))
    except Exception:  # a crop is a help, never a failure of the review page
        return None
    return _render(pdf, page, box or TOP_OF_PAGE, CROP_DPI)


def _render(
    pdf: Path, page: int, box: tuple[float, float, float, float] | None, dpi: float
) -> str | None:
    """A PNG data URL of the page around `box` (with margins; None: the whole page), or None."""
    import pypdfium2 as pdfium

    if not pdf.is_file():
        return None
    try:
        document = pdfium.PdfDocument(str(pdf))
        try:
            pdf_page = document[page - 1]
            width, height = pdf_page.get_size()
            if box is None:
                left, upper, right, lower = 0.0, 0.0, width, height
            else:
                x0, top, x1, bottom = box
                left, right = max(0.0, x0 - MARGIN_X), min(width, x1 + MARGIN_X)
                upper, lower = max(0.0, top - MARGIN_Y), min(height, bottom + MARGIN_Y)
            image = pdf_page.render(
                scale=dpi / 72,
                crop=(left, height - lower, width - right, upper),  # from each edge, in points
            ).to_pil()
        finally:
            document.close()
    except Exception:  # a crop is a help, never a failure of the review page
        return None
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
