"""Worker processes: how many share a piece of work, decided in one place.

Checks, site builds and loads fork workers only where they win (issue 14):
on this project's 2-core benchmarks a pool was slower than one process for
small work, and a fork copies only the calling thread, so a process running
other threads (``mkdocs serve``, a language server) is never forked unasked.
"""

from __future__ import annotations

import os
import threading

__all__ = ["fork_processes", "usable_cores"]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS and Windows


def fork_processes(jobs: int, enough: bool) -> int:
    """How many forked processes share a piece of work (1: this one alone).

    ``jobs`` as asked; for 0 (or less), every usable core when the work is
    ``enough`` to pay for the workers and this process runs no other thread.
    Always 1 where processes cannot be forked.
    """
    if jobs == 1 or (jobs <= 0 and not enough):
        return 1
    import multiprocessing  # only here: 6 ms to import, and most work is small

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if jobs <= 0:
        if threading.active_count() > 1:
            return 1  # a fork copies only this thread: with others running it could deadlock
        jobs = usable_cores()
    return max(1, jobs)
