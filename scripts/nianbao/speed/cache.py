"""A content-addressed cache on disk, so that an update redoes work only for what changed.

The converter keeps each raw file's parsing here, the build hooks each page's sections, search
analysis and each organisation's year-over-year links: the build side and the wrappers of
nianbao.speed.memo use it, the domain code never imports it. A value is stored under the digest
of what it was computed from; every digest also covers the code fingerprint (the source of this
package and the versions of the libraries that shape the values), so changed code starts afresh
instead of reusing stale results.

Entries are rows of one SQLite database per input folder, `<root>/<folder digest>/cache.sqlite3`
(the converter's under the reports folder's digest, the build's under the docs folder's), so two
archives never share or prune each other's entries. A value is JSON that reads back into our own
record types only (nianbao.speed.cache_codec): no pickle, so whoever can write the cache cannot make
the build run code. Each entry carries the SHA-256 of its namespace, key and value, checked on
every read: an entry that does not match or does not decode (truncated, edited, garbage) is
removed, counts as a miss — the value is computed again — and is noted in the database's
`damaged` table, which `make build`/`make update` report in one warning (`report_damaged`).
Deleting the cache (`make clean-cache`) only costs time.

A build writes thousands of entries: as a file each, every one cost a file created and renamed;
as rows of one database, a fraction of that. The converter's and the build's worker processes
write to it side by side (WAL journal; a writer waits for another's short write). Nothing is
synced to disk: a crash of the machine may lose or damage entries, which the checksums catch and
which only costs the next run time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Literal, overload

from nianbao.speed.cache_codec import CodecError, decode, encode

DEFAULT_ROOT = Path(".cache") / "nianbao"
DATABASE_FILE = "cache.sqlite3"
SCOPE_CHARS = 16  # hex digits of the input folder's digest naming its database's folder
_BUSY_SECONDS = 120  # how long a write waits for another process's
# Libraries whose version changes what we compute (segmentation, rendered sections).
_LIBRARIES = (
    "jieba",
    "markdown",
    "mkdocs",
    "pymdown-extensions",
    "mkdocs-material",
    # What the input formats are read with: a new version may read a file differently.
    "lxml",
    "python-docx",
    "pdfplumber",
    "pdfminer.six",
    "rapidocr-onnxruntime",
    "striprtf",
)
_PACKAGE = Path(__file__).parents[1]  # the whole nianbao package
# Programs whose presence changes what a file converts to (a .doc/.wps read, or skipped).
_TOOLS = ("antiword", "soffice")


def build_cache_root(docs_dir: str | Path) -> Path | None:
    """Where a site build keeps its cache: `.cache/nianbao/` beside the docs folder, or
    `$NIANBAO_CACHE` (set empty: no cache) — in the folder of the docs folder's entries."""
    configured = os.environ.get("NIANBAO_CACHE")
    if configured is not None:
        return scoped_root(Path(configured), docs_dir) if configured else None
    return scoped_root(Path(docs_dir).parent / DEFAULT_ROOT, docs_dir)


def scoped_root(root: Path, input_dir: str | Path) -> Path:
    """The folder under a cache root that holds the entries of one input folder (by its
    resolved path)."""
    resolved = str(Path(input_dir).resolve())
    return root / hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:SCOPE_CHARS]


def report_damaged(root: Path) -> int:
    """How many damaged entries the runs since the last call found under a cache root (each
    was recomputed); the count is reset."""
    total = 0
    for path in sorted(root.glob(f"*/{DATABASE_FILE}")):
        try:
            database = _database(path.parent)
            if database is None:
                continue
            with database:
                total += database.execute("SELECT count(*) FROM damaged").fetchone()[0]
                database.execute("DELETE FROM damaged")
        except (sqlite3.Error, OSError):
            continue
    return total


@functools.cache
def code_fingerprint(package: Path = _PACKAGE) -> str:
    """A digest of this package's source and the versions of the libraries it relies on."""
    digest = hashlib.sha256()
    # Sub-packages too: a change in how a format is extracted must not reuse old parses.
    for path in sorted(package.rglob("*.py")):
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
        self.damaged = 0  # entries found damaged (and removed) by this object
        self._checked: dict[str, object] = {}  # values read by `has`, until their `get`

    @property
    def enabled(self) -> bool:
        """Whether values are kept (a cache with no root keeps none)."""
        return self.root is not None

    def has(self, key: str) -> bool:
        """Whether a sound value is stored under `key` (it is read and checked, and kept for
        the `get` that follows: a damaged entry counts as none, so its value is made again)."""
        if key in self._checked:
            return True
        value = self.get(key)
        if value is not None:
            self._checked[key] = value
        return value is not None

    def get(self, key: str) -> object | None:
        """The value stored under `key`, or None (also when the entry is damaged: it is then
        removed and noted, see `report_damaged`)."""
        if self.root is None:
            return None
        self.used.add(key)
        if key in self._checked:
            return self._checked.pop(key)
        row = self._select(key)
        value = None
        if row is not None:
            data, checksum = row
            try:
                if not isinstance(data, bytes) or checksum != self._checksum(key, data):
                    raise CodecError("checksum")
                value = decode(data)
            except CodecError:
                self.damaged += 1
                self._note_damaged(key)
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
        self._checked.pop(key, None)
        data = encode(value)
        row = (self.namespace, key, data, self._checksum(key, data))
        try:
            with _database(self.root, create=True) as database:
                database.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", row)
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

    def _select(self, key: str) -> tuple[object, object] | None:
        """The value and checksum of the entry under `key` (None if there is none)."""
        try:
            database = _database(self.root) if self.root is not None else None
            if database is None:
                return None
            row = database.execute(
                "SELECT value, checksum FROM entries WHERE namespace = ? AND key = ?",
                (self.namespace, key),
            ).fetchone()
        except (sqlite3.Error, OSError):
            return None
        return (row[0], row[1]) if row is not None else None

    def _checksum(self, key: str, data: bytes) -> str:
        digest = hashlib.sha256(f"{self.namespace}\0{key}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def _note_damaged(self, key: str) -> None:
        """Remove a damaged entry and note it for the build's one warning."""
        try:
            database = _database(self.root) if self.root is not None else None
            if database is None:
                return
            with database:
                database.execute(
                    "DELETE FROM entries WHERE namespace = ? AND key = ?", (self.namespace, key)
                )
                database.execute("INSERT INTO damaged VALUES (?, ?)", (self.namespace, key))
        except (sqlite3.Error, OSError):
            return


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
        "value BLOB NOT NULL, checksum TEXT NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID"
    )
    database.execute("CREATE TABLE IF NOT EXISTS damaged (namespace TEXT, key TEXT)")
    _CONNECTIONS[root] = (os.getpid(), database)
    return database
