"""MkDocs hook: Chinese search — our analysis (jieba + bigrams) feeding a Pagefind index.

Once every report page is rendered (or, in an incremental build, taken from the cache:
nianbao.build.pages), starts indexing each year's reports in worker processes
(nianbao.speed.index_jobs) while MkDocs writes the pages; after the build, waits for them and lists
the years in `site/pagefind/`. Each page's analysis is cached. The search box itself is
`docs/assets/javascripts/search.js`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.build.pages import PAGES
from nianbao.search.index import build_analyzer, shard_of
from nianbao.site.listings import org_names
from nianbao.speed.cache import build_cache_root
from nianbao.speed.index_jobs import INDEXING
from nianbao.speed.memo import dictionary_loader

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


def on_env(env: Environment, *, config: MkDocsConfig, **kwargs: object) -> None:
    """Start analysing and indexing every report page's sections."""
    pages = PAGES.all()
    cache_root = build_cache_root(config.docs_dir)
    analyzer = build_analyzer(pages, dictionary_loader(cache_root))
    # An update re-indexes the years of the reports that changed: those go first.
    changed = {shard_of(page.meta) for page in pages if page.meta.year in PAGES.changed_years}
    names = org_names(page.meta for page in pages)
    INDEXING.start(pages, names, analyzer, cache_root, Path(config.site_dir), first=changed)


def on_post_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Wait for the index of every year and list the years."""
    outcomes = INDEXING.finish()
    log.info(
        "search: %d reports (%d dictionary words, %d analysed afresh) in %d yearly bundles, "
        "%d re-indexed",
        sum(outcome.reports for outcome in outcomes),
        INDEXING.dictionary_words,
        sum(outcome.analysed for outcome in outcomes),
        len(outcomes),
        sum(outcome.indexed for outcome in outcomes),
    )


def on_build_error(**kwargs: object) -> None:
    """Stop the index jobs of a failed build."""
    INDEXING.close()
