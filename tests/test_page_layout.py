"""Page layout on the text layer: furniture by position, narrow gutters, word gaps."""

from __future__ import annotations

from pathlib import Path

from pipeline import convert
from pipeline.extract import read_pdf

from .conftest import fixture_file
from .quality import score, truth_for


def test_one_page_footer_is_furniture_and_never_splits_a_column() -> None:
    """brf_granen_2023_12: one page, so the footer cannot be found by repetition; it sits in
    the bottom band under column 1, in smaller type, apart from the list above it."""
    pdf = fixture_file("pdf/brf_granen_2023_12.pdf")
    page = read_pdf(pdf).pages[0]
    assert not any("Nyhetsbrev" in line.text for line in page.lines)
    document = convert(pdf)
    assert "Nyhetsbrev – Brf Granen" not in document.text
    result = score(document, truth_for(pdf))
    assert result.wer == 0.0
    assert result.missing_items == []


def test_a_six_point_gutter_is_found_from_the_white_river() -> None:
    """sormland_2022_06-narrow-gutter: two justified columns 6 pt apart under a title that
    runs across both (so no gutter goes from the top of the page)."""
    pdf = fixture_file("pdf/sormland_2022_06-narrow-gutter.pdf")
    pages = read_pdf(pdf).pages
    for page in pages:
        middle = (page.width or 0) / 2
        body = [line for line in page.lines if line.size < 12]  # the title spans the gutter
        assert not any(line.x0 < middle - 10 and line.x1 > middle + 10 for line in body)
    assert pages[0].lines[0].text == "Tillsammans för barnens bästa i Sörmland"
    result = score(convert(pdf), truth_for(pdf))
    assert result.wer == 0.0


def test_words_of_a_page_that_draws_no_spaces_come_from_the_glyph_gaps(tmp_path: Path) -> None:
    """Each word placed on its own, no space glyphs, gaps of 0.2 em (2 pt, under pdfplumber's
    3 pt tolerance), as QuarkXPress sets a tight pull quote; the gaps give the words."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = [
        "Vi har haft en lång och kall vinter i föreningen",
        "men nu kommer våren och gården ska städas",
        "lördagen den sjätte maj klockan tio",
    ]
    path = tmp_path / "nospaces.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    for row, line in enumerate(lines):
        x = 60.0
        for word in line.split():
            c.drawString(x, A4[1] - 100 - 14 * row, word)
            x += c.stringWidth(word, "Helvetica", 10) + 2.0
    c.showPage()
    c.save()
    page = read_pdf(path).pages[0]
    assert [line.text for line in page.lines] == lines


def _words_with(extra: list[tuple[str, float, float, float]]) -> list:
    from pipeline.layout import Word

    def w(text: str, x0: float, top: float, size: float) -> Word:
        return Word(text, x0, top, x0 + 6 * len(text), top + size, size, False)

    body = [w("Brödtext", 50, 150 + 14 * k, 10.0) for k in range(40)]
    return body + [w(*spec) for spec in extra]


def test_a_small_caption_under_an_image_at_the_foot_is_not_furniture() -> None:
    from pipeline.furniture import by_position

    words = _words_with([("Foto:", 50, 800, 7.0), ("Anna", 90, 800, 7.0)])
    assert by_position(words, 842.0) == {40, 41}
    photo = (40.0, 720.0, 300.0, 795.0)  # x0, top, x1, bottom: right above the caption
    assert by_position(words, 842.0, [photo]) == set()


def test_a_masthead_date_line_at_the_top_of_page_one_is_kept() -> None:
    from pipeline.furniture import by_position

    words = _words_with([("Nr", 50, 30, 7.0), ("4", 70, 30, 7.0), ("2023", 80, 30, 7.0)])
    assert by_position(words, 842.0, first_page=True) == set()
    assert by_position(words, 842.0, first_page=False) == {40, 41, 42}


def test_a_footer_one_point_smaller_than_the_body_is_furniture() -> None:
    from pipeline.furniture import by_position

    words = _words_with([("Nyhetsbrev", 50, 800, 9.0), ("Föreningen", 130, 800, 9.0)])
    assert by_position(words, 842.0) == {40, 41}
    same = _words_with([("Nyhetsbrev", 50, 800, 10.0), ("Föreningen", 130, 800, 10.0)])
    assert by_position(same, 842.0) == set()  # body-size type at the foot is text
