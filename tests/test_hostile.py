"""Hostile and damaged input costs no more than its own record.

- a decompression bomb (fixtures/bad/bomb.pdf: 1.8 KB inflating to 64 GiB) ends as one error
  record under the workers' memory limit, while the rest of its batch converts;
- a PDF cut off before its trailer (fixtures/bad/no-trailer.pdf), which pdfminer cannot open,
  is repaired in memory by qpdf and read whole; its document and record say so, and the input
  file is not touched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.batch import MANIFEST_NAME, run_batch
from pipeline.convert import convert
from pipeline.errors import NotPdfError
from pipeline.extract import read_pdf
from pipeline.limits import default_max_memory_mb, machine_memory_mb
from pipeline.options import Options

from .conftest import ROOT, fixture_file

FAST = Options(ocr="never")


def test_the_bomb_is_one_error_record_and_the_batch_completes(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("bad/bomb.pdf", "pdf/sormland_2022_06.pdf", "pdf/bibliotek_2023_09.pdf"):
        shutil.copy(fixture_file(name), inputs / Path(name).name)
    (inputs / "brev.txt").write_text("Nyhetsbrev\n\nVälkommen till mötet.\n", encoding="utf-8")
    summary = run_batch(inputs, tmp_path / "out", options=FAST, jobs=2, include_text=True,
                        max_memory=1024, timeout=600)
    status = {r.input: r for r in summary.records}
    assert status["bomb.pdf"].status == "error"
    assert "too large" in status["bomb.pdf"].message
    assert "\n" not in status["bomb.pdf"].message and "Traceback" not in status["bomb.pdf"].message
    assert [status[n].status for n in ("bibliotek_2023_09.pdf", "brev.txt",
                                       "sormland_2022_06.pdf")] == ["ok", "ok", "ok"]
    assert not (tmp_path / "out" / "bomb.json").exists()
    assert len((tmp_path / "out" / MANIFEST_NAME).read_text("utf-8").splitlines()) == 4


def test_the_memory_limit_has_a_default_share_and_is_the_workers_own() -> None:
    if machine_memory_mb():
        assert 1024 <= default_max_memory_mb(2) <= machine_memory_mb()
        assert default_max_memory_mb(1) >= default_max_memory_mb(4)
    # set inside a worker: a process that asks for more than its limit gets MemoryError
    probe = ("from pipeline.limits import limit_memory\n"
             "limit_memory(512)\n"
             "try:\n    bytearray(1 << 30)\nexcept MemoryError:\n    print('limited')\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.stdout.strip() == "limited", done.stderr


def test_a_pdf_cut_before_its_trailer_is_repaired_in_memory(tmp_path: Path) -> None:
    damaged = tmp_path / "no-trailer.pdf"
    shutil.copy(fixture_file("bad/no-trailer.pdf"), damaged)
    before = (hashlib.sha256(damaged.read_bytes()).hexdigest(), damaged.stat().st_mtime_ns)
    try:
        read_pdf(damaged)
        raise AssertionError("pdfminer opened it: the fixture no longer needs a repair")
    except NotPdfError:
        pass
    document = convert(damaged, FAST)
    whole = convert(fixture_file("pdf/sormland_2022_12.pdf"), FAST)
    assert document.source.repaired and "qpdf" in document.source.repaired
    assert whole.source.repaired is None
    assert document.text == whole.text and document.source.pages == whole.source.pages == 2
    assert (hashlib.sha256(damaged.read_bytes()).hexdigest(),
            damaged.stat().st_mtime_ns) == before  # the input is never written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-trailer.pdf"]  # no copy beside it
    assert convert(damaged, FAST) == document  # the same bytes every time


def test_the_batch_record_of_a_repaired_pdf_says_so(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(fixture_file("bad/no-trailer.pdf"), tmp_path / "in" / "no-trailer.pdf")
    summary = run_batch(tmp_path / "in", tmp_path / "out", options=FAST, jobs=1)
    (record,) = summary.records
    assert record.status == "ok" and "repaired in memory by qpdf" in record.message
    document = json.loads((tmp_path / "out" / "no-trailer.json").read_text("utf-8"))
    assert document["source"]["repaired"] == record.message


def test_what_qpdf_cannot_repair_keeps_its_first_error() -> None:
    try:
        convert(fixture_file("bad/truncated.pdf"), FAST)
        raise AssertionError("a PDF cut in half converted")
    except NotPdfError as exc:
        assert "damaged PDF" in str(exc) and "qpdf" not in str(exc)


def test_convert_with_a_memory_limit_refuses_the_bomb_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "convert", str(fixture_file("bad/bomb.pdf")), "-o",
         "-", "--max-memory", "1024"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 4 and not done.stdout
    assert done.stderr.count("\n") == 1 and "too large" in done.stderr
