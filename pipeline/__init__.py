"""newsletter-pipeline: archived newsletter PDFs into clean, structured, schema-valid JSON."""

from __future__ import annotations

from .convert import convert
from .errors import PipelineError
from .model import Document, json_schema, to_json
from .options import Options
from .repair import repair_text
from .version import __version__

__all__ = [
    "Document",
    "Options",
    "PipelineError",
    "__version__",
    "convert",
    "json_schema",
    "repair_text",
    "to_json",
]
