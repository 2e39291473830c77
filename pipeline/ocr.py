"""OCR stage: read rendered pages with Tesseract into the same words and lines as the extract stage.

This is the only module that talks to Tesseract (through pytesseract). Each page is rendered
(grayscale, at the chosen resolution, upright per /Rotate), read once with Tesseract's TSV output,
and turned into `Line`s and `Word`s in PDF points, so segmentation cannot tell where a page came
from. Tesseract runs with one thread (`OMP_THREAD_LIMIT=1`); pages run in parallel processes.

A few degrees of skew make Tesseract drop whole paragraphs, so every page is straightened first
(a projection-profile search on a small copy: about 15 ms). Pages scanned sideways or upside down
read as junk with low confidence, or as words standing on end; only then (so that a normal page
costs nothing extra) Tesseract's orientation detection runs on a half-size image and, when it is
sure, the page is turned and read again; the better of the two readings is kept.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from statistics import mean, median

import pytesseract
from PIL import Image

from .errors import MissingDependencyError, OcrError
from .labels import attach_labels, find_lost_labels
from .layout import Line, PageLayout, PageSignals, Word
from .ocrtables import read_tables
from .raster import deskew, estimate_skew, even_leaders, render_page

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng"
_LANG_SPEC = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\+[A-Za-z][A-Za-z0-9_]*)*")

# Orientation is checked only for pages that read badly: fewer words than this, or a mean
# word confidence below this (a page read upside down gives a handful of words near 0.3).
ORIENTATION_MIN_WORDS = 8
ORIENTATION_MAX_CONFIDENCE = 0.6
# Tesseract's OSD "orientation confidence": below this it is guessing.
ORIENTATION_MIN_CONFIDENCE = 1.5

# A word's ink box spans a share of the font size that depends on its letters: x-height only
# ("om"), ascenders, capitals or dots ("är", "Bo"), a ring or accent on a capital ("Å"), plus
# descenders ("gå"). Shares of the em, averaged over Helvetica and Times (their font metrics).
X_HEIGHT = 0.49
ASCENDER = 0.70
ACCENTED_CAPITAL = 0.88
DESCENDER = 0.21
_TALL = re.compile(r"[^acemnorsuvwxz.,:;\-–—_~=+*•·'\"‘’“”«»<>]")
_DESCENDING = re.compile(r"[gjpqyQJ,;()\[\]{}|§@]")
_ACCENTED_CAPITAL = re.compile(r"[ÅÄÖÉÈÊÀÁÂÜÑØÆÇ]")

# A word is bold when its box holds this many times the page's median share of ink (regular
# body text 0.9-1.1, bold headings 1.25-1.5 on 200-300 dpi scans); judged on pages with enough
# words only.
BOLD_INK = 1.18
BOLD_MIN_WORDS = 20

# Specks on a scan come back as low-confidence punctuation; real bullets and dashes are read
# with more confidence than this.
SPECK_MAX_CONFIDENCE = 0.3


@dataclass(frozen=True, slots=True)
class PageTask:
    """One page to read: everything a worker process needs, picklable."""

    path: str
    number: int
    lang: str = "swe+eng"
    dpi: int = 300
    password: str | None = None
    data: bytes | None = None  # the PDF itself when it is not a file (stdin, repaired in memory)


@dataclass(frozen=True, slots=True)
class _Reading:
    lines: tuple[Line, ...]
    confidence: float  # mean word confidence, 0..1 (0 when there are no words)
    words: int

    @property
    def standing(self) -> float:
        """Share of the longer words whose box is taller than wide: text read sideways."""
        long_words = [w for line in self.lines for w in line.words if len(w.text) >= 4]
        if not long_words:
            return 0.0
        return sum(1 for w in long_words if w.bottom - w.top > w.x1 - w.x0) / len(long_words)

    @property
    def score(self) -> float:
        return self.confidence * min(1.0, self.words / 50) * (1.0 - self.standing)


def check_tesseract(lang: str = "swe+eng") -> str:
    """Tesseract's version, or MissingDependencyError saying what to install. Cached per process."""
    return _check_tesseract(pytesseract.pytesseract.tesseract_cmd, lang)


@lru_cache(maxsize=16)
def _check_tesseract(command: str, lang: str) -> str:
    if not _LANG_SPEC.fullmatch(lang):
        raise MissingDependencyError(f"not a Tesseract language list: {lang!r} (e.g. swe+eng)")
    try:
        version = str(pytesseract.get_tesseract_version())
        available = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise MissingDependencyError(f"Tesseract is not installed: {INSTALL_HINT}") from exc
    except (
        SystemExit,
        subprocess.SubprocessError,
        pytesseract.TesseractError,
        RuntimeError,
        ValueError,
    ) as exc:
        # pytesseract exits on a version it cannot parse: an unusable binary
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]
        raise MissingDependencyError(
            f"Tesseract at {command!r} does not work ({detail}): {INSTALL_HINT}"
        ) from exc
    missing = [code for code in lang.split("+") if code not in available]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise MissingDependencyError(
            f"Tesseract has no {'+'.join(missing)} language data: apt-get install {packages}"
        )
    return version


@lru_cache(maxsize=4)
def _has_osd(command: str) -> bool:
    try:
        return "osd" in pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError, pytesseract.TesseractError):
        return False


def read_pages(
    path: str | Path,
    numbers: Sequence[int],
    *,
    lang: str = "swe+eng",
    dpi: int = 300,
    jobs: int = 1,
    password: str | None = None,
    data: bytes | None = None,
) -> dict[int, PageLayout]:
    """OCR the given pages (1-based), in parallel processes when jobs != 1 (0 = all cores).

    Results are keyed by page number, in the order of `numbers`, whatever order they finish in.
    """
    check_tesseract(lang)
    tasks = [PageTask(str(path), n, lang, dpi, password, data) for n in dict.fromkeys(numbers)]
    workers = min(len(tasks), jobs if jobs > 0 else (os.cpu_count() or 1))
    if workers <= 1:
        results = dict(ocr_page_task(task) for task in tasks)
    else:
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = dict(pool.map(ocr_page_task, tasks))
        except BrokenProcessPool as exc:  # a worker died (out of memory, killed)
            raise OcrError(f"{path}: an OCR worker process died: {exc}") from exc
    return {task.number: results[task.number] for task in tasks}


def ocr_page_task(task: PageTask) -> tuple[int, PageLayout]:
    """Read one page: a top-level function, so a process pool (or the batch layer's) can run it."""
    return task.number, read_page(task)


def read_page(task: PageTask) -> PageLayout:
    """Render and read one page, turning it upright first when Tesseract finds it is not."""
    check_tesseract(task.lang)
    page = render_page(task.path, task.number, task.dpi, task.password, task.data)
    image, width, height = page.image, page.width, page.height
    with _single_threaded(), tempfile.TemporaryDirectory(prefix="newsletter-ocr-") as scratch:
        straight = even_leaders(deskew(image, estimate_skew(image)))
        reading = _read_image(straight, page.dpi, task.lang, scratch)
        if _looks_misoriented(reading):
            turn = _orientation(straight, page.dpi, scratch)
            if turn:
                turned = image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
                turned = deskew(turned, estimate_skew(turned))
                second = _read_image(turned, page.dpi, task.lang, scratch)
                if second.score > reading.score:
                    reading, straight = second, turned
                    if turn in (90, 270):
                        width, height = height, width
        # agenda numbers: a column of their own put back on their lines, lone digits read again
        lines = attach_labels(reading.lines)
        lines = find_lost_labels(straight, 72.0 / page.dpi, lines, partial(_read_label, task.lang))
    lines = read_tables(lines)  # a table's rows row by row, as on a text layer
    chars = sum(len(line.text.replace(" ", "")) for line in lines)
    return PageLayout(
        number=task.number,
        width=round(width, 2),
        height=round(height, 2),
        lines=lines,
        method="ocr",
        reason="OCR",
        quality=reading.confidence,
        ocr_confidence=reading.confidence if reading.words else None,
        signals=PageSignals(chars=chars, rotation=page.rotation),
    )


# A region read on its own is cropped with this margin around it (share of its height) and
# widened by REGION_WIDEN heights on each side: a line's end may be lost in a stroke of ink.
REGION_MARGIN = 0.2
REGION_WIDEN = 1.0


def read_regions(
    task: PageTask, boxes: Sequence[tuple[float, float, float, float]]
) -> list[list[Line]]:
    """Read each box (x0, top, x1, bottom in PDF points) of page `task.number` as one line of
    text (`--psm 7`), with word confidences: for each box, the lines read in it (one, or none),
    their geometry in the page's points.

    For the lines an old OCR layer lacks (`coverage`): cheaper than reading the whole page, and
    a line read on its own is not lost to the handwriting beside it as in a page layout.
    """
    check_tesseract(task.lang)
    page = render_page(task.path, task.number, task.dpi, task.password, task.data)
    scale = page.dpi / 72.0
    read: list[list[Line]] = []
    with _single_threaded(), tempfile.TemporaryDirectory(prefix="newsletter-ocr-") as scratch:
        for x0, top, x1, bottom in boxes:
            lines: list[Line] = []
            read.append(lines)
            height = bottom - top
            left = max(0, round((x0 - REGION_WIDEN * height) * scale))
            upper = max(0, round((top - REGION_MARGIN * height) * scale))
            right = min(page.image.width, round((x1 + REGION_WIDEN * height) * scale))
            lower = min(page.image.height, round((bottom + REGION_MARGIN * height) * scale))
            if right - left < 4 or lower - upper < 4:
                continue
            crop = page.image.crop((left, upper, right, lower))
            source = _save(crop, scratch, "region")
            try:
                tsv = pytesseract.image_to_data(
                    source, lang=task.lang, config=f"--psm 7 --dpi {round(page.dpi)}"
                )
            except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
                raise OcrError(f"Tesseract failed: {exc}") from exc
            for line in _parse_tsv(str(tsv), 1.0 / scale, crop).lines:
                dx, dy = left / scale, upper / scale
                words = tuple(
                    replace(
                        w,
                        x0=round(w.x0 + dx, 2),
                        top=round(w.top + dy, 2),
                        x1=round(w.x1 + dx, 2),
                        bottom=round(w.bottom + dy, 2),
                    )
                    for w in line.words
                )
                lines.append(
                    replace(
                        line,
                        x0=round(line.x0 + dx, 2),
                        top=round(line.top + dy, 2),
                        x1=round(line.x1 + dx, 2),
                        bottom=round(line.bottom + dy, 2),
                        words=words,
                    )
                )
    return read


@contextmanager
def _single_threaded() -> Iterator[None]:
    """Tesseract's OpenMP threads fight the process pool: one thread per process is faster.

    pytesseract passes this process's environment to Tesseract, so the limit is set around the
    calls (and put back after): not safe with threads calling OCR at the same time.
    """
    before = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = before


def _save(image: Image.Image, scratch: str, name: str) -> str:
    # An uncompressed TIFF is written in milliseconds (a PNG takes half a second) and is read
    # by Leptonica at least as fast as any other format (PNM was measurably slower).
    path = os.path.join(scratch, f"{name}.tif")
    image.save(path, format="TIFF", compression=None)
    return path


def _read_label(lang: str, crop: Image.Image) -> str:
    """One short margin label (`12`, `§ 3`, `b)`) read on its own, as a single line."""
    try:
        return str(pytesseract.image_to_string(crop, lang=lang, config="--psm 7"))
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        raise OcrError(f"Tesseract failed: {exc}") from exc


def _read_image(image: Image.Image, dpi: float, lang: str, scratch: str) -> _Reading:
    source = _save(image, scratch, "page")
    try:
        tsv = pytesseract.image_to_data(source, lang=lang, config=f"--dpi {round(dpi)}")
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError(f"Tesseract is not installed: {INSTALL_HINT}") from exc
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        raise OcrError(f"Tesseract failed: {exc}") from exc
    return _parse_tsv(str(tsv), 72.0 / dpi, image)


def _parse_tsv(tsv: str, points_per_pixel: float, image: Image.Image | None = None) -> _Reading:
    """Tesseract's TSV (one row per word, keyed by block, paragraph and line) into lines.

    With the image that was read, words set in bold are marked: their boxes hold more ink.
    """
    groups: dict[tuple[int, int, int], list[tuple[Word, float | None, float | None]]] = {}
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5":
            continue
        text = fields[11].strip()
        if not text:
            continue
        try:
            block, par, line = int(fields[2]), int(fields[3]), int(fields[4])
            left, top, width, height = (int(v) for v in fields[6:10])
            conf = max(0.0, float(fields[10])) / 100
        except ValueError:
            continue
        has_letters = any(ch.isalnum() for ch in text)
        if conf < SPECK_MAX_CONFIDENCE and not has_letters:
            continue
        word = Word(
            text=text,
            x0=round(left * points_per_pixel, 2),
            top=round(top * points_per_pixel, 2),
            x1=round((left + width) * points_per_pixel, 2),
            bottom=round((top + height) * points_per_pixel, 2),
            size=0.0,
            bold=False,
            conf=round(conf, 4),
        )
        # a dash or a bullet tells nothing of the type size or weight
        estimate = height * points_per_pixel / _height_share(text) if has_letters else None
        ink = _ink(image, left, top, width, height) if has_letters and image else None
        groups.setdefault((block, par, line), []).append((word, estimate, ink))
    inks = [ink for entries in groups.values() for _, _, ink in entries if ink is not None]
    bold_ink = BOLD_INK * median(inks) if len(inks) >= BOLD_MIN_WORDS else None
    blocks: dict[int, int] = {}
    lines: list[Line] = []
    confidences: list[float] = []
    for (block, _par, _line), entries in groups.items():
        estimates = [e for _, e, _ in entries if e is not None]
        size = round(median(estimates), 1) if estimates else 0.0
        line_inks = [ink for _, _, ink in entries if ink is not None]
        line_bold = bold_ink is not None and bool(line_inks) and median(line_inks) >= bold_ink
        words = tuple(
            replace(
                w,
                size=size,
                bold=bold_ink is not None and ink is not None and ink >= bold_ink,
            )
            for w, _, ink in entries
        )
        confidences.extend(w.conf or 0.0 for w in words)
        if not size:  # a line of dashes or bullets only: the size of its neighbours is unknown
            size = round(max(w.bottom - w.top for w in words) / X_HEIGHT, 1)
            words = tuple(replace(w, size=size) for w in words)
        lines.append(
            Line(
                text=" ".join(w.text for w in words),
                x0=min(w.x0 for w in words),
                top=min(w.top for w in words),
                x1=max(w.x1 for w in words),
                bottom=max(w.bottom for w in words),
                size=size,
                bold=line_bold,
                block=blocks.setdefault(block, len(blocks)),
                words=words,
            )
        )
    confidence = round(mean(confidences), 4) if confidences else 0.0
    return _Reading(lines=tuple(lines), confidence=confidence, words=len(confidences))


def _height_share(text: str) -> float:
    """How much of the font size a word's ink box spans, from the shapes of its letters.

    >>> _height_share("om"), _height_share("är"), _height_share("gå"), _height_share("Åre")
    (0.49, 0.7, 0.91, 0.88)
    """
    top = (
        ACCENTED_CAPITAL
        if _ACCENTED_CAPITAL.search(text)
        else ASCENDER
        if _TALL.search(text)
        else X_HEIGHT
    )
    return round(top + (DESCENDER if _DESCENDING.search(text) else 0.0), 2)


def _ink(image: Image.Image, left: int, top: int, width: int, height: int) -> float:
    """Share of dark pixels in a word's box: bold type holds about 1.3-1.5 times more."""
    histogram = image.crop((left, top, left + max(width, 1), top + max(height, 1))).histogram()
    return sum(histogram[:128]) / max(1, sum(histogram))


def _looks_misoriented(reading: _Reading) -> bool:
    """Few words, low confidence, or words standing on end (Tesseract reads sideways text too,
    with good confidence but boxes taller than wide)."""
    return (
        reading.words < ORIENTATION_MIN_WORDS
        or reading.confidence < ORIENTATION_MAX_CONFIDENCE
        or reading.standing > 0.5
    )


def _orientation(image: Image.Image, dpi: float, scratch: str) -> int:
    """Degrees (clockwise) to turn the page upright per Tesseract's OSD, or 0 when unsure."""
    if not _has_osd(pytesseract.pytesseract.tesseract_cmd):
        return 0
    factor = 2 if dpi >= 250 else 1
    small = image.reduce(factor) if factor > 1 else image
    source = _save(small, scratch, "osd")
    try:
        osd = pytesseract.image_to_osd(
            source, config=f"--dpi {round(dpi / factor)}", output_type="dict"
        )
    except (pytesseract.TesseractError, RuntimeError, OSError, ValueError):
        return 0  # too few characters to tell: keep the page as it is
    rotate = int(osd.get("rotate", 0)) % 360
    if rotate not in (90, 180, 270):
        return 0
    if float(osd.get("orientation_conf", 0.0)) < ORIENTATION_MIN_CONFIDENCE:
        return 0
    return rotate
