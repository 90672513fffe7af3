"""Every report page of a build — rendered now or taken from the cache — for the steps that work
on the whole archive (search, year over year), and the listing pages' files.

When a report page renders, its record (nianbao.site.pages.ReportPage) is kept in the cache under
the digest of the page's place, Markdown and set-up; an incremental build renders only the pages
a change reaches (nianbao.build.plan) and takes the rest from the cache.
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

    cache: Cache
    expected: dict[str, tuple[str, str]] = field(default_factory=dict)  # src_uri → (url, key)
    rendered: dict[str, ReportPage] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # expected, neither rendered nor cached
    _all: list[ReportPage] | None = None  # all(), once worked out

    def add(self, page: ReportPage) -> None:
        """Record a page rendered in this build and keep it in the cache."""
        self.rendered[page.src_uri] = page
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
        return list(self._all)
