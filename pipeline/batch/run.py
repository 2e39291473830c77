"""Batch conversion of a folder tree: walk, plan, resume, convert in parallel, record.

The parent process alone writes files. For each finished input it first puts the JSON in place
(temporary file in the same folder, fsync, rename, fsync of the folder), then appends one line to
OUTPUT_DIR/manifest.jsonl and fsyncs it. Killed at any moment, a rerun therefore finds for each
input either nothing (it is converted again), the JSON and its record (skipped), or the JSON
without its record (recognized by the sha256 and tool version inside it, recorded, not redone).
A line cut short by the kill is ignored when the manifest is read.

Resume rules, by input (its sha256 and the tool version must match the earlier run's):
- converted before and the JSON is there: skipped;
- failed before (error or timeout): skipped, unless `retry_failed`;
- otherwise converted (again).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InputNotReadableError, OutputError
from ..limits import default_max_memory_mb
from ..options import Options
from ..review.decisions import decisions_digest
from ..review.words import words_digest
from ..source import TEXT_SUFFIXES, file_sha256
from ..version import __version__
from .executors import (
    EXTRA_FORMATS,
    PDFA,
    SUFFIXES,
    Executor,
    FileResult,
    FileTask,
    Worker,
    available_cores,
    convert_to_json,
    document_stats,
    make_executor,
)
from .manifest import FAILED, BatchSummary, ManifestRecord
from .plan import BatchInput, plan_batch
from .progress import NullProgress, ProgressSink

MANIFEST_NAME = "manifest.jsonl"
# our own temporary files, as output.write_atomically names them: ".NAME.json.RANDOM.tmp"
_TEMP_PATTERN = re.compile(r"^\..+\.(?:json|alto\.xml|searchable\.pdf)\.[A-Za-z0-9_]+\.tmp$")


# --- the manifest -----------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, ManifestRecord]:
    """The latest deciding record (ok, error, timeout: not skipped) of each input.

    Lines that do not parse (a line cut short by a kill, say) are ignored.
    """
    latest: dict[str, ManifestRecord] = {}
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return latest
    except OSError as exc:
        raise OutputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    for line in raw.splitlines():
        try:
            record = ManifestRecord.from_json(json.loads(line))
        except ValueError:  # also UnicodeDecodeError
            continue
        if record is not None and record.status != "skipped":
            latest[record.input] = record
    return latest


class ManifestWriter:
    """Appends records to manifest.jsonl; each line is written whole and fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
        self._lock()
        try:
            size = os.fstat(self._fd).st_size
            if size:
                with open(path, "rb") as handle:
                    handle.seek(size - 1)
                    if handle.read(1) != b"\n":  # a line cut short: end it, it is skipped on read
                        os.write(self._fd, b"\n")
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc

    def _lock(self) -> None:
        """One batch at a time per output folder: two would interleave their records."""
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._fd)
            raise OutputError(f"{self.path.parent}: another batch is writing here") from exc

    def append(self, record: ManifestRecord) -> None:
        line = record.to_line()
        try:
            written = os.write(self._fd, line)
            while written < len(line):
                written += os.write(self._fd, line[written:])
            os.fsync(self._fd)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from exc

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def format_target(target: Path, fmt: str) -> Path:
    """Where an output besides the JSON goes: beside it, `jul.json` -> `jul.alto.xml`."""
    return target.with_suffix(SUFFIXES[fmt])


# --- writing outputs --------------------------------------------------------------------------


def write_output(target: Path, content: str | bytes, output_root: Path) -> None:
    """Write a JSON atomically, refusing any place outside OUTPUT_DIR (a linked sub-folder)."""
    from ..outputs.atomic import write_atomically

    folder = target.parent
    existing = next(p for p in (folder, *folder.parents) if p.exists() or p == p.parent)
    if not existing.resolve().is_relative_to(output_root):
        raise OutputError(f"{target}: would be written outside the output folder; refused")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create ({exc.strerror or exc})") from exc
    if not folder.resolve().is_relative_to(output_root):
        raise OutputError(f"{target}: would be written outside the output folder; refused")
    write_atomically(target, content, sync_folder=True)


def remove_stale_temporaries(output_dir: Path) -> int:
    """Remove the temporary files a killed run left behind (only ours, by their name)."""
    removed = 0
    for folder, _dirs, files in os.walk(output_dir, followlinks=False):
        for name in files:
            if _TEMP_PATTERN.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
    return removed


def output_identity(target: Path) -> tuple[str | None, str | None, dict[str, Any] | None]:
    """(sha256, tool version, document) of an existing output JSON, or Nones when unusable."""
    try:
        document = json.loads(target.read_text(encoding="utf-8"))
        return document["source"]["sha256"], document["tool"]["version"], document
    except (OSError, ValueError, KeyError, TypeError):
        return None, None, None


# --- the batch --------------------------------------------------------------------------------


def run_batch(
    input_dir: Path,
    output_dir: Path,
    *,
    options: Options,
    jobs: int = 0,
    timeout: float = 300,
    retry_failed: bool = False,
    include_text: bool = False,
    dask_address: str | None = None,
    jsonl: Path | None = None,
    progress: ProgressSink | None = None,
    worker: Worker = convert_to_json,
    executor: Executor | None = None,
    serial: bool = False,
    max_memory: int | None = None,
    formats: tuple[str, ...] = (),
) -> BatchSummary:
    """Convert every PDF (and `.txt` with `include_text`) under `input_dir` into `output_dir`.

    `jobs` worker processes (0: all cores; each file's own work runs in one process), or a Dask
    cluster with `dask_address` ("tcp://HOST:8786" or "local:N"). `timeout` seconds per file
    (0: none). `worker` replaces the per-file work (tests use it to prove the timeout path);
    `executor` replaces the executor; `serial` runs everything in this process (debugging).
    `max_memory` MB of address space per worker process (0: no limit; None: each worker's share
    of three quarters of the machine's memory; not applied with `serial`).
    `formats` are outputs besides the JSON (`EXTRA_FORMATS`: "alto", "pdf"; "pdfa" for the
    searchable PDF as PDF/A-2b), each written atomically beside it before the JSON itself; an
    input converted before without one of them (its file missing, or its earlier record not
    listing it: a plain PDF where PDF/A is asked) is converted again.
    Raises OutputError when OUTPUT_DIR cannot be written; every per-file failure is a record.
    """
    started = time.monotonic()
    progress = progress or NullProgress()
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise InputNotReadableError(f"{input_dir}: not a folder")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{output_dir}: cannot create ({exc.strerror or exc})") from exc
    output_root = output_dir.resolve()
    file_options = replace(options, jobs=1)  # parallel across files; one process per file
    memory = _memory_per_worker(max_memory, jobs, dask_address)

    manifest = ManifestWriter(output_dir / MANIFEST_NAME)  # also the lock
    try:
        remove_stale_temporaries(output_dir)
        plan = plan_batch(input_dir, output_dir, include_text=include_text)
        summary = BatchSummary(ignored=list(plan.ignored), output_dir=output_dir, jsonl=jsonl)
        for relative, why in plan.ignored:
            progress.note(f"ignored {relative}: {why}")
        previous = read_manifest(output_dir / MANIFEST_NAME)
        final: dict[int, ManifestRecord] = {}
        documented: set[int] = set()  # inputs whose JSON is in place at the end
        progress.start(len(plan.inputs))
        todo: list[FileTask] = []
        for index, item in enumerate(plan.inputs):
            record = _resume_record(item, previous.get(item.relative), retry_failed, formats,
                                    options)
            if record is None:
                todo.append(FileTask(index, str(item.path), item.relative, file_options, timeout,
                                     memory, formats))
                continue
            manifest.append(record)
            final[index] = record
            before = previous.get(item.relative)
            if record.status == "skipped" and before is not None and before.status in FAILED:
                summary.previously_failed.append(before)  # no JSON of it to list
            else:
                documented.add(index)
                if record.status == "skipped" and record.format_errors:
                    summary.previously_failed.append(record)  # a format of it failed before
            progress.advance(record)
        # biggest first (size stands in for pages and scans): a big scan started last would keep
        # one core busy long after the others ran out of work
        todo.sort(key=lambda task: -_size(task.path))
        if todo:
            runner = executor or make_executor(jobs, worker, dask_address, serial)
            try:
                for result in runner.run(todo):
                    item = plan.inputs[result.index]
                    record = _finish(item, result, output_root, options)
                    manifest.append(record)
                    final[result.index] = record
                    if record.status == "ok":
                        documented.add(result.index)
                    progress.advance(record)
            finally:
                runner.close()
    finally:
        manifest.close()
    summary.records = [final[i] for i in sorted(final)]
    if jsonl is not None:
        _write_jsonl(jsonl, [plan.inputs[i].target for i in sorted(documented)])
    summary.seconds = round(time.monotonic() - started, 3)
    progress.finish(summary)
    return summary


def _memory_per_worker(max_memory: int | None, jobs: int, dask_address: str | None) -> int:
    """MB of address space each worker may use: as asked, or its share of the machine's."""
    if max_memory is not None:
        return max(0, max_memory)
    workers = jobs or available_cores()
    if dask_address and dask_address.startswith("local:"):
        count = dask_address.partition(":")[2]
        workers = int(count) if count.isdigit() and int(count) > 0 else available_cores()
    return default_max_memory_mb(workers)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _decided(options: Options | None, sha256: str | None) -> str:
    """The digest of the reviewer's decisions on the input with this sha256 ("" for none)."""
    if options is None or sha256 is None or not options.decisions:
        return ""
    if not any(d.document == sha256 for d in options.decisions):
        return ""
    return decisions_digest(options.decisions, sha256)


def _words(options: Options | None) -> str:
    """The digest of the archive word list the batch runs with ("" for none)."""
    if options is None or not options.words:
        return ""
    return words_digest(options.words)


def _resume_record(item: BatchInput, before: ManifestRecord | None,
                   retry_failed: bool, formats: tuple[str, ...] = (),
                   options: Options | None = None) -> ManifestRecord | None:
    """The record of an input that need not be converted again, or None to convert it (also
    when the reviewer's decisions on it differ from those its output was made with)."""
    has_output = item.target.is_file() and not item.target.is_symlink()
    wanted = [f for f in formats if f != "pdf" or item.path.suffix.lower() not in TEXT_SUFFIXES]
    missing = [f for f in wanted if not format_target(item.target, f).is_file()]
    failed = {} if retry_failed else _failed_before(missing, before)
    present = [f for f in wanted if f not in failed]
    if has_output and any(f in missing for f in present):
        return None  # an output asked for now is missing: convert again, every format
    if has_output and _unrecorded(present, before):
        return None  # e.g. a plain searchable PDF in place where PDF/A is asked now: again
    if before is None and not has_output:
        return None
    try:
        sha256 = file_sha256(item.path)
    except OSError:
        return None  # the worker reports why it cannot be read
    if has_output:
        out_sha, out_version, document = output_identity(item.target)
        if out_sha == sha256 and out_version == __version__ and document is not None:
            pages, methods, repairs = document_stats(document)
            decided = _decided(options, sha256)
            if before is not None and before.status == "ok" and before.sha256 == sha256 \
                    and before.tool_version == __version__:
                if before.decisions != decided or before.words != _words(options):
                    return None  # the decisions on it or the word list changed: again
                if failed:
                    why = "; ".join(f"{f}: {m}" for f, m in sorted(failed.items()))
                    return ManifestRecord(
                        item.relative, sha256, "skipped",
                        f"failed before ({why}); --retry-failed tries again", pages, methods,
                        0.0, __version__, repairs,
                        _formats(tuple(f for f in formats if f not in failed), True), decided,
                        _words(options), failed)
                return ManifestRecord(item.relative, sha256, "skipped",
                                      "unchanged since it was converted", pages, methods, 0.0,
                                      __version__, repairs, _formats(formats), decided,
                                      _words(options))
            if decided or _words(options):
                return None  # which decisions or words that output has is not recorded
            # the JSON was put in place but the run was killed before its record was written
            return ManifestRecord(item.relative, sha256, "ok",
                                  "recorded now: converted by an interrupted run", pages, methods,
                                  0.0, __version__, repairs, _formats(formats))
    if before is not None and before.status in FAILED and not retry_failed \
            and before.sha256 == sha256 and before.tool_version == __version__:
        return ManifestRecord(item.relative, sha256, "skipped",
                              f"failed before ({before.status}: {before.message}); "
                              "--retry-failed tries again",
                              0, {}, 0.0, __version__)
    return None


def _failed_before(missing: list[str], before: ManifestRecord | None) -> dict[str, str]:
    """The formats missing now because they failed in the earlier run that converted the file
    (format -> why), when every missing one did; else none (convert again)."""
    if not missing or before is None or before.status != "ok":
        return {}
    if not set(missing) <= set(before.format_errors):
        return {}
    return {f: before.format_errors[f] for f in missing}


def _unrecorded(wanted: list[str], before: ManifestRecord | None) -> bool:
    """Whether the earlier run's record does not list a format asked for now. With no record
    (a run killed between its outputs and its record) only PDF/A is in doubt: the file in place
    may be the plain searchable PDF."""
    if before is None:
        return PDFA in wanted
    return before.status == "ok" and not set(wanted) <= set(before.formats)


def _finish(item: BatchInput, result: FileResult, output_root: Path,
            options: Options | None = None) -> ManifestRecord:
    """Put the outputs made and the JSON in place (when ok), then return the record to append.
    A format that could not be made leaves no file of its name (an earlier one would be
    mistaken for it) and is recorded in `format_errors`; the JSON and the other formats stay."""
    sha256 = result.sha256
    if sha256 is None:
        with contextlib.suppress(OSError):
            sha256 = file_sha256(item.path)
    status, message = result.status, result.message
    if status == "ok" and result.json_text is not None:
        try:  # the other formats first: a JSON in place says its outputs are complete
            for fmt, text in sorted(result.outputs.items()):
                write_output(format_target(item.target, fmt), text, output_root)
            made = {format_target(item.target, f) for f in result.outputs}
            for fmt in sorted(result.format_errors):
                _remove(format_target(item.target, fmt), keep=made)
            write_output(item.target, result.json_text, output_root)
        except OutputError as exc:
            status, message = "error", str(exc)
    if status != "ok":
        if _own_output(item.target, sha256):
            # outputs this version made of this very input (a retry that failed this time):
            # still true, so they stay
            message = f"{message} (its outputs from an earlier run are kept)"
        else:
            # an output from another version of this input would now be mistaken for its result
            for stale in (item.target, *(format_target(item.target, f) for f in EXTRA_FORMATS)):
                _remove(stale)
    ok = status == "ok"
    return ManifestRecord(item.relative, sha256, status, message,
                          result.pages if ok else 0, result.methods if ok else {},
                          result.seconds, __version__, result.repairs if ok else 0,
                          _formats(tuple(result.outputs), bool(result.format_errors))
                          if ok else (),
                          _decided(options, sha256) if ok else "",
                          _words(options) if ok else "",
                          dict(result.format_errors) if ok else {})


def _remove(path: Path, keep: set[Path] | None = None) -> None:
    if path not in (keep or set()) and path.is_file() and not path.is_symlink():
        with contextlib.suppress(OSError):
            path.unlink()


def _own_output(target: Path, sha256: str | None) -> bool:
    """Whether the JSON in place is this tool version's conversion of the input with `sha256`."""
    if sha256 is None or not target.is_file() or target.is_symlink():
        return False
    out_sha, out_version, _ = output_identity(target)
    return out_sha == sha256 and out_version == __version__


def _formats(extra: tuple[str, ...], asked: bool = False) -> tuple[str, ...]:
    """The formats a record lists: none when only the JSON was asked for (as before formats);
    `asked`: more was asked for, though none of it was made."""
    return ("json", *sorted(extra)) if extra or asked else ()


def _write_jsonl(path: Path, targets: list[Path]) -> None:
    """Every document of the batch as one line, in input order (skipped ones included)."""
    from ..outputs.atomic import write_atomically

    lines = []
    for target in targets:
        try:
            document = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        lines.append(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    write_atomically(Path(path), "".join(lines))
