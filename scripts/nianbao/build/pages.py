"""Every report page of a build — rendered now or taken from the cache — for the hooks that work
on the whole archive (search, year over year).

A report page yields its sections (nianbao.site.sections), the figures they state and the topics
they
are about. When a page renders, the `incremental` hook stores them in the cache under the digest
of the page's Markdown; an
incremental build (`mkdocs build --dirty`) renders only the pages that changed or link to one
that changed, and takes the rest from the cache. `BuildState` remembers what the last build of
a site held, so the next incremental build knows what changed, what to re-render and what to
remove.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from mkdocs.structure.files import File

from nianbao.site.pages import ReportPage
from nianbao.speed.cache import Cache, digest_of


def page_key(src_uri: str, url: str, markdown: bytes, setup: str) -> str:
    """The cache key of a page's record: its place, its Markdown and the build set-up."""
    return digest_of("page", src_uri, url, markdown, setup)


@dataclass
class PageInfo:
    """What the build state keeps of one report page."""

    key: str
    slug: str
    org_id: str
    linked: tuple[str, ...]  # slugs of its variants / original (their pages name its title)
    year: int = 0


@dataclass
class BuildState:
    """What the last build of a site held: its set-up, report pages and the files it wrote
    (pages, sources, assets; not the search index and data files, which are rewritten)."""

    setup: str = ""
    pages: dict[str, PageInfo] = field(default_factory=dict)  # by src_uri
    outputs: set[str] = field(default_factory=set)  # files' dest paths, relative to the site
    listings: dict[str, str] = field(default_factory=dict)  # generated page → content digest
    site_version: str = ""  # name of the build folder it was written into (nianbao.build.publish)


class ListingFile(File):
    """A generated listing page (year, organisation, type, topic) that an incremental build
    leaves as it is when neither its Markdown nor the reports it compares changed: MkDocs
    renders every other generated page on every build."""

    render_again = True
    signature = ""  # a digest of what the page shows apart from year-over-year comparisons

    def is_modified(self) -> bool:
        return self.render_again or not os.path.isfile(self.abs_dest_path)


@dataclass
class BuildPages:
    """The current build's report pages: those expected (from the files) and those rendered."""

    cache: Cache = field(default_factory=lambda: Cache(None, "pages"))
    expected: dict[str, tuple[str, str]] = field(default_factory=dict)  # src_uri → (url, key)
    rendered: dict[str, ReportPage] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # expected, neither rendered nor cached
    # Years of the report pages that changed or went since the last build (an incremental
    # build's; empty in a full build).
    changed_years: set[int] = field(default_factory=set)
    _all: list[ReportPage] | None = None  # all(), once worked out

    def reset(self, cache: Cache) -> None:
        """Start a build."""
        self.cache = cache
        self.expected.clear()
        self.rendered.clear()
        self.missing.clear()
        self.changed_years.clear()
        self._all = None

    def add(self, page: ReportPage) -> None:
        """Record a page rendered in this build and keep it in the cache."""
        self.rendered[page.src_uri] = page
        self.store(page)

    def store(self, page: ReportPage) -> None:
        """Keep a rendered page's record in the cache."""
        expected = self.expected.get(page.src_uri)
        if expected is not None:
            self.cache.put(expected[1], page)

    def all(self) -> list[ReportPage]:
        """Every report page of the build, by URL: rendered ones, the rest from the cache."""
        if self._all is None:
            pages = dict(self.rendered)
            for src_uri, (_, key) in self.expected.items():
                if src_uri in pages:
                    continue
                cached = self.cache.get(key)
                if isinstance(cached, ReportPage):
                    pages[src_uri] = cached
                else:
                    self.missing.append(src_uri)
            self._all = sorted(pages.values(), key=lambda page: page.url)
        return list(self._all or [])


PAGES = BuildPages()  # shared by the hooks of one build (MkDocs runs one build at a time)
