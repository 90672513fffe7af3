"""Chinese search — our analysis (jieba + bigrams) feeding a Pagefind index.

Once every report page is rendered (or, in an incremental build, taken from the cache:
nianbao.build.state), starts indexing each year's reports in worker processes
(nianbao.speed.index_jobs) while MkDocs writes the pages; after the build, waits for them and lists
the years in `site/pagefind/`. Each page's analysis is cached. The search box itself is
`docs/assets/javascripts/search.js`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from nianbao.search.index import build_analyzer, shard_of
from nianbao.site.listings import org_names
from nianbao.speed.memo import dictionary_loader

if TYPE_CHECKING:
    from nianbao.build.state import Build

log = get_plugin_logger(__name__)


def start_indexing(build: Build) -> None:
    """Start analysing and indexing every report page's sections."""
    pages = build.pages.all()
    analyzer = build_analyzer(pages, dictionary_loader(build.cache_root))
    # An update re-indexes the years of the reports that changed: those go first.
    changed = {shard_of(page.meta) for page in pages if page.meta.year in build.changed_years}
    names = org_names(page.meta for page in pages)
    site_dir = Path(build.config.site_dir)
    build.indexing.start(pages, names, analyzer, build.cache_root, site_dir, first=changed)


def finish_indexing(build: Build) -> None:
    """Wait for the index of every year and list the years."""
    outcomes = build.indexing.finish()
    log.info(
        "search: %d reports (%d dictionary words, %d analysed afresh) in %d yearly bundles, "
        "%d re-indexed",
        sum(outcome.reports for outcome in outcomes),
        build.indexing.dictionary_words,
        sum(outcome.analysed for outcome in outcomes),
        len(outcomes),
        sum(outcome.indexed for outcome in outcomes),
    )
