"""Plain-text and Markdown renderings of a Document (the JSON is the contract; these are views)."""

from __future__ import annotations

from ..model import Document


def to_text(document: Document) -> str:
    """The document's clean text, as in its `text` field."""
    return document.text + ("\n" if document.text and not document.text.endswith("\n") else "")


def to_markdown(document: Document) -> str:
    """Headings as `#` by level, list items and table-of-contents entries (`- title … page`) as
    `- `, closing lines and signatures as paragraphs."""
    parts: list[str] = []
    for section in document.sections:
        if section.heading is not None:
            parts.append("#" * min(section.level or 2, 6) + " " + section.heading)
        items: list[str] = []
        for block in section.blocks:
            if block.type == "list_item":
                items.append("- " + block.text)
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
    if document.links:
        parts.append("\n".join(f"<{link.url}>" for link in document.links))
    return "\n\n".join(parts) + "\n"

