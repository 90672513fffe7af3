"""How many processes the converter and the build work in: `$NIANBAO_WORKERS`, else one a core.

`NIANBAO_WORKERS=1` keeps all work in one process (a shared server; or to compare outputs).
`map_on_cores` maps a function over many independent items on every core (in this process when
there are few, or one core); pools that hand their workers the build's state by forking ask
`fork_context` for it, and call `pool_stopped` once they have stopped.

Before a fork the garbage collector's objects are frozen (`gc.freeze`, as Python's documentation
advises for fork without exec): the collections in the workers then never touch the objects
they share with the build, so those pages of memory are never copied, and the build's own
collections skip the pages, configuration and dictionary it holds. They are thawed once the
pool has stopped, so `mkdocs serve`, which builds again and again, frees them as usual.

When MkDocs is done, `before_exit` freezes them for good: the interpreter's final collections
(several, as it tears its modules down) then skip them. They took 0.3–0.5 s of every build.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
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


def fork_context() -> BaseContext | None:
    """The `fork` start method on Linux; None elsewhere (Windows has no fork, and on macOS
    forking a process that has loaded system frameworks may crash it): work stays in one
    process there. With the context, what the collector tracks is frozen until `pool_stopped`.
    """
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    gc.freeze()
    return multiprocessing.get_context("fork")


def pool_stopped() -> None:
    """A forked pool has stopped: the objects frozen for it are the collector's again."""
    gc.unfreeze()


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
    on_pool = len(items) >= at_least and worker_count() >= 2
    context = fork_context() if on_pool and fork else None
    if not on_pool or (fork and context is None):
        yield from map(function, items)
        return
    try:
        with ProcessPoolExecutor(max_workers=worker_count(), mp_context=context) as pool:
            yield from pool.map(function, items, chunksize=chunksize)
    finally:
        if context is not None:
            pool_stopped()
