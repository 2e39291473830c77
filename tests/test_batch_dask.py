"""Dask, as users run it: a LocalCluster (`--dask local:2`), and a scheduler and workers started
as separate processes (`dask scheduler`, `dask worker --nworkers 2`), each giving the same JSON,
byte for byte, and the same records as the local pool."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.batch import MANIFEST_NAME, run_batch
from pipeline.options import Options

from .conftest import ROOT, fixture_file

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def separate_cluster(tmp_path: Path) -> Iterator[str]:
    """`dask scheduler` and `dask worker --nworkers 2` as the user starts them, on loopback."""
    import distributed

    dask = Path(sys.executable).parent / "dask"
    command = [str(dask)] if dask.exists() else [sys.executable, "-m", "dask"]
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    started: list[subprocess.Popen[bytes]] = []
    log = (tmp_path / "dask.log").open("wb")
    try:
        started.append(subprocess.Popen(
            [*command, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env=env, cwd=tmp_path, stdout=log, stderr=log, start_new_session=True))
        started.append(subprocess.Popen(
            [*command, "worker", address, "--nworkers", "2", "--nthreads", "1",
             "--no-dashboard", "--host", "127.0.0.1"],
            env=env, cwd=tmp_path, stdout=log, stderr=log, start_new_session=True))
        deadline = time.monotonic() + 120
        while True:
            try:
                with distributed.Client(address, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=max(1.0, deadline - time.monotonic()))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in started):
                    log.flush()
                    pytest.fail("the Dask cluster did not start: "
                                + (tmp_path / "dask.log").read_text("utf-8", "replace")[-2000:])
                time.sleep(1)
        yield address
    finally:
        for process in reversed(started):  # each in its own session: the group is ours alone
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def test_separate_scheduler_and_workers_give_the_pools_outputs(
        tmp_path: Path, separate_cluster: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("sormland_2022_06.pdf", "brf_lonnen_2023_05.pdf"):
        shutil.copy(fixture_file(f"pdf/{name}"), inputs / name)
    (inputs / "brev.txt").write_text("Nyhetsbrev\n\nVälkommen till vårens möte.\n",
                                     encoding="utf-8")
    (inputs / "trasig.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    options = Options(ocr="never")
    pool = run_batch(inputs, tmp_path / "pool", options=options, jobs=2, include_text=True)
    dask = run_batch(inputs, tmp_path / "dask", options=options, include_text=True,
                     dask_address=separate_cluster)
    assert pool.exit_code == dask.exit_code == 1
    assert [r.status for r in dask.records] == ["ok", "ok", "ok", "error"]
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "pool")
    assert records(tmp_path / "dask") == records(tmp_path / "pool")


def test_the_cli_runs_on_a_local_cluster(tmp_path: Path) -> None:
    """`newsletter batch ... --dask local:2` in a fresh process, as the issue's user ran it."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(fixture_file("pdf/sormland_2022_06.pdf"), inputs / "a.pdf")
    (inputs / "b.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "batch", str(inputs), "-o", str(tmp_path / "out"),
         "--dask", "local:2", "--ocr", "never"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1, done.stderr  # one input failed, as it should
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert (tmp_path / "out" / "a.json").exists() and not (tmp_path / "out" / "b.json").exists()
