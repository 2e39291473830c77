"""Extract stage: a PDF's text layer, read with pdfplumber, as pages of lines in reading order.

The only module that touches pdfplumber and pdfminer. Per page: words with size and weight,
fake-bold duplicate characters removed, columns ordered (`columns`), tagged-PDF roles from the
structure tree, URI link annotations with the words they cover, and what triage needs to judge
the layer (`PageSignals`). Across pages: running headers, footers and page numbers are taken out
of the flow (`furniture`). Every pdfminer/pdfplumber failure becomes a `PipelineError`.

Speed: each page's content stream is interpreted once, by pdfplumber's own device (extended to
count invisible characters and note bold fonts), and the character dicts are built directly
from pdfminer's objects with only the keys used here, so a whole `read_pdf` runs faster than a
plain `pdfplumber` `extract_words` over the same pages.

A page that fails to parse inside an otherwise readable PDF comes out empty (no lines, no
signals), so triage sees no text and may OCR it; a PDF none of whose pages parse is refused.
"""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.encodingdb import EncodingDB
from pdfminer.layout import LTChar, LTContainer, LTImage
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFSimpleFont, PDFTrueTypeFont
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.structure import PDFStructTree
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from .columns import PlacedLine, layout_rows
from .errors import EncryptedPdfError, InputNotReadableError, NotPdfError, ResourceLimitError
from .furniture import by_position, drop_running_furniture
from .layout import Line, LinkArea, PageLayout, PageSignals, Word
from .linenumbers import line_numbers
from .streamorder import crossing_lines
from .unmapped import (
    PdfiumText,
    from_encoding,
    is_dingbat_font,
    is_placeholder,
    to_user_space,
)
from .wordgaps import with_word_spaces

BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi")
STYLE_MARKERS = (
    *BOLD_MARKERS,
    "regular",
    "roman",
    "book",
    "light",
    "medium",
    "italic",
    "oblique",
)  # a weight or style in the name: the name says enough
WIDER_IF_BOLD = 1.015  # bold glyphs run ~2 % wider than the same family's regular ones
INVISIBLE_RENDER_MODES = (3, 7)  # neither filled nor stroked (7: clipping only)
DIRECTION_SAMPLE = 256  # characters looked at to tell which way a page's text runs
PUNCTUATION_EMS = 0.3  # typical width of . , ) ( in ems, to trim a link's text at its edge
EDGE_SLACK_EMS = 0.15  # a link rectangle may miss its text by this much
TOUCHING_EMS = 0.1  # words closer than this (in ems) are one word split at a font change
DUPLICATE_TOLERANCE = 1.0  # points: a same char this close to another is a fake-bold copy
MAX_NESTING = 32  # form XObjects nested deeper than this are not read (hostile files)
ROLES = {"H", "H1", "H2", "H3", "H4", "H5", "H6", "P", "LI", "Lbl", "Title"}
INFO_KEYS = (
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "CreationDate",
    "ModDate",
    "Creator",
    "Producer",
)

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
_BAD_GLYPH = re.compile("\\(cid:\\d+\\)|[\ue000-\uf8ff\ufffd]")
_TEXT = itemgetter("text")
_LINK_PUNCTUATION = frozenset(".,;:!?()[]«»”“\"'")


@dataclass(frozen=True, slots=True)
class PdfContent:
    pages: tuple[PageLayout, ...]
    info: dict[str, str] = field(default_factory=dict)  # document info: Title, CreationDate...


def read_pdf(
    path: str | Path,
    password: str | None = None,
    *,
    max_pages: int | None = None,
    data: bytes | None = None,
) -> PdfContent:
    """Read a PDF's text layer: pages of lines in reading order, links, signals, document info.

    `data`, when given, is the PDF itself (read from standard input, or repaired in memory), and
    `path` only names it in messages. Raises EncryptedPdfError when a password is needed (or
    wrong), NotPdfError when the file is not a readable PDF or has no pages,
    InputNotReadableError when it cannot be opened.
    """
    try:
        opened: Path | io.BytesIO = Path(path) if data is None else io.BytesIO(data)
        pdf = pdfplumber.open(opened, password=password or "", raise_unicode_errors=False)
    except PdfminerException as exc:
        raise _translate(exc.args[0] if exc.args else exc, path, password, data) from exc
    except OSError as exc:
        raise InputNotReadableError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except RecursionError as exc:
        raise ResourceLimitError(f"{path}: nested too deeply to read safely") from exc
    except Exception as exc:  # noqa: BLE001  pdfminer raises many kinds on hostile input
        raise _translate(exc, path, None, data) from exc
    try:
        info = _document_info(pdf)
        with PdfiumText(path, password or None) as glyphs:
            pages, failed = _read_pages(pdf, max_pages, glyphs)
    except PdfminerException as exc:
        raise _translate(exc.args[0] if exc.args else exc, path, None, data) from exc
    except RecursionError as exc:
        raise ResourceLimitError(f"{path}: nested too deeply to read safely") from exc
    except MemoryError as exc:
        raise ResourceLimitError(f"{path}: too large to read in the memory available") from exc
    except (EncryptedPdfError, NotPdfError):
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


def _translate(
    exc: BaseException, path: str | Path, password: str | None = None, data: bytes | None = None
) -> Exception:
    if isinstance(exc, PDFPasswordIncorrect):
        if password:
            return EncryptedPdfError(f"{path}: encrypted, and the password given is wrong")
        return EncryptedPdfError(f"{path}: encrypted: give the password with --password")
    if isinstance(exc, PDFEncryptionError):
        return EncryptedPdfError(f"{path}: encrypted with an unsupported method ({exc})")
    if isinstance(exc, RecursionError):
        return ResourceLimitError(f"{path}: nested too deeply to read safely")
    head = _head(path) if data is None else data[:1024]
    if head == b"":
        return NotPdfError(f"{path}: the file is empty, not a PDF")
    if head is not None and b"%PDF-" not in head:
        return NotPdfError(f"{path}: not a PDF (no %PDF header)")
    return NotPdfError(f"{path}: damaged PDF, cannot be read ({type(exc).__name__}: {exc})"[:300])


def _head(path: str | Path) -> bytes | None:
    """The first KiB of the file (where a PDF header must be), or None if unreadable."""
    try:
        with open(path, "rb") as handle:
            return handle.read(1024)
    except OSError:
        return None


def _read_pages(
    pdf: pdfplumber.PDF, max_pages: int | None, glyphs: PdfiumText | None = None
) -> tuple[list[PageLayout], int]:
    """Each page read and closed in turn (so memory stays flat); a page that fails is empty.
    `glyphs` names the characters pdfminer cannot (`unmapped`)."""
    tagged = _is_tagged(pdf)
    pages: list[PageLayout] = []
    failed = 0
    for page in _iter_pages(pdf, max_pages):
        try:
            pages.append(_read_page(page, tagged, glyphs))
        except MemoryError:
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


def _shared(seen: dict[float, float], value: Any) -> float:
    """`value` rounded to 0.01 pt, as the one float object `seen` holds for that number."""
    number = round(float(value), 2)
    return seen.setdefault(number, number)


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
        self.page_ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)

    def begin_page(self, page: Any, ctm: Any) -> None:
        self.page_ctm = tuple(ctm)  # to find a glyph again in PDF user space (`unmapped`)
        super().begin_page(page, ctm)

    def handle_undefined_char(self, font: Any, cid: int) -> str:
        """A code the font maps to no Unicode: named by its encoding when the encoding says
        (WinAnsi's unused codes are bullets), else pdfminer's "(cid:N)" for `_lay_out`."""
        named = from_encoding(cid, getattr(font, "cid2unicode", None))
        return named if named is not None else f"(cid:{cid})"

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        font = textstate.font
        _default_encoding_restored(font)
        if font is not None and font.fontname not in self.declared_bold:
            self.declared_bold[str(font.fontname)] = _declared_bold(font)
        before = len(self.cur_item._objs)
        super().render_string(textstate, seq, ncs, graphicstate)
        if textstate.render in INVISIBLE_RENDER_MODES:
            self.invisible_chars += len(self.cur_item._objs) - before


def _default_encoding_restored(font: Any) -> None:
    """A simple font with neither a ToUnicode map nor an Encoding reads by its default encoding
    (StandardEncoding; WinAnsiEncoding for TrueType), as pdfminer reads it.

    OCRmyPDF, once imported anywhere in the process (the searchable-PDF and PDF/A writers use
    it), patches pdfminer so that such a font maps no code at all: every glyph of a standard
    Symbol or ZapfDingbats font would become "(cid:N)" with no width. What this stage reads must
    not depend on what else the process has imported, so the default comes back here.
    """
    if isinstance(font, PDFSimpleFont) and not font.cid2unicode and font.unicode_map is None:
        default = "WinAnsiEncoding" if isinstance(font, PDFTrueTypeFont) else "StandardEncoding"
        font.cid2unicode = EncodingDB.get_encoding(default)


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


@dataclass(frozen=True, slots=True)
class _Ink:
    """What one page's content stream draws, as far as this stage needs it."""

    chars: list[dict[str, Any]]  # pdfplumber-style char dicts (the keys WordExtractor reads)
    images: list[tuple[float, float, float, float]]  # x0, top, x1, bottom
    invisible_chars: int
    declared_bold: dict[str, bool]
    unmapped: int = 0  # glyphs with no Unicode that nothing could name (left out)


def _lay_out(page: Page, glyphs: PdfiumText | None = None) -> _Ink:
    """Parse the page's content once: characters, image boxes, invisible chars, bold fonts.

    The char dicts carry pdfplumber's coordinates (top-left origin, MediaBox offsets applied) but
    only the keys used here; building them directly skips pdfplumber's generic per-object
    attribute resolution, which costs about a third of a plain `extract_words`.
    """
    device = _InkCountingAggregator(
        page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams
    )
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    layout = device.get_result()
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    doctop = float(page.initial_doctop)
    chars: list[dict[str, Any]] = []
    images: list[tuple[float, float, float, float]] = []
    stack: list[Iterator[Any]] = [iter(layout._objs)]
    unmapped = 0
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
        elif isinstance(obj, LTChar):
            text = obj.get_text()
            fontname = obj.fontname
            if is_placeholder(text):
                named = _named_by_pdfium(obj, device.page_ctm, page.page_number, glyphs)
                if named is None:
                    unmapped += 1
                    continue
                text = named
            elif text.isascii() and is_dingbat_font(_font_name(fontname)):
                # ZapfDingbats' black square read as "n": PDFium knows the symbol
                text = _named_by_pdfium(obj, device.page_ctm, page.page_number, glyphs) or text
            top = height - obj.y1 + mb_top
            chars.append(
                {
                    "text": text,
                    "fontname": fontname.decode("latin-1")
                    if isinstance(fontname, bytes)
                    else fontname,
                    "size": obj.size,
                    "upright": obj.upright,
                    "matrix": obj.matrix,
                    "x0": obj.x0 + mb_x0,
                    "x1": obj.x1 + mb_x0,
                    "top": top,
                    "bottom": height - obj.y0 + mb_top,
                    "doctop": doctop + top,
                    "width": obj.width,
                    "mcid": getattr(obj, "mcid", None),
                }
            )
        elif isinstance(obj, LTImage):
            images.append(
                (obj.x0 + mb_x0, height - obj.y1 + mb_top, obj.x1 + mb_x0, height - obj.y0 + mb_top)
            )
        elif isinstance(obj, LTContainer) and len(stack) < MAX_NESTING:
            stack.append(iter(obj._objs))
    return _Ink(chars, images, device.invisible_chars, device.declared_bold, unmapped)


def _font_name(fontname: Any) -> str:
    return fontname.decode("latin-1") if isinstance(fontname, bytes) else str(fontname)


def _named_by_pdfium(
    obj: LTChar, ctm: tuple[float, ...], number: int, glyphs: PdfiumText | None
) -> str | None:
    """The character PDFium reads where pdfminer has a "(cid:N)" glyph, if any."""
    if glyphs is None:
        return None
    ax, ay = to_user_space(ctm, obj.x0, obj.y0)
    bx, by = to_user_space(ctm, obj.x1, obj.y1)
    return glyphs.char_at(number, (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))


def _read_page(page: Page, tagged: bool, glyphs: PdfiumText | None = None) -> PageLayout:
    ink = _lay_out(page, glyphs)
    width, height, rotation = _page_geometry(page)
    chars = ink.chars
    drawn = len(chars) + ink.unmapped
    signals = PageSignals(
        chars=drawn,
        invisible_chars=min(ink.invisible_chars, drawn),
        bad_glyphs=_count_bad_glyphs(chars) + ink.unmapped,
        unmapped=ink.unmapped,
        image_coverage=_image_coverage(ink.images, width or 0.0, height or 0.0),
        rotation=rotation,
    )
    chars, width, height = _reoriented(chars, width, height)
    bold_fonts = _bold_fonts(chars, ink.declared_bold)
    roles = _mcid_roles(page) if tagged else {}
    extra = ["size", "fontname"]
    chars = with_word_spaces(_without_duplicates(chars))
    if roles:
        extra.append("mcid")  # every char has one (None outside marked content): _lay_out
    raw_words = WordExtractor(
        extra_attrs=extra, use_text_flow=False, keep_blank_chars=False
    ).extract_words(chars)
    words: list[Word] = []
    word_mcids: list[int | None] = []
    # one float object per distinct coordinate on the page (a line's words share their top,
    # bottom and size): a 1,000-page PDF keeps about 360,000 words, 24 bytes per float each
    point: dict[float, float] = {}
    for w in raw_words:
        if not w.get("upright", True):
            continue  # rotated margin text: not part of the reading flow
        text = normalize_text(w["text"])
        if not text:
            continue
        words.append(
            Word(
                text=text,
                x0=_shared(point, w["x0"]),
                top=_shared(point, w["top"]),
                x1=_shared(point, w["x1"]),
                bottom=_shared(point, w["bottom"]),
                size=_shared(point, w["size"]),
                bold=str(w.get("fontname", "")) in bold_fonts,
            )
        )
        mcid = w.get("mcid") if roles else None
        word_mcids.append(mcid if isinstance(mcid, int) else None)
    # furniture by position (a one-page newsletter's footer) never joins a column: left out
    furniture = by_position(words, height, ink.images, first_page=page.page_number == 1)
    # so do the numbers of numbered lines in the margin (a transcript's): the text flows as prose
    kept = [i for i in range(len(words)) if i not in furniture]
    furniture |= {kept[k] for k in line_numbers([words[i] for i in kept])}
    if furniture:
        words = [w for i, w in enumerate(words) if i not in furniture]
        word_mcids = [m for i, m in enumerate(word_mcids) if i not in furniture]
    # Reading order comes from the geometry even in tagged PDFs: PowerPoint's and some Word
    # exports' structure trees follow the drawing order (footer and sidebar first); the tree
    # gives the roles only.
    placed = layout_rows(words)
    lines = tuple(
        _make_line(
            [words[i] for i in line.words], [_role(roles, word_mcids[i]) for i in line.words],
            line.block, line,
        )
        for line in placed
    )
    # how the layer's own drawing order runs against these columns (an old OCR layer's may not)
    signals = replace(signals, crossing_lines=crossing_lines(chars, lines))
    return PageLayout(
        number=page.page_number,
        width=width,
        height=height,
        lines=lines,
        links=_links(page, words),
        signals=signals,
    )


def _text_direction(char: dict[str, Any]) -> str:
    """Which way a character's text runs on the page: ltr, rtl, ttb or btt."""
    a, b = char["matrix"][0], char["matrix"][1]
    if abs(a) >= abs(b):
        return "ltr" if a >= 0 else "rtl"
    return "ttb" if b < 0 else "btt"


def _reoriented(
    chars: list[dict[str, Any]], width: float | None, height: float | None
) -> tuple[list[dict[str, Any]], float | None, float | None]:
    """Turn a page whose text mostly runs sideways or upside down so that it reads left to right.

    pdfminer leaves a /Rotate'd or sideways-set page's characters in the page's own frame; the
    reading-order and furniture logic want lines that run left to right, top to bottom.
    """
    if not chars or width is None or height is None:
        return chars, width, height
    step = max(1, len(chars) // DIRECTION_SAMPLE)
    directions = Counter(_text_direction(c) for c in chars[::step])
    direction = max(sorted(directions), key=lambda d: directions[d])
    if direction == "ltr":
        return chars, width, height
    out = []
    for c in chars:
        x0, x1, top, bottom = float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"])
        if direction == "ttb":
            box = (top, width - x1, bottom, width - x0)
        elif direction == "btt":
            box = (height - bottom, x0, height - top, x1)
        else:
            box = (width - x1, height - bottom, width - x0, height - top)
        moved = {
            **c,
            "x0": box[0],
            "top": box[1],
            "x1": box[2],
            "bottom": box[3],
            "doctop": box[1],
            "upright": True,
            "width": box[2] - box[0],
        }
        if direction != "rtl":  # pdfminer took a sideways glyph's advance for its size
            moved["size"] = round(box[3] - box[1], 2)
        out.append(moved)
    if direction in ("ttb", "btt"):
        width, height = height, width
    return out, width, height


def _role(roles: dict[int, str], mcid: int | None) -> str | None:
    return roles.get(mcid) if mcid is not None else None


def _run_in_label(words: Sequence[Word]) -> bool:
    """A bold label ending in `:` and plain words after it (`Ordförande: Anna Berg`, a row of a
    label-value list): the line is body text with a bold label, not a bold line."""
    for k, w in enumerate(words[:-1]):
        if w.bold and w.text.endswith(":"):
            return all(w.bold for w in words[: k + 1]) and not any(x.bold for x in words[k + 1 :])
    return False


def _make_line(
    words: list[Word], roles: list[str | None], block: int, placed: PlacedLine | None = None
) -> Line:
    """A line of words; a table row's text is its cells joined by a tab (`PlacedLine.cells`)."""
    chars = [len(w.text) for w in words]
    bold_chars = sum(n for w, n in zip(words, chars, strict=True) if w.bold)
    role_weight: Counter[str] = Counter()
    for role, n in zip(roles, chars, strict=True):
        if role is not None:
            role_weight[role] += n
    role = max(sorted(role_weight), key=lambda r: role_weight[r]) if role_weight else None
    row = placed is not None and placed.columns > 1
    if row and placed is not None:
        cells: list[list[Word]] = [[] for _ in range(placed.columns)]
        for w, k in zip(words, placed.cells, strict=True):
            cells[k].append(w)
        joined = [_rejoin_touching(cell) if cell else [] for cell in cells]
        words = [w for cell in joined for w in cell]
        text = "\t".join(" ".join(w.text for w in cell) for cell in joined)
    else:
        words = _rejoin_touching(words)
        text = " ".join(w.text for w in words)
    return Line(
        text=text,
        x0=min(w.x0 for w in words),
        top=min(w.top for w in words),
        x1=max(w.x1 for w in words),
        bottom=max(w.bottom for w in words),
        size=round(float(median(w.size for w in words)), 2),
        bold=2 * bold_chars > sum(chars) and not _run_in_label(words),
        block=block,
        role=role,
        words=tuple(words),
        table_row=row,
    )


def _rejoin_touching(words: list[Word]) -> list[Word]:
    """Words that touch were one word split where its font or size changed ("**S**tyrelsen").

    pdfplumber starts a new word at every change of the extra attributes asked for; a real
    word space is always wider than a tenth of an em.
    """
    out = [words[0]]
    for w in words[1:]:
        prev = out[-1]
        footnote_mark = w.text.isdigit() and w.size < 0.85 * prev.size
        if (
            w.x0 - prev.x1 < TOUCHING_EMS * min(prev.size, w.size)
            and w.x0 >= prev.x0
            and not footnote_mark
        ):
            keep = prev if len(prev.text) >= len(w.text) else w
            out[-1] = Word(
                text=prev.text + w.text,
                x0=prev.x0,
                top=min(prev.top, w.top),
                x1=max(prev.x1, w.x1),
                bottom=max(prev.bottom, w.bottom),
                size=keep.size,
                bold=keep.bold,
            )
        else:
            out.append(w)
    return out


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
    means = {key: sum(values) / len(values) for key, values in widths.items()}
    for members in family.values():
        if len(members) < 2:
            continue
        body = max(members, key=lambda n: (counts[n], n))
        for other in members:
            if other == body:
                continue
            ratios = [
                means[(other, t)] / means[(body, t)]
                for (n, t) in means
                if n == other and (body, t) in means
            ]
            if len(ratios) >= 8 and sum(ratios) / len(ratios) >= WIDER_IF_BOLD:
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
    if any(ch.isspace() for ch in text):  # a glyph that maps to text with spaces in it
        text = " ".join(text.split())
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


def _count_bad_glyphs(chars: list[dict[str, Any]]) -> int:
    """(cid:NN) placeholders, private-use characters and U+FFFD among the page's characters."""
    text = "".join(map(_TEXT, chars))
    return len(_BAD_GLYPH.findall(text))


def _without_duplicates(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's characters without fake-bold copies (same glyph, font and size, within 1 pt).

    One pass with a hash of coarse positions: pdfplumber's own `dedupe_chars` is quadratic.
    A cheaper test first: copies of a whole string almost always share rounded positions.
    """
    coarse = {(c["text"], int(c["x0"] + 0.5), int(c["doctop"] + 0.5)) for c in chars}
    if len(coarse) == len(chars):
        return chars
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
        if duplicate and not str(c["text"]).isspace():
            dropped = True
            continue
        seen.setdefault((*ident, cx, cy), []).append((x, y))
        kept.append(c)
    return kept if dropped else chars


def _image_coverage(
    images: Sequence[tuple[float, float, float, float]], width: float, height: float
) -> float:
    """Share of the page covered by images (their union, clipped to the page)."""
    if not images or width <= 0 or height <= 0:
        return 0.0
    boxes = []
    for left, top, right, bottom in images:
        x0, x1 = max(0.0, left), min(width, right)
        y0, y1 = max(0.0, top), min(height, bottom)
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
        previous = areas[-1] if areas else None
        merging = previous is not None and previous.url == url and _adjacent(previous, box)
        covered = [
            _trimmed_to(w, box)
            for w in words
            if _inside(w, box) and not (merging and _inside(w, _box_of(previous)))
        ]  # a word under two annotations of one link is its text once
        text = _covered_text(covered, url)
        if previous is not None and merging:
            areas[-1] = LinkArea(
                url=url,
                text=_join_parts(previous.text, text, url, "\n"),
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


def _box_of(area: LinkArea | None) -> tuple[float, ...]:
    return () if area is None else (area.x0, area.top, area.x1, area.bottom)


def _inside(w: Word, box: tuple[float, ...]) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _trimmed_to(w: Word, box: tuple[float, ...]) -> Word:
    """The word without the punctuation that sticks out of a link's rectangle: "(kommun.se))."
    under a link that ends before the last parenthesis is "(kommun.se)".

    Punctuation is taken to be about a third of an em wide; only punctuation is trimmed.
    """
    text = w.text
    mark = PUNCTUATION_EMS * w.size
    over = w.x1 - box[2]
    while over > EDGE_SLACK_EMS * w.size and len(text) > 1 and text[-1] in _LINK_PUNCTUATION:
        text, over = text[:-1], over - mark
    over = box[0] - w.x0
    while over > EDGE_SLACK_EMS * w.size and len(text) > 1 and text[0] in _LINK_PUNCTUATION:
        text, over = text[1:], over - mark
    return w if text == w.text else replace(w, text=text)


def _covered_text(words: list[Word], url: str) -> str:
    """The words under a link, line by line; lines joined by "\n" (or nothing inside a URL)."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        centre = (w.top + w.bottom) / 2
        if lines and lines[-1][0].top <= centre <= lines[-1][0].bottom:
            lines[-1].append(w)
        else:
            lines.append([w])
    text = ""
    for line in lines:
        joined = " ".join(w.text for w in _rejoin_touching(sorted(line, key=lambda w: w.x0)))
        text = _join_parts(text, joined, url, "\n")
    return text


def _join_parts(a: str, b: str, url: str, sep: str = " ") -> str:
    """Join two pieces of link text, without a space where together they spell the URL.

    Pieces on two lines are joined with "\n", so a later stage can tell a line-end hyphen.

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
    return f"{a}{sep}{b}"


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
    roles: dict[int, str] = {}

    def walk(elements: Sequence[Any], role: str | None, depth: int) -> None:
        if depth > 64:
            return
        for el in elements:
            kind = str(el.type)
            here = kind if kind in ROLES else ("LI" if kind == "LBody" else role)
            if here is not None:
                for mcid in el.mcids or ():
                    if isinstance(mcid, int):
                        roles.setdefault(mcid, here)
            walk(el.children or (), here, depth + 1)

    try:
        walk(list(PDFStructTree(page.pdf, page)), None, 0)
    except Exception:  # noqa: BLE001  no structure tree, or a broken one: fall back to geometry
        return {}
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


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d))?)?)?)?")


def _as_pdf_date(value: str) -> str:
    """An XMP (ISO 8601) date in the document-info syntax, so `info` has one date format.

    >>> _as_pdf_date("2023-04-23T17:59:04+08:00"), _as_pdf_date("2022-06")
    ('D:20230423175904', 'D:202206')
    """
    m = _ISO_DATE.match(value)
    return "D:" + "".join(part for part in m.groups() if part) if m else value


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
            out[key] = _as_pdf_date(text) if key == "CreationDate" else text
    return out
