"""The command line: parses arguments, calls the library, maps errors to messages and exit codes.

Logs and errors go to stderr; stdout carries only output (`-o -`), so the tool pipes.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import OutputError, PipelineError, ResourceLimitError
from .model import json_schema, to_json
from .options import Options
from .version import __version__

EXIT_INTERNAL = 10
#: The file suffix of each output format (default: a dot and the format's name)
SUFFIXES = {"alto": ".alto.xml", "pdf": ".searchable.pdf"}
F = TypeVar("F", bound=Callable[..., Any])


def _fail(exc: BaseException, verbose: bool) -> None:
    """Print one line (a traceback too with -v) and exit with the error's code."""
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, PipelineError):
        click.echo(f"newsletter: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if isinstance(exc, MemoryError):
        click.echo("newsletter: error: too large: needs more memory than allowed "
                   "(--max-memory)", err=True)
        sys.exit(ResourceLimitError.exit_code)
    click.echo(
        f"newsletter: internal error: {type(exc).__name__}: {exc} (rerun with -v and report it)",
        err=True,
    )
    sys.exit(EXIT_INTERNAL)


def _read_when_parsed(
    reader: Callable[[Path], tuple[Any, ...]],
) -> Callable[[click.Context, click.Parameter, Path | None], tuple[Any, ...]]:
    """An option's callback: its file read when the command line is, a bad one a usage error."""

    def callback(ctx: click.Context, param: click.Parameter, path: Path | None) -> tuple[Any, ...]:
        if path is None:
            return ()
        try:
            return reader(path)
        except PipelineError as exc:
            raise click.BadParameter(str(exc)) from exc

    return callback


def _read_words(path: Path) -> tuple[str, ...]:
    """--words: the archive's word list (review.words)."""
    from .review.words import read_words

    return read_words(path)


words_option = click.option(
    "--words", type=click.Path(dir_okay=False, path_type=Path), default=None,
    callback=_read_when_parsed(_read_words), metavar="FILE",
    help="The archive's own word list (one a line; `newsletter words learn`): its words are "
         "known to the repair, which never changes them.")


def _read_decisions(path: Path) -> tuple[Any, ...]:
    """--decisions: a reviewer's decisions file (review.decisions)."""
    from .review.decisions import read_decisions

    return read_decisions(path)


decisions_option = click.option(
    "--decisions", type=click.Path(dir_okay=False, path_type=Path), default=None,
    callback=_read_when_parsed(_read_decisions), metavar="FILE",
    help="A reviewer's decisions (docs/review.md): accepted suggestions applied, rejected "
         "repairs undone, corrections put in, each recorded with stage review.")


def ocr_options(func: F) -> F:
    """The reading options shared by `convert` and `batch`."""
    decorators = [
        click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True, help="When to read pages with Tesseract."),
        click.option("--lang", default="swe+eng", show_default=True,
                     help="Tesseract languages."),
        click.option("--dpi", type=click.IntRange(72, 600), default=300, show_default=True,
                     help="Resolution at which pages are rasterized for OCR."),
        click.option("--password", default=None, help="Password of an encrypted PDF."),
        click.option("--no-repair", is_flag=True, help="Skip the Swedish repair stage."),
        words_option,
        decisions_option,
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsletter")
def main() -> None:
    """Turn archived newsletter PDFs (born-digital, scanned, or with a bad old OCR layer) into
    clean, structured JSON, repairing damaged Swedish text on the way."""
    # pdfminer warns on stderr about harmless oddities (a font's FontBBox...): one line per
    # failure is the promise, so its chatter is kept for -v, which shows tracebacks as well.
    if "-v" not in sys.argv and "--verbose" not in sys.argv:
        for name in ("pdfminer", "pdfplumber"):
            logging.getLogger(name).setLevel(logging.ERROR)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", default=None,
              help="Output file, a folder to write into, or - for stdout. "
                   "Default: INPUT's name with the format's suffix, beside it.")
@click.option("--format", "fmt", type=click.Choice(["json", "md", "txt", "alto", "pdf"]),
              default="json", show_default=True,
              help="json is the contract; md and txt are readable views; alto is ALTO 4.4 XML "
                   "(the repaired words at their boxes, what was read kept beside them); pdf is "
                   "the input PDF with the repaired words as the invisible text of its OCR'd "
                   "pages (born-digital pages are left as they are).")
@click.option("--pdfa", is_flag=True,
              help="With --format pdf: write PDF/A-2b (through Ghostscript, OCRmyPDF's PDF/A "
                   "path; checked by pikepdf's PDF/A validator).")
@ocr_options
@click.option("--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Processes for this file's OCR pages (0: all cores).")
@click.option("--max-memory", type=click.IntRange(1), default=None, metavar="MB",
              help="Memory (address space) each process of this conversion may use; a file "
                   "that needs more fails with exit code 4. Default: no limit.")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
def convert(input_path: Path, output: str | None, fmt: str, pdfa: bool, ocr: str, lang: str,
            dpi: int, password: str | None, no_repair: bool, words: tuple[str, ...],
            decisions: tuple[Any, ...], jobs: int,
            max_memory: int | None, verbose: bool) -> None:
    """Convert one newsletter (.pdf, or already-extracted .txt) into JSON, Markdown, text or ALTO.

    INPUT - reads standard input (a PDF, or text), and writes to standard output unless -o says
    otherwise."""
    from .convert import convert_with_pages
    from .outputs.atomic import write_atomically
    from .outputs.render import to_markdown, to_text
    from .source import STDIN, read_source, read_stdin

    options = Options(ocr=ocr, lang=lang, dpi=dpi, jobs=jobs, password=password,  # type: ignore[arg-type]
                      repair=not no_repair, words=words, decisions=decisions)
    if max_memory:
        from .limits import limit_memory

        limit_memory(max_memory)
    try:
        if pdfa and fmt != "pdf":
            raise OutputError("--pdfa goes with --format pdf")
        target = _output_path(input_path, output, fmt)
        source = read_stdin() if str(input_path) == STDIN else read_source(input_path)
        conversion = convert_with_pages(source, options)
        content: str | bytes
        if fmt == "pdf":
            from .outputs.searchable import to_searchable_pdf

            if source.media_type != "application/pdf":
                raise OutputError(f"{source.path}: --format pdf needs a PDF input")
            content = to_searchable_pdf(conversion, source.data, password)
            if pdfa:
                from .outputs.pdfa import to_pdfa

                content = to_pdfa(content)
        elif fmt == "alto":
            from .outputs.alto import to_alto

            content = to_alto(conversion)
        else:
            render = {"json": to_json, "md": to_markdown, "txt": to_text}[fmt]
            content = render(conversion.document)
        if target is None:
            click.echo(content, nl=False)
        else:
            write_atomically(target, content)
    except Exception as exc:  # every failure ends as one line and an exit code
        _fail(exc, verbose)


def _output_path(input_path: Path, output: str | None, fmt: str) -> Path | None:
    from .source import STDIN

    stdin = str(input_path) == STDIN
    if output == "-" or (output is None and stdin):
        return None
    suffix = SUFFIXES.get(fmt, "." + fmt)
    name = f"stdin{suffix}" if stdin else input_path.with_suffix(suffix).name
    if output is None:
        target = input_path.with_suffix(suffix)
    elif Path(output).is_dir() or output.endswith(("/", "\\")):
        target = Path(output) / name
    else:
        target = Path(output)
    if target.exists() and input_path.exists() and target.resolve() == input_path.resolve():
        raise OutputError(f"{target}: would overwrite the input; choose another name with -o")
    return target


def _batch_formats(value: str) -> tuple[str, ...]:
    """The outputs besides the JSON that `--formats` asks for (the JSON is always written)."""
    from .batch.executors import EXTRA_FORMATS

    asked = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in asked if f != "json" and f not in EXTRA_FORMATS]
    if unknown:
        raise click.BadParameter(
            f"unknown format {unknown[0]!r}; choose from json, {', '.join(EXTRA_FORMATS)}"
        )
    return tuple(sorted({f for f in asked if f != "json"}))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the output document (contract version 1.0)."""
    import json

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True))


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", default="-", show_default=True,
              help="Where the repaired text goes (- for stdout).")
@click.option("--diff", is_flag=True, help="Print each change, its reason and confidence instead.")
@words_option
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
def repair(input_path: Path, output: str, diff: bool, words: tuple[str, ...],
           verbose: bool) -> None:
    """Repair damaged Swedish text (an old OCR layer's, say) from a .txt file (- reads standard
    input)."""
    from .lexicon import load_lexicon
    from .outputs.atomic import write_atomically
    from .repair import repair_diff, repair_text
    from .review.words import with_words
    from .source import STDIN, decode_text, read_source, read_stdin

    try:
        source = read_stdin() if str(input_path) == STDIN else read_source(input_path)
        if source.media_type != "text/plain":
            raise click.UsageError("repair takes a .txt file; use `newsletter convert` for PDFs")
        lexicon = with_words(load_lexicon(), words)
        pages, records = [], []
        for number, page_text in enumerate(decode_text(source).split("\f"), 1):
            result = repair_text(page_text, page=number, lexicon=lexicon)
            pages.append(result.text)
            records.extend(result.records)
        content = repair_diff(records) + ("\n" if records else "") if diff else "\f".join(pages)
        if output == "-":
            click.echo(content, nl=False)
        else:
            write_atomically(Path(output), content)
    except click.UsageError:
        raise
    except Exception as exc:
        _fail(exc, verbose)


# --- review commands (the review loop: pipeline/review) -----------------------------------


@main.group()
def words() -> None:
    """The archive's own word list (names, places, local terms), for --words."""


@words.command("learn")
@click.argument("decisions_path", metavar="DECISIONS", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The word list to write; the words it already has are kept.")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
def words_learn(decisions_path: Path, output: Path, verbose: bool) -> None:
    """Add to a word list the words of DECISIONS' rejected repairs and typed corrections."""
    from .outputs.atomic import write_atomically
    from .review.decisions import read_decisions
    from .review.words import format_words, learn_words, read_words

    try:
        known = read_words(output) if output.exists() else ()
        learned = learn_words(read_decisions(decisions_path))
        write_atomically(output, format_words(known + learned))
        click.echo(f"newsletter: {output}: {len(set(known + learned))} words "
                   f"({len(learned)} from the decisions)", err=True)
    except Exception as exc:
        _fail(exc, verbose)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", default="review.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The HTML page to write.")
@click.option("--below", type=click.FloatRange(0, 1), default=None, metavar="CONFIDENCE",
              help="List applied repairs below this confidence too (default 0.9); "
                   "suggestions are always listed.")
@click.option("--inputs", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, metavar="DIR",
              help="Where the input PDFs are: the batch's INPUT_DIR (a batch's JSON names each "
                   "input by its path under it). Default: the paths as the JSON gives them.")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
def review(input_path: Path, output: Path, below: float | None, inputs: Path | None,
           verbose: bool) -> None:
    """Write one self-contained HTML page to check INPUT's uncertain changes (an output JSON,
    or a batch's output folder) and download the decisions for --decisions."""
    from .outputs.atomic import write_atomically
    from .review.html import review_html
    from .review.page import REVIEW_BELOW, page_items, read_documents, review_items

    try:
        threshold = REVIEW_BELOW if below is None else below
        documents = read_documents(input_path)
        items = review_items(documents, threshold, inputs)
        pages = page_items(documents, inputs=inputs)
        write_atomically(output, review_html(items, threshold, pages))
        click.echo(f"newsletter: {output}: {len(items)} changes and {len(pages)} pages to check",
                   err=True)
    except Exception as exc:
        _fail(exc, verbose)


# --- batch command (owned by the batch module's author) -------------------------------------


@main.command()
@click.argument("input_dir", metavar="INPUT_DIR",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "output_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the JSON files (the input tree mirrored) and manifest.jsonl.")
@click.option("--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Worker processes, one file each at a time (0: all cores).")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="Seconds allowed per file; a file past it is stopped and recorded as "
                   "timeout (0: no limit).")
@click.option("--max-memory", type=click.IntRange(0), default=None, metavar="MB",
              help="Memory (address space) each worker process may use; a file that needs "
                   "more ends as an error record. Default: each worker's share of three "
                   "quarters of the machine's memory (at least 1024). 0: no limit.")
@click.option("--retry-failed", is_flag=True,
              help="Convert again the inputs that failed in an earlier run. Without it, an "
                   "unchanged input that failed before is skipped (and still counts as failed).")
@click.option("--include-text", is_flag=True, help="Also convert .txt files (extracted text).")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Run on a Dask cluster: tcp://HOST:8786 (an existing scheduler; the "
                   "inputs must be at the same path on its workers) or local:N (N local "
                   "worker processes). Needs newsletter-pipeline[dask].")
@click.option("--jsonl", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every document as one line of this file, in input order.")
@click.option("--index", "index_db", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="DB",
              help="Then build or update this search index of OUTPUT (as `newsletter index`).")
@click.option("--formats", "formats_list", default="json", show_default=True,
              metavar="LIST", callback=lambda _c, _p, v: _batch_formats(v),
              help="Comma-separated outputs per input: json (always), alto (ALTO 4.4 XML, "
                   "NAME.alto.xml beside NAME.json), pdf (searchable PDF, NAME.searchable.pdf; "
                   "PDF inputs only).")
@click.option("--pdfa", is_flag=True,
              help="With --formats pdf: write the searchable PDFs as PDF/A-2b (as convert "
                   "--pdfa); the manifest lists them as pdfa.")
@ocr_options
@click.option("-q", "--quiet", is_flag=True, help="Log only failures and the summary.")
@click.option("--serial", is_flag=True, hidden=True,
              help="Run every file in this process (debugging; a crash ends the batch).")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
def batch(input_dir: Path, output_dir: Path, jobs: int, timeout: float, max_memory: int | None,
          retry_failed: bool,
          include_text: bool, dask_address: str | None, jsonl: Path | None,
          index_db: Path | None, formats_list: tuple[str, ...], pdfa: bool, ocr: str, lang: str,
          dpi: int, password: str | None, no_repair: bool, words: tuple[str, ...],
          decisions: tuple[Any, ...], quiet: bool,
          serial: bool, verbose: bool) -> None:
    """Convert every PDF under INPUT_DIR in parallel, resuming where an earlier run stopped.

    Each input gets OUTPUT/<same path>.json and one line in OUTPUT/manifest.jsonl (status ok,
    error, timeout or skipped). A rerun skips inputs already converted (same sha256 and tool
    version). One bad file never stops the batch. Exit status: 0 when every input is converted
    (now or in an earlier run), 1 when some input failed (now or before), 2 on a usage error.
    """
    from .batch import run_batch
    from .batch.progress import StderrProgress

    if pdfa:
        if "pdf" not in formats_list:
            raise click.UsageError("--pdfa goes with --formats pdf")
        import shutil

        if shutil.which("gs") is None:  # else every file would fail for the same reason
            from .errors import MissingDependencyError

            _fail(MissingDependencyError("--pdfa needs Ghostscript (`gs`; `make setup` "
                                         "installs it)"), verbose)
        formats_list = tuple(sorted("pdfa" if f == "pdf" else f for f in formats_list))
    options = Options(ocr=ocr, lang=lang, dpi=dpi, jobs=1, password=password,  # type: ignore[arg-type]
                      repair=not no_repair, words=words, decisions=decisions)
    try:
        summary = run_batch(input_dir, output_dir, options=options, jobs=jobs, timeout=timeout,
                            retry_failed=retry_failed, include_text=include_text,
                            dask_address=dask_address, jsonl=jsonl,
                            progress=StderrProgress(quiet=quiet), serial=serial,
                            max_memory=max_memory, formats=formats_list)
    except KeyboardInterrupt:
        click.echo("newsletter: interrupted; run the same command again to finish", err=True)
        sys.exit(130)
    except Exception as exc:
        _fail(exc, verbose)
    if index_db is not None:
        _run_index(output_dir, index_db, verbose)
    sys.exit(summary.exit_code)


# --- index and search commands (owned by the index module's author) -------------------------


@main.command()
@click.argument("output_dir", metavar="OUTPUT_DIR",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "db_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The SQLite database to create or update (metadata.json is written beside it).")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
def index(output_dir: Path, db_path: Path, verbose: bool) -> None:
    """Build or update a full-text index (SQLite, FTS5) of the JSON documents under OUTPUT_DIR.

    Unchanged documents (same sha256 and tool version) are not indexed again; removed ones are
    removed. Search it with `newsletter search`, or open it with sqlite-utils or Datasette."""
    _run_index(output_dir, db_path, verbose)


def _run_index(output_dir: Path, db_path: Path, verbose: bool) -> None:
    """`newsletter index`, and `batch --index` after its batch."""
    from .index.build import build_index

    try:
        summary = build_index(output_dir, db_path)
    except KeyboardInterrupt:
        click.echo("newsletter: interrupted; run the same command again to finish", err=True)
        sys.exit(130)
    except Exception as exc:
        _fail(exc, verbose)
    click.echo(f"newsletter: {db_path}: {summary.line()}", err=True)


@main.command()
@click.argument("db_path", metavar="ARCHIVE_DB",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("query", metavar="QUERY")
@click.option("--folded", is_flag=True,
              help="Search the diacritic-folding index: `for` also finds `för` (OCR text that "
                   "lost its rings and dots).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--raw", is_flag=True, help="QUERY is FTS5 query syntax (OR, NOT, NEAR, prefix*).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of hits, for tools.")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback on errors.")
def search(db_path: Path, query: str, folded: bool, limit: int, raw: bool, as_json: bool,
           verbose: bool) -> None:
    """Search an index made by `newsletter index`: hits ranked by bm25, best first.

    Words must all occur (any order); "quoted words" must occur as a phrase."""
    import json

    from .index.search import format_hit
    from .index.search import search as run_search

    try:
        hits = run_search(db_path, query, folded=folded, limit=limit, raw=raw)
    except Exception as exc:
        _fail(exc, verbose)
    if as_json:
        click.echo(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
    else:
        for hit in hits:
            click.echo(format_hit(hit))
