"""Batch conversion of a folder tree: walk and plan, resume, convert in parallel, record.

- `plan`: the inputs under INPUT_DIR in a stable order, each with its output's place;
- `run`: the batch itself (resume rules, writing outputs and the manifest);
- `executors`: where each file's work runs (this process, worker processes, Dask);
- `manifest`: the records of a batch (plain data);
- `progress`: what the batch shows on stderr while it runs.

The names that callers use are re-exported here: `from pipeline.batch import run_batch`.
"""

from __future__ import annotations

from .plan import PDF_SUFFIXES, BatchInput, BatchPlan, plan_batch
from .run import (
    MANIFEST_NAME,
    ManifestWriter,
    format_target,
    output_identity,
    read_manifest,
    remove_stale_temporaries,
    run_batch,
    write_output,
)

__all__ = [
    "MANIFEST_NAME",
    "PDF_SUFFIXES",
    "BatchInput",
    "BatchPlan",
    "ManifestWriter",
    "format_target",
    "output_identity",
    "plan_batch",
    "read_manifest",
    "remove_stale_temporaries",
    "run_batch",
    "write_output",
]
