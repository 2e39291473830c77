"""Writing outputs atomically: a temporary file in the same folder, then a rename.

A reader (or a rerun after a crash) sees either no file or the whole file, never a part.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError


def write_atomically(path: Path, content: str | bytes, *, sync_folder: bool = False) -> None:
    """`sync_folder` also fsyncs the folder, so that the rename itself survives a power cut.
    Text is written as UTF-8; bytes as they are."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
        raise
    if sync_folder:
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:  # not every system can open a folder
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
