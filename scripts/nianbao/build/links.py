"""Year over year — organisation threads, plan → result, topic threads, figures.

Works from every report page's record (rendered now or, in an incremental build, taken from the
cache: nianbao.build.state). Once every page is rendered it links the reports of each
organisation (nianbao.site.threads; each organisation's links are cached under the digest of its
pages), then adds to each page: the thread under a report's metadata block, links under section
headings, the report's figures table, the comparison tables of organisation and year pages, and
the sections about a topic on its topic page. After the build it writes `data/figures.json`,
`data/figures.csv` and `data/links.json` into the site for analysts.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from nianbao.schema import ReportMeta
from nianbao.site.data_files import Row, figure_rows, figures_csv, figures_json, links_json, subsets
from nianbao.site.figures import Figure
from nianbao.site.figures_html import (
    DATA_DIR,
    data_downloads,
    org_comparison,
    report_table,
    subset_file_ok,
    year_comparison,
)
from nianbao.site.listings import ORGS_DIR, YEARS_DIR, org_names, org_uri, topic_uri, year_uri
from nianbao.site.pages import ReportPage
from nianbao.site.thread_html import (
    ThreadRenderer,
    insert_after_headings,
    insert_after_meta,
    topic_sections_html,
)
from nianbao.site.threads import SectionRef, Thread, build_threads, merge_topics
from nianbao.speed.cache import digest_of
from nianbao.speed.pools import map_on_cores
from nianbao.vocabulary import TOPICS

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

    from nianbao.build.state import Build

log = get_plugin_logger(__name__)
PARALLEL_FROM = 50  # organisations to link from which the work is spread over processes


@dataclass
class LinkedArchive:
    """What every page's links are drawn from, worked out once all report pages are rendered."""

    pages: dict[str, ReportPage]  # by src_uri
    threads: dict[str, Thread]
    metas: dict[str, ReportMeta]  # by slug
    urls: dict[str, str]  # by slug
    figures: dict[str, list[Figure]]  # by slug
    org_names: dict[str, str]
    org_pages: dict[str, list[ReportMeta]]  # organisation page → its reports
    year_pages: dict[str, list[ReportMeta]]  # year page → its reports
    topic_pages: dict[str, str]  # topic page → its topic
    topic_sections: dict[str, list[SectionRef]]  # topic → sections about it, newest first


def link_archive(build: Build) -> LinkedArchive:
    """The build's linked archive, worked out on the first call (on all cores, before the
    search step sets its own work going)."""
    if build.linked is None:
        pages = build.pages.all()
        by_slug = {page.meta.slug: page for page in pages}
        org_pages: dict[str, list[ReportMeta]] = defaultdict(list)
        year_pages: dict[str, list[ReportMeta]] = defaultdict(list)
        for page in by_slug.values():
            org_pages[org_uri(page.meta.org_id)].append(page.meta)
            year_pages[year_uri(page.meta.year)].append(page.meta)
        build.linked = LinkedArchive(
            pages={page.src_uri: page for page in pages},
            threads=_threads(build, pages),
            metas={slug: page.meta for slug, page in by_slug.items()},
            urls={slug: page.url for slug, page in by_slug.items()},
            figures={slug: list(page.figures) for slug, page in by_slug.items()},
            org_names=org_names(page.meta for page in by_slug.values()),
            org_pages=org_pages,
            year_pages=year_pages,
            topic_pages={topic_uri(topic): topic for topic in TOPICS},
            topic_sections=merge_topics((p.meta, p.topics) for p in pages),
        )
    return build.linked


def _threads(build: Build, pages: list[ReportPage]) -> dict[str, Thread]:
    """Every report's links, organisation by organisation: from the cache where the
    organisation's pages are the same as when they were last linked."""
    cache = build.cache("threads")
    by_org: dict[str, list[ReportPage]] = defaultdict(list)
    page_keys: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        by_org[page.meta.org_id].append(page)
        page_keys[page.meta.org_id].append(build.pages.expected.get(page.src_uri, page.src_uri))
    threads: dict[str, Thread] = {}
    misses: list[tuple[str, list[ReportPage]]] = []
    for org_id, members in by_org.items():
        key = digest_of("threads", *sorted(page_keys[org_id]))
        cached = cache.get(key)
        if isinstance(cached, dict):
            threads.update(cached)
        else:
            misses.append((key, members))
    # Organisations are linked independently: on all cores when there are many.
    groups = [members for _, members in misses]
    linked = map_on_cores(build_threads, groups, at_least=PARALLEL_FROM, chunksize=8)
    for (key, _), org_threads in zip(misses, linked, strict=True):
        cache.put(key, org_threads)
        threads.update(org_threads)
    cache.prune()
    return threads


def add_links(build: Build, page: Page) -> None:
    """Add links and figures to a report, organisation, year or topic page's content."""
    archive = link_archive(build)
    renderer = ThreadRenderer(archive.metas, archive.urls, page.url)
    content = page.content or ""
    src = page.file.src_uri
    report = archive.pages.get(src)
    if report is not None:
        slug = report.meta.slug
        thread = archive.threads.get(slug, Thread())
        redacted_copy = bool(archive.metas[slug].variant_of)
        content = insert_after_meta(content, renderer.org_block(thread, redacted_copy))
        content = insert_after_headings(content, renderer.section_notes(thread))
        content += report_table(archive.figures.get(slug, []), renderer.href, slug)
        content += renderer.pager(thread)
    elif src in archive.org_pages or src in archive.year_pages:
        if src in archive.org_pages:
            compared = org_comparison(archive.org_pages[src], archive.figures, renderer.href)
        else:
            members, names = archive.year_pages[src], archive.org_names
            compared = year_comparison(members, archive.figures, names, renderer.href)
        content += compared + (
            data_downloads(page.url, src.removesuffix(".md")) if compared else ""
        )
    elif src in archive.topic_pages:
        topic = archive.topic_pages[src]
        content += topic_sections_html(archive.topic_sections.get(topic, []), renderer)
    page.content = content


def write_data(build: Build) -> None:
    """Write the figures and links as data files into the site (nianbao.site.data_files)."""
    archive = link_archive(build)
    out = Path(build.config.site_dir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    rows = figure_rows(archive.figures, archive.metas, archive.urls, archive.org_names)
    _write_figures(out / "figures", rows)
    for key, folder in (("org_id", ORGS_DIR), ("year", YEARS_DIR)):
        # Written afresh: an organisation or year no longer in the archive leaves no file.
        shutil.rmtree(out / folder, ignore_errors=True)
        (out / folder).mkdir()
        for name, subset in subsets(rows, key).items():
            if subset_file_ok(name):
                _write_figures(out / folder / name, subset)
    (out / "links.json").write_text(links_json(archive.threads), encoding="utf-8")
    log.info(
        "逐年对照：%d 项指标（来自 %d 篇报告），%d 项计划已链接",
        len(rows),
        len(archive.figures),
        sum(len(t.plans) for t in archive.threads.values()),
    )


def _write_figures(stem: Path, rows: list[Row]) -> None:
    stem.with_suffix(".json").write_text(figures_json(rows), encoding="utf-8")
    stem.with_suffix(".csv").write_text(figures_csv(rows), encoding="utf-8")
