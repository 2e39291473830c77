"""ALTO 4.4 XML of a converted document: the repaired words at their boxes on the page.

One file per document. Layout: one `Page` per page (`PHYSICAL_IMG_NR` its number), a
`TextBlock` per block of the JSON (a heading, paragraph, list item, closing, signature or table
of contents entry; a block that runs onto the next page continues there, linked by `IDNEXT`),
with `TAGREFS` to a `StructureTag` saying which. A `TextLine` per printed line, a `String` per
word whose `CONTENT` is the repaired word; `WC` is Tesseract's word confidence on OCR'd pages.
A word the repair changed keeps what was read in an `ALTERNATIVE` whose `PURPOSE` names the
repair stages (``diacritics``, ``split``, …). A word joined over a line-end hyphen is two
`String`s (`SUBS_TYPE` HypPart1/HypPart2, `SUBS_CONTENT` the whole word) with the `HYP`.

Measurement unit: ``mm10`` (tenths of a millimetre) for the whole file, origin top-left of the
page, whatever the page's source: text-layer coordinates are PDF points, OCR boxes are
converted from the scan's pixels to points by the OCR stage, and both are written as points ×
254 / 72. Pages read from plain text have no geometry and get none.

The words in reading order (a HypPart1 read as its `SUBS_CONTENT`, its HypPart2 skipped) are the
words of the JSON's `text`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from ..convert import Conversion
from ..markers import item_prefix
from ..model import Document, Repair
from ..version import __version__
from .wordboxes import Box, PageTrace, Traced, place_words, tokens, trace_page

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/alto/v4/alto-4-4.xsd"
MM10_PER_POINT = 254 / 72
HYPHENS = "-\u2010\u00ad"
REPAIR_STAGES = "unicode, ligatures, hyphenation, glyphs, symbols, split, diacritics"

#: The StructureTag of each block type (headings get one per level)
_TAGS = {
    "paragraph": "paragraph",
    "list_item": "list item",
    "closing": "closing",
    "signature": "signature",
    "toc_entry": "table of contents entry",
    "table_row": "table row",
}


@dataclass(slots=True)
class _Piece:
    """A word, or the part of a word on one line."""

    content: str
    page: int
    line: int
    chars: list[Traced]
    subs: str | None = None  # the whole word, for a part
    part: int = 0  # 1 or 2 for the parts of a word broken over a line end
    hyphen: Box | None = None  # the line-end hyphen after part 1 (for HYP)
    at: Box | None = None  # where a word with no letters traced stands: after the word before


@dataclass(slots=True)
class _Segment:
    """One block's lines on one page."""

    block: int
    page: int
    tag: str
    lines: list[list[_Piece]] = field(default_factory=list)
    line_keys: list[int] = field(default_factory=list)


def to_alto(conversion: Conversion) -> str:
    """The ALTO 4.4 XML of a converted document (UTF-8 text, ending in a newline)."""
    traces, blocks, segments = _placed(conversion)
    return _write(conversion.document, conversion, traces, blocks, segments)


def placed_lines(conversion: Conversion) -> dict[int, list[list[list[tuple[str, Box]]]]]:
    """Page number -> its blocks -> their lines -> (word, box) in reading order: the repaired
    words at the boxes the ALTO gives them (points, origin top-left, inside the page). A word
    broken over a line end stands whole at its first part's box; a word with no box is left
    out."""
    _, _, segments = _placed(conversion)
    sizes = {p.number: (p.width, p.height) for p in conversion.pages}
    out: dict[int, list[list[list[tuple[str, Box]]]]] = defaultdict(list)
    for segment in segments:
        width, height = sizes.get(segment.page, (None, None))
        limit = (width, height) if width is not None and height is not None else None
        lines: list[list[tuple[str, Box]]] = []
        for line in segment.lines:
            words = []
            for piece in line:
                box = _clamp(_box(piece.chars) or piece.at, limit)
                if piece.part == 2 or box is None:
                    continue
                words.append((piece.subs or piece.content if piece.part else piece.content, box))
            if words:
                lines.append(words)
        if lines:
            out[segment.page].append(lines)
    return dict(out)


def _placed(
    conversion: Conversion,
) -> tuple[dict[int, PageTrace], list[tuple[str, int, str]], list[_Segment]]:
    document = conversion.document
    by_page: dict[int, list[Repair]] = defaultdict(list)
    for r in document.repairs:
        by_page[r.page].append(r)
    traces = {page.number: trace_page(page, by_page[page.number]) for page in conversion.pages}
    blocks = list(_blocks(document))
    words = [(b, w) for b, (_, _, text) in enumerate(blocks) for w in text.split()]
    found = [t for page in conversion.pages for t in tokens(traces[page.number])]
    mapped = place_words([w for _, w in words], found)
    return traces, blocks, _segments(blocks, words, mapped, traces)


def _blocks(document: Document) -> Iterator[tuple[str, int, str]]:
    """(structure tag id, page, text) of each heading and block, in the order of `text`."""
    items: list[tuple[str, int, str]] = []
    for section in document.sections:
        if section.heading is not None:
            items.append((f"heading-{section.level or 1}", section.page, section.heading))
        for block in section.blocks:
            text = (item_prefix(block.text) if block.type == "list_item" else "") + block.text
            items.append((block.type.replace("_", "-"), block.page, text))
    parts = document.text.split("\n\n") if document.text else []
    if len(parts) == len(items):  # a table of contents entry's text is its words as printed
        items = [(tag, page, part) for (tag, page, _), part in zip(items, parts, strict=True)]
    yield from items


def _segments(
    blocks: Sequence[tuple[str, int, str]],
    words: Sequence[tuple[int, str]],
    mapped: Sequence[list[Traced | None]],
    traces: dict[int, PageTrace],
) -> list[_Segment]:
    placed = [
        _pieces(word, letters, traces) for (_, word), letters in zip(words, mapped, strict=True)
    ]
    segments: list[_Segment] = []
    for k, ((b, word), pieces) in enumerate(zip(words, placed, strict=True)):
        if not pieces:  # nothing traced (a symbol the repair restored): beside a neighbour
            pieces = [_beside(word, k, words, placed, blocks[b][1])]
        for piece in pieces:
            current = segments[-1] if segments else None
            if current is None or current.block != b or current.page != piece.page:
                current = _Segment(b, piece.page, blocks[b][0])
                segments.append(current)
            if not current.line_keys or current.line_keys[-1] != piece.line:
                current.lines.append([])
                current.line_keys.append(piece.line)
            current.lines[-1].append(piece)
    return segments


def _beside(
    word: str,
    k: int,
    words: Sequence[tuple[int, str]],
    placed: Sequence[list[_Piece]],
    page: int,
) -> _Piece:
    """A word with no letters traced, placed with no width before the next word of its block
    (on that word's line), or else after the word before it."""
    block = words[k][0]
    for n in range(k + 1, len(words)):
        if words[n][0] != block:
            break
        if placed[n]:
            first = placed[n][0]
            box = _box(first.chars)
            at = None if box is None else (box[0], box[1], box[0], box[3])
            return _Piece(word, first.page, first.line, [], at=at)
    for n in range(k - 1, -1, -1):
        if placed[n]:
            last = placed[n][-1]
            box = _box(last.chars)
            at = None if box is None else (box[2], box[1], box[2], box[3])
            return _Piece(word, last.page, last.line, [], at=at)
    return _Piece(word, page, -1, [])


def _pieces(
    word: str, letters: Sequence[Traced | None], traces: dict[int, PageTrace]
) -> list[_Piece]:
    """The word at its place: one piece, or two when its letters were read on two lines."""
    groups: list[tuple[tuple[int, int], int, list[Traced]]] = []  # (page, line), start, letters
    for k, t in enumerate(letters):
        if t is None or t.glyph is None:
            if groups and t is not None:
                groups[-1][2].append(t)
            continue
        key = (t.glyph.page, t.glyph.line)
        if not groups or groups[-1][0] != key:
            groups.append((key, k, []))
        groups[-1][2].append(t)
    if not groups:
        return []
    (page, line), _, _ = groups[0]
    if len(groups) == 2 and groups[1][0] > groups[0][0]:
        (page2, line2), cut, _ = groups[1]
        head, tail = word[:cut], word[cut:]
        if head and tail:
            hyphen = _hyphen_after(groups[0][2], traces)
            if head[-1] in HYPHENS and hyphen is None:
                box = _box(groups[0][2][-1:])
                head, hyphen = head[:-1], box
            if head:
                return [
                    _Piece(head, page, line, groups[0][2], word, 1, hyphen),
                    _Piece(tail, page2, line2, groups[1][2], word, 2),
                ]
    first = [t for _, _, chars in groups[:1] for t in chars]
    return [_Piece(word, page, line, first)]


def _hyphen_after(chars: list[Traced], traces: dict[int, PageTrace]) -> Box | None:
    """The box of the line-end hyphen read right after these letters, if one was."""
    glyph = next((t.glyph for t in reversed(chars) if t.glyph is not None), None)
    if glyph is None:
        return None
    trace = traces[glyph.page]
    nxt = glyph.offset + 1
    if nxt < len(trace.read) and trace.read[nxt] in HYPHENS:
        if nxt + 1 == len(trace.read) or trace.read[nxt + 1] == "\n":
            return trace.glyphs[nxt].box
    return None


def _box(chars: Sequence[Traced]) -> Box | None:
    boxes = [t.glyph.box for t in chars if t.glyph is not None and t.glyph.box is not None]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _union(boxes: Sequence[Box | None]) -> Box | None:
    known = [b for b in boxes if b is not None]
    if not known:
        return None
    return (
        min(b[0] for b in known),
        min(b[1] for b in known),
        max(b[2] for b in known),
        max(b[3] for b in known),
    )


# --- writing ---------------------------------------------------------------------------------


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _write(
    document: Document,
    conversion: Conversion,
    traces: dict[int, PageTrace],
    blocks: Sequence[tuple[str, int, str]],
    segments: Sequence[_Segment],
) -> str:
    root = etree.Element(f"{{{NS}}}alto", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("SCHEMAVERSION", "4.4")
    _description(root, document, conversion)
    used = sorted({tag for tag, _, _ in blocks}, key=_tag_order)
    if used:
        tags = _e(root, "Tags")
        for tag in used:
            _e(tags, "StructureTag", ID=tag, TYPE=_tag_type(tag), LABEL=_tag_label(tag))
    layout = _e(root, "Layout")
    sizes = {p.number: (p.width, p.height) for p in conversion.pages}
    by_page: dict[int, list[tuple[int, _Segment]]] = defaultdict(list)
    for n, segment in enumerate(segments):
        by_page[segment.page].append((n, segment))
    following = _following(segments)
    for page in document.pages:
        width, height = sizes.get(page.number, (None, None))
        attrs = {"ID": f"P{page.number}", "PHYSICAL_IMG_NR": str(page.number)}
        if width is not None and height is not None:
            attrs["HEIGHT"] = _num(height)
            attrs["WIDTH"] = _num(width)
        if page.ocr_confidence is not None:
            attrs["PC"] = f"{page.ocr_confidence:.3f}"
        element = _e(layout, "Page", **attrs)
        limit = (width, height) if width is not None and height is not None else None
        space = _e(element, "PrintSpace", **_position((0.0, 0.0, *limit)) if limit else {})
        for n, segment in by_page.get(page.number, []):
            _text_block(space, n, segment, following.get(n), limit, traces)
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml.decode("utf-8")


def _following(segments: Sequence[_Segment]) -> dict[int, int]:
    """Segment number -> the number of the same block's next segment (on a later page)."""
    last: dict[int, int] = {}
    out: dict[int, int] = {}
    for n, segment in enumerate(segments):
        if segment.block in last:
            out[last[segment.block]] = n
        last[segment.block] = n
    return out


def _text_block(
    space: etree._Element,
    n: int,
    segment: _Segment,
    following: int | None,
    limit: tuple[float, float] | None,
    traces: dict[int, PageTrace],
) -> None:
    lines = [[(p, _clamp(_box(p.chars) or p.at, limit)) for p in line] for line in segment.lines]
    line_boxes = [_union([b for _, b in line]) for line in lines]
    attrs = {"ID": f"TB{n + 1}"}
    attrs.update(_position(_union(line_boxes)))
    attrs["TAGREFS"] = segment.tag
    if following is not None:
        attrs["IDNEXT"] = f"TB{following + 1}"
    block = _e(space, "TextBlock", **attrs)
    for k, (line, box) in enumerate(zip(lines, line_boxes, strict=True)):
        text_line = _e(block, "TextLine", ID=f"TB{n + 1}_L{k + 1}", **_position(box))
        for s, (piece, piece_box) in enumerate(line):
            if s:
                _e(text_line, "SP", **_space(line[s - 1][1], piece_box))
            _string(text_line, piece, piece_box, traces)
        last = line[-1][0]
        if last.part == 1 and last.hyphen is not None:
            _e(text_line, "HYP", CONTENT="-", **_position(_clamp(last.hyphen, limit)))


def _string(
    parent: etree._Element, piece: _Piece, box: Box | None, traces: dict[int, PageTrace]
) -> None:
    attrs = {"CONTENT": piece.content}
    attrs.update(_position(box))
    confs = [t.glyph.conf for t in piece.chars if t.glyph is not None and t.glyph.conf is not None]
    if confs:
        attrs["WC"] = f"{min(confs):.3f}"
    if piece.part:
        attrs["SUBS_TYPE"] = f"HypPart{piece.part}"
        attrs["SUBS_CONTENT"] = piece.subs or piece.content
    element = _e(parent, "String", **attrs)
    stages: list[str] = []
    for t in piece.chars:
        stages.extend(s for s in t.stages if s not in stages)
    if stages:
        read = _read(piece, traces)
        if read and read != piece.content:
            _e(element, "ALTERNATIVE", read, PURPOSE=" ".join(stages))


def _read(piece: _Piece, traces: dict[int, PageTrace]) -> str:
    """What was read where the piece stands: the whole word(s) its letters were read in."""
    glyphs = [t.glyph for t in piece.chars if t.glyph is not None]
    if not glyphs:
        return ""
    text = traces[glyphs[0].page].read
    start, end = min(g.offset for g in glyphs), max(g.offset for g in glyphs)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end + 1 < len(text) and not text[end + 1].isspace():
        end += 1
    read = text[start : end + 1]
    if piece.part == 1 and read[-1:] in HYPHENS:
        read = read[:-1]
    return read


def _space(before: Box | None, after: Box | None) -> dict[str, str]:
    if before is None or after is None or after[0] < before[2]:
        return {}
    return _position((before[2], min(before[1], after[1]), after[0], max(before[3], after[3])))


def _clamp(box: Box | None, limit: tuple[float, float] | None) -> Box | None:
    if box is None or limit is None:
        return box
    width, height = limit
    x0, top, x1, bottom = box
    x0, x1 = min(max(x0, 0.0), width), min(max(x1, 0.0), width)
    top, bottom = min(max(top, 0.0), height), min(max(bottom, 0.0), height)
    return (x0, top, max(x0, x1), max(top, bottom))


def _position(box: Box | None) -> dict[str, str]:
    """HPOS, VPOS, WIDTH, HEIGHT in mm10 (rounded inwards: the box stays inside its page)."""
    if box is None:
        return {}
    x0, top, x1, bottom = box
    h, v = math.ceil(x0 * MM10_PER_POINT - 1e-6), math.ceil(top * MM10_PER_POINT - 1e-6)
    r, b = math.floor(x1 * MM10_PER_POINT + 1e-6), math.floor(bottom * MM10_PER_POINT + 1e-6)
    return {
        "HEIGHT": str(max(b - v, 0)),
        "WIDTH": str(max(r - h, 0)),
        "HPOS": str(h),
        "VPOS": str(v),
    }


def _num(points: float) -> str:
    return str(math.floor(points * MM10_PER_POINT + 1e-6))


def _tag_order(tag: str) -> tuple[int, str]:
    order = ["heading", "paragraph", "list-item", "closing", "signature", "toc-entry"]
    kind = tag.split("-")[0] if tag.startswith("heading") else tag
    return (order.index(kind) if kind in order else len(order), tag)


def _tag_type(tag: str) -> str:
    return "heading" if tag.startswith("heading-") else tag


def _tag_label(tag: str) -> str:
    if tag.startswith("heading-"):
        return f"heading, level {tag.removeprefix('heading-')}"
    return _TAGS.get(tag.replace("-", "_"), tag)


def _description(root: etree._Element, document: Document, conversion: Conversion) -> None:
    description = _e(root, "Description")
    _e(description, "MeasurementUnit", "mm10")
    info = _e(description, "sourceImageInformation")
    _e(info, "fileName", document.source.path)
    ocr_pages = [p.number for p in document.pages if p.method == "ocr"]
    layer_pages = [p.number for p in document.pages if p.method == "text-layer"]
    steps = []
    if document.source.media_type == "text/plain":
        steps.append("text read from an already-extracted text file (no geometry)")
    else:
        if layer_pages:
            steps.append(f"text layer read with pdfplumber: pages {_pages(layer_pages)}")
        if ocr_pages:
            steps.append(f"OCR with Tesseract: pages {_pages(ocr_pages)}")
    applied = sum(1 for r in document.repairs if r.applied)
    steps.append(
        f"repair of OCR and extraction damage ({REPAIR_STAGES}): {applied} changes; a changed "
        "word keeps what was read in ALTERNATIVE, PURPOSE naming the stages"
    )
    steps.append("segmentation into headings, paragraphs, list items, closings and signatures")
    step = _e(description, "Processing", ID="newsletter-pipeline")
    _e(step, "processingCategory", "contentGeneration")
    for text in steps:
        _e(step, "processingStepDescription", text)
    _e(step, "processingStepSettings",
       "MeasurementUnit mm10 = PDF points x 254/72, origin top-left of the page")
    software = _e(step, "processingSoftware")
    _e(software, "softwareName", "newsletter-pipeline")
    _e(software, "softwareVersion", document.tool.version or __version__)
    if ocr_pages:
        tesseract = _e(description, "Processing", ID="tesseract")
        _e(tesseract, "processingCategory", "contentGeneration")
        _e(tesseract, "processingStepDescription",
           f"optical character recognition of pages {_pages(ocr_pages)}")
        software = _e(tesseract, "processingSoftware")
        _e(software, "softwareName", "Tesseract")
        _e(software, "softwareVersion", tesseract_version())


def _pages(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version())
    except Exception:  # noqa: BLE001 - the version is a note; its absence is not an error
        return "unknown"
