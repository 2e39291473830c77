"""ALTO 4.4 output: valid against the schema, boxes inside their pages, the JSON's words.

Every fixture and every PDF of ../shared/corpus/sv is converted once (module-scoped) and its
ALTO checked; the schema is read from ../shared/standards/alto (offline, with its XLink).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.convert import Conversion, convert_with_pages
from pipeline.options import Options
from pipeline.outputs.alto import NS, to_alto

from .conftest import CORPUS, FIXTURES, needs_tesseract, shared_file

xmlschema = pytest.importorskip("xmlschema")

FIXTURE_PDFS = sorted((FIXTURES / "pdf").glob("*.pdf"))
CORPUS_PDFS = sorted((CORPUS / "sv").glob("*.pdf"))
SCANNED = ("scan", "old-ocr", "SCAN")


def _param(path: Path) -> object:
    marks = [needs_tesseract, pytest.mark.slow] if any(t in path.stem for t in SCANNED) else []
    if path.is_relative_to(CORPUS):
        marks.append(pytest.mark.corpus)
    return pytest.param(path, id=path.stem, marks=marks)


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


@pytest.fixture(scope="module")
def schema() -> object:
    folder = shared_file("standards/alto")
    return xmlschema.XMLSchema(
        str(folder / "alto-4-4.xsd"),
        locations=[("http://www.w3.org/1999/xlink", str(folder / "xlink.xsd"))],
    )


@pytest.fixture(scope="module", params=[_param(p) for p in FIXTURE_PDFS + CORPUS_PDFS])
def converted(request: pytest.FixtureRequest) -> tuple[Conversion, etree._Element]:
    conversion = convert_with_pages(request.param)
    return conversion, etree.fromstring(to_alto(conversion).encode("utf-8"))


def alto_words(root: etree._Element) -> list[str]:
    """The words in reading order: a word broken over a line end read whole, once."""
    words = []
    for string in root.iter(_tag("String")):
        kind = string.get("SUBS_TYPE")
        if kind == "HypPart2":
            continue
        words.append(string.get("SUBS_CONTENT") if kind == "HypPart1" else string.get("CONTENT"))
    return words


def test_alto_is_valid(converted: tuple[Conversion, etree._Element], schema: object) -> None:
    _, root = converted
    schema.validate(root)  # type: ignore[attr-defined]


def test_words_are_the_json_text(converted: tuple[Conversion, etree._Element]) -> None:
    conversion, root = converted
    assert alto_words(root) == conversion.document.text.split()


def test_every_string_has_a_box_inside_its_page(
    converted: tuple[Conversion, etree._Element],
) -> None:
    _, root = converted
    for page in root.iter(_tag("Page")):
        width, height = float(page.get("WIDTH")), float(page.get("HEIGHT"))
        for string in page.iter(_tag("String")):
            x, y = float(string.get("HPOS")), float(string.get("VPOS"))
            w, h = float(string.get("WIDTH")), float(string.get("HEIGHT"))
            assert 0 <= x and x + w <= width and 0 <= y and y + h <= height, string.get("CONTENT")


def test_description_and_structure_tags(converted: tuple[Conversion, etree._Element]) -> None:
    conversion, root = converted
    assert root.findtext(f"{_tag('Description')}/{_tag('MeasurementUnit')}") == "mm10"
    names = [e.text for e in root.iter(_tag("softwareName"))]
    assert "newsletter-pipeline" in names
    if any(p.method == "ocr" for p in conversion.document.pages):
        assert "Tesseract" in names
    tags = {t.get("ID") for t in root.iter(_tag("StructureTag"))}
    assert {b.get("TAGREFS") for b in root.iter(_tag("TextBlock"))} <= tags
    pages = root.findall(f"{_tag('Layout')}/{_tag('Page')}")
    assert [p.get("PHYSICAL_IMG_NR") for p in pages] == [
        str(p.number) for p in conversion.document.pages
    ]


@pytest.fixture(scope="module")
def old_layer() -> etree._Element:
    """The old OCR layer kept as read (`--ocr never`): its damage is what the repair changed."""
    pdf = FIXTURES / "pdf" / "sormland_2022_06-old-ocr-layer.pdf"
    conversion = convert_with_pages(pdf, Options(ocr="never"))
    return etree.fromstring(to_alto(conversion).encode("utf-8"))


def test_a_repaired_word_keeps_what_was_read(old_layer: etree._Element) -> None:
    changed = {
        (s.get("CONTENT"), a.text, a.get("PURPOSE"))
        for s in old_layer.iter(_tag("String"))
        for a in s.iter(_tag("ALTERNATIVE"))
    }
    assert ("bästa", "bdsta", "diacritics") in changed
    assert all(content != read for content, read, _ in changed)


def test_a_split_word_divides_its_box(old_layer: etree._Element) -> None:
    """Each word of a split takes its letters' share of the box it was read in."""
    lines = old_layer.iter(_tag("TextLine"))
    found = 0
    for line in lines:
        strings = line.findall(_tag("String"))
        for a, b in zip(strings, strings[1:], strict=False):
            alternative = b.find(_tag("ALTERNATIVE"))
            if alternative is None or "split" not in alternative.get("PURPOSE", ""):
                continue
            found += 1
            # the two words side by side, not on top of each other
            assert float(a.get("HPOS")) + float(a.get("WIDTH")) <= float(b.get("HPOS"))
    assert found


def test_a_joined_hyphenation_keeps_both_parts(old_layer: etree._Element) -> None:
    born_digital = convert_with_pages(FIXTURES / "pdf" / "sormland_2022_06.pdf")
    root = etree.fromstring(to_alto(born_digital).encode("utf-8"))
    lines = list(root.iter(_tag("TextLine")))
    joined = 0
    for line, following in zip(lines, lines[1:], strict=False):
        strings = line.findall(_tag("String"))
        if not strings or strings[-1].get("SUBS_TYPE") != "HypPart1":
            continue
        head, tail = strings[-1], following.find(_tag("String"))
        assert line.find(_tag("HYP")) is not None
        assert tail is not None and tail.get("SUBS_TYPE") == "HypPart2"
        assert head.get("SUBS_CONTENT") == tail.get("SUBS_CONTENT")
        whole = head.get("SUBS_CONTENT")
        if whole == head.get("CONTENT") + tail.get("CONTENT"):  # joined, no hyphen kept
            joined += 1
            assert float(tail.get("VPOS")) > float(head.get("VPOS"))
    assert joined


def test_text_input_has_no_geometry(tmp_path: Path, schema: object) -> None:
    source = tmp_path / "brev.txt"
    source.write_text("Rubrik\n\nEtt stycke med text.\n\nHälsningar\nStyrelsen\n", "utf-8")
    conversion = convert_with_pages(source)
    root = etree.fromstring(to_alto(conversion).encode("utf-8"))
    schema.validate(root)  # type: ignore[attr-defined]
    assert alto_words(root) == conversion.document.text.split()
    assert all(s.get("HPOS") is None for s in root.iter(_tag("String")))


def test_cli_writes_alto_beside_the_input(tmp_path: Path, schema: object) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    pdf = tmp_path / "nyhetsbrev.pdf"
    pdf.write_bytes((FIXTURES / "pdf" / "bibliotek_2023_09.pdf").read_bytes())
    result = CliRunner().invoke(main, ["convert", str(pdf), "--format", "alto"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "nyhetsbrev.alto.xml"
    schema.validate(str(written))  # type: ignore[attr-defined]


def test_batch_writes_alto_beside_the_json_and_resumes_per_format(
    tmp_path: Path, schema: object
) -> None:
    import json

    from pipeline.batch import run_batch

    source, out = tmp_path / "in", tmp_path / "out"
    (source / "2023").mkdir(parents=True)
    pdf = FIXTURES / "pdf" / "bibliotek_2023_09.pdf"
    (source / "2023" / "sep.pdf").write_bytes(pdf.read_bytes())

    def run(formats: tuple[str, ...]) -> list[dict[str, object]]:
        run_batch(source, out, options=Options(), formats=formats, serial=True)
        lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines]

    first = run(("alto",))
    alto = out / "2023" / "sep.alto.xml"
    schema.validate(str(alto))  # type: ignore[attr-defined]
    document = json.loads((out / "2023" / "sep.json").read_text("utf-8"))
    root = etree.parse(str(alto)).getroot()
    assert alto_words(root) == document["text"].split()
    assert root.findtext(f".//{_tag('fileName')}") == "2023/sep.pdf"
    assert first[-1]["status"] == "ok" and first[-1]["formats"] == ["json", "alto"]
    assert run(("alto",))[-1]["status"] == "skipped"
    alto.unlink()  # an output asked for and missing: that input is converted again
    again = run(("alto",))[-1]
    assert again["status"] == "ok" and alto.is_file()
    assert "formats" not in run(())[-1]  # JSON only: the record reads as before


def test_words_find_their_place_again_after_a_long_gap() -> None:
    """Lines one side lacks, longer than the resync window: the words after them still pair
    with their own boxes."""
    from pipeline.outputs.wordboxes import RESYNC_WINDOW, Traced, place_words

    def found(words: list[str]) -> list[list[Traced]]:
        return [[Traced(c, None) for c in w] for w in words]

    body = [f"ord{k}" for k in range(6 * RESYNC_WINDOW)]
    gap = [f"rad{k}" for k in range(3 * RESYNC_WINDOW)]
    placed = place_words(body, found(body[:50] + gap + body[50:]))
    assert ["".join(t.char for t in m if t) for m in placed] == body
    placed = place_words(body, found(body[:50] + body[50 + len(gap) :]))
    kept = body[:50] + body[50 + len(gap) :]
    assert [w for w, m in zip(body, placed, strict=True) if any(m)] == kept
