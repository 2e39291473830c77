"""PDF/A-2b from a searchable PDF, the way OCRmyPDF makes it: pikepdf first, Ghostscript when
that does not pass.

First the structure is repaired where a page's look and text do not change (`repair_structure`:
unused resources, empty page transitions, link annotations and CIDFontType2 maps said the way
PDF/A wants them) and pikepdf declares the file PDF/A-2b (`pikepdf.pdfa.save`: sRGB output
intent, XMP, annotation flags), as OCRmyPDF's "speculative" conversion does; if pikepdf's
validator approves it, that is the result and the pages are not rewritten at all.

Otherwise Ghostscript converts, with OCRmyPDF's preparation (`/ToUnicode` for simple fonts, the
Print flag on annotations so links survive) and its arguments (`pdfwrite -dPDFA=2
-dPDFACompatibilityPolicy=1`, colours left as they are, lossless images, fonts not subset);
it embeds a substitute for each font missing from the input (Debian's Liberation fonts for
Arial, Times New Roman and Courier New, whose widths they have). Two differences: Ghostscript
10.0.0 to 10.02.0 (Debian 12 ships 10.0.0) garbles the text of fonts already in the PDF with
its new PDF interpreter (OCRmyPDF refuses these versions for PDFs with text for this reason);
with these versions the legacy interpreter is used (`-dNEWPDF=false`), which keeps the text;
the `/File` key it writes into link annotations is removed. And `-r72`, so that pdfwrite writes
page coordinates in points, not in its default 720 dpi units (a `0.1 0 0 0.1 cm` around the
page): the product of the two matrices is the same, but a renderer's float arithmetic then
places a page's scan a fraction of a pixel off, and every pixel of the resampled scan changes;
in points, the page renders pixel-identical to the input's. In Ghostscript's output: resources
no page draws dropped, a substitute's /ToUnicode made again from its encoding, WinAnsi's unused
codes named for the bullet a viewer shows there (`name_unused_winansi_codes`).

Refused, with the reason in one line: a CID font not embedded (as OCRmyPDF refuses it: the
substitute garbles CID text); fonts not embedded with no substitute of their widths
(Ghostscript gives up PDF/A itself). Two checks, or the conversion fails and nothing is
written: pikepdf's PDF/A validator (`pikepdf.pdfa.validate_written`) must approve the file as
PDF/A-2b, and every page's characters (pypdfium2, white space aside) must be what they were
before. Same bytes in, same
bytes out: the dates are fixed (`SOURCE_DATE_EPOCH`, or 1970-01-01 without it), the XMP
document id and the trailer's /ID come from the input's bytes.
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
from datetime import UTC, datetime
from pathlib import Path

from ..errors import MissingDependencyError, OutputError

FLAVOUR = "2b"


def to_pdfa(pdf: bytes) -> bytes:
    """The PDF (its bytes) as PDF/A-2b; raises `OutputError`, with the reason in one line, if
    the result does not pass."""
    try:
        import pikepdf
        import pikepdf.pdfa
        from ocrmypdf.pdfa import (
            add_simple_font_tounicode,
            find_nonembedded_cid_fonts,
            find_nonembedded_fonts,
            generate_pdfa_ps,
            repair_annotations_for_ghostscript,
        )
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise MissingDependencyError(f"--pdfa needs ocrmypdf and pikepdf ({exc})") from exc
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = find_nonembedded_cid_fonts(document)
        if fonts:
            raise OutputError(f"--pdfa: cannot be PDF/A-2b: CID fonts not embedded "
                              f"({', '.join(sorted(fonts))}); a substitute would garble "
                              "their text")
        repair_structure(document)
        made = _without_ghostscript(document)
        # the text the result must keep: the input's, or for Ghostscript what it was given,
        # whose simple fonts say their text as /ToUnicode (a reader's guess without it may drop
        # a hyphen of a font that is not embedded)
        before = pdf
        if made is None:
            gs = shutil.which("gs")
            if gs is None:
                raise MissingDependencyError(
                    "--pdfa needs Ghostscript (`gs`; `make setup` installs it)")
            with tempfile.TemporaryDirectory(prefix="newsletter-pdfa-") as tmp:
                stub, prepared, raw = Path(tmp, "pdfa.ps"), Path(tmp, "in.pdf"), Path(tmp, "gs.pdf")
                generate_pdfa_ps(stub)
                add_simple_font_tounicode(document)
                repair_annotations_for_ghostscript(document, report_removed=False)
                document.save(prepared)
                before = prepared.read_bytes()
                missing = find_nonembedded_fonts(document)
                fontmap = Path(tmp, "Fontmap")
                fontmap.write_text(same_widths_fontmap(missing), encoding="utf-8")
                _ghostscript(gs, stub, prepared, raw, fontmap)
                with pikepdf.open(raw) as written:
                    # Ghostscript lists a soft mask among the page's XObjects too, which
                    # the page never draws (and which the validator cannot check in two roles)
                    written.remove_unreferenced_resources()
                    name_unused_winansi_codes(written)
                    # a font missing from the input said its text by its encoding's glyph
                    # names alone; Ghostscript gives the font it embeds instead a /ToUnicode
                    # of its own making (seen: `hyphen` as a space), so it is made again from
                    # the encoding
                    _drop_substitutes_tounicode(written, missing)
                    add_simple_font_tounicode(written)
                    buffer = io.BytesIO()
                    written.save(buffer)
                    made = buffer.getvalue()
    data = _fixed_identity(made, pdf)
    report = pikepdf.pdfa.validate_written(io.BytesIO(data), FLAVOUR)
    if not report.passed:
        raise OutputError(f"--pdfa: the result is not PDF/A-2b: {_one_line(report)}")
    if _page_texts(data) != _page_texts(before):
        raise OutputError("--pdfa: Ghostscript changed the text; no PDF/A written")
    return data


def repair_structure(document: object) -> None:
    """Repairs that change neither a page's look nor its text, only how the file says it:
    resources no content uses dropped; an empty page transition (the default) dropped; a
    link's default appearance (`/DA`, meaningful only for text fields) dropped; a link's
    border style and URI written in place instead of as separate objects; a CIDFontType2
    without `/CIDToGIDMap` given its default, `/Identity`, which PDF/A wants said."""
    import pikepdf
    from pikepdf import Name

    assert isinstance(document, pikepdf.Pdf)
    document.remove_unreferenced_resources()
    for page in document.pages:
        transition = page.obj.get("/Trans")
        if isinstance(transition, pikepdf.Dictionary) and not transition.keys():
            del page.obj["/Trans"]
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        for annot in annots:
            if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != Name.Link:
                continue
            if "/DA" in annot:
                del annot["/DA"]
            border = annot.get("/BS")
            if isinstance(border, pikepdf.Dictionary) and border.is_indirect:
                annot.BS = pikepdf.Dictionary({k: v for k, v in border.items()})
            action = annot.get("/A")
            if isinstance(action, pikepdf.Dictionary):
                uri = action.get("/URI")
                if isinstance(uri, pikepdf.String) and uri.is_indirect:
                    action.URI = pikepdf.String(bytes(uri))
    for obj in document.objects:
        if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == Name.CIDFontType2
                and "/CIDToGIDMap" not in obj):
            obj.CIDToGIDMap = Name.Identity


#: WinAnsiEncoding's unused codes; the PDF reference (note on Appendix D) says a viewer shows
#: them as bullets, which the fonts Ghostscript substitutes do not do (their `.notdef`).
UNUSED_WINANSI = (127, 129, 141, 143, 144, 157)


def name_unused_winansi_codes(document: object) -> None:
    """Give a simple WinAnsi font's unused codes the glyph name a viewer shows for them
    (`/bullet`), in Ghostscript's output: for a font missing from the input, Ghostscript
    embeds its substitute with plain `/WinAnsiEncoding`, under which such a code names no
    glyph and selects `.notdef`, which PDF/A forbids (ISO 19005-2 6.2.11.8)."""
    import pikepdf
    from pikepdf import Name

    assert isinstance(document, pikepdf.Pdf)
    for obj in document.objects:
        if (not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != Name.Font
                or obj.get("/Subtype") not in (Name.Type1, Name.TrueType)):
            continue
        encoding = obj.get("/Encoding")
        if encoding == Name.WinAnsiEncoding:
            obj.Encoding = pikepdf.Dictionary(BaseEncoding=Name.WinAnsiEncoding,
                                              Differences=pikepdf.Array())
        elif not (isinstance(encoding, pikepdf.Dictionary)
                  and encoding.get("/BaseEncoding") == Name.WinAnsiEncoding):
            continue
        differences = obj.Encoding.get("/Differences", pikepdf.Array())
        named: set[int] = set()
        code = 0
        for item in differences:
            if isinstance(item, int):
                code = item
            else:
                named.add(code)
                code += 1
        for unused in UNUSED_WINANSI:
            if unused not in named:
                differences.append(unused)
                differences.append(Name.bullet)
        obj.Encoding.Differences = differences


def _without_ghostscript(document: object) -> bytes | None:
    """The document declared PDF/A-2b by pikepdf alone (sRGB output intent, XMP, annotation
    flags), as OCRmyPDF's speculative conversion does, if that passes pikepdf's validator:
    the pages are not rewritten at all. None if it does not pass."""
    import pikepdf
    import pikepdf.pdfa

    assert isinstance(document, pikepdf.Pdf)
    out = io.BytesIO()
    try:
        pikepdf.pdfa.save(document, out, FLAVOUR, output_intent="sRGB")
    except pikepdf.pdfa.PdfaError:
        return None
    return out.getvalue()


def _fixed_identity(made: bytes, source: bytes) -> bytes:
    """The PDF/A with its document id, trailer /ID and metadata date fixed from the input's
    bytes and `SOURCE_DATE_EPOCH`, so that the same input gives the same bytes."""
    import pikepdf

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    date = datetime.fromtimestamp(epoch, tz=UTC).isoformat()
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(made)) as document:
        digest = hashlib.sha256(source).digest()[:16]
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["xmpMM:DocumentID"] = f"uuid:{uuid.UUID(bytes=digest)}"
            if "xmp:MetadataDate" in meta:
                meta["xmp:MetadataDate"] = date
        _drop_legacy_file_keys(document)
        document.trailer.ID = pikepdf.Array([pikepdf.String(digest)] * 2)
        document.save(out, static_id=True)
    return out.getvalue()


def _one_line(report: object) -> str:
    """What the validator found, in one line: its verdict, the first finding and how many
    more."""
    import pikepdf.pdfa

    assert isinstance(report, pikepdf.pdfa.Report)
    findings = [*report.violations, *report.unsupported]
    if not findings:
        return str(report.verdict)
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{report.verdict}: {findings[0]}{more}"


#: Debian's `fonts-liberation`: fonts made metric-compatible with Arial, Times New Roman and
#: Courier New (the same advance width for every glyph), so that a PDF naming one of these
#: without embedding it keeps its widths when Ghostscript embeds the Liberation font instead
#: (Ghostscript's own substitutes have other widths, and it then gives up PDF/A).
LIBERATION = Path("/usr/share/fonts/truetype/liberation")
SAME_WIDTHS = (("arialnarrow", "LiberationSansNarrow"), ("arial", "LiberationSans"),
               ("timesnewroman", "LiberationSerif"),
               ("couriernew", "LiberationMono"))


def same_widths_font(name: str) -> Path | None:
    """The Liberation font file with the widths of the font `name` (a PDF's BaseFont), if
    there is one and it is installed (`Arial,BoldItalic`: LiberationSans-BoldItalic.ttf).
    The standard 14 fonts (Helvetica, Times-Roman, Courier) are left to Ghostscript, whose
    URW fonts have their widths."""
    key = re.sub(r"[^a-z]", "", name.lower())
    for prefix, family in SAME_WIDTHS:
        if key.startswith(prefix):
            rest = key[len(prefix):]
            bold = "bold" in rest
            italic = "italic" in rest or "oblique" in rest
            style = ("BoldItalic" if bold and italic else "Bold" if bold
                     else "Italic" if italic else "Regular")
            path = LIBERATION / f"{family}-{style}.ttf"
            return path if path.is_file() else None
    return None


def _drop_substitutes_tounicode(document: object, missing: set[str]) -> None:
    """Remove the /ToUnicode of each simple font Ghostscript embedded for a font in `missing`
    (under its own name or a Liberation font's)."""
    import pikepdf
    from pikepdf import Name

    assert isinstance(document, pikepdf.Pdf)
    names = set(missing)
    names |= {path.stem.removesuffix("-Regular") for name in missing
              if (path := same_widths_font(name)) is not None}
    for obj in document.objects:
        if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == Name.Font
                and obj.get("/Subtype") in (Name.Type1, Name.TrueType) and "/ToUnicode" in obj):
            base = str(obj.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            if base in names:
                del obj["/ToUnicode"]


def same_widths_fontmap(names: set[str]) -> str:
    """A Ghostscript Fontmap naming, for each font missing from the PDF that has one, the
    installed font of the same widths."""
    lines = []
    for name in sorted(names):
        path = same_widths_font(name)
        if path is not None and re.fullmatch(r"[A-Za-z0-9,+_.-]+", name):
            lines.append(f"/{name} ({path}) ;\n")
    return "".join(lines)


def _ghostscript(gs: str, stub: Path, source: Path, out: Path, fontmap: Path) -> None:
    """OCRmyPDF's Ghostscript PDF/A call (`ocrmypdf._exec.ghostscript.generate_pdfa`), with
    `fontmap` for fonts missing from the input."""
    version = subprocess.run([gs, "--version"], capture_output=True, text=True).stdout.strip()
    numbers = tuple(int(n) for n in re.findall(r"\d+", version)[:3])
    legacy = ["-dNEWPDF=false"] if (10, 0, 0) <= numbers < (10, 2, 1) else []
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}
    args = [gs, "-dBATCH", "-dNOPAUSE", "-dSAFER", f"--permit-file-read={LIBERATION}/",
            f"-sFONTMAP={fontmap}:Fontmap.GS", "-dCompatibilityLevel=1.7",
            "-sDEVICE=pdfwrite", "-r72", "-dAutoRotatePages=/None",
            "-sColorConversionStrategy=LeaveColorUnchanged", *legacy,
            "-dPassThroughJPEGImages=true", "-dAutoFilterColorImages=false",
            "-dColorImageFilter=/FlateEncode", "-dAutoFilterGrayImages=false",
            "-dGrayImageFilter=/FlateEncode", "-dNONATIVEFONTMAP", "-dSubsetFonts=false",
            "-dPDFA=2", "-dPDFACompatibilityPolicy=1", "-o", str(out), "-sstdout=%stderr",
            str(stub), str(source)]
    done = subprocess.run(args, capture_output=True, text=True, errors="replace", env=env)
    if done.returncode != 0 or not out.exists() or "**** Error" in done.stderr:
        tail = " ".join(done.stderr.split()[-40:])
        raise OutputError(f"--pdfa: Ghostscript failed: {tail}")
    if "reverting to normal PDF output" in done.stderr:
        # Ghostscript itself gave up PDF/A: a font missing from the input was replaced by one
        # whose glyph widths differ from the widths the PDF gives (ISO 19005-2 6.2.11.5)
        missing = sorted(set(re.findall(r"Substituting font \S+ for (\S+?)\.?$", done.stderr,
                                        re.MULTILINE)))
        raise OutputError(
            "--pdfa: cannot be PDF/A-2b: fonts not embedded in the input"
            + (f" ({', '.join(missing)})" if missing else "")
            + " and Ghostscript's substitutes have other glyph widths")


def _drop_legacy_file_keys(document: object) -> None:
    """Remove the `/File` key Ghostscript's legacy interpreter writes into link annotations
    (a copy of `/F`, the flags; a link has no such key)."""
    import pikepdf

    assert isinstance(document, pikepdf.Pdf)
    for page in document.pages:
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            if annot.get("/Subtype") == pikepdf.Name.Link and "/File" in annot:
                del annot["/File"]


def _page_texts(pdf: bytes) -> list[str]:
    """Each page's characters as pypdfium2 reads them, without white space: the check is that
    no character changed (Ghostscript's garbling), not where a reader infers a space from the
    glyphs' positions, which moves with the widths of a font Ghostscript embeds in place of a
    missing one (a word and its leader of dots)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return ["".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()
