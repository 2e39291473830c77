"""The review page of the demo's output folder in Chromium: the README's screenshot and the
example decisions file, made the way `tests/test_review_browser.py` tests them.

    .venv/bin/python -m tests.review_demo   # docs/review.png, fixtures/review/decisions.json

The demo's output is the batch of fixtures/pdf as `make demo` makes it (`--jobs 2`, the default
mode); the page is `newsletter review OUT --inputs fixtures/pdf`. The reviewer accepts the first
item (and rejects the second, when there is one); the screenshot shows the page after that.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner

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


def uncertain(out: Path, below: float = 0.9) -> dict[str, dict[str, Any]]:
    """Every suggestion and every applied repair below `below` of the JSON under `out`, by
    item id: what the page must list."""
    from pipeline.review.decisions import item_id

    wanted = {}
    for path in sorted(out.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        sha = document["source"]["sha256"]
        for r in document["repairs"]:
            if r["stage"] != "review" and (not r["applied"] or r["confidence"] < below):
                wanted[item_id(sha, r["page"], r["offset"], r["before"], r["after"])] = r
    return wanted


def accept_reject_capture(browser: Any, page_file: Path, screenshot: Path,
                          decisions: Path) -> None:
    """Open the page, accept the first item and reject the second (when there is one), take the
    screenshot and download the decisions."""
    context = browser.new_context(accept_downloads=True, viewport=VIEWPORT)
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.keyboard.press("a")
    if page.locator("section.item").count() > 1:
        page.keyboard.press("r")
        page.keyboard.press("k")
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
        _, page_file = demo_review(Path(tmp))
        DECISIONS.parent.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            accept_reject_capture(browser, page_file, SCREENSHOT, DECISIONS)
            browser.close()
    print(f"wrote {SCREENSHOT.relative_to(ROOT)} and {DECISIONS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
