"""The memory each worker process may use: a decompression bomb or a runaway page ends as one
error record, not as a killed batch or a swapping machine.

The limit is the worker's address space (`RLIMIT_AS`, set with `resource.setrlimit` inside the
worker, so the batch process itself is never limited); an allocation past it raises MemoryError
in Python code, or ends the worker in C code, and either way the file gets an `error` record.
Tesseract, started by the worker, inherits the limit.
"""

from __future__ import annotations

import contextlib
import os

#: The share of the machine's memory that the workers of a batch may use between them.
MACHINE_SHARE = 0.75
#: No default limit below this (a worker with its lexicon and a page image needs a few hundred
#: MB; the largest fixture needs under 600 MB of address space).
MIN_DEFAULT_MB = 1024


def machine_memory_mb() -> int:
    """Physical memory in MB (0 when the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1 << 20)
    except (AttributeError, ValueError, OSError):
        return 0


def default_max_memory_mb(workers: int) -> int:
    """Each of `workers` processes' share of three quarters of the machine's memory (0: no
    limit, when the machine's memory is unknown).

    >>> default_max_memory_mb(2) >= MIN_DEFAULT_MB or machine_memory_mb() == 0
    True
    """
    total = machine_memory_mb()
    if total <= 0:
        return 0
    return max(MIN_DEFAULT_MB, int(total * MACHINE_SHARE) // max(1, workers))


def limit_memory(mb: int) -> None:
    """Limit this process's address space to `mb` MB (0: lift the limit as far as allowed).

    The soft limit only, so that the next file of a long-lived worker can have another one.
    """
    try:
        import resource
    except ImportError:  # not POSIX
        return
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = resource.RLIM_INFINITY if mb <= 0 else mb << 20
        if hard != resource.RLIM_INFINITY and (wanted == resource.RLIM_INFINITY or wanted > hard):
            wanted = hard
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
