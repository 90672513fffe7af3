"""MkDocs hook: incremental builds — re-render only what changed, take the rest from the cache.

Every build keeps each report page's sections and figures in the cache (`.cache/nianbao/` beside
`docs/`, or `$NIANBAO_CACHE`; an empty value turns it off), so the search and year-over-year
hooks can work on the whole archive while MkDocs renders only part of it. `mkdocs build --dirty`
(`make update`) then renders the report pages whose Markdown changed, every page of the
organisations they belong to (their year-over-year links may change), their variants, the
listing pages whose Markdown changed or that compare the changed reports (their organisation's
and year's pages, the topic pages and the indexes) and the home page, and removes the output of
pages that are gone. When the set-up changed (mkdocs.yml, hooks, our code, library versions,
site URL), or there is no record of what the site folder holds (the cache was deleted, or comes
from another build: scripts/build.py says which published build the folder copies), it empties
the folder and renders everything. MkDocs' warning that a dirty build may leave stale links is
dropped: this hook is what prevents them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.build.pages import PAGES, BuildState, ListingFile, PageInfo, page_key
from nianbao.build.publish import BASE_ENV, SITE_ENV
from nianbao.schema import (
    ReportMeta,
    page_report_meta,
    read_front_matter,
    report_meta_or_problem,
)
from nianbao.site.listings import REPORTS_DIR, TOPICS_DIR, org_uri, year_uri
from nianbao.site.pages import ReportPage
from nianbao.site.sections import split_sections
from nianbao.speed.cache import Cache, build_cache_root, code_fingerprint, digest_of
from nianbao.speed.pools import before_exit

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
HOME_PAGE = "index.md"
# MkDocs' generic notes on dirty builds; this hook re-renders and removes what they warn about.
_DIRTY_NOTES = ("A 'dirty' build is being performed", "The directory contains stale files")
_build: dict[str, object] = {"dirty": False, "outputs": set(), "listings": {}}


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_NOTES)


def on_startup(*, command: str, dirty: bool, **kwargs: object) -> None:
    """Note whether this is an incremental (`--dirty`) build."""
    _build["dirty"] = dirty


def on_config(config: MkDocsConfig, **kwargs: object) -> None:
    """Silence MkDocs' generic notes on dirty builds (strict mode would fail on the warning)."""
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _DropDirtyWarning) for f in logger.filters):
        logger.addFilter(_DropDirtyWarning())


def _setup_fingerprint(config: MkDocsConfig) -> str:
    """What every page's HTML depends on besides its own Markdown."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(Path(config.config_file_path).read_bytes())
    for hook in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(hook.read_bytes())
    digest.update(f"{config.site_url}|{config.use_directory_urls}".encode())
    return digest.hexdigest()


def on_pre_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Start the build's page collection with the cache."""
    PAGES.reset(Cache(build_cache_root(config.docs_dir), "pages"))


def _state_cache(config: MkDocsConfig) -> tuple[Cache, str]:
    """The cache of build states and this site's key: the site the build will be published as
    (scripts/build.py builds into a fresh folder each time), else the site folder."""
    site = os.environ.get(SITE_ENV) or str(Path(config.site_dir).resolve())
    return Cache(build_cache_root(config.docs_dir), "state"), digest_of("state", site)


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files, **kwargs: object) -> None:
    """Key every report page; in an incremental build, mark what must render again. (Run once
    every hook has added its pages, before any page is read.)"""
    setup = _setup_fingerprint(config)
    current: dict[str, str] = {}  # report page → its key
    for file in files.documentation_pages():
        if not file.src_uri.startswith(f"{REPORTS_DIR}/"):
            continue
        key = page_key(file.src_uri, file.url, file.content_bytes, setup)
        PAGES.expected[file.src_uri] = (file.url, key)
        current[file.src_uri] = key
    _build["outputs"] = {file.dest_uri for file in files}
    _build["listings"] = {
        file.src_uri: file.signature or hashlib.sha256(file.content_bytes).hexdigest()
        for file in files
        if isinstance(file, ListingFile)
    }
    if _build["dirty"]:
        _mark_for_rendering(files, config, setup, current)


def _mark_for_rendering(
    files: Files, config: MkDocsConfig, setup: str, current: dict[str, str]
) -> None:
    """Delete the output of every page that must render again (MkDocs then renders it), and of
    pages that are gone."""
    state_cache, state_key = _state_cache(config)
    state = state_cache.get(state_key)
    pages = files.documentation_pages()
    base = os.environ.get(BASE_ENV)
    if not isinstance(state, BuildState) or (base is not None and state.site_version != base):
        reason = "没有这个站点上次构建的记录"
    elif state.setup != setup:
        reason = "配置或代码已变"
    else:
        reason = ""
    if reason:
        # Nothing in the site folder can be trusted to belong to the current reports (a
        # withdrawn report's page, say): it starts empty, as in a full build.
        log.info("增量构建：%s——整站重新构建", reason)
        _empty(Path(config.site_dir))
        return
    by_src = {file.src_uri: file for file in pages}
    changed = [
        src
        for src, key in current.items()
        if src not in state.pages
        or state.pages[src].key != key
        or not PAGES.cache.has(key)
        or by_src[src].is_modified()
    ]
    gone = [src for src in state.pages if src not in current]
    orgs: set[str] = set()
    slugs: set[str] = set()
    years: set[int] = set()
    for src in changed:
        meta = _meta_of(by_src[src])
        if meta is not None:
            orgs.add(meta.org_id)
            years.add(meta.year)
            slugs.update([meta.slug, *meta.variants])
            slugs.update([meta.variant_of] if meta.variant_of else [])
    for src in [*changed, *gone]:
        old = state.pages.get(src)
        if old is not None:
            orgs.add(old.org_id)
            years.add(old.year)
            slugs.update([old.slug, *old.linked])
    affected = [
        src
        for src, old in state.pages.items()
        if src in current and (old.org_id in orgs or old.slug in slugs)
    ]
    for src in {*changed, *affected, HOME_PAGE}:
        if src in by_src:
            _unlink(by_src[src])
    PAGES.changed_years.update(years)
    # A year page compares its organisations under their names, which a change may alter.
    years.update(old.year for old in state.pages.values() if old.org_id in orgs)
    compared = {org_uri(org) for org in orgs} | {year_uri(year) for year in years}
    listings: dict[str, str] = _build["listings"]  # type: ignore[assignment]
    again = 0
    for src, digest in listings.items():
        file = by_src[src]
        assert isinstance(file, ListingFile)
        file.render_again = (
            state.listings.get(src) != digest
            or src in compared
            or src.startswith(f"{TOPICS_DIR}/")  # sections about a topic, from every report
            or src.endswith("index.md")
        )
        again += file.render_again
    site = Path(config.site_dir)
    for stale in sorted(state.outputs - _build["outputs"]):  # type: ignore[operator]
        _remove_output(site, stale)
    log.info(
        "增量构建：%d 篇报告页有变化，%d 篇已移除；"
        "重新渲染 %d 个页面（属 %d 个机构）和 %d/%d 个列表页",
        len(changed),
        len(gone),
        len(set(affected) | set(changed)),
        len(orgs),
        again,
        len(listings),
    )


def _meta_of(file: File) -> ReportMeta | None:
    """A changed page's front matter (a bad one: the page renders again and is named then)."""
    outcome = report_meta_or_problem(read_front_matter(file.content_string))
    return outcome if isinstance(outcome, ReportMeta) else None


def _empty(site: Path) -> None:
    """Remove everything in the site folder (an update's copy of the published build)."""
    for path in site.iterdir() if site.is_dir() else ():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _unlink(file: File) -> None:
    Path(file.abs_dest_path).unlink(missing_ok=True)


def _remove_output(site: Path, dest_uri: str) -> None:
    """Remove a gone page's output (and its folder, when it held nothing else)."""
    path = (site / dest_uri).resolve()
    if site.resolve() not in path.parents:
        return
    path.unlink(missing_ok=True)
    folder = path.parent
    if folder != site.resolve() and folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)


def on_page_content(html: str, *, page: Page, **kwargs: object) -> str | None:
    """Keep a rendered report page's sections and figures (in the cache, too)."""
    meta = page_report_meta(page.meta, page.file.src_uri, log, "不进入检索和逐年对照")
    if meta is None:
        return None
    sections = split_sections(html)
    PAGES.add(ReportPage.from_sections(page.file.src_uri, page.url, meta, sections))
    return None


def on_post_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Remember what this build held, and drop cached pages that are no longer in it."""
    pages = {page.src_uri: page for page in PAGES.all()}
    state = BuildState(setup=_setup_fingerprint(config))
    for src, (_, key) in PAGES.expected.items():
        page = pages.get(src)
        if page is None:
            continue
        linked = (*page.meta.variants, *([page.meta.variant_of] if page.meta.variant_of else []))
        state.pages[src] = PageInfo(key, page.meta.slug, page.meta.org_id, linked, page.meta.year)
    state.outputs = set(_build["outputs"])  # type: ignore[call-overload]
    state.listings = dict(_build["listings"])  # type: ignore[call-overload]
    state.site_version = Path(config.site_dir).name
    state_cache, state_key = _state_cache(config)
    state_cache.put(state_key, state)
    PAGES.cache.prune(key for _, key in PAGES.expected.values())
    for src in PAGES.missing:
        log.warning("%s：本次未渲染，缓存中也没有：请完整构建（make build）", src)


def on_shutdown(**kwargs: object) -> None:
    """MkDocs is done (its command ends): let the process exit without collecting garbage."""
    before_exit()
