"""Atomic publishing of the site and of the converter's pages (the build layer's; called by
scripts/build.py and scripts/convert.py).

The site (`SITE`, e.g. `site/`) is a symbolic link to one finished build in `.site.builds/`
beside it. A build writes a fresh folder there; only when it succeeded does a new link replace
the old one, with one `rename()` — atomic: a web server serving `SITE` finds either the whole
previous build or the whole new one, never a mix, a half-emptied folder or no folder at all.
nginx and `python -m http.server` resolve the path for every request, so they follow the new
link at once; a request in flight finishes on the folder it opened, which is kept until the
next build (only older builds are removed). A failed or killed build leaves its folder behind;
the next run removes it. An update (`mkdocs build --dirty`) works on a copy of the published
build, so it never touches what is being served either.

Two renames of real folders (`site` → old, new → `site`) would leave a moment with no site and,
if the build died between them, no site at all; a link swapped by one rename has neither. The
first build after an upgrade turns an existing `site/` folder into a build of `.site.builds/`
(the only moment with two renames).

The converter's output folder (`docs/reports`) is read by MkDocs alone, after the conversion:
it stays a real folder and is swapped with two renames (the old one first to `.<name>.old`);
a run killed between them is repaired by the next run before it starts.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# What scripts/build.py tells the MkDocs build it runs (read by nianbao.build.incremental): the site
# the build folder will be published as, and the published build an update's folder copies.
SITE_ENV = "NIANBAO_SITE"
BASE_ENV = "NIANBAO_SITE_BASE"
BUILDS_SUFFIX = ".builds"
LISTING_SUFFIX = ".listing"


@dataclass(frozen=True)
class SiteBuild:
    """A build folder of the site being written: `base` is the published build it copies (for
    an update), or None (a full build, starting empty)."""

    site: Path
    folder: Path
    base: Path | None


def builds_dir(site: Path) -> Path:
    """The folder beside `site` that holds its builds (a dot-folder: never published)."""
    site = Path(os.path.abspath(site))
    return site.parent / f".{site.name}{BUILDS_SUFFIX}"


def published_build(site: Path) -> Path | None:
    """The build folder `site` points to now (a real folder if not yet converted), or None."""
    if site.is_symlink():
        target = site.resolve()
        return target if target.is_dir() else None
    return site if site.is_dir() else None


def begin_site_build(site: Path, *, update: bool) -> SiteBuild:
    """Make the folder a new build writes into. An update starts from a copy of the published
    build when that build is still exactly as it was published (no file deleted or added since),
    else — and for a full build — from an empty folder."""
    site = Path(os.path.abspath(site))
    builds = builds_dir(site)
    builds.mkdir(parents=True, exist_ok=True)
    _remove_unpublished(site)
    # A name of its own (time and PID say which run made it, for whoever looks in the folder).
    prefix = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-"
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=builds))
    folder.chmod(0o755)  # served as it is: readable by the web server, as a folder made by mkdir
    current = published_build(site)
    if update and current is not None and _unchanged_since_published(current):
        shutil.copytree(current, folder, symlinks=True, dirs_exist_ok=True)
        return SiteBuild(site, folder, current)
    return SiteBuild(site, folder, None)


def publish_site(build: SiteBuild) -> None:
    """Point the site at the finished build with one atomic rename, then remove all builds but
    it and the one it replaces (a request in flight may still read that)."""
    site, folder = build.site, build.folder
    _record_listing(folder)
    builds = builds_dir(site)
    link = site.parent / f".{site.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(folder, site.parent))
    previous = published_build(site)
    if site.is_dir() and not site.is_symlink():
        # A folder from before atomic publishing: it becomes a build like the others.
        legacy = builds / f"{site.name}-before"
        shutil.rmtree(legacy, ignore_errors=True)
        site.rename(legacy)
        previous = legacy
    os.replace(link, site)
    keep = {folder.name, previous.name if previous is not None else ""}
    for old in builds.iterdir():
        name = old.name.removesuffix(LISTING_SUFFIX)
        if name not in keep:
            _remove(old)


def discard_site_build(build: SiteBuild) -> None:
    """Remove a build that failed (the published one stays as it is)."""
    _remove(build.folder)


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A copy of `target` to write into; it replaces `target` when the block ends normally,
    and is removed when it raises (`target` untouched). Files are hard links into `target`:
    whoever writes into the copy must replace a file rather than write over it."""
    target = Path(os.path.abspath(target))
    recover_folder(target)
    if target.exists() and not target.is_dir():  # never replace what is not our folder
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    staging = target.parent / f".{target.name}.staging-{os.getpid()}"
    _remove(staging)
    for leftover in target.parent.glob(f".{target.name}.staging-*"):
        _remove(leftover)  # from a run that was killed (the caller holds the output's lock)
    if target.is_dir():
        shutil.copytree(target, staging, symlinks=True, copy_function=os.link)
    else:
        staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        _remove(staging)
        raise
    old = target.parent / f".{target.name}.old"
    _remove(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    _remove(old)


def recover_folder(target: Path) -> None:
    """Put back an output folder whose swap was cut off between its two renames."""
    old = target.parent / f".{target.name}.old"
    if not target.exists() and old.is_dir():
        old.rename(target)


def site_listing(folder: Path) -> str:
    """A digest of which files a build folder holds and their sizes."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            digest.update(
                f"{path.relative_to(folder).as_posix()}\0{path.lstat().st_size}\n".encode()
            )
    return digest.hexdigest()


def _record_listing(folder: Path) -> None:
    listing = folder.parent / f"{folder.name}{LISTING_SUFFIX}"
    listing.write_text(site_listing(folder) + "\n", encoding="utf-8")


def _unchanged_since_published(folder: Path) -> bool:
    """Whether a published build still holds the files it was published with (a deleted search
    index or page makes an update start afresh instead of keeping the gap)."""
    listing = folder.parent / f"{folder.name}{LISTING_SUFFIX}"
    try:
        recorded = listing.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return recorded == site_listing(folder)


def _remove_unpublished(site: Path) -> None:
    """Remove build folders of runs that failed or were killed (the caller holds the lock)."""
    builds = builds_dir(site)
    current = published_build(site)
    for folder in builds.iterdir():
        if (
            folder.is_dir()
            and folder != current
            and not (folder.parent / f"{folder.name}{LISTING_SUFFIX}").is_file()
        ):
            _remove(folder)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
