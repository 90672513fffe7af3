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
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.archive import org_names, org_uri, year_uri
from nianbao.figures import Figure, extract_figures
from nianbao.figures_html import org_comparison, report_table, year_comparison
from nianbao.schema import PAGE_KIND, page_report_meta
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
_threads: dict[str, Thread] = {}


def on_pre_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Start each build afresh (mkdocs serve rebuilds in one process)."""
    _reports.clear()
    _figures.clear()
    _threads.clear()


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


def on_page_context(context: dict, *, page: Page, **kwargs: object) -> dict | None:
    """Add links and figures to report, organisation and year pages."""
    if not _threads and _reports:
        _threads.update(build_threads(list(_reports.values())))
    metas = {slug: report.meta for slug, report in _reports.items()}
    urls = {slug: report.url for slug, report in _reports.items()}
    renderer = ThreadRenderer(metas, urls, page.url)
    content = page.content or ""
    slug = page.meta.get("slug") if page.meta.get("kind") == PAGE_KIND else None
    if slug in _reports:
        thread = _threads.get(slug, Thread())
        content = insert_after_meta(content, renderer.org_block(thread))
        content = insert_after_headings(content, renderer.section_notes(thread))
        content += report_table(_figures.get(slug, []), renderer.href, slug)
    elif page.file.src_uri.startswith("orgs/") and page.file.src_uri != "orgs/index.md":
        members = [m for m in metas.values() if org_uri(m.org_id) == page.file.src_uri]
        content += org_comparison(members, _figures, renderer.href)
    elif page.file.src_uri.startswith("years/") and page.file.src_uri != "years/index.md":
        members = [m for m in metas.values() if year_uri(m.year) == page.file.src_uri]
        names = org_names(metas.values())
        content += year_comparison(members, _figures, names, renderer.href)
    elif page.file.src_uri == TAGS_PAGE:
        content += topic_sections_html(topic_sections(list(_reports.values())), renderer)
    page.content = content
    return context


def on_post_build(*, config: MkDocsConfig, **kwargs: object) -> None:
    """Write the figures and links as data files into the site."""
    out = Path(config.site_dir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    names = org_names(report.meta for report in _reports.values())
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
        sum(len(t.plans) for t in _threads.values()),
    )


def _links_data() -> dict[str, object]:
    def ref(value: object) -> object:
        return value.__dict__ if value is not None else None

    data: dict[str, object] = {}
    for slug in sorted(_threads):
        thread = _threads[slug]
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
