"""The JSON contract, version 1: pydantic models that also give the published JSON Schema.

Field order is the order of the JSON output; nothing here depends on time or on the machine,
so the same input gives the same bytes. Additions within 1.x are optional fields only (and new
values of open lists such as a block's `type`); an optional field added in 1.1 or later is left
out of the output where it has no value, so a document without it reads as 1.0 wrote it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

SCHEMA_VERSION: Literal["1.1"] = "1.1"
SCHEMA_ID = "https://newsletter-pipeline.invalid/schema/document-1.1.json"

# 1.1 added toc_entry (an entry of a table of contents) and table_row (a row of a table)
BlockType = Literal["paragraph", "list_item", "closing", "signature", "toc_entry", "table_row"]
PageMethod = Literal["text-layer", "ocr"]
MediaType = Literal["application/pdf", "text/plain"]
BBox = tuple[float, float, float, float]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """The input file as it was read."""

    path: str = Field(description="The path as given on the command line or to convert().")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)
    pages: int = Field(ge=0)
    media_type: MediaType
    repaired: str | None = Field(
        None,
        description="How a damaged PDF that could not be read as it is was repaired in memory "
        "before reading (qpdf); the input file is never changed. null when read as it is.",
    )


class Metadata(_Strict):
    title: str | None = None
    language: str | None = Field(None, description="ISO 639-1 code of the main language.")
    date: str | None = Field(None, description="ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD).")
    issue: str | None = Field(None, description='Issue label as printed, e.g. "Nr 3/2022".')


class Page(_Strict):
    number: int = Field(ge=1)
    method: PageMethod
    reason: str = Field(description="Why this reading was chosen, for the archivist.")
    quality: float = Field(ge=0, le=1, description="How well the kept text reads, 0..1.")
    ocr_confidence: float | None = Field(None, ge=0, le=1)
    width: float | None = Field(None, description="PDF points.")
    height: float | None = Field(None, description="PDF points.")


class Block(_Strict):
    type: BlockType
    text: str
    page: int = Field(ge=1)
    bbox: BBox | None = Field(None, description="[x0, top, x1, bottom] in PDF points.")
    target_page: int | None = Field(
        None,
        ge=0,
        description="Since 1.1: for a toc_entry, the page number it gives, as printed; "
        "left out of the output where there is none.",
    )
    cells: list[str] | None = Field(
        None,
        description="Since 1.1: for a table_row, its cells left to right as printed (an empty "
        "string where the row has none); `text` is the cells joined by a tab. Left out of the "
        "output on other blocks.",
    )

    @model_serializer(mode="wrap")
    def _leave_out_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data: dict[str, object] = handler(self)
        for optional in ("target_page", "cells"):
            if data.get(optional) is None:
                data.pop(optional, None)
        return data


class Section(_Strict):
    heading: str | None = Field(description="None for what precedes the first heading.")
    level: int | None = Field(ge=1, description="1 is the title; None when heading is None.")
    page: int = Field(ge=1)
    blocks: list[Block]


class Link(_Strict):
    url: str
    text: str | None = None
    page: int = Field(ge=1)


class Repair(_Strict):
    """One change made (or, when `applied` is false, only suggested) by the repair stage.

    Records are in the order they were made. `offset` is the character offset, in the page's
    text as it stood just before this change, where `before` was replaced by `after`; replaying
    the applied records in order on the unrepaired page text gives the repaired page text.
    """

    stage: str
    page: int = Field(ge=1)
    offset: int = Field(ge=0)
    before: str
    after: str
    reason: str
    confidence: float = Field(ge=0, le=1)
    applied: bool = True


class Tool(_Strict):
    name: str = "newsletter-pipeline"
    version: str


class Document(_Strict):
    schema_version: Literal["1.1"] = SCHEMA_VERSION
    tool: Tool
    source: Source
    metadata: Metadata
    pages: list[Page]
    sections: list[Section]
    links: list[Link]
    repairs: list[Repair]
    text: str = Field(
        description="The whole clean document in reading order, blocks separated by a blank line."
    )


def json_schema() -> dict[str, object]:
    """The published JSON Schema of the output document."""
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


def to_json(document: Document) -> str:
    """Serialize deterministically: fixed field order, two-space indent, UTF-8, trailing newline."""
    return document.model_dump_json(indent=2) + "\n"
