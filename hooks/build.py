"""MkDocs hooks: the archive's build, event by event, in the order its steps must run.

Each event hands its work to nianbao.build, passing the build's state (nianbao.build.state.Build,
made at `on_config`) explicitly; this module keeps only a reference to the current build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from nianbao.build import incremental, links, listings, report_pages, search
from nianbao.build.state import Build, end_process, start_build

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

_dirty = False  # `mkdocs build --dirty` (make update), known at startup only
_build: Build | None = None  # the current build


def on_startup(*, command: str, dirty: bool, **kwargs: object) -> None:
    global _dirty
    _dirty = dirty


def on_config(config: MkDocsConfig, **kwargs: object) -> None:
    """Start the build (a wrong audience setting stops it, naming the setting)."""
    global _build
    try:
        _build = start_build(config, _dirty)
    except ValueError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from exc
    incremental.quiet_dirty_notes()


def current() -> Build:
    """The build under way."""
    if _build is None:
        raise PluginError("hooks/build.py: an event came before on_config")
    return _build


def on_files(files: Files, **kwargs: object) -> Files:
    """Read the reports (a public build leaves some out) and add the listing pages."""
    listings.read_reports(current(), files)
    return files


def on_nav(nav: Navigation, *, files: Files, **kwargs: object) -> None:
    """Key every report page (all are in `files` now); an incremental build plans its work."""
    incremental.key_pages(current(), files)


def on_page_markdown(markdown: str, *, page: Page, **kwargs: object) -> str | None:
    return listings.fill_overview(current(), markdown, page)


def on_page_content(html: str, *, page: Page, files: Files, **kwargs: object) -> str:
    """Keep a report page's record (from its HTML as rendered), then add its metadata block;
    put a listing's table in place."""
    html = report_pages.report_page(current(), html, page, files)
    return listings.put_table(current(), html, page)


def on_env(env: Environment, *, files: Files, **kwargs: object) -> None:
    """Every page is rendered: escape the theme's texts, link the archive year over year (on
    all cores), then start the search index beside MkDocs' writing of the pages."""
    report_pages.escape_titles(files)
    links.link_archive(current())
    search.start_indexing(current())


def on_page_context(context: dict, *, page: Page, **kwargs: object) -> dict:
    links.add_links(current(), page)
    return context


def on_post_build(**kwargs: object) -> None:
    """Remember the build for the next update, write the data files, finish the index."""
    incremental.remember(current())
    links.write_data(current())
    search.finish_indexing(current())


def on_build_error(**kwargs: object) -> None:
    """Stop the index jobs of a failed build."""
    if _build is not None:
        _build.indexing.close()


def on_shutdown(**kwargs: object) -> None:
    end_process()
