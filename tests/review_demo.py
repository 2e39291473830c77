"""The review page of the demo's output folder in Chromium: the README's screenshot and the
example decisions file, made the way `tests/test_review_browser.py` tests them.

    .venv/bin/python -m tests.review_demo   # docs/review.png, fixtures/review/decisions.json

The demo's output is the batch of fixtures/pdf as `make demo` makes it (`--jobs 2`, the default
mode); the page is `newsletter review OUT --inputs fixtures/pdf`. The reviewer decides each item
as the fixture's truth reads (accepts a change whose word the truth prints, rejects one whose
word it does not); the screenshot shows the page after that.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from fixtures.truth import truth_path_for
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "pdf"
CHROMIUM = "/usr/bin/chromium"
#: Headless, and nothing started that would reach the network (updates, sync, first-run pages).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = ROOT / "docs" / "review.png"
DECISIONS = ROOT / "fixtures" / "review" / "decisions.json"
VIEWPORT = {"width": 1100, "height": 760}


def invoke(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"newsletter {' '.join(args)}: exit {result.exit_code}: "
                           f"{result.stderr}")


def demo_review(work: Path) -> tuple[Path, Path]:
    """The demo's output folder (the batch of fixtures/pdf) and its review page."""
    out, page = work / "demo", work / "review.html"
    invoke("batch", str(FIXTURES), "-o", str(out), "--jobs", "2", "-q")
    invoke("review", str(out), "--inputs", str(FIXTURES), "-o", str(page))
    return out, page


def uncertain(out: Path, below: float = 0.9, file: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every suggestion and every applied repair below `below` of the JSON under `out` (or of
    `file` alone), by item id: what the page must list."""
    from pipeline.review.decisions import item_id

    wanted = {}
    for path in [file] if file else sorted(out.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        sha = document["source"]["sha256"]
        for r in document["repairs"]:
            if r["stage"] != "review" and (not r["applied"] or r["confidence"] < below):
                wanted[item_id(sha, r["page"], r["offset"], r["before"], r["after"])] = r
    return wanted


def verdicts(out: Path) -> dict[str, str]:
    """Each uncertain item's decision as the fixture's truth reads: "a" (accept) when the truth
    prints the changed word, "r" (reject) otherwise."""
    found = {}
    for path in sorted(out.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if "source" not in document:
            continue
        truth = truth_path_for(Path(document["source"]["path"]))
        text = truth.read_text(encoding="utf-8") if truth.is_file() else ""
        wanted = uncertain(path.parent, file=path)
        for key, r in wanted.items():
            printed = re.search(rf"(?<!\w){re.escape(r['after'])}(?!\w)", text)
            found[key] = "a" if printed else "r"
    return found


def accept_reject_capture(browser: Any, page_file: Path, screenshot: Path,
                          decisions: Path, decide: dict[str, str]) -> None:
    """Open the page, decide each item as `decide` says (by item id, in the page's order), take
    the screenshot and download the decisions."""
    context = browser.new_context(accept_downloads=True, viewport=VIEWPORT)
    page = context.new_page()
    page.goto(page_file.as_uri())
    items = page.locator("section.item")
    for k in range(items.count()):
        key = (items.nth(k).get_attribute("id") or "")[len("item-"):]
        page.keyboard.press(decide.get(key, "j"))  # a decision moves on; j skips an unknown
    page.screenshot(path=str(screenshot), full_page=False)
    with page.expect_download() as info:
        page.click("#download")
    info.value.save_as(str(decisions))
    context.close()


def main_() -> int:
    from playwright.sync_api import sync_playwright

    if shutil.which(CHROMIUM) is None:
        print(f"needs Debian's chromium at {CHROMIUM} (`make system-deps`)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="review-demo-") as tmp:
        out, page_file = demo_review(Path(tmp))
        DECISIONS.parent.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            accept_reject_capture(browser, page_file, SCREENSHOT, DECISIONS, verdicts(out))
            browser.close()
    print(f"wrote {SCREENSHOT.relative_to(ROOT)} and {DECISIONS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
