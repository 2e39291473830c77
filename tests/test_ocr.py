"""The OCR stage with real Tesseract: scans read like the born-digital page they were made from.

Each scanned fixture was rasterized from a born-digital twin (fixtures/README.md), so the twin's
text layer, read by the extract stage, is the page's exact text with the same line breaks,
hyphens and footer: comparing with it measures Tesseract and nothing else. Pages are few (OCR
costs seconds a page): each fixture is read once per module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline import ocr
from pipeline.errors import MissingDependencyError, OcrError
from pipeline.evaluation import word_error_rate
from pipeline.extract import read_pdf
from pipeline.layout import PageLayout
from pipeline.raster import estimate_skew, render_page

from .conftest import FIXTURES, fixture_file, needs_tesseract

pytestmark = needs_tesseract

SCAN_300 = FIXTURES / "pdf" / "sormland_2022_06-scan-300dpi.pdf"  # p1 skewed 1.2°, p2 upside down
SCAN_200 = FIXTURES / "pdf" / "bibliotek_2023_09-scan-200dpi.pdf"  # p1 skewed -1.6°, p2 sideways


def twin_of(scan: Path) -> Path:
    return scan.with_name(scan.name.split("-")[0] + ".pdf")


def twin_text(scan: Path, number: int) -> str:
    return read_pdf(twin_of(scan)).pages[number - 1].text


def body(page: PageLayout) -> str:
    """The page's text without its footer (the extract stage drops running footers)."""
    height = page.height or 842.0
    return "\n".join(line.text for line in page.lines if line.top < 0.94 * height)


@pytest.fixture(scope="module")
def scan300() -> dict[int, PageLayout]:
    return ocr.read_pages(fixture_file(SCAN_300), [1, 2], jobs=2)


@pytest.fixture(scope="module")
def scan200() -> dict[int, PageLayout]:
    return ocr.read_pages(fixture_file(SCAN_200), [1, 2], jobs=2)


# A page of our own, for the cheap tests: a title, a heading, body text and a bulleted list.
OWN_PAGE = [
    ("Helvetica-Bold", 24, "Nyheter från föreningen"),
    ("Helvetica-Bold", 16, "Vårens arbete i styrelsen"),
    ("Times-Roman", 12, "Styrelsen har under våren träffats varje månad för att planera"),
    ("Times-Roman", 12, "arbetet med gården, tvättstugan och den nya cykelparkeringen."),
    ("Times-Roman", 12, "Vi är glada över att så många medlemmar har hört av sig."),
    ("Times-Roman", 12, "• Rensa rabatterna vid entrén"),
    ("Times-Roman", 12, "• Måla om bänkarna vid lekplatsen"),
]


def own_scan(folder: Path, pages: int = 1, turn: int = 0, dpi: int = 200) -> Path:
    """A born-digital page of our own, rasterized and wrapped in an image-only PDF."""
    born = folder / "born.pdf"
    drawing = canvas.Canvas(str(born), pagesize=A4, invariant=1)
    for page in range(pages):
        y = 780.0
        for font, size, text in OWN_PAGE:
            drawing.setFont(font, size)
            drawing.drawString(60, y, text if page == 0 else f"{text} {page + 1}")
            y -= size * 1.8
        drawing.showPage()
    drawing.save()
    document = pdfium.PdfDocument(str(born))
    images = [
        document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        for i in range(pages)
    ]
    document.close()
    images = [image.rotate(turn, expand=True, fillcolor=255) for image in images]
    scan = folder / f"scan-{turn}.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:], resolution=dpi)
    return scan


# --- what a scan reads as -------------------------------------------------------------------

#: Tesseract's raw reading (no repair) against the twin's text layer: the WER each page reaches
#: now with Debian's Tesseract 5, as a ratchet (2 words of 437, 2 of 196, 2 of 309, 0 of 121).
MAX_WER = {(SCAN_300, 1): 0.005, (SCAN_300, 2): 0.011, (SCAN_200, 1): 0.007, (SCAN_200, 2): 0.0}


def test_skewed_300dpi_scan_reads_like_its_text_layer(scan300: dict[int, PageLayout]) -> None:
    assert word_error_rate(twin_text(SCAN_300, 1), body(scan300[1])) <= MAX_WER[SCAN_300, 1]


def test_upside_down_page_is_turned_and_read(scan300: dict[int, PageLayout]) -> None:
    page = scan300[2]
    assert word_error_rate(twin_text(SCAN_300, 2), body(page)) <= MAX_WER[SCAN_300, 2]
    assert page.ocr_confidence is not None and page.ocr_confidence > 0.85


def test_skewed_200dpi_scan_reads_like_its_text_layer(scan200: dict[int, PageLayout]) -> None:
    # at -1.6° Tesseract alone drops whole paragraphs; straightened, none is lost
    assert word_error_rate(twin_text(SCAN_200, 1), body(scan200[1])) <= MAX_WER[SCAN_200, 1]


def test_sideways_page_is_turned_upright(scan200: dict[int, PageLayout]) -> None:
    page = scan200[2]
    assert word_error_rate(twin_text(SCAN_200, 2), body(page)) <= MAX_WER[SCAN_200, 2]
    assert page.width is not None and page.height is not None
    assert page.width < page.height  # the landscape PDF page holds a portrait page turned 90°
    assert all(
        w.x1 - w.x0 > w.bottom - w.top
        for line in page.lines
        for w in line.words
        if len(w.text) >= 6
    )


def test_words_lines_and_blocks_in_pdf_points(scan300: dict[int, PageLayout]) -> None:
    page = scan300[1]
    twin = read_pdf(twin_of(SCAN_300)).pages[0]
    assert page.method == "ocr"
    assert (page.width, page.height) == pytest.approx((twin.width, twin.height), abs=1)
    first = next(line for line in twin.lines if line.text.startswith("Tillsammans"))
    assert page.lines[0].text.startswith("Tillsammans")
    assert page.lines[0].x0 == pytest.approx(first.x0, abs=4)
    assert page.lines[0].top == pytest.approx(first.top, abs=6)
    for line in page.lines:
        assert line.text == " ".join(w.text for w in line.words)
        assert all(w.conf is not None and 0 <= w.conf <= 1 for w in line.words)
        assert line.x0 <= line.x1 and line.top <= line.bottom <= page.height
    blocks = [line.block for line in page.lines]
    assert blocks[0] == 0 and blocks == sorted(blocks)  # numbered in reading order from 0


def test_headings_larger_or_bolder_than_body(scan300: dict[int, PageLayout]) -> None:
    twin = read_pdf(twin_of(SCAN_300)).pages
    lines = [line for page in (scan300[1], scan300[2]) for line in page.lines]
    body = sorted(line.size for line in lines)[len(lines) // 2]
    twin_sizes = sorted(line.size for page in twin for line in page.lines)
    twin_body = twin_sizes[len(twin_sizes) // 2]
    assert body == pytest.approx(twin_body, rel=0.15)  # the size estimate is in points
    title = lines[0]
    assert title.size > 1.8 * body and title.bold
    by_text = {line.text: line for line in lines}
    for heading in ("Vad händer nu?", "Positiva exempel på lokal nivå", "Avslutande ord"):
        assert by_text[heading].size > 1.3 * body and by_text[heading].bold
    sub = next(line for line in lines if line.text.startswith("NPF") and len(line.words) <= 3)
    assert sub.bold and sub.size > body  # a sub-heading barely larger than the body, but bold
    paragraphs = [line for line in lines if len(line.words) > 8]
    assert sum(line.bold for line in paragraphs) == 0


def test_bullets_kept_as_tesseract_reads_them(scan300: dict[int, PageLayout]) -> None:
    item = next(line for line in scan300[1].lines if "Dialog och diskussioner" in line.text)
    marker, first = item.words[0], item.words[1]
    assert first.text == "Dialog"
    assert len(marker.text) == 1  # •, e, «, »: whatever Tesseract saw; the repair stage judges
    assert marker.x1 < first.x0 - 3  # a word of its own, left of a hanging indent
    continuation = scan300[1].lines[scan300[1].lines.index(item) + 1]
    assert continuation.x0 == pytest.approx(first.x0, abs=3)


def test_page_confidence_is_the_mean_word_confidence(scan300: dict[int, PageLayout]) -> None:
    page = scan300[1]
    confidences = [w.conf or 0.0 for line in page.lines for w in line.words]
    assert page.ocr_confidence == pytest.approx(sum(confidences) / len(confidences), abs=1e-3)


# --- our own small pages: parallel, deterministic, /Rotate -----------------------------------


def test_parallel_and_serial_give_the_same_pages(tmp_path: Path) -> None:
    scan = own_scan(tmp_path, pages=2)
    serial = ocr.read_pages(scan, [2, 1], jobs=1)
    parallel = ocr.read_pages(scan, [2, 1], jobs=2)
    assert list(serial) == list(parallel) == [2, 1]  # in the order asked for
    assert serial == parallel
    assert serial[2].lines[0].text == "Nyheter från föreningen 2"


def test_page_task_is_a_picklable_top_level_function(tmp_path: Path) -> None:
    import pickle

    task = ocr.PageTask(str(own_scan(tmp_path)), 1, "swe+eng", 200, None)
    number, page = pickle.loads(pickle.dumps(ocr.ocr_page_task))(pickle.loads(pickle.dumps(task)))
    assert number == 1 and page.lines[0].text == "Nyheter från föreningen"


def test_rotate_key_is_honoured(tmp_path: Path) -> None:
    scan = own_scan(tmp_path, turn=90)  # the image lies on its side ...
    document = pdfium.PdfDocument(str(scan))
    document[0].set_rotation(270)  # ... and /Rotate turns it back for the reader
    rotated = tmp_path / "rotate-key.pdf"
    document.save(str(rotated))
    document.close()
    page = ocr.read_pages(rotated, [1])[1]
    assert page.signals.rotation == 270
    assert page.lines[0].text == "Nyheter från föreningen"
    assert page.width is not None and page.height is not None and page.width < page.height


def test_skew_estimate(tmp_path: Path) -> None:
    image = render_page(own_scan(tmp_path, dpi=150), 1, dpi=150).image
    assert estimate_skew(image) == 0.0
    assert estimate_skew(image.rotate(-2.0, fillcolor=255)) == pytest.approx(2.0, abs=0.2)
    assert estimate_skew(Image.new("L", (600, 800), 255)) == 0.0  # a blank page


# --- what is missing, and what fails ---------------------------------------------------------


def test_missing_tesseract_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    with pytest.raises(MissingDependencyError) as error:
        ocr.read_pages(fixture_file(SCAN_200), [1])
    message = str(error.value)
    assert "\n" not in message
    assert "apt-get install tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng" in message
    assert error.value.exit_code == 6


def test_a_binary_that_is_not_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    true = shutil.which("true")
    if true is None:
        pytest.skip("no `true` binary")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", true)
    with pytest.raises(MissingDependencyError, match="does not work") as error:
        ocr.check_tesseract("swe+eng")
    assert "\n" not in str(error.value)


def test_missing_language_data_names_the_package() -> None:
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr-xyz"):
        ocr.check_tesseract("swe+xyz")
    with pytest.raises(MissingDependencyError, match="not a Tesseract language list"):
        ocr.check_tesseract("swe; rm -rf /")


def test_a_page_that_cannot_be_rendered(tmp_path: Path) -> None:
    with pytest.raises(OcrError, match="no page 3"):
        ocr.read_pages(own_scan(tmp_path), [3])
