"""How many processes the converter and the build work in, and the life cycle of their pools.

`NIANBAO_WORKERS=1` keeps all work in one process (a shared server; or to compare outputs).
`map_on_cores` maps a function over many independent items on every core (in this process when
there are few, or one core); `WorkerPool` owns a pool's life cycle for it and for the build's
index jobs (nianbao.speed.index_jobs): whether it forks, the collector's freeze, the shutdown.

Before a fork the garbage collector's objects are frozen (`gc.freeze`, as Python's documentation
advises for fork without exec): the collections in the workers then never touch the objects
they share with the build, so those pages of memory are never copied, and the build's own
collections skip the pages, configuration and dictionary it holds. They are thawed once the
pool has stopped, so `mkdocs serve`, which builds again and again, frees them as usual.

When MkDocs is done, `before_exit` freezes them for good: the interpreter's final collections
(several, as it tears its modules down) then skip them.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

WORKERS_VARIABLE = "NIANBAO_WORKERS"
MAX_WORKERS = 8
Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_count() -> int:
    """Processes to work in: `$NIANBAO_WORKERS` if set to a number, else one a core (at most
    MAX_WORKERS)."""
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(os.cpu_count() or 1, MAX_WORKERS)


class WorkerPool:
    """A process pool's life cycle; `executor` is None when there is none (fewer than two
    workers, or `fork` where there is no safe fork: Windows has none, and on macOS forking a
    process that has loaded system frameworks may crash it): the caller then works in its own.

    With `fork` the workers inherit the caller's state, and what the collector tracks is frozen
    until `close`, which cancels the work not started and waits for the rest."""

    def __init__(self, workers: int, *, fork: bool) -> None:
        linux = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
        self.workers = workers if workers >= 2 and (linux or not fork) else 0  # 0: no pool
        self.executor: ProcessPoolExecutor | None = None
        self._frozen = fork and self.workers > 0
        if not self.workers:
            return
        if fork:
            gc.freeze()
        context = multiprocessing.get_context("fork") if fork else None
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        if self._frozen:
            gc.unfreeze()
        self.executor, self.workers, self._frozen = None, 0, False


def before_exit() -> None:
    """The process is about to end: have the collections of Python's shutdown skip every object
    there is now (the memory goes back with the process). Objects left in reference cycles are
    not finalized then, which Python does not promise at exit anyway; files are closed and
    logs flushed before (MkDocs has finished, `logging` shuts down at exit first)."""
    gc.freeze()


def map_on_cores(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    at_least: int,
    chunksize: int,
    fork: bool = False,
) -> Generator[Result, None, None]:
    """`function` of each item, in order: in this process when there are fewer than `at_least`
    items or one worker, else in a process pool (forked, so workers inherit what the caller
    set up, when `fork`: in this process where there is no safe fork). Lazy: the pool lives
    while the results are read."""
    pool = WorkerPool(worker_count() if len(items) >= at_least else 1, fork=fork)
    try:
        if pool.executor is None:
            yield from map(function, items)
        else:
            yield from pool.executor.map(function, items, chunksize=chunksize)
    finally:
        pool.close()
