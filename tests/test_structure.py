"""Headings as a reader sees them: wrapped and broken heading lines, date lines, bold run-in
titles, section headings of body size, and the doctests of the structure modules."""

from __future__ import annotations

import doctest
import importlib

import pytest

from pipeline.layout import Line, PageLayout
from pipeline.segment import segment

MODULES = ["pipeline.headings", "pipeline.numbering"]


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


def test_numbered_paragraphs_of_minutes_are_headings_of_one_level() -> None:
    # as an OCR layer gives them: no bold, the paragraph sign read as & or $ or 8, once lost
    lines = [line("PROTOKOLL", 40, size=18)]
    top = 80.0
    for head in ["& 1 Stämmans öppnande", "$2 Val av ordförande", "3 Anmälan av protokollförare",
                 "&4 Godkännande av röstlängd", "85 Fastställande av dagordning"]:
        lines.append(line(head, top))
        lines.append(line("Stämman beslutar att godkänna förslaget i sin helhet och", top + 16,
                          x1=400))
        lines.append(line("att lägga det till handlingarna.", top + 28))
        top += 60
    doc = headings([page(*lines)])
    assert doc[0] == ("PROTOKOLL", 1)
    assert [h for h, _ in doc[1:]] == [
        "& 1 Stämmans öppnande", "$2 Val av ordförande", "3 Anmälan av protokollförare",
        "&4 Godkännande av röstlängd", "85 Fastställande av dagordning"]
    assert {level for _, level in doc[1:]} == {2}


def test_statute_numbering_gives_levels_whatever_the_print_size() -> None:
    doc = headings([page(
        line("Stadgar för föreningen", 40, size=18, bold=True),
        line("1 kap Allmänna bestämmelser", 80, size=11, bold=True),
        line("§ 1 Firma", 100, size=12, bold=True),
        line(BODY, 116),
        line("§ 2 Ändamål och verksamhet för", 140, size=12, bold=True, x1=290),
        line("föreningens medlemmar", 154, size=12, bold=True),
        line(BODY, 170),
        line("2.1 Syfte", 190, bold=True),
        line(BODY, 204),
        line("2.2 Medel", 230, bold=True),
        line(BODY, 244),
    )])
    levels = dict(doc)
    assert levels["Stadgar för föreningen"] == 1
    assert levels["1 kap Allmänna bestämmelser"] < levels["§ 1 Firma"]
    assert levels["§ 1 Firma"] == levels["§ 2 Ändamål och verksamhet för föreningens medlemmar"]
    assert levels["§ 1 Firma"] < levels["2.1 Syfte"] == levels["2.2 Medel"]
