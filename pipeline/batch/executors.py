"""Where each file's work runs: in this process, in worker processes we manage, or on Dask.

One interface (`Executor.run(tasks)` yields a `FileResult` per task, in the order they finish);
three implementations:

- `SerialExecutor`: in this process, for debugging (a debugger and prints work). A hung file is
  interrupted with SIGALRM, which cannot stop a loop inside C code; a crash ends the batch.
- `WorkerPool`: N long-lived worker processes that this process manages itself, so that a file
  that runs past its deadline can be ended (the worker's whole process group is killed, Tesseract
  included) and the worker replaced; a worker that dies (segfault, out of memory) costs one error
  record, not the batch. A worker is replaced after `max_tasks_per_worker` files, or sooner when
  its resident memory has grown past `max_worker_mb`, so memory per worker stays bounded.
  (`concurrent.futures.ProcessPoolExecutor` cannot end one running task, hence our own pool.)
- `DaskExecutor`: files are submitted to a Dask cluster; on the Dask worker each file runs in a
  child process with the same deadline (a Dask task cannot be interrupted, a child can be killed).

Workers never write files: they return the JSON text and the record, and the parent writes
outputs and the manifest, so a killed worker can never leave a partial file behind.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any, Literal, Protocol

from ..errors import MissingDependencyError, PipelineError
from ..limits import limit_memory
from ..options import Options
from ..source import file_sha256

Status = Literal["ok", "error", "timeout"]
MAX_MESSAGE = 500


@dataclass(frozen=True, slots=True)
class FileTask:
    """One input to convert. `path` is what the worker opens; `relative` is what outputs show."""

    index: int
    path: str
    relative: str
    options: Options
    timeout: float  # seconds; 0 or less means no limit
    max_memory_mb: int = 0  # the worker's address space while it converts this file; 0: none
    formats: tuple[str, ...] = ()  # outputs besides the JSON ("alto"), written beside it


@dataclass(frozen=True, slots=True)
class FileResult:
    """What a worker sends back: the JSON text (when ok) and what the manifest records."""

    index: int
    status: Status
    message: str = ""
    sha256: str | None = None
    json_text: str | None = None
    pages: int = 0
    methods: dict[str, int] = field(default_factory=dict)
    repairs: int = 0
    seconds: float = 0.0
    worker_rss_mb: int = 0  # the worker's resident memory after the file (pool workers only)
    outputs: dict[str, str | bytes] = field(default_factory=dict)  # format -> content, not JSON
    format_errors: dict[str, str] = field(default_factory=dict)  # format -> why it was not made


Worker = Callable[[Path, str, Options], str]
"""The per-file work: (path to read, path to show in the document, options) -> JSON text."""


def convert_to_json(path: Path, relative: str, options: Options) -> str:
    """The real per-file work: convert, then serialize with the input's path under INPUT_DIR.

    The document shows the relative path, not where the batch happened to find the folder, so
    that outputs do not depend on the machine (a Dask worker or a local pool give the same bytes).
    """
    from ..convert import convert
    from ..model import to_json

    document = convert(path, options)
    shown = relative.encode("utf-8", "backslashreplace").decode("utf-8")
    source = document.source.model_copy(update={"path": shown})
    return to_json(document.model_copy(update={"source": source}))


#: The outputs a batch can write beside each JSON, and their file suffixes
EXTRA_FORMATS = {"alto": ".alto.xml", "pdf": ".searchable.pdf"}
#: The searchable PDF as PDF/A-2b (`batch --formats pdf --pdfa`): same file, another name in
#: the manifest, so that a rerun can tell which of the two an earlier run wrote
PDFA = "pdfa"
SUFFIXES = {**EXTRA_FORMATS, PDFA: EXTRA_FORMATS["pdf"]}


def convert_to_outputs(
    path: Path, relative: str, options: Options, formats: tuple[str, ...]
) -> tuple[dict[str, str | bytes], dict[str, str]]:
    """`convert_to_json`, and each of `formats` (EXTRA_FORMATS, or "pdfa" for the searchable PDF
    as PDF/A-2b) from the same conversion: format -> text (bytes for the searchable PDF, which a
    text input has none of), the JSON under "json"; and format -> the one-line reason for each
    format that could not be made (a PDF that cannot be PDF/A-2b), which fails that format
    alone: the JSON and the other formats are made all the same."""
    from dataclasses import replace as replaced

    from ..convert import convert_with_pages
    from ..model import to_json
    from ..outputs.alto import to_alto

    conversion = convert_with_pages(path, options)
    shown = relative.encode("utf-8", "backslashreplace").decode("utf-8")
    source = conversion.document.source.model_copy(update={"path": shown})
    document = conversion.document.model_copy(update={"source": source})
    conversion = replaced(conversion, document=document)
    outputs: dict[str, str | bytes] = {"json": to_json(document)}
    errors: dict[str, str] = {}
    for fmt in formats:
        try:
            if fmt == "alto":
                outputs["alto"] = to_alto(conversion)
            elif fmt in ("pdf", PDFA) and document.source.media_type == "application/pdf":
                from ..outputs.searchable import to_searchable_pdf

                pdf = to_searchable_pdf(conversion, path.read_bytes(), options.password)
                if fmt == PDFA:
                    from ..outputs.pdfa import to_pdfa

                    pdf = to_pdfa(pdf)
                outputs[fmt] = pdf
        except PipelineError as exc:
            errors[fmt] = one_line(str(exc) or type(exc).__name__)
    return outputs, errors


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """A message fit for one manifest field and one log line.

    >>> one_line("Filen är trasig:\\n  rad 2")
    'Filen är trasig: rad 2'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def run_file(task: FileTask, worker: Worker = convert_to_json) -> FileResult:
    """Convert one file and never raise: every failure becomes a result with a one-line message."""
    start = time.perf_counter()
    path = Path(task.path)
    sha256: str | None = None
    with contextlib.suppress(OSError):  # an unreadable input is reported by the worker below
        sha256 = file_sha256(path)
    try:
        outputs: dict[str, str | bytes] = {}
        format_errors: dict[str, str] = {}
        if task.formats and worker is convert_to_json:
            outputs, format_errors = convert_to_outputs(path, task.relative, task.options,
                                                        task.formats)
            json_text = outputs.pop("json")
            assert isinstance(json_text, str)
            text = json_text
        else:
            text = worker(path, task.relative, task.options)
        document = json.loads(text)
        pages, methods, repairs = document_stats(document)
        note = str((document.get("source") or {}).get("repaired") or "")  # a PDF qpdf repaired
    except PipelineError as exc:
        message = str(exc) or type(exc).__name__
    except MemoryError:
        message = (f"too large: needs more than the {task.max_memory_mb} MB allowed per file "
                   "(--max-memory)" if task.max_memory_mb else "too large: out of memory")
    except Exception as exc:  # one bad file never stops the batch
        message = f"internal error: {type(exc).__name__}: {exc}"
    else:
        if format_errors:
            note = "; ".join([*([note] if note else []),
                              *(f"{fmt}: {why}" for fmt, why in sorted(format_errors.items()))])
        return FileResult(task.index, "ok", one_line(note), sha256, text, pages, methods, repairs,
                          round(time.perf_counter() - start, 3), outputs=outputs,
                          format_errors=format_errors)
    message = one_line(message.replace(task.path, task.relative))
    return FileResult(task.index, "error", message, sha256,
                      seconds=round(time.perf_counter() - start, 3))


def document_stats(document: str | dict[str, Any]) -> tuple[int, dict[str, int], int]:
    """Pages, pages by method and applied repairs of a JSON document (text or parsed)."""
    if isinstance(document, str):
        document = json.loads(document)
    assert isinstance(document, dict)
    pages = document.get("pages") or []
    methods = Counter(str(page.get("method")) for page in pages)
    repairs = sum(1 for r in document.get("repairs") or [] if r.get("applied", True))
    return len(pages), dict(sorted(methods.items())), repairs


def timeout_result(task: FileTask, seconds: float) -> FileResult:
    return FileResult(task.index, "timeout",
                      f"no result after {task.timeout:g} s; the worker was stopped",
                      seconds=round(seconds, 3))


class Executor(Protocol):
    """Runs file tasks and yields their results as they finish (not in input order)."""

    def run(self, tasks: Sequence[FileTask]) -> Iterator[FileResult]: ...

    def close(self) -> None: ...


# --- serial, in this process ---------------------------------------------------------------


class _Alarm(BaseException):  # not an Exception: run_file must not catch it
    pass


def _raise_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Alarm


class SerialExecutor:
    """Everything in this process, one file after the other: for debugging."""

    def __init__(self, worker: Worker = convert_to_json) -> None:
        self.worker = worker

    def run(self, tasks: Sequence[FileTask]) -> Iterator[FileResult]:
        can_alarm = hasattr(signal, "setitimer") and _in_main_thread()
        if tasks:
            warm_up()
        for task in tasks:
            start = time.perf_counter()
            if not (can_alarm and task.timeout > 0):
                yield run_file(task, self.worker)
                continue
            previous = signal.signal(signal.SIGALRM, _raise_alarm)
            signal.setitimer(signal.ITIMER_REAL, task.timeout)
            try:
                result = run_file(task, self.worker)
            except _Alarm:
                result = timeout_result(task, time.perf_counter() - start)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            yield result

    def close(self) -> None:
        pass


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


# --- a pool of worker processes that we manage ----------------------------------------------


def _limit_worker() -> None:
    """Settings every pool worker starts with (run_file_in_child does the like for Dask)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract single-threaded: files run in parallel
    with contextlib.suppress(OSError):
        os.setpgrp()  # its own process group, so that a kill reaches Tesseract children too
    if sys.platform.startswith("linux"):  # die with the parent, even when it is SIGKILLed
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def warm_up() -> None:
    """Build the costly caches (lexicon, language word lists) before the first file's clock runs."""
    with contextlib.suppress(Exception):
        from ..lexicon import load_lexicon

        load_lexicon()
    with contextlib.suppress(Exception):
        from ..metadata import detect_language

        detect_language("Vi önskar alla medlemmar en fin sommar och välkomna tillbaka i höst")


def _watch_batch(batch_pid: int) -> None:
    """End this worker (and its Tesseract) soon after the batch process dies, even by SIGKILL.

    The worker's parent is the fork server, not the batch, so PR_SET_PDEATHSIG is not enough.
    """
    import threading

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(batch_pid, 0)
            except ProcessLookupError:
                _kill_group(os.getpid())
                os._exit(1)
            except OSError:
                pass

    threading.Thread(target=watch, name="batch-watch", daemon=True).start()


def _worker_main(conn: multiprocessing.connection.Connection, worker: Worker,
                 batch_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the batch stops
    _limit_worker()
    _watch_batch(batch_pid)
    warm_up()
    try:
        conn.send(_READY)
    except OSError:
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        limit_memory(task.max_memory_mb)
        result = replace(run_file(task, worker), worker_rss_mb=_resident_mb())
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


_READY = "ready"


def _resident_mb() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // (1 << 20)
    except (OSError, ValueError, IndexError):
        return 0


@dataclass(eq=False)
class _Proc:
    process: Any  # multiprocessing.Process (context-specific class)
    conn: multiprocessing.connection.Connection
    done: int = 0
    task: FileTask | None = None
    started: float = 0.0


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # imported once in the fork server, so each new worker starts in milliseconds
        ctx.set_forkserver_preload(["pipeline.convert", "pipeline.batch.executors"])
        return ctx
    return multiprocessing.get_context("spawn")


class WorkerPool:
    """`jobs` worker processes; each file has a deadline, after which its worker is killed."""

    def __init__(self, jobs: int, worker: Worker = convert_to_json,
                 max_tasks_per_worker: int = 50, max_worker_mb: int = 1536) -> None:
        self.jobs = max(1, jobs)
        self.worker = worker
        self.max_tasks = max(1, max_tasks_per_worker)
        self.max_worker_mb = max_worker_mb  # a worker grown past this is replaced
        self._ctx = _context()
        self._procs: list[_Proc] = []

    def _start(self) -> _Proc:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_worker_main,
                                    args=(child_conn, self.worker, os.getpid()),
                                    name="newsletter-worker", daemon=False)
        process.start()
        child_conn.close()
        proc = _Proc(process, parent_conn)
        self._procs.append(proc)
        return proc

    def _stop(self, proc: _Proc, kill: bool) -> None:
        if kill:
            _kill_group(proc.process.pid)
        else:
            with contextlib.suppress(OSError):
                proc.conn.send(None)
        proc.process.join(timeout=None if kill else 5)
        if proc.process.is_alive():
            _kill_group(proc.process.pid)
            proc.process.join()
        proc.conn.close()
        self._procs.remove(proc)

    def run(self, tasks: Sequence[FileTask]) -> Iterator[FileResult]:
        pending = deque(tasks)
        # a worker is idle once it says it is ready: start-up and warm-up are not on a file's clock
        starting = [self._start() for _ in range(min(self.jobs, len(pending)))]
        idle: list[_Proc] = []
        busy: list[_Proc] = []
        try:
            while pending or busy:
                while pending and idle:
                    proc = idle.pop()
                    queued = pending.popleft()
                    proc.task = _with_spare_cores(queued, self.jobs, len(busy), len(pending))
                    proc.started = time.monotonic()
                    proc.conn.send(proc.task)
                    busy.append(proc)
                deadlines = [p.started + p.task.timeout for p in busy
                             if p.task is not None and p.task.timeout > 0]
                wait_s = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                watched = busy + starting
                handles: list[Any] = [p.conn for p in watched]
                handles += [p.process.sentinel for p in watched]
                ready = set(multiprocessing.connection.wait(handles, timeout=wait_s))
                for proc in list(starting):
                    if proc.conn in ready or proc.process.sentinel in ready:
                        starting.remove(proc)
                        try:
                            message = proc.conn.recv()
                        except (EOFError, OSError):
                            message = None
                        if message != _READY:
                            raise PipelineError("a worker process could not start: "
                                                + _death_message(proc.process))
                        idle.append(proc)
                now = time.monotonic()
                for proc in list(busy):
                    task = proc.task
                    assert task is not None
                    result: FileResult | None = None
                    killed = False
                    if proc.conn in ready or proc.process.sentinel in ready:
                        try:
                            result = proc.conn.recv()
                        except (EOFError, OSError):
                            proc.process.join(timeout=5)
                            result = FileResult(task.index, "error", _death_message(proc.process),
                                                seconds=round(now - proc.started, 3))
                            killed = True
                    elif task.timeout > 0 and now >= proc.started + task.timeout:
                        result = timeout_result(task, now - proc.started)
                        killed = True
                    if result is None:
                        continue
                    busy.remove(proc)
                    proc.task = None
                    proc.done += 1
                    retire = (proc.done >= self.max_tasks
                              or result.worker_rss_mb > self.max_worker_mb)
                    if killed or retire:
                        self._stop(proc, kill=killed)
                        if len(pending) > len(idle) + len(starting):
                            starting.append(self._start())
                    else:
                        idle.append(proc)
                    yield result
        finally:
            self.close()

    def close(self) -> None:
        for proc in list(self._procs):
            self._stop(proc, kill=proc.task is not None)


def _with_spare_cores(task: FileTask, jobs: int, busy: int, queued: int) -> FileTask:
    """Give a file the cores no queued file will use, for its OCR pages.

    While files wait, each runs in one process; at the tail of a batch the last files' scanned
    pages fan out over the cores that would otherwise stand idle (a worker is a process group,
    so a timeout still ends its OCR processes too). The output does not depend on it.
    """
    spare = jobs - busy - 1 - queued
    if spare <= 0 or task.options.jobs != 1:
        return task
    return replace(task, options=replace(task.options, jobs=1 + spare))


def _kill_group(pid: int | None) -> None:
    if pid is None:
        return
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


def _death_message(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"internal error: worker process killed by {signal.Signals(-code).name}"
        return f"internal error: worker process killed by signal {-code}"
    return f"internal error: worker process exited unexpectedly (exit code {code})"


# --- Dask --------------------------------------------------------------------------------------


#: The child's program. Not `-m pipeline.batch.executors`: the package `pipeline.batch` imports
#: this module before runpy would run it as __main__ (a RuntimeWarning on the child's stderr).
_CHILD = "from pipeline.batch.executors import _child_main; _child_main()"


def run_file_in_child(task: FileTask, worker: Worker = convert_to_json) -> FileResult:
    """Run one file in a child process with the task's deadline (what a Dask task does).

    The child runs `_child_main` (`_CHILD`): the task arrives pickled on stdin and the result
    leaves pickled on stdout. It runs in its own session, so a timeout kills Tesseract too.
    """
    start = time.monotonic()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    child = subprocess.Popen([sys.executable, "-c", _CHILD], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = child.communicate(pickle.dumps((task, worker)),
                                     timeout=task.timeout if task.timeout > 0 else None)
    except subprocess.TimeoutExpired:
        _kill_group(child.pid)
        child.communicate()
        return timeout_result(task, time.monotonic() - start)
    except BaseException:
        _kill_group(child.pid)
        child.communicate()
        raise
    try:
        result = pickle.loads(out)
    except Exception:
        tail = one_line(err.decode("utf-8", "replace")[-300:])
        return FileResult(task.index, "error",
                          f"internal error: worker process exited with code {child.returncode}"
                          + (f": {tail}" if tail else ""),
                          seconds=round(time.monotonic() - start, 3))
    assert isinstance(result, FileResult)
    return result


def _child_main() -> None:
    result_stream = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the result
    task, worker = pickle.loads(sys.stdin.buffer.read())
    limit_memory(task.max_memory_mb)
    result_stream.write(pickle.dumps(run_file(task, worker)))
    result_stream.flush()


class DaskExecutor:
    """Submits each file to a Dask cluster: `tcp://HOST:8786` (existing) or `local:N`."""

    def __init__(self, address: str, worker: Worker = convert_to_json) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise MissingDependencyError(
                "--dask needs dask.distributed: pip install 'newsletter-pipeline[dask]'"
            ) from exc
        self.worker = worker
        self._cluster: Any = None
        try:
            if address.startswith("local:"):
                count = address.partition(":")[2]
                workers = int(count) if count else (os.cpu_count() or 1)
                if workers < 1:
                    raise ValueError(count)
                self._cluster = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=40)
                self._client = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(address, timeout="20s")
        except ValueError as exc:
            raise PipelineError(f"--dask {address}: give tcp://HOST:PORT or local:N") from exc
        except OSError as exc:
            raise PipelineError(f"--dask {address}: cannot reach the cluster ({exc})") from exc

    def run(self, tasks: Sequence[FileTask]) -> Iterator[FileResult]:
        import distributed

        by_key: dict[str, FileTask] = {}
        futures = []
        for task in tasks:
            key = f"newsletter-file-{task.index}-{os.getpid()}-{time.monotonic_ns()}"
            by_key[key] = task
            futures.append(self._client.submit(run_file_in_child, task, self.worker, key=key,
                                               pure=False, retries=0))
        try:
            for future, value in distributed.as_completed(futures, with_results=True,
                                                          raise_errors=False):
                task = by_key[future.key]
                if isinstance(value, FileResult):
                    yield value
                else:  # the Dask worker itself died (KilledWorker) or the task failed
                    yield FileResult(task.index, "error", one_line(
                        f"internal error: {type(value).__name__}: {value}"))
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()


def make_executor(jobs: int, worker: Worker = convert_to_json, dask_address: str | None = None,
                  serial: bool = False) -> Executor:
    if dask_address:
        return DaskExecutor(dask_address, worker)
    if serial:
        return SerialExecutor(worker)
    return WorkerPool(jobs or available_cores(), worker)


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


if __name__ == "__main__":  # as `python -m pipeline.batch.executors`: results must pickle by the
    from pipeline.batch.executors import _child_main as child_main  # package's name, not __main__'s

    child_main()
