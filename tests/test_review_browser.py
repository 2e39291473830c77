"""The review page in a real headless browser: Debian's Chromium, driven by Playwright.

The page is built for the old-OCR-layer fixture (converted with --ocr never), opened from disk,
and used as a reviewer would: j/k to move, a to accept, r to reject, e and a typed correction.
The decisions it downloads are checked, then applied with `convert --decisions`.
"""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.review.decisions import item_id, read_decisions
from tests.conftest import ROOT, fixture_file, missing

CHROMIUM = "/usr/bin/chromium"
#: Headless, and nothing started that would reach the network (updates, sync, first-run pages).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: What the reviewer does, in the page's order (most uncertain first): the first item (the
#: suggestion stod -> stöd) is accepted; five j and a k lead to the sixth (an applied
#: lanet -> länet), which is rejected; five k lead back to the second (iSdrmland ->
#: "i sörmland"), which is corrected by typing.
CORRECTION = "i Sörmland"
#: The decisions file the page downloads: (page, offset, before, after, action, correction),
#: sorted by document, page and offset as the page writes them.
EXPECTED_DECISIONS = [
    (1, 143, "iSdrmland", "i sörmland", "correct", CORRECTION),
    (1, 2418, "lanet", "länet", "reject", None),
    (2, 950, "stod", "stöd", "accept", None),
]
#: The only differences, word by word (split at spaces), between the text converted without
#: and with them.
EXPECTED_TEXT_CHANGES = [
    (["sörmland"], ["Sörmland"]),
    (["länet."], ["lanet."]),
    (["stod"], ["stöd"]),
]


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def convert(path: Path, *extra: str) -> dict:
    return json.loads(invoke("convert", str(path), "--ocr", "never", "-o", "-", *extra))


def word_changes(before: str, after: str) -> list[tuple[list[str], list[str]]]:
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [(old[i1:i2], new[j1:j2])
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


@pytest.fixture
def chromium_browser():  # type: ignore[no-untyped-def]
    if shutil.which(CHROMIUM) is None:
        missing("Debian's chromium (`make system-deps` installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright (the dev extras install it)")
    with sync_playwright() as playwright:
        # Debian's build, never one downloaded by `playwright install`
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_review_in_chromium_gives_decisions_that_convert_applies(
    tmp_path: Path, chromium_browser  # type: ignore[no-untyped-def]
) -> None:
    pdf = fixture_file(ROOT / "fixtures" / "pdf" / "sormland_2022_06-old-ocr-layer.pdf")
    plain = convert(pdf)
    (tmp_path / "old.json").write_text(json.dumps(plain), encoding="utf-8")
    review = tmp_path / "review.html"
    invoke("review", str(tmp_path / "old.json"), "-o", str(review))

    context = chromium_browser.new_context(accept_downloads=True,
                                           viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept(CORRECTION))  # the correction, typed
    page.goto(review.as_uri())

    items = page.locator("section.item")
    assert items.count() == 10
    current = page.locator("section.item.current")

    def at() -> int:
        return int(current.get_attribute("data-index") or -1)

    assert at() == 0
    page.keyboard.press("a")  # accept the suggestion; the page moves on
    assert at() == 1
    for key in "jjjjjk":
        page.keyboard.press(key)
    assert at() == 5
    page.keyboard.press("r")
    assert at() == 6
    for key in "kkkkk":
        page.keyboard.press(key)
    assert at() == 1
    page.keyboard.press("e")
    assert at() == 1  # a correction stays on its item
    page.keyboard.press("Control+r")  # the browser's key, not the page's: nothing decided
    assert page.locator("#count").inner_text() == "3"
    assert [items.nth(i).get_attribute("class") for i in range(7)] == [
        "item accept", "item current correct", "item", "item", "item", "item reject", "item"]
    assert items.nth(1).locator(".decision").inner_text() == "corrected: " + CORRECTION

    page.screenshot(path=str(tmp_path / "review.png"), full_page=False)
    assert (tmp_path / "review.png").stat().st_size > 0

    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "decisions.json"
    decisions = tmp_path / "decisions.json"
    download.save_as(str(decisions))
    assert errors == [] and all(url.startswith(("file:", "data:", "blob:")) for url in requests)
    context.close()

    data = json.loads(decisions.read_text(encoding="utf-8"))
    assert data["format"] == "newsletter-review-decisions" and data["version"] == 1
    sha = plain["source"]["sha256"]
    assert [(d["page"], d["offset"], d["before"], d["after"], d["action"], d["correction"])
            for d in data["decisions"]] == EXPECTED_DECISIONS
    assert {d["document"] for d in data["decisions"]} == {sha}
    assert [d["id"] for d in data["decisions"]] == [
        item_id(sha, p, o, b, a) for p, o, b, a, _, _ in EXPECTED_DECISIONS]
    assert len(read_decisions(decisions)) == 3  # the tool reads what the page wrote

    reviewed = convert(pdf, "--decisions", str(decisions))
    assert word_changes(plain["text"], reviewed["text"]) == EXPECTED_TEXT_CHANGES
    # the automatic records stay as they were; one review record per decision, after its
    # page's own records
    assert [r for r in reviewed["repairs"] if r["stage"] != "review"] == plain["repairs"]
    assert [(r["page"], r["before"], r["after"], r["applied"]) for r in reviewed["repairs"]
            if r["stage"] == "review"] == [
        (1, "i sörmland", CORRECTION, True), (1, "länet", "lanet", True),
        (2, "stod", "stöd", True)]


@pytest.mark.slow
def test_the_demo_review_lists_every_uncertain_change_with_its_crop(
    tmp_path: Path, chromium_browser  # type: ignore[no-untyped-def]
) -> None:
    from tests.review_demo import accept_reject_capture, demo_review, uncertain, verdicts

    out, review = demo_review(tmp_path)
    wanted = uncertain(out)
    assert wanted, "the demo has uncertain changes"
    context = chromium_browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(review.as_uri())
    listed = page.eval_on_selector_all("section.item", """sections => sections.map(s => {
        const img = s.querySelector("img.crop");
        return [s.id.slice(5), img !== null && img.complete && img.naturalWidth > 0];
    })""")
    assert sorted(i for i, _ in listed) == sorted(wanted)  # every one, none twice
    assert [i for i, cropped in listed if not cropped] == []  # each with its crop, shown
    assert errors == []
    context.close()

    screenshot, decisions = tmp_path / "review.png", tmp_path / "decisions.json"
    decide = verdicts(out)  # as the fixtures' truths read
    accept_reject_capture(chromium_browser, review, screenshot, decisions, decide)
    assert screenshot.stat().st_size > 0
    made = json.loads(decisions.read_text(encoding="utf-8"))["decisions"]
    assert {d["id"]: d["action"] for d in made} == {
        key: "accept" if key_ == "a" else "reject" for key, key_ in decide.items()}
    assert set(decide) == set(wanted)
