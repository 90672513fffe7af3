"""MkDocs hook: Chinese search — our analysis (jieba + bigrams) feeding a Pagefind index.

Collects each report page's sections as it renders, then after the build writes the index into
`site/pagefind/`. The search box itself is `docs/assets/javascripts/search.js`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.archive import org_names
from nianbao.schema import ReportMeta, page_report_meta
from nianbao.search_index import (
    PageSections,
    build_analyzer,
    records,
    stage_records,
    write_bundles,
)
from nianbao.sections import Section, split_sections

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

_pages: list[tuple[str, ReportMeta, tuple[Section, ...]]] = []


def on_pre_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Start each build with no collected pages (mkdocs serve rebuilds in one process)."""
    _pages.clear()


def on_page_content(html: str, *, page: Page, **kwargs: object) -> str | None:
    """Collect the sections of a report page."""
    meta = page_report_meta(page.meta, page.file.src_uri, log, "page not searchable")
    if meta is None:
        return None
    _pages.append((page.url, meta, split_sections(html)))
    return None


def on_post_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Analyse every collected section and write the Pagefind index."""
    names = org_names(meta for _, meta, _ in _pages)
    pages = [
        PageSections(url=url, meta=meta, org_name=names[meta.org_id], sections=sections)
        for url, meta, sections in sorted(_pages, key=lambda item: item[0])
    ]
    _pages.clear()
    analyzer = build_analyzer(pages)
    sections = sum(len(page.sections) for page in pages)
    with tempfile.TemporaryDirectory(prefix="nianbao-pagefind-") as staging:
        counts = stage_records(records(pages, analyzer), Path(staging))
        del pages  # the staged pages hold it all now: free it before Pagefind runs
        indexed = write_bundles(Path(staging), Path(config.site_dir), counts)
    log.info(
        "search: %d reports, %d sections (%d dictionary words) in %d yearly bundles, %d re-indexed",
        sum(counts.values()),
        sections,
        len(analyzer.user_words),
        len(counts),
        len(indexed),
    )
