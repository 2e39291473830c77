"""A searchable PDF of a converted document: the input's pages as they are, with the repaired
words in an invisible text layer on the pages that were read by OCR.

A page read by OCR (Tesseract, or a kept old OCR layer that was all invisible text) loses its
old invisible text (OCRmyPDF's own stripper) and gets a new layer: the repaired words at the
boxes the ALTO gives them (`alto.placed_lines`), drawn by OCRmyPDF's text-layer renderer
(fpdf2, its own glyphless font, text render mode 3) and laid over the page by pikepdf as a
Form XObject. A born-digital page is left as it is, its own text layer included. The page's
look does not change: the new layer draws nothing visible.

A word broken over a line end stands whole at its first part's box, so a search finds it.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from ..convert import Conversion
from ..errors import MissingDependencyError, OutputError
from ..layout import PageLayout
from .alto import placed_lines
from .wordboxes import Box

#: Resolution of the renderer's pixel grid: boxes in points are written at this many pixels per
#: inch (the renderer's coordinates are whole pixels in hOCR; here they stay exact floats).
GRID_DPI = 300
SCALE = GRID_DPI / 72


def needs_layer(page: PageLayout) -> bool:
    """Whether the page gets our text layer: read by OCR, or its text was all invisible (an
    old OCR layer kept and repaired). A born-digital page keeps its own text."""
    if page.method == "ocr":
        return True
    signals = page.signals
    return signals.chars > 0 and signals.invisible_chars == signals.chars


def to_searchable_pdf(conversion: Conversion, pdf: bytes, password: str | None = None) -> bytes:
    """The input PDF (its bytes) with the repaired text as the invisible layer of its OCR'd
    pages."""
    try:
        import pikepdf
        from ocrmypdf._graft import strip_invisible_text
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise MissingDependencyError(f"searchable PDF needs ocrmypdf and pikepdf ({exc})") from exc
    lines = placed_lines(conversion)
    pages = [p for p in conversion.pages if needs_layer(p) and p.width and p.height]
    with pikepdf.open(io.BytesIO(pdf), password=password or "") as document:
        with tempfile.TemporaryDirectory(prefix="newsletter-pdf-") as tmp:
            for page in pages:
                if page.number > len(document.pages):
                    raise OutputError(f"page {page.number} is not in the input PDF")
                target = document.pages[page.number - 1]
                strip_invisible_text(document, target)
                words = lines.get(page.number, [])
                if not words:
                    continue
                text_pdf = Path(tmp) / f"page-{page.number}.pdf"
                _render_layer(page, words, text_pdf)
                with pikepdf.open(text_pdf) as layer:
                    name = target.add_overlay(layer.pages[0], pikepdf.Rectangle(*target.mediabox))
                _rename_xobject(document, target, name)
            out = io.BytesIO()
            document.remove_unreferenced_resources()
            document.save(out, deterministic_id=True)
    return out.getvalue()


def _rename_xobject(document: object, page: object, name: object) -> None:
    """Give the overlay's Form XObject a fixed name in place of pikepdf's random one, so that
    the same input gives the same bytes."""
    import pikepdf

    assert isinstance(document, pikepdf.Pdf) and isinstance(page, pikepdf.Page)
    assert isinstance(name, pikepdf.Name)
    xobjects = page.Resources.XObject
    k = 0
    while (fixed := pikepdf.Name(f"/OCRText{k or ''}")) in xobjects:
        k += 1
    xobjects[fixed] = xobjects[name]
    del xobjects[name]
    instructions: list[object] = []
    for ins in pikepdf.parse_content_stream(page):
        if isinstance(ins, pikepdf.ContentStreamInstruction):
            operands = [fixed if op == name else op for op in ins.operands]
            ins = pikepdf.ContentStreamInstruction(operands, ins.operator)
        instructions.append(ins)
    page.obj.Contents = pikepdf.Stream(document, pikepdf.unparse_content_stream(instructions))  # type: ignore[arg-type]


def _render_layer(page: PageLayout, blocks: list[list[list[tuple[str, Box]]]], out: Path) -> None:
    """A one-page PDF of the page's size holding only the invisible words."""
    import ocrmypdf
    from ocrmypdf.font import MultiFontManager
    from ocrmypdf.fpdf_renderer import Fpdf2PdfRenderer
    from ocrmypdf.hocrtransform import BoundingBox, OcrClass, OcrElement

    assert page.width is not None and page.height is not None

    def bbox(box: Box) -> BoundingBox:
        x0, top, x1, bottom = box
        return BoundingBox(x0 * SCALE, top * SCALE, max(x1, x0) * SCALE, max(bottom, top) * SCALE)

    def union(boxes: list[Box]) -> Box:
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    root = OcrElement(
        ocr_class=OcrClass.PAGE,
        bbox=BoundingBox(0, 0, page.width * SCALE, page.height * SCALE),
        dpi=GRID_DPI,
    )
    for block in blocks:
        paragraph = OcrElement(
            ocr_class=OcrClass.PARAGRAPH,
            bbox=bbox(union([b for line in block for _, b in line])),
            direction="ltr",
        )
        for line in block:
            paragraph.children.append(
                OcrElement(
                    ocr_class=OcrClass.LINE,
                    bbox=bbox(union([b for _, b in line])),
                    direction="ltr",
                    children=[
                        OcrElement(ocr_class=OcrClass.WORD, bbox=bbox(b), text=word)
                        for word, b in line
                    ],
                )
            )
        root.children.append(paragraph)
    fonts = MultiFontManager(Path(ocrmypdf.__file__).parent / "data")
    Fpdf2PdfRenderer(root, GRID_DPI, fonts, invisible_text=True).render(out)
