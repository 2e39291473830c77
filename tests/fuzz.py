"""`make fuzz`: damaged copies of real PDFs, all run as one batch; each must end as one record.

    .venv/bin/python -m tests.fuzz                 # 1,000 mutations (FUZZ_COUNT=N to change)
    FUZZ_SEED=7 FUZZ_TIMEOUT=60 .venv/bin/python -m tests.fuzz

The inputs are the fixture PDFs (fixtures/pdf) and the real newsletters in
../shared/corpus/sv (read there at run time, never copied into the project), mutated with fixed
seeds: bit flips, truncation, a zeroed range, a duplicated range, a reversed segment (one to
three of them per file). They are written to out/fuzz/in and converted by `newsletter batch`
in a fresh process (--jobs 2, --ocr never: the parsers and the stages after them are what is
fuzzed; Tesseract would cost minutes a file), and then checked:

- every input has exactly one record, `ok` or `error` (a `timeout` is a hang);
- every message is one line, and nothing printed a traceback;
- every `ok` input has its JSON, whole and valid against the schema, for the bytes it was made
  from; no `error` input has one, and no temporary file is left (no partial output);
- the batch ends (a hang past --timeout would show as a timeout record, or the batch's own
  deadline).

Prints the counts and exits 1 when a check fails. `tests/test_fuzz.py` runs a 50-file slice of
the small fixtures in the test suite.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PDFS = ROOT / "fixtures" / "pdf"
SHARED_PDFS = ROOT.parent / "shared" / "corpus" / "sv"
MUTATIONS = ("flip", "truncate", "zero", "duplicate", "reverse")


def seed_files(small_only: bool = False) -> list[Path]:
    """The PDFs to mutate: the fixtures (only those under 100 KB with `small_only`), then the
    real newsletters of ../shared/corpus/sv when it is there."""
    files = sorted(FIXTURE_PDFS.glob("*.pdf"))
    if small_only:
        return [p for p in files if p.stat().st_size < 100_000]
    if SHARED_PDFS.is_dir():
        files += sorted(SHARED_PDFS.glob("*.pdf"))
    return files


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One to three mutations of `data`, and their names."""
    out = bytearray(data)
    done = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        kind = rng.choice(MUTATIONS)
        size = len(out)
        if size < 16:
            break
        if kind == "flip":
            for _ in range(rng.choice((1, 4, 32))):
                position = rng.randrange(size)
                out[position] ^= 1 << rng.randrange(8)
        elif kind == "truncate":
            del out[rng.randrange(size // 8, size) :]
        else:
            length = min(size // 4, max(1, int(size * rng.choice((0.0005, 0.005, 0.05)))))
            start = rng.randrange(size - length)
            if kind == "zero":
                out[start : start + length] = bytes(length)
            elif kind == "duplicate":
                out[start:start] = out[start : start + length]
            else:
                out[start : start + length] = out[start : start + length][::-1]
        done.append(kind)
    return bytes(out), "+".join(done)


def make_inputs(
    folder: Path, count: int, seed: int = 0, small_only: bool = False
) -> dict[str, str]:
    """`count` mutated files in `folder` (replaced), made the same way for the same seed; their
    names mapped to what was done to them."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sources = seed_files(small_only)
    originals = [p.read_bytes() for p in sources]
    made = {}
    for number in range(count):
        rng = random.Random(f"{seed}:{number}")
        index = number % len(sources)
        data, how = mutate(originals[index], rng)
        name = f"{number:04d}_{sources[index].stem[:40]}.pdf"
        (folder / name).write_bytes(data)
        made[name] = f"{sources[index].name}: {how}"
    return made


@dataclass
class FuzzReport:
    files: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    internal_errors: int = 0
    repaired: int = 0  # read from a copy qpdf repaired in memory
    tracebacks: int = 0
    multi_line: int = 0
    partial: int = 0
    missing: int = 0
    exit_code: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (not self.problems and self.exit_code in (0, 1)
                and set(self.statuses) <= {"ok", "error"})

    def summary(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items()))
        return (f"fuzz: {self.files} files in {self.seconds:.0f} s: {counts}; "
                f"timeouts (hangs) {self.statuses.get('timeout', 0)}, tracebacks "
                f"{self.tracebacks}, multi-line messages {self.multi_line}, partial outputs "
                f"{self.partial}, missing records {self.missing}, internal errors "
                f"{self.internal_errors}; read through qpdf's repair {self.repaired}; batch exit "
                f"{self.exit_code}")


def run_batch_process(inputs: Path, out: Path, jobs: int, timeout: float,
                      ocr: str = "never") -> tuple[int, str, float]:
    """`newsletter batch` in a fresh process, as a user runs it: (exit code, stderr, seconds)."""
    shutil.rmtree(out, ignore_errors=True)
    files = len(list(inputs.glob("*.pdf")))
    deadline = 120 + files * timeout / max(1, jobs)  # past it the batch itself hangs
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "batch", str(inputs), "-o", str(out), "--jobs",
         str(jobs), "--timeout", f"{timeout:g}", "--ocr", ocr, "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=deadline, check=False,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)))
    return done.returncode, done.stderr, time.monotonic() - start


def check(inputs: Path, out: Path, exit_code: int, stderr: str, seconds: float) -> FuzzReport:
    """The checks of the module docstring, on a finished batch."""
    import jsonschema

    from pipeline.model import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    report = FuzzReport(exit_code=exit_code, seconds=seconds)
    names = sorted(p.name for p in inputs.glob("*.pdf"))
    report.files = len(names)
    if "Traceback" in stderr:
        report.tracebacks += stderr.count("Traceback")
        report.problems.append("a traceback on stderr")
    records: dict[str, list[dict[str, object]]] = {}
    manifest = out / "manifest.jsonl"
    lines = manifest.read_text("utf-8").splitlines() if manifest.exists() else []
    for line in lines:
        record = json.loads(line)
        records.setdefault(str(record["input"]), []).append(record)
    for name in names:
        found = records.get(name, [])
        if len(found) != 1:
            report.missing += 1
            report.problems.append(f"{name}: {len(found)} records")
            continue
        record = found[0]
        status, message = str(record["status"]), str(record["message"])
        report.statuses[status] += 1
        if "\n" in message or "\r" in message:
            report.multi_line += 1
            report.problems.append(f"{name}: a message of more than one line")
        if "Traceback" in message:
            report.tracebacks += 1
            report.problems.append(f"{name}: a traceback in its record")
        if message.startswith("internal error"):
            report.internal_errors += 1
        if status == "ok" and "qpdf" in message:
            report.repaired += 1
        target = out / Path(name).with_suffix(".json")
        if status == "ok":
            why = _whole(target, inputs / name, validator)
            if why:
                report.partial += 1
                report.problems.append(f"{name}: {why}")
        elif target.exists():
            report.partial += 1
            report.problems.append(f"{name}: {status}, but a JSON was written")
        if status not in ("ok", "error"):
            report.problems.append(f"{name}: {status}: {message}")
    leftovers = [p.name for p in out.rglob("*.tmp")] if out.exists() else []
    if leftovers:
        report.partial += len(leftovers)
        report.problems.append(f"temporary files left: {leftovers[:3]}")
    return report


def _whole(target: Path, source: Path, validator: object) -> str:
    """Why the output of an ok input is not whole and its own ('' when it is)."""
    try:
        document = json.loads(target.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        return f"ok, but its JSON is missing or cut ({type(exc).__name__})"
    errors = list(validator.iter_errors(document))  # type: ignore[attr-defined]
    if errors:
        return f"ok, but its JSON breaks the schema: {errors[0].message[:120]}"
    if document["source"]["sha256"] != hashlib.sha256(source.read_bytes()).hexdigest():
        return "ok, but its JSON is of other bytes"
    return ""


def main() -> int:
    count = int(os.environ.get("FUZZ_COUNT", "1000"))
    seed = int(os.environ.get("FUZZ_SEED", "0"))
    timeout = float(os.environ.get("FUZZ_TIMEOUT", "60"))
    jobs = int(os.environ.get("FUZZ_JOBS", "2"))
    work = ROOT / "out" / "fuzz"
    made = make_inputs(work / "in", count, seed)
    sources = sorted({how.split(":")[0] for how in made.values()})
    print(f"fuzz: {count} mutations (seed {seed}) of {len(sources)} PDFs: {', '.join(sources)}",
          flush=True)
    exit_code, stderr, seconds = run_batch_process(work / "in", work / "out", jobs, timeout)
    report = check(work / "in", work / "out", exit_code, stderr, seconds)
    (work / "mutations.json").write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
    print(report.summary())
    kinds = Counter(str(r.get("message", "")).split(": ", 1)[-1][:60]
                    for line in (work / "out" / "manifest.jsonl").read_text("utf-8").splitlines()
                    for r in [json.loads(line)] if r["status"] != "ok")
    for message, n in kinds.most_common(8):
        print(f"  {n:5d}  {message}")
    for problem in report.problems[:20]:
        print(f"  problem: {problem}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
