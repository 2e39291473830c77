"""A damaged PDF that pdfminer cannot open, rewritten by qpdf (pikepdf) in memory.

qpdf rebuilds a lost or broken cross-reference table and trailer from the objects it finds (a
file cut off before its trailer, damaged object keywords). The repaired copy lives only in
memory: the input file is never written. `repair_pdf` says in one line what was done, for the
document's `source.repaired` and the batch record.
"""

from __future__ import annotations

import io
import re

from .errors import NotPdfError

# qpdf names the stream it read ("stream <_io.BytesIO object at 0x7f...>"): not for the record,
# whose bytes must not depend on the run; its generic lines say nothing about this file
_STREAM_NAME = re.compile(r"^stream <[^>]*>\s*(?:\(([^)]*)\))?:?\s*")
_GENERIC = ("file is damaged", "attempting to reconstruct cross-reference table")


def _where(match: re.Match[str]) -> str:
    return f"{match.group(1)}: " if match.group(1) else ""


def repair_pdf(data: bytes, name: str, password: str | None = None) -> tuple[bytes, str]:
    """The PDF rewritten by qpdf, and a one-line note of the repair.

    Raises NotPdfError when qpdf cannot make a PDF with pages of it either.
    """
    import pikepdf  # here, not at the top: most PDFs never need it

    try:
        with pikepdf.open(io.BytesIO(data), password=password or "") as pdf:
            if len(pdf.pages) == 0:
                raise NotPdfError(f"{name}: qpdf found no pages in the damaged PDF")
            warnings = [_STREAM_NAME.sub(_where, " ".join(str(w).split()))
                        for w in pdf.get_warnings()]
            out = io.BytesIO()
            # streams copied as they are: decoding them (a bomb) could take hours
            pdf.save(out, static_id=True, compress_streams=False,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none)
    except NotPdfError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001  qpdf's errors on hostile input are many
        raise NotPdfError(f"{name}: qpdf cannot repair it ({type(exc).__name__})") from exc
    specific = [w for w in warnings if w.lower() not in _GENERIC]
    said = f" ({specific[0][:160]})" if specific else ""
    note = f"damaged PDF read from a copy repaired in memory by qpdf{said}; the input is unchanged"
    return out.getvalue(), note
