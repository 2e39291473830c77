"""Rasterize PDF pages with pypdfium2: grayscale, at a chosen resolution, upright per /Rotate.

Used by the OCR stage only. PDFium applies the page's /Rotate itself, so the image shows the page
as a reader sees it; a page's points map to pixels by `scale` = dpi / 72 in both directions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from .errors import EncryptedPdfError, OcrError

# A page larger than this many pixels at the asked resolution is rendered at a lower one:
# a poster-sized page at 300 dpi would take gigabytes and Tesseract gains nothing from it.
MAX_PIXELS = 60_000_000
MIN_DPI = 72


@dataclass(frozen=True, slots=True)
class PageImage:
    """A rendered page: grayscale pixels, and what maps them back to PDF points."""

    image: Image.Image
    dpi: float  # effective resolution (may be below the asked one for huge pages)
    width: float  # page width in points, as displayed (after /Rotate)
    height: float
    rotation: int  # the page's /Rotate, already applied to `image`


def render_page(
    path: str | Path, number: int, dpi: int = 300, password: str | None = None
) -> PageImage:
    """Render page `number` (1-based) as an 8-bit grayscale image."""
    try:
        document = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdfError(f"{path}: encrypted, cannot render page {number}") from exc
        raise OcrError(f"{path}: cannot open for rasterizing: {exc}") from exc
    try:
        if not 1 <= number <= len(document):
            raise OcrError(f"{path}: no page {number} (the file has {len(document)})")
        page = document[number - 1]
        try:
            width, height = page.get_size()
            rotation = int(page.get_rotation())
            effective = float(dpi)
            area_in_points = max(width, 1.0) * max(height, 1.0)
            if area_in_points * (effective / 72) ** 2 > MAX_PIXELS:
                effective = max(float(MIN_DPI), 72 * (MAX_PIXELS / area_in_points) ** 0.5)
            bitmap = page.render(scale=effective / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            image.load()
            bitmap.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise OcrError(f"{path}: cannot rasterize page {number}: {exc}") from exc
    finally:
        document.close()
    return PageImage(image=image, dpi=effective, width=width, height=height, rotation=rotation)
