"""Memoised forms of pure functions, keyed by content and the code fingerprint.

The domain code (nianbao.schema, nianbao.convert, nianbao.search) never imports the cache; the
build and converter call these wrappers where a result is worth keeping between runs: a page's
front matter as the build reads it, jieba's dictionary, each page's analysis for the search
index and jieba's cuts of its runs. Every record kept is a dataclass of this package
(nianbao.speed.cache_codec builds nothing else) or plain data.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nianbao.schema import ReportMeta, read_front_matter, report_meta_or_problem
from nianbao.search import analysis
from nianbao.search.analysis import Analyzer
from nianbao.search.index import Job, page_content, page_job
from nianbao.site.pages import ReportPage
from nianbao.speed.cache import Cache, digest_of

FRONT_MATTER_CACHE = "front-matter"  # namespace of pages' front matter as the build reads it
DICTIONARY_CACHE = "jieba"  # of jieba's dictionary (load_dictionary)
ANALYSIS_CACHE = "analysis"  # of each page's indexed content (page_contents)
CUTS_CACHE = "cuts"  # of jieba's cuts of each page's runs (page_contents)


@dataclass(frozen=True)
class FrontMatterRecord:
    """A page's front matter as `report_meta_or_problem` read it: the report's, or what is wrong
    with it, or neither (the page is not a report)."""

    meta: ReportMeta | None = None
    problem: str | None = None

    @classmethod
    def of(cls, outcome: ReportMeta | str | None) -> FrontMatterRecord:
        if isinstance(outcome, ReportMeta):
            return cls(meta=outcome)
        return cls(problem=outcome)

    @property
    def outcome(self) -> ReportMeta | str | None:
        return self.meta if self.meta is not None else self.problem


def front_matter_of(cache: Cache, page: bytes) -> ReportMeta | str | None:
    """`report_meta_or_problem` of a page's front matter, from the cache where the same bytes
    were read before."""
    key = digest_of(FRONT_MATTER_CACHE, page)  # the page's bytes
    cached = cache.get(key)
    if isinstance(cached, FrontMatterRecord):
        return cached.outcome
    outcome = report_meta_or_problem(read_front_matter(page.decode("utf-8-sig")))
    cache.put(key, FrontMatterRecord.of(outcome))
    return outcome


@dataclass(frozen=True)
class DictionaryRecord:
    """jieba's dictionary: its word frequencies and their total."""

    frequencies: dict[str, int]
    total: int


def load_dictionary(cache: Cache) -> None:
    """`nianbao.search.analysis.load_dictionary`, the word frequencies kept in `cache`: an update
    waits for the dictionary before it analyses the changed reports, and reading them back is
    quicker than jieba's own cache file (marshal)."""
    if analysis.loaded_dictionary() is not None:
        return
    key = digest_of("jieba dictionary")  # the code fingerprint covers jieba's version
    stored = cache.get(key)
    if isinstance(stored, DictionaryRecord):
        analysis.use_dictionary(stored.frequencies, stored.total)
        return
    analysis.load_dictionary()
    loaded = analysis.loaded_dictionary()
    if cache.enabled and loaded is not None:
        cache.put(key, DictionaryRecord(*loaded))
        cache.prune([key])


def dictionary_loader(cache_root: Path | None) -> Callable[[], None]:
    """What an Analyzer loads jieba's dictionary with: `load_dictionary` in the cache of
    `cache_root` (None: no cache)."""
    return functools.partial(load_dictionary, Cache(cache_root, DICTIONARY_CACHE))


def page_contents(
    pages: Sequence[ReportPage], analyzer: Analyzer, cache: Cache, cuts: Cache
) -> Iterator[str]:
    """Every page's `page_content`, in order: from `cache` where the same text was analysed with
    the same dictionary before, the rest now. Yields one page at a time, so a year's index is
    never held in memory twice.

    jieba's cuts of a page's runs are kept in `cuts` under the page's URL: when the page is
    analysed again after an edit, jieba cuts only its new runs (an update whose edits add no
    run holding a dictionary word never loads jieba)."""
    words = hashlib.sha256("\n".join(analyzer.user_words).encode("utf-8")).hexdigest()
    jobs = [page_job(page) for page in pages]
    keys = [digest_of(ANALYSIS_CACHE, words, json.dumps(job, ensure_ascii=False)) for job in jobs]
    cut_keys = [digest_of(CUTS_CACHE, words, page.url) for page in pages]
    cuts.used.update(cut_keys)  # kept while the page is in the archive
    done = [cache.get(key) for key in keys]
    for job, key, cut_key, content in zip(jobs, keys, cut_keys, done, strict=True):
        if not isinstance(content, str):
            content = _analysed(analyzer, job, cuts, cut_key)
            cache.put(key, content)
        yield content


def _analysed(analyzer: Analyzer, job: Job, cuts: Cache, key: str) -> str:
    """A page's content, with jieba's cuts of its runs from its last analysis (and kept for
    its next)."""
    earlier = cuts.get(key)
    if isinstance(earlier, dict):
        analyzer.remember_cuts(earlier)
    with analyzer.recording_cuts() as used:
        content = page_content(analyzer, job)
    cuts.put(key, used)
    return content
