"""Batch conversion on real files: good, scanned and bad PDFs, resume, SIGKILL, timeouts, links."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from pipeline.batch import MANIFEST_NAME, plan_batch, read_manifest, run_batch
from pipeline.batch.executors import SerialExecutor, convert_to_json
from pipeline.batch.progress import StderrProgress
from pipeline.cli import main
from pipeline.model import json_schema
from pipeline.options import Options

from .conftest import ROOT, fixture_file, shared_file

BORN_DIGITAL = ["sormland_2022_12.pdf", "sormland_2022_06.pdf", "bibliotek_2023_09.pdf",
                "brf_lonnen_2023_05.pdf"]
SCANNED = "bibliotek_2023_09-scan-200dpi.pdf"
BAD = ["encrypted-user-password.pdf", "truncated.pdf", "empty.pdf", "zero-pages.pdf",
       "not-a-pdf.pdf", "random-bytes.pdf"]
GOOD_BAD = "encrypted-owner-only.pdf"  # encrypted, but with an empty user password: it opens
DEFAULT = Options()  # every run in the default mode (--ocr auto)


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_lines(out: Path) -> list[dict[str, object]]:
    lines = []
    for raw in (out / MANIFEST_NAME).read_bytes().splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue
    return lines


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *args], catch_exceptions=False)
    return result.exit_code, result.stderr


def no_temporaries(out: Path) -> None:
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def write_txt_inputs(folder: Path, count: int) -> list[str]:
    """Small Swedish newsletters as extracted text, each different."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(count):
        name = f"{number // 10}/brev_{number:02d}.txt"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Nyhetsbrev nummer {number}\n\nStyrelsen hälsar alla medlemmar "
                        f"välkomna till möte nummer {number} i föreningslokalen.\n",
                        encoding="utf-8")
        names.append(name)
    return names


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "in"
    (folder / "2022").mkdir(parents=True)
    (folder / "bad").mkdir()
    (folder / "scan").mkdir()
    for name in BORN_DIGITAL[:2]:
        shutil.copy(fixture_file(f"pdf/{name}"), folder / "2022" / name)
    for name in BORN_DIGITAL[2:]:
        shutil.copy(fixture_file(f"pdf/{name}"), folder / name)
    shutil.copy(fixture_file(f"pdf/{SCANNED}"), folder / "scan" / SCANNED)
    for name in [*BAD, GOOD_BAD]:
        shutil.copy(fixture_file(f"bad/{name}"), folder / "bad" / name)
    (folder / "notes.md").write_text("not an input\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def first_run(mixed_inputs: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, int, str, dict[str, str]]:
    """One real batch over the mixed folder (OCR on for the scan), via the CLI in-process."""
    before = tree_hashes(mixed_inputs)
    out = tmp_path_factory.mktemp("mixed-out") / "out"
    jsonl = out.parent / "all.jsonl"
    code, err = invoke(str(mixed_inputs), "-o", str(out), "--jobs", "2", "--timeout", "240",
                       "--jsonl", str(jsonl))
    return out, code, err, before


def good_names() -> list[str]:
    return sorted([f"2022/{n}" for n in BORN_DIGITAL[:2]] + BORN_DIGITAL[2:]
                  + [f"scan/{SCANNED}", f"bad/{GOOD_BAD}"])


def test_one_json_per_good_file_and_an_error_record_per_bad_one(first_run, mixed_inputs) -> None:
    out, code, err, _ = first_run
    assert code == 1, err
    assert "Traceback" not in err
    records = {r["input"]: r for r in manifest_lines(out)}
    assert sorted(records) == sorted(good_names() + [f"bad/{n}" for n in BAD])
    schema = json_schema()
    for name in good_names():
        assert records[name]["status"] == "ok", records[name]
        target = out / Path(name).with_suffix(".json")
        document = json.loads(target.read_text(encoding="utf-8"))
        jsonschema.validate(document, schema)
        assert document["source"]["path"] == name  # relative to INPUT_DIR, not this machine's
        sha = hashlib.sha256((mixed_inputs / name).read_bytes()).hexdigest()
        assert document["source"]["sha256"] == records[name]["sha256"] == sha
        assert records[name]["pages"] == len(document["pages"]) > 0
        assert sum(records[name]["methods"].values()) == records[name]["pages"]
    assert records[f"scan/{SCANNED}"]["methods"].get("ocr", 0) >= 1
    for name in BAD:
        record = records[f"bad/{name}"]
        assert record["status"] == "error"
        assert record["message"] and "\n" not in record["message"]
        assert not record["message"].startswith("internal error"), record
        assert not (out / "bad" / Path(name).with_suffix(".json")).exists()
    for record in records.values():
        assert set(record) >= {"input", "sha256", "status", "message", "pages", "methods",
                               "seconds", "tool_version"}
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == sorted(
        str(Path(n).with_suffix(".json")) for n in good_names())


def test_no_partial_files_and_inputs_untouched(first_run, mixed_inputs) -> None:
    out, _, _, before = first_run
    no_temporaries(out)
    assert tree_hashes(mixed_inputs) == before


def test_jsonl_has_every_document_in_input_order(first_run) -> None:
    out, _, _, _ = first_run
    lines = (out.parent / "all.jsonl").read_text(encoding="utf-8").splitlines()
    paths = [json.loads(line)["source"]["path"] for line in lines]
    assert paths == sorted(good_names(), key=lambda p: Path(p).parts)
    for line, path in zip(lines, paths, strict=True):
        on_disk = json.loads((out / Path(path).with_suffix(".json")).read_text(encoding="utf-8"))
        assert json.loads(line) == on_disk


def test_summary_table_on_stderr(first_run) -> None:
    _, _, err, _ = first_run
    for word in ("ok", "error", "timeout", "skipped", "pages by method", "text-layer", "ocr",
                 "repairs made", "time", "failed:"):
        assert word in err
    assert "bad/truncated.pdf" in err


def test_rerun_skips_everything(first_run, mixed_inputs) -> None:
    out, _, _, _ = first_run
    outputs = tree_hashes(out)
    count = len(manifest_lines(out))
    code, err = invoke(str(mixed_inputs), "-o", str(out), "--jobs", "2")
    assert code == 1, err  # the bad files failed before and still count as failed
    new = manifest_lines(out)[count:]
    assert len(new) == len(good_names()) + len(BAD)
    assert {r["status"] for r in new} == {"skipped"}
    after = tree_hashes(out)
    assert {k: v for k, v in after.items() if k != MANIFEST_NAME} == {
        k: v for k, v in outputs.items() if k != MANIFEST_NAME}
    assert "failed in an earlier run" in err


def test_retry_failed_converts_only_the_failed_ones(first_run, mixed_inputs) -> None:
    out, _, _, _ = first_run
    count = len(manifest_lines(out))
    code, _ = invoke(str(mixed_inputs), "-o", str(out), "--jobs", "2", "--retry-failed")
    assert code == 1
    statuses = {r["input"]: r["status"] for r in manifest_lines(out)[count:]}
    assert {statuses[f"bad/{n}"] for n in BAD} == {"error"}
    assert {statuses[n] for n in good_names()} == {"skipped"}


def test_password_converts_the_encrypted_file_on_retry(first_run, mixed_inputs) -> None:
    out, _, _, _ = first_run
    count = len(manifest_lines(out))
    invoke(str(mixed_inputs), "-o", str(out), "--retry-failed", "--password", "hemligt",
           "--jobs", "2")
    statuses = {r["input"]: r["status"] for r in manifest_lines(out)[count:]}
    assert statuses["bad/encrypted-user-password.pdf"] == "ok"
    assert (out / "bad" / "encrypted-user-password.json").exists()


# --- interruptions ----------------------------------------------------------------------------


def test_sigkill_partway_then_rerun_is_complete_and_consistent(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    for number in range(20):
        source = fixture_file(f"pdf/{BORN_DIGITAL[number % len(BORN_DIGITAL)]}")
        target = inputs / f"{number % 3}" / f"nr_{number:02d}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    before = tree_hashes(inputs)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "batch", str(inputs), "-o", str(out),
               "--jobs", "2"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    manifest = out / MANIFEST_NAME
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(manifest_lines(out))
    assert 3 <= done_before < 20

    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    records = manifest_lines(out)
    ok = Counter(r["input"] for r in records if r["status"] == "ok")
    names = sorted(before)
    assert sorted(ok) == names and set(ok.values()) == {1}  # each input converted exactly once
    latest = read_manifest(manifest)
    assert sorted(latest) == names and {r.status for r in latest.values()} == {"ok"}
    schema = json_schema()
    for name in names:
        document = json.loads((out / Path(name).with_suffix(".json")).read_text("utf-8"))
        jsonschema.validate(document, schema)
        assert document["source"]["sha256"] == before[name]
    no_temporaries(out)
    assert tree_hashes(inputs) == before


def test_a_json_without_its_record_is_recorded_not_redone(tmp_path: Path) -> None:
    write_txt_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    run_batch(tmp_path / "in", out, options=DEFAULT, jobs=1, include_text=True)
    manifest = out / MANIFEST_NAME
    lines = manifest.read_bytes().splitlines(keepends=True)
    # killed after the last JSON was renamed into place, and halfway through its record
    manifest.write_bytes(b"".join(lines[:-1]) + lines[-1][:25])
    lost = json.loads(lines[-1])["input"]
    mtime = (out / Path(lost).with_suffix(".json")).stat().st_mtime_ns
    summary = run_batch(tmp_path / "in", out, options=DEFAULT, jobs=1, include_text=True)
    assert summary.exit_code == 0
    by_input = {r.input: r for r in summary.records}
    assert by_input[lost].status == "ok" and "interrupted" in by_input[lost].message
    assert by_input[lost].pages == 1
    assert {r.status for r in summary.records if r.input != lost} == {"skipped"}
    assert (out / Path(lost).with_suffix(".json")).stat().st_mtime_ns == mtime
    assert sorted(read_manifest(manifest)) == sorted(by_input)


def test_leftover_temporary_files_are_removed(tmp_path: Path) -> None:
    write_txt_inputs(tmp_path / "in", 1)
    out = tmp_path / "out"
    (out / "0").mkdir(parents=True)
    (out / "0" / ".brev_00.json.k3j4h5g6.tmp").write_text("{", encoding="utf-8")
    run_batch(tmp_path / "in", out, options=DEFAULT, jobs=1, include_text=True)
    no_temporaries(out)
    assert (out / "0" / "brev_00.json").exists()


def test_a_changed_input_is_converted_again(tmp_path: Path) -> None:
    write_txt_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_batch(tmp_path / "in", out, options=DEFAULT, jobs=1, include_text=True)
    changed = tmp_path / "in" / "0" / "brev_01.txt"
    changed.write_text("Nytt nummer\n\nHelt ny text om vårens städdag.\n", encoding="utf-8")
    summary = run_batch(tmp_path / "in", out, options=DEFAULT, jobs=1, include_text=True)
    statuses = {r.input: r.status for r in summary.records}
    assert statuses == {"0/brev_00.txt": "skipped", "0/brev_01.txt": "ok"}
    text = json.loads((out / "0" / "brev_01.json").read_text("utf-8"))["text"]
    assert "städdag" in text


def test_second_batch_on_the_same_output_is_refused(tmp_path: Path) -> None:
    from pipeline.batch import ManifestWriter
    from pipeline.errors import OutputError

    write_txt_inputs(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    holder = ManifestWriter(out / MANIFEST_NAME)
    try:
        with pytest.raises(OutputError, match="another batch"):
            run_batch(tmp_path / "in", out, options=DEFAULT, jobs=1, include_text=True)
    finally:
        holder.close()


# --- timeouts and dying workers (a stand-in per-file function: control flow only) -----------


def hang_or_convert(path: Path, relative: str, options: Options) -> str:
    """Hangs on inputs named hang*, converts the others for real."""
    if path.name.startswith("hang"):
        time.sleep(600)
    if path.name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    return convert_to_json(path, relative, options)


def test_a_hung_file_is_ended_by_the_timeout(tmp_path: Path) -> None:
    names = write_txt_inputs(tmp_path / "in", 4)
    (tmp_path / "in" / "hang.txt").write_text("Det här tar tid.\n", encoding="utf-8")
    # a generous limit: a loaded machine may take seconds over a small file (the hang is 600 s)
    summary = run_batch(tmp_path / "in", tmp_path / "out", options=DEFAULT, jobs=2, timeout=10,
                        include_text=True, worker=hang_or_convert)
    statuses = {r.input: r.status for r in summary.records}
    assert statuses.pop("hang.txt") == "timeout"
    assert statuses == {name: "ok" for name in names}
    assert summary.exit_code == 1
    record = next(r for r in summary.records if r.status == "timeout")
    assert "10 s" in record.message and record.sha256
    assert not (tmp_path / "out" / "hang.json").exists()


def test_serial_executor_times_out_too(tmp_path: Path) -> None:
    write_txt_inputs(tmp_path / "in", 1)
    (tmp_path / "in" / "hang.txt").write_text("Det här tar tid.\n", encoding="utf-8")
    summary = run_batch(tmp_path / "in", tmp_path / "out", options=DEFAULT, timeout=10,
                        include_text=True, executor=SerialExecutor(hang_or_convert))
    assert {r.input: r.status for r in summary.records} == {"0/brev_00.txt": "ok",
                                                            "hang.txt": "timeout"}


def fail_to_convert(path: Path, relative: str, options: Options) -> str:
    """Fails every input, as a conversion that runs out of time or memory on a retry would."""
    from pipeline.errors import OcrError

    raise OcrError("Tesseract gave up")


def test_a_failed_reconversion_keeps_the_outputs_of_the_same_input(tmp_path: Path) -> None:
    # converting again (another format asked for) fails this time: the JSON in place is still
    # this version's conversion of this very input, so it stays ("nothing lost")
    write_txt_inputs(tmp_path / "in", 1)
    out = tmp_path / "out"
    run_batch(tmp_path / "in", out, options=DEFAULT, include_text=True, serial=True)
    target = out / "0" / "brev_00.json"
    before = target.read_bytes()
    summary = run_batch(tmp_path / "in", out, options=DEFAULT, include_text=True, serial=True,
                        formats=("alto",), worker=fail_to_convert)
    (record,) = summary.records
    assert record.status == "error" and "outputs from an earlier run are kept" in record.message
    assert summary.exit_code == 1
    assert target.read_bytes() == before


def test_a_crashing_worker_costs_one_record_not_the_batch(tmp_path: Path) -> None:
    names = write_txt_inputs(tmp_path / "in", 3)
    (tmp_path / "in" / "crash.txt").write_text("Krasch.\n", encoding="utf-8")
    summary = run_batch(tmp_path / "in", tmp_path / "out", options=DEFAULT, jobs=1,
                        include_text=True, worker=hang_or_convert)
    by_input = {r.input: r for r in summary.records}
    assert by_input["crash.txt"].status == "error"
    assert by_input["crash.txt"].message == "internal error: worker process killed by SIGSEGV"
    assert all(by_input[name].status == "ok" for name in names)


# --- what is read and where it is written ------------------------------------------------------


def test_walk_is_sorted_mirrored_and_skips_links(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    write_txt_inputs(inputs, 12)
    (inputs / "b.PDF").write_bytes(b"%PDF-1.4\n")
    (inputs / "a.txt").write_text("a\n", encoding="utf-8")
    (inputs / "a.pdf").write_bytes(b"%PDF-1.4\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4\n")
    (inputs / "link.pdf").symlink_to(outside / "secret.pdf")
    (inputs / "linked-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(inputs / "pipe.pdf")
    (inputs / "out").mkdir()
    (inputs / "out" / "old.pdf").write_bytes(b"%PDF-1.4\n")
    plan = plan_batch(inputs, inputs / "out", include_text=True)
    relatives = [item.relative for item in plan.inputs]
    assert relatives[:3] == ["0/brev_00.txt", "0/brev_01.txt", "0/brev_02.txt"]
    assert relatives[-4:] == ["1/brev_11.txt", "a.pdf", "a.txt", "b.PDF"]
    targets = {item.relative: item.target.relative_to(inputs / "out").as_posix()
               for item in plan.inputs}
    assert targets["1/brev_10.txt"] == "1/brev_10.json"
    assert targets["a.pdf"] == "a.pdf.json" and targets["a.txt"] == "a.txt.json"
    assert targets["b.PDF"] == "b.json"
    assert dict(plan.ignored) == {"link.pdf": "symbolic link, not followed",
                                  "linked-folder": "symbolic link, not followed",
                                  "pipe.pdf": "not a regular file"}
    assert "out/old.pdf" not in relatives
    assert plan == plan_batch(inputs, inputs / "out", include_text=True)  # stable


def test_never_writes_through_a_linked_output_folder(tmp_path: Path) -> None:
    write_txt_inputs(tmp_path / "in", 1)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "0").symlink_to(elsewhere, target_is_directory=True)
    summary = run_batch(tmp_path / "in", out, options=DEFAULT, jobs=1, include_text=True)
    assert summary.records[0].status == "error"
    assert "outside the output folder" in summary.records[0].message
    assert list(elsewhere.iterdir()) == []


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke(str(tmp_path / "missing"), "-o", str(tmp_path / "out"))[0] == 2
    assert invoke(str(tmp_path))[0] == 2
    assert invoke(str(tmp_path), "-o", str(tmp_path / "o"), "--jobs", "-1")[0] == 2


def test_empty_folder_exits_0(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    code, err = invoke(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert (tmp_path / "out" / MANIFEST_NAME).read_bytes() == b""


# --- progress ---------------------------------------------------------------------------------


def test_progress_bar_on_a_terminal_and_lines_elsewhere(tmp_path: Path) -> None:
    write_txt_inputs(tmp_path / "in", 3)
    (tmp_path / "in" / "bad.pdf").write_bytes(b"nej")
    streams = {}
    for tty in (True, False):
        stream = io.StringIO()
        run_batch(tmp_path / "in", tmp_path / f"out-{tty}", options=DEFAULT, jobs=1,
                  include_text=True, progress=StderrProgress(stream, tty=tty))
        streams[tty] = stream.getvalue()
    assert "\r" in streams[True] and "4/4 files" in streams[True] and "ETA" in streams[True]
    assert "1 failed" in streams[True]
    assert "error: bad.pdf: not a PDF" in streams[True]
    assert "\r" not in streams[False] and "\x1b" not in streams[False]
    assert "[4/4] error   bad.pdf: not a PDF" in streams[False]
    assert "[1/4] ok      0/brev_00.txt: 1 page" in streams[False]
    for text in streams.values():
        assert "pages by method" in text and "failed:" in text


# --- real-world PDFs ---------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("subset", ["wild", "sv"])
def test_corpus_every_file_ends_as_json_or_error_record(subset: str, tmp_path: Path) -> None:
    """Text layer only (--ocr never): the OCR path is tested elsewhere; this is robustness."""
    folder = shared_file(f"corpus/{subset}")
    before = tree_hashes(folder)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "batch", str(folder), "-o", str(out),
               "--ocr", "never", "--timeout", "60", "-q"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    records = {r["input"]: r for r in manifest_lines(out)}
    assert sorted(records) == sorted(n for n in before if n.lower().endswith(".pdf"))
    schema = json_schema()
    for name, record in records.items():
        if record["status"] == "ok":
            jsonschema.validate(json.loads((out / Path(name).with_suffix(".json")).read_text(
                "utf-8")), schema)
        else:
            assert record["message"]
    internal = {n: r["message"] for n, r in records.items()
                if str(r["message"]).startswith("internal error")}
    assert not internal, "unclear errors (bugs):\n" + "\n".join(
        f"{n}: {m}" for n, m in internal.items())
    no_temporaries(out)
    assert tree_hashes(folder) == before


def test_demo_summary_lists_documents_and_failures(tmp_path: Path) -> None:
    from pipeline.demo_summary import main as demo_main
    from pipeline.demo_summary import summarize

    write_txt_inputs(tmp_path / "in", 2)
    (tmp_path / "in" / "bad.pdf").write_bytes(b"nej")
    run_batch(tmp_path / "in", tmp_path / "out", options=DEFAULT, jobs=1, include_text=True)
    text = summarize(tmp_path / "out")
    lines = text.splitlines()
    assert lines[0].split() == ["file", "pages", "methods", "title", "sections", "words",
                                "repairs"]
    assert lines[1].startswith("0/brev_00.json") and "text-layer 1" in lines[1]
    assert "not converted (1):" in text and "bad.pdf: error: bad.pdf: not a PDF" in text
    assert demo_main([str(tmp_path / "missing")]) == 2


def pid_worker(path: Path, relative: str, options: Options) -> str:
    """A stand-in that only tells which process ran it (control flow of recycling)."""
    return json.dumps({"pages": [], "repairs": [], "text": str(os.getpid())})


@pytest.mark.parametrize(("limits", "expected_processes"),
                         [({"max_tasks_per_worker": 2}, 2), ({"max_worker_mb": 1}, 4)])
def test_workers_are_recycled_to_bound_memory(tmp_path: Path, limits: dict[str, int],
                                               expected_processes: int) -> None:
    from pipeline.batch.executors import WorkerPool

    write_txt_inputs(tmp_path / "in", 4)
    run_batch(tmp_path / "in", tmp_path / "out", options=DEFAULT, include_text=True,
              executor=WorkerPool(1, pid_worker, **limits))
    pids = {json.loads(p.read_text("utf-8"))["text"] for p in (tmp_path / "out").rglob("*.json")}
    assert len(pids) == expected_processes


def test_the_tail_of_a_batch_gives_its_spare_cores_to_the_last_files_ocr() -> None:
    """While files wait, one process each; the last files' OCR pages get the idle cores."""
    from pipeline.batch.executors import FileTask, _with_spare_cores

    task = FileTask(index=0, path="a.pdf", relative="a.pdf", options=Options(jobs=1), timeout=0)
    assert _with_spare_cores(task, jobs=8, busy=2, queued=10).options.jobs == 1
    assert _with_spare_cores(task, jobs=8, busy=2, queued=0).options.jobs == 6
    assert _with_spare_cores(task, jobs=8, busy=7, queued=0).options.jobs == 1
