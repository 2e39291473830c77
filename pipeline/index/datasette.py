"""The metadata.json that makes Datasette show the index as a searchable archive.

`datasette archive.db -m metadata.json`: titles and descriptions, facets on date, type and
method, `blocks` searchable through `blocks_fts`, and two canned queries, `search` and
`search_folded` (the diacritic-folding index), that show each hit with its document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..outputs.atomic import write_atomically
from .schema import FOLDED_FTS_TABLE, FTS_TABLE

METADATA_NAME = "metadata.json"

_SEARCH_SQL = """select documents.title, documents.date, blocks.page, blocks.heading, blocks.type,
  snippet([{fts}], -1, '<b>', '</b>', '…', 16) as snippet, documents.path, blocks.id as block
from [{fts}]
join blocks on blocks.id = [{fts}].rowid
join documents on documents.id = blocks.document
where [{fts}] match :q
order by bm25([{fts}]), blocks.id
limit 100"""


def datasette_metadata(db_path: Path) -> dict[str, Any]:
    """Datasette's metadata for the index at db_path (its name is the file's stem)."""
    return {
        "title": "Newsletter archive",
        "description": "Newsletters converted by newsletter-pipeline, searchable by block. "
                       "Search keeps å, ä and ö apart; search_folded folds them (for OCR text "
                       "that lost its rings).",
        "databases": {db_path.stem: {
            "tables": {
                "documents": {
                    "description": "One row per converted document (its JSON's path).",
                    "facets": ["date", "method", "language"],
                    "sort_desc": "date",
                },
                "sections": {"description": "Headings in reading order, with their page."},
                "blocks": {
                    "description": "Paragraphs, list items, closings, signatures and table of "
                                   "contents entries, with their page, page method and heading.",
                    "facets": ["type", "method"],
                    "fts_table": FTS_TABLE,
                    "fts_pk": "id",
                    "searchmode": "escaped",
                    "label_column": "text",
                },
                "links": {"description": "Links found in the documents."},
                "repairs": {"description": "Every change the Swedish repair made or suggested.",
                            "facets": ["stage", "applied"]},
                "index_info": {"hidden": True},
            },
            "queries": {
                "search": {
                    "title": "Search (å, ä, ö kept apart)",
                    "sql": _SEARCH_SQL.format(fts=FTS_TABLE),
                },
                "search_folded": {
                    "title": "Search with diacritics folded (for finds för)",
                    "sql": _SEARCH_SQL.format(fts=FOLDED_FTS_TABLE),
                },
            },
        }},
    }


def write_datasette_metadata(db_path: Path) -> Path:
    """Write metadata.json beside db_path; returns its path."""
    target = db_path.parent / METADATA_NAME
    content = json.dumps(datasette_metadata(db_path), ensure_ascii=False, indent=2) + "\n"
    write_atomically(target, content)
    return target
