"""The review loop: decisions files, the archive's own words, and decisions applied."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.review.decisions import Decision, format_decisions, item_id, read_decisions
from pipeline.review.words import read_words

#: Two newsletters of one association that both print the village's name, which the repair
#: reads as a stripped Swedish word (Bjorkas -> Björkås) though it is printed as it is spelled.
FIRST = (
    "Styrelsen har beslutat att arrangera vårens möte i Bjorkas den 12 maj.\n"
    "Alla medlemmar är välkomna och föreningen bjuder på kaffe efter mötet.\n"
)
SECOND = (
    "Höstens utflykt går till hembygdsgården i Bjorkas den 3 oktober.\n"
    "Anmäl dig till kassören senast en vecka före, så ordnar vi samåkning.\n"
)
NAME = "Bjorkas"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def convert(path: Path, *extra: str) -> dict:
    return json.loads(invoke("convert", str(path), "-o", "-", *extra))


def name_repairs(document: dict) -> list[dict]:
    return [r for r in document["repairs"] if r["before"] == NAME]


def rejections(document: dict) -> list[Decision]:
    sha = document["source"]["sha256"]
    return [
        Decision(item_id(sha, r["page"], r["offset"], r["before"], r["after"]), sha, r["page"],
                 r["offset"], r["before"], r["after"], "reject")
        for r in name_repairs(document)
    ]


def test_words_learned_from_one_document_keep_the_name_in_another(tmp_path: Path) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    # without the list, both documents get the wrong "repair" of the name
    assert name_repairs(convert(first)) and name_repairs(convert(second))

    decisions = tmp_path / "decisions.json"
    decisions.write_text(format_decisions(rejections(convert(first))), encoding="utf-8")
    assert [d.action for d in read_decisions(decisions)] == ["reject"]
    words = tmp_path / "archive-words.txt"
    invoke("words", "learn", str(decisions), "-o", str(words))
    assert read_words(words) == (NAME,)

    document = convert(second, "--words", str(words))
    assert name_repairs(document) == []
    assert NAME in document["text"] and "Björkås" not in document["text"]
    # the rest of the page is repaired as before: the list keeps its words only
    plain = convert(second)
    assert [r for r in plain["repairs"] if r["before"] != NAME] == document["repairs"]
    # the repair command takes the list too
    assert NAME not in invoke("repair", str(second), "--diff", "--words", str(words))


def test_learning_again_keeps_the_words_already_listed(tmp_path: Path) -> None:
    words = tmp_path / "archive-words.txt"
    words.write_text("Tarnby\n", encoding="utf-8")
    decisions = tmp_path / "decisions.json"
    sha = "0" * 64
    decisions.write_text(format_decisions([
        Decision("", sha, 1, 0, NAME, "Björkås", "reject"),
        Decision("", sha, 1, 20, "Lannas", "Lännäs", "correct", "Lännas"),
        Decision("", sha, 1, 40, "ar", "är", "accept"),
    ]), encoding="utf-8")
    invoke("words", "learn", str(decisions), "-o", str(words))
    assert read_words(words) == (NAME, "Lännas", "Tarnby")
