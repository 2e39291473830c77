"""The fixtures themselves: made deterministically, each PDF with a truth that it really carries.

The pipeline's output against these truths is tested elsewhere (tests/test_end_to_end*.py).
"""

from __future__ import annotations

import re
import tomllib
import zlib
from importlib.metadata import version
from pathlib import Path

import pdfplumber
import pytest

from fixtures import make_fixtures
from fixtures.truth import load_truth, parse_truth, truth_path_for

ROOT = Path(__file__).resolve().parent.parent
PDF_DIR = ROOT / "fixtures" / "pdf"
BAD_DIR = ROOT / "fixtures" / "bad"
BORN_DIGITAL = [spec.name for spec in make_fixtures.BORN_DIGITAL]
ALL_PDFS = sorted(PDF_DIR.glob("*.pdf"))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_render_is_deterministic(tmp_path: Path) -> None:
    first = make_fixtures.render_born_digital("sormland_2022_06", tmp_path / "a")
    second = make_fixtures.render_born_digital("sormland_2022_06", tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_the_renderers_are_pinned_in_the_dev_extras() -> None:
    """The versions the fixtures were made with are the ones `pip install -e .[dev]` installs
    (pinned exactly: another version may lay text out differently), and the ones installed."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dev = pyproject["project"]["optional-dependencies"]["dev"]
    for package, made_with in make_fixtures.MADE_WITH.items():
        assert f"{package}=={made_with}" in dev, f"pin {package}=={made_with} in the dev extras"
        assert version(package) == made_with, (
            f"{package} {version(package)} is installed; the fixtures were made with {made_with}"
            " (pip install -e '.[dev]')"
        )


@pytest.mark.parametrize("name", [spec.name for spec in make_fixtures.BORN_DIGITAL])
def test_committed_born_digital_pdf_matches_its_generator(name: str, tmp_path: Path) -> None:
    """The committed PDF is what the script makes now (nobody edited one without the other)."""
    made = make_fixtures.render_born_digital(name, tmp_path)
    assert made.read_bytes() == (PDF_DIR / made.name).read_bytes()


def test_committed_scan_and_bad_inputs_match_their_generator(tmp_path: Path) -> None:
    """The quickest scan (pypdfium2 and Pillow at work) and the bad inputs, made again."""
    scan = next(v for v in make_fixtures.SCANS if v.name == "bibliotek_2023_09-scan-200dpi")
    made = make_fixtures.render_scan(scan, PDF_DIR, tmp_path)
    assert made.read_bytes() == (PDF_DIR / made.name).read_bytes()
    for path in make_fixtures.make_bad_inputs(PDF_DIR, tmp_path / "bad"):
        assert path.read_bytes() == (BAD_DIR / path.name).read_bytes(), path.name


def test_scan_render_is_deterministic(tmp_path: Path) -> None:
    variant = make_fixtures.ScanVariant(
        "bibliotek_2023_09-tiny",
        "bibliotek_2023_09",
        (make_fixtures.ScanPage(1, 50, skew=1.0),),
        seed=3,
    )
    a = make_fixtures.render_scan(variant, PDF_DIR, tmp_path)
    data = a.read_bytes()
    b = make_fixtures.render_scan(variant, PDF_DIR, tmp_path)
    assert b.read_bytes() == data


def test_the_fixture_set_is_there() -> None:
    names = {p.stem for p in ALL_PDFS}
    assert set(BORN_DIGITAL) <= names
    assert {v.name for v in make_fixtures.SCANS} <= names
    assert len(BORN_DIGITAL) >= 4


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.name)
def test_every_pdf_has_a_truth(pdf: Path) -> None:
    truth = load_truth(truth_path_for(pdf))
    assert truth.title
    one_page = {s.name for s in make_fixtures.BORN_DIGITAL if s.layout == "one_page_columns"}
    assert len(truth.text.split()) >= (150 if pdf.stem in one_page else 350)


@pytest.mark.parametrize("name", BORN_DIGITAL)
def test_truth_is_swedish_and_well_formed(name: str) -> None:
    truth = load_truth(truth_path_for(PDF_DIR / f"{name}.pdf"))
    assert re.search("[åäö]", truth.text)
    assert truth.headings[0] == (truth.title, 1)
    assert all(level in (1, 2, 3, 4) for _, level in truth.headings)
    assert "[" not in truth.text and "](" not in truth.text and "#" not in truth.text
    assert all(url.startswith("https://") for url, _ in truth.links)
    for _, text in truth.links:
        assert text in truth.text


def test_truth_loader_parses_structure() -> None:
    truth = parse_truth(
        "<!-- date: 2023-09-15 -->\n<!-- issue: Nr 3/2023 -->\n"
        "# Biblioteksnytt\n\nFörsta stycket\nfortsätter här.\n\n## Nytt i höst\n\n"
        "### Ändrade öppettider\n\n1. Besök biblioteket.\n2. Skriv under.\n\n"
        "- Läs [mer](https://bibliotek.ekeby.se/e-medier) här.\n  - Inskjuten punkt\n\n"
        "<!-- box -->\n### Bra att veta\n\nRing 0155-24 68 00.\n<!-- /box -->\n\n"
        "<!-- closing -->\nVänliga häsningar\n\n<!-- signature -->\nNettan Eliasson & Lisa Sund\n"
    )
    assert truth.metadata == {"date": "2023-09-15", "issue": "Nr 3/2023"}
    assert truth.date == "2023-09-15" and truth.issue == "Nr 3/2023"
    assert truth.title == "Biblioteksnytt"
    assert truth.headings == [
        ("Biblioteksnytt", 1),
        ("Nytt i höst", 2),
        ("Ändrade öppettider", 3),
        ("Bra att veta", 3),
    ]
    assert truth.list_items == [  # a numbered item as read: with its number
        "1. Besök biblioteket.",
        "2. Skriv under.",
        "Läs mer här.",
        "Inskjuten punkt",
    ]
    assert [b.marker for b in truth.blocks if b.kind == "list_item"] == ["1.", "2.", "•", "•"]
    assert [b.level for b in truth.blocks if b.kind == "list_item"] == [0, 0, 0, 1]
    assert truth.links == [("https://bibliotek.ekeby.se/e-medier", "mer")]
    assert truth.paragraphs == ["Första stycket fortsätter här.", "Ring 0155-24 68 00."]
    assert truth.closing == ["Vänliga häsningar"]
    assert truth.signature == ["Nettan Eliasson & Lisa Sund"]
    assert [b.region for b in truth.blocks if b.region == "box"] == ["box", "box"]
    assert truth.text.split("\n\n")[:3] == [
        "Biblioteksnytt",
        "Första stycket fortsätter här.",
        "Nytt i höst",
    ]
    assert "1. Besök" in truth.text and "•" not in truth.text


def test_seed_004_truth() -> None:
    truth = load_truth(truth_path_for(PDF_DIR / "sormland_2022_12.pdf"))
    assert [h for h, level in truth.headings if level == 2] == [
        "Vad händer nu?",
        "Vad händer framåt?",
        "Positiva exempel på lokal nivå",
    ]
    assert truth.closing == ["Vänliga häsningar"]  # the author's typo, as printed
    assert truth.signature == ["Nettan Eliasson & Lisa Sund"]
    hosts = {re.sub(r"^https://(www\.)?([^/]+)/.*$", r"\2", url) for url, _ in truth.links}
    assert hosts == {"regionkronoberg.se", "falun.se", "fou.sormland.se"}
    assert len(truth.list_items) == 10


def _page_texts(pdf_path: Path) -> list[str]:
    """The text of each page, whole and by half (so that two columns each read in order)."""
    texts = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            for bbox in (
                (0, 0, page.width / 2, page.height),
                (page.width / 2, 0, page.width, page.height),
            ):
                texts.append(page.crop(bbox).extract_text() or "")
    return texts


@pytest.mark.parametrize("name", BORN_DIGITAL)
def test_born_digital_pdf_carries_its_truth(name: str) -> None:
    pdf_path = PDF_DIR / f"{name}.pdf"
    truth = load_truth(truth_path_for(pdf_path))
    texts = [_flat(t) for t in _page_texts(pdf_path)]
    for heading, _ in truth.headings:
        # a heading may wrap onto two lines, which extract_text joins with a newline
        assert any(_flat(heading) in t for t in texts), heading
    spec = next(s for s in make_fixtures.BORN_DIGITAL if s.name == name)
    with pdfplumber.open(pdf_path) as pdf:
        if spec.layout == "one_page_columns":
            assert len(pdf.pages) == 1
        elif spec.layout != "two_column_narrow":  # two narrow columns hold it on one page
            assert len(pdf.pages) >= 2
        uris = {link["uri"] for page in pdf.pages for link in page.hyperlinks}
        for number, page in enumerate(pdf.pages, 1):
            printed = page.extract_text() or ""
            assert (f"Sida {number}" in printed) == spec.page_numbers
            assert spec.footer in printed
    assert {url for url, _ in truth.links} == uris


def test_tagged_pdf_has_a_structure_tree_matching_its_truth() -> None:
    pdf_path = PDF_DIR / "bibliotek_2023_09-tagged.pdf"
    truth = load_truth(truth_path_for(pdf_path))
    with pdfplumber.open(pdf_path) as pdf:
        tree = pdf.structure_tree
        footer_chars = [c for c in pdf.pages[0].chars if c.get("tag") == "Artifact"]
    assert [e["type"] for e in tree] == ["Document"]
    elements = tree[0]["children"]
    headings = [e["type"] for e in elements if e["type"].startswith("H")]
    assert headings == [f"H{level}" for _, level in truth.headings]
    items = [li for e in elements if e["type"] == "L" for li in e["children"]]
    assert len(items) == len(truth.list_items)
    assert "".join(c["text"] for c in footer_chars).startswith("Biblioteksnytt")


def test_hyphenation_and_forced_line_ends_are_in_the_pdfs() -> None:
    """Line-end hyphens really occur: soft ones (to join) and real ones (to keep)."""
    ends: set[str] = set()
    for name in BORN_DIGITAL:
        for text in _page_texts(PDF_DIR / f"{name}.pdf"):
            lines = text.splitlines()
            for line, nxt in zip(lines, lines[1:], strict=False):
                if re.search(r"\w-$", line) and nxt.split():
                    ends.add(f"{line.split()[-1]}{nxt.split()[0]}")
    assert {"barn-och", "e-post", "EU-projekt", "NPF-liknande", "NPF-lik-nande"} <= ends
    assert "Tillsam-mans" in ends  # pyphen's Swedish hyphenation at work


def test_scans_are_image_only_and_old_layer_is_invisible_damaged_text() -> None:
    with pdfplumber.open(PDF_DIR / "sormland_2022_06-scan-300dpi.pdf") as pdf:
        assert len(pdf.pages) == 2
        assert all(not page.chars and len(page.images) == 1 for page in pdf.pages)
    with pdfplumber.open(PDF_DIR / "bibliotek_2023_09-scan-200dpi.pdf") as pdf:
        assert pdf.pages[1].width > pdf.pages[1].height  # the page turned 90°
    with pdfplumber.open(PDF_DIR / "sormland_2022_06-old-ocr-layer.pdf") as pdf:
        page = pdf.pages[0]
        assert len(page.images) == 1
        text = page.extract_text() or ""
        assert "Sörmlands läns" not in text and "rmland" in text  # damaged, still there
    raw = (PDF_DIR / "sormland_2022_06-old-ocr-layer.pdf").read_bytes()
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # an image
    assert any(b"3 Tr" in s for s in streams)  # text render mode 3: invisible


def test_bad_inputs_exist() -> None:
    names = {p.name for p in BAD_DIR.iterdir()}
    assert {
        "not-a-pdf.pdf",
        "truncated.pdf",
        "empty.pdf",
        "zero-pages.pdf",
        "random-bytes.pdf",
        "encrypted-user-password.pdf",
        "encrypted-owner-only.pdf",
        "no-trailer.pdf",
        "bomb.pdf",
    } <= names
    assert (BAD_DIR / "empty.pdf").stat().st_size == 0
    assert not (BAD_DIR / "not-a-pdf.pdf").read_bytes().startswith(b"%PDF")
    assert b"/Count 0" in (BAD_DIR / "zero-pages.pdf").read_bytes()
    assert b"/Encrypt" in (BAD_DIR / "encrypted-user-password.pdf").read_bytes()
