"""Already-extracted text as pages of lines, so that it goes through the same stages as a PDF.

Form feeds separate pages. Lines get a synthetic geometry (one line every 12 units, nothing
known of fonts: `size` 0), so a blank line reads to the segmenter like the vertical gap
between two paragraphs of a PDF.

>>> [line.text for line in read_text_pages("Rubrik\\n\\n•\\tEn punkt  ")[0].lines]
['Rubrik', '', '• En punkt']
"""

from __future__ import annotations

import regex

from .layout import Line, PageLayout

LINE_PITCH = 12.0
LINE_HEIGHT = 10.0
CHAR_WIDTH = 5.0
_SPACES = regex.compile(r"[\t\p{Zs}]+")


def read_text_pages(text: str) -> tuple[PageLayout, ...]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = []
    for number, page_text in enumerate(text.split("\f"), 1):
        lines = tuple(
            _line(index, _SPACES.sub(" ", raw).strip())
            for index, raw in enumerate(page_text.split("\n"))
        )
        pages.append(
            PageLayout(number=number, width=None, height=None, lines=lines,
                       reason="text input: already-extracted text", quality=1.0)
        )
    return tuple(pages)


def _line(index: int, text: str) -> Line:
    top = index * LINE_PITCH
    return Line(text=text, x0=0.0, top=top, x1=len(text) * CHAR_WIDTH, bottom=top + LINE_HEIGHT,
                size=0.0, bold=False)
