"""PDF/A-2b from a searchable PDF, through OCRmyPDF's Ghostscript PDF/A path.

The pieces are OCRmyPDF's: its `pdfa.ps` stub (the sRGB output intent), its preparation for
Ghostscript (`/ToUnicode` for simple fonts, the Print flag on annotations so links survive,
refusal of non-embedded CID fonts) and its Ghostscript arguments (`pdfwrite -dPDFA=2
-dPDFACompatibilityPolicy=1`, colours left as they are, lossless images, fonts not subset).
One difference: Ghostscript 10.0.0 to 10.02.0 (Debian 12 ships 10.0.0) garbles the text of
fonts already in the PDF with its new PDF interpreter (OCRmyPDF refuses these versions for
PDFs with text for this reason); with these versions the legacy interpreter is used
(`-dNEWPDF=false`), which keeps the text; the `/File` key it writes into link annotations
is removed. A second: `-r72`, so that pdfwrite writes page coordinates in points, not in its
default 720 dpi units (a `0.1 0 0 0.1 cm` around the page): the product of the two matrices is
the same, but a renderer's float arithmetic then places a page's scan a fraction of a pixel off,
and every pixel of the resampled scan changes (pypdfium2 at 100 dpi: 56-66 % of the pixels of
the OCR'd fixtures' pages); in points, the page renders pixel-identical to the input's.

Two checks, or the conversion fails and nothing is written: pikepdf's PDF/A validator
(`pikepdf.pdfa.validate_written`) must approve the file as PDF/A-2b, and every page's text
(pypdfium2) must be what it was before. Same bytes in, same bytes out: the dates are fixed
(`SOURCE_DATE_EPOCH`, or 1970-01-01 without it), the XMP document id and the trailer's /ID come
from the input's bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from ..errors import MissingDependencyError, OutputError

FLAVOUR = "2b"


def to_pdfa(pdf: bytes) -> bytes:
    """The PDF (its bytes) as PDF/A-2b; raises `OutputError` if the result does not pass."""
    try:
        import pikepdf
        import pikepdf.pdfa
        from ocrmypdf.pdfa import (
            add_simple_font_tounicode,
            find_nonembedded_cid_fonts,
            generate_pdfa_ps,
            repair_annotations_for_ghostscript,
        )
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise MissingDependencyError(f"--pdfa needs ocrmypdf and pikepdf ({exc})") from exc
    gs = shutil.which("gs")
    if gs is None:
        raise MissingDependencyError("--pdfa needs Ghostscript (`gs`; `make setup` installs it)")
    with tempfile.TemporaryDirectory(prefix="newsletter-pdfa-") as tmp:
        stub, prepared, raw = Path(tmp, "pdfa.ps"), Path(tmp, "in.pdf"), Path(tmp, "gs.pdf")
        generate_pdfa_ps(stub)
        with pikepdf.open(io.BytesIO(pdf)) as document:
            fonts = find_nonembedded_cid_fonts(document)
            if fonts:
                raise OutputError(f"--pdfa: fonts not embedded: {', '.join(sorted(fonts))}")
            add_simple_font_tounicode(document)
            repair_annotations_for_ghostscript(document, report_removed=False)
            document.save(prepared)
        _ghostscript(gs, stub, prepared, raw)
        out = io.BytesIO()
        with pikepdf.open(raw) as document:
            digest = hashlib.sha256(pdf).digest()[:16]
            with document.open_metadata(set_pikepdf_as_editor=False,
                                        update_docinfo=False) as meta:
                meta["xmpMM:DocumentID"] = f"uuid:{uuid.UUID(bytes=digest)}"
            _drop_legacy_file_keys(document)
            document.trailer.ID = pikepdf.Array([pikepdf.String(digest)] * 2)
            document.save(out, static_id=True)
    data = out.getvalue()
    report = pikepdf.pdfa.validate_written(io.BytesIO(data), FLAVOUR)
    if not report.passed:
        raise OutputError(f"--pdfa: the result is not PDF/A-2b: {report.summary(limit=5)}")
    if _page_texts(data) != _page_texts(pdf):
        raise OutputError("--pdfa: Ghostscript changed the text; no PDF/A written")
    return data


def _ghostscript(gs: str, stub: Path, source: Path, out: Path) -> None:
    """OCRmyPDF's Ghostscript PDF/A call (`ocrmypdf._exec.ghostscript.generate_pdfa`)."""
    version = subprocess.run([gs, "--version"], capture_output=True, text=True).stdout.strip()
    numbers = tuple(int(n) for n in re.findall(r"\d+", version)[:3])
    legacy = ["-dNEWPDF=false"] if (10, 0, 0) <= numbers < (10, 2, 1) else []
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}
    args = [gs, "-dBATCH", "-dNOPAUSE", "-dSAFER", "-dCompatibilityLevel=1.7",
            "-sDEVICE=pdfwrite", "-r72", "-dAutoRotatePages=/None",
            "-sColorConversionStrategy=LeaveColorUnchanged", *legacy,
            "-dPassThroughJPEGImages=true", "-dAutoFilterColorImages=false",
            "-dColorImageFilter=/FlateEncode", "-dAutoFilterGrayImages=false",
            "-dGrayImageFilter=/FlateEncode", "-dNONATIVEFONTMAP", "-dSubsetFonts=false",
            "-dPDFA=2", "-dPDFACompatibilityPolicy=1", "-o", str(out), "-sstdout=%stderr",
            str(stub), str(source)]
    done = subprocess.run(args, capture_output=True, text=True, errors="replace", env=env)
    if done.returncode != 0 or not out.exists() or "**** Error" in done.stderr:
        raise OutputError(f"--pdfa: Ghostscript failed: {done.stderr.strip()[-300:]}")


def _drop_legacy_file_keys(document: object) -> None:
    """Remove the `/File` key Ghostscript's legacy interpreter writes into link annotations
    (a copy of `/F`, the flags; a link has no such key)."""
    import pikepdf

    assert isinstance(document, pikepdf.Pdf)
    for page in document.pages:
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            if annot.get("/Subtype") == pikepdf.Name.Link and "/File" in annot:
                del annot["/File"]


def _page_texts(pdf: bytes) -> list[list[str]]:
    """Each page's words as pypdfium2 reads them."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().split() for page in document]
    finally:
        document.close()
