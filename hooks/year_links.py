"""MkDocs hook: year over year — organisation threads, plan → result, topic threads, figures.

While pages render (`on_page_content`) it collects each report's sections and the figures they
state; once every page is rendered (`on_page_context`, first call) it links the reports of each
organisation (nianbao.threads) and then adds to each page: the thread under a report's metadata
block, links under section headings, the report's figures table, the comparison tables and
charts of organisation and year pages. After the build it writes `data/figures.json`,
`data/figures.csv` and `data/links.json` into the site for analysts.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.archive import org_names, org_uri, year_uri
from nianbao.figures import Figure, extract_figures
from nianbao.figures_html import org_comparison, report_table, year_comparison
from nianbao.schema import PAGE_KIND, ReportMeta, page_report_meta
from nianbao.sections import split_sections
from nianbao.thread_html import (
    ThreadRenderer,
    insert_after_headings,
    insert_after_meta,
    topic_sections_html,
)
from nianbao.threads import Report, Thread, build_threads, topic_sections

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
DATA_DIR = "data"
TAGS_PAGE = "tags.md"

_reports: dict[str, Report] = {}
_figures: dict[str, list[Figure]] = {}


def on_pre_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Start each build afresh (mkdocs serve rebuilds in one process)."""
    _reports.clear()
    _figures.clear()
    _archive.clear()


def on_page_content(html: str, *, page: Page, **kwargs: object) -> str | None:
    """Collect a report page's sections and figures."""
    meta = page_report_meta(page.meta, page.file.src_uri, log, "left out of year-over-year links")
    if meta is None:
        return None
    sections = split_sections(html)
    _reports[meta.slug] = Report(meta=meta, url=page.url, sections=sections)
    _figures[meta.slug] = [
        figure
        for section in sections
        for figure in extract_figures(section.text, meta.year, section.anchor)
    ]
    return None


@dataclass
class _Archive:
    """What every page's links are drawn from, worked out once all report pages are rendered."""

    threads: dict[str, Thread]
    metas: dict[str, ReportMeta]
    urls: dict[str, str]
    org_names: dict[str, str]
    by_page: dict[str, list[ReportMeta]]  # org and year page → its reports


_archive: list[_Archive] = []  # at most one: the current build's


def _linked() -> _Archive:
    if not _archive:
        metas = {slug: report.meta for slug, report in _reports.items()}
        by_page: dict[str, list[ReportMeta]] = defaultdict(list)
        for meta in metas.values():
            by_page[org_uri(meta.org_id)].append(meta)
            by_page[year_uri(meta.year)].append(meta)
        _archive.append(
            _Archive(
                threads=build_threads(list(_reports.values())),
                metas=metas,
                urls={slug: report.url for slug, report in _reports.items()},
                org_names=org_names(metas.values()),
                by_page=by_page,
            )
        )
    return _archive[0]


def on_page_context(context: dict, *, page: Page, **kwargs: object) -> dict | None:
    """Add links and figures to report, organisation and year pages."""
    archive = _linked()
    renderer = ThreadRenderer(archive.metas, archive.urls, page.url)
    content = page.content or ""
    src = page.file.src_uri
    slug = page.meta.get("slug") if page.meta.get("kind") == PAGE_KIND else None
    if slug in _reports:
        thread = archive.threads.get(slug, Thread())
        content = insert_after_meta(content, renderer.org_block(thread))
        content = insert_after_headings(content, renderer.section_notes(thread))
        content += report_table(_figures.get(slug, []), renderer.href, slug)
    elif src.startswith("orgs/") and src != "orgs/index.md":
        content += org_comparison(archive.by_page.get(src, []), _figures, renderer.href)
    elif src.startswith("years/") and src != "years/index.md":
        members = archive.by_page.get(src, [])
        content += year_comparison(members, _figures, archive.org_names, renderer.href)
    elif src == TAGS_PAGE:
        content += topic_sections_html(topic_sections(list(_reports.values())), renderer)
    page.content = content
    return context


def on_post_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Write the figures and links as data files into the site."""
    out = Path(config.site_dir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    names = _linked().org_names
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
    (out / "figures.json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    # UTF-8 with BOM: spreadsheet programs then read the Chinese text correctly.
    (out / "figures.csv").write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    (out / "links.json").write_text(
        json.dumps(_links_data(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    log.info(
        "year over year: %d figures from %d reports, %d plans linked",
        len(rows),
        len(_figures),
        sum(len(t.plans) for t in _linked().threads.values()),
    )


def _links_data() -> dict[str, object]:
    def ref(value: object) -> object:
        return value.__dict__ if value is not None else None

    threads = _linked().threads
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
                        {"item": ref(item.source), "matched": ref(item.target)}
                        for item in plan.items
                    ],
                }
                for plan in thread.plans
            ],
        }
    return data
