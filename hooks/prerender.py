"""MkDocs hook: report pages rendered on all cores before MkDocs' page loop (nianbao.prerender).

Listed last, so that its on_nav runs after every other hook has added its pages and its
on_page_markdown after every other hook has changed a page's Markdown. A page whose worker
rendered that very Markdown gets, for this one call, a `render` of its own that sets what
`Page.render` would set from the worker's result (MkDocs has no event to skip rendering);
every other page renders as MkDocs does. When MkDocs is done, the process is let exit without
Python's final garbage collections (nianbao.workers.before_exit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.analysis import DICTIONARY_CACHE, load_dictionary
from nianbao.archive import REPORTS_DIR
from nianbao.cache import Cache, build_cache_root
from nianbao.prerender import PRERENDER, markdown_digest
from nianbao.workers import before_exit

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
_build = {"command": "build", "dirty": False}


def on_startup(*, command: str, dirty: bool, **kwargs: object) -> None:
    """Note the command: `mkdocs serve` renders as MkDocs does (its server runs threads, and a
    process with threads should not fork)."""
    _build.update(command=command, dirty=dirty)


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files, **kwargs: object) -> None:
    """Start rendering the report pages this build will read."""
    if _build["command"] == "serve":
        return
    dirty = bool(_build["dirty"])
    pages = [
        file.src_uri
        for file in files.documentation_pages()
        if file.src_uri.startswith(f"{REPORTS_DIR}/") and (not dirty or file.is_modified())
    ]
    workers = PRERENDER.start(config, files, pages)
    if workers:
        log.debug("rendering %d report pages in %d processes", len(pages), workers)
    if workers and not dirty:
        # Meanwhile: jieba's dictionary, for analysing these pages once they are rendered (the
        # search index jobs, forked later, inherit it). An update loads it only if it has runs
        # to cut that were never cut before (nianbao.search_index.analyse_pages).
        load_dictionary(Cache(build_cache_root(config.docs_dir), DICTIONARY_CACHE))


def on_page_markdown(markdown: str, *, page: Page, files: Files, **kwargs: object) -> None:
    """Hand the page its worker's rendering, if the worker rendered this very Markdown."""
    rendered = PRERENDER.take(page.file.src_uri)
    if rendered is None or rendered.digest != markdown_digest(markdown):
        PRERENDER.records.pop(page.file.src_uri, None)
        return

    def render(config: MkDocsConfig, files: Files) -> None:
        del page.render  # back to Page.render
        rendered.apply(page, files)

    page.render = render  # type: ignore[method-assign]
    PRERENDER.handed += 1


def on_post_build(**kwargs: object) -> None:
    """Stop the pool (it is stopped already once every page took its rendering)."""
    PRERENDER.close()


def on_build_error(**kwargs: object) -> None:
    """Stop the pool when the build failed."""
    PRERENDER.close()


def on_shutdown(**kwargs: object) -> None:
    """MkDocs is done (its command ends): let the process exit without collecting garbage."""
    before_exit()
