"""Build or update the index database from a folder of converted JSON documents.

Incremental: a document whose source sha256 and tool version (and the index format) are those
already indexed under the same path is left alone; a changed one is indexed anew; one whose JSON
is gone is removed. Each document is written in one transaction, so an interrupted run leaves a
consistent database, and running again finishes the work.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import InputNotReadableError, OutputError
from .datasette import write_datasette_metadata
from .schema import INDEX_FORMAT, create_schema

#: The tables that hang off `documents`, in the order their rows are removed.
CHILD_TABLES = ("blocks", "sections", "links", "repairs")


@dataclass
class IndexSummary:
    """What one run did; `skipped` names the JSON files that are not documents."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    blocks: int = 0
    skipped: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.removed} removed, {len(self.skipped)} skipped; {self.blocks} blocks "
                "indexed")


def document_files(output_dir: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, path) of every .json file under output_dir, in sorted order."""
    for path in sorted(output_dir.rglob("*.json")):
        if path.is_file():
            yield path.relative_to(output_dir).as_posix(), path


def read_document(path: Path) -> dict[str, Any] | None:
    """The parsed output document, or None when the file is not one (metadata.json, say)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        if not (isinstance(data["schema_version"], str) and data["source"]["sha256"]
                and data["tool"]["version"] and isinstance(data["sections"], list)):
            return None
    except (KeyError, TypeError):
        return None
    return data


def open_index(db_path: Path) -> sqlite_utils.Database:
    """The index database, its tables created when missing."""
    try:
        db = sqlite_utils.Database(db_path)
        # WAL with synchronous=NORMAL: a commit does not wait for the disk, and a crash (of the
        # process or the machine) still leaves a consistent database; only the last commits
        # may go.
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        create_schema(db)
    except sqlite3.DatabaseError as exc:  # not a database, read-only, a folder...
        raise OutputError(f"{db_path}: cannot open or create the index database: {exc}") \
            from exc
    return db


def build_index(
    output_dir: Path,
    db_path: Path,
    *,
    before_commit: Callable[[str], None] | None = None,
    now: Callable[[], str] | None = None,
) -> IndexSummary:
    """Index every document JSON under output_dir into db_path (created or updated), and
    write Datasette's metadata.json beside it.

    before_commit(path) runs inside each document's transaction, after its rows are written:
    an exception there rolls that document back and ends the run (the tests' interruption).
    """
    if not output_dir.is_dir():
        raise InputNotReadableError(f"{output_dir}: not a folder of converted documents")
    stamp = now or (lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    summary = IndexSummary()
    db = open_index(db_path)
    try:
        known = {row["path"]: row for row in db.query(
            "select id, path, sha256, tool_version, index_format from documents")}
        files = list(document_files(output_dir))
        present = {relative for relative, _ in files}
        for relative in sorted(set(known) - present):
            with db.atomic():
                _delete_document(db, known[relative]["id"])
            summary.removed += 1
        for relative, path in files:
            document = read_document(path)
            if document is None:
                summary.skipped.append(relative)
                continue
            before = known.get(relative)
            if before is not None and _same(before, document):
                summary.unchanged += 1
                continue
            with db.atomic():
                if before is not None:
                    _delete_document(db, before["id"])
                summary.blocks += _insert_document(db, relative, document, stamp())
                if before_commit is not None:
                    before_commit(relative)
            if before is None:
                summary.added += 1
            else:
                summary.updated += 1
        with db.atomic():
            db.table("index_info").upsert({"key": "index_format", "value": INDEX_FORMAT}, pk="key")
    finally:
        # back to a rollback journal: the database is one file again, to copy or open read-only
        if not db.conn.in_transaction:
            db.disable_wal()
        db.close()
    write_datasette_metadata(db_path)
    return summary


def _same(row: dict[str, Any], document: dict[str, Any]) -> bool:
    return (row["sha256"] == document["source"]["sha256"]
            and row["tool_version"] == document["tool"]["version"]
            and row["index_format"] == INDEX_FORMAT)


def _delete_document(db: sqlite_utils.Database, document_id: int) -> None:
    for table in CHILD_TABLES:
        db.execute(f"delete from [{table}] where document = ?", [document_id])
    db.execute("delete from documents where id = ?", [document_id])


def _next_id(db: sqlite_utils.Database, table: str) -> int:
    return int(db.execute(f"select coalesce(max(id), 0) + 1 from [{table}]").fetchone()[0])


def _insert_document(db: sqlite_utils.Database, relative: str, document: dict[str, Any],
                     indexed_at: str) -> int:
    """Write one document's rows; returns the number of blocks."""
    metadata = document.get("metadata") or {}
    page_methods = {page["number"]: page["method"] for page in document.get("pages", [])}
    methods = dict(sorted(Counter(page_methods.values()).items()))
    method = next(iter(methods)) if len(methods) == 1 else ("mixed" if methods else None)
    document_id = _next_id(db, "documents")
    section_id = _next_id(db, "sections")
    block_id = _next_id(db, "blocks")
    sections: list[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    for position, section in enumerate(document["sections"]):
        sections.append({"id": section_id, "document": document_id, "position": position,
                         "heading": section.get("heading"), "level": section.get("level"),
                         "page": section.get("page")})
        for block in section.get("blocks", []):
            bbox = block.get("bbox")
            blocks.append({
                "id": block_id, "document": document_id, "section": section_id,
                "position": len(blocks), "type": block.get("type"), "page": block.get("page"),
                "method": page_methods.get(block.get("page")), "heading": section.get("heading"),
                "text": block.get("text", ""), "bbox": None if bbox is None else json.dumps(bbox),
            })
            block_id += 1
        section_id += 1
    repairs = document.get("repairs", [])
    _insert(db, "documents", [{
        "id": document_id, "path": relative, "source_path": document["source"].get("path"),
        "sha256": document["source"]["sha256"], "tool_version": document["tool"]["version"],
        "index_format": INDEX_FORMAT, "title": metadata.get("title"),
        "date": metadata.get("date"), "issue": metadata.get("issue"),
        "language": metadata.get("language"), "pages": document["source"].get("pages"),
        "methods": json.dumps(methods), "method": method, "blocks": len(blocks),
        "repairs": len(repairs), "indexed_at": indexed_at,
    }])
    _insert(db, "sections", sections)
    _insert(db, "blocks", blocks)
    _insert(db, "links", [{"document": document_id, "url": link.get("url"),
                           "text": link.get("text"), "page": link.get("page")}
                          for link in document.get("links", [])])
    _insert(db, "repairs", [{
        "document": document_id, "position": position, "stage": r.get("stage"),
        "page": r.get("page"), "offset": r.get("offset"), "before": r.get("before"),
        "after": r.get("after"), "reason": r.get("reason"), "confidence": r.get("confidence"),
        "applied": int(bool(r.get("applied", True))),
    } for position, r in enumerate(repairs)])
    return len(blocks)


def _insert(db: sqlite_utils.Database, table: str, records: list[dict[str, Any]]) -> None:
    """Insert rows that share their keys (one prepared statement: sqlite-utils' insert_all
    inspects the table on every call, which was a third of the indexing time)."""
    if not records:
        return
    columns = list(records[0])
    sql = (f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"values ({', '.join('?' for _ in columns)})")
    db.conn.executemany(sql, [[record[c] for c in columns] for record in records])
