"""MkDocs hook: year over year — organisation threads, plan → result, topic threads, figures.

Works from every report page's sections and figures (rendered now or, in an incremental build,
taken from the cache: nianbao.build.pages). Once every page is rendered (`on_page_context`, first
call) it links the reports of each organisation (nianbao.site.threads; each organisation's links are
cached under the digest of its pages) and then adds to each page: the thread under a report's
metadata block, links under section headings, the report's figures table, the comparison tables
and charts of organisation and year pages, and the sections about a topic on its topic page.
After the build it writes `data/figures.json`, `data/figures.csv` and `data/links.json` into the
site for analysts.
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
from nianbao.build.pages import PAGES
from nianbao.escape import csv_cell
from nianbao.schema import PAGE_KIND, ReportMeta
from nianbao.site.figures import CSV_HEADERS, Figure
from nianbao.site.figures_html import (
    DATA_DIR,
    data_downloads,
    org_comparison,
    report_table,
    subset_file_ok,
    year_comparison,
)
from nianbao.site.listings import org_names, org_uri, topic_uri, year_uri
from nianbao.site.thread_html import (
    ThreadRenderer,
    insert_after_headings,
    insert_after_meta,
    topic_sections_html,
)
from nianbao.site.threads import Report, SectionRef, Thread, build_threads, merge_topics
from nianbao.speed.cache import Cache, build_cache_root, digest_of
from nianbao.speed.pools import map_on_cores
from nianbao.vocabulary import TOPICS

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
PARALLEL_FROM = 50  # organisations to link from which the work is spread over processes

_reports: dict[str, Report] = {}
_figures: dict[str, list[Figure]] = {}


def on_pre_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Start each build afresh (mkdocs serve rebuilds in one process)."""
    _reports.clear()
    _figures.clear()
    _archive.clear()


@dataclass
class _Archive:
    """What every page's links are drawn from, worked out once all report pages are rendered."""

    threads: dict[str, Thread]
    metas: dict[str, ReportMeta]
    urls: dict[str, str]
    org_names: dict[str, str]
    by_page: dict[str, list[ReportMeta]]  # org and year page → its reports
    topic_pages: dict[str, str]  # topic page → its topic
    topic_sections: dict[str, list[SectionRef]]  # topic → sections about it, newest first


_archive: list[_Archive] = []  # at most one: the current build's


def _linked(config: MkDocsConfig) -> _Archive:
    if not _archive:
        for page in PAGES.all():
            _reports[page.meta.slug] = Report(meta=page.meta, url=page.url, sections=page.sections)
            _figures[page.meta.slug] = list(page.figures)
        metas = {slug: report.meta for slug, report in _reports.items()}
        by_page: dict[str, list[ReportMeta]] = defaultdict(list)
        for meta in metas.values():
            by_page[org_uri(meta.org_id)].append(meta)
            by_page[year_uri(meta.year)].append(meta)
        _archive.append(
            _Archive(
                threads=_threads(config),
                metas=metas,
                urls={slug: report.url for slug, report in _reports.items()},
                org_names=org_names(metas.values()),
                by_page=by_page,
                topic_pages={topic_uri(topic): topic for topic in TOPICS},
                topic_sections=merge_topics((p.meta, p.topics) for p in PAGES.all()),
            )
        )
    return _archive[0]


def _threads(config: MkDocsConfig) -> dict[str, Thread]:
    """Every report's links, organisation by organisation: from the cache where the
    organisation's pages are the same as when they were last linked."""
    cache = Cache(build_cache_root(config.docs_dir), "threads")
    keys = {src: key for src, (_, key) in PAGES.expected.items()}
    by_org: dict[str, list[Report]] = defaultdict(list)
    page_keys: dict[str, list[str]] = defaultdict(list)
    for page in PAGES.all():
        by_org[page.meta.org_id].append(_reports[page.meta.slug])
        page_keys[page.meta.org_id].append(keys.get(page.src_uri, page.src_uri))
    threads: dict[str, Thread] = {}
    misses: list[tuple[str, list[Report]]] = []
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
    misses: list[tuple[str, list[Report]]],
    linked: Iterable[dict[str, Thread]],
    threads: dict[str, Thread],
) -> None:
    for (key, _), org_threads in zip(misses, linked, strict=True):
        cache.put(key, org_threads)
        threads.update(org_threads)


def on_env(env: Environment, *, config: MkDocsConfig, **kwargs: object) -> Environment | None:
    """Link the reports year over year, once every report page is rendered (on all cores,
    before the search hook sets its own work going)."""
    _linked(config)
    return None


def on_page_context(
    context: dict, *, page: Page, config: MkDocsConfig, **kwargs: object
) -> dict | None:
    """Add links and figures to report, organisation, year and topic pages."""
    archive = _linked(config)
    renderer = ThreadRenderer(archive.metas, archive.urls, page.url)
    content = page.content or ""
    src = page.file.src_uri
    slug = page.meta.get("slug") if page.meta.get("kind") == PAGE_KIND else None
    if slug in _reports:
        thread = archive.threads.get(slug, Thread())
        redacted_copy = bool(archive.metas[slug].variant_of)
        content = insert_after_meta(content, renderer.org_block(thread, redacted_copy))
        content = insert_after_headings(content, renderer.section_notes(thread))
        content += report_table(_figures.get(slug, []), renderer.href, slug)
        content += renderer.pager(thread)
    elif src.startswith("orgs/") and src != "orgs/index.md":
        compared = org_comparison(archive.by_page.get(src, []), _figures, renderer.href)
        content += compared + (
            data_downloads(page.url, src.removesuffix(".md")) if compared else ""
        )
    elif src.startswith("years/") and src != "years/index.md":
        members = archive.by_page.get(src, [])
        compared = year_comparison(members, _figures, archive.org_names, renderer.href)
        content += compared + (
            data_downloads(page.url, src.removesuffix(".md")) if compared else ""
        )
    elif src in archive.topic_pages:
        topic = archive.topic_pages[src]
        content += topic_sections_html(archive.topic_sections.get(topic, []), renderer)
    page.content = content
    return context


def on_post_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Write the figures and links as data files into the site."""
    out = Path(config.site_dir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    names = _linked(config).org_names
    rows = []
    for slug in sorted(_figures):
        meta = _reports[slug].meta
        for figure in _figures[slug]:
            rows.append(
                {
                    "report": slug,
                    "url": _reports[slug].url + (f"#{figure.section}" if figure.section else ""),
                    "org": names.get(meta.org_id, meta.org),
                    "org_id": meta.org_id,
                    "year": meta.year,
                    "type": meta.type,
                    **figure.to_dict(),
                }
            )
    _write_figures(out / "figures", rows)
    # What each organisation's and year's page shows, for its own download links.
    for key, folder in (("org_id", "orgs"), ("year", "years")):
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
        json.dumps(_links_data(_linked(config).threads), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    log.info(
        "逐年对照：%d 项指标（来自 %d 篇报告），%d 项计划已链接",
        len(rows),
        len(_figures),
        sum(len(t.plans) for t in _linked(config).threads.values()),
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
