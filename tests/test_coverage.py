"""An old OCR layer that lacks a printed line: found by its ink, read, and put back in order.

The PDFs are made by `fixtures/make_fixtures.py` (`render_scan`) into a temporary folder: the
old-layer fixture's first page, its layer once with every line and once without one printed
body line. The truth is the fixture's own (`fixtures/truth/sormland_2022_06.md`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fixtures.make_fixtures import SCANS, old_layer_lines, render_scan
from pipeline.extract import read_pdf
from pipeline.lexicon import load_lexicon
from pipeline.options import Options
from pipeline.triage import read_pages_best_way

from .conftest import fixture_file, needs_tesseract

OLD_LAYER = next(v for v in SCANS if v.name == "sormland_2022_06-old-ocr-layer")
SOURCE = fixture_file("pdf/sormland_2022_06.pdf")
OMITTED = 20  # a full body line in the middle of the first page's second article
TRUNCATED = 18  # a body line whose last word is long (`deltagarna`)


def _scan(tmp_path: Path, omitted: tuple[int, ...], truncated: tuple[int, ...] = ()) -> Path:
    variant = replace(
        OLD_LAYER,
        name=f"sormland_2022_06-old-ocr-layer-omits{len(omitted)}-cuts{len(truncated)}",
        pages=OLD_LAYER.pages[:1],
        omitted=(omitted,),
        truncated=(truncated,),
        damaged=False,  # a layer that reads well: kept, so judged by its coverage
    )
    return render_scan(variant, SOURCE.parent, tmp_path)


@needs_tesseract
def test_a_printed_line_the_old_layer_lacks_is_read_and_put_in_order(tmp_path: Path) -> None:
    pdf = _scan(tmp_path, (OMITTED,))
    extracted = read_pdf(pdf).pages
    page = read_pages_best_way(pdf, extracted, Options(), load_lexicon())[0]
    lines = [line.text for line in page.lines]
    assert page.method == "text-layer"
    assert "1 text-like line of ink outside its words, read with Tesseract: added" in page.reason
    truth = old_layer_lines(SOURCE, 0)[OMITTED][0].split()
    added = [i for i, line in enumerate(page.lines) if line not in extracted[0].lines]
    assert len(added) == 1
    words = lines[added[0]].split()
    # read afresh: most of the printed words come back (the repair mends the rest)
    assert len(set(words) & set(truth)) >= len(truth) - 2
    # between the lines printed above and below it
    before, after = lines[added[0] - 1], lines[added[0] + 1]
    assert before.split()[-1].startswith(old_layer_lines(SOURCE, 0)[OMITTED - 1][0].split()[-1][:3])
    assert after.split()[0].startswith(old_layer_lines(SOURCE, 0)[OMITTED + 1][0].split()[0][:3])


def test_a_complete_old_layer_is_not_read_again(tmp_path: Path) -> None:
    """Every printed line has layer words: no region to read, Tesseract is not run (cost)."""
    pdf = _scan(tmp_path, ())
    page = read_pages_best_way(pdf, read_pdf(pdf).pages, Options(), load_lexicon())[0]
    assert page.method == "text-layer"
    assert "outside its words" not in page.reason
    assert "Tesseract" not in page.reason


@needs_tesseract
def test_a_word_the_old_layer_cut_short_gets_its_ending_back(tmp_path: Path) -> None:
    pdf = _scan(tmp_path, (), (TRUNCATED,))
    extracted = read_pdf(pdf).pages
    printed = old_layer_lines(SOURCE, 0)[TRUNCATED][0].split()[-1]
    cut = next(line for line in extracted[0].lines if line.text.endswith(" " + printed[:-2]))
    page = read_pages_best_way(pdf, extracted, Options(), load_lexicon())[0]
    note = f"ink after a line end read with Tesseract: {printed[:-2]!r} → {printed!r}"
    assert note in page.reason
    assert cut.text[: -len(printed) + 2] + printed in [line.text for line in page.lines]
    assert "outside its words" not in page.reason  # two letters are no line of their own
