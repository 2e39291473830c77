"""`--format pdf`: the input's pages as they look, the repaired words as the invisible text of
the OCR'd pages (an old OCR layer replaced), born-digital pages left as they are.

Each OCR'd fixture is converted once (module-scoped); its searchable PDF is judged by
`pdftotext` against the fixture's truth, rendered with pypdfium2 beside the input, and checked by
qpdf (pikepdf; the `qpdf` program too where it is installed).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.convert import Conversion, convert_with_pages
from pipeline.evaluation import word_error_rate
from pipeline.outputs.searchable import to_searchable_pdf

from .conftest import fixture_file, missing, needs_tesseract, shared_file
from .quality import truth_for

pikepdf = pytest.importorskip("pikepdf")
pdfium = pytest.importorskip("pypdfium2")

OCRD = ["sormland_2022_06-old-ocr-layer", "bibliotek_2023_09-scan-200dpi",
        "sormland_2022_06-scan-300dpi"]
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def content(page: object) -> bytes:
    return bytes(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)))


@pytest.fixture(scope="module", params=[
    pytest.param(name, id=name, marks=[needs_tesseract, pytest.mark.slow]) for name in OCRD
])
def searchable(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Conversion, Path]:
    source = fixture_file(f"pdf/{request.param}.pdf")
    conversion = convert_with_pages(source)
    out = tmp_path_factory.mktemp("searchable") / source.name
    out.write_bytes(to_searchable_pdf(conversion, source.read_bytes()))
    return source, conversion, out


@needs_pdftotext
def test_the_text_layer_reads_as_the_repaired_text(searchable) -> None:  # type: ignore[no-untyped-def]
    source, conversion, out = searchable
    truth = truth_for(source).text
    layer = word_error_rate(truth, pdftotext(out))
    assert layer <= word_error_rate(truth, conversion.document.text) + 0.005


def test_each_page_looks_exactly_as_the_input(searchable) -> None:  # type: ignore[no-untyped-def]
    source, _, out = searchable
    before, after = pdfium.PdfDocument(source), pdfium.PdfDocument(out)
    assert len(before) == len(after)
    for k in range(len(before)):
        a = before[k].render(scale=100 / 72).to_pil()
        b = after[k].render(scale=100 / 72).to_pil()
        assert (a.size, a.tobytes()) == (b.size, b.tobytes()), f"page {k + 1} differs"


def test_qpdf_finds_nothing_wrong(searchable) -> None:  # type: ignore[no-untyped-def]
    _, _, out = searchable
    with pikepdf.open(out) as pdf:
        assert pdf.check_pdf_syntax() == []
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(out)], check=True, capture_output=True)


def test_same_input_same_bytes(searchable) -> None:  # type: ignore[no-untyped-def]
    source, conversion, out = searchable
    assert to_searchable_pdf(conversion, source.read_bytes()) == out.read_bytes()


@needs_pdftotext
@needs_tesseract
@pytest.mark.slow
def test_an_old_layer_is_replaced_by_the_repaired_words(tmp_path: Path) -> None:
    source = fixture_file("pdf/sormland_2022_06-old-ocr-layer.pdf")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["convert", str(source), "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "bdsta" in pdftotext(source)
    text = pdftotext(out)
    assert "bästa" in text and "bdsta" not in text


needs_ghostscript = pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")


def assert_pdfa_2b(path: Path) -> None:
    """The file declares PDF/A-2b in its XMP (OCRmyPDF's `file_claims_pdfa`) and pikepdf's
    PDF/A validator approves it."""
    from ocrmypdf.pdfa import file_claims_pdfa
    from pikepdf.pdfa import validate_written

    assert file_claims_pdfa(path)["conformance"] == "PDF/A-2b"
    report = validate_written(path, "2b")
    assert report.passed, report.summary()


@needs_pdftotext
@needs_tesseract
@needs_ghostscript
@pytest.mark.slow
def test_pdfa_of_an_ocrd_fixture_passes_and_keeps_the_repaired_words(tmp_path: Path) -> None:
    from pipeline.outputs.pdfa import to_pdfa

    source = fixture_file("pdf/sormland_2022_06-old-ocr-layer.pdf")
    conversion = convert_with_pages(source)
    searchable = to_searchable_pdf(conversion, source.read_bytes())
    out = tmp_path / "out.pdf"
    out.write_bytes(to_pdfa(searchable))
    assert_pdfa_2b(out)
    text = pdftotext(out)
    assert "bästa" in text and "bdsta" not in text
    truth = truth_for(source).text
    assert word_error_rate(truth, text) <= word_error_rate(truth, conversion.document.text) + 0.005
    assert to_pdfa(searchable) == out.read_bytes()


@needs_pdftotext
@needs_ghostscript
def test_convert_pdfa_writes_pdfa_2b(tmp_path: Path) -> None:
    source = fixture_file("pdf/bibliotek_2023_09.pdf")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["convert", str(source), "--format", "pdf", "--pdfa",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_pdfa_2b(out)
    assert pdftotext(out).split() == pdftotext(source).split()


@needs_ghostscript
def test_a_pdf_that_cannot_be_pdfa_is_refused_in_one_line_not_written(tmp_path: Path) -> None:
    # a real newsletter (development material) with a CID font that is not embedded: the font
    # Ghostscript would put in its place garbles CID text, so it is refused, as OCRmyPDF does
    source = shared_file("corpus/sv/imatra_nyhetsbrev_2021-12.pdf")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["convert", str(source), "--format", "pdf", "--pdfa",
                                       "-o", str(out)])
    assert result.exit_code != 0
    assert "cannot be PDF/A-2b: CID fonts not embedded" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


@needs_ghostscript
def test_a_missing_font_whose_code_names_no_glyph_becomes_pdfa(tmp_path: Path) -> None:
    # the fixture's bullets are code 127 in a Helvetica that is not embedded: Ghostscript
    # embeds its substitute under plain WinAnsi, where 127 selects .notdef (forbidden), unless
    # the code is named for the bullet a viewer shows there
    from pipeline.outputs.pdfa import to_pdfa

    source = fixture_file("pdf/brf_granen_2023_12.pdf")
    out = tmp_path / "out.pdf"
    out.write_bytes(to_pdfa(source.read_bytes()))
    assert_pdfa_2b(out)


@needs_pdftotext
@needs_ghostscript
def test_fonts_missing_from_the_input_are_embedded_with_their_widths(tmp_path: Path) -> None:
    # real bylaws (development material) naming Arial and Times New Roman without embedding
    # them: Ghostscript's own substitutes have other widths (it gives up PDF/A); the Liberation
    # fonts have theirs, and the text reads as before (its /ToUnicode made from the encoding)
    from pipeline.outputs.pdfa import LIBERATION, to_pdfa

    if not LIBERATION.is_dir():
        missing("Debian's fonts-liberation (make setup)")
    source = shared_file("corpus/sv/imatra_normalstadgar_2011.pdf")
    out = tmp_path / "out.pdf"
    out.write_bytes(to_pdfa(source.read_bytes()))
    assert_pdfa_2b(out)
    assert "".join(pdftotext(out).split()) == "".join(pdftotext(source).split())


@needs_ghostscript
@pytest.mark.parametrize("name", ["imatra_nyhetsbrev_2021-06", "imatra_nyhetsbrev_2022-06"])
def test_a_born_digital_newsletter_becomes_pdfa_with_its_pages_untouched(
        tmp_path: Path, name: str) -> None:
    # real newsletters (development material) whose structure only needs saying the PDF/A
    # way (a CIDToGIDMap left to its default, a link's URI as a separate object): declared by
    # pikepdf alone, the pages are not rewritten, so they render exactly as the input's
    from pipeline.outputs.pdfa import to_pdfa

    source = shared_file(f"corpus/sv/{name}.pdf")
    out = tmp_path / "out.pdf"
    out.write_bytes(to_pdfa(source.read_bytes()))
    assert_pdfa_2b(out)
    before, after = pdfium.PdfDocument(source), pdfium.PdfDocument(out)
    for k in range(len(before)):
        a = before[k].render(scale=100 / 72).to_pil()
        b = after[k].render(scale=100 / 72).to_pil()
        assert (a.size, a.tobytes()) == (b.size, b.tobytes()), f"page {k + 1} differs"


def test_pdfa_goes_with_format_pdf(tmp_path: Path) -> None:
    text = tmp_path / "in.txt"
    text.write_text("Hej\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(text), "--pdfa"])
    assert result.exit_code != 0 and "--pdfa goes with --format pdf" in result.output


@needs_pdftotext
def test_a_born_digital_page_is_left_as_it_is(tmp_path: Path) -> None:
    source = fixture_file("pdf/brf_granen_2023_12.pdf")
    result = CliRunner().invoke(main, ["convert", str(source), "--format", "pdf",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "brf_granen_2023_12.searchable.pdf"
    assert pdftotext(out) == pdftotext(source)
    with pikepdf.open(source) as a, pikepdf.open(out) as b:
        for pa, pb in zip(a.pages, b.pages, strict=True):
            assert content(pa) == content(pb)


def test_text_input_has_no_pdf_to_carry_a_layer(tmp_path: Path) -> None:
    text = tmp_path / "in.txt"
    text.write_text("Hej\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(text), "--format", "pdf"])
    assert result.exit_code != 0 and "needs a PDF input" in result.output



@needs_ghostscript
def test_each_pdfa_page_looks_exactly_as_the_input(searchable) -> None:  # type: ignore[no-untyped-def]
    from pipeline.outputs.pdfa import to_pdfa

    source, _, out = searchable
    before, after = pdfium.PdfDocument(source), pdfium.PdfDocument(to_pdfa(out.read_bytes()))
    assert len(before) == len(after)
    for k in range(len(before)):
        a = before[k].render(scale=100 / 72).to_pil()
        b = after[k].render(scale=100 / 72).to_pil()
        assert (a.size, a.tobytes()) == (b.size, b.tobytes()), f"page {k + 1} differs"


def test_converting_it_again_reads_its_layer_with_no_repairs(searchable) -> None:  # type: ignore[no-untyped-def]
    _, conversion, out = searchable
    again = convert_with_pages(out)
    assert [p.method for p in again.pages] == ["text-layer"] * len(conversion.pages)
    assert all("reads well" in p.reason for p in again.pages)
    assert [r for r in again.document.repairs if r.applied] == []


@needs_pdftotext
def test_batch_writes_the_searchable_pdf_beside_the_json(tmp_path: Path) -> None:
    import json

    from pipeline.batch import run_batch
    from pipeline.options import Options

    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    pdf = fixture_file("pdf/brf_granen_2023_12.pdf")
    (source / "dec.pdf").write_bytes(pdf.read_bytes())
    (source / "notes.txt").write_text("Hej alla grannar\n", encoding="utf-8")

    def run() -> dict[str, dict[str, object]]:
        run_batch(source, out, options=Options(), formats=("pdf",), serial=True,
                  include_text=True)
        lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
        return {r["input"]: r for r in map(json.loads, lines)}

    first = run()
    assert first["dec.pdf"]["status"] == "ok" and first["dec.pdf"]["formats"] == ["json", "pdf"]
    assert pdftotext(out / "dec.searchable.pdf") == pdftotext(pdf)
    assert not (out / "notes.searchable.pdf").exists()  # a text input has no page to carry
    again = run()
    assert again["dec.pdf"]["status"] == again["notes.txt"]["status"] == "skipped"


@needs_ghostscript
def test_batch_pdfa_resumes_and_retries_per_format(tmp_path: Path) -> None:
    import json

    from pipeline.batch import run_batch
    from pipeline.options import Options

    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "bibliotek_2023_09.pdf").write_bytes(
        fixture_file("pdf/bibliotek_2023_09.pdf").read_bytes())
    # a real newsletter (development material) that cannot be PDF/A-2b: a CID font not embedded
    (source / "refused.pdf").write_bytes(
        shared_file("corpus/sv/imatra_nyhetsbrev_2021-12.pdf").read_bytes())
    good, bad = out / "bibliotek_2023_09.searchable.pdf", out / "refused.searchable.pdf"
    json_out, alto_out = out / "refused.json", out / "refused.alto.xml"
    formats = ("--formats", "json,alto,pdf")

    def run(*args: str, code: int = 0) -> dict[str, dict[str, object]]:
        result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--serial",
                                           "-q", *formats, *args])
        assert result.exit_code == code, result.output
        lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
        return {r["input"]: r for r in map(json.loads, lines[-2:])}

    plain = run()
    assert [r["formats"] for r in plain.values()] == [["json", "alto", "pdf"]] * 2
    assert bad.exists()
    plain_bytes = good.read_bytes()

    # PDF/A asked where a plain searchable PDF is in place: made again, listed as pdfa; the
    # refused one keeps its JSON and ALTO, loses the plain PDF (it is not what is asked), and
    # its record says which format failed and why; the batch's exit code says it failed
    first = run("--pdfa", code=1)
    assert first["bibliotek_2023_09.pdf"]["status"] == "ok"
    assert first["bibliotek_2023_09.pdf"]["formats"] == ["json", "alto", "pdfa"]
    assert good.read_bytes() != plain_bytes
    assert_pdfa_2b(good)
    refused = first["refused.pdf"]
    assert refused["status"] == "ok" and refused["formats"] == ["json", "alto"]
    assert list(refused["format_errors"]) == ["pdfa"]  # type: ignore[call-overload]
    assert "cannot be PDF/A-2b" in str(refused["format_errors"])
    assert "pdfa: " in str(refused["message"])
    assert not bad.exists() and json_out.exists() and alto_out.exists()
    kept = json_out.read_bytes(), alto_out.read_bytes()

    # a rerun skips both, the refused one still counted as failed; a PDF/A removed is made
    # again, the same bytes
    again = run("--pdfa", code=1)
    assert [r["status"] for r in again.values()] == ["skipped", "skipped"]
    assert "failed before" in str(again["refused.pdf"]["message"])
    assert again["refused.pdf"]["format_errors"] == refused["format_errors"]
    made = good.read_bytes()
    good.unlink()
    redone = run("--pdfa", code=1)
    assert redone["bibliotek_2023_09.pdf"]["status"] == "ok" and good.read_bytes() == made
    assert redone["refused.pdf"]["status"] == "skipped"

    # --retry-failed tries the refused format again (it fails again: its font is the reason),
    # and what was in place is there as it was
    retried = run("--pdfa", "--retry-failed", code=1)
    assert retried["bibliotek_2023_09.pdf"]["status"] == "skipped"
    assert retried["refused.pdf"]["status"] == "ok"
    assert retried["refused.pdf"]["format_errors"] == refused["format_errors"]
    assert (json_out.read_bytes(), alto_out.read_bytes()) == kept

    # the plain PDF asked again: the PDF/A in place is not what is asked, so it is made again;
    # the refused one gets its plain searchable PDF
    back = run()
    assert back["bibliotek_2023_09.pdf"]["formats"] == ["json", "alto", "pdf"]
    assert good.read_bytes() == plain_bytes
    assert back["refused.pdf"]["status"] == "ok" and "format_errors" not in back["refused.pdf"]
    assert bad.exists()

    # JSON only written, then PDF/A asked: the JSON in place, the PDF missing
    run_batch(source, tmp_path / "fresh", options=Options(), serial=True)
    run_batch(source, tmp_path / "fresh", options=Options(), serial=True, formats=("pdfa",))
    assert_pdfa_2b(tmp_path / "fresh" / "bibliotek_2023_09.searchable.pdf")


def test_batch_pdfa_goes_with_formats_pdf(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", str(tmp_path), "-o", str(tmp_path / "out"),
                                       "--pdfa"])
    assert result.exit_code == 2 and "--pdfa goes with --formats pdf" in result.output
