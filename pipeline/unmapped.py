"""Characters a PDF draws without saying which Unicode character they are.

pdfminer reports such a glyph as the placeholder `(cid:N)`. Two ways to name it, cheapest first:

1. The font's encoding: in WinAnsiEncoding every unused code above octal 40 (127, 129, 141,
   143, 144, 157) is a bullet (PDF 1.7, Annex D, note 5); word processors draw list bullets as
   code 127 in a standard Helvetica that is not embedded and has no ToUnicode map.
2. PDFium's text page, which reads glyph names, embedded font programs and its own encoding
   tables: the character it puts at the same spot on the page.

What neither names is left out of the text and counted, so the page's `reason` can say so and a
page made mostly of such glyphs goes to OCR (triage).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pypdfium2 as pdfium

PLACEHOLDER = re.compile(r"^\(cid:(\d+)\)$")
WINANSI_UNUSED = frozenset({0o177, 0o201, 0o215, 0o217, 0o220, 0o235})
BULLET = "\u2022"
# WinAnsiEncoding's own codes that StandardEncoding and MacRomanEncoding lay out differently
_WINANSI_MARKS = {0x80: "\u20ac", 0x93: "\u201c", 0x94: "\u201d", 0x95: BULLET}
LOOKUP_TOLERANCE = 1.0  # points around a glyph's centre where PDFium's character may lie


# Symbol fonts whose codes pdfminer reads as plain letters when the font is not embedded and
# has no ToUnicode map (ZapfDingbats "n" is a black square, "l" a black circle): PDFium knows
# their encodings, so their characters are taken from it.
_DINGBAT_FONTS = ("dingbats", "wingdings", "webdings")


def is_dingbat_font(fontname: str) -> bool:
    """A symbol font whose glyphs pdfminer reads as letters (subset prefix ignored).

    >>> is_dingbat_font("ZapfDingbats"), is_dingbat_font("ABCDEF+Wingdings-Regular")
    (True, True)
    >>> is_dingbat_font("Symbol"), is_dingbat_font("Helvetica")
    (False, False)
    """
    name = fontname.rsplit("+", 1)[-1].lower()
    return any(marker in name for marker in _DINGBAT_FONTS)


def is_placeholder(text: str) -> bool:
    return text.startswith("(cid:") and PLACEHOLDER.match(text) is not None


def from_encoding(cid: int, table: Mapping[int, str] | None) -> str | None:
    """The character a code stands for by its simple font's encoding, when pdfminer's table
    (`table`, code -> text) is WinAnsi's and lacks the code: WinAnsi's unused codes are bullets.

    >>> winansi = {0x80: "€", 0x93: "“", 0x94: "”", 0x95: "•", 0x41: "A"}
    >>> from_encoding(127, winansi), from_encoding(127, {0x41: "A"}), from_encoding(3, winansi)
    ('•', None, None)
    """
    if cid not in WINANSI_UNUSED or not table:
        return None
    if sum(table.get(code) == char for code, char in _WINANSI_MARKS.items()) < 3:
        return None
    return BULLET


def acceptable(text: str) -> bool:
    """A character worth keeping: printable, not private-use, not U+FFFD or a noncharacter.

    >>> acceptable("•"), acceptable("ä"), acceptable("\\ue001"), acceptable("\\ufffd")
    (True, True, False, False)
    """
    if not text or len(text) > 4 or not text.isprintable() or text.isspace():
        return False
    return not any(
        "\ue000" <= ch <= "\uf8ff" or ch in "\ufffd\ufffe\uffff" or ord(ch) >= 0xF0000
        for ch in text
    )


def to_user_space(ctm: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    """A point of pdfminer's page space back in PDF user space (`ctm`: the page's base
    matrix, which undoes /Rotate and the MediaBox origin).

    >>> to_user_space((0, -1, 1, 0, -10, 600), 5.0, 100.0)
    (500.0, 15.0)
    """
    a, b, c, d, e, f = ctm
    det = a * d - b * c
    if not det:
        return x, y
    x, y = x - e, y - f
    return (d * x - c * y) / det, (a * y - b * x) / det


class PdfiumText:
    """PDFium's characters of a PDF's pages, by position; the document is opened at the first
    question and closed by `close` (a context manager)."""

    def __init__(self, path: str | Path, password: str | None = None) -> None:
        self._path = str(path)
        self._password = password
        self._document: pdfium.PdfDocument | None = None
        self._failed = False
        # the page last asked about (pages are read in order; one open page keeps memory flat)
        self._open: tuple[int, object, object] | None = None

    def __enter__(self) -> PdfiumText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._close_page()
        if self._document is not None:
            try:
                self._document.close()
            except Exception:  # noqa: BLE001, S110
                pass
            self._document = None

    def char_at(self, number: int, box: tuple[float, float, float, float]) -> str | None:
        """The character PDFium reads on page `number` (1-based) inside `box` (x0, y0, x1, y1
        in PDF user space: the glyph's box), or None when it has none there or an unusable one.
        PDFium's character must lie in the box: a neighbour found nearby is not the glyph."""
        text_page = self._text_page(number)
        if text_page is None:
            return None
        x0, y0, x1, y1 = box
        try:
            index = text_page.get_index(  # type: ignore[attr-defined]
                (x0 + x1) / 2, (y0 + y1) / 2, LOOKUP_TOLERANCE, LOOKUP_TOLERANCE
            )
            if index is None or index < 0:
                return None
            left, bottom, right, top = text_page.get_charbox(index)  # type: ignore[attr-defined]
            char = str(text_page.get_text_range(index, 1))  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001  a PDFium failure leaves the glyph unnamed
            return None
        cx, cy = (left + right) / 2, (bottom + top) / 2
        slack = LOOKUP_TOLERANCE
        if not (x0 - slack <= cx <= x1 + slack and y0 - slack <= cy <= y1 + slack):
            return None
        return char if acceptable(char) else None

    def _close_page(self) -> None:
        if self._open is None:
            return
        for handle in (self._open[2], self._open[1]):
            try:
                handle.close()  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001, S110  closing must not hide the cause
                pass
        self._open = None

    def _text_page(self, number: int) -> object | None:
        if self._open is not None and self._open[0] == number:
            return self._open[2]
        self._close_page()
        if self._failed:
            return None
        try:
            if self._document is None:
                self._document = pdfium.PdfDocument(self._path, password=self._password)
            if not 1 <= number <= len(self._document):
                return None
            page = self._document[number - 1]
            text_page = page.get_textpage()
        except Exception:  # noqa: BLE001  PDFium cannot read it: the glyphs stay unnamed
            self._failed = True
            return None
        self._open = (number, page, text_page)
        return text_page
