"""Query the index: bm25-ranked blocks with their document, page, heading and a snippet.

A query is words (all must occur, in any order) and "quoted phrases"; each word is quoted for
FTS5, so punctuation in a query is never FTS5 syntax. `raw=True` passes FTS5's own query syntax
(OR, NOT, NEAR, prefix*) through as it is.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputNotReadableError, PipelineError
from .schema import FOLDED_FTS_TABLE, FTS_TABLE

#: Marks around the matched words in a snippet.
HIGHLIGHT = ("**", "**")
SNIPPET_TOKENS = 16


class SearchError(PipelineError):
    """The query cannot be run (FTS5 syntax, with --raw)."""

    exit_code = 2
    kind = "bad-query"


@dataclass(frozen=True)
class Hit:
    document: str
    title: str | None
    date: str | None
    page: int
    heading: str | None
    type: str
    block: int
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_TERM = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(query: str) -> str:
    """The FTS5 form of a plain query: every word and "phrase" quoted, all of them required.

    >>> fts_query('för "brf granen" e-post')
    '"för" "brf granen" "e-post"'
    """
    terms = []
    for phrase, word in _TERM.findall(query):
        term = (phrase if phrase else word).replace('"', "")
        if term.strip():
            terms.append('"' + term + '"')
    return " ".join(terms)


def search(db_path: Path, query: str, *, folded: bool = False, limit: int = 20,
           raw: bool = False) -> list[Hit]:
    """The blocks matching query, best first (bm25; ties in the archive's order)."""
    if not db_path.is_file():
        raise InputNotReadableError(f"{db_path}: no such index database")
    table = FOLDED_FTS_TABLE if folded else FTS_TABLE
    match = query if raw else fts_query(query)
    if not match:
        return []
    start, end = HIGHLIGHT
    sql = f"""
        select documents.path, documents.title, documents.date, blocks.page, blocks.heading,
               blocks.type, blocks.id,
               snippet([{table}], -1, ?, ?, '…', {SNIPPET_TOKENS}) as snippet,
               bm25([{table}]) as score
        from [{table}]
        join blocks on blocks.id = [{table}].rowid
        join documents on documents.id = blocks.document
        where [{table}] match ?
        order by score, blocks.id
        limit ?
    """
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = connection.execute(sql, (start, end, match, limit)).fetchall()
    except sqlite3.DatabaseError as exc:
        if not _is_index(connection):
            raise InputNotReadableError(
                f"{db_path}: not an index made by `newsletter index`") from exc
        raise SearchError(f"cannot search for {query!r}: {exc}") from exc
    finally:
        connection.close()
    return [Hit(document=r[0], title=r[1], date=r[2], page=r[3], heading=r[4], type=r[5],
                block=r[6], snippet=r[7], score=round(r[8], 6)) for r in rows]


def _is_index(connection: sqlite3.Connection) -> bool:
    try:
        names = {row[0] for row in connection.execute("select name from sqlite_master")}
    except sqlite3.DatabaseError:
        return False
    return {FTS_TABLE, FOLDED_FTS_TABLE, "blocks", "documents"} <= names


def format_hit(hit: Hit) -> str:
    """Two lines for a person: where the hit is, then its snippet."""
    where = " · ".join(part for part in (
        hit.title or hit.document, hit.date, f"p. {hit.page}", hit.heading) if part)
    return f"{where}\n    {hit.snippet}"
