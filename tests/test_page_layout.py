"""Page layout on the text layer: furniture by position, narrow gutters, word gaps."""

from __future__ import annotations

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
    """sormland_2022_06-narrow-gutter: two justified columns 6 pt apart on every page."""
    pdf = fixture_file("pdf/sormland_2022_06-narrow-gutter.pdf")
    pages = read_pdf(pdf).pages
    for page in pages:
        middle = (page.width or 0) / 2
        assert not any(line.x0 < middle - 10 and line.x1 > middle + 10 for line in page.lines)
    result = score(convert(pdf), truth_for(pdf))
    assert result.wer == 0.0
