"""newsletter-pipeline: archived newsletter PDFs into clean, structured, schema-valid JSON."""

from __future__ import annotations

from .version import __version__

from .convert import convert  # noqa: E402
from .errors import PipelineError  # noqa: E402
from .model import Document, json_schema, to_json  # noqa: E402
from .options import Options  # noqa: E402
from .repair import repair_text  # noqa: E402

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
