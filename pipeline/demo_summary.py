"""A short look at what a batch produced: `python -m pipeline.demo_summary OUTDIR`.

Per JSON document: pages, pages by method, title, sections, words, repairs; then the failures
that the manifest records. `make demo` runs it after `newsletter batch`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .batch import read_manifest
from .batch.executors import document_stats
from .errors import OutputError
from .evaluation import words


def summarize(output_dir: Path) -> str:
    rows: list[tuple[str, ...]] = []
    for path in sorted(output_dir.rglob("*.json"), key=lambda p: p.relative_to(output_dir).parts):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(document, dict) or "pages" not in document:
            continue
        pages, methods, applied = document_stats(document)
        title = (document.get("metadata") or {}).get("title") or "-"
        rows.append((
            path.relative_to(output_dir).as_posix(),
            str(pages),
            ", ".join(f"{m} {n}" for m, n in methods.items()) or "-",
            title if len(title) <= 40 else title[:39] + "…",
            str(sum(1 for s in document.get("sections", []) if s.get("heading"))),
            str(len(words(document.get("text", "")))),
            str(applied),
        ))
    header = ("file", "pages", "methods", "title", "sections", "words", "repairs")
    lines = [_table([header, *rows])] if rows else ["no documents"]
    failed = _failures(output_dir / "manifest.jsonl")
    if failed:
        lines.append("")
        lines.append(f"not converted ({len(failed)}):")
        lines.extend(f"  {name}: {status}: {message}" for name, (status, message)
                     in sorted(failed.items()))
    return "\n".join(lines) + "\n"


def _failures(manifest: Path) -> dict[str, tuple[str, str]]:
    """Inputs whose latest deciding record is a failure."""
    try:
        latest = read_manifest(manifest)
    except OutputError:
        return {}
    return {name: (r.status, r.message) for name, r in latest.items() if r.status != "ok"}


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = {1, 4, 5, 6}
    out = []
    for row in rows:
        cells = [cell.rjust(w) if i in numeric and row is not rows[0] else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m pipeline.demo_summary OUTDIR", file=sys.stderr)
        return 2
    folder = Path(args[0])
    if not folder.is_dir():
        print(f"demo_summary: {folder}: not a folder", file=sys.stderr)
        return 2
    sys.stdout.write(summarize(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
