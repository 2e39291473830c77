"""Batch progress on stderr: a one-line bar on a terminal, plain log lines otherwise, and the
summary table at the end. Nothing here goes to stdout, which stays free for output."""

from __future__ import annotations

import sys
import threading
import time
from typing import Protocol, TextIO

from .manifest import BatchSummary, ManifestRecord


class ProgressSink(Protocol):
    """What the batch reports while it runs."""

    def start(self, total: int) -> None: ...

    def advance(self, record: ManifestRecord) -> None: ...

    def note(self, text: str) -> None: ...

    def finish(self, summary: BatchSummary) -> None: ...


class NullProgress:
    """Reports nothing (the library's default)."""

    def start(self, total: int) -> None:
        pass

    def advance(self, record: ManifestRecord) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def finish(self, summary: BatchSummary) -> None:
        pass


def format_duration(seconds: float) -> str:
    """
    >>> format_duration(3725)
    '1h02m'
    >>> format_duration(75.4)
    '1m15s'
    >>> format_duration(4.26)
    '4.3s'
    """
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def short_message(record: ManifestRecord) -> str:
    """The record's message without the input's name, which the log line already shows."""
    prefix = record.input + ": "
    return record.message[len(prefix):] if record.message.startswith(prefix) else record.message


def failure_kind(record: ManifestRecord) -> str:
    """`error` or `timeout` for a file that failed whole; the formats that failed otherwise.

    >>> failure_kind(ManifestRecord("a.pdf", None, "ok", "", 1, {}, 0.0, "1",
    ...                             format_errors={"pdfa": "cannot be PDF/A-2b"}))
    'pdfa'
    """
    if record.status in ("error", "timeout") or not record.format_errors:
        return record.status
    return ",".join(sorted(record.format_errors))


class StderrProgress:
    """A bar that rewrites itself on a terminal; one line per finished file elsewhere.

    `tty` forces one mode or the other (tests); by default it follows `stream.isatty()`.
    On a terminal, failures are still printed as lines of their own above the bar.
    """

    BAR_WIDTH = 24

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None,
                 quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.quiet = quiet
        self.total = self.done = self.converted = self.pages = self.failed = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._bar_shown = False
        self._lock = threading.Lock()  # the ticker and the batch both write
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()
        if not self.tty and not self.quiet:
            self._line(f"batch: {total} input{'s' if total != 1 else ''}")
        self._draw(force=True)
        if self.tty and self._ticker is None:  # keep time, rate and ETA moving during long files
            self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self._draw(force=True)

    def advance(self, record: ManifestRecord) -> None:
        self.done += 1
        if record.status != "skipped":
            self.converted += 1
        if record.status in ("ok", "skipped"):
            self.pages += record.pages
        failed = record.status != "skipped" and record.failed
        self.failed += failed
        if self.tty:
            if failed:
                self._line(f"{failure_kind(record)}: {record.input}: {short_message(record)}")
            self._draw(force=self.done == self.total)
        elif not self.quiet or failed:
            width = len(str(self.total))
            detail = short_message(record) if record.status != "ok" or failed else (
                f"{record.pages} page{'s' if record.pages != 1 else ''}, {record.seconds:.1f}s")
            self._line(f"[{self.done:>{width}}/{self.total}] {record.status:<7} {record.input}"
                       + (f": {detail}" if detail else ""))

    def note(self, text: str) -> None:
        if not self.quiet:
            self._line(text)

    def finish(self, summary: BatchSummary) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            if self.tty and self._bar_shown:
                self.stream.write("\n")
                self._bar_shown = False
            self.stream.write(summary_table(summary))
            self.stream.flush()

    def status_line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        clock = format_duration(elapsed)
        rate = self.converted / elapsed
        remaining = self.total - self.done
        eta = format_duration(remaining / rate) if rate > 0 and remaining else "--"
        filled = int(self.BAR_WIDTH * self.done / self.total) if self.total else self.BAR_WIDTH
        bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
        return (f"[{bar}] {self.done}/{self.total} files, {self.pages} pages, "
                f"{rate:.2f} files/s, {clock}, ETA {eta}, {self.failed} failed")

    def _draw(self, force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        with self._lock:
            if self._stop.is_set() and not self._bar_shown:
                return
            self.stream.write("\r" + self.status_line() + "\x1b[K")
            self.stream.flush()
            self._bar_shown = True

    def _line(self, text: str) -> None:
        with self._lock:
            if self.tty and self._bar_shown:
                self.stream.write("\r\x1b[K")
            self.stream.write(text + "\n")
            self.stream.flush()
        if self.tty and self._bar_shown:
            self._draw(force=True)


def summary_table(summary: BatchSummary) -> str:
    """The end-of-batch table: files by status, pages by method, repairs, time, failures."""
    counts = summary.counts
    done = counts["ok"] + counts["error"] + counts["timeout"]
    rate = done / summary.seconds if summary.seconds > 0 else 0.0
    rows = [
        "",
        f"{'status':<10}{'files':>8}",
        *(f"{status:<10}{counts[status]:>8}" for status in ("ok", "error", "timeout", "skipped")),
        f"{'total':<10}{sum(counts.values()):>8}",
        "",
    ]
    methods = summary.pages_by_method
    if methods:
        rows.append(f"{'pages by method':<20}{'pages':>8}")
        rows.extend(f"  {method:<18}{pages:>8}" for method, pages in methods.items())
    rows.append(f"{'repairs made':<20}{summary.repairs:>8}")
    rows.append(f"{'time':<20}{format_duration(summary.seconds):>8}"
                + (f"  ({rate:.2f} files/s converted)" if done else ""))
    if summary.ignored:
        rows.append(f"{'ignored entries':<20}{len(summary.ignored):>8}  (links, special files)")
    if summary.failures:
        rows.append("")
        rows.append("failed:")
        rows.extend(f"  {failure_kind(r):<8}{r.input}: {short_message(r)}"
                    for r in summary.failures)
    if summary.previously_failed:
        rows.append("")
        rows.append(f"failed in an earlier run and skipped now ({len(summary.previously_failed)};"
                    " --retry-failed tries them again):")
        rows.extend(f"  {failure_kind(r):<8}{r.input}: {short_message(r)}"
                    for r in summary.previously_failed)
    if summary.output_dir is not None:
        rows.append("")
        rows.append(f"outputs in {summary.output_dir}, records in "
                    f"{summary.output_dir / 'manifest.jsonl'}"
                    + (f", documents in {summary.jsonl}" if summary.jsonl else ""))
    return "\n".join(rows) + "\n"
