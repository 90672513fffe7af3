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
from types import TracebackType
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


def can_fork() -> bool:
    """Whether pools may fork: on Linux only (Windows has no fork, and on macOS forking a process
    that has loaded system frameworks may crash it): work stays in one process elsewhere."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


class WorkerPool:
    """A process pool, or none (`executor` is None: the caller works in this process).

    With `fork`, the workers inherit the caller's state by forking, and what the collector
    tracks is frozen until the pool is closed; where there is no safe fork there is no pool.
    Closing cancels the work not yet started. Usable as a context manager."""

    def __init__(self, workers: int, *, fork: bool) -> None:
        self.executor: ProcessPoolExecutor | None = None
        self.workers = 0  # processes working (0: none, the caller works in its own)
        self._frozen = False
        if workers < 2 or (fork and not can_fork()):
            return
        if fork:
            gc.freeze()
            self._frozen = True
        context = multiprocessing.get_context("fork") if fork else None
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        self.workers = workers

    def close(self) -> None:
        """Stop the workers (waiting for the running jobs) and thaw what was frozen for them."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
            self.workers = 0
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
    workers = worker_count() if len(items) >= at_least else 1
    with WorkerPool(workers, fork=fork) as pool:
        if pool.executor is None:
            yield from map(function, items)
        else:
            yield from pool.executor.map(function, items, chunksize=chunksize)
