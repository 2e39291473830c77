"""Plain-text and Markdown renderings of a Document (the JSON is the contract; these are views)."""

from __future__ import annotations

from ..markers import item_prefix
from ..model import Document


def to_text(document: Document) -> str:
    """The document's clean text, as in its `text` field."""
    return document.text + ("\n" if document.text and not document.text.endswith("\n") else "")


def to_markdown(document: Document) -> str:
    """Headings as `#` by level, list items and table-of-contents entries (`- title … page`) as
    `- `, closing lines and signatures as paragraphs, consecutive table rows as one pipe table
    (under an empty header row: which row is the header, the PDF does not say)."""
    parts: list[str] = []
    for section in document.sections:
        if section.heading is not None:
            parts.append("#" * min(section.level or 2, 6) + " " + section.heading)
        items: list[str] = []
        rows: list[list[str]] = []
        for block in section.blocks:
            if block.type == "table_row":
                if items:
                    parts.append("\n".join(items))
                    items = []
                rows.append(block.cells if block.cells is not None else block.text.split("\t"))
                continue
            if rows:
                parts.append(_pipe_table(rows))
                rows = []
            if block.type == "list_item":  # a numbered item is one as printed (`1. …`)
                items.append(("- " if item_prefix(block.text) else "") + block.text)
                continue
            if block.type == "toc_entry":  # a table of contents reads as a list of its entries
                page = "" if block.target_page is None else f" … {block.target_page}"
                items.append("- " + block.text + page)
                continue
            if items:
                parts.append("\n".join(items))
                items = []
            parts.append(block.text)
        if items:
            parts.append("\n".join(items))
        if rows:
            parts.append(_pipe_table(rows))
    if document.links:
        parts.append("\n".join(f"<{link.url}>" for link in document.links))
    return "\n\n".join(parts) + "\n"



def _pipe_table(rows: list[list[str]]) -> str:
    """Rows of cells as a Markdown pipe table, `|` in a cell escaped.

    >>> print(_pipe_table([["Kassör:", "Per Lind"], ["Revisor:", "A|B"]]))
    |  |  |
    | --- | --- |
    | Kassör: | Per Lind |
    | Revisor: | A\\|B |
    """
    width = max(len(row) for row in rows)

    def line(cells: list[str]) -> str:
        cells = [" ".join(c.split()).replace("|", "\\|") for c in cells]
        return "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"

    return "\n".join([line([""] * width), line(["---"] * width),
                      *(line(row) for row in rows)])
