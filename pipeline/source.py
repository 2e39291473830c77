"""Reading the input file: its bytes, fingerprint and kind. The input is never modified."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputNotReadableError, NotPdfError
from .model import MediaType

TEXT_SUFFIXES = frozenset({".txt", ".text"})
#: The input name that means standard input (as `-o -` means standard output).
STDIN = "-"


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str  # as given
    data: bytes
    sha256: str
    media_type: MediaType
    on_disk: bool = True  # False for standard input: the PDF is `data`, there is no file


def file_sha256(path: Path) -> str:
    """The sha256 of a file on disk, read in chunks (a batch fingerprints inputs it may skip)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_source(path: str | Path) -> SourceFile:
    """Read an input and decide whether it is a PDF or already-extracted text.

    A `.txt` file is text; anything else must start like a PDF (`%PDF-` in its first KiB).
    """
    p = Path(path)
    if not p.exists():
        raise InputNotReadableError(f"{path}: no such file")
    if p.is_dir():
        raise InputNotReadableError(f"{path}: is a folder, not a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputNotReadableError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    digest = hashlib.sha256(data).hexdigest()
    if p.suffix.lower() in TEXT_SUFFIXES:
        return SourceFile(str(path), data, digest, "text/plain")
    if not data:
        raise NotPdfError(f"{path}: empty file, not a PDF")
    if b"%PDF-" not in data[:1024]:
        raise NotPdfError(f"{path}: not a PDF (no %PDF- header)")
    return SourceFile(str(path), data, digest, "application/pdf")


def read_stdin(stream: BinaryIO | None = None) -> SourceFile:
    """Read standard input whole: a PDF when it starts like one (`%PDF-` in its first KiB),
    text otherwise. Bytes that are neither (a NUL in the first KiB) are refused."""
    data = (stream or sys.stdin.buffer).read()
    digest = hashlib.sha256(data).hexdigest()
    head = data[:1024]
    if b"%PDF-" in head:
        return SourceFile(STDIN, data, digest, "application/pdf", on_disk=False)
    if b"\0" in head:
        raise NotPdfError("standard input: neither a PDF (no %PDF- header) nor text")
    return SourceFile(STDIN, data, digest, "text/plain", on_disk=False)


def decode_text(source: SourceFile) -> str:
    """Decode a text input: UTF-8 (with or without BOM), else cp1252, the usual Windows export."""
    try:
        return source.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return source.data.decode("cp1252", errors="replace")
