"""Internal, hot data: words, lines and pages as the extract and OCR stages produce them.

Both readers (the text layer in `extract`, Tesseract in `ocr`) produce these same structures,
so repair and segmentation never need to know where a page's text came from.
Coordinates are PDF points, origin top-left (pdfplumber's `top`/`bottom`), rounded to 0.01.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Method = Literal["text-layer", "ocr"]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points; for OCR, estimated from the line's x-height
    bold: bool
    conf: float | None = None  # OCR confidence 0..1; None for a text layer


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text inside one layout block (a column, a banner, a sidebar).

    `text` is what later stages read and repair; `words` keep the geometry as extracted.
    `block` numbers the layout blocks of a page in reading order: consecutive lines with the
    same `block` belong together; a new number means a new column, box or region.
    `role` is the tagged-PDF structure role when the PDF has one ("H1".."H6", "P", "LI",
    "Lbl", "Title"), else None.
    `table_row`: the line is one row of a table (or of a label-value list) read row by row;
    its `text` holds its cells joined by a tab, an empty cell where the row has none.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    block: int = 0
    role: str | None = None
    words: tuple[Word, ...] = ()
    table_row: bool = False


@dataclass(frozen=True, slots=True)
class LinkArea:
    """A URI link annotation, with the text it covers (empty when it covers none)."""

    url: str
    text: str
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What triage needs to judge a page's text layer, measured by the extract stage."""

    chars: int = 0  # characters in the text layer (visible or not)
    invisible_chars: int = 0  # render mode 3: an OCR layer laid over an image
    bad_glyphs: int = 0  # glyphs without Unicode (left out), private-use and U+FFFD characters
    unmapped: int = 0  # ... of which glyphs without Unicode that nothing could name
    image_coverage: float = 0.0  # share of the page's area covered by images, 0..1
    rotation: int = 0  # the page's /Rotate, degrees
    crossing_lines: int = 0  # lines of the layer's own order that run across a column gutter


@dataclass(frozen=True, slots=True)
class PageLayout:
    """One page in reading order, from either reader."""

    number: int  # 1-based
    width: float | None
    height: float | None
    lines: tuple[Line, ...]
    links: tuple[LinkArea, ...] = ()
    method: Method = "text-layer"
    reason: str = "text layer"
    quality: float = 1.0  # 0..1: how well the text reads (lexicon share, OCR confidence)
    ocr_confidence: float | None = None  # mean Tesseract word confidence 0..1
    signals: PageSignals = field(default_factory=PageSignals)

    @property
    def text(self) -> str:
        """The page's lines joined by newlines: the unit the repair stage works on."""
        return "\n".join(line.text for line in self.lines)
