"""Real newsletters (../shared/corpus/sv, truths in ../shared/corpus/sv-truth) held to floors.

FLOORS is a ratchet: each figure is just under what the document reaches now (development
material: these documents shaped the code). It only moves toward better; a change that makes
a real document worse fails here. Without ../shared beside the checkout the tests skip, except
under CI=true, where they fail (the measure must not silently vanish).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from pipeline import convert
from pipeline.evaluation import Scorecard

from .conftest import missing
from .quality import REAL_DIR, REAL_TRUTH_DIR, real_pdfs, score, truth_for


@dataclass(frozen=True)
class Floor:
    """The worst a document may get: most WER and bag error, least heading F1, most heading
    pairs whose levels are ranked the wrong way, fewest list items and links found."""

    wer: float
    bag: float
    heading_f1: float
    wrong_levels: int
    items: int = 0
    links: int = 0


FLOORS: dict[str, Floor] = {
    "imatra_nyhetsbrev_2021-05": Floor(
        wer=0.001, bag=0.001, heading_f1=0.99, wrong_levels=0, links=2
    ),
    "imatra_nyhetsbrev_2021-06": Floor(
        wer=0.001, bag=0.001, heading_f1=0.99, wrong_levels=0, links=4
    ),
    "imatra_nyhetsbrev_2021-12": Floor(
        wer=0.001, bag=0.001, heading_f1=0.99, wrong_levels=0, links=3
    ),
    "imatra_nyhetsbrev_2022-06": Floor(
        wer=0.001, bag=0.001, heading_f1=0.99, wrong_levels=0, links=4
    ),
    "imatra_protokoll_stamma_2014_SCAN-OCR": Floor(
        wer=0.002, bag=0.002, heading_f1=0.99, wrong_levels=0
    ),
    "imatra_sa_funkar_er_ventilation": Floor(
        wer=0.001, bag=0.001, heading_f1=0.99, wrong_levels=0, items=4
    ),
}


def _shared_or_skip() -> None:
    if REAL_DIR.is_dir() and REAL_TRUTH_DIR.is_dir():
        return
    missing(f"{REAL_DIR} or {REAL_TRUTH_DIR}")


@cache
def _scorecard(name: str) -> Scorecard:
    pdf = REAL_DIR / f"{name}.pdf"
    return score(convert(pdf), truth_for(pdf))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_real_document_holds_its_floor(name: str) -> None:
    _shared_or_skip()
    floor = FLOORS[name]
    result = _scorecard(name)
    found_items = result.items - len(result.missing_items)
    found_links = round(result.links_once * result.links)
    assert result.wer <= floor.wer, f"WER {result.wer:.2%}"
    assert result.bag <= floor.bag, f"bag-of-words error {result.bag:.2%}"
    assert result.heading_f1 >= floor.heading_f1, (
        f"heading F1 {result.heading_f1:.2f}; missing {result.missing_headings}, "
        f"extra {result.extra_headings}"
    )
    assert len(result.wrong_levels) <= floor.wrong_levels, result.wrong_levels
    assert found_items >= floor.items, result.missing_items
    assert found_links >= floor.links, (result.missing_links, result.duplicate_links)


def test_every_real_document_with_a_truth_has_a_floor() -> None:
    _shared_or_skip()
    assert {p.stem for p in real_pdfs()} == set(FLOORS)


def test_real_truths_are_read_from_shared_not_copied() -> None:
    """The truths name real people: they stay in ../shared, never in the repository."""
    root = Path(__file__).resolve().parent.parent
    for folder in ("fixtures", "tests", "docs", "pipeline"):
        for name in FLOORS:
            assert not list((root / folder).glob(f"**/{name}.*"))


def test_lettered_points_of_scanned_minutes_are_items_with_their_letters() -> None:
    """The 2014 minutes print `a)`, `b)`, `c)` under one numbered paragraph: each is a list
    item of one line that keeps its letter as printed (the sentence below it is its own)."""
    _shared_or_skip()
    document = convert(REAL_DIR / "imatra_protokoll_stamma_2014_SCAN-OCR.pdf")
    items = [b.text for s in document.sections for b in s.blocks if b.type == "list_item"]
    assert [t[:2] for t in items] == ["a)", "b)", "c)"]
    assert all("\n" not in t for t in items)
