"""Edits, the records they become, their replay, and the diff the CLI prints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import NamedTuple

#: Changes below this confidence are recorded as suggestions (applied=False), text unchanged.
APPLY_THRESHOLD = 0.6


class Edit(NamedTuple):
    """Replace text[offset : offset + len(before)] (in the text the stage was given) by `after`.

    A named tuple: a page may have hundreds of edits, and a tuple is the cheapest to make.
    """

    offset: int
    before: str
    after: str
    reason: str
    confidence: float


class RepairRecord(NamedTuple):
    """One change a stage made (or, when `applied` is false, only suggested): the fields of the
    output schema's `model.Repair`, which `convert` makes of it (``Repair(**r._asdict())``).

    A named tuple, not the schema model: a damaged page has hundreds of records, and a
    validated model costs about nine times as much to make (6 % of the repair's instructions
    on damaged text).
    """

    stage: str
    page: int
    offset: int
    before: str
    after: str
    reason: str
    confidence: float
    applied: bool = True


_OFFSET = itemgetter(0)  # an Edit's offset
#: An `Edit` from a tuple of all its fields (the tuple constructor, as `_record`).
make_edit = partial(tuple.__new__, Edit)
#: A `RepairRecord` from a tuple of all its fields: the tuple constructor itself, without the
#: named tuple's own ``__new__`` (a Python function; a damaged page makes hundreds of records).
_record = partial(tuple.__new__, RepairRecord)


@dataclass(frozen=True, slots=True)
class RepairResult:
    text: str
    records: list[RepairRecord] = field(default_factory=list)


def apply_edits(
    text: str,
    edits: Iterable[Edit],
    *,
    stage: str,
    page: int,
    threshold: float = APPLY_THRESHOLD,
) -> tuple[str, list[RepairRecord]]:
    """Apply non-overlapping edits left to right; record each with its replay offset.

    >>> t, rs = apply_edits("ar pa", [Edit(0, "ar", "är", "ä read as a", 0.9),
    ...                              Edit(3, "pa", "på", "å read as a", 0.5)], stage="x", page=1)
    >>> t, [(r.offset, r.after, r.applied) for r in rs]
    ('är pa', [(0, 'är', True), (3, 'på', False)])
    """
    parts: list[str] = []
    records: list[RepairRecord] = []
    position = 0  # in the stage's input
    shift = 0  # how much longer the text has grown so far
    for offset, before, after, reason, confidence in sorted(edits, key=_OFFSET):
        if offset < position or before == after or not text.startswith(before, offset):
            continue  # overlapping, stale (never apply a change we cannot replay) or no change
        applied = confidence >= threshold
        if not 0.0 <= confidence <= 1.0:
            confidence = min(1.0, max(0.0, confidence))
        records.append(
            _record((stage, page, offset + shift, before, after, reason, round(confidence, 3),
                     applied))
        )
        if applied:
            parts.append(text[position:offset])
            parts.append(after)
            position = offset + len(before)
            shift += len(after) - len(before)
    parts.append(text[position:])
    return "".join(parts), records


def replay(text: str, records: Sequence[RepairRecord]) -> str:
    """Apply the applied records in order to the unrepaired text: gives the repaired text.

    >>> replay("Malet ar", [RepairRecord(stage="d", page=1, offset=6, before="ar", after="är",
    ...                                  reason="ä read as a", confidence=0.9)])
    'Malet är'
    """
    for r in records:
        if not r.applied:
            continue
        if text[r.offset : r.offset + len(r.before)] != r.before:
            raise ValueError(f"record does not replay at offset {r.offset}: {r.before!r}")
        text = text[: r.offset] + r.after + text[r.offset + len(r.before) :]
    return text


def repair_diff(result: RepairResult | Sequence[RepairRecord]) -> str:
    """One line per change: page, before → after, stage, reason, confidence (suggestions marked).

    >>> print(repair_diff([RepairRecord(stage="diacritics", page=2, offset=0, before="bdsta",
    ...                                 after="bästa", reason="ä read as d", confidence=0.98)]))
    p2  bdsta → bästa  [diacritics] ä read as d (0.98)
    """
    records = result.records if isinstance(result, RepairResult) else result
    lines = []
    for r in records:
        mark = "" if r.applied else "  (suggestion, not applied)"
        before = r.before.replace("\n", "⏎")
        after = r.after.replace("\n", "⏎")
        lines.append(
            f"p{r.page}  {before} → {after}  [{r.stage}] {r.reason} ({r.confidence:.2f}){mark}"
        )
    return "\n".join(lines)
