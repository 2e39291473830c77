"""Dask: a LocalCluster gives the same JSON, byte for byte, and the same records as the pool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.batch import MANIFEST_NAME, run_batch
from pipeline.options import Options

from .conftest import fixture_file

pytest.importorskip("distributed")


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*.json"))}


def records(folder: Path) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in (folder / MANIFEST_NAME).read_text("utf-8").splitlines()]
    for line in lines:
        line.pop("seconds")
    return sorted(lines, key=lambda r: str(r["input"]))


def test_local_cluster_and_local_pool_give_identical_outputs(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    (inputs / "2022").mkdir(parents=True)
    for name in ("sormland_2022_12.pdf", "bibliotek_2023_09.pdf"):
        shutil.copy(fixture_file(f"pdf/{name}"), inputs / "2022" / name)
    (inputs / "brev.txt").write_text("Nyhetsbrev\n\nVälkommen till vårens möte i lokalen.\n",
                                     encoding="utf-8")
    (inputs / "trasig.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    options = Options(ocr="never")
    pool = run_batch(inputs, tmp_path / "pool", options=options, jobs=2, include_text=True,
                     jsonl=tmp_path / "pool.jsonl")
    dask = run_batch(inputs, tmp_path / "dask", options=options, include_text=True,
                     dask_address="local:2", jsonl=tmp_path / "dask.jsonl")
    assert pool.exit_code == dask.exit_code == 1
    assert [r.status for r in dask.records] == ["ok", "ok", "ok", "error"]
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "pool")
    assert len(outputs(tmp_path / "pool")) == 3
    assert records(tmp_path / "dask") == records(tmp_path / "pool")
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "pool.jsonl").read_bytes()

    again = run_batch(inputs, tmp_path / "dask", options=options, include_text=True,
                      dask_address="local:2")
    assert {r.status for r in again.records} == {"skipped"}  # resume works the same way


def test_a_bad_dask_address_is_a_clear_error(tmp_path: Path) -> None:
    from pipeline.errors import PipelineError

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Hej\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="--dask"):
        run_batch(tmp_path / "in", tmp_path / "out", options=Options(), include_text=True,
                  dask_address="local:noll")
