"""The benchmark corpus, made from the fixtures once and cached under out/bench-corpus/KEY/.

KEY is a hash of the fixture files it is made from and of CORPUS_VERSION (bump it when the
recipe below changes), so a changed fixture makes a fresh corpus. What is built:

- `born-digital-200.pdf`: the born-digital fixture PDFs concatenated (pypdfium2) to 200 pages;
- `scanned-20.pdf`: the first 20 of those pages rasterized at 300 dpi, with the fixtures' scanner
  damage (grain, specks, softness; no skew), as an image-only PDF;
- `text-1000.pdf`: the fixture truths set again and again with reportlab into 1,000 text pages;
- `batch/`: 20 born-digital PDFs (copies of the fixtures) for `newsletter batch`.

The text corpora (clean and damaged Swedish, ~50,000 words each) are made at run time, in memory:
the fixture truths plus ../shared/corpus/text-sv/*.txt, never copied into the project or out/.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
OUT = ROOT / "out" / "bench-corpus"
SHARED_TEXT = ROOT.parent / "shared" / "corpus" / "text-sv"

CORPUS_VERSION = 1
BORN_DIGITAL_PAGES = 200
SCANNED_PAGES = 20
SCAN_DPI = 300
JPEG_QUALITY = 75
BIG_PAGES = 1000
BATCH_FILES = 20  # copies of the born-digital fixtures, taken in turn
TEXT_WORDS = 50_000
PAGE_WORDS = 400  # words per page-sized chunk of text
LINE_WIDTH = 80  # characters per line of a text page

Log = Callable[[str], None]


@dataclass(frozen=True)
class BenchCorpus:
    key: str
    root: Path
    born_digital: Path
    scanned: Path
    big: Path
    batch_dir: Path

    def manifest(self) -> dict[str, object]:
        return json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))


def born_digital_fixtures() -> list[Path]:
    from fixtures.make_fixtures import BORN_DIGITAL, PDF_DIR

    found = [PDF_DIR / f"{spec.name}.pdf" for spec in BORN_DIGITAL]
    return [path for path in found if path.is_file()]


def truth_files() -> list[Path]:
    return sorted((FIXTURES / "truth").glob("*.md"))


def corpus_key() -> str:
    """A hash of every file the corpus is made from."""
    digest = hashlib.sha256(f"bench-corpus-{CORPUS_VERSION}".encode())
    inputs = [*born_digital_fixtures(), *truth_files(), FIXTURES / "make_fixtures.py",
              FIXTURES / "truth.py"]
    for path in inputs:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def ensure_corpus(log: Log = print) -> BenchCorpus:
    """Reuse the cached corpus for the current fixtures, or build it (a minute or two)."""
    key = corpus_key()
    root = OUT / key
    corpus = BenchCorpus(key, root, root / "born-digital-200.pdf", root / "scanned-20.pdf",
                         root / "text-1000.pdf", root / "batch")
    if (root / "manifest.json").is_file():
        log(f"benchmark corpus: reusing {root.relative_to(ROOT)}")
        return corpus
    OUT.mkdir(parents=True, exist_ok=True)
    building = OUT / f".{key}.building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    log(f"benchmark corpus: building {root.relative_to(ROOT)} (once per fixture set)")
    started = time.perf_counter()
    built: dict[str, object] = {"key": key, "version": CORPUS_VERSION}
    born = building / corpus.born_digital.name
    built["born_digital"] = {"file": born.name,
                             "pages": concatenate(born_digital_fixtures(), born,
                                                  BORN_DIGITAL_PAGES)}
    log(f"  {born.name}: {BORN_DIGITAL_PAGES} pages")
    scanned = building / corpus.scanned.name
    built["scanned"] = {"file": scanned.name, "dpi": SCAN_DPI,
                        "pages": render_scans(born, scanned, SCANNED_PAGES, SCAN_DPI)}
    log(f"  {scanned.name}: {SCANNED_PAGES} pages at {SCAN_DPI} dpi")
    big = building / corpus.big.name
    built["big"] = {"file": big.name, "pages": render_text_pages(big, BIG_PAGES)}
    log(f"  {big.name}: {BIG_PAGES} pages")
    batch = building / "batch"
    built["batch"] = {"folder": batch.name, "files": copy_batch(batch, BATCH_FILES)}
    log(f"  batch/: {len(list(batch.glob('*.pdf')))} PDFs")
    built["seconds"] = round(time.perf_counter() - started, 1)
    (building / "manifest.json").write_text(json.dumps(built, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    building.rename(root)
    for stale in OUT.iterdir():  # corpora of older fixture sets, builds that were cut short
        if stale.is_dir() and stale.name != key:
            shutil.rmtree(stale, ignore_errors=True)
    return corpus


# --------------------------------------------------------------------------- PDFs


def concatenate(sources: list[Path], out: Path, pages: int) -> int:
    """The source PDFs one after another, again and again, until `pages` pages."""
    import pypdfium2 as pdfium

    dest = pdfium.PdfDocument.new()
    docs = [pdfium.PdfDocument(str(p)) for p in sources]
    try:
        while len(dest) < pages:
            for doc in docs:
                n = min(len(doc), pages - len(dest))
                if n <= 0:
                    break
                dest.import_pages(doc, pages=list(range(n)))
        dest.save(str(out))
        return len(dest)
    finally:
        for doc in docs:
            doc.close()
        dest.close()


def render_scans(source: Path, out: Path, pages: int, dpi: int) -> int:
    """The first `pages` pages of `source` as a scanner would give them: an image-only PDF."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from fixtures.make_fixtures import degrade

    rng = random.Random(20)
    canvas = Canvas(str(out), invariant=1, pageCompression=1)
    canvas.setCreator("newsletter-pipeline tests/bench (scan)")
    document = pdfium.PdfDocument(str(source))
    try:
        for index in range(pages):
            bitmap = document[index].render(scale=dpi / 72, grayscale=True)
            image = degrade(bitmap.to_pil().convert("L"), dpi, rng, 0.0)
            width, height = image.width * 72 / dpi, image.height * 72 / dpi
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
            buffer.seek(0)
            canvas.setPageSize((width, height))
            canvas.drawImage(ImageReader(buffer), 0, 0, width, height)
            canvas.showPage()
    finally:
        document.close()
    canvas.save()
    return pages


def render_text_pages(out: Path, pages: int) -> int:
    """The fixture truths set one after another (reportlab, one column) on exactly `pages` pages."""
    from xml.sax.saxutils import escape

    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Frame, PageTemplate, Paragraph
    from reportlab.platypus.doctemplate import BaseDocTemplate

    from fixtures.make_fixtures import BORN_DIGITAL, footer_painter, register_fonts, styles
    from fixtures.truth import load_truth, strip_links

    register_fonts()
    spec = next(s for s in BORN_DIGITAL if s.layout == "one_column")
    st = styles(spec)
    for style in st.values():
        style.hyphenationLang = ""  # hyphenating 1,000 pages is slow and adds nothing here
    truths = [load_truth(path) for path in truth_files()]

    def story(cycles: int) -> Iterator[Paragraph]:
        for cycle in range(cycles):
            for truth in truths:
                for block in truth.blocks:
                    text = escape(strip_links(block.raw))
                    if block.kind == "title":
                        yield Paragraph(f"{text} ({cycle + 1})", st["title"])
                    elif block.kind == "heading":
                        yield Paragraph(text, st["h2"] if block.level <= 2 else st["h3"])
                    elif block.kind == "list_item":
                        yield Paragraph(text, st["item0"], bulletText="•")
                    else:
                        yield Paragraph(text, st["body"])

    def build(target: str | io.BytesIO, cycles: int) -> int:
        width, height = A4
        margin = 2.0 * cm
        doc = BaseDocTemplate(target, pagesize=A4, invariant=1, title="Benchmark: 1,000 pages",
                              leftMargin=margin, rightMargin=margin, topMargin=margin,
                              bottomMargin=margin)
        frame = Frame(margin, 2.2 * cm, width - 2 * margin, height - margin - 2.2 * cm, id="main")
        doc.addPageTemplates([PageTemplate("page", [frame],
                                           onPage=footer_painter("Benchmark · Nyhetsbrev"))])
        doc.build(list(story(cycles)))
        return int(doc.page)

    per_cycle = build(io.BytesIO(), 1)
    cycles = pages // max(1, per_cycle - 1) + 2
    tmp = out.with_suffix(".long.pdf")
    build(str(tmp), cycles)
    document = pdfium.PdfDocument(str(tmp))
    try:
        while len(document) > pages:
            document.del_page(len(document) - 1)
        count = len(document)
        document.save(str(out))
    finally:
        document.close()
    tmp.unlink()
    if count != pages:
        raise RuntimeError(f"{out.name}: {count} pages, wanted {pages}")
    return count


def copy_batch(folder: Path, files: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    sources = born_digital_fixtures()
    names = []
    for k in range(files):
        source = sources[k % len(sources)]
        name = f"{k + 1:02d}_{source.name}"
        shutil.copyfile(source, folder / name)
        names.append(name)
    return names


# --------------------------------------------------------------------------- text (in memory)


@dataclass(frozen=True)
class TextCorpus:
    clean: list[str]  # page-sized chunks: lines joined by "\n", as PageLayout.text
    damaged: list[str]  # the same pages through the repair stage's corruption channel
    sources: list[str]  # where the clean text came from
    words: int  # words (\w+) of the clean pages


def text_corpus(words: int = TEXT_WORDS) -> TextCorpus:
    """~`words` words of clean Swedish (fixture truths, then ../shared/corpus/text-sv/*.txt,
    repeated when short) as page-sized chunks, and the same pages damaged with the confusion
    channel (`pipeline.repair.corrupt.corrupt_text`, one seed per page)."""
    import regex

    from fixtures.truth import load_truth

    word = regex.compile(r"\w+")
    sentences: list[str] = []
    sources: list[str] = []
    for path in truth_files():
        sentences += [p for p in load_truth(path).text.split("\n") if p.strip()]
        sources.append(path.relative_to(ROOT).as_posix())
    if SHARED_TEXT.is_dir():
        for path in sorted(SHARED_TEXT.glob("*.txt")):
            sentences += [s.strip() for s in path.read_text(encoding="utf-8").splitlines()
                          if s.strip()]
            sources.append(f"../shared/corpus/text-sv/{path.name}")
    pages: list[str] = []
    current: list[str] = []
    count = total = 0
    index = 0
    while total < words:
        sentence = sentences[index % len(sentences)]
        index += 1
        n = len(word.findall(sentence))
        current.append(sentence)
        count += n
        total += n
        if count >= PAGE_WORDS:
            pages.append(_page(current))
            current, count = [], 0
    if current:
        pages.append(_page(current))
    damaged = [_damage(page, seed) for seed, page in enumerate(pages)]
    return TextCorpus(clean=pages, damaged=damaged, sources=sources,
                      words=sum(len(word.findall(p)) for p in pages))


def _page(sentences: list[str]) -> str:
    """Sentences run together into lines of a page (one paragraph per few sentences)."""
    lines: list[str] = []
    for start in range(0, len(sentences), 4):
        lines += textwrap.wrap(" ".join(sentences[start : start + 4]), LINE_WIDTH,
                               break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines)


def _damage(text: str, seed: int) -> str:
    from pipeline.repair.corrupt import corrupt_text

    return corrupt_text(text, seed=seed)
