"""A 50-file slice of `make fuzz` (tests/fuzz.py): damaged copies of the small fixture PDFs, one
batch in a fresh process; every input ends as one `ok` or `error` record with a one-line
message, no traceback, no hang, no partial output."""

from __future__ import annotations

from pathlib import Path

from . import fuzz


def test_fifty_mutated_fixtures_each_end_as_one_clean_record(tmp_path: Path) -> None:
    made = fuzz.make_inputs(tmp_path / "in", 50, seed=0, small_only=True)
    assert len(made) == 50 and len({how.split(":")[0] for how in made.values()}) >= 4
    again = fuzz.make_inputs(tmp_path / "again", 50, seed=0, small_only=True)
    assert again == made and all(  # fixed seeds: the same files every run
        (tmp_path / "in" / n).read_bytes() == (tmp_path / "again" / n).read_bytes() for n in made)
    exit_code, stderr, seconds = fuzz.run_batch_process(tmp_path / "in", tmp_path / "out",
                                                        jobs=2, timeout=120)
    report = fuzz.check(tmp_path / "in", tmp_path / "out", exit_code, stderr, seconds)
    assert report.ok, report.summary() + "\n" + "\n".join(report.problems[:10])
    assert report.files == sum(report.statuses.values()) == 50
