"""Indexing the search while MkDocs writes the pages: one job a year, in worker processes.

nianbao.build.search starts the jobs as soon as every report page is rendered (on_env) and
collects them after the build (on_post_build), so that the analysis and Pagefind run beside
MkDocs' templating instead of after it. Each job analyses one year's reports (from the cache
where it can: nianbao.speed.memo.page_contents), stages their records and indexes them with
Pagefind (nianbao.search.index), unless that year's bundle was built from the same records (then
nothing is written). The pool forks (the jobs read the pages from the build's memory, and it is
started while the build runs no other thread); without fork, or with `NIANBAO_WORKERS=1`, the
jobs run one after the other when collected.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.search.analysis import Analyzer
from nianbao.search.index import finish_bundles, index_shard, records, shard_of, stage_records
from nianbao.site.pages import ReportPage
from nianbao.speed.cache import Cache
from nianbao.speed.memo import ANALYSIS_CACHE, CUTS_CACHE, dictionary_loader, page_contents
from nianbao.speed.pools import WorkerPool, worker_count


@dataclass(frozen=True)
class ShardOutcome:
    """What indexing one year did."""

    shard: str
    reports: int
    analysed: int  # reports analysed afresh (not from the cache)
    indexed: bool  # Pagefind ran (the records differ from the bundle's)
    cache_keys: frozenset[str] = frozenset()  # the analysis cache entries it used
    cut_keys: frozenset[str] = frozenset()  # the entries of jieba's cuts it keeps


@dataclass
class _Job:
    """What every job reads: set before the pool forks, so workers inherit it."""

    pages: dict[str, list[ReportPage]] = field(default_factory=dict)  # by shard
    org_names: Mapping[str, str] = field(default_factory=dict)  # display names, by org_id
    user_words: list[str] = field(default_factory=list)
    cache_root: Path | None = None
    staging: Path = Path()
    site_dir: Path = Path()
    analyzer: Analyzer | None = None  # one per process, made on its first job


_JOB = _Job()


def _index(shard: str) -> ShardOutcome:
    if _JOB.analyzer is None:
        _JOB.analyzer = Analyzer(_JOB.user_words, dictionary_loader(_JOB.cache_root))
    pages = _JOB.pages[shard]
    cache = Cache(_JOB.cache_root, ANALYSIS_CACHE)
    cuts = Cache(_JOB.cache_root, CUTS_CACHE)
    contents = page_contents(pages, _JOB.analyzer, cache, cuts)
    staged = stage_records(records(pages, contents, _JOB.org_names))
    count = len(staged)
    indexed = index_shard(staged, _JOB.staging, _JOB.site_dir, shard)
    analysed = cache.misses if cache.enabled else count
    used = frozenset(cache.used)
    return ShardOutcome(shard, count, analysed, indexed, used, frozenset(cuts.used))


@dataclass
class Indexing:
    """The index jobs of one build."""

    workers: int = 0  # processes the current build indexes in (0: none, in the build's own)
    dictionary_words: int = 0  # words in the analysis' user dictionary
    _futures: list[Future[ShardOutcome]] = field(default_factory=list)
    _pool: WorkerPool | None = None
    _staging: tempfile.TemporaryDirectory[str] | None = None

    def start(
        self,
        pages: Sequence[ReportPage],
        org_names: Mapping[str, str],
        analyzer: Analyzer,
        cache_root: Path | None,
        site_dir: Path,
        first: Collection[str] = (),
    ) -> None:
        """Start indexing every year's reports (`org_names`: each organisation's display name,
        by org_id): the years in `first` (whose reports changed: the rest are likely indexed
        already), then the biggest years first."""
        self.close()
        by_shard: dict[str, list[ReportPage]] = defaultdict(list)
        for page in pages:
            by_shard[shard_of(page.meta)].append(page)
        self._staging = tempfile.TemporaryDirectory(prefix="nianbao-pagefind-")
        _JOB.pages = dict(by_shard)
        _JOB.org_names = org_names
        _JOB.user_words = analyzer.user_words
        self.dictionary_words = len(analyzer.user_words)
        _JOB.analyzer = analyzer
        _JOB.cache_root = cache_root
        _JOB.staging = Path(self._staging.name)
        _JOB.site_dir = site_dir
        self._pool = WorkerPool(min(worker_count(), len(by_shard)), fork=True)
        self.workers = self._pool.workers
        executor = self._pool.executor
        if executor is None:
            return
        _JOB.analyzer = None  # one per worker (jieba's dictionary copied if loaded before)
        for shard in sorted(by_shard, key=lambda s: (s not in first, -len(by_shard[s]))):
            self._futures.append(executor.submit(_index, shard))

    def finish(self) -> list[ShardOutcome]:
        """Wait for every year's index (or build them now, without a pool), then list the
        years; returns what each year's job did, by year."""
        try:
            if self._futures:
                outcomes = [future.result() for future in self._futures]
            else:
                outcomes = [_index(shard) for shard in sorted(_JOB.pages)]
            counts = {outcome.shard: outcome.reports for outcome in outcomes}
            finish_bundles(_JOB.site_dir, counts)
            used = (key for outcome in outcomes for key in outcome.cache_keys)
            Cache(_JOB.cache_root, ANALYSIS_CACHE).prune(used)
            kept = (key for outcome in outcomes for key in outcome.cut_keys)
            Cache(_JOB.cache_root, CUTS_CACHE).prune(kept)
            return sorted(outcomes, key=lambda outcome: outcome.shard)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the pool and remove the staged records."""
        if self._pool is not None:
            self._pool.close()
        self._pool = None
        self._futures = []
        if self._staging is not None:
            self._staging.cleanup()
        self._staging = None
        _JOB.pages = {}
        _JOB.analyzer = None
