"""The repair's context weights: counted from Swedish text by a script, reproducible, and free
of rules that name a word."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.lexicon import load_lexicon
from pipeline.repair import context, estimate_context, split_corpus
from pipeline.repair.context import EDGE, OPEN, context_bonus, cue, cue_bonus, word_class
from pipeline.repair.english_model import english_ocr
from pipeline.repair.split_corpus import ESTIMATE, HELD_OUT, lines_of, part
from pipeline.repair.stripping import DIACRITIC
from tests.conftest import ROOT, shared_file

TEXT_SV = ["corpus/text-sv/ud_lines_train_2019.txt", "corpus/text-sv/ud_talbanken_dev.txt"]


def test_committed_table_is_what_the_script_makes() -> None:
    """pipeline/data/context.tsv holds the counts `make data` makes on ../shared/corpus/text-sv
    under the settings it holds (the cross-validation that chose them runs in `make data`)."""
    paths = [shared_file(p) for p in TEXT_SV]
    committed = (ROOT / "pipeline" / "data" / "context.tsv").read_text("utf-8")
    _, settings = context.parse_table(committed)
    lines = [line for p in paths for line in lines_of(p.read_text("utf-8"), ESTIMATE)]
    counts = estimate_context.count_pairs(
        estimate_context.neighbours(lines),
        int(settings["min_word_candidate"]),
        int(settings["min_word_neighbour"]),
    )
    made = estimate_context.write_table(counts, settings, [p.name for p in paths])
    assert made == committed


def test_held_out_lines_never_counted() -> None:
    """The two parts share no line, and the held-out lines would change the counts."""
    paths = [shared_file(p) for p in TEXT_SV]
    text = [p.read_text("utf-8") for p in paths]
    estimate = [line for t in text for line in lines_of(t, ESTIMATE)]
    held_out = [line for t in text for line in lines_of(t, HELD_OUT)]
    assert estimate and held_out and not set(estimate) & set(held_out)
    assert len(held_out) > len(estimate) / 2  # a real split, not a trickle

    def count(lines: list[str]) -> object:
        return estimate_context.count_pairs(estimate_context.neighbours(lines), 10, 200)

    assert count(estimate + held_out) != count(estimate)


def test_split_is_stable_and_by_text_only() -> None:
    line = "Målet är att alla barn ska må bra."
    assert part(line) == part(line + "\n") == part("  " + line)
    assert {part(f"Mening nummer {k}.") for k in range(40)} == {ESTIMATE, HELD_OUT}


def test_every_class_weight_comes_from_the_table() -> None:
    """With the counts of one side flat (the prior everywhere), that side gives no bonus."""
    flat = {"before": {"PREP": {"POSS": 1, OPEN: 9}, "ADV": {"POSS": 1, OPEN: 9}}, "after": {}}
    flat_bonus = context.bonuses(flat)["before"]["PREP"]
    assert all(v == pytest.approx(0.0) for v in flat_bonus.values())


def test_open_words_and_edges_get_no_bonus() -> None:
    rare = "tjänsteutövningar"  # an open word too rare in the counted text to be a unit
    assert context.unit(rare) == OPEN and cue_bonus(rare, cue("på"), cue("nya")) == 0.0
    assert all(cue_bonus(w, EDGE, EDGE) == 0.0 for w in context.word_classes())
    assert word_class("vara") != OPEN  # a closed-class word, by the class table


def test_context_prefers_the_class_the_counts_prefer() -> None:
    """A possessive after a preposition before an open word; an infinitive after a modal."""
    assert context_bonus("våra", "på", "nya") > context_bonus("vara", "på", "nya")
    assert context_bonus("vara", "ska", "i") > context_bonus("våra", "ska", "i")


#: Modules of the repair whose rules may be checked for string literals that are words.
REPAIR = ROOT / "pipeline" / "repair"


def _code_strings(path: Path) -> list[str]:
    """The string constants of a module's code, docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", sorted(p.name for p in REPAIR.glob("*.py")))
def test_no_rule_names_a_swedish_word(module: str) -> None:
    """No string in the repair's code is a closed-class Swedish word, nor a lexicon word with
    å/ä/ö (the class table says which words are which; the code speaks of classes, characters
    and the channel's glyphs). Single letters and letter sets ("se", "li") are glyphs."""
    closed = set(context.word_classes())
    lexicon = load_lexicon().frequencies
    named = [
        s
        for s in _code_strings(REPAIR / module)
        if len(s) > 1
        and not set(s.lower()) <= set("åäö")  # the letters themselves
        and (s.lower() in closed or (DIACRITIC.search(s) and s.lower() in lexicon))
    ]
    assert named == []


def test_english_model_channel_is_not_the_correctors() -> None:
    """The second damage channel changes only å/ä/ö, keeps lines and length, is seeded."""
    text = "Målet är att höja nivån på våra tjänster.\nÖver 18 år."
    damaged = english_ocr(text, seed=3, english_share=1.0)
    assert damaged != text and len(damaged) == len(text)
    assert damaged.count("\n") == text.count("\n")
    assert english_ocr(text, seed=3, english_share=1.0) == damaged
    assert all(a == b for a, b in zip(text, damaged, strict=True) if a not in "åäöÅÄÖ")
    assert split_corpus.part(text) in (ESTIMATE, HELD_OUT)
