"""Tables and label-value lists read row by row as `table_row` blocks with their cells; prose
columns and lists still read as they were."""

from __future__ import annotations

import json

import jsonschema

from pipeline import Options, convert, json_schema, to_json
from pipeline.columns import layout_lines, layout_rows
from pipeline.extract import read_pdf
from pipeline.layout import Word
from pipeline.model import Document
from pipeline.outputs.render import to_markdown

from .conftest import fixture_file, needs_tesseract
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
    assert "Ordförande:\tAnna Berg" in texts
    assert "Vice ordförande:\tLars Holm" in texts
    document = convert(pdf)
    result = score(document, truth_for(pdf))
    assert result.wer == 0.0
    assert not any(":" in (s.heading or "") for s in document.sections)
    assert _rows(document) == _truth_rows(pdf)
    assert "Ordförande:\tAnna Berg\n\nVice ordförande:\tLars Holm" in document.text


def _rows(document: Document) -> list[list[str]]:
    return [b.cells or [] for s in document.sections for b in s.blocks if b.type == "table_row"]


def _truth_rows(pdf: object) -> list[list[str]]:
    return [list(b.cells) for b in truth_for(pdf).blocks if b.kind == "table_row"]  # type: ignore[arg-type]


def _cells(words: list[Word]) -> list[list[str]]:
    """Each line as its cells (one cell: not a table row)."""
    out = []
    for placed in layout_rows(words):
        cells: list[list[str]] = [[] for _ in range(max(placed.columns, 1))]
        for k, i in enumerate(placed.words):
            cells[placed.cells[k] if placed.cells else 0].append(words[i].text)
        out.append([" ".join(cell) for cell in cells])
    return out


def test_a_grid_of_narrow_columns_is_read_as_rows_of_cells() -> None:
    """Dates, times and places: columns too narrow to be columns of text, lined up on their
    rows across white channels, are a table; each row keeps its cells."""
    rows = [("Tis 9 april", "18.00", "Författarkväll", "Stora salen"),
            ("Lör 13 april", "11.00", "Sagostund", "Barnavdelningen"),
            ("Ons 17 april", "17.30", "Kurs i släktforskning", "Studierummet"),
            ("Tor 25 april", "18.30", "Bokcirkel", "Läsesalongen")]
    words: list[Word] = []
    words += _row("Här är vårens program för alla som vill komma till biblioteket".split(),
                  50.0, 80.0)
    for k, row in enumerate(rows):
        for cell, x in zip(row, (50.0, 130.0, 170.0, 300.0), strict=True):
            words += _row(cell.split(), x, 100.0 + 14 * k)
    assert _cells(words)[1:] == [list(row) for row in rows]


def test_a_list_with_hanging_indents_is_not_a_table() -> None:
    words: list[Word] = []
    for k, text in enumerate(["första punkten i listan", "andra punkten som", "tredje punkten",
                              "fjärde punkten i en lista"]):
        words += _row([f"{k + 1}."], 50.0, 100.0 + 14 * k)
        words += _row(text.split(), 80.0, 100.0 + 14 * k)
    assert all(len(cells) == 1 for cells in _cells(words))


def test_prose_columns_are_no_table_rows() -> None:
    words: list[Word] = []
    for k in range(8):
        words += _row(PROSE[:7], 50.0, 100.0 + 14 * k, step=4.0)
        words += _row(PROSE[7:], 300.0, 100.0 + 14 * k, step=4.0)
    assert all(len(cells) == 1 for cells in _cells(words))


def test_programme_fixture_reads_a_table_and_a_label_value_list_as_rows() -> None:
    """bibliotek_2024_04: a four-column programme (a bold header row; dates, times, events and
    rooms, the times' column narrower than a column of text) and a label-value list whose
    value wraps over two lines."""
    pdf = fixture_file("pdf/bibliotek_2024_04.pdf")
    document = convert(pdf)
    result = score(document, truth_for(pdf))
    assert result.wer == 0.0 and result.heading_f1 == 1.0
    assert _rows(document) == _truth_rows(pdf)
    rows = [b for s in document.sections for b in s.blocks if b.type == "table_row"]
    assert all(b.text == "\t".join(b.cells or []) for b in rows)
    jsonschema.validate(json.loads(to_json(document)), json_schema())
    markdown = to_markdown(document)
    assert "| Tis 9 april | 18.00 | Författarkväll med Karin Alm | Stora salen |" in markdown
    assert "| Barnböcker: | Jonas Öberg |" in markdown


def test_schema_names_the_table_row() -> None:
    block = json_schema()["$defs"]["Block"]  # type: ignore[index]
    assert "table_row" in block["properties"]["type"]["enum"]
    assert "cells" in block["properties"] and "cells" not in block.get("required", [])


def test_a_value_hyphenated_over_a_line_end_stays_in_its_cell() -> None:
    """The repair joins a word broken at a row's line end; the next line keeps its empty first
    cell, so the rest of the value still continues the row."""
    from pipeline.repair import repair_text, replay

    text = "Adress:\tStora Kyrko-\n\tgatan 4, Ekeby\nOrdförande:\tAnna Berg"
    result = repair_text(text)
    assert result.text == "Adress:\tStora Kyrkogatan\n\t4, Ekeby\nOrdförande:\tAnna Berg"
    assert replay(text, result.records) == result.text


def _numbered_page(pdf: object, lines: list[str]) -> None:
    """A transcript's page: Courier at a fixed pitch, each line numbered in the left margin
    (numbers right-aligned, blank lines numbered too)."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(pdf), invariant=1)
    canvas.setFont("Courier", 12)
    for k, text in enumerate(lines):
        y = 760 - 25.8 * k
        canvas.drawRightString(104.4, y, str(k + 1))
        if text:
            canvas.drawString(126.0, y, text)
    canvas.save()


TRANSCRIPT = [
    "PROTOKOLL FRÅN FÖRHANDLINGEN I TINGSRÄTTEN",
    "",
    "Förhandlingen börjar klockan nio på morgonen och",
    "rätten går igenom de handlingar som kommit in sedan",
    "det förra mötet i målet mellan parterna.",
    "",
    "Ordföranden frågar om parterna har något att tillägga",
    "och om vittnena har kallats i behörig ordning till",
    "förhandlingen i dag.",
    "",
    "Målet tas upp igen efter lunch klockan ett.",
    "",
]


def test_line_numbers_beside_prose_are_no_table_and_the_text_flows(tmp_path: object) -> None:
    """A column of consecutive integers, one on each text line (blank lines too), beside lines
    of prose is line numbering: furniture, not a table's first column; the sentences run on
    over the numbered lines as prose."""
    from pathlib import Path

    pdf = Path(str(tmp_path)) / "transcript.pdf"
    _numbered_page(pdf, TRANSCRIPT)
    document = convert(pdf)
    assert not _rows(document)
    assert "morgonen och rätten går igenom de handlingar som kommit in sedan det förra" in (
        document.text
    )
    assert not any(str(n) in document.text.split() for n in range(1, len(TRANSCRIPT) + 1))


def test_a_numbered_list_of_one_line_items_keeps_its_numbers() -> None:
    """Consecutive numbers before one-line items that each start anew (an agenda) number the
    items, not the lines: they stay in the text."""
    from pipeline.linenumbers import line_numbers

    items = ["Mötets öppnande och val av ordförande", "Val av sekreterare för mötet",
             "Val av två justerare och rösträknare", "Godkännande av dagordningen här",
             "Styrelsens verksamhetsberättelse för året", "Beslut om ansvarsfrihet för styrelsen"]
    words: list[Word] = []
    for k, item in enumerate(items):
        words += _row([str(k + 1)], 50.0, 100.0 + 14 * k)
        words += _row(item.split(), 80.0, 100.0 + 14 * k)
    assert line_numbers(words) == set()
    assert _texts(words)[0] == "1 Mötets öppnande och val av ordförande"


def test_a_drawings_letters_on_rows_and_columns_are_no_table(tmp_path: object) -> None:
    """A figure's labels (single letters at its corners and edges) line up in rows and
    columns like cells, but hold no words: no table rows, the labels read as they are."""
    from pathlib import Path

    from reportlab.pdfgen.canvas import Canvas

    pdf = Path(str(tmp_path)) / "figure.pdf"
    canvas = Canvas(str(pdf), invariant=1)
    canvas.setFont("Helvetica", 10)
    for k, sentence in enumerate([
        "Figuren visar ett nät av punkter och kanter som hänger ihop två och två.",
        "Varje kant har en bokstav och varje hörn har en egen bokstav i figuren.",
    ]):
        canvas.drawString(60, 760 - 14 * k, sentence)
    labels = [("a", "b", "a"), ("b", "M", "b"), ("c", "d", "c"), ("b", "M", "b")]
    for k, row in enumerate(labels):
        for label, x in zip(row, (120.0, 200.0, 280.0), strict=True):
            canvas.drawString(x, 690 - 30 * k, label)
    canvas.drawString(60, 540, "Under figuren går texten vidare som vanligt i spalten.")
    canvas.save()
    document = convert(pdf)
    assert not _rows(document)
    assert "a b a" in document.text and "c d c" in document.text


def test_a_page_number_under_a_grid_is_no_row_of_it() -> None:
    """A lone line under a table, in its first column only (the page number under a table
    of contents), is not a row of the table."""
    words: list[Word] = []
    for k, (title, page_no) in enumerate([("Inledning", "2"), ("Styrelsen", "3"),
                                          ("Ekonomin", "5"), ("Kalendern", "7")]):
        words += _row([title], 50.0, 100.0 + 14 * k)
        words += _row([page_no], 300.0, 100.0 + 14 * k)
    words += _row(["1"], 160.0, 400.0)
    cells = _cells(words)
    assert cells[:4] == [["Inledning", "2"], ["Styrelsen", "3"], ["Ekonomin", "5"],
                         ["Kalendern", "7"]]
    assert cells[4] == ["1"]


@needs_tesseract
def test_a_label_value_list_read_by_tesseract_reads_row_by_row() -> None:
    """kyrkokoret_2024_02 read by Tesseract (`--ocr always`): Tesseract's words go through the
    same table rule, so the roles and names read row by row with their cells, not as Tesseract
    groups them; the words are the same as before."""
    pdf = fixture_file("pdf/kyrkokoret_2024_02.pdf")
    document = convert(pdf, Options(ocr="always"))
    assert all(page.method == "ocr" for page in document.pages)
    assert _rows(document) == _truth_rows(pdf)
    result = score(document, truth_for(pdf))
    assert result.wer <= 0.002 and result.heading_f1 == 1.0


def test_ocr_lines_outside_a_table_stay_as_tesseract_read_them() -> None:
    """Only a table's words are moved: a page without one keeps Tesseract's lines as they are;
    labels and names that Tesseract read as two blocks come back as rows, after the prose."""
    from pipeline.layout import Line
    from pipeline.ocrtables import read_tables

    def line(words: list[Word], block: int) -> Line:
        return Line(" ".join(w.text for w in words), min(w.x0 for w in words),
                    min(w.top for w in words), max(w.x1 for w in words),
                    max(w.bottom for w in words), 10.0, False, block, words=tuple(words))

    prose = [line(_row(PROSE, 50.0, 60.0 + 14 * k), 0) for k in range(3)]
    assert read_tables(prose) == tuple(prose)
    roles = ["Ordförande:", "Sekreterare:", "Kassör:", "Revisor:", "Suppleant:"]
    labels = [line(_row([role], 50.0, 140.0 + 14 * k), 1) for k, role in enumerate(roles)]
    names = [line(_row(["Anna", f"Berg{k}"], 170.0, 140.0 + 14 * k), 2) for k in range(5)]
    lines = read_tables([*prose, *labels, *names])
    assert lines[:3] == tuple(prose)
    assert [(x.text, x.table_row) for x in lines[3:]] == [
        ("Ordförande:\tAnna Berg0", True), ("Sekreterare:\tAnna Berg1", True),
        ("Kassör:\tAnna Berg2", True), ("Revisor:\tAnna Berg3", True),
        ("Suppleant:\tAnna Berg4", True)]
