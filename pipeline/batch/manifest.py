"""The records of a batch: one line of manifest.jsonl per input, and the batch's summary.

Plain data, shared by `batch` (which makes and writes them) and `progress` (which shows them), so
that the two import this module and not each other.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

RecordStatus = Literal["ok", "error", "timeout", "skipped"]
FAILED = ("error", "timeout")


@dataclass(frozen=True, slots=True)
class ManifestRecord:
    """One line of manifest.jsonl (`repairs` is an addition to the fields issue 5 names)."""

    input: str
    sha256: str | None
    status: RecordStatus
    message: str
    pages: int
    methods: dict[str, int]
    seconds: float
    tool_version: str
    repairs: int = 0
    formats: tuple[str, ...] = ()  # the outputs written ("json", "alto"); left out: JSON only
    #: sha256 of the reviewer's decisions on this input that were applied; left out: none
    decisions: str = ""
    #: sha256 of the archive word list (--words) it was converted with; left out: none
    words: str = ""
    #: format -> why it could not be made (a PDF that cannot be PDF/A-2b), for a file whose
    #: JSON and other formats are in place; left out: none failed
    format_errors: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Whether the file, or one of the formats asked for it, failed."""
        return self.status in FAILED or bool(self.format_errors)

    def to_line(self) -> bytes:
        data = asdict(self)
        if not data["formats"]:
            del data["formats"]
        else:
            data["formats"] = list(data["formats"])
        for name in ("decisions", "words", "format_errors"):
            if not data[name]:
                del data[name]
        try:
            return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not valid UTF-8
            return (json.dumps(data, ensure_ascii=True) + "\n").encode("ascii")

    @classmethod
    def from_json(cls, data: Any) -> ManifestRecord | None:
        """A record from a parsed line, or None when the line is not one of ours."""
        if not isinstance(data, dict):
            return None
        try:
            status = data["status"]
            if status not in ("ok", "error", "timeout", "skipped"):
                return None
            return cls(
                input=str(data["input"]), sha256=data.get("sha256"), status=status,
                message=str(data.get("message", "")), pages=int(data.get("pages") or 0),
                methods={str(k): int(v) for k, v in (data.get("methods") or {}).items()},
                seconds=float(data.get("seconds") or 0.0),
                tool_version=str(data.get("tool_version", "")),
                repairs=int(data.get("repairs") or 0),
                formats=tuple(str(f) for f in data.get("formats") or ()),
                decisions=str(data.get("decisions") or ""),
                words=str(data.get("words") or ""),
                format_errors={str(k): str(v)
                               for k, v in (data.get("format_errors") or {}).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


@dataclass
class BatchSummary:
    """What a batch did: one final record per input, in input order, and totals."""

    records: list[ManifestRecord] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    output_dir: Path | None = None
    jsonl: Path | None = None
    previously_failed: list[ManifestRecord] = field(default_factory=list)  # skipped this time

    def count(self, status: str) -> int:
        return sum(1 for r in self.records if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("ok", "error", "timeout", "skipped")}

    @property
    def failures(self) -> list[ManifestRecord]:
        """The files that failed in this run, whole or in one of their formats."""
        return [r for r in self.records if r.status != "skipped" and r.failed]

    @property
    def pages_by_method(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for record in self.records:
            if record.status == "ok":
                total.update(record.methods)
        return dict(sorted(total.items()))

    @property
    def repairs(self) -> int:
        return sum(r.repairs for r in self.records if r.status == "ok")

    @property
    def exit_code(self) -> int:
        """0 when every input is converted (now or before); 1 when any failed (now or before)."""
        return 1 if self.failures or self.previously_failed else 0
