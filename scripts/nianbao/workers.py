"""How many processes the converter and the build work in: `$NIANBAO_WORKERS`, else one a core.

`NIANBAO_WORKERS=1` keeps all work in one process (a shared server; or to compare outputs).
Pools that hand their workers the build's state by forking ask `fork_context` for it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from multiprocessing.context import BaseContext

WORKERS_VARIABLE = "NIANBAO_WORKERS"
MAX_WORKERS = 8


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
