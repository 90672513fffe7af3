"""A content-addressed cache on disk, so that an update redoes work only for what changed.

The converter keeps each raw file's parsing here, the build hooks each page's sections, search
analysis and each organisation's year-over-year links. A value is stored under the digest of
what it was computed from; every digest also covers the code fingerprint (the source of this
package and the versions of the libraries that shape the values), so changed code starts afresh
instead of reusing stale results. An unreadable entry is a miss. The cache is ours alone
(`.cache/nianbao/` by default, never published), so unpickling it is safe.

Entries are pickled values in one SQLite database, `<root>/cache.sqlite3` (a table of namespace,
key, value). A build writes thousands of entries: as a file each, every one cost a file created
and renamed (about 0.4 ms); as rows of one database, a fraction of that. The converter's and the
build's worker processes write to it side by side (WAL journal; a writer waits for another's
short write). Nothing is synced to disk: a crash of the machine may lose entries, which only
costs the next run time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sqlite3
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Literal, overload

DEFAULT_ROOT = Path(".cache") / "nianbao"
DATABASE_FILE = "cache.sqlite3"
_BUSY_SECONDS = 120  # how long a write waits for another process's
# Libraries whose version changes what we compute (segmentation, rendered sections).
_LIBRARIES = ("jieba", "markdown", "mkdocs", "pymdown-extensions", "mkdocs-material")
_LIBRARIES += ("python-docx", "lxml")  # extraction of .docx and portal pages
# Programs whose presence changes what a file converts to (a .doc/.wps read, or skipped).
_TOOLS = ("antiword", "soffice")


def build_cache_root(docs_dir: str | Path) -> Path | None:
    """Where a site build keeps its cache: `.cache/nianbao/` beside the docs folder, or
    `$NIANBAO_CACHE` (set empty: no cache)."""
    configured = os.environ.get("NIANBAO_CACHE")
    if configured is not None:
        return Path(configured) if configured else None
    return Path(docs_dir).parent / DEFAULT_ROOT


@functools.cache
def code_fingerprint() -> str:
    """A digest of this package's source and the versions of the libraries it relies on."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):  # subpackages (nianbao.extract) too
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for tool in _TOOLS:
        digest.update(f"{tool}={shutil.which(tool) is not None}".encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


def digest_of(*parts: bytes | str) -> str:
    """The key for a value computed from `parts` by the current code."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """One namespace of the cache; `root=None` turns it off (every lookup misses)."""

    def __init__(self, root: Path | None, namespace: str) -> None:
        self.root = root
        self.namespace = namespace
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        """Whether values are kept (a cache with no root keeps none)."""
        return self.root is not None

    def has(self, key: str) -> bool:
        """Whether a value is stored under `key` (without reading it)."""
        return self._select("1", key) is not None

    def get(self, key: str) -> object | None:
        """The value stored under `key`, or None."""
        if self.root is None:
            return None
        self.used.add(key)
        data = self._select("value", key)
        try:
            value = pickle.loads(data) if isinstance(data, bytes) else None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        """Store `value` under `key` (a failure to write only costs the next run time)."""
        if self.root is None:
            return
        self.used.add(key)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with _database(self.root, create=True) as database:
                database.execute(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (self.namespace, key, data)
                )
        except (sqlite3.Error, OSError):
            return

    def prune(self, keep: Iterable[str] | None = None) -> int:
        """Remove the entries not in `keep` (default: those used since this object was made),
        so the cache stays the size of the archive. Returns how many were removed."""
        kept = set(self.used if keep is None else keep)
        try:
            database = _database(self.root) if self.root is not None else None
            if database is None:
                return 0
            with database:
                database.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
                database.execute("DELETE FROM kept")
                database.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((k,) for k in kept))
                removed = database.execute(
                    "DELETE FROM entries WHERE namespace = ? AND key NOT IN (SELECT key FROM kept)",
                    (self.namespace,),
                ).rowcount
                database.execute("DELETE FROM kept")
        except (sqlite3.Error, OSError):
            return 0
        return removed

    def _select(self, column: Literal["value", "1"], key: str) -> object | None:
        """`column` of the entry under `key` (None if there is none, or no database)."""
        try:
            database = _database(self.root) if self.root is not None else None
            if database is None:
                return None
            row = database.execute(
                f"SELECT {column} FROM entries WHERE namespace = ? AND key = ?",
                (self.namespace, key),
            ).fetchone()
        except (sqlite3.Error, OSError):
            return None
        return row[0] if row is not None else None


# Each process's connection to each cache database. A forked process inherits its parent's
# connections but must not use them (nor close them: that could disturb the parent's); it
# opens its own and keeps the inherited ones, unused, until it exits.
_CONNECTIONS: dict[Path, tuple[int, sqlite3.Connection]] = {}
_INHERITED: list[sqlite3.Connection] = []


@overload
def _database(root: Path, *, create: Literal[True]) -> sqlite3.Connection: ...
@overload
def _database(root: Path, *, create: bool = False) -> sqlite3.Connection | None: ...


def _database(root: Path, *, create: bool = False) -> sqlite3.Connection | None:
    """This process's connection to the cache database under `root`; with `create`, the
    database is made if need be, else None when there is none (reading makes nothing).

    Used as a context manager, it makes the statements in its block one transaction."""
    exists = (root / DATABASE_FILE).is_file()
    known = _CONNECTIONS.pop(root, None)
    if known is not None:
        if known[0] != os.getpid():
            _INHERITED.append(known[1])
        elif exists:
            _CONNECTIONS[root] = known
            return known[1]
        else:  # the database was removed (`make clean`) while this process kept it open
            known[1].close()
    if not exists and not create:
        return None
    root.mkdir(parents=True, exist_ok=True)
    database = sqlite3.connect(root / DATABASE_FILE, timeout=_BUSY_SECONDS, check_same_thread=False)
    database.execute("PRAGMA journal_mode = WAL")
    database.execute("PRAGMA synchronous = OFF")
    database.execute(
        "CREATE TABLE IF NOT EXISTS entries (namespace TEXT NOT NULL, key TEXT NOT NULL, "
        "value BLOB NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID"
    )
    _CONNECTIONS[root] = (os.getpid(), database)
    return database
