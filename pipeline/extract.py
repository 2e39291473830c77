"""Extract stage (stub): the PDF's text layer with pdfplumber."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .layout import PageLayout


@dataclass(frozen=True, slots=True)
class PdfContent:
    pages: tuple[PageLayout, ...]
    info: dict[str, str] = field(default_factory=dict)  # document info: Title, CreationDate...


def read_pdf(path: str | Path, password: str | None = None) -> PdfContent:
    raise NotImplementedError
