"""How many processes the converter and the build work in: `$NIANBAO_WORKERS`, else one a core.

`NIANBAO_WORKERS=1` keeps all work in one process (a shared server; or to compare outputs).
`map_on_cores` maps a function over many independent items on every core (in this process when
there are few, or one core); pools that hand their workers the build's state by forking ask
`fork_context` for it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
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
    process there."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def map_on_cores(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    at_least: int,
    chunksize: int,
    fork: bool = False,
) -> Iterator[Result]:
    """`function` of each item, in order: in this process when there are fewer than `at_least`
    items or one worker, else in a process pool (forked, so workers inherit what the caller
    set up, when `fork`: in this process where there is no safe fork). Lazy: the pool lives
    while the results are read."""
    workers = worker_count()
    context = fork_context() if fork else None
    if len(items) < at_least or workers < 2 or (fork and context is None):
        yield from map(function, items)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(function, items, chunksize=chunksize)
