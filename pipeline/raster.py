"""Rasterize PDF pages with pypdfium2: grayscale, at a chosen resolution, upright per /Rotate.

Used by the OCR stage only. PDFium applies the page's /Rotate itself, so the image shows the page
as a reader sees it; a page's points map to pixels by `scale` = dpi / 72 in both directions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from .errors import EncryptedPdfError, OcrError

# A page larger than this many pixels at the asked resolution is rendered at a lower one:
# a poster-sized page at 300 dpi would take gigabytes and Tesseract gains nothing from it.
MAX_PIXELS = 60_000_000
MAX_SIDE = 30_000  # Tesseract (Leptonica) refuses images over 32767 pixels a side
MIN_DPI = 36


@dataclass(frozen=True, slots=True)
class PageImage:
    """A rendered page: grayscale pixels, and what maps them back to PDF points."""

    image: Image.Image
    dpi: float  # effective resolution (may be below the asked one for huge pages)
    width: float  # page width in points, as displayed (after /Rotate)
    height: float
    rotation: int  # the page's /Rotate, already applied to `image`


def render_page(
    path: str | Path,
    number: int,
    dpi: int = 300,
    password: str | None = None,
    data: bytes | None = None,
) -> PageImage:
    """Render page `number` (1-based) as an 8-bit grayscale image.

    A scan (one image over the whole page, and nothing else visible) is taken from its image at
    the image's own resolution, resampled only when that is far from `dpi`: two to four times
    cheaper than drawing the page, which is most of what the OCR stage spends outside Tesseract.
    `data`, when given, is the PDF itself (`path` then only names it in messages).
    """
    try:
        document = pdfium.PdfDocument(str(path) if data is None else data, password=password)
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
            rotation = int(page.get_rotation()) % 360
            effective = float(dpi)
            area_in_points = max(width, 1.0) * max(height, 1.0)
            if area_in_points * (effective / 72) ** 2 > MAX_PIXELS:
                effective = 72 * (MAX_PIXELS / area_in_points) ** 0.5
            effective = max(float(MIN_DPI), min(effective, 72 * MAX_SIDE / max(width, height, 1.0)))
            size = (max(1, round(width * effective / 72)), max(1, round(height * effective / 72)))
            scan = _page_scan(page)
            image = _from_scan(scan, rotation, size) if scan is not None else None
            if image is None:
                bitmap = page.render(scale=effective / 72, grayscale=True)
                image = bitmap.to_pil().convert("L")
                image.load()
                bitmap.close()
            effective = 72 * image.width / max(width, 1.0)  # what a pixel is, as rendered
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise OcrError(f"{path}: cannot rasterize page {number}: {exc}") from exc
    finally:
        document.close()
    return PageImage(image=image, dpi=effective, width=width, height=height, rotation=rotation)


# A scan's image may overhang or fall short of the page by this much (points) and still count.
_SCAN_SLACK = 2.0
# Scans stored as plain 8-bit gray or 24-bit colour are decoded straight from the image.
_PLAIN_PIXELS = {
    (8, pdfium_c.FPDF_COLORSPACE_DEVICEGRAY),
    (8, pdfium_c.FPDF_COLORSPACE_CALGRAY),
    (8, pdfium_c.FPDF_COLORSPACE_ICCBASED),
    (24, pdfium_c.FPDF_COLORSPACE_DEVICERGB),
    (24, pdfium_c.FPDF_COLORSPACE_CALRGB),
    (24, pdfium_c.FPDF_COLORSPACE_ICCBASED),
}
# Keep a scan at its own resolution when it is this close to the asked one (and square).
_NATIVE_TOLERANCE = 0.1


def _page_scan(page: pdfium.PdfPage) -> pdfium.PdfImage | None:
    """The page's only visible object when it is an upright image covering the page, else None."""
    if pdfium_c.FPDFPage_GetAnnotCount(page) > 0:
        return None  # annotations are drawn over the page
    left, bottom, right, top = page.get_cropbox()
    if page.get_mediabox() != (left, bottom, right, top):
        return None
    image: pdfium.PdfImage | None = None
    for obj in page.get_objects():
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE and isinstance(obj, pdfium.PdfImage):
            if image is not None:
                return None
            image = obj
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
            if mode != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:  # an old OCR layer is invisible
                return None
        elif obj.type != pdfium_c.FPDF_PAGEOBJ_FORM:
            return None  # paths, shadings: drawn over or under the image
    if image is None:
        return None
    a, b, c, d, _, _ = image.get_matrix().get()
    if b or c or a <= 0 or d <= 0:
        return None  # turned or mirrored in place: let PDFium draw it
    x0, y0, x1, y1 = image.get_bounds()
    covers = (
        abs(x0 - left) <= _SCAN_SLACK
        and abs(y0 - bottom) <= _SCAN_SLACK
        and abs(x1 - right) <= _SCAN_SLACK
        and abs(y1 - top) <= _SCAN_SLACK
    )
    return image if covers else None


def _from_scan(scan: pdfium.PdfImage, rotation: int, size: tuple[int, int]) -> Image.Image | None:
    """The scan's pixels, turned per /Rotate, when they are plain gray or colour at about the
    asked resolution; None when PDFium should draw the page instead (resampling: it is faster
    than Pillow; bilevel, indexed or CMYK images: masks and decode arrays apply)."""
    pixels_x, pixels_y = scan.get_px_size()
    width, height = (pixels_y, pixels_x) if rotation in (90, 270) else (pixels_x, pixels_y)
    scale_x, scale_y = width / size[0], height / size[1]
    if not (
        abs(scale_x - 1) <= _NATIVE_TOLERANCE
        and abs(scale_y - 1) <= _NATIVE_TOLERANCE
        and abs(scale_x - scale_y) <= 0.01
    ):
        return None
    metadata = scan.get_metadata()
    if (metadata.bits_per_pixel, metadata.colorspace) not in _PLAIN_PIXELS:
        return None  # bilevel (masks, /Decode), indexed or CMYK: PDFium draws those right
    bitmap = scan.get_bitmap(render=False)  # the decoded pixels, as stored
    image = bitmap.to_pil().convert("L") if bitmap.mode != "L" else bitmap.to_pil().copy()
    if rotation:
        image = image.rotate(-rotation, expand=True)  # /Rotate turns clockwise
    return image


# Skew: the angle that makes the rows of ink sharpest (a projection profile), searched over
# +-MAX_SKEW degrees on a small black-and-white copy; small angles are not worth a rotation.
MAX_SKEW = 3.0
MIN_SKEW = 0.3
_PROFILE_WIDTH = 400


def estimate_skew(image: Image.Image) -> float:
    """Degrees (counter-clockwise, as `Image.rotate` takes them) that straighten the text lines.

    Rows of a page are sharpest (ink and gaps alternate most) when lines run level; 0.0 when no
    angle is clearly better than none (a blank page, a photo, text standing on end).
    """
    factor = max(1, image.width // _PROFILE_WIDTH)
    small = image.reduce(factor) if factor > 1 else image
    ink = small.point(lambda v: 255 if v < 128 else 0)  # ink white on black: rotation fills black

    def sharpness(angle: float) -> float:
        turned = ink.rotate(angle, resample=Image.Resampling.NEAREST) if angle else ink
        rows = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()
        return float(sum((a - b) ** 2 for a, b in zip(rows, rows[1:], strict=False)))

    level = sharpness(0.0)
    if level == 0.0:
        return 0.0
    coarse = [step * 0.5 for step in range(-int(MAX_SKEW * 2), int(MAX_SKEW * 2) + 1)]
    best = max(coarse, key=lambda a: (sharpness(a), -abs(a)))
    fine = [best + step * 0.1 for step in range(-4, 5)]
    best = max(fine, key=lambda a: (sharpness(a), -abs(a)))
    if abs(best) < MIN_SKEW or sharpness(best) < 1.05 * level:
        return 0.0
    return round(best, 1)


def deskew(image: Image.Image, angle: float) -> Image.Image:
    """Rotate by `angle` degrees counter-clockwise, keeping the size, filling with white."""
    if not angle:
        return image
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)


#: A band of rows is a line of text when its height is within these shares of the page's median.
_LEADER_BAND = (0.5, 3.0)
#: Column ink (0..255, mean over a zone) that counts as a mark above the baseline zone, and as a
#: dot in it.
_BODY_INK = 6
_DOT_INK = 20


def even_leaders(image: Image.Image) -> Image.Image:
    """The page with each run of dot leaders (a table of contents' `Firma ........ 4`) redrawn
    as a sparse row of dots on the same baseline.

    Tesseract reads a dense, level row of dots as letters, and on a straightened page it takes
    the title beside them down too (`1 kap Allm…` read as `ISkaprAllm`); with the dots erased it
    reads the page number as a column of its own. A sparse row keeps title, leader and number
    one line. A leader run is found per line band: columns with ink in the baseline zone only
    (nothing above it), at least three line heights wide, a sixth of them inked. Grayscale in
    and out; a page without leaders is returned as it is.
    """
    width, height = image.size
    ink = image.point(lambda v: 255 if v < 128 else 0)  # ink white on black
    rows = ink.resize((1, height), Image.Resampling.BOX).tobytes()
    bands: list[tuple[int, int]] = []
    start: int | None = None
    for y, v in enumerate(rows):
        if v >= 2 and start is None:
            start = y
        elif v < 2 and start is not None:
            bands.append((start, y))
            start = None
    if start is not None:
        bands.append((start, height))
    heights = sorted(b - a for a, b in bands if b - a >= 4)
    if not heights:
        return image
    typical = heights[len(heights) // 2]
    out: Image.Image | None = None
    for top, bottom in bands:
        band = bottom - top
        if not _LEADER_BAND[0] * typical <= band <= _LEADER_BAND[1] * typical:
            continue
        for left, right, base in _leader_runs(ink, top, bottom):
            if out is None:
                out = image.copy()
            out.paste(255, (left + 2, top, right - 2, bottom))
            dot = max(2, round(0.1 * band))
            step = max(3 * dot, round(0.7 * band))
            for x in range(left + step, right - step // 2, step):
                out.paste(0, (x, base - dot + 1, x + dot, base + 1))
    return out if out is not None else image


def _leader_runs(ink: Image.Image, top: int, bottom: int) -> list[tuple[int, int, int]]:
    """(left, right, baseline row) of each leader run in the band of rows top..bottom of `ink`."""
    width = ink.width
    band = bottom - top
    mid = top + int(0.55 * band)
    body = ink.crop((0, top + int(0.15 * band), width, mid))
    upper = body.resize((width, 1), Image.Resampling.BOX).tobytes()
    lower = ink.crop((0, mid, width, bottom)).resize((width, 1), Image.Resampling.BOX).tobytes()
    runs = []
    x = 0
    while x < width:
        if upper[x] >= _BODY_INK:
            x += 1
            continue
        left, dots = x, 0
        while x < width and upper[x] < _BODY_INK:
            dots += lower[x] >= _DOT_INK
            x += 1
        if x - left >= 3 * band and dots >= (x - left) / 6:
            zone = ink.crop((left, mid, x, bottom)).resize((1, bottom - mid), Image.Resampling.BOX)
            darkness = zone.tobytes()
            base = mid + max(range(len(darkness)), key=darkness.__getitem__)
            runs.append((left, x, base))
    return runs
