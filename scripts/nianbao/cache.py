"""A content-addressed cache on disk, so that an update redoes work only for what changed.

The converter keeps each raw file's parsing here, the build hooks each page's sections, search
analysis and each organisation's year-over-year links. A value is stored under the digest of
what it was computed from; every digest also covers the code fingerprint (the source of this
package and the versions of the libraries that shape the values), so changed code starts afresh
instead of reusing stale results. Entries are pickle files `<root>/<namespace>/<ab>/<digest>`,
written atomically; an unreadable entry is a miss. The cache is ours alone (`.cache/nianbao/`
by default, never published), so unpickling it is safe.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

DEFAULT_ROOT = Path(".cache") / "nianbao"
# Libraries whose version changes what we compute (segmentation, rendered sections).
_LIBRARIES = ("jieba", "markdown", "mkdocs", "pymdown-extensions", "mkdocs-material")


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
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
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
        self.folder = root / namespace if root is not None else None
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def has(self, key: str) -> bool:
        """Whether a value is stored under `key` (without reading it)."""
        return self.folder is not None and self._path(key).is_file()

    def get(self, key: str) -> object | None:
        """The value stored under `key`, or None."""
        if self.folder is None:
            return None
        self.used.add(key)
        try:
            with self._path(key).open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        """Store `value` under `key` (a failure to write only costs the next run time)."""
        if self.folder is None:
            return
        self.used.add(key)
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
        except OSError:
            return

    def prune(self, keep: Iterable[str] | None = None) -> int:
        """Remove the entries not in `keep` (default: those used since this object was made),
        so the cache stays the size of the archive. Returns how many were removed."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        kept = set(self.used if keep is None else keep)
        removed = 0
        for path in self.folder.glob("*/*"):
            if path.name not in kept:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
