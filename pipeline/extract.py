"""Extract stage: a PDF's text layer, read with pdfplumber, as pages of lines in reading order.

The only module that touches pdfplumber and pdfminer. Per page: words with size and weight,
fake-bold duplicate characters removed, columns ordered (`columns`), tagged-PDF roles from the
structure tree, URI link annotations with the words they cover, and what triage needs to judge
the layer (`PageSignals`). Across pages: running headers, footers and page numbers are taken out
of the flow (`furniture`). Every pdfminer/pdfplumber failure becomes a `PipelineError`.

A page that fails to parse inside an otherwise readable PDF comes out empty (no lines, no
signals), so triage sees no text and may OCR it; a PDF none of whose pages parse is refused.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from .columns import layout_lines
from .errors import EncryptedPdfError, InputNotReadableError, NotPdfError, ResourceLimitError
from .furniture import drop_running_furniture
from .layout import Line, LinkArea, PageLayout, PageSignals, Word

BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi")
STYLE_MARKERS = (*BOLD_MARKERS, "regular", "roman", "book", "light", "medium", "italic",
                 "oblique")  # a weight or style in the name: the name says enough
WIDER_IF_BOLD = 1.015  # bold glyphs run ~2 % wider than the same family's regular ones
INVISIBLE_RENDER_MODES = (3, 7)  # neither filled nor stroked (7: clipping only)
DUPLICATE_TOLERANCE = 1.0  # points: a same char this close to another is a fake-bold copy
ROLES = {"H", "H1", "H2", "H3", "H4", "H5", "H6", "P", "LI", "Lbl", "Title"}
INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "CreationDate", "ModDate", "Creator",
             "Producer")

# Typographic ligatures (U+FB00..U+FB06) are unfolded; other compatibility characters
# (½, ², ℃) keep their form, so only these go through NFKC.
_LIGATURES = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)}
# A spacing accent extracted as its own character next to its letter ("a¨" for "ä", common in
# LaTeX and some Word output) becomes the combining accent, which NFC then composes.
_SPACING_ACCENTS = {
    "\u00a8": "\u0308",  # diaeresis
    "\u02da": "\u030a",  # ring above
    "\u00b4": "\u0301",  # acute
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
}
# Vowels only: "HSB´s" is an apostrophe, not "HSBś".
_ACCENT_BEFORE = re.compile("([\u00a8\u02da\u00b4\u02c6\u02dc])([AEIOUYaeiouy])")
# After its letter only the unambiguous two: "go´fika" is an apostrophe, not "gófika".
_ACCENT_AFTER = re.compile("([AEIOUaeiou])([\u00a8\u02da])")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True, slots=True)
class PdfContent:
    pages: tuple[PageLayout, ...]
    info: dict[str, str] = field(default_factory=dict)  # document info: Title, CreationDate...


def read_pdf(
    path: str | Path, password: str | None = None, *, max_pages: int | None = None
) -> PdfContent:
    """Read a PDF's text layer: pages of lines in reading order, links, signals, document info.

    Raises EncryptedPdfError when a password is needed (or wrong), NotPdfError when the file is
    not a readable PDF or has no pages, InputNotReadableError when it cannot be opened.
    """
    try:
        pdf = pdfplumber.open(
            Path(path), password=password or "", raise_unicode_errors=False
        )
    except PdfminerException as exc:
        raise _translate(exc.args[0] if exc.args else exc, path) from exc
    except OSError as exc:
        raise InputNotReadableError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except RecursionError as exc:
        raise ResourceLimitError(f"{path}: nested too deeply to read safely") from exc
    except Exception as exc:  # noqa: BLE001  pdfminer raises many kinds on hostile input
        raise NotPdfError(f"{path}: not a readable PDF ({type(exc).__name__})") from exc
    try:
        info = _document_info(pdf)
        pages, failed = _read_pages(pdf, path, max_pages)
    except PdfminerException as exc:
        raise _translate(exc.args[0] if exc.args else exc, path) from exc
    except RecursionError as exc:
        raise ResourceLimitError(f"{path}: nested too deeply to read safely") from exc
    except (MemoryError, EncryptedPdfError, NotPdfError):
        raise
    except Exception as exc:  # noqa: BLE001
        raise NotPdfError(f"{path}: not a readable PDF ({type(exc).__name__})") from exc
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001, S110  closing a broken file must not hide the cause
            pass
    if not pages:
        raise NotPdfError(f"{path}: the PDF has no pages")
    if failed == len(pages):
        raise NotPdfError(f"{path}: no page of the PDF can be read")
    return PdfContent(pages=tuple(drop_running_furniture(pages)), info=info)


def _translate(exc: BaseException, path: str | Path) -> Exception:
    if isinstance(exc, PDFPasswordIncorrect):
        return EncryptedPdfError(f"{path}: encrypted: give the password with --password")
    if isinstance(exc, PDFEncryptionError):
        return EncryptedPdfError(f"{path}: encrypted with an unsupported method ({exc})")
    if isinstance(exc, RecursionError):
        return ResourceLimitError(f"{path}: nested too deeply to read safely")
    return NotPdfError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})"[:300])


def _read_pages(
    pdf: pdfplumber.PDF, path: str | Path, max_pages: int | None
) -> tuple[list[PageLayout], int]:
    tagged = _is_tagged(pdf)
    pages: list[PageLayout] = []
    failed = 0
    for page in _iter_pages(pdf, max_pages):
        try:
            pages.append(_read_page(page, tagged))
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception:  # noqa: BLE001  a broken page degrades to an empty one
            failed += 1
            pages.append(_empty_page(page))
        finally:
            page.close()
    return pages, failed


def _iter_pages(pdf: pdfplumber.PDF, max_pages: int | None) -> Iterator[Page]:
    if max_pages is not None:
        pdf.pages_to_parse = range(1, max_pages + 1)  # type: ignore[assignment]
    yield from pdf.pages


def _empty_page(page: Page) -> PageLayout:
    width, height, rotation = _page_geometry(page)
    return PageLayout(
        number=page.page_number,
        width=width,
        height=height,
        lines=(),
        signals=PageSignals(rotation=rotation),
    )


def _page_geometry(page: Page) -> tuple[float | None, float | None, int]:
    try:
        return round(float(page.width), 2), round(float(page.height), 2), int(page.rotation)
    except Exception:  # noqa: BLE001
        return None, None, 0


# --- one page ----------------------------------------------------------------------------------


class _InkCountingAggregator(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's page device, also counting characters drawn in an invisible render mode.

    pdfminer does not keep the text render mode on its characters, so it is counted here, where
    the text state is still at hand.
    """

    invisible_chars = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.declared_bold: dict[str, bool] = {}  # font name -> its descriptor says bold

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        font = textstate.font
        if font is not None and font.fontname not in self.declared_bold:
            self.declared_bold[str(font.fontname)] = _declared_bold(font)
        before = len(self.cur_item._objs)
        super().render_string(textstate, seq, ncs, graphicstate)
        if textstate.render in INVISIBLE_RENDER_MODES:
            self.invisible_chars += len(self.cur_item._objs) - before


def _declared_bold(font: Any) -> bool:
    """The font descriptor's weight (>= 600) or its ForceBold flag."""
    try:
        descriptor = font.descriptor or {}
        weight = descriptor.get("FontWeight")
        flags = descriptor.get("Flags")
        return (isinstance(weight, int | float) and weight >= 600) or (
            isinstance(flags, int) and bool(flags & (1 << 18))
        )
    except Exception:  # noqa: BLE001
        return False


def _lay_out(page: Page) -> tuple[int, dict[str, bool]]:
    """Parse the page's content (as `page.layout` would): invisible chars, declared-bold fonts."""
    device = _InkCountingAggregator(
        page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams
    )
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    page._layout = device.get_result()
    return device.invisible_chars, device.declared_bold


def _read_page(page: Page, tagged: bool) -> PageLayout:
    invisible, declared_bold = _lay_out(page)
    width, height, rotation = _page_geometry(page)
    chars = page.chars
    bad = sum(1 for c in chars if _is_bad_glyph(c["text"]))
    signals = PageSignals(
        chars=len(chars),
        invisible_chars=min(invisible, len(chars)),
        bad_glyphs=bad,
        image_coverage=_image_coverage(page.images, width or 0.0, height or 0.0),
        rotation=rotation,
    )
    bold_fonts = _bold_fonts(chars, declared_bold)
    roles = _mcid_roles(page) if tagged else {}
    extra = ["size", "fontname", "mcid"] if roles else ["size", "fontname"]
    raw_words = WordExtractor(
        extra_attrs=extra, use_text_flow=False, keep_blank_chars=False
    ).extract_words(_without_duplicates(chars))
    words: list[Word] = []
    word_roles: list[str | None] = []
    for w in raw_words:
        if not w.get("upright", True):
            continue  # rotated margin text: not part of the reading flow
        text = normalize_text(w["text"])
        if not text:
            continue
        words.append(
            Word(
                text=text,
                x0=round(float(w["x0"]), 2),
                top=round(float(w["top"]), 2),
                x1=round(float(w["x1"]), 2),
                bottom=round(float(w["bottom"]), 2),
                size=round(float(w["size"]), 2),
                bold=str(w.get("fontname", "")) in bold_fonts,
            )
        )
        word_roles.append(roles.get(w["mcid"]) if roles and w.get("mcid") is not None else None)
    lines = tuple(
        _make_line([words[i] for i in line], [word_roles[i] for i in line], block)
        for block, line in layout_lines(words)
    )
    return PageLayout(
        number=page.page_number,
        width=width,
        height=height,
        lines=lines,
        links=_links(page, words),
        signals=signals,
    )


def _make_line(words: list[Word], roles: list[str | None], block: int) -> Line:
    chars = [len(w.text) for w in words]
    bold_chars = sum(n for w, n in zip(words, chars, strict=True) if w.bold)
    role_weight: Counter[str] = Counter()
    for role, n in zip(roles, chars, strict=True):
        if role is not None:
            role_weight[role] += n
    role = max(sorted(role_weight), key=lambda r: role_weight[r]) if role_weight else None
    return Line(
        text=" ".join(w.text for w in words),
        x0=min(w.x0 for w in words),
        top=min(w.top for w in words),
        x1=max(w.x1 for w in words),
        bottom=max(w.bottom for w in words),
        size=round(float(median(w.size for w in words)), 2),
        bold=2 * bold_chars > sum(chars),
        block=block,
        role=role,
        words=tuple(words),
    )


def is_bold(fontname: str) -> bool:
    """Whether a PDF font name names a bold weight.

    >>> is_bold("ABCDEF+Calibri-Bold"), is_bold("Arial,Bold"), is_bold("MinionPro-Semibold")
    (True, True, True)
    >>> is_bold("TimesNewRomanPSMT"), is_bold("Helvetica-Oblique")
    (False, False)
    """
    name = fontname.lower()
    return any(marker in name for marker in BOLD_MARKERS)


def _bold_fonts(chars: list[dict[str, Any]], declared: dict[str, bool]) -> set[str]:
    """Names of the page's bold fonts: by name, by descriptor, or wider than their family's body.

    Some producers (macOS PDFKit) name subset fonts "AAAAAB+font0000..." with no weight in the
    name or descriptor; a bold cut of the same family then shows as glyphs about 2 % wider than
    the body font's at the same size.
    """
    names = {str(c.get("fontname", "")) for c in chars}
    bold = {n for n in names if is_bold(n) or declared.get(n)}
    family: dict[str, list[str]] = {}
    for n in sorted(names - bold):
        if not any(m in n.lower() for m in STYLE_MARKERS):
            family.setdefault(n.split("+", 1)[-1], []).append(n)
    candidates = {n for members in family.values() if len(members) > 1 for n in members}
    if not candidates:
        return bold
    widths: dict[tuple[str, str], list[float]] = {}
    counts: Counter[str] = Counter()
    for c in chars:
        name = c.get("fontname")
        if name in candidates and c["text"].isalpha() and c.get("size"):
            widths.setdefault((name, c["text"]), []).append(float(c["width"]) / float(c["size"]))
            counts[name] += 1
    for members in family.values():
        if len(members) < 2:
            continue
        body = max(members, key=lambda n: (counts[n], n))
        for other in members:
            ratios = [
                sum(widths[(other, t)]) / len(widths[(other, t)])
                / (sum(widths[(body, t)]) / len(widths[(body, t)]))
                for (n, t) in widths
                if n == other and (body, t) in widths
            ]
            if other != body and len(ratios) >= 8 and sum(ratios) / len(ratios) >= WIDER_IF_BOLD:
                bold.add(other)
    return bold


def normalize_text(text: str) -> str:
    """NFC, ligatures unfolded, spacing accents next to their letter composed.

    >>> normalize_text("ﬁnns a\u0308ven ½")
    'finns även ½'
    >>> normalize_text("\u00a8overs\u00a8atta go\u00b4fika")
    'översätta go\u00b4fika'
    """
    if text.isascii() and text.isprintable():
        return text
    text = text.translate(_LIGATURES)
    if not text.isprintable():  # U+0000 for an unmapped bullet glyph, stray controls
        text = "".join(ch for ch in text if ch.isprintable())
    if any(ch in _SPACING_ACCENTS for ch in text):
        text = _ACCENT_BEFORE.sub(lambda m: _compose(m.group(2), m.group(1), m.group(0)), text)
        text = _ACCENT_AFTER.sub(lambda m: _compose(m.group(1), m.group(2), m.group(0)), text)
    return unicodedata.normalize("NFC", text)


def _compose(letter: str, accent: str, original: str) -> str:
    """The precomposed letter, when Unicode has one ("a" + "¨" -> "ä"); else unchanged."""
    composed = unicodedata.normalize("NFC", letter + _SPACING_ACCENTS[accent])
    return composed if len(composed) == 1 else original


def _is_bad_glyph(text: str) -> bool:
    if len(text) == 1:
        cp = ord(text)
        return 0xE000 <= cp <= 0xF8FF or cp == 0xFFFD
    return text.startswith("(cid:") or any(
        0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd" for ch in text
    )


def _without_duplicates(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's characters without fake-bold copies (same glyph, font and size, within 1 pt).

    One pass with a hash of coarse positions: pdfplumber's own `dedupe_chars` is quadratic.
    """
    cell = 2 * DUPLICATE_TOLERANCE
    seen: dict[tuple[Any, ...], list[tuple[float, float]]] = {}
    kept: list[dict[str, Any]] = []
    dropped = False
    for c in chars:
        x, y = float(c["x0"]), float(c["doctop"])
        cx, cy = int(x // cell), int(y // cell)
        ident = (c["text"], c.get("fontname"), c.get("size"), c.get("upright"))
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for px, py in seen.get((*ident, cx + dx, cy + dy), ()):
                    if abs(px - x) <= DUPLICATE_TOLERANCE and abs(py - y) <= DUPLICATE_TOLERANCE:
                        duplicate = True
                        break
        if duplicate and not c["text"].isspace():
            dropped = True
            continue
        seen.setdefault((*ident, cx, cy), []).append((x, y))
        kept.append(c)
    return kept if dropped else chars


def _image_coverage(images: Sequence[dict[str, Any]], width: float, height: float) -> float:
    """Share of the page covered by images (their union, clipped to the page)."""
    if not images or width <= 0 or height <= 0:
        return 0.0
    boxes = []
    for im in images:
        x0, x1 = max(0.0, float(im["x0"])), min(width, float(im["x1"]))
        y0, y1 = max(0.0, float(im["top"])), min(height, float(im["bottom"]))
        if x1 > x0 and y1 > y0:
            boxes.append((x0, y0, x1, y1))
    if not boxes:
        return 0.0
    boxes = boxes[:200]  # a page of thousands of image tiles: the first ones tell enough
    xs = sorted({b[0] for b in boxes} | {b[2] for b in boxes})
    area = 0.0
    for left, right in zip(xs, xs[1:], strict=False):
        spans = sorted((b[1], b[3]) for b in boxes if b[0] <= left and b[2] >= right)
        covered, end = 0.0, float("-inf")
        for top, bottom in spans:
            if top > end:
                covered += bottom - top
                end = bottom
            elif bottom > end:
                covered += bottom - end
                end = bottom
        area += covered * (right - left)
    return round(min(1.0, area / (width * height)), 4)


# --- links -------------------------------------------------------------------------------------


def _links(page: Page, words: Sequence[Word]) -> tuple[LinkArea, ...]:
    try:
        annots = page.hyperlinks
    except Exception:  # noqa: BLE001  a malformed annotation must not cost the page's text
        return ()
    areas: list[LinkArea] = []
    for a in sorted(annots, key=lambda a: (float(a["top"]), float(a["x0"]))):
        url = a.get("uri")
        if not isinstance(url, str) or not url.strip():
            continue
        url = url.strip()
        box = tuple(round(float(a[k]), 2) for k in ("x0", "top", "x1", "bottom"))
        covered = [w for w in words if _inside(w, box)]
        text = _covered_text(covered, url)
        previous = areas[-1] if areas else None
        if previous is not None and previous.url == url and _adjacent(previous, box):
            areas[-1] = LinkArea(
                url=url,
                text=_join_parts(previous.text, text, url),
                x0=min(previous.x0, box[0]),
                top=min(previous.top, box[1]),
                x1=max(previous.x1, box[2]),
                bottom=max(previous.bottom, box[3]),
            )
            continue
        if any(x.url == url and (x.x0, x.top, x.x1, x.bottom) == box for x in areas):
            continue  # the same annotation twice
        areas.append(LinkArea(url=url, text=text, x0=box[0], top=box[1], x1=box[2], bottom=box[3]))
    return tuple(areas)


def _inside(w: Word, box: tuple[float, ...]) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _covered_text(words: list[Word], url: str) -> str:
    text = ""
    last_bottom: float | None = None
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if last_bottom is not None and w.top >= last_bottom - 1:
            text = _join_parts(text, w.text, url)  # a new line
        else:
            text = f"{text} {w.text}" if text else w.text
        last_bottom = w.bottom
    return text


def _join_parts(a: str, b: str, url: str) -> str:
    """Join two pieces of link text, without a space where together they spell the URL.

    >>> _join_parts("https://kommun.se/skola--", "barn/", "https://kommun.se/skola--barn/")
    'https://kommun.se/skola--barn/'
    >>> _join_parts("Läs mer", "här", "https://example.se")
    'Läs mer här'
    """
    if not a or not b:
        return a or b
    tail, head = a.rsplit(" ", 1)[-1], b.split(" ", 1)[0]
    if _in_url(tail + head, url):
        return a + b
    if tail.endswith("-") and _in_url(tail[:-1] + head, url):
        return a[:-1] + b
    return f"{a} {b}"


def _in_url(text: str, url: str) -> bool:
    text = text.rstrip(".,;:!?)]»”'\"")
    return len(text) > 3 and text.lower() in url.lower()


def _adjacent(previous: LinkArea, box: tuple[float, ...]) -> bool:
    height = max(previous.bottom - previous.top, box[3] - box[1], 1.0)
    return box[1] - previous.bottom <= height  # on the next line (or the same one)


# --- tags and document info --------------------------------------------------------------------


def _is_tagged(pdf: pdfplumber.PDF) -> bool:
    try:
        return "StructTreeRoot" in pdf.doc.catalog
    except Exception:  # noqa: BLE001
        return False


def _mcid_roles(page: Page) -> dict[int, str]:
    """Marked-content id -> the nearest structure role above it (H1, P, LI, Lbl ...)."""
    try:
        tree = page.structure_tree
    except Exception:  # noqa: BLE001  a broken structure tree: fall back to geometry
        return {}
    roles: dict[int, str] = {}

    def walk(elements: list[dict[str, Any]], role: str | None, depth: int) -> None:
        if depth > 64:
            return
        for el in elements:
            kind = str(el.get("type", ""))
            here = kind if kind in ROLES else ("LI" if kind == "LBody" else role)
            for mcid in el.get("mcids", ()) or ():
                if here is not None and isinstance(mcid, int):
                    roles.setdefault(mcid, here)
            walk(el.get("children", []) or [], here, depth + 1)

    walk(tree, None, 0)
    return roles


def _document_info(pdf: pdfplumber.PDF) -> dict[str, str]:
    info: dict[str, str] = {}
    for key in INFO_KEYS:
        value = _plain(pdf.metadata.get(key))
        if value:
            info[key] = value
    if not info.get("Title") or not info.get("Author") or not info.get("CreationDate"):
        for key, value in _xmp_info(pdf).items():
            info.setdefault(key, value)
    return dict(sorted(info.items()))


def _plain(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if isinstance(value, list | tuple):
        value = " ".join(_plain(v) for v in value)
    if not isinstance(value, str | int | float):
        return ""
    text = " ".join(str(value).replace("\x00", "").split())
    return unicodedata.normalize("NFC", text)


_XMP_FIELDS = {
    "{http://purl.org/dc/elements/1.1/}title": "Title",
    "{http://purl.org/dc/elements/1.1/}creator": "Author",
    "{http://purl.org/dc/elements/1.1/}description": "Subject",
    "{http://ns.adobe.com/xap/1.0/}CreateDate": "CreationDate",
}


def _xmp_info(pdf: pdfplumber.PDF) -> dict[str, str]:
    """Title, author, subject and creation date from the XMP metadata stream, if any."""
    try:
        stream = pdf.doc.catalog.get("Metadata")
        data = stream.resolve().get_data() if stream is not None else b""
        if not data or len(data) > 2_000_000:
            return {}
        root = ET.fromstring(data)
    except Exception:  # noqa: BLE001  XMP is optional and often malformed
        return {}
    out: dict[str, str] = {}
    for element in root.iter():
        key = _XMP_FIELDS.get(str(element.tag))
        if key is None or key in out:
            continue
        text = _plain(" ".join(t for t in element.itertext()))
        if text:
            out[key] = text
    return out
