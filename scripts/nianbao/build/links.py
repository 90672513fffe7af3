"""Year over year — organisation threads, plan → result, topic threads, figures.

Works from every report page's record (rendered now or, in an incremental build, taken from the
cache: nianbao.build.pages). Once every page is rendered it links the reports of each
organisation (nianbao.site.threads; each organisation's links are cached under the digest of its
pages), then adds to each page: the thread under a report's metadata block, links under section
headings, the report's figures table, the comparison tables of organisation and year pages, and
the sections about a topic on its topic page. After the build it writes `data/figures.json`,
`data/figures.csv` and `data/links.json` into the site for analysts.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from nianbao.escape import csv_cell
from nianbao.schema import ReportMeta
from nianbao.site.figures import CSV_HEADERS, Figure
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
from nianbao.speed.cache import Cache, digest_of
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
        expected = build.pages.expected.get(page.src_uri)
        page_keys[page.meta.org_id].append(expected[1] if expected else page.src_uri)
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
    _store(cache, misses, linked, threads)
    cache.prune()
    return threads


def _store(
    cache: Cache,
    misses: list[tuple[str, list[ReportPage]]],
    linked: Iterable[dict[str, Thread]],
    threads: dict[str, Thread],
) -> None:
    for (key, _), org_threads in zip(misses, linked, strict=True):
        cache.put(key, org_threads)
        threads.update(org_threads)


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
    elif src in archive.org_pages:
        compared = org_comparison(archive.org_pages[src], archive.figures, renderer.href)
        content += compared + (
            data_downloads(page.url, src.removesuffix(".md")) if compared else ""
        )
    elif src in archive.year_pages:
        members = archive.year_pages[src]
        compared = year_comparison(members, archive.figures, archive.org_names, renderer.href)
        content += compared + (
            data_downloads(page.url, src.removesuffix(".md")) if compared else ""
        )
    elif src in archive.topic_pages:
        topic = archive.topic_pages[src]
        content += topic_sections_html(archive.topic_sections.get(topic, []), renderer)
    page.content = content


def write_data(build: Build) -> None:
    """Write the figures and links as data files into the site."""
    archive = link_archive(build)
    out = Path(build.config.site_dir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for slug in sorted(archive.figures):
        meta, url = archive.metas[slug], archive.urls[slug]
        for figure in archive.figures[slug]:
            rows.append(
                {
                    "report": slug,
                    "url": url + (f"#{figure.section}" if figure.section else ""),
                    "org": archive.org_names.get(meta.org_id, meta.org),
                    "org_id": meta.org_id,
                    "year": meta.year,
                    "type": meta.type,
                    **figure.to_dict(),
                }
            )
    _write_figures(out / "figures", rows)
    # What each organisation's and year's page shows, for its own download links.
    for key, folder in (("org_id", ORGS_DIR), ("year", YEARS_DIR)):
        subsets: dict[str, list[dict[str, object]]] = {}
        for row in rows:
            subsets.setdefault(str(row[key]), []).append(row)
        # Written afresh: an organisation or year no longer in the archive leaves no file.
        shutil.rmtree(out / folder, ignore_errors=True)
        (out / folder).mkdir()
        for name, subset in subsets.items():
            if subset_file_ok(name):
                _write_figures(out / folder / name, subset)
    (out / "links.json").write_text(
        json.dumps(_links_data(archive.threads), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    log.info(
        "逐年对照：%d 项指标（来自 %d 篇报告），%d 项计划已链接",
        len(rows),
        len(archive.figures),
        sum(len(t.plans) for t in archive.threads.values()),
    )


def _write_figures(stem: Path, rows: list[dict[str, object]]) -> None:
    """Figures as `<stem>.json` (English keys, for programs) and `<stem>.csv` (Chinese column
    names, for spreadsheets)."""
    stem.with_suffix(".json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    buffer = io.StringIO()
    if rows:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([CSV_HEADERS.get(key, key) for key in rows[0]])
        # Texts a spreadsheet would run as a formula get a leading ' (nianbao.escape).
        writer.writerows([csv_cell(value) for value in row.values()] for row in rows)
    # UTF-8 with BOM: spreadsheet programs then read the Chinese text correctly.
    stem.with_suffix(".csv").write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def _links_data(threads: dict[str, Thread]) -> dict[str, object]:
    def ref(value: object) -> object:
        return value.__dict__ if value is not None else None

    data: dict[str, object] = {}
    for slug in sorted(threads):
        thread = threads[slug]
        data[slug] = {
            "previous": thread.previous,
            "next": thread.next,
            "same_year": thread.same_year,
            "earlier_topic": {a: ref(r) for a, r in sorted(thread.earlier_topic.items())},
            "later_topic": {a: ref(r) for a, r in sorted(thread.later_topic.items())},
            "plans": [
                {
                    "section": ref(plan.section),
                    "plan_year": plan.plan_year,
                    "target": plan.target_slug,
                    "items": [
                        {
                            "item": ref(item.source),
                            "matched": ref(item.target),
                            # Most alike first; `score` is text likeness, not an evaluation.
                            "related": [ref(related) for related in item.related],
                        }
                        for item in plan.items
                    ],
                }
                for plan in thread.plans
            ],
        }
    return data
