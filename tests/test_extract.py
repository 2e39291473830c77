"""Extract stage: the text layer read with real pdfplumber from real PDFs.

Small PDFs are drawn with reportlab into tmp_path (two columns under a banner, a running footer,
a link annotation, fake-bold duplicates); the committed fixtures and ../shared/corpus are used
where present (tests skip cleanly without them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.columns import layout_lines
from pipeline.errors import EncryptedPdfError, NotPdfError, PipelineError
from pipeline.extract import PdfContent, is_bold, normalize_text, read_pdf
from pipeline.furniture import is_page_number
from pipeline.layout import PageLayout, Word

from .conftest import fixture_file, shared_file

WIDTH, HEIGHT = A4
LEFT = [f"Vänster spalt rad {i} om föreningens arbete" for i in range(1, 9)]
RIGHT = [f"Höger spalt rad {i} om styrelsens möten" for i in range(1, 9)]
URL = "https://www.example.se/nyhetsbrev/maj-2023"


def _top(c: canvas.Canvas, y: float) -> float:
    """reportlab's y (from the bottom) for a distance from the top."""
    return HEIGHT - y


def _two_columns(path: Path, pages: int = 3) -> Path:
    """Banner over two columns, a bold heading, a link, a repeated footer with page numbers."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("Testbladet maj 2023")
    c.setAuthor("Styrelsen")
    for n in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 22)
        c.drawString(60, _top(c, 70), f"Testbladet nummer {n} med en bred banderoll över sidan")
        c.setFont("Helvetica-Bold", 14)
        c.drawString(60, _top(c, 120), "Rubrik i vänster spalt")
        c.setFont("Helvetica", 10)
        for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
            y = 145 + 14 * i
            c.drawString(60, _top(c, y), left)
            c.drawString(320, _top(c, y), right)
        c.drawString(60, _top(c, 300), "Läs mer på webben om detta.")
        width = c.stringWidth("Läs mer på webben om detta.", "Helvetica", 10)
        c.linkURL(URL, (60, _top(c, 302), 60 + width, _top(c, 291)), relative=0)
        c.setFont("Helvetica", 8)
        c.drawString(60, _top(c, 810), "Testbladet · Brf Exempel · maj 2023")
        c.drawString(500, _top(c, 810), f"Sida {n}")
        c.showPage()
    c.save()
    return path


def _fake_bold(path: Path) -> Path:
    """A heading drawn twice, 0.3 pt apart (how some producers fake a bold weight)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 16)
    for dx in (0.0, 0.3):
        c.drawString(60 + dx, _top(c, 80), "Styrelsen informerar")
    c.setFont("Helvetica", 10)
    c.drawString(60, _top(c, 110), "Vanlig text under rubriken.")
    c.showPage()
    c.save()
    return path


def _broken_link(path: Path) -> Path:
    """One URL printed over two lines, with one link annotation per line."""
    url = "https://www.kommun.se/utbildning--barnomsorg/halsa-och-trygghet.html"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    first, second = "https://www.kommun.se/utbildning--", "barnomsorg/halsa-och-trygghet.html"
    for y, text in ((100, first), (113, second)):
        c.drawString(60, _top(c, y), text)
        width = c.stringWidth(text, "Helvetica", 10)
        c.linkURL(url, (60, _top(c, y + 2), 60 + width, _top(c, y - 9)), relative=0)
    c.showPage()
    c.save()
    return path


def _all_text(content: PdfContent) -> str:
    return "\n".join(page.text for page in content.pages)


# --- reading order, furniture, links, fonts -----------------------------------------------------


def test_banner_first_then_left_column_then_right(tmp_path: Path) -> None:
    content = read_pdf(_two_columns(tmp_path / "cols.pdf"))
    page = content.pages[0]
    texts = [line.text for line in page.lines]
    assert texts[0].startswith("Testbladet nummer 1")
    assert texts.index(LEFT[-1]) < texts.index(RIGHT[0])  # the whole left column first
    assert [t for t in texts if t in LEFT] == LEFT
    assert [t for t in texts if t in RIGHT] == RIGHT
    blocks = {line.text: line.block for line in page.lines}
    assert blocks[texts[0]] < blocks[LEFT[0]] < blocks[RIGHT[0]]
    assert [line.block for line in page.lines] == sorted(line.block for line in page.lines)


def test_repeated_footer_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    content = read_pdf(_two_columns(tmp_path / "cols.pdf"))
    text = _all_text(content)
    assert "Brf Exempel" not in text
    assert "Sida" not in text
    assert all(page.lines for page in content.pages)  # the content itself stays


def test_link_annotation_carries_url_and_covered_text(tmp_path: Path) -> None:
    content = read_pdf(_two_columns(tmp_path / "cols.pdf", pages=1))
    (link,) = content.pages[0].links
    assert link.url == URL
    assert link.text == "Läs mer på webben om detta."
    assert link.x0 < link.x1 and link.top < link.bottom


def test_url_broken_over_two_lines_is_one_link(tmp_path: Path) -> None:
    content = read_pdf(_broken_link(tmp_path / "link.pdf"))
    (link,) = content.pages[0].links
    assert link.url == "https://www.kommun.se/utbildning--barnomsorg/halsa-och-trygghet.html"
    assert link.text == link.url
    assert len(content.pages[0].lines) == 2  # the lines themselves stay as printed


def test_heading_size_and_weight(tmp_path: Path) -> None:
    page = read_pdf(_two_columns(tmp_path / "cols.pdf", pages=1)).pages[0]
    heading = next(line for line in page.lines if line.text == "Rubrik i vänster spalt")
    body = next(line for line in page.lines if line.text == LEFT[0])
    assert heading.bold and not body.bold
    assert heading.size == pytest.approx(14, abs=0.1)
    assert body.size == pytest.approx(10, abs=0.1)
    assert [w.text for w in heading.words] == ["Rubrik", "i", "vänster", "spalt"]


def test_fake_bold_duplicates_are_removed(tmp_path: Path) -> None:
    page = read_pdf(_fake_bold(tmp_path / "dup.pdf")).pages[0]
    assert page.lines[0].text == "Styrelsen informerar"
    assert page.lines[1].text == "Vanlig text under rubriken."


def test_info_and_page_geometry(tmp_path: Path) -> None:
    content = read_pdf(_two_columns(tmp_path / "cols.pdf", pages=2))
    assert content.info["Title"] == "Testbladet maj 2023"
    assert content.info["Author"] == "Styrelsen"
    page = content.pages[1]
    assert (page.number, page.width, page.height) == (2, round(WIDTH, 2), round(HEIGHT, 2))
    assert page.method == "text-layer" and page.quality == 1.0
    assert page.signals.chars > 300 and page.signals.invisible_chars == 0
    assert page.signals.bad_glyphs == 0 and page.signals.rotation == 0


def test_max_pages_and_determinism(tmp_path: Path) -> None:
    path = _two_columns(tmp_path / "cols.pdf")
    assert len(read_pdf(path, max_pages=2).pages) == 2
    assert read_pdf(path) == read_pdf(path)


# --- errors -------------------------------------------------------------------------------------


def test_encrypted_needs_the_password(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, encrypt="hemligt", invariant=1)
    c.drawString(60, 700, "Hemligt nyhetsbrev")
    c.showPage()
    c.save()
    with pytest.raises(EncryptedPdfError, match="--password"):
        read_pdf(path)
    with pytest.raises(EncryptedPdfError, match="wrong"):
        read_pdf(path, password="fel")
    assert read_pdf(path, password="hemligt").pages[0].text == "Hemligt nyhetsbrev"


@pytest.mark.parametrize(
    "data",
    [b"", "Det här är ingen PDF.\n".encode(), b"%PDF-1.4\n" + bytes(range(256)) * 8],
    ids=["empty", "text", "garbage"],
)
def test_not_a_pdf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(NotPdfError):
        read_pdf(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _two_columns(tmp_path / "cols.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(NotPdfError):
        read_pdf(path)


def test_missing_file_is_a_pipeline_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError):
        read_pdf(tmp_path / "finns-inte.pdf")


# --- pure helpers -------------------------------------------------------------------------------


def test_bold_names_and_text_normalization() -> None:
    assert is_bold("ABCDEE+Calibri,Bold") and is_bold("Roboto-Black")
    assert not is_bold("ABCDEE+Calibri,Italic")
    assert normalize_text("ﬂödet ﬁnns") == "flödet finns"
    assert normalize_text("a\u0308ven") == "även"
    assert normalize_text("½ m²") == "½ m²"  # only ligatures are unfolded
    assert is_page_number("Sida 3") and is_page_number("3 (12)") and not is_page_number("3 maj")


def _word(text: str, x0: float, top: float, size: float = 10.0) -> Word:
    return Word(text, x0, top, x0 + 6 * len(text), top + size, size, False)


def test_layout_lines_reads_columns_of_a_band_in_turn() -> None:
    words = [
        _word("Banderollen", 60, 50, 20),
        _word("sträcker", 132, 50, 20),
        _word("sig", 186, 50, 20),
        _word("över", 210, 50, 20),
        _word("sidan", 240, 50, 20),
        _word("och", 276, 50, 20),
        _word("spalterna", 300, 50, 20),
    ]
    for i in range(4):
        for k, x in enumerate((60, 120, 180)):
            words.append(_word(f"vänster{i}{k}", x, 100 + 14 * i))
        for k, x in enumerate((320, 368, 416)):
            words.append(_word(f"höger{i}{k}", x, 100 + 14 * i))
    words.append(_word("Sist", 60, 200))
    words.append(_word("över", 90, 200))
    words.append(_word("hela", 120, 200))
    words.append(_word("bredden", 150, 200))
    words.append(_word("av", 198, 200))
    words.append(_word("sidan", 216, 200))
    words.append(_word("under", 252, 200))
    words.append(_word("spalterna", 288, 200))
    words.append(_word("längst", 348, 200))
    words.append(_word("ned", 390, 200))
    order = [" ".join(words[i].text for i in line) for _, line in layout_lines(words)]
    assert order == [
        "Banderollen sträcker sig över sidan och spalterna",
        *(f"vänster{i}0 vänster{i}1 vänster{i}2" for i in range(4)),
        *(f"höger{i}0 höger{i}1 höger{i}2" for i in range(4)),
        "Sist över hela bredden av sidan under spalterna längst ned",
    ]


def test_layout_lines_keeps_a_table_row_together() -> None:
    words = [
        _word("Måndag", 60, 100),
        _word("18.00", 300, 100),
        _word("Tisdag", 60, 114),
        _word("19.00", 300, 114),
    ]
    order = [" ".join(words[i].text for i in line) for _, line in layout_lines(words)]
    assert order == ["Måndag 18.00", "Tisdag 19.00"]


# --- committed fixtures -------------------------------------------------------------------------


def test_fixture_banner_and_columns_in_order() -> None:
    content = read_pdf(fixture_file("pdf/sormland_2022_12.pdf"))
    texts = [line.text for line in content.pages[0].lines]
    assert texts[0].startswith("Tillsammans för barnens bästa")
    assert texts.index("Vad händer nu?") < texts.index("Vad händer framåt?")
    assert not any(t.startswith("Sida") for page in content.pages for t in page.text.split("\n"))
    urls = [link.url for page in content.pages for link in page.links]
    falun = "https://www.falun.se/utbildning--barnomsorg/halsa-och-trygghet/"
    assert falun + "tillsammans-for-varje-barn.html" in urls
    assert len(urls) == len(set(urls))


def test_fixture_sidebar_after_main_column() -> None:
    page = read_pdf(fixture_file("pdf/brf_lonnen_2023_05.pdf")).pages[0]
    texts = [line.text for line in page.lines]
    assert texts.index("Bra att veta") > texts.index("Sopsortering och återbruk")
    assert not any("Miljöbladet ·" in t for t in texts)


def test_fixture_old_ocr_layer_is_invisible_over_an_image() -> None:
    page = read_pdf(fixture_file("pdf/sormland_2022_06-old-ocr-layer.pdf")).pages[0]
    assert page.signals.chars > 500
    assert page.signals.invisible_chars == page.signals.chars
    assert page.signals.image_coverage > 0.95


# --- the real corpus ----------------------------------------------------------------------------


def _corpus(sub: str) -> list[Path]:
    return sorted(shared_file(f"corpus/{sub}").glob("*.pdf"))


def test_word365_tags_give_roles() -> None:
    path = shared_file("corpus/wild/pdfplumber__word365_structure.pdf")
    lines = read_pdf(path).pages[0].lines
    roles = {line.text: line.role for line in lines}
    assert roles["Titre"] == "H1"
    assert roles["Lorem ipsum dolor"] == "P"
    assert sum(1 for line in lines if line.role == "LI") == 5


def test_password_example_opens_with_its_password() -> None:
    path = shared_file("corpus/wild/pdfplumber__password-example.pdf")
    with pytest.raises(EncryptedPdfError):
        read_pdf(path)
    content = read_pdf(path, password="test")
    assert len(content.pages) >= 1 and any(page.lines for page in content.pages)


def test_duplicate_chars_corpus_file() -> None:
    path = shared_file("corpus/wild/pdfplumber__issue-71-duplicate-chars.pdf")
    text = _all_text(read_pdf(path))
    assert "项目描述" in text and "项项目目" not in text


def test_rotated_page_reads_like_the_upright_one() -> None:
    upright = shared_file("corpus/wild/pdfplumber__nics-background-checks-2015-11.pdf")
    rotated = shared_file("corpus/wild/pdfplumber__nics-background-checks-2015-11-rotated.pdf")
    a, b = read_pdf(upright).pages[0], read_pdf(rotated).pages[0]
    assert b.signals.rotation == 90
    assert b.text.split("\n")[:20] == a.text.split("\n")[:20]


def test_swedish_newsletters_read_with_headings_in_bold() -> None:
    for path in _corpus("sv"):
        content = read_pdf(path, max_pages=4)
        assert all(isinstance(page, PageLayout) for page in content.pages)
        if "nyhetsbrev" in path.name:
            text = _all_text(content)
            assert "å" in text and "ö" in text
            assert any(line.bold or line.size > 13 for p in content.pages for line in p.lines)


def test_every_corpus_pdf_reads_or_raises_a_pipeline_error() -> None:
    files = [p for p in _corpus("sv") + _corpus("wild") if p.stat().st_size <= 5_000_000]
    for path in files:
        try:
            content = read_pdf(path, max_pages=12)
        except PipelineError:
            continue
        assert content.pages, path.name
        for page in content.pages:
            for line in page.lines:
                # a table row's cells are apart by tabs, an empty cell where the row has none
                for cell in line.text.split("\t") if line.table_row else [line.text]:
                    assert cell == cell.strip() and "  " not in cell, path.name
                assert "\t" not in line.text or line.table_row, path.name


def test_word_split_at_a_font_change_is_one_word(tmp_path: Path) -> None:
    path = tmp_path / "initial.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    text = c.beginText(60, _top(c, 80))
    text.setFont("Helvetica-Bold", 12)
    text.textOut("S")
    text.setFont("Helvetica", 12)
    text.textOut("tyrelsen har ordet")
    c.drawText(text)
    c.showPage()
    c.save()
    line = read_pdf(path).pages[0].lines[0]
    assert line.text == "Styrelsen har ordet"
    assert not line.bold


def test_link_text_stops_at_the_annotation_edge(tmp_path: Path) -> None:
    """Punctuation just outside the link's rectangle is not part of its text."""
    path = tmp_path / "paren.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(60, _top(c, 100), "(se Startsida (kommun.se)).")
    start = c.stringWidth("(se ", "Helvetica", 10)
    end = c.stringWidth("(se Startsida (kommun.se)", "Helvetica", 10)
    c.linkURL("https://kommun.se/", (60 + start, _top(c, 102), 60 + end, _top(c, 91)), relative=0)
    c.showPage()
    c.save()
    (link,) = read_pdf(path).pages[0].links
    assert link.text == "Startsida (kommun.se)"


def test_layout_lines_does_not_split_a_paragraph_at_a_river() -> None:
    """Two justified lines whose wide word gaps happen to line up are not two columns."""
    words: list[Word] = []
    for row in range(5):
        x = 60.0
        for k in range(8):
            text = f"ord{row}{k}"
            words.append(_word(text, x, 100 + 14 * row))
            gap = 12.0 if row in (1, 2) and k == 3 else 4.0  # a river between words 3 and 4
            x += 6 * len(text) + gap
    order = [" ".join(words[i].text for i in line) for _, line in layout_lines(words)]
    assert order == [" ".join(f"ord{row}{k}" for k in range(8)) for row in range(5)]


def _spaced_rows(rows: int, gutter: float, across: range) -> list[Word]:
    """Lines of an old OCR layer (word gaps of 7 pt, 0.7 em) whose rows in `across` leave a
    `gutter`-wide white at the same place; the others run over it."""
    words: list[Word] = []
    for row in range(rows):
        x = 60.0
        for k in range(8):
            text = f"ord{row}{k}"
            words.append(_word(text, x, 100 + 14 * row))
            x += 6 * len(text) + (gutter if row in across and k == 3 else 7.0)
    return words


def test_layout_lines_reads_an_old_layer_with_wide_word_gaps_as_one_column() -> None:
    """Three lines whose word gaps line up, hardly wider than the page's word gaps: one column."""
    words = _spaced_rows(8, 8.0, range(3, 6))
    order = [" ".join(words[i].text for i in line) for _, line in layout_lines(words)]
    assert order == [" ".join(f"ord{row}{k}" for k in range(8)) for row in range(8)]


def test_layout_lines_finds_a_narrow_gutter_shared_by_many_rows() -> None:
    """The same narrow white down ten rows is a gutter: each column is read in turn."""
    words = _spaced_rows(10, 8.0, range(10))
    order = [" ".join(words[i].text for i in line) for _, line in layout_lines(words)]
    left = [" ".join(f"ord{row}{k}" for k in range(4)) for row in range(10)]
    right = [" ".join(f"ord{row}{k}" for k in range(4, 8)) for row in range(10)]
    assert order == left + right


def test_two_annotations_over_one_address_give_its_text_once(tmp_path: Path) -> None:
    """Issue 14: a link's text came out doubled (`info@brfimatra.se info@brfimatra.se`) where a
    PDF draws two overlapping annotations of the same link over the same words."""
    path = tmp_path / "twice.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(60, _top(c, 100), "Mejla info@ekeby.se i dag.")
    start = c.stringWidth("Mejla ", "Helvetica", 10)
    end = c.stringWidth("Mejla info@ekeby.se", "Helvetica", 10)
    for grow in (0.0, 1.5):
        rect = (60 + start - grow, _top(c, 102 + grow), 60 + end + grow, _top(c, 91 - grow))
        c.linkURL("mailto:info@ekeby.se", rect, relative=0)
    c.showPage()
    c.save()
    (link,) = read_pdf(path).pages[0].links
    assert link.text == "info@ekeby.se"
