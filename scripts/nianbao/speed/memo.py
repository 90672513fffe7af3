"""Memoised forms of pure functions, keyed by content and the code fingerprint.

The domain code (nianbao.schema, nianbao.convert, nianbao.search) never imports the cache; the
build and converter call these wrappers where a result is worth keeping between runs. Every
record kept is a dataclass of this package (nianbao.speed.cache_codec builds nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.schema import ReportMeta, read_front_matter, report_meta_or_problem
from nianbao.speed.cache import Cache, digest_of

FRONT_MATTER_CACHE = "front-matter"  # namespace of pages' front matter as the build reads it


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


def front_matter_key(page: bytes) -> str:
    """The key of a page's front matter: the digest of the page's bytes."""
    return digest_of(FRONT_MATTER_CACHE, page)


def remember_front_matter(cache: Cache, page: bytes, outcome: ReportMeta | str | None) -> None:
    """Keep what a page's front matter reads as (the converter does, for the pages it writes,
    so that the build need not parse them again)."""
    cache.put(front_matter_key(page), FrontMatterRecord.of(outcome))


def front_matter_of(cache: Cache, page: bytes) -> ReportMeta | str | None:
    """`report_meta_or_problem` of a page's front matter, from the cache where the same bytes
    were read before."""
    key = front_matter_key(page)
    cached = cache.get(key)
    if isinstance(cached, FrontMatterRecord):
        return cached.outcome
    outcome = report_meta_or_problem(read_front_matter(page.decode("utf-8-sig")))
    cache.put(key, FrontMatterRecord.of(outcome))
    return outcome
