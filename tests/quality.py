"""Judging converted documents against truths, with EVALUATION.md's measures.

`python -m tests.quality` reports every fixture PDF (truth in fixtures/truth/) and every real
document in ../shared/corpus/sv/ that has a hand-written truth in ../shared/corpus/sv-truth/:
WER, the order-free bag-of-words error, heading F1, heading level order (pairs ranked the wrong
way), list items found exactly, links found once and table rows found with their cells. `-v`
lists what was missed; `--real` / `--fixtures` report one kind only.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from fixtures.truth import TRUTH_DIR, Truth, load_truth, truth_path_for
from pipeline.addresses import EMAIL, URL, strip_tail
from pipeline.evaluation import Scorecard, normalize_url, score_document
from pipeline.model import Document

ROOT = Path(__file__).resolve().parent.parent
REAL_DIR = ROOT.parent / "shared" / "corpus" / "sv"
REAL_TRUTH_DIR = ROOT.parent / "shared" / "corpus" / "sv-truth"


def truth_for(pdf: Path) -> Truth:
    """The truth of a PDF: a fixture's (`fixtures.truth.truth_path_for`), or a real document's
    hand-written one in ../shared/corpus/sv-truth/."""
    if pdf.parent.resolve() == REAL_DIR.resolve():
        return load_truth(REAL_TRUTH_DIR / f"{pdf.stem}.md")
    return load_truth(truth_path_for(pdf))


def fixture_pdfs() -> list[Path]:
    return sorted((TRUTH_DIR.parent / "pdf").glob("*.pdf"))


def real_pdfs() -> list[Path]:
    """The real documents that have a truth (none when ../shared is not beside the checkout)."""
    if not REAL_DIR.is_dir():
        return []
    return [p for p in sorted(REAL_DIR.glob("*.pdf")) if (REAL_TRUTH_DIR / f"{p.stem}.md").exists()]


def score(document: Document, truth: Truth) -> Scorecard:
    return score_document(
        truth_text=truth.text,
        truth_headings=truth.headings,
        truth_items=truth.list_items,
        truth_urls=truth_urls(truth),
        text=document.text,
        headings=[(s.heading, s.level or 0) for s in document.sections if s.heading is not None],
        items=[b.text for s in document.sections for b in s.blocks if b.type == "list_item"],
        urls=[link.url for link in document.links],
        truth_rows=[b.cells for b in truth.blocks if b.kind == "table_row"],
        rows=[b.cells or [] for s in document.sections for b in s.blocks if b.type == "table_row"],
    )


def truth_urls(truth: Truth) -> list[str]:
    """The truth's links and the addresses it prints, each once (as `normalize_url` sees it)."""
    found: dict[str, str] = {}
    for url in [url for url, _ in truth.links] + printed_addresses(truth.text):
        found.setdefault(normalize_url(url), url)
    return list(found.values())


def printed_addresses(text: str) -> list[str]:
    """The URLs and e-mail addresses a truth prints as text, not as `[text](url)` links (the real
    documents' truths write URLs "without their link styling"): each must be a link too."""
    urls = [strip_tail(m.group()) for m in URL.finditer(text)]
    return urls + ["mailto:" + m.group() for m in EMAIL.finditer(text)]


HEADER = (
    f"{'document':42} {'words':>6} {'WER':>7} {'bag':>7} {'head F1':>8} {'lvl bad':>7} "
    f"{'items':>7} {'links':>7} {'rows':>7} {'s':>5}"
)


def row(name: str, result: Scorecard, seconds: float) -> str:
    items = f"{result.items - len(result.missing_items)}/{result.items}"
    once = round(result.links_once * result.links)
    links = f"{once}/{result.links}"
    rows = f"{result.rows - len(result.missing_rows)}/{result.rows}"
    return (
        f"{name:42} {result.words:6d} {result.wer:7.2%} {result.bag:7.2%} "
        f"{result.heading_f1:8.2f} {len(result.wrong_levels):7d} {items:>7} {links:>7} "
        f"{rows:>7} {seconds:5.1f}"
    )


def details(result: Scorecard) -> Iterator[str]:
    for label, values in (
        ("missing headings", result.missing_headings),
        ("extra headings", result.extra_headings),
        ("levels ranked wrong", [f"{a} / {b}" for a, b in result.wrong_levels]),
        ("missing items", result.missing_items),
        ("missing links", result.missing_links),
        ("duplicate links", result.duplicate_links),
        ("missing table rows", result.missing_rows),
    ):
        for value in values:
            yield f"    {label}: {value}"


def main(argv: list[str]) -> None:
    """Every fixture PDF and real document through `convert`, scored against its truth."""
    import time

    from pipeline import convert

    groups = []
    if "--real" not in argv:
        groups.append(("fixtures (made by the team; development)", fixture_pdfs()))
    if "--fixtures" not in argv:
        groups.append(("real documents, ../shared/corpus/sv (development)", real_pdfs()))
    for title, pdfs in groups:
        print(title)
        print(HEADER)
        for pdf in pdfs:
            truth = truth_for(pdf)
            start = time.perf_counter()
            result = score(convert(pdf), truth)
            seconds = time.perf_counter() - start
            print(row(pdf.stem, result, seconds), flush=True)
            if "-v" in argv:
                for line in details(result):
                    print(line)
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
