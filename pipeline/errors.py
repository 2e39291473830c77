"""The package's own exceptions.

The library raises these; only the CLI turns them into a one-line message and an exit code.
The exit codes are a stable interface, listed in the README.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: every failure the pipeline reports on purpose."""

    exit_code: int = 10
    kind: str = "error"


class InputNotReadableError(PipelineError):
    """The input does not exist, is a folder, or cannot be read."""

    exit_code = 3
    kind = "not-readable"


class NotPdfError(PipelineError):
    """The input is not a PDF, or is too damaged to open (truncated, empty, zero pages)."""

    exit_code = 4
    kind = "not-a-pdf"


class EncryptedPdfError(PipelineError):
    """The PDF is encrypted and no (or a wrong) password was given."""

    exit_code = 5
    kind = "encrypted"


class MissingDependencyError(PipelineError):
    """Tesseract, or its Swedish or English data, is not installed."""

    exit_code = 6
    kind = "missing-dependency"


class OcrError(PipelineError):
    """Tesseract or the rasterizer failed on a page."""

    exit_code = 7
    kind = "ocr-failed"


class OutputError(PipelineError):
    """The output cannot be written: not writable, or it would overwrite the input."""

    exit_code = 9
    kind = "output"


class ResourceLimitError(NotPdfError):
    """The PDF exceeds a safety limit (pages, size, nesting) and is refused rather than risked."""

    kind = "too-large"


class ReviewFileError(InputNotReadableError):
    """A word list (--words) or decisions file (--decisions) cannot be read or is malformed."""

    kind = "review-file"
