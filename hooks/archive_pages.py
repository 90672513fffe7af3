"""MkDocs hook: the archive's listing pages — home overview, per year, organisation, type, topic.

Reads every report page's front matter in `on_files` (cached under the digest of the page, so an
update parses only changed pages), generates the listing pages in memory, fills the home page's
overview marker and, once a listing is rendered, puts its table of reports in place. Bad front
matter is a warning naming the page and key.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.build.pages import ListingFile
from nianbao.schema import ReportMeta
from nianbao.site.listings import (
    OVERVIEW_MARKER,
    REPORTS_DIR,
    TABLE_MARKER,
    listing_pages,
    overview_markdown,
)
from nianbao.speed.cache import Cache, build_cache_root
from nianbao.speed.memo import FRONT_MATTER_CACHE, front_matter_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

_reports: list[ReportMeta] = []
_tables: dict[str, str] = {}  # page → the HTML of its table of reports


def on_files(files: Files, *, config: MkDocsConfig, **kwargs: object) -> Files:
    """Read the reports' front matter and add the generated listing pages."""
    cache = Cache(build_cache_root(config.docs_dir), FRONT_MATTER_CACHE)
    _reports[:] = read_reports(files, cache)
    cache.prune()
    _tables.clear()
    for page in listing_pages(_reports, config.use_directory_urls):
        if files.get_file_from_path(page.src_uri) is None:
            file = ListingFile.generated(config, page.src_uri, content=page.markdown)
            file.signature = hashlib.sha256(f"{page.markdown}\0{page.table}".encode()).hexdigest()
            files.append(file)
            _tables[page.src_uri] = page.table
    return files


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, **kwargs: object
) -> str | None:
    """Fill the home page's overview."""
    if OVERVIEW_MARKER not in markdown:
        return None
    overview, _tables[page.file.src_uri] = overview_markdown(
        _reports, page.file.src_uri, config.use_directory_urls
    )
    return markdown.replace(OVERVIEW_MARKER, overview)


def on_page_content(html: str, *, page: Page, **kwargs: object) -> str | None:
    """Put a listing's table of reports in place (see nianbao.site.listings)."""
    table = _tables.get(page.file.src_uri)
    if table is None or TABLE_MARKER not in html:
        return None
    return html.replace(TABLE_MARKER, table, 1)


def read_reports(files: Files, cache: Cache) -> list[ReportMeta]:
    """The validated front matter of every report page; bad pages are warned about and left out."""
    reports: list[ReportMeta] = []
    for file in files.documentation_pages():
        if not file.src_uri.startswith(f"{REPORTS_DIR}/"):
            continue
        outcome = front_matter_of(cache, file.content_bytes)
        if isinstance(outcome, ReportMeta):
            reports.append(outcome)
        elif outcome is not None:
            problem = f"元数据（front matter）有误：{outcome}——该页不列入列表页"
            log.warning("%s: %s", file.src_uri, problem)
    return reports
