"""The OCR channel learned from Tesseract's own errors (fixtures/ocr_channel.py, `make data`).

The counting is tested on line pairs as Tesseract returns them; one small page is rendered,
degraded and read with the real Tesseract; the committed table parses with the repair's own
parser and holds the symbol confusions the genre-symbol rules undo.
"""

from __future__ import annotations

import shutil
from importlib import resources

import pytest

from fixtures.ocr_channel import PageSpec, align_lines, count_events, read, render, write_table
from pipeline.repair import repair_text
from pipeline.repair.confusion import parse_table
from pipeline.repair.lines import line_loss

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def test_events_are_counted_by_context() -> None:
    counts = count_events(
        [
            ("§ 3 Val av ordförande för mötet", "$ 3 Val av ordforande för mötet"),
            ("• Städdag i maj (9–12)", "» Städdag imaj (9-12)"),
            ("Länka till en fil på nätet", "Lanka till en fil pa natet"),
        ]
    )
    assert counts[("§", "$", "line-start")] == 1
    assert counts[("•", "»", "line-start")] == 1
    assert counts[("–", "-", "any")] == 1
    assert counts[(" ", "", "space")] == 1
    assert counts[("ö", "o", "any")] == 1 and counts[("ö", "ö", "any")] == 2
    assert counts[("line-with-åäö", "all lost", "line")] == 1
    assert counts[("line-with-åäö", "kept", "line")] == 1
    table = parse_table(write_table(counts, 1))
    assert [(r.observed, r.count) for r in table.damage("§", "line-start")] == [("$", 1)]


def test_lines_are_paired_when_the_ocr_loses_one() -> None:
    truth = ["Första raden här", "Andra raden", "Tredje raden kommer sist"]
    assert align_lines(truth, ["Forsta raden har", "Tredje raden kommer sist"]) == [
        ("Första raden här", "Forsta raden har"),
        ("Tredje raden kommer sist", "Tredje raden kommer sist"),
    ]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")
def test_a_rendered_degraded_page_is_read_back() -> None:
    lines = ["§ 4 Godkännande av dagordningen", "Mötet godkände dagordningen."]
    spec = PageSpec(FONT, 12, 200, blur=0.6, noise=8.0, jpeg=60, binarize=False, skew=0.0)
    read_lines = read(render(lines, spec, seed=1), spec.dpi)
    pairs = align_lines(lines, read_lines)
    assert len(pairs) == 2
    assert pairs[1][1] == "Mötet godkände dagordningen."


def test_the_committed_table_holds_the_symbol_confusions() -> None:
    text = resources.files("pipeline.data").joinpath("ocr_channel.tsv").read_text("utf-8")
    table = parse_table(text)
    assert {r.observed for r in table.damage("§", "line-start")} >= {"$", "&"}
    assert {r.observed for r in table.damage("•", "line-start")} >= {"»", "*", "¢", "«"}
    assert "-" in {r.observed for r in table.damage("–")}
    assert {r.observed for r in table.damage("ä")} >= {"a"}


PAGE = (
    "Styrelsen har träffats varje månad under våren för att planera arbetet.\n"
    "I detta arbete innebar det att vi fragar ungdomar och vardnadshavare om behoven.\n"
    "Vi är glada över att så många medlemmar har hört av sig med förslag."
)


def test_a_line_the_english_model_won_is_repaired_at_its_own_rate() -> None:
    """The page keeps its å/ä/ö but one long line lost them all: that line is repaired as a
    stripped line (the learned channel's line loss is the prior), and the records say so.

    The prior is small (no line of the estimate part's pages lost all its marks: 1 in 318,
    smoothed), so a long line needs three cues; with two the word-level repair still restores
    its words, without the line rule."""
    result = repair_text(PAGE, ocr=True)
    assert result.text.splitlines()[1] == (
        "I detta arbete innebär det att vi frågar ungdomar och vårdnadshavare om behoven."
    )
    three_cues = PAGE.replace("vardnadshavare om", "vardnadshavare pa orten om")
    result = repair_text(three_cues, ocr=True)
    assert result.text.splitlines()[1] == (
        "I detta arbete innebär det att vi frågar ungdomar och vårdnadshavare på orten om behoven."
    )
    assert result.records
    assert all("a line read without its å/ä/ö" in r.reason for r in result.records)
    assert 0 < line_loss() < 0.2


def test_short_lines_without_marks_keep_their_words() -> None:
    """`sa` (said) is a cue, but a short line without å/ä/ö is no evidence of a lost line."""
    text = "Vi är glada över att så många kom.\nJa, sa han sig. Visst kunde han det."
    assert repair_text(text, ocr=True).text == text
