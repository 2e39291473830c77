"""Old OCR layers judged by their words and their order, then repaired as OCR text.

An old layer drawn straight across two columns (its own lines run over the gutter) is read
column by column from its word boxes, and the page's reason says so; a kept old layer goes
through the repair in OCR mode. The PDFs are drawn here with reportlab: a page-size image under
invisible text (render mode 3), as OCR tools write their layers.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline import Options, convert
from pipeline.extract import read_pdf
from pipeline.lexicon import load_lexicon
from pipeline.triage import needs_ocr

LEFT = [
    "Styrelsen har träffats",
    "varje månad under",
    "våren för att planera",
    "arbetet med gården",
    "och tvättstugan. Nya",
    "cykelställ kommer att",
    "byggas vid porten och",
    "på baksidan av huset.",
]
RIGHT = [
    "Lördagen den femte maj",
    "håller vi städdag och",
    "föreningen bjuder på",
    "kaffe och smörgåsar",
    "efteråt. Ta gärna med",
    "grannarna och barnen",
    "så att vi blir många.",
    "Alla är välkomna!",
]


def _old_layer(path: Path, rows: list[tuple[str, ...]], xs: tuple[float, ...]) -> Path:
    """A page-size image under an invisible layer whose lines are drawn as `rows`: each row's
    parts in one line of the layer, at the x positions `xs`."""
    drawing = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    drawing.drawImage(ImageReader(Image.new("L", (300, 420), 250)), 0, 0, width, height)
    text = drawing.beginText()
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 11)
    for i, row in enumerate(rows):
        for part, x in zip(row, xs, strict=True):
            text.setTextOrigin(x, 760 - 15 * i)
            text.textOut(part)
    drawing.drawText(text)
    drawing.showPage()
    drawing.save()
    return path


def test_a_layer_drawn_across_two_columns_is_read_column_by_column(tmp_path: Path) -> None:
    pdf = _old_layer(tmp_path / "across.pdf", list(zip(LEFT, RIGHT, strict=True)), (60, 320))
    [page] = read_pdf(pdf).pages
    assert page.signals.crossing_lines == len(LEFT)
    assert [line.text for line in page.lines] == LEFT + RIGHT
    decision = needs_ocr(page, load_lexicon())
    assert not decision.ocr
    assert decision.reason == (
        "old OCR layer reads well (lexicon share 1.00); its order: 8 lines across a column "
        "gutter, read column by column by word boxes; its words kept, repaired as OCR text"
    )


def test_a_layer_drawn_column_by_column_crosses_no_gutter(tmp_path: Path) -> None:
    rows = [(line,) for line in LEFT] + [(line,) for line in RIGHT]
    pdf = tmp_path / "columns.pdf"
    drawing = canvas.Canvas(str(pdf), pagesize=A4, invariant=1)
    width, height = A4
    drawing.drawImage(ImageReader(Image.new("L", (300, 420), 250)), 0, 0, width, height)
    text = drawing.beginText()
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 11)
    for i, (line,) in enumerate(rows):
        text.setTextOrigin(60 if i < len(LEFT) else 320, 760 - 15 * (i % len(LEFT)))
        text.textOut(line)
    drawing.drawText(text)
    drawing.showPage()
    drawing.save()
    [page] = read_pdf(pdf).pages
    assert page.signals.crossing_lines == 0
    assert [line.text for line in page.lines] == LEFT + RIGHT
    assert "its order: no line across a column gutter" in needs_ocr(page, load_lexicon()).reason


def test_a_kept_old_layer_is_repaired_as_ocr_text(tmp_path: Path) -> None:
    """`& 1` and `&2` at the starts of numbered paragraphs: the old layer's misread `§`."""
    rows = [
        ("& 1 Mötets öppnande",),
        ("Ordföranden hälsade alla välkomna till mötet.",),
        ("&2 Val av sekreterare",),
        ("Till sekreterare valdes en av ledamöterna och mötet fortsatte.",),
        ("&3 Val av justerare",),
        ("Till justerare valdes två av medlemmarna som var närvarande.",),
        ("&4 Avslutning",),
        ("Ordföranden tackade alla för visat intresse och avslutade mötet.",),
    ]
    pdf = _old_layer(tmp_path / "minutes.pdf", rows, (60,))
    document = convert(pdf, Options(ocr="auto"))
    assert document.pages[0].method == "text-layer"
    assert "repaired as OCR text" in document.pages[0].reason
    assert "§ 1 Mötets öppnande" in document.text and "§ 4 Avslutning" in document.text
    assert [(r.stage, r.before, r.after) for r in document.repairs] == [
        ("symbols", "& ", "§ "),
        *[("symbols", "&", "§ ")] * 3,
    ]
