"""The index database's tables and full-text indexes, made with sqlite-utils.

Two FTS5 indexes over the same rows of `blocks` (columns `text` and `heading`):

- `blocks_fts`: tokenizer `unicode61 remove_diacritics 0`. unicode61 folds case (Å is å) but with
  diacritics kept, so å, ä and ö stay letters of their own: `för` does not find `for`, `här`
  does not find `har`. The default (`remove_diacritics 1`) would fold them, which in Swedish
  merges different words.
- `blocks_fts_folded`: tokenizer `unicode61 remove_diacritics 2`, which folds every diacritic
  (å, ä and ö become a, a and o): for OCR text that lost its rings and dots. `for` finds both.
"""

from __future__ import annotations

import sqlite_utils

#: Bumped when the tables or what goes into them change: every document is indexed anew.
INDEX_FORMAT = "1"

FTS_TABLE = "blocks_fts"
FOLDED_FTS_TABLE = "blocks_fts_folded"
TOKENIZERS = {
    FTS_TABLE: "unicode61 remove_diacritics 0",
    FOLDED_FTS_TABLE: "unicode61 remove_diacritics 2",
}
FTS_COLUMNS = ("text", "heading")


def create_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing: the tables, their keys and indexes, and the two FTS indexes."""
    db.execute("PRAGMA foreign_keys = ON")
    db.table("index_info").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("documents").create(
        {
            "id": int, "path": str, "source_path": str, "sha256": str, "tool_version": str,
            "index_format": str, "title": str, "date": str, "issue": str, "language": str,
            "pages": int, "methods": str, "method": str, "blocks": int, "repairs": int,
            "indexed_at": str,
        },
        pk="id", not_null={"path", "sha256", "tool_version"}, if_not_exists=True,
    )
    db.table("documents").create_index(["path"], unique=True, if_not_exists=True)
    db.table("sections").create(
        {"id": int, "document": int, "position": int, "heading": str, "level": int, "page": int},
        pk="id", foreign_keys=[("document", "documents", "id")], if_not_exists=True,
    )
    db.table("blocks").create(
        {
            "id": int, "document": int, "section": int, "position": int, "type": str,
            "page": int, "method": str, "heading": str, "text": str, "bbox": str,
        },
        pk="id",
        foreign_keys=[("document", "documents", "id"), ("section", "sections", "id")],
        if_not_exists=True,
    )
    db.table("links").create(
        {"id": int, "document": int, "url": str, "text": str, "page": int},
        pk="id", foreign_keys=[("document", "documents", "id")], if_not_exists=True,
    )
    db.table("repairs").create(
        {
            "id": int, "document": int, "position": int, "stage": str, "page": int,
            "offset": int, "before": str, "after": str, "reason": str, "confidence": float,
            "applied": int,
        },
        pk="id", foreign_keys=[("document", "documents", "id")], if_not_exists=True,
    )
    for table in ("sections", "blocks", "links", "repairs"):
        db.table(table).create_index(["document"], if_not_exists=True)
    for name, tokenize in TOKENIZERS.items():
        if not db[name].exists():
            _create_fts(db, name, tokenize)


def _create_fts(db: sqlite_utils.Database, name: str, tokenize: str) -> None:
    """An external-content FTS5 table over `blocks`, kept in step by triggers (the same SQL
    sqlite-utils' enable_fts writes, which can name only one index per table)."""
    columns = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    db.executescript(f"""
        CREATE VIRTUAL TABLE [{name}] USING FTS5 (
            {columns}, tokenize='{tokenize}', content=[blocks], content_rowid=[id]
        );
        CREATE TRIGGER [{name}_ai] AFTER INSERT ON [blocks] BEGIN
            INSERT INTO [{name}] (rowid, {columns}) VALUES (new.id, {new});
        END;
        CREATE TRIGGER [{name}_ad] AFTER DELETE ON [blocks] BEGIN
            INSERT INTO [{name}] ([{name}], rowid, {columns}) VALUES('delete', old.id, {old});
        END;
        CREATE TRIGGER [{name}_au] AFTER UPDATE ON [blocks] BEGIN
            INSERT INTO [{name}] ([{name}], rowid, {columns}) VALUES('delete', old.id, {old});
            INSERT INTO [{name}] (rowid, {columns}) VALUES (new.id, {new});
        END;
    """)
