"""A report page as the archive-wide steps see it: the one shape of a rendered report page.

Listings, year-over-year threads, figures and search all take `ReportPage`s; the build makes them
when a page renders (or takes them from the cache: nianbao.build.state).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nianbao.schema import ReportMeta
from nianbao.site.figures import Figure, extract_figures
from nianbao.site.sections import Section
from nianbao.site.threads import SectionRef, report_topics


@dataclass(frozen=True)
class ReportPage:
    """A rendered report page: its place, front matter, sections (h2/h3 with anchors), the
    figures they state and the topics they are about."""

    src_uri: str
    url: str
    meta: ReportMeta
    sections: tuple[Section, ...]
    figures: tuple[Figure, ...]
    topics: tuple[tuple[str, SectionRef], ...]  # its sections about each topic

    @classmethod
    def from_sections(
        cls, src_uri: str, url: str, meta: ReportMeta, sections: Iterable[Section]
    ) -> ReportPage:
        """A page's record, with the figures its sections state and the topics they are about."""
        sections = tuple(sections)
        figures = tuple(
            figure
            for section in sections
            for figure in extract_figures(section.text, meta.year, section.anchor)
        )
        return cls(src_uri, url, meta, sections, figures, tuple(report_topics(meta, sections)))


