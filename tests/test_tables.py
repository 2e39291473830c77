"""Tables and label-value lists read row by row, prose columns still column by column."""

from __future__ import annotations

from pipeline import convert
from pipeline.columns import layout_lines
from pipeline.extract import read_pdf
from pipeline.layout import Word

from .conftest import fixture_file
from .quality import score, truth_for

PROSE = "det här är en rad med vanlig löptext som flyter nedåt i spalten".split()


def _row(words: list[str], x: float, top: float, step: float = 5.5) -> list[Word]:
    out = []
    for text in words:
        width = step * len(text)
        out.append(Word(text, x, top, x + width, top + 10.0, 10.0, False))
        x += width + 3.0
    return out


def _texts(words: list[Word]) -> list[str]:
    return [" ".join(words[i].text for i in line) for _, line in layout_lines(words)]


def test_label_value_rows_are_read_row_by_row() -> None:
    labels = ["Ordförande:", "Vice ordförande:", "Sekreterare:", "Kassör:", "Revisor:"]
    words: list[Word] = []
    for k, label in enumerate(labels):
        words += _row(label.split(), 50.0, 100.0 + 14 * k)
        words += _row(["Förnamn", f"Efternamn{k}"], 170.0, 100.0 + 14 * k)
    lines = _texts(words)
    assert lines[0] == "Ordförande: Förnamn Efternamn0"
    assert lines[1] == "Vice ordförande: Förnamn Efternamn1"
    assert len(lines) == len(labels)


def test_prose_columns_on_the_same_baselines_stay_columns() -> None:
    words: list[Word] = []
    for k in range(8):
        words += _row(PROSE[:7], 50.0, 100.0 + 14 * k, step=4.0)
        words += _row(PROSE[7:], 300.0, 100.0 + 14 * k, step=4.0)
    lines = _texts(words)
    assert lines[:8] == [" ".join(PROSE[:7])] * 8
    assert lines[8:] == [" ".join(PROSE[7:])] * 8


def test_roles_and_names_fixture_reads_each_pair_on_one_line() -> None:
    """kyrkokoret_2024_02: a two-column list of roles (bold, ending in `:`) and names between
    paragraphs of prose, values at a tab stop on the labels' baselines."""
    pdf = fixture_file("pdf/kyrkokoret_2024_02.pdf")
    texts = [line.text for page in read_pdf(pdf).pages for line in page.lines]
    assert "Ordförande: Anna Berg" in texts
    assert "Vice ordförande: Lars Holm" in texts
    document = convert(pdf)
    result = score(document, truth_for(pdf))
    assert result.wer == 0.0
    blocks = [b for section in document.sections for b in section.blocks]
    assert not any(b.type == "heading" and ":" in b.text for b in blocks)
    assert "Ordförande: Anna Berg\nVice ordförande: Lars Holm" in document.text
