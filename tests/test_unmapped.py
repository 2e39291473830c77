"""Glyphs without Unicode: named from the font's encoding or PDFium's text page, never
"(cid:N)" in the output; what nothing names is left out and said in the page's reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipeline import convert
from pipeline.extract import read_pdf
from pipeline.layout import Line, PageLayout, PageSignals
from pipeline.lexicon import load_lexicon
from pipeline.triage import needs_ocr

from .conftest import fixture_file, shared_file
from .quality import score, truth_for


def test_winansi_bullet_in_a_standard_helvetica_starts_list_items() -> None:
    """brf_granen_2023_12 draws its bullets as code 127 in a non-embedded WinAnsi Helvetica
    without ToUnicode: pdfminer says "(cid:127)"; the PDF spec says bullet."""
    pdf = fixture_file("pdf/brf_granen_2023_12.pdf")
    page = read_pdf(pdf).pages[0]
    assert "(cid:" not in page.text
    assert page.signals.unmapped == 0
    assert sum(line.text.startswith("• ") for line in page.lines) == 8
    result = score(convert(pdf), truth_for(pdf))
    assert result.missing_items == []


def test_glyphs_pdfium_cannot_name_either_are_left_out_and_counted() -> None:
    """A LaTeX paper's math symbols (CMSY, MSAM without ToUnicode): some PDFium names, the
    rest are left out, never "(cid:N)"."""
    pdf = shared_file("corpus/wild/samplefiles__GeoTopo-komprimiert.pdf")
    pages = read_pdf(pdf, max_pages=10).pages
    assert not any("(cid:" in page.text for page in pages)
    assert sum(page.signals.unmapped for page in pages) > 0


def test_a_page_says_how_many_glyphs_were_left_out() -> None:
    line = Line("Målet är att alla barn ska må bra", 0, 0, 1, 1, 11, False)
    signals = PageSignals(chars=400, bad_glyphs=2, unmapped=2)
    page = PageLayout(1, 595, 842, (line,), signals=signals)
    decision = needs_ocr(page, load_lexicon())
    assert not decision.ocr
    assert decision.reason.endswith("; 2 glyphs without Unicode left out")


def test_a_page_mostly_of_unnamed_glyphs_goes_to_ocr() -> None:
    line = Line("Målet är att alla barn ska må bra", 0, 0, 1, 1, 11, False)
    signals = PageSignals(chars=100, bad_glyphs=60, unmapped=60)
    page = PageLayout(1, 595, 842, (line,), signals=signals)
    decision = needs_ocr(page, load_lexicon())
    assert decision.ocr
    assert "(cid:" not in decision.reason  # the reason is output too


def _dingbat_pdf(path: Path) -> Path:
    """Three lines, each after a bullet in a standard, non-embedded symbol font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = 800.0
    bullets = (("Symbol", "\u2022"), ("ZapfDingbats", "\u25a0"), ("ZapfDingbats", "\u25cf"))
    for font, bullet in bullets:
        c.setFont(font, 10)
        c.drawString(60, y, bullet)
        c.setFont("Helvetica", 10)
        c.drawString(75, y, "Lämna nyckeln till styrelsen före fredag.")
        y -= 14
    c.showPage()
    c.save()
    return path


def test_dingbat_bullets_read_as_letters_by_pdfminer_are_symbols(tmp_path: Path) -> None:
    """ZapfDingbats, not embedded, no ToUnicode: pdfminer reads its black square as "n" and its
    black circle as "l"; PDFium knows the font's symbols. Each line starts a list item."""
    path = _dingbat_pdf(tmp_path / "dingbats.pdf")
    lines = [line.text for line in read_pdf(path).pages[0].lines]
    assert [line[0] for line in lines] == ["•", "■", "●"]
    document = convert(path)
    items = [b for s in document.sections for b in s.blocks if b.type == "list_item"]
    assert len(items) == 3


def test_what_is_read_does_not_depend_on_ocrmypdf_being_imported(tmp_path: Path) -> None:
    """OCRmyPDF patches pdfminer when it is imported (the searchable-PDF writer imports it):
    a simple font without ToUnicode or Encoding then maps no code. A fresh process that never
    imports it and this one, after importing it, read the same lines."""
    import ocrmypdf  # noqa: F401  the import is the point

    path = _dingbat_pdf(tmp_path / "dingbats.pdf")
    code = (
        "import sys; from pipeline.extract import read_pdf; "
        "print('\\n'.join(l.text for l in read_pdf(sys.argv[1]).pages[0].lines))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    ).stdout.splitlines()
    here = [line.text for line in read_pdf(path).pages[0].lines]
    assert "ocrmypdf" not in fresh and here == fresh
    assert [line[0] for line in here] == ["•", "■", "●"]
