"""The review loop: decisions files, the archive's own words, and decisions applied."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.convert import convert_with_pages
from pipeline.options import Options
from pipeline.repair import RepairRecord, replay
from pipeline.review.decisions import Decision, format_decisions, item_id, read_decisions
from pipeline.review.words import read_words
from tests.conftest import ROOT

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


# --- decisions applied ------------------------------------------------------------------------

REVIEW = ROOT / "tests" / "data" / "review"
#: What the reviewer decided on the repairs of minutes.txt, by the word as printed: the village's
#: name kept, the suggestion (applied: false) accepted, the place's name typed anew.
DECIDED = {"Bjorkas": ("reject", None), "var": ("accept", None), "Tarnby": ("correct", "Tärnby")}


def decisions_for(document: dict) -> list[Decision]:
    sha = document["source"]["sha256"]
    decided = []
    for r in document["repairs"]:
        if r["before"] in DECIDED:
            action, correction = DECIDED[r["before"]]
            decided.append(Decision(item_id(sha, r["page"], r["offset"], r["before"], r["after"]),
                                    sha, r["page"], r["offset"], r["before"], r["after"],
                                    action, correction))  # type: ignore[arg-type]
    return decided


def test_decisions_applied_give_the_reviewed_truth_and_replay(tmp_path: Path) -> None:
    source = REVIEW / "minutes.txt"
    plain = convert(source)
    suggestion = [r for r in plain["repairs"] if r["before"] == "var"]
    assert suggestion and not suggestion[0]["applied"], "the case needs a suggestion"
    decisions = tmp_path / "decisions.json"
    decisions.write_text(format_decisions(decisions_for(plain)), encoding="utf-8")

    reviewed = convert(source, "--decisions", str(decisions))
    truth = (REVIEW / "minutes.reviewed.txt").read_text(encoding="utf-8")
    assert reviewed["text"] == " ".join(truth.split())
    # the automatic records stay as they were; one review record per decision follows them
    assert reviewed["repairs"][: len(plain["repairs"])] == plain["repairs"]
    review = reviewed["repairs"][len(plain["repairs"]) :]
    assert [(r["stage"], r["before"], r["after"], r["applied"]) for r in review] == [
        ("review", "Björkås", "Bjorkas", True),
        ("review", "var", "vår", True),
        ("review", "Tårnby", "Tärnby", True),
    ]
    # replay: the applied records, in order, on the page as read give the reviewed page
    conversion = convert_with_pages(source, Options(decisions=read_decisions(decisions)))
    records = [RepairRecord(**r.model_dump()) for r in conversion.document.repairs]
    assert replay(conversion.pages[0].text, records).rstrip("\n") == truth.rstrip("\n")


def test_batch_applies_decisions_and_reconverts_only_files_whose_decisions_changed(
    tmp_path: Path,
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "minutes.txt").write_bytes((REVIEW / "minutes.txt").read_bytes())
    (inputs / "other.txt").write_text(FIRST, encoding="utf-8")
    decided = decisions_for(convert(inputs / "minutes.txt"))
    decisions = tmp_path / "decisions.json"

    def run() -> dict[str, dict]:
        result = CliRunner().invoke(main, ["batch", str(inputs), "-o", str(out),
                                           "--include-text", "--serial", "-q",
                                           "--decisions", str(decisions)])
        assert result.exit_code == 0, result.stderr
        lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        return {r["input"]: r for r in map(json.loads, lines[-2:])}

    decisions.write_text(format_decisions(decided), encoding="utf-8")
    first = run()
    document = json.loads((out / "minutes.json").read_text(encoding="utf-8"))
    truth = (REVIEW / "minutes.reviewed.txt").read_text(encoding="utf-8")
    assert document["text"] == " ".join(truth.split())
    assert first["minutes.txt"]["status"] == "ok" and first["minutes.txt"]["decisions"]
    assert "decisions" not in first["other.txt"]  # no decisions on it: nothing recorded

    again = run()
    assert {r["status"] for r in again.values()} == {"skipped"}
    assert again["minutes.txt"]["decisions"] == first["minutes.txt"]["decisions"]

    decisions.write_text(format_decisions(d for d in decided if d.before != "Tarnby"),
                         encoding="utf-8")
    changed = run()
    assert changed["minutes.txt"]["status"] == "ok" and changed["other.txt"]["status"] == "skipped"
    assert changed["minutes.txt"]["decisions"] != first["minutes.txt"]["decisions"]
    document = json.loads((out / "minutes.json").read_text(encoding="utf-8"))
    assert "Tårnby" in document["text"] and "Bjorkas" in document["text"]


def test_a_decision_whose_id_disagrees_is_refused(tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"decisions": [{
        "id": "0" * 16, "document": "0" * 64, "page": 1, "offset": 0, "before": "ar",
        "after": "är", "action": "accept"}]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(REVIEW / "minutes.txt"), "-o", "-",
                                       "--decisions", str(decisions)])
    assert result.exit_code == 2 and "does not match" in result.stderr


# --- the review page --------------------------------------------------------------------------


def test_review_page_lists_every_uncertain_change_with_its_crop(tmp_path: Path) -> None:
    pdf = ROOT / "fixtures" / "pdf" / "sormland_2022_06-old-ocr-layer.pdf"
    document = convert(pdf, "--ocr", "never")
    (tmp_path / "old.json").write_text(json.dumps(document), encoding="utf-8")
    page = tmp_path / "review.html"
    invoke("review", str(tmp_path / "old.json"), "-o", str(page))
    html = page.read_text(encoding="utf-8")

    sha = document["source"]["sha256"]
    expected = {item_id(sha, r["page"], r["offset"], r["before"], r["after"])
                for r in document["repairs"] if not r["applied"] or r["confidence"] < 0.9}
    assert expected, "the fixture has uncertain changes"
    embedded = html.split('<script id="items" type="application/json">')[1].split("</script>")[0]
    records = json.loads(embedded)
    assert {r["id"] for r in records} == expected
    confidences = [r["confidence"] for r in records]
    assert confidences == sorted(confidences)  # most uncertain first
    # a crop for each, and the two pages, read poorly and not read with OCR, whole
    assert html.count('src="data:image/png;base64,') == len(records) + 2
    assert "Pages to look at as a whole (2)" in html
    # self-contained: nothing is fetched from anywhere
    assert "http://" not in html and "https://" not in html and "<link" not in html
    invoke("review", str(tmp_path / "old.json"), "-o", str(tmp_path / "again.html"))
    assert (tmp_path / "again.html").read_bytes() == page.read_bytes()


def test_batch_with_a_new_word_list_converts_again(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "first.txt").write_text(FIRST, encoding="utf-8")
    (inputs / "second.txt").write_text(SECOND, encoding="utf-8")
    words = tmp_path / "archive-words.txt"
    words.write_text(NAME + "\n", encoding="utf-8")

    def run(*extra: str) -> dict[str, dict]:
        result = CliRunner().invoke(main, ["batch", str(inputs), "-o", str(out),
                                           "--include-text", "--serial", "-q", *extra])
        assert result.exit_code == 0, result.stderr
        lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        return {r["input"]: r for r in map(json.loads, lines[-2:])}

    assert {r["status"] for r in run().values()} == {"ok"}
    listed = run("--words", str(words))
    assert {r["status"] for r in listed.values()} == {"ok"}  # converted again with the list
    assert len({r["words"] for r in listed.values()}) == 1
    second = json.loads((out / "second.json").read_text(encoding="utf-8"))
    assert name_repairs(second) == []
    assert {r["status"] for r in run("--words", str(words)).values()} == {"skipped"}
    assert {r["status"] for r in run().values()} == {"ok"}  # without it: again


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to parse the script")
def test_review_page_script_parses(tmp_path: Path) -> None:
    """The page's JavaScript is valid syntax (tests/test_review_browser.py runs it in Chromium)."""
    from pipeline.review.html import review_html

    html = review_html([])
    script = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    (tmp_path / "page.js").write_text(script, encoding="utf-8")
    check = subprocess.run(["node", "--check", str(tmp_path / "page.js")],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def test_each_item_is_shown_at_its_own_place_in_the_page(tmp_path: Path) -> None:
    # the old-layer fixture's first page reads `länet` three times, each repaired on its own
    # record: each item's context and crop are its own, not the first `länet` of the page
    import re

    from pipeline.review.page import review_items

    pdf = ROOT / "fixtures" / "pdf" / "sormland_2022_06-old-ocr-layer.pdf"
    document = convert(pdf, "--ocr", "never")
    items = [i for i in review_items([document]) if i.page == 1 and i.after == "länet"]
    assert len(items) == 3
    assert len({i.left for i in items}) == len({i.crop for i in items}) == 3
    text = " ".join(document["text"].split())
    for item in items:
        assert item.crop is not None
        # the words before it and the word, as the document reads them at its place
        before = " ".join(item.left.split()[-4:])
        assert len(re.findall(re.escape(f"{before} länet"), text)) == 1, before


def test_the_heading_counts_in_singular_and_plural() -> None:
    import re

    from pipeline.review.html import review_html
    from pipeline.review.page import Item

    def item(k: int, path: str) -> Item:
        return Item(f"id{k}", "sha", path, 1, k, "diacritics", "bdsta", "bästa",
                    "ä read as d", 0.5, False, "det", "av", None)

    def heading(items: list[Item]) -> str:
        found = re.search(r"<h1>(.*?)\n", review_html(items))
        assert found is not None
        return found.group(1)

    assert heading([item(1, "a.pdf")]) == "1 change to check in 1 document"
    assert heading([item(1, "a.pdf"), item(2, "b.pdf")]).startswith(
        "2 changes to check in 2 documents")
    assert heading([]).startswith("0 changes to check in 0 documents")
