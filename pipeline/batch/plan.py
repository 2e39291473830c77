"""Walking and planning a batch: the inputs under INPUT_DIR in a stable order, each with its
JSON's place under OUTPUT_DIR, and the entries left out with the reason."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..source import TEXT_SUFFIXES

PDF_SUFFIXES = frozenset({".pdf"})


@dataclass(frozen=True, slots=True)
class BatchInput:
    relative: str  # POSIX path under INPUT_DIR: "2022/jul.pdf"
    path: Path  # where it is read
    target: Path  # where its JSON goes, under OUTPUT_DIR


@dataclass(frozen=True, slots=True)
class BatchPlan:
    inputs: tuple[BatchInput, ...]
    ignored: tuple[tuple[str, str], ...] = ()  # (relative path, why) for links and odd entries


# --- walking and planning ---------------------------------------------------------------------


def plan_batch(input_dir: Path, output_dir: Path, *, include_text: bool = False) -> BatchPlan:
    """The inputs under `input_dir` in a stable order, each with its output under `output_dir`.

    Symbolic links (to files or folders) are not followed: a link could lead outside the tree or
    loop, and the output tree mirrors only what is really inside INPUT_DIR. Sockets, FIFOs and
    devices are ignored. When OUTPUT_DIR lies inside INPUT_DIR it is not walked.
    """
    suffixes = PDF_SUFFIXES | (TEXT_SUFFIXES if include_text else frozenset())
    root = input_dir.resolve()
    out_root = output_dir.resolve()
    found: list[str] = []
    ignored: list[tuple[str, str]] = []

    def walk_error(exc: OSError) -> None:
        name = _relative(Path(exc.filename), root) if exc.filename else "?"
        ignored.append((name, f"cannot be listed ({exc.strerror or exc})"))

    for folder, dirnames, filenames in os.walk(root, onerror=walk_error, followlinks=False):
        here = Path(folder)
        kept = []
        for name in sorted(dirnames):
            sub = here / name
            if sub.is_symlink():
                ignored.append((_relative(sub, root), "symbolic link, not followed"))
            elif sub.resolve() == out_root:
                continue  # our own output folder
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if Path(name).suffix.lower() not in suffixes:
                continue
            path = here / name
            relative = _relative(path, root)
            if path.is_symlink():
                ignored.append((relative, "symbolic link, not followed"))
            elif not path.is_file():
                ignored.append((relative, "not a regular file"))
            else:
                found.append(relative)
    found.sort(key=lambda r: PurePosixPath(r).parts)
    inputs = _with_targets(found, root, output_dir)
    return BatchPlan(tuple(inputs), tuple(sorted(ignored)))


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _with_targets(found: list[str], root: Path, output_dir: Path) -> list[BatchInput]:
    """`2022/jul.pdf` -> `2022/jul.json`; where two inputs would share a name (`jul.pdf`,
    `jul.txt`), each keeps its suffix instead (`jul.pdf.json`, `jul.txt.json`)."""
    def simple(relative: str) -> str:
        return str(PurePosixPath(relative).with_suffix(".json")).casefold()

    uses = Counter(simple(r) for r in found)
    inputs: list[BatchInput] = []
    for relative in found:
        pure = PurePosixPath(relative)
        if uses[simple(relative)] > 1:
            out = pure.with_name(pure.name + ".json")
        else:
            out = pure.with_suffix(".json")
        if any(part in ("", ".", "..") for part in out.parts) or out.is_absolute():
            continue  # cannot come from os.walk; refuse rather than write outside OUTPUT_DIR
        inputs.append(BatchInput(relative, root.joinpath(*pure.parts),
                                 output_dir.joinpath(*out.parts)))
    return inputs
