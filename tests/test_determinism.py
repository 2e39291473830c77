"""Same input, same bytes: across processes, across `--jobs 1` and `--jobs 2`, batch and convert.

Each run is its own Python process with its own hash seed (a set or dict order that leaks into
the output shows here, not in two calls in one process, which share memoized results). The
inputs are read in the default OCR mode: a born-digital fixture (text layer), a scan (OCR) and
the old-OCR-layer fixture (OCR, then the repair of what Tesseract read).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.truth import truth_for
from pipeline.repair import corrupt_text, repair_diff, repair_text, strip_diacritics

from .conftest import ROOT, fixture_file

BORN_DIGITAL = "sormland_2022_12.pdf"
SCAN = "bibliotek_2023_09-scan-200dpi.pdf"
OLD_LAYER = "sormland_2022_06-old-ocr-layer.pdf"
INPUTS = [BORN_DIGITAL, SCAN, OLD_LAYER]


def run(args: list[str], hash_seed: int, cwd: Path) -> str:
    """`newsletter ARGS` in a fresh process with this hash seed; its stdout."""
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The JSON of each input from `batch --jobs 1`, `batch --jobs 2` and `convert --jobs 2`
    (the scan only), each in a fresh process with another hash seed."""
    base = tmp_path_factory.mktemp("determinism")
    inputs = base / "in"
    inputs.mkdir()
    for name in INPUTS:
        shutil.copy(fixture_file(f"pdf/{name}"), inputs / name)
    found: dict[str, dict[str, bytes]] = {}
    for jobs in (1, 2):
        out = base / f"batch-{jobs}"
        run(["batch", str(inputs), "-o", str(out), "--jobs", str(jobs), "-q",
             "--formats", "json,alto"], jobs, ROOT)
        found[f"batch --jobs {jobs}"] = {
            name: (out / name).with_suffix(".json").read_bytes() for name in INPUTS
        }
        found[f"batch --jobs {jobs} alto"] = {
            name: (out / name).with_suffix(".alto.xml").read_bytes() for name in INPUTS
        }
    # convert shows the path as given: given relative to the folder, it is the batch's path
    target = base / "convert.json"
    run(["convert", SCAN, "-o", str(target), "--jobs", "2"], 3, inputs)
    found["convert --jobs 2"] = {SCAN: target.read_bytes()}
    return found


def test_the_default_mode_reads_each_page_the_way_it_needs(outputs) -> None:  # type: ignore[no-untyped-def]
    methods = {name: {p["method"] for p in json.loads(data)["pages"]}
               for name, data in outputs["batch --jobs 1"].items()}
    assert methods == {BORN_DIGITAL: {"text-layer"}, SCAN: {"ocr"}, OLD_LAYER: {"ocr"}}
    repairs = json.loads(outputs["batch --jobs 1"][OLD_LAYER])["repairs"]
    assert any(r["applied"] for r in repairs)


def test_batch_jobs_1_and_jobs_2_give_the_same_bytes(outputs) -> None:  # type: ignore[no-untyped-def]
    for name in INPUTS:
        assert outputs["batch --jobs 1"][name] == outputs["batch --jobs 2"][name], name


def test_alto_is_the_same_bytes_in_every_process(outputs) -> None:  # type: ignore[no-untyped-def]
    for name in INPUTS:
        assert outputs["batch --jobs 1 alto"][name] == outputs["batch --jobs 2 alto"][name], name


def test_convert_gives_the_bytes_of_the_batch(outputs) -> None:  # type: ignore[no-untyped-def]
    assert outputs["convert --jobs 2"][SCAN] == outputs["batch --jobs 1"][SCAN]


def test_this_process_gives_the_bytes_of_the_others(outputs, converted_json) -> None:  # type: ignore[no-untyped-def]
    """The test process (its own hash seed, its caches warm from other tests; the conversions
    test_triage judges) agrees too."""
    for name in INPUTS:
        assert converted_json(name).encode("utf-8") == outputs["batch --jobs 2"][name], name


def test_repair_gives_the_same_changes_in_every_process(tmp_path: Path) -> None:
    """`newsletter repair --diff` on heavily damaged pages (a fixture truth through the damage
    channel, another with every diacritic stripped): two processes and this one agree."""
    pages = [corrupt_text(truth_for("sormland_2022_06").text, seed=8),
             strip_diacritics(truth_for("ekeby_if_2024_03").text)]
    damaged = tmp_path / "skadad.txt"
    damaged.write_text("\f".join(pages), encoding="utf-8")
    first, second = (run(["repair", str(damaged), "--diff"], seed, ROOT) for seed in (4, 5))
    assert first == second
    here = [r for k, page in enumerate(pages, 1) for r in repair_text(page, page=k).records]
    assert first == repair_diff(here) + "\n"
    assert first.count("\n") > 200
