"""One build at a time per output folder: a lock file beside it (the build layer's; called by
scripts/build.py and scripts/convert.py).

The lock is `fcntl.flock` on `.<name>.lock` next to the output (`site` → `.site.lock`). The kernel
releases it when the holding process ends, however it ends (`kill -9` included), so a lock left
by a killed run is never in the way: the file stays, the lock does not, and the next run takes
it over — it only notes that the PID written in the file is gone. The PID in the file is there to
name the holder in the message a second run prints while it waits.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Set by a build that holds the locks for its own children (the converter it runs), as
# "<pid> <path>" lines.
HELD_ENV = "NIANBAO_LOCKS_HELD"
POLL_SECONDS = 0.2


class LockBusy(Exception):
    """Another run holds the lock and this one was told not to wait."""

    def __init__(self, path: Path, pid: int | None) -> None:
        super().__init__(busy_message(path, pid))
        self.path = path
        self.pid = pid


def lock_path(output: Path) -> Path:
    """The lock file of an output folder: a dot-file beside it (never published)."""
    output = Path(os.path.abspath(output))
    return output.parent / f".{output.name}.lock"


def busy_message(path: Path, pid: int | None) -> str:
    """What a second run says while the lock is held."""
    holder = f"PID {pid}" if pid else "PID 未知"
    return f"另一个构建正在进行（{holder}），锁文件：{path}"


@contextmanager
def output_lock(
    output: Path, *, wait: bool = True, say: Callable[[str], None] | None = None
) -> Iterator[Path]:
    """Hold the lock of `output` for the block: wait for another run's (saying so once through
    `say`), or raise `LockBusy` when `wait` is False. A parent build that holds the lock for
    this process already (`NIANBAO_LOCKS_HELD`) lends it: nothing is taken then."""
    path = lock_path(output)
    if _held_by_parent(path):
        yield path
        return
    say = say or _to_stderr
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pid = _recorded_pid(fd)
                if not wait:
                    raise LockBusy(path, pid) from None
                if not announced:
                    say(f"{busy_message(path, pid)}；等待其结束……")
                    announced = True
                time.sleep(POLL_SECONDS)
        stale = _recorded_pid(fd)
        if stale and stale != os.getpid() and not _alive(stale):
            say(f"上次的构建（PID {stale}）已中止，接管其锁文件 {path}")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lend_env(paths: list[Path]) -> dict[str, str]:
    """The environment that lends the locks at `paths` (held by this process) to its children."""
    held = "\n".join(f"{os.getpid()} {path}" for path in paths)
    return {**os.environ, HELD_ENV: held}


def _held_by_parent(path: Path) -> bool:
    """Whether the parent process holds this lock and lent it (see `lend_env`)."""
    for entry in os.environ.get(HELD_ENV, "").splitlines():
        pid, _, held = entry.partition(" ")
        if held == str(path) and pid.isdigit() and int(pid) == os.getppid():
            return True
    return False


def _recorded_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
