"""Listing pages of the archive: home overview, per year, organisation, type and topic (pure).

nianbao.build.listings reads every report's front matter and asks this module for the Markdown
of the generated pages; nothing here touches files. Long tables of reports are HTML with their
links already resolved to relative URLs, put in place of `TABLE_MARKER` after Markdown has run:
Markdown's processing of tens of thousands of links (as Markdown or as raw HTML) was the slowest
part of a build.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nianbao.redact import escape_markdown, render_html, render_inline
from nianbao.schema import REPORT_TYPES, ReportMeta
from nianbao.site.urls import link, page_link

YEARS_DIR = "years"
ORGS_DIR = "orgs"
TYPES_DIR = "types"
TOPICS_DIR = "topics"
REPORTS_DIR = "reports"
NEWEST_ON_HOME = 10
OVERVIEW_MARKER = "<!-- nianbao:overview -->"
TABLE_MARKER = "<!-- nianbao:reports-table -->"  # replaced by the page's `table` HTML


@dataclass(frozen=True)
class ListingPage:
    """A generated page: where it lives in the docs tree and its Markdown."""

    src_uri: str
    markdown: str
    table: str = ""  # HTML to put in place of TABLE_MARKER once the page is rendered


def report_uri(meta: ReportMeta) -> str:
    """The docs path of a report's page."""
    return f"{REPORTS_DIR}/{meta.slug}.md"


def year_uri(year: int) -> str:
    """The docs path of a year's listing page."""
    return f"{YEARS_DIR}/{year}.md"


def org_uri(org_id: str) -> str:
    """The docs path of an organisation's page."""
    return f"{ORGS_DIR}/{org_id}.md"


def type_uri(report_type: str) -> str:
    """The docs path of a report type's listing page."""
    return f"{TYPES_DIR}/{report_type}.md"


def topic_uri(topic: str) -> str:
    """The docs path of a topic's page (a catalog may set any tag: only word characters kept)."""
    name = re.sub(r"[^\w-]+", "-", topic).strip("-") or "topic"
    return f"{TOPICS_DIR}/{name}.md"


def org_names(reports: Iterable[ReportMeta]) -> dict[str, str]:
    """Display name of each organisation: its written names, most used first, joined by ／."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for meta in reports:
        names[meta.org_id][meta.org] += 1
    return {
        org_id: "／".join(name for name, _ in sorted(c.items(), key=lambda i: (-i[1], i[0])))
        for org_id, c in names.items()
    }


def sort_newest_first(reports: Iterable[ReportMeta]) -> list[ReportMeta]:
    """Reports by year (newest first), then title, then slug: a stable order."""
    return sorted(reports, key=lambda m: (-m.year, m.title, m.slug))


def listing_pages(reports: Sequence[ReportMeta], directory_urls: bool = True) -> list[ListingPage]:
    """Every generated listing page for these reports."""
    names = org_names(reports)
    pages = [
        _index_page(
            f"{YEARS_DIR}/index.md",
            "按年度",
            [(f"{year}年", year_uri(year), n) for year, n in _count_years(reports)],
        ),
        _index_page(
            f"{ORGS_DIR}/index.md",
            "按机构",
            [(names[o], org_uri(o), n) for o, n in _count_orgs(reports, names)],
        ),
        _index_page(
            f"{TYPES_DIR}/index.md",
            "按类型",
            [(t, type_uri(t), n) for t, n in _count_types(reports) if n],
        ),
        _index_page(
            f"{TOPICS_DIR}/index.md",
            "主题",
            [(t, topic_uri(t), n) for t, n in _count_tags(reports)],
            "按主题标签列出报告；每个主题的页面还列出各年度报告中讨论该主题的章节。"
            "标签取自受控词表（见[维护说明](../maintainers/schema.md)）。",
        ),
    ]
    to = Links(directory_urls)
    by_topic: dict[str, list[ReportMeta]] = defaultdict(list)
    for meta in reports:
        for tag in dict.fromkeys(meta.tags):
            by_topic[tag].append(meta)
    for topic, members in sorted(by_topic.items()):
        uri = topic_uri(topic)
        pages.append(_listing(uri, f"主题：{topic}", members, names, to))
    by_year: dict[int, list[ReportMeta]] = defaultdict(list)
    by_org: dict[str, list[ReportMeta]] = defaultdict(list)
    by_type: dict[str, list[ReportMeta]] = defaultdict(list)
    for meta in reports:
        by_year[meta.year].append(meta)
        by_org[meta.org_id].append(meta)
        by_type[meta.type].append(meta)
    for year, members in sorted(by_year.items()):
        uri = year_uri(year)
        pages.append(_listing(uri, f"{year}年的报告", members, names, to))
    for report_type, members in sorted(by_type.items()):
        uri = type_uri(report_type)
        pages.append(_listing(uri, report_type, members, names, to))
    for org_id, members in sorted(by_org.items()):
        pages.append(ListingPage(org_uri(org_id), _org_page(org_id, members, names)))
    return pages


def overview_markdown(
    reports: Sequence[ReportMeta], from_uri: str = "index.md", directory_urls: bool = True
) -> tuple[str, str]:
    """The home page's overview: counts by year, type and organisation, and the newest reports
    (Markdown, and the HTML of its table of reports)."""
    if not reports:
        return "档案中还没有报告。把原始报告放进 `reports/` 后运行 `make build`。\n", ""
    names = org_names(reports)
    orgs = len(names)
    years = sorted({m.year for m in reports})
    span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
    lines = [
        f"本档案收录 **{len(reports):,} 篇**报告，来自 **{orgs:,} 个**机构，时间跨度 {span}。",
        "",
        '<div class="grid cards nb-overview" markdown>',
        "",
    ]
    blocks = (
        (
            "按年度",
            YEARS_DIR,
            [(f"{y}年", year_uri(y), n) for y, n in _count_years(reports)],
        ),
        ("按类型", TYPES_DIR, [(t, type_uri(t), n) for t, n in _count_types(reports) if n]),
        (
            "按机构",
            ORGS_DIR,
            [(names[o], org_uri(o), n) for o, n in _count_orgs(reports, names)],
        ),
    )
    for heading, folder, rows in blocks:
        lines.append(f"-   **{heading}**")
        lines.append("")
        lines.append("    ---")
        lines.append("")
        for label, uri, count in rows[:12]:
            lines.append(f"    [{render_inline(label)}]({link(from_uri, uri)})：{count:,} 篇  ")
        if len(rows) > 12:
            index = f"{folder}/index.md"
            lines.append(f"    [全部 {len(rows):,} 项 →]({link(from_uri, index)})")
        lines.append("")
    lines += ["</div>", "", "## 最新报告", ""]
    newest = sort_newest_first(reports)[:NEWEST_ON_HOME]
    lines += [TABLE_MARKER, ""]
    return "\n".join(lines) + "\n", _table(from_uri, newest, names, Links(directory_urls))


def _count_years(reports: Sequence[ReportMeta]) -> list[tuple[int, int]]:
    """Reports of each year, newest year first."""
    return sorted(Counter(m.year for m in reports).items(), reverse=True)


def _count_orgs(reports: Sequence[ReportMeta], names: dict[str, str]) -> list[tuple[str, int]]:
    """Reports of each organisation, most first (ties by display name)."""
    counts = Counter(m.org_id for m in reports)
    return sorted(counts.items(), key=lambda i: (-i[1], names[i[0]]))


def _count_types(reports: Sequence[ReportMeta]) -> list[tuple[str, int]]:
    """Reports of each type, in the order of the type list (types without reports too)."""
    counts = Counter(m.type for m in reports)
    return [(t, counts.get(t, 0)) for t in REPORT_TYPES]


def _count_tags(reports: Sequence[ReportMeta]) -> list[tuple[str, int]]:
    counts = Counter(tag for meta in reports for tag in dict.fromkeys(meta.tags))
    return sorted(counts.items(), key=lambda i: (-i[1], i[0]))


def _index_page(
    uri: str, title: str, rows: list[tuple[str, str, int]], intro: str = ""
) -> ListingPage:
    lines = [f"# {title}", ""] + ([intro, ""] if intro else [])
    lines += ["| | 报告数 |", "| --- | ---: |"]
    lines += [
        f"| [{render_inline(label)}]({link(uri, target)}) | {n:,} 篇 |" for label, target, n in rows
    ]
    return ListingPage(uri, "\n".join(lines) + "\n")


def _listing(
    uri: str, title: str, members: list[ReportMeta], names: dict[str, str], to: Links
) -> ListingPage:
    lines = [f"# {escape_markdown(title)}", "", f"共 {len(members):,} 篇。", "", TABLE_MARKER]
    table = _table(uri, sort_newest_first(members), names, to)
    return ListingPage(uri, "\n".join(lines) + "\n", table)


def _org_page(org_id: str, members: list[ReportMeta], names: dict[str, str]) -> str:
    uri = org_uri(org_id)
    lines = [f"# {render_inline(names[org_id])}", "", f"共 {len(members):,} 篇报告。", ""]
    regions = sorted({m.region for m in members if m.region})
    if regions:
        lines += [f"地区：{escape_markdown('、'.join(regions))}", ""]
    lines += ["## 历年报告", ""]
    by_year: dict[int, list[ReportMeta]] = defaultdict(list)
    for meta in members:
        by_year[meta.year].append(meta)
    years = range(max(by_year), min(by_year) - 1, -1)
    lines += ["| 年度 | 报告 | 类型 |", "| --- | --- | --- |"]
    for year in years:
        if year not in by_year:
            lines.append(f"| {year}年 | *（本年无报告）* | |")
            continue
        for meta in sorted(by_year[year], key=lambda m: (m.title, m.slug)):
            target = link(uri, report_uri(meta))
            lines.append(f"| {year}年 | [{render_inline(meta.title)}]({target}) | {meta.type} |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Links:
    """Relative URLs between pages (cached: a listing links the same few pages many times)."""

    directory_urls: bool = True

    @functools.lru_cache(maxsize=65536)  # noqa: B019 — a handful of instances a build
    def __call__(self, from_uri: str, to_uri: str) -> str:
        return html.escape(page_link(from_uri, to_uri, self.directory_urls))


def _table(from_uri: str, members: Sequence[ReportMeta], names: dict[str, str], to: Links) -> str:
    """A table of reports, as HTML (see the module docstring)."""
    rows = ["<table><thead><tr><th>标题</th><th>机构</th><th>年度</th><th>类型</th>"]
    rows.append('<th style="text-align: right;">字数</th></tr></thead><tbody>')
    for meta in members:
        title = f'<a href="{to(from_uri, report_uri(meta))}">{render_html(meta.title)}</a>'
        org = f'<a href="{to(from_uri, org_uri(meta.org_id))}">{render_html(meta.org)}</a>'
        year = f'<a href="{to(from_uri, year_uri(meta.year))}">{meta.year}年</a>'
        kind = f'<a href="{to(from_uri, type_uri(meta.type))}">{html.escape(meta.type)}</a>'
        rows.append(f"<tr><td>{title}</td><td>{org}</td><td>{year}</td><td>{kind}</td>")
        rows.append(f'<td style="text-align: right;">{meta.chars:,}</td></tr>')
    rows.append("</tbody></table>")
    return "".join(rows)
