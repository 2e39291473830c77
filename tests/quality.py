"""Judging a converted document against a fixture's truth, with EVALUATION.md's measures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fixtures.truth import TRUTH_DIR, Truth, load_truth, truth_path_for
from pipeline.evaluation import (
    levels_consistent,
    normalize_heading,
    normalize_item,
    normalize_url,
    precision_recall_f1,
    word_error_rate,
)
from pipeline.model import Document


def truth_for(pdf: Path) -> Truth:
    """The truth a fixture PDF was rendered from (`fixtures.truth.truth_path_for`)."""
    return load_truth(truth_path_for(pdf))


@dataclass(frozen=True)
class Score:
    wer: float
    heading_f1: float
    missing_headings: list[str]
    extra_headings: list[str]
    wrong_levels: list[tuple[str, str]]
    missing_items: list[str]
    missing_links: list[str]
    duplicate_links: list[str]


def score(document: Document, truth: Truth) -> Score:
    truth_levels = {normalize_heading(h): level for h, level in truth.headings}
    found_levels: dict[str, int] = {}
    for section in document.sections:
        if section.heading is not None:
            found_levels.setdefault(normalize_heading(section.heading), section.level or 0)
    _, _, f1 = precision_recall_f1(truth_levels, found_levels)
    items = {
        normalize_item(b.text)
        for s in document.sections
        for b in s.blocks
        if b.type == "list_item"
    }
    urls = [normalize_url(link.url) for link in document.links]
    return Score(
        wer=word_error_rate(truth.text, document.text),
        heading_f1=f1,
        missing_headings=sorted(set(truth_levels) - set(found_levels)),
        extra_headings=sorted(set(found_levels) - set(truth_levels)),
        wrong_levels=levels_consistent(truth_levels, found_levels),
        missing_items=[i for i in truth.list_items if normalize_item(i) not in items],
        missing_links=[u for u, _ in truth.links if normalize_url(u) not in urls],
        duplicate_links=sorted({u for u in urls if urls.count(u) > 1}),
    )


def main() -> None:
    """`python -m tests.quality`: every fixture PDF through `convert`, scored against its truth."""
    import time

    from pipeline import convert

    print(f"{'fixture':42} {'WER':>7} {'head F1':>8} {'items':>7} {'links':>7} {'s':>6}")
    for pdf in sorted((TRUTH_DIR.parent / "pdf").glob("*.pdf")):
        truth = truth_for(pdf)
        start = time.perf_counter()
        result = score(convert(pdf), truth)
        seconds = time.perf_counter() - start
        items = f"{len(truth.list_items) - len(result.missing_items)}/{len(truth.list_items)}"
        links = f"{len(truth.links) - len(result.missing_links)}/{len(truth.links)}"
        print(f"{pdf.stem:42} {result.wer:7.2%} {result.heading_f1:8.2f} {items:>7} {links:>7} "
              f"{seconds:6.1f}")


if __name__ == "__main__":
    main()
