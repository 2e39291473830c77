"""`-` reads standard input for `repair` and `convert`, as `-o -` writes standard output.

Run as a user runs it: the real command in a subprocess, its input piped in.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.raster import render_page

from .conftest import ROOT, fixture_file

DAMAGED = "Malbilden for arbetet ar att alla barn\ni S6rmland ska ga i skolan\n"


def newsletter(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], input=stdin, cwd=ROOT,
                          capture_output=True, timeout=300, check=False)


def test_repair_reads_standard_input(tmp_path: Path) -> None:
    piped = newsletter("repair", "-", stdin=DAMAGED.encode("utf-8"))
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode("utf-8").startswith(
        "Målbilden för arbetet är att alla barn\ni Sörmland ska gå i skolan")
    (tmp_path / "old-ocr.txt").write_text(DAMAGED, encoding="utf-8")
    from_file = newsletter("repair", str(tmp_path / "old-ocr.txt"))
    assert from_file.returncode == 0 and from_file.stdout == piped.stdout
    diff = newsletter("repair", "-", "--diff", stdin=DAMAGED.encode("utf-8"))
    assert diff.returncode == 0 and "Målbilden" in diff.stdout.decode("utf-8")


def test_repair_refuses_a_pdf_on_standard_input() -> None:
    pdf = fixture_file("pdf/sormland_2022_06.pdf").read_bytes()
    done = newsletter("repair", "-", stdin=pdf)
    assert done.returncode == 2 and b"convert" in done.stderr and not done.stdout


def test_convert_reads_a_pdf_from_standard_input() -> None:
    path = fixture_file("pdf/sormland_2022_06.pdf")
    piped = newsletter("convert", "-", "--ocr", "never", stdin=path.read_bytes())
    assert piped.returncode == 0, piped.stderr
    from_file = newsletter("convert", str(path), "-o", "-", "--ocr", "never")
    assert from_file.returncode == 0, from_file.stderr
    doc, expected = json.loads(piped.stdout), json.loads(from_file.stdout)
    assert doc["source"]["path"] == "-" and doc["source"]["media_type"] == "application/pdf"
    doc["source"]["path"] = expected["source"]["path"]
    assert doc == expected  # the same document as from the file


def test_convert_reads_text_from_standard_input_into_a_folder(tmp_path: Path) -> None:
    text = "Nyhetsbrev\n\nVälkommen till vårens möte i lokalen.\n"
    done = newsletter("convert", "-", "-o", f"{tmp_path}/", stdin=text.encode("utf-8"))
    assert done.returncode == 0, done.stderr
    doc = json.loads((tmp_path / "stdin.json").read_text(encoding="utf-8"))
    assert doc["source"]["media_type"] == "text/plain"
    assert "Välkommen till vårens möte" in doc["text"]


def test_binary_that_is_no_pdf_on_standard_input_is_one_line() -> None:
    done = newsletter("convert", "-", stdin=b"\x00\x01\x02 binary \xff" * 50)
    assert done.returncode == 4 and not done.stdout
    assert done.stderr.decode().count("\n") == 1 and b"Traceback" not in done.stderr


def test_a_page_renders_the_same_from_bytes_as_from_its_file() -> None:
    """The OCR stage renders a piped (or repaired-in-memory) PDF from its bytes."""
    path = fixture_file("pdf/bibliotek_2023_09-scan-200dpi.pdf")
    from_file = render_page(path, 1, dpi=100)
    from_bytes = render_page("-", 1, dpi=100, data=path.read_bytes())
    assert from_bytes.image.tobytes() == from_file.image.tobytes()
    assert (from_bytes.width, from_bytes.height) == (from_file.width, from_file.height)
