"""MkDocs hook: Chinese search — our analysis (jieba + bigrams) feeding a Pagefind index.

After the build, analyses the sections of every report page (rendered now or, in an incremental
build, taken from the cache: nianbao.page_cache) and writes the index into `site/pagefind/`;
each page's analysis is cached too. The search box itself is `docs/assets/javascripts/search.js`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.archive import org_names
from nianbao.cache import Cache, build_cache_root
from nianbao.page_cache import PAGES
from nianbao.search_index import (
    PageSections,
    build_analyzer,
    records,
    stage_records,
    write_bundles,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


def on_post_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Analyse every report page's sections and write the Pagefind index."""
    rendered = PAGES.all()
    names = org_names(page.meta for page in rendered)
    pages = [
        PageSections(url=p.url, meta=p.meta, org_name=names[p.meta.org_id], sections=p.sections)
        for p in rendered
    ]
    del rendered
    analyzer = build_analyzer(pages)
    cache = Cache(build_cache_root(config.docs_dir), "analysis")
    sections = sum(len(page.sections) for page in pages)
    with tempfile.TemporaryDirectory(prefix="nianbao-pagefind-") as staging:
        counts = stage_records(records(pages, analyzer, cache), Path(staging))
        del pages  # the staged pages hold it all now: free it before Pagefind runs
        indexed = write_bundles(Path(staging), Path(config.site_dir), counts)
    cache.prune()
    log.info(
        "search: %d reports, %d sections (%d dictionary words, %d reports analysed afresh) "
        "in %d yearly bundles, %d re-indexed",
        sum(counts.values()),
        sections,
        len(analyzer.user_words),
        cache.misses + (0 if cache.folder else sum(counts.values())),
        len(counts),
        len(indexed),
    )
