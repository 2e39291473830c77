"""The decisions file: what a reviewer decided about each uncertain repair.

A decisions file is UTF-8 JSON::

    {"format": "newsletter-review-decisions", "version": 1,
     "decisions": [{"id": "3f9c0a...", "document": "<input sha256>", "page": 2,
                    "offset": 118, "before": "Bjorkas", "after": "Björkås",
                    "action": "reject", "correction": null}]}

Each decision names one record of a document's ``repairs[]`` by its item id (`item_id`: from
the input's sha256, the page, the record's offset and its text before and after), which stays
the same across runs of the same tool on the same input. `action` is ``accept`` (apply a
suggestion), ``reject`` (undo a repair) or ``correct`` (put `correction` in the word's place).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import ReviewFileError

FORMAT = "newsletter-review-decisions"
VERSION = 1
Action = Literal["accept", "reject", "correct"]
ACTIONS: tuple[Action, ...] = ("accept", "reject", "correct")


def item_id(sha256: str, page: int, offset: int, before: str, after: str) -> str:
    """The id of one repair record of one input: 16 hex digits, the same on every run.

    >>> item_id("0" * 64, 1, 6, "ar", "är")
    'd41ffb393a0a7469'
    """
    key = "\x1f".join((sha256, str(page), str(offset), before, after))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewer's decision on one repair record (a suggestion or an applied repair)."""

    id: str
    document: str
    page: int
    offset: int
    before: str
    after: str
    action: Action
    correction: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "document": self.document, "page": self.page,
                "offset": self.offset, "before": self.before, "after": self.after,
                "action": self.action, "correction": self.correction}


def parse_decisions(data: Any, origin: str = "decisions") -> tuple[Decision, ...]:
    """The decisions of a parsed decisions file (or of a bare list of decisions).

    The id is worked out again from the other fields; a file whose id disagrees was made for
    another record, and is refused.
    """
    items = data.get("decisions") if isinstance(data, dict) else data
    if isinstance(data, dict) and data.get("format", FORMAT) != FORMAT:
        raise ReviewFileError(f"{origin}: not a decisions file (format {data.get('format')!r})")
    if not isinstance(items, list):
        raise ReviewFileError(f"{origin}: no list of decisions")
    decisions = []
    for number, item in enumerate(items, 1):
        try:
            action = item["action"]
            correction = item.get("correction")
            decision = Decision(
                id=str(item.get("id") or ""), document=str(item["document"]),
                page=int(item["page"]), offset=int(item["offset"]), before=str(item["before"]),
                after=str(item["after"]), action=action,
                correction=None if correction is None else str(correction),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReviewFileError(f"{origin}: decision {number}: missing or bad {exc}") from exc
        expected = item_id(decision.document, decision.page, decision.offset, decision.before,
                           decision.after)
        if action not in ACTIONS:
            raise ReviewFileError(f"{origin}: decision {number}: unknown action {action!r}")
        if action == "correct" and not decision.correction:
            raise ReviewFileError(f"{origin}: decision {number}: correct without a correction")
        if decision.correction is not None and "\n" in decision.correction:
            raise ReviewFileError(f"{origin}: decision {number}: a correction is one line")
        if decision.id and decision.id != expected:
            raise ReviewFileError(f"{origin}: decision {number}: id {decision.id} does not "
                                  "match its document, page, offset and text")
        decisions.append(Decision(**{**decision.to_json(), "id": expected}))
    return tuple(sorted(decisions, key=lambda d: (d.document, d.page, d.offset, d.id)))


def read_decisions(path: str | Path) -> tuple[Decision, ...]:
    """The decisions of a decisions file (`parse_decisions`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReviewFileError(f"{path}: cannot read the decisions: {exc}") from exc
    return parse_decisions(data, str(path))


def format_decisions(decisions: Iterable[Decision]) -> str:
    """A decisions file's text (sorted, two-space indent, trailing newline)."""
    items = sorted(decisions, key=lambda d: (d.document, d.page, d.offset, d.id))
    data = {"format": FORMAT, "version": VERSION, "decisions": [d.to_json() for d in items]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def decisions_digest(decisions: Iterable[Decision], document: str | None = None) -> str:
    """sha256 of the decisions (of one document's, when `document` is its sha256) in file form;
    the batch manifest records it, so a rerun reconverts the files whose decisions changed."""
    chosen = [d for d in decisions if document is None or d.document == document]
    return hashlib.sha256(format_decisions(chosen).encode("utf-8")).hexdigest()
