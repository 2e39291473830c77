"""Segment stage (stub)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .layout import PageLayout
from .model import Link, Section


@dataclass(frozen=True, slots=True)
class Structure:
    title: str | None
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    text: str = ""


def segment(pages: Sequence[PageLayout]) -> Structure:
    return Structure(title=None, text="\n".join(p.text for p in pages))
