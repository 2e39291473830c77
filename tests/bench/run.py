"""`make bench`: each stage's speed and memory beside what a user would use instead, in one run.

    .venv/bin/python -m tests.bench.run          # medians of 3 runs (BENCH_RUNS=N to change)
    BENCH_REPAIR_RUNS=9 ...                      # the repair rows take 7 runs unless told
    BENCH_QUICK=1 .venv/bin/python -m tests.bench.run   # 1 run, 4 OCR pages: a smoke test
    BENCH_ONLY=born,repair .venv/bin/python -m tests.bench.run   # some rows only
    BENCH_RSS_RUNS=3 BENCH_OCR_PAGES=10 ...    # rounds of the 1,000-page runs; OCR pages

Rows (groups for BENCH_ONLY): born (born-digital pages/s; pages rasterized; stage breakdown),
ocr (OCR pages/s at 1 job and all cores), repair (words/s; lexicon and repair start-up),
segment (segmentation pages/s), rss (peak RSS converting 1,000 pages), batch (files/s at 1, 2
and all cores), alto (ALTO writing; scanned pages to ALTO, searchable PDF and PDF/A-2b beside
OCRmyPDF's `--output-type pdf` and `pdfa`), index (search index blocks/s, its rerun, query
latency). Prints a table and
writes it, with the machine, to out/bench.json (and out/bench.md). Numbers from a busy machine
are noisy: the load average is recorded.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .corpus import ROOT, BenchCorpus, ensure_corpus, text_corpus
from .machine import describe, load_average, summary_line

OUT = ROOT / "out"
WORK = OUT / "bench-work"
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RUNS = 1 if QUICK else max(1, int(os.environ.get("BENCH_RUNS", "3")))
#: Fresh processes per repair row: a run takes seconds, and on a shared machine one run in three
#: can be a fifth slower or faster than the others, so the median takes more of them.
REPAIR_RUNS = 1 if QUICK else max(RUNS, int(os.environ.get("BENCH_REPAIR_RUNS", "7")))
# Peak RSS is near deterministic and the 1,000-page runs are long: one round unless asked.
RSS_RUNS = max(1, int(os.environ.get("BENCH_RSS_RUNS", "1")))
OCR_PAGES = int(os.environ.get("BENCH_OCR_PAGES", "4" if QUICK else "20"))
ONLY = {x.strip() for x in os.environ.get("BENCH_ONLY", "").split(",") if x.strip()}
GROUPS = ("born", "segment", "repair", "ocr", "rss", "batch", "alto", "index")
CORES = os.cpu_count() or 1
PYTHON = sys.executable
WARM_UP_PDF = ROOT / "fixtures" / "pdf" / "sormland_2022_06.pdf"

# Targets of issue 6.
BORN_DIGITAL_RATIO = 0.9  # ours >= 0.9 x pdfplumber extract_words
OCR_RATIO_PER_CORE = 0.95  # ours (1 job) >= 0.95 x tesseract (1 process)
OCR_SCALING = 0.9  # ours (N jobs) >= 0.9 * N x tesseract (1 process)
REPAIR_WORDS_PER_S = 100_000
RSS_LIMIT_MB = 400
LEXICON_LIMIT_S = 1.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- rows


@dataclass
class Ref:
    name: str
    value: float | None
    samples: list[float] = field(default_factory=list)


@dataclass
class Row:
    group: str
    label: str
    unit: str
    ours: float | None = None
    samples: list[float] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    ratio: float | None = None  # ours / refs[0]
    target: str = ""
    ok: bool | None = None  # None: no target
    note: str = ""

    def set_ratio(self) -> None:
        base = self.refs[0].value if self.refs else None
        if self.ours is not None and base:
            self.ratio = self.ours / base


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit in ("words/s",):
        return f"{value:,.0f} {unit}"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "pages":
        return f"{value:.0f}"
    if value >= 1000:
        return f"{value:,.0f} {unit}"
    if value >= 100:
        return f"{value:.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


# --------------------------------------------------------------------------- helpers


def rounds(n: int, *steps: tuple[str, Callable[[], Any]]) -> dict[str, list[float]]:
    """Run the steps one after another, `n` rounds (interleaved, so load hits them alike)."""
    times: dict[str, list[float]] = {name: [] for name, _ in steps}
    for r in range(n):
        for name, step in steps:
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
            log(f"    round {r + 1}/{n} {name}: {times[name][-1]:.2f} s")
    return times


@dataclass
class ChildRun:
    seconds: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str


# Runs the measured command as its own child and reports that child's rusage. Needed because on
# Linux a process's ru_maxrss starts from the RSS of the process it was forked from (exec keeps
# the high-water mark): a command forked straight from this (large) bench process would show
# this process's size. Forked from the small launcher, it shows its own.
RUSAGE_LAUNCHER = r"""
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as handle:
    json.dump({"maxrss_kb": usage.ru_maxrss, "returncode": os.waitstatus_to_exitcode(status)},
              handle)
"""


def run_child(command: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run a command: its wall time, exit status, output and peak RSS (the largest of it and
    the children it waited for), measured through RUSAGE_LAUNCHER."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".json") as usage_file:
        start = time.perf_counter()
        done = subprocess.run([PYTHON, "-c", RUSAGE_LAUNCHER, usage_file.name, *command],
                              stdout=out, stderr=err, cwd=ROOT, env={**os.environ, **(env or {})},
                              check=False)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        try:
            usage = json.loads(Path(usage_file.name).read_text(encoding="utf-8"))
        except ValueError:
            usage = {"maxrss_kb": 0, "returncode": done.returncode or 1}
        return ChildRun(seconds, usage["maxrss_kb"] / 1024, int(usage["returncode"]),
                        out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"))


@contextmanager
def counting_rasterization() -> Iterator[dict[str, int]]:
    """Count, in this process, every page rendered or handed to OCR by the pipeline."""
    import pipeline.ocr
    import pipeline.raster

    counts = {"render_page": 0, "ocr_read_page": 0, "ocr_read_pages": 0}
    originals = {
        "render_page": pipeline.raster.render_page,
        "read_page": pipeline.ocr.read_page,
        "read_pages": pipeline.ocr.read_pages,
    }

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            if name == "read_pages":
                numbers = args[1] if len(args) > 1 else kwargs.get("numbers", ())
                counts["ocr_read_pages"] += len(list(numbers))
            elif name == "read_page":
                counts["ocr_read_page"] += 1
            else:
                counts["render_page"] += 1
            return fn(*args, **kwargs)

        return counted

    patched: list[tuple[Any, str, Any]] = []
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("pipeline"):
            continue
        for attr, fn in originals.items():
            if getattr(module, attr, None) is fn:
                patched.append((module, attr, fn))
                setattr(module, attr, wrap(attr, fn))
    try:
        yield counts
    finally:
        for module, attr, fn in patched:
            setattr(module, attr, fn)


def count_words(texts: list[str]) -> int:
    """Words as EVALUATION.md counts them (`pipeline.evaluation.words`)."""
    from pipeline.evaluation import words

    return sum(len(words(t)) for t in texts)


# --------------------------------------------------------------------------- born-digital


STAGE_NAMES = {  # pipeline.convert's globals, timed while our convert runs, and what they are
    "read_source": "read input",
    "read_pdf": "extract (pdfplumber text layer)",
    "read_pages_best_way": "triage (+ OCR)",
    "repair_text": "repair",
    "segment": "segment",
    "detect_metadata": "metadata",
}


@contextmanager
def timing_stages(seconds: dict[str, float], captured: dict[str, Any]) -> Iterator[None]:
    """Time each stage function that pipeline.convert calls (its module globals, wrapped)."""
    # (the package re-exports the function `convert`, which hides the module of the same name)
    module = importlib.import_module("pipeline.convert")
    patched: list[tuple[str, Any]] = []

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
                if name == "segment" and args:
                    captured["segment_input"] = args[0]

        return timed

    for name in STAGE_NAMES:
        fn = getattr(module, name, None)
        if callable(fn):
            patched.append((name, fn))
            setattr(module, name, wrap(name, fn))
    try:
        yield
    finally:
        for name, fn in patched:
            setattr(module, name, fn)


def bench_born_digital(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    import pdfplumber

    from pipeline.convert import convert
    from pipeline.model import to_json
    from pipeline.options import Options

    path = corpus.born_digital
    options = Options(ocr="auto")
    log("born-digital: warming up (imports, lexicon, repair model)")
    to_json(convert(WARM_UP_PDF, options))
    pages_in = _page_count(path)
    documents: list[Any] = []
    counters: list[dict[str, int]] = []
    stage_runs: list[dict[str, float]] = []
    captured: dict[str, Any] = {}

    def ours() -> None:
        stages: dict[str, float] = {}
        start = time.perf_counter()
        with counting_rasterization() as counts, timing_stages(stages, captured):
            document = convert(path, options)
            json_start = time.perf_counter()
            to_json(document)
            stages["to_json"] = time.perf_counter() - json_start
        stages["total"] = time.perf_counter() - start
        documents.append(document)
        counters.append(dict(counts))
        stage_runs.append(stages)

    def plumber() -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
                page.close()

    def pdftotext() -> None:
        subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"],
                       stdout=subprocess.DEVNULL, check=True)

    log(f"born-digital: {pages_in} pages, {RUNS} round(s)")
    times = rounds(RUNS, ("ours", ours), ("pdfplumber", plumber), ("pdftotext", pdftotext))
    rate = {k: [pages_in / t for t in v] for k, v in times.items()}
    row = Row("born", f"born-digital pages/s ({pages_in} pages, convert: all stages + JSON)",
              "pages/s", median(rate["ours"]), rate["ours"],
              [Ref("pdfplumber extract_words", median(rate["pdfplumber"]), rate["pdfplumber"]),
               Ref("pdftotext (floor)", median(rate["pdftotext"]), rate["pdftotext"])],
              target=f"≥ {BORN_DIGITAL_RATIO}× pdfplumber")
    row.set_ratio()
    row.ok = row.ratio is not None and row.ratio >= BORN_DIGITAL_RATIO
    rows.append(row)

    last = documents[-1]
    ocr_pages = sum(1 for p in last.pages if p.method == "ocr")
    rendered = max(max(c["render_page"], c["ocr_read_pages"], c["ocr_read_page"])
                   for c in counters)
    rasterized = max(rendered, ocr_pages)
    rows.append(Row("born", "born-digital pages rasterized or OCR'd (--ocr auto)", "pages",
                    float(rasterized), refs=[], target="0", ok=rasterized == 0,
                    note=f"pages[].method=ocr: {ocr_pages}; in-process render/OCR calls: "
                         f"{counters[-1]}"))

    # Where convert's time goes: its stage functions, timed inside the runs above (medians).
    total = median([s["total"] for s in stage_runs]) or 0.0
    names = [n for n in (*STAGE_NAMES, "to_json") if any(n in s for s in stage_runs)]
    stages = {n: median([s.get(n, 0.0) for s in stage_runs]) or 0.0 for n in names}
    rest = median([s["total"] - sum(s.get(n, 0.0) for n in names) for s in stage_runs]) or 0.0
    labels = {**STAGE_NAMES, "to_json": "JSON serialization", "rest": "assembly (rest)"}
    plumber_s = median(times["pdfplumber"]) or 0.0
    extra["stages"] = {
        "pages": pages_in,
        "convert_seconds": round(total, 3),
        "pdfplumber_extract_words_seconds": round(plumber_s, 3),
        "stages": {labels[name]: {"seconds": round(s, 3),
                                  "share_of_convert": round(s / total, 3) if total else None,
                                  "pages_per_s": round(pages_in / s, 1) if s else None}
                   for name, s in [*stages.items(), ("rest", max(0.0, rest))]},
    }
    if "segment_input" in captured:
        extra["_repaired_pages"] = list(captured["segment_input"])


def _page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def bench_segment(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    from pipeline.convert import _repair_pages
    from pipeline.extract import read_pdf
    from pipeline.lexicon import load_lexicon
    from pipeline.options import Options
    from pipeline.segment import segment
    from pipeline.triage import read_pages_best_way

    pages = extra.get("_repaired_pages")
    if not pages:
        lexicon = load_lexicon()
        content = read_pdf(corpus.born_digital)
        read = read_pages_best_way(corpus.born_digital, content.pages, Options(), lexicon)
        pages, _ = _repair_pages(list(read), "\n".join(p.text for p in read), lexicon,
                                 swedish=True)
    runs = max(RUNS, 3)
    log(f"segmentation: {len(pages)} pages, {runs} round(s)")
    times = rounds(runs, ("segment", lambda: segment(pages)))
    rate = [len(pages) / t for t in times["segment"]]
    rows.append(Row("segment", f"segmentation pages/s ({len(pages)} extracted + repaired pages)",
                    "pages/s", median(rate), rate))


# --------------------------------------------------------------------------- repair

LEXICON_SCRIPT = r"""
import json, time
t0 = time.perf_counter()
import pipeline.lexicon
t1 = time.perf_counter()
lexicon = pipeline.lexicon.load_lexicon()
t2 = time.perf_counter()
from pipeline.repair import repair_text
t3 = time.perf_counter()
repair_text("Malet ar att alla barn i Sormland ska ma bra och fa stod i tid.\nVi ses pa motet.",
            page=1, lexicon=lexicon)
t4 = time.perf_counter()
print(json.dumps({"package_import": t1 - t0, "load_lexicon": t2 - t1,
                  "repair_import": t3 - t2, "first_repair_text": t4 - t3}))
"""


REPAIR_SCRIPT = r"""
import json, sys, time
from tests.bench.corpus import text_corpus
from pipeline.lexicon import load_lexicon
from pipeline.repair import repair_text
kind = sys.argv[1]
texts = text_corpus()
pages = texts.damaged if kind == "damaged" else texts.clean
lexicon = load_lexicon()
repair_text("Malet ar att alla barn i Sormland ska ma bra och fa stod i tid.\nVi ses pa motet.",
            page=1, lexicon=lexicon)  # models loaded; this text's words are not yet cached
passes = []
# 1: unseen text (what a new document costs); 2: the same again, caches warm; 3 (damaged only):
# the same sentences damaged anew, as in a batch of one series (its words recur, their damage
# not). Round 3's pages are made after rounds 1 and 2: made before, their 122 pages of
# corruption left the heap in a state that cost round 1 about a seventh of its speed.
def anew():
    from pipeline.repair.corrupt import corrupt_text
    return [corrupt_text(text, seed=10_000 + i) for i, text in enumerate(texts.clean)]
rounds = [lambda: pages, lambda: pages] + ([anew] if kind == "damaged" else [])
for make in rounds:
    batch = make()
    start = time.perf_counter()
    out = [repair_text(text, page=i + 1, lexicon=lexicon) for i, text in enumerate(batch)]
    passes.append(time.perf_counter() - start)
    if len(passes) == 1:
        results = out
records = [r for result in results for r in result.records]
applied = sum(1 for r in records if getattr(r, "applied", True))
print(json.dumps({"seconds": passes[0], "warm_seconds": passes[1],
                  "redamaged_seconds": passes[2] if len(passes) > 2 else None,
                  "records": len(records), "applied": applied, "pages": len(pages),
                  "sources": texts.sources}))
"""


def bench_repair(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    texts = text_corpus()
    words = {"damaged": count_words(texts.damaged), "clean": count_words(texts.clean)}
    runs = ["damaged", "clean"]
    log(f"repair: {words['clean']:,} clean / {words['damaged']:,} damaged words in "
        f"{len(texts.clean)} pages, {REPAIR_RUNS} round(s), each in a fresh process")
    found: dict[str, list[dict[str, Any]]] = {run: [] for run in runs}
    for r in range(REPAIR_RUNS):
        for kind in runs:
            # A fresh process per round: the stage memoizes per word, so a second pass over the
            # same text in one process would measure its caches, not the repair.
            child = run_child([PYTHON, "-c", REPAIR_SCRIPT, kind])
            if child.returncode:
                raise RuntimeError(f"repair {kind} failed: {child.stderr.strip()[-800:]}")
            result = json.loads(child.stdout.strip().splitlines()[-1])
            found[kind].append(result)
            log(f"    round {r + 1}/{REPAIR_RUNS} {kind}: "
                f"{result['seconds']:.2f} s (same text again: {result['warm_seconds']:.2f} s)")
    for kind in ("damaged", "clean"):
        results = found[kind]
        rate = [words[kind] / x["seconds"] for x in results]
        warm = median([words[kind] / x["warm_seconds"] for x in results]) or 0.0
        again = [words[kind] / x["redamaged_seconds"] for x in results if x["redamaged_seconds"]]
        redamaged = (f"; the same sentences damaged anew (a batch of one series): "
                     f"{median(again):,.0f} words/s") if again else ""
        last = results[-1]
        per_1000 = 1000 * last["applied"] / words[kind] if words[kind] else 0.0
        row = Row("repair", f"repair words/s, {kind} text ({words[kind]:,} words, 1 process)",
                  "words/s", median(rate), rate, target=f"≥ {REPAIR_WORDS_PER_S:,}",
                  ok=(median(rate) or 0) >= REPAIR_WORDS_PER_S,
                  note=f"{last['applied']} changes applied ({per_1000:.1f} per 1,000 "
                       f"words), {last['records'] - last['applied']} suggestions; the same text "
                       f"again in the same process: {warm:,.0f} words/s{redamaged}")
        rows.append(row)
    extra["repair_text_sources"] = texts.sources

    log(f"repair: start-up in a fresh process, {RUNS} round(s)")
    starts: list[dict[str, float]] = []
    for _ in range(RUNS):
        child = run_child([PYTHON, "-c", LEXICON_SCRIPT])
        if child.returncode:
            raise RuntimeError(f"lexicon probe failed: {child.stderr.strip()[-500:]}")
        starts.append(json.loads(child.stdout.strip().splitlines()[-1]))
    load = [s["load_lexicon"] for s in starts]
    ready = [s["load_lexicon"] + s["repair_import"] + s["first_repair_text"] for s in starts]
    imports = median([s["package_import"] for s in starts]) or 0.0
    rows.append(Row("repair", "lexicon load: load_lexicon() in a fresh process", "s",
                    median(load), load, target=f"≤ {LEXICON_LIMIT_S:.0f} s",
                    ok=(median(load) or 0) <= LEXICON_LIMIT_S,
                    note=f"importing the pipeline package before it: {imports:.2f} s"))
    rows.append(Row("repair", "repair ready: lexicon + repair import + first repair_text", "s",
                    median(ready), ready, target=f"≤ {LEXICON_LIMIT_S:.0f} s",
                    ok=(median(ready) or 0) <= LEXICON_LIMIT_S,
                    note="medians: " + ", ".join(
                        f"{k} {median([s[k] for s in starts]) or 0:.3f} s" for k in starts[0])))


# --------------------------------------------------------------------------- OCR


def bench_ocr(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    from pipeline.ocr import check_tesseract, read_pages
    from pipeline.raster import render_page

    check_tesseract("swe+eng")
    path = corpus.scanned
    numbers = list(range(1, min(OCR_PAGES, _page_count(path)) + 1))
    dpi = 300
    png_dir = WORK / "ocr-png"
    shutil.rmtree(png_dir, ignore_errors=True)
    png_dir.mkdir(parents=True)
    images = []
    for n in numbers:  # the same pixels our OCR stage reads: rendered once, outside the timing
        image = render_page(path, n, dpi).image
        target = png_dir / f"page-{n:03d}.png"
        image.save(target)
        images.append(target)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def tesseract(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "-", "-l", "swe+eng"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def tess_serial() -> None:
        for image in images:
            tesseract(image)

    def tess_parallel() -> None:
        with ThreadPoolExecutor(max_workers=CORES) as pool:
            list(pool.map(tesseract, images))

    log(f"OCR: {len(numbers)} scanned pages at {dpi} dpi, {CORES} cores, {RUNS} round(s)")
    times = rounds(RUNS,
                   ("ours jobs=1", lambda: read_pages(path, numbers, dpi=dpi, jobs=1)),
                   ("tesseract x1", tess_serial),
                   (f"ours jobs={CORES}", lambda: read_pages(path, numbers, dpi=dpi, jobs=CORES)),
                   (f"tesseract x{CORES}", tess_parallel))
    rate = {k: [len(numbers) / t for t in v] for k, v in times.items()}
    tess1 = median(rate["tesseract x1"]) or 0.0
    one = Row("ocr", f"OCR pages/s, 1 job ({len(numbers)} pages, {dpi} dpi, swe+eng)", "pages/s",
              median(rate["ours jobs=1"]), rate["ours jobs=1"],
              [Ref("tesseract CLI, 1 process", tess1, rate["tesseract x1"])],
              target=f"≥ {OCR_RATIO_PER_CORE}× tesseract")
    one.set_ratio()
    one.ok = one.ratio is not None and one.ratio >= OCR_RATIO_PER_CORE
    rows.append(one)
    ours_n = median(rate[f"ours jobs={CORES}"]) or 0.0
    many = Row("ocr", f"OCR pages/s, all cores ({CORES} jobs)", "pages/s", ours_n,
               rate[f"ours jobs={CORES}"],
               [Ref(f"tesseract CLI, {CORES} processes", median(rate[f"tesseract x{CORES}"]),
                    rate[f"tesseract x{CORES}"])],
               target=f"≥ {OCR_SCALING}·{CORES}× tesseract 1 process "
                      f"(≥ {OCR_SCALING * CORES * tess1:.2f} pages/s)",
               note=f"ours at {CORES} jobs = {ours_n / tess1 if tess1 else 0:.2f}× tesseract "
                    f"1 process")
    many.set_ratio()
    many.ok = ours_n >= OCR_SCALING * CORES * tess1
    rows.append(many)
    shutil.rmtree(png_dir, ignore_errors=True)


# --------------------------------------------------------------------------- memory

PLUMBER_SCRIPT = r"""
import sys, pdfplumber
close = sys.argv[2] == "close"
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        if close:
            page.close()
"""


def bench_rss(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    path = corpus.big
    pages = _page_count(path)
    target = WORK / "text-1000.json"
    runs: dict[str, list[ChildRun]] = {"ours": [], "plain": [], "close": []}
    log(f"peak RSS: {pages} pages, {RSS_RUNS} round(s)")
    for r in range(RSS_RUNS):
        target.unlink(missing_ok=True)
        commands = {
            "ours": [PYTHON, "-m", "pipeline", "convert", str(path), "-o", str(target)],
            "plain": [PYTHON, "-c", PLUMBER_SCRIPT, str(path), "plain"],
            "close": [PYTHON, "-c", PLUMBER_SCRIPT, str(path), "close"],
        }
        for name, command in commands.items():
            child = run_child(command)
            if child.returncode:
                raise RuntimeError(f"{name} failed ({child.returncode}): "
                                   f"{child.stderr.strip()[-800:]}")
            runs[name].append(child)
            log(f"    round {r + 1}/{RSS_RUNS} {name}: {child.seconds:.1f} s, "
                f"{child.maxrss_mb:.0f} MB")
    mb = {k: [c.maxrss_mb for c in v] for k, v in runs.items()}
    row = Row("rss", f"peak RSS converting the {pages:,}-page PDF (newsletter convert)", "MB",
              median(mb["ours"]), mb["ours"],
              [Ref("pdfplumber extract_words, all pages", median(mb["plain"]), mb["plain"]),
               Ref("same with page.close()", median(mb["close"]), mb["close"])],
              target=f"≤ {RSS_LIMIT_MB} MB", ok=(median(mb["ours"]) or 1e9) <= RSS_LIMIT_MB)
    row.set_ratio()
    rows.append(row)
    rate = {k: [pages / c.seconds for c in v] for k, v in runs.items()}
    speed = Row("rss", f"{pages:,}-page PDF pages/s (a fresh process, start-up included)",
                "pages/s", median(rate["ours"]), rate["ours"],
                [Ref("pdfplumber extract_words", median(rate["plain"]), rate["plain"]),
                 Ref("same with page.close()", median(rate["close"]), rate["close"])])
    speed.set_ratio()
    rows.append(speed)
    target.unlink(missing_ok=True)


# --------------------------------------------------------------------------- batch

def bench_batch(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    files = sorted(corpus.batch_dir.glob("*.pdf"))
    levels = sorted({1, min(2, CORES), CORES})
    results: dict[int, list[tuple[float, int, int]]] = {j: [] for j in levels}
    log(f"batch: {len(files)} PDFs, --jobs {levels}, {RUNS} round(s), via "
        f"newsletter batch in a fresh process")
    for r in range(RUNS):
        for jobs in levels:
            out_dir = WORK / f"batch-j{jobs}"
            shutil.rmtree(out_dir, ignore_errors=True)
            command = [PYTHON, "-m", "pipeline", "batch", str(corpus.batch_dir), "-o",
                       str(out_dir), "--jobs", str(jobs)]
            child = run_child(command)
            if child.returncode:
                raise RuntimeError(f"batch --jobs {jobs} failed ({child.returncode}): "
                                   f"{child.stderr.strip()[-800:]}")
            pages, ok = _manifest_pages(out_dir / "manifest.jsonl")
            results[jobs].append((child.seconds, pages, ok))
            log(f"    round {r + 1}/{RUNS} --jobs {jobs}: {child.seconds:.1f} s, "
                f"{ok} files ok, {pages} pages")
            shutil.rmtree(out_dir, ignore_errors=True)
    base = None
    for jobs in levels:
        files_rate = [ok / s for s, _, ok in results[jobs]]
        pages_rate = [p / s for s, p, _ in results[jobs]]
        ours = median(files_rate)
        if jobs == 1:
            base = ours
        label = f"batch files/s, --jobs {jobs}" + (" (all cores)" if jobs == CORES else "")
        ok_files = results[jobs][-1][2]
        row = Row("batch", f"{label} ({len(files)} PDFs, fresh process)", "files/s", ours,
                  files_rate,
                  [Ref(f"{jobs}× the --jobs 1 rate (linear scaling)",
                       (base or 0) * jobs if base else None)],
                  note=f"{median(pages_rate) or 0:.1f} pages/s; {ok_files}/{len(files)} ok")
        row.set_ratio()
        rows.append(row)


# --------------------------------------------------------------------------- ALTO


def bench_alto(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    """ALTO writing alone (born-digital pages), and scanned pages to ALTO, to a searchable PDF
    and to PDF/A-2b with our OCR beside OCRmyPDF's time on the same pages (`-l swe`, same dpi,
    `--output-type pdf` and `pdfa`) when it is installed (PDF/A rows: when Ghostscript is)."""
    import pikepdf

    from pipeline.convert import convert_with_pages
    from pipeline.options import Options
    from pipeline.outputs.alto import to_alto
    from pipeline.outputs.pdfa import to_pdfa
    from pipeline.outputs.searchable import to_searchable_pdf

    born = convert_with_pages(corpus.born_digital, Options())
    pages = len(born.pages)
    log(f"ALTO: writing {pages} born-digital pages, {RUNS} round(s)")
    times = rounds(RUNS, ("to_alto", lambda: to_alto(born)))
    rate = [pages / t for t in times["to_alto"]]
    rows.append(Row("alto", f"ALTO writing pages/s (to_alto alone, {pages} born-digital pages)",
                    "pages/s", median(rate), rate))
    scans = WORK / "alto-scans.pdf"
    scans.parent.mkdir(parents=True, exist_ok=True)
    with pikepdf.open(corpus.scanned) as pdf:
        keep = min(OCR_PAGES, len(pdf.pages))
        del pdf.pages[keep:]
        pdf.save(scans)
    dpi = 300
    options = Options(ocr="auto", dpi=dpi, jobs=1)

    def ours() -> None:
        to_alto(convert_with_pages(scans, options))

    def ours_pdf() -> None:
        to_searchable_pdf(convert_with_pages(scans, options), scans.read_bytes())

    def ours_pdfa() -> None:
        to_pdfa(to_searchable_pdf(convert_with_pages(scans, options), scans.read_bytes()))

    ghostscript = shutil.which("gs") is not None
    steps: list[tuple[str, Callable[[], Any]]] = [("ours", ours), ("ours_pdf", ours_pdf)]
    if ghostscript:
        steps.append(("ours_pdfa", ours_pdfa))
    beside = Path(sys.executable).parent / "ocrmypdf"  # a dependency: in the venv's bin
    ocrmypdf = shutil.which("ocrmypdf") or (str(beside) if beside.is_file() else None)
    if ocrmypdf:
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

        def run_ocrmypdf(output_type: str) -> Callable[[], Any]:
            target = WORK / f"alto-ocrmypdf.{output_type}.pdf"
            return lambda: subprocess.run(
                [ocrmypdf, "-l", "swe", "--jobs", "1", "--image-dpi", str(dpi), "--force-ocr",
                 "--output-type", output_type, str(scans), str(target)],
                env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        steps.append(("ocrmypdf", run_ocrmypdf("pdf")))
        if ghostscript:
            steps.append(("ocrmypdf_pdfa", run_ocrmypdf("pdfa")))
    log(f"ALTO: {keep} scanned pages with OCR, {RUNS} round(s)")
    times = rounds(RUNS, *steps)
    per_page = {k: [t / keep for t in v] for k, v in times.items()}
    refs = [Ref("OCRmyPDF -l swe, 1 job (searchable PDF)", median(per_page["ocrmypdf"]),
                per_page["ocrmypdf"])] if "ocrmypdf" in per_page else []
    row = Row("alto", f"scanned pages to ALTO, s/page incl. our OCR ({keep} pages, {dpi} dpi, "
                      "1 job)", "s/page", median(per_page["ours"]), per_page["ours"], refs,
              note="" if refs else "OCRmyPDF not installed: no reference")
    row.set_ratio()
    rows.append(row)
    row = Row("alto", f"scanned pages to searchable PDF, s/page incl. our OCR ({keep} pages, "
                      f"{dpi} dpi, 1 job)", "s/page", median(per_page["ours_pdf"]),
              per_page["ours_pdf"], refs,
              note="" if refs else "OCRmyPDF not installed: no reference")
    row.set_ratio()
    rows.append(row)
    if not ghostscript:
        rows.append(Row("alto", "scanned pages to PDF/A-2b", "", note="no Ghostscript: no row"))
        return
    refs = [Ref("OCRmyPDF -l swe --output-type pdfa, 1 job", median(per_page["ocrmypdf_pdfa"]),
                per_page["ocrmypdf_pdfa"])] if "ocrmypdf_pdfa" in per_page else []
    row = Row("alto", f"scanned pages to PDF/A-2b, s/page incl. our OCR ({keep} pages, "
                      f"{dpi} dpi, 1 job)", "s/page", median(per_page["ours_pdfa"]),
              per_page["ours_pdfa"], refs,
              note="" if refs else "OCRmyPDF not installed: no reference")
    row.set_ratio()
    rows.append(row)


# --------------------------------------------------------------------------- search index

INDEX_DOCUMENTS = int(os.environ.get("BENCH_INDEX_DOCUMENTS", "500" if QUICK else "5000"))
QUERIES = 100


def bench_index(corpus: BenchCorpus, rows: list[Row], extra: dict[str, Any]) -> None:
    """`newsletter index` on an archive of INDEX_DOCUMENTS documents made from the born-digital
    fixtures' outputs (copies under new paths and sha256s), a rerun with nothing to do, and the
    median latency of 100 searches (words drawn from the fixtures' text, fixed seed)."""
    import hashlib
    import random
    import re

    from pipeline.batch.executors import convert_to_json
    from pipeline.index.build import build_index
    from pipeline.index.search import search
    from pipeline.options import Options

    stems = sorted(p.stem for p in (ROOT / "fixtures" / "truth").glob("*.md"))
    documents = [json.loads(convert_to_json(ROOT / "fixtures" / "pdf" / f"{stem}.pdf",
                                            f"{stem}.pdf", Options(jobs=2))) for stem in stems]
    archive = WORK / "index-archive"
    shutil.rmtree(archive, ignore_errors=True)
    for n in range(INDEX_DOCUMENTS):
        document = documents[n % len(documents)]
        document["source"]["sha256"] = hashlib.sha256(str(n).encode()).hexdigest()
        target = archive / f"{n // 1000:02d}" / f"{n:05d}-{stems[n % len(stems)]}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    log(f"index: {INDEX_DOCUMENTS} documents from {len(stems)} fixture outputs")
    db = WORK / "index-archive.db"
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    summary = build_index(archive, db)
    built = time.perf_counter() - t
    rows.append(Row("index", f"index blocks/s (newsletter index, {INDEX_DOCUMENTS} documents, "
                             f"{summary.blocks} blocks, new database)", "blocks/s",
                    summary.blocks / built, [summary.blocks / built]))
    t = time.perf_counter()
    build_index(archive, db)
    rerun = time.perf_counter() - t
    rows.append(Row("index", "index rerun with nothing changed (sha256 + version checked)", "s",
                    rerun, [rerun]))
    vocabulary = sorted({w.casefold() for d in documents
                         for w in re.findall(r"\w{3,}", d["text"]) if not w.isdigit()})
    words = random.Random(18).sample(vocabulary, QUERIES)
    for folded in (False, True):
        latencies = []
        for word in words:
            t = time.perf_counter()
            search(db, word, folded=folded, limit=20)
            latencies.append((time.perf_counter() - t) * 1000)
        rows.append(Row("index", f"search latency, median of {QUERIES} one-word queries, top 20"
                                 f"{' (--folded)' if folded else ''}", "ms",
                        median(latencies), latencies))
    extra["index"] = {"documents": INDEX_DOCUMENTS, "blocks": summary.blocks,
                      "database_mb": round(db.stat().st_size / 1e6, 1)}


def _manifest_pages(path: Path) -> tuple[int, int]:
    """(pages converted, files converted) by the batch whose manifest this is."""
    from pipeline.batch import read_manifest

    ok = [record for record in read_manifest(path).values() if record.status == "ok"]
    return sum(record.pages or 0 for record in ok), len(ok)


# --------------------------------------------------------------------------- report

BENCHES: dict[str, Callable[[BenchCorpus, list[Row], dict[str, Any]], None]] = {
    "born": bench_born_digital,
    "segment": bench_segment,
    "repair": bench_repair,
    "ocr": bench_ocr,
    "rss": bench_rss,
    "batch": bench_batch,
    "alto": bench_alto,
    "index": bench_index,
}


def ref_text(row: Row) -> str:
    return "; ".join(f"{ref.name}: {fmt(ref.value, row.unit)}" for ref in row.refs) or "–"


def ratio_text(row: Row) -> str:
    if row.ratio is None:
        return "–"
    return f"{row.ratio:.2f}×"


def verdict(row: Row) -> str:
    if row.ok is None:
        return ""
    return "ok" if row.ok else "MISSED"


def markdown_table(rows: list[Row]) -> str:
    lines = ["| row | ours | beside it (same input, same run) | ratio ours/ref | target | |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        label = row.label + (f" — {row.note}" if row.note and row.ours is None else "")
        lines.append(f"| {label} | {fmt(row.ours, row.unit)} | {ref_text(row)} | "
                     f"{ratio_text(row)} | {row.target or '–'} | {verdict(row)} |")
    return "\n".join(lines)


def notes(rows: list[Row]) -> str:
    return "\n".join(f"- {row.label}: {row.note}" for row in rows if row.note)


def stages_table(stages: dict[str, Any]) -> str:
    lines = [f"Stage breakdown, {stages['pages']} born-digital pages (convert "
             f"{stages['convert_seconds']:.2f} s; pdfplumber extract_words "
             f"{stages['pdfplumber_extract_words_seconds']:.2f} s):",
             "",
             "| stage | seconds | share of convert | pages/s |",
             "|---|---|---|---|"]
    for name, s in stages["stages"].items():
        share = s["share_of_convert"]
        lines.append(f"| {name} | {s['seconds']:.3f} | "
                     f"{'–' if share is None else f'{share:.0%}'} | "
                     f"{s['pages_per_s'] or '–'} |")
    return "\n".join(lines)


def main() -> int:
    started = time.time()
    groups = [g for g in GROUPS if not ONLY or g in ONLY]
    unknown = ONLY - set(GROUPS)
    if unknown:
        log(f"BENCH_ONLY: unknown groups {sorted(unknown)}; known: {', '.join(GROUPS)}")
        return 2
    machine = describe(ROOT)
    load_before = load_average()
    log(f"bench: {'QUICK (1 run)' if QUICK else f'{RUNS} runs, medians'}; rows: "
        f"{', '.join(groups)}; load average {load_before}")
    corpus = ensure_corpus(log)
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    extra: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for group in groups:
        t = time.perf_counter()
        try:
            BENCHES[group](corpus, rows, extra)
        except Exception as exc:  # noqa: BLE001  one broken row must not lose the others
            errors[group] = f"{type(exc).__name__}: {exc}"
            log(f"{group}: FAILED: {errors[group]}")
            log(traceback.format_exc())
            rows.append(Row(group, f"{group}", "", note=f"failed: {errors[group]}"[:300]))
        log(f"{group}: {time.perf_counter() - t:.1f} s")
    extra.pop("_repaired_pages", None)
    load_after = load_average()
    table = markdown_table(rows)
    stages = extra.get("stages")
    report = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "mode": "quick" if QUICK else "full",
        "runs": RUNS,
        "ocr_pages": OCR_PAGES,
        "rss_runs": RSS_RUNS,
        "machine": machine,
        "machine_line": summary_line(machine),
        "load_average": {"before": load_before, "after": load_after},
        "corpus": {"key": corpus.key, "root": str(corpus.root.relative_to(ROOT)),
                   **corpus.manifest()},
        "rows": [asdict(row) for row in rows],
        **{k: v for k, v in extra.items() if not k.startswith("_")},
        "errors": errors,
        "table_markdown": table,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    md = [f"Machine: {report['machine_line']}",
          f"Mode: {report['mode']}, medians of {RUNS} run(s); load average before "
          f"{load_before}, after {load_after}; peak RSS rows: {RSS_RUNS} run(s).", "", table]
    if any(row.note for row in rows):
        md += ["", "Notes:", "", notes(rows)]
    if stages:
        md += ["", stages_table(stages)]
    # The load before the run is other work; the load after is mostly this run's own.
    busy = max(load_before[:1], default=0.0) > 0.5 * CORES
    if busy:
        md += ["", f"Warning: the machine was busy before the run (load average {load_before} "
                   f"on {CORES} cores): rates are low and noisy, and the all-cores rows cannot "
                   "show scaling. See the per-round samples in bench.json."]
    (OUT / "bench.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))
    missed = [row.label for row in rows if row.ok is False]
    print(f"\n{len(missed)} row(s) miss their target" + (": " + "; ".join(missed) if missed
                                                        else "") +
          f". Written to out/bench.json and out/bench.md ({report['seconds']:.0f} s).")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
