"""Headings as a reader sees them: wrapped and broken heading lines, date lines, bold run-in
titles, section headings of body size, and the doctests of the structure modules."""

from __future__ import annotations

import doctest
import importlib

import pytest

from pipeline.layout import Line, PageLayout
from pipeline.segment import segment

MODULES = ["pipeline.headings"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def line(text: str, top: float, *, x0: float = 60, size: float = 10, bold: bool = False,
         block: int = 0, x1: float | None = None) -> Line:
    return Line(text=text, x0=x0, top=top, x1=x1 or x0 + 0.5 * size * len(text),
                bottom=top + size, size=size, bold=bold, block=block)


def page(*lines: Line, number: int = 1) -> PageLayout:
    return PageLayout(number=number, width=595, height=842, lines=lines)


def headings(pages: list[PageLayout]) -> list[tuple[str | None, int | None]]:
    return [(s.heading, s.level) for s in segment(pages).sections if s.heading]


BODY = "Arbetet fortsätter under hela hösten i alla delar av föreningen och"


def test_a_heading_over_two_lines_is_one_heading() -> None:
    doc = headings([page(
        line("Nyhetsbrev", 40, size=20, bold=True),
        line(BODY, 70),
        line("Styrelsen går på semester den 1 juli och är tillbaka", 100, bold=True),
        line("den 10 augusti", 112, bold=True),
        line("Under tiden kontaktar ni förvaltaren.", 126),
    )])
    assert ("Styrelsen går på semester den 1 juli och är tillbaka den 10 augusti", 2) in doc


def test_a_short_heading_line_then_another_heading_are_two_headings() -> None:
    # "Så" would have fitted after "HSB informerar": the line was broken by hand
    doc = headings([page(
        line("Nyhetsbrev", 40, size=20, bold=True),
        line(BODY, 70),
        line("HSB informerar", 100, bold=True),
        line("Så når ni oss i sommar!", 112, bold=True),
        line("Kontoret har öppet måndag till fredag.", 126),
        line("Fastighetsskötare", 150, bold=True),
        line("Ring oss på vardagar.", 164),
    )])
    assert [h for h, _ in doc] == [
        "Nyhetsbrev", "HSB informerar", "Så når ni oss i sommar!", "Fastighetsskötare"]
    levels = dict(doc)
    assert levels["HSB informerar"] < levels["Så når ni oss i sommar!"]
    assert levels["Så når ni oss i sommar!"] == levels["Fastighetsskötare"]


def test_a_masthead_date_line_is_no_heading_and_a_bold_sentence_title_is() -> None:
    doc = segment([page(
        line("Nyhetsbrev från din förening", 40, size=18, bold=True),
        line("Akalla 2021-12-15", 70, bold=True),
        line("Garagestädning.", 100, bold=True),
        line("Årets garagestädning är beställd och utförs den 21 juni. Det är", 114),
        line("en firma från orten som utför städningen av alla garagen.", 128),
        line("Tills vi hörs igen,", 150, bold=True, x0=300),
        line("Styrelsen", 164, bold=True, x0=300),
    )])
    assert doc.title == "Nyhetsbrev från din förening"
    found = [s.heading for s in doc.sections]
    assert "Akalla 2021-12-15" not in found
    assert "Garagestädning." in found
    assert not any(h and h.startswith("Tills") for h in found)  # nothing follows it


def test_body_size_section_heading_ranks_above_its_item_titles() -> None:
    doc = headings([page(
        line("Nyhetsbrev", 40, size=18, bold=True),
        line("Brf informerar", 70, bold=True, x0=60),
        line("Tack", 86, bold=True, x0=100),
        line(BODY, 100, x0=100),
        line("Granar", 130, size=9, bold=True, x0=100),
        line(BODY, 144, size=9, x0=100),
        line("HSB informerar", 180, bold=True, x0=60),
        line("Fastighetsskötare", 196, size=9, bold=True, x0=60),
        line(BODY, 210, size=9, x0=60),
    )])
    levels = dict(doc)
    assert levels["Brf informerar"] == levels["HSB informerar"] < levels["Tack"]
    assert levels["HSB informerar"] < levels["Fastighetsskötare"]
