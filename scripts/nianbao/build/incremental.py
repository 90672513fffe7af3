"""Incremental builds — re-render only what changed, take the rest from the cache.

Every build keeps each report page's record in the cache (`.cache/nianbao/` beside `docs/`, or
`$NIANBAO_CACHE`; an empty value turns it off) and a record of what it held, so that `mkdocs
build --dirty` (`make update`) renders only what a change reaches (nianbao.build.plan) and
removes the output of pages that are gone; with no usable record it empties the site folder and
renders everything. MkDocs' warning that a dirty build may leave stale links is dropped: the plan
is what prevents them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from nianbao.build.listings import ListingFile
from nianbao.build.plan import BuildState, CurrentBuild, CurrentPage, PageInfo, plan_update
from nianbao.build.publish import BASE_ENV, SITE_ENV
from nianbao.site.listings import REPORTS_DIR
from nianbao.speed.cache import Cache, digest_of

if TYPE_CHECKING:
    from mkdocs.structure.files import File, Files

    from nianbao.build.state import Build

log = get_plugin_logger(__name__)
HOME_PAGE = "index.md"  # renders again in every incremental build (its newest reports)
# MkDocs' generic notes on dirty builds; the plan re-renders and removes what they warn about.
_DIRTY_NOTES = ("A 'dirty' build is being performed", "The directory contains stale files")


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_NOTES)


def page_key(src_uri: str, url: str, markdown: bytes, setup: str) -> str:
    """The cache key of a page's record: its place, its Markdown and the build set-up."""
    return digest_of("page", src_uri, url, markdown, setup)


def quiet_dirty_notes() -> None:
    """Silence MkDocs' generic notes on dirty builds (strict mode would fail on the warning)."""
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _DropDirtyWarning) for f in logger.filters):
        logger.addFilter(_DropDirtyWarning())


def key_pages(build: Build, files: Files) -> None:
    """Key every report page; in an incremental build, plan what renders again and apply it.
    (Once every page is in `files`, before any is read.)"""
    reports = {}
    for file in files.documentation_pages():
        if file.src_uri.startswith(f"{REPORTS_DIR}/"):
            key = page_key(file.src_uri, file.url, file.content_bytes, build.setup)
            build.pages.expected[file.src_uri] = key
            reports[file.src_uri] = file
    build.outputs = {file.dest_uri for file in files}
    build.listings = {
        file.src_uri: file.signature or hashlib.sha256(file.content_bytes).hexdigest()
        for file in files
        if isinstance(file, ListingFile)
    }
    if not build.dirty:
        return
    current = CurrentBuild(
        build.setup,
        {src: _current_page(build, file) for src, file in reports.items()},
        build.listings,
        frozenset(build.outputs),
        os.environ.get(BASE_ENV),
    )
    state_cache, state_key = _state_cache(build)
    previous = state_cache.get(state_key)
    build.plan = plan_update(previous if isinstance(previous, BuildState) else None, current)
    _apply(build, files)


def _current_page(build: Build, file: File) -> CurrentPage:
    key = build.pages.expected[file.src_uri]
    fresh = build.pages.cache.has(key) and not file.is_modified()
    return CurrentPage(key, build.reports.get(file.src_uri), fresh)


def _apply(build: Build, files: Files) -> None:
    """Delete the output of every page that must render again (MkDocs then renders it), and of
    pages that are gone."""
    plan = build.plan
    assert plan is not None
    site = Path(build.config.site_dir)
    if plan.full:
        # Nothing in the site folder can be trusted to belong to the current reports (a
        # withdrawn report's page, say): it starts empty, as in a full build.
        log.info("增量构建：%s——整站重新构建", plan.full)
        _empty(site)
        return
    for src in {*plan.pages, HOME_PAGE}:
        file = files.get_file_from_path(src)
        if file is not None:
            Path(file.abs_dest_path).unlink(missing_ok=True)
    for file in files:
        if isinstance(file, ListingFile):
            file.render_again = file.src_uri in plan.listings
    for stale in plan.stale:
        _remove_output(site, stale)
    log.info(
        "增量构建：%d 篇报告页有变化，%d 篇已移除；"
        "重新渲染 %d 个页面（属 %d 个机构）和 %d/%d 个列表页",
        len(plan.changed),
        len(plan.gone),
        len(plan.pages),
        len(plan.orgs),
        len(plan.listings),
        len(build.listings),
    )


def remember(build: Build) -> None:
    """Keep what this build held for the next incremental one, drop cached pages no longer in
    it, and name the report pages that could be neither rendered nor taken from the cache."""
    pages = {page.src_uri: page for page in build.pages.all()}
    state = BuildState(build.setup, outputs=set(build.outputs), listings=dict(build.listings))
    for src, key in build.pages.expected.items():
        meta = pages[src].meta if src in pages else None
        if meta is not None:
            linked = (*meta.variants, *([meta.variant_of] if meta.variant_of else []))
            state.pages[src] = PageInfo(key, meta.slug, meta.org_id, linked, meta.year)
    state.site_version = Path(build.config.site_dir).name
    state_cache, state_key = _state_cache(build)
    state_cache.put(state_key, state)
    build.pages.cache.prune(build.pages.expected.values())
    for src in build.pages.missing:
        log.warning("%s：本次未渲染，缓存中也没有：请完整构建（make build）", src)


def _state_cache(build: Build) -> tuple[Cache, str]:
    """The cache of build states and this site's key: the site the build will be published as
    (scripts/build.py builds into a fresh folder each time), else the site folder."""
    site = os.environ.get(SITE_ENV) or str(Path(build.config.site_dir).resolve())
    return build.cache("state"), digest_of("state", site)


def _empty(site: Path) -> None:
    """Remove everything in the site folder (an update's copy of the published build)."""
    for path in site.iterdir() if site.is_dir() else ():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _remove_output(site: Path, dest_uri: str) -> None:
    """Remove a gone page's output (and its folder, when it held nothing else)."""
    path = (site / dest_uri).resolve()
    if site.resolve() not in path.parents:
        return
    path.unlink(missing_ok=True)
    folder = path.parent
    if folder != site.resolve() and folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)
