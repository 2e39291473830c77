"""`make bench`: speed and memory of each stage beside what a user would use instead.

Not part of the test suite (pytest runs with --ignore=tests/bench): nothing here is timed in tests.
Run: `.venv/bin/python -m tests.bench.run` (or `make bench`); `BENCH_QUICK=1` for a 1-run smoke.
"""
