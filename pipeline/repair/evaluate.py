"""Figures for the repair stage, with the definitions of ../shared/EVALUATION.md.

    python -m pipeline.repair.evaluate [--corpus ../shared/corpus/text-sv] [--quick]

Every figure names its material and says whether that material shaped the code:
``[development]`` (the code or its data were made or tuned with it in view) or ``[held out]``.

- seed 000 (../shared/seeds) against tests/data/seed000_truth.txt [development: confusions.tsv
  was estimated from it and the repair's examples come from it]: WER and damaged words restored;
- text-sv split by a hash of each line (`split_corpus`): the held-out part was never read to
  make the context weights (`make data`) [held out; the two files were in view while earlier
  rules were written, so this is held out from the counts, not from every decision], the
  estimate part made them [development]. On each: errors cut under two damage channels, the
  corrector's own (`corrupt_text`, confusions.tsv: a matched-channel best case) and an
  independent one (`english_model.english_ocr`: rules of what an English-model OCR does to
  Swedish letters, written apart from confusions.tsv), the latter repaired as a page Tesseract
  read (ocr on) and as an old layer (ocr off); and words changed on the clean text;
- stripped text (all diacritics removed): WER after repair;
- fresh OCR (not with --quick): LinES sentences of the held-out part rendered, degraded and
  read with Tesseract (`fixtures/ocr_channel.py evaluate`; the channel table was estimated from
  the estimate part): WER before/after the repair in OCR mode, and words changed on the same
  text clean;
- clean text (seed 004, fixture truths) [development]: share of words changed;
- speed: words per second on one core (unseen text, then warm), and the lexicon's load time.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import time
from pathlib import Path

from ..evaluation import edit_distance, word_error_rate, words
from ..lexicon import load_lexicon
from . import repair_text, replay
from .corrupt import corrupt_text, strip_diacritics
from .english_model import english_ocr
from .split_corpus import ESTIMATE, HELD_OUT, lines_of

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
PAGE_LINES = 40


def pages_of(text: str) -> list[str]:
    lines = text.split("\n")
    return ["\n".join(lines[i : i + PAGE_LINES]) for i in range(0, len(lines), PAGE_LINES)]


def repair_document(text: str, ocr: bool = False) -> str:
    out = []
    for number, page in enumerate(pages_of(text), 1):
        result = repair_text(page, page=number, ocr=ocr)
        if replay(page, result.records) != result.text:
            raise AssertionError("records do not replay")
        out.append(result.text)
    return "\n".join(out)


def restored_share(truth: str, damaged: str, repaired: str) -> tuple[int, int]:
    """(damaged truth words, of them restored): words aligned equal after but not before."""
    t = words(truth)

    def matched(other: str) -> set[int]:
        sm = difflib.SequenceMatcher(a=t, b=words(other), autojunk=False)
        return {i for a, _, n in sm.get_matching_blocks() for i in range(a, a + n)}

    before, after = matched(damaged), matched(repaired)
    damaged_ids = set(range(len(t))) - before
    return len(damaged_ids), len(damaged_ids & after)


def changed_share(text: str, ocr: bool = False) -> tuple[int, int]:
    """(words, words changed by the repair) on text that needs none.

    Line-end hyphens joined are not counted: clean text that was typeset has them, and joining
    them is right (the truth has the whole word).
    """
    n = changed = 0
    for page in pages_of(text):
        result = repair_text(page, ocr=ocr)
        layout_only = [r for r in result.records if r.stage in ("unicode", "hyphenation")]
        baseline = replay(page, layout_only)
        n += len(words(page))
        changed += edit_distance(words(baseline), words(result.text))
    return n, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "text-sv")
    parser.add_argument("--quick", action="store_true", help="one corruption seed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"lexicon load (fresh process): {lexicon_load_seconds():.2f} s")
    load_lexicon()

    dev = args.corpus / "ud_talbanken_dev.txt"
    if dev.exists():  # first, while every cache is empty
        print(speed(dev.read_text("utf-8")))

    seed = SHARED / "seeds" / "000_ed95ccfacf04fe09.txt"
    truth_file = ROOT / "tests" / "data" / "seed000_truth.txt"
    if seed.exists():
        damaged = seed.read_text("utf-8")
        truth = truth_file.read_text("utf-8")
        result = repair_text(damaged)  # one page, as `newsletter convert` reads it
        if replay(damaged, result.records) != result.text:
            raise AssertionError("records do not replay")
        repaired = result.text
        n, restored = restored_share(truth, damaged, repaired)
        print(
            "[development] seed 000 (confusions.tsv was estimated from it): WER"
            f" {word_error_rate(truth, damaged):.4f} -> "
            f"{word_error_rate(truth, repaired):.4f}; damaged words restored "
            f"{restored}/{n} = {restored / max(n, 1):.1%}"
        )

    seeds = (1,) if args.quick else (1, 2, 3)
    parts = [(HELD_OUT, "held out")] + ([] if args.quick else [(ESTIMATE, "development")])
    for which, label in parts:
        for path in sorted(args.corpus.glob("*.txt")):
            clean = "\n".join(lines_of(path.read_text("utf-8"), which))
            text_sv_figures(f"[{label}] text-sv {which} part of {path.name}", clean, seeds)

    clean_sets = [("seed 004", SHARED / "seeds" / "004_69dff4f71e0918e2.txt")]
    truths = sorted((ROOT / "fixtures" / "truth").glob("*.md"))
    clean_sets += [(f"fixture {p.name}", p) for p in truths]
    for name, path in clean_sets:
        if path.exists():
            n, changed = changed_share(path.read_text("utf-8"))
            print(f"[development] clean {name}: {changed}/{n} words changed = {changed / n:.3%}")

    if not args.quick and (args.corpus / "ud_lines_train_2019.txt").exists():
        print(ocr_channel_figures())
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


def text_sv_figures(name: str, clean: str, seeds: tuple[int, ...]) -> None:
    """Print errors cut under both damage channels and words changed on `clean`."""
    n_words = len(words(clean))
    for s in seeds:
        damaged = corrupt_text(clean, seed=s, rate=1.0)
        print(f"{name} ({n_words} words), matched channel (confusions.tsv) seed {s}: "
              + _cut(clean, damaged, repair_document(damaged)))
    for s in seeds:
        damaged = english_ocr(clean, seed=s)
        for ocr in (True, False):
            how = "as fresh OCR" if ocr else "as an old layer"
            print(f"{name}, independent channel (English-model OCR) seed {s}, {how}: "
                  + _cut(clean, damaged, repair_document(damaged, ocr=ocr)))
    stripped = strip_diacritics(clean)
    print(f"{name}, stripped: WER {paged_wer(clean, stripped):.4f} -> "
          f"{paged_wer(clean, repair_document(stripped)):.4f}")
    for ocr in (False, True):
        n, changed = changed_share(clean, ocr=ocr)
        how = "in OCR mode" if ocr else "as a text layer"
        print(f"{name}, clean, {how}: {changed}/{n} words changed = {changed / n:.3%}")


def paged_wer(truth: str, hypothesis: str) -> float:
    """WER summed page by page (`pages_of`; the repair keeps every line where it was), so that
    long texts cost linear time, not the square of their length."""
    pairs = zip(pages_of(truth), pages_of(hypothesis), strict=True)
    n = len(words(truth))
    return sum(edit_distance(words(t), words(h)) for t, h in pairs) / max(n, 1)


def _cut(clean: str, damaged: str, repaired: str) -> str:
    before, after = paged_wer(clean, damaged), paged_wer(clean, repaired)
    return f"WER {before:.4f} -> {after:.4f}; errors cut {1 - after / before:.1%}"


def speed(clean: str) -> str:
    """Words per second on one core, clean and damaged text: first unseen (every cache empty,
    the repair's indexes built beforehand, as `make bench` does), then the same text again."""
    repair_text("Malet ar att alla barn i Sormland ska ma bra.")  # builds the indexes (~0.5 s)
    out = []
    for name, text in (("clean", clean), ("damaged", corrupt_text(clean, seed=7, rate=1.0))):
        pages = pages_of(text)
        n = len(words(text))
        times = []
        for _ in range(2):  # unseen text first (what a new document costs), then warm caches
            t = time.perf_counter()
            for p in pages:
                repair_text(p)
            times.append(time.perf_counter() - t)
        out.append(f"{name} {n / times[0]:,.0f} words/s (warm {n / times[1]:,.0f})")
    return "speed (one core, text not seen before): " + ", ".join(out)


def ocr_channel_figures() -> str:
    """The learned OCR channel's held-back figures, from the script that estimates it (a
    development tool beside the package: run in its own process)."""
    out = subprocess.run(
        [sys.executable, "-m", "fixtures.ocr_channel", "evaluate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def lexicon_load_seconds() -> float:
    code = (
        "import time; t = time.perf_counter(); from pipeline.lexicon import load_lexicon; "
        "load_lexicon(); print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


if __name__ == "__main__":
    raise SystemExit(main())
