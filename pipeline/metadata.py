"""Document metadata (stub)."""
from __future__ import annotations

from .model import Metadata
from .segment import Structure


def detect_metadata(structure: Structure, info: dict[str, str]) -> Metadata:
    return Metadata(title=structure.title)
