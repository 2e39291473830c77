"""Decisions applied: a reviewer's accept, reject and correct on one page's repaired text.

Each decision names a record of the page's repairs (by its item id). The word it decided on is
followed from the record's offset through the page's later applied records to where it stands
in the repaired text, and changed there: an accepted suggestion gets its `after`, a rejected
repair its `before` back, a correction its typed text. Each change is a new record of stage
``review`` appended after the page's records, so the applied records still replay: replaying
them in order on the unrepaired page text gives the reviewed text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..repair.records import Edit, RepairRecord, apply_edits
from .decisions import Decision, item_id

log = logging.getLogger(__name__)
STAGE = "review"
REASONS = {"accept": "accepted by a reviewer", "reject": "rejected by a reviewer",
           "correct": "corrected by a reviewer"}


class RecordLike(Protocol):
    """A repair record: `RepairRecord`, or the output schema's `model.Repair`."""

    @property
    def stage(self) -> str: ...
    @property
    def page(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def before(self) -> str: ...
    @property
    def after(self) -> str: ...
    @property
    def applied(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A page's text with the decisions applied, their records, and the decisions that found
    no place (their record is not on the page, or a later change overlaps its word)."""

    text: str
    records: list[RepairRecord]
    unplaced: list[Decision]


def where_now(records: Sequence[RecordLike], index: int, text: str) -> tuple[int, str] | None:
    """Where the word of `records[index]` stands in `text` (the page after all `records`) and
    what it reads there: its `after` if applied, else its `before`; None when a later record
    changed part of it.

    >>> rs = [RepairRecord("d", 1, 0, "ar", "är", "", 0.9),
    ...       RepairRecord("d", 1, 3, "pa", "på", "", 0.5, False),
    ...       RepairRecord("s", 1, 0, "är", "Är", "", 0.9)]
    >>> where_now(rs, 1, "Är pa"), where_now(rs, 0, "Är pa")
    ((3, 'pa'), None)
    """
    record = records[index]
    word = record.after if record.applied else record.before
    position, end = record.offset, record.offset + len(word)
    for later in records[index + 1 :]:
        if not later.applied:
            continue
        if later.offset + len(later.before) <= position and not (
            later.offset == position and later.before == ""
        ):
            shift = len(later.after) - len(later.before)
            position, end = position + shift, end + shift
        elif later.offset >= end:
            continue
        else:
            return None
    return (position, word) if text[position:end] == word else None


def review_page(
    text: str, records: Sequence[RecordLike], decisions: Iterable[Decision], sha256: str,
    page: int,
) -> Reviewed:
    """Apply to one page's repaired `text` the `decisions` on its `records` (the page's
    repairs, in order, of the input with this sha256)."""
    wanted = {d.id: d for d in decisions if d.document == sha256 and d.page == page}
    if not wanted:
        return Reviewed(text, [], [])
    edits: list[Edit] = []
    placed: set[str] = set()
    for index, record in enumerate(records):
        decision = wanted.get(item_id(sha256, page, record.offset, record.before, record.after))
        if decision is None or decision.id in placed:
            continue
        found = where_now(records, index, text)
        if found is None:
            continue
        placed.add(decision.id)
        position, word = found
        if decision.action == "accept" and not record.applied:
            new = record.after
        elif decision.action == "reject" and record.applied:
            new = record.before
        elif decision.action == "correct":
            new = decision.correction or word
        else:
            continue  # accepting what is applied, rejecting what is not: nothing to change
        edits.append(Edit(position, word, new, REASONS[decision.action], 1.0))
    reviewed, made = apply_edits(text, edits, stage=STAGE, page=page, threshold=0.0)
    unplaced = [d for d in wanted.values() if d.id not in placed]
    for decision in unplaced:
        log.warning("page %d: decision %s (%s -> %s) finds no record to apply to", page,
                    decision.id, decision.before, decision.after)
    if reviewed.count("\n") != text.count("\n"):
        raise AssertionError("a review decision changed the number of lines")
    return Reviewed(reviewed, made, unplaced)
