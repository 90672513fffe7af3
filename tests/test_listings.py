"""Listing pages (nianbao.site.listings): the home overview, per-year, organisation, type and
topic pages, as Markdown plus their tables of reports as HTML — a pure function of the reports'
front matter."""

from __future__ import annotations

import re

import pytest
from conftest import report_meta
from nianbao.site.listings import (
    TABLE_MARKER,
    ListingPage,
    listing_pages,
    org_names,
    overview_markdown,
    topic_uri,
)

REPORTS = [
    report_meta(
        "ap2020",
        org="安平县医疗保障局",
        year=2020,
        title="安平县医疗保障局2020年工作总结",
        tags=["基金监管"],
    ),
    report_meta("ap2022", org="安平县医保局", year=2022, tags=["基金监管", "集采"]),
    report_meta(
        "ap2023",
        org="安平县医疗保障局",
        year=2023,
        title="安平县医疗保障局2023年工作总结",
        type="法治政府建设年度报告",
        chars=1234,
    ),
    report_meta(
        "xx2023",
        org="XX县医疗保障局",
        year=2023,
        title="XX县医疗保障局2023年工作总结",
        variant_of="ap2023",
        redactions=3,
    ),
    report_meta(
        "qh2022",
        org_id="qinghe",
        org="清河县医疗保障局",
        year=2022,
        title="清河县医保局<工作>总结_[草稿]",
    ),
]


def pages_by_uri(directory_urls: bool = True) -> dict[str, ListingPage]:
    return {p.src_uri: p for p in listing_pages(REPORTS, directory_urls)}


def test_every_year_type_organisation_and_topic_has_a_page() -> None:
    assert sorted(pages_by_uri()) == sorted(
        [
            "years/index.md",
            "orgs/index.md",
            "types/index.md",
            "topics/index.md",
            "years/2020.md",
            "years/2022.md",
            "years/2023.md",
            "types/工作总结.md",
            "types/法治政府建设年度报告.md",
            "orgs/anping.md",
            "orgs/qinghe.md",
            "topics/基金监管.md",
            "topics/集采.md",
        ]
    )


def test_index_pages_count_reports_newest_year_and_largest_organisation_first() -> None:
    pages = pages_by_uri()
    years = pages["years/index.md"].markdown
    assert years.index("[2023年](2023.md) | 2 篇") < years.index("[2020年](2020.md) | 1 篇")
    orgs = pages["orgs/index.md"].markdown
    assert orgs.index("(anping.md) | 4 篇") < orgs.index("(qinghe.md) | 1 篇")
    types = pages["types/index.md"].markdown
    assert "[工作总结](工作总结.md) | 4 篇" in types
    assert "会议发言" not in types  # a type without reports is not listed
    topics = pages["topics/index.md"].markdown
    assert "[基金监管](基金监管.md) | 2 篇" in topics
    assert "(../maintainers/schema.md)" in topics


def test_a_year_page_links_its_reports_in_an_html_table() -> None:
    page = pages_by_uri()["years/2023.md"]
    assert page.markdown.startswith("# 2023年的报告\n\n共 2 篇。")
    assert TABLE_MARKER in page.markdown
    hrefs = re.findall(r'href="([^"]+)"', page.table)
    assert hrefs[:4] == [
        "../../reports/xx2023/",  # XX sorts before 安 (by title, then slug)
        "../../orgs/anping/",
        "./",
        "../../types/工作总结/",
    ]
    assert '<td style="text-align: right;">1,234</td>' in page.table


def test_links_follow_use_directory_urls() -> None:
    table = pages_by_uri(directory_urls=False)["years/2023.md"].table
    hrefs = re.findall(r'href="([^"]+)"', table)
    assert hrefs[:4] == [
        "../reports/xx2023.html",
        "../orgs/anping.html",
        "2023.html",
        "../types/工作总结.html",
    ]


def test_titles_are_escaped_and_redaction_marks_shown_as_such() -> None:
    pages = pages_by_uri()
    table = pages["years/2022.md"].table
    assert ">清河县医保局&lt;工作&gt;总结_[草稿]</a>" in table
    assert "<工作>" not in table
    copy_table = pages["years/2023.md"].table
    assert (
        '<span class="nb-redacted" title="原文已隐去">XX</span>县医疗保障局2023年工作总结'
        in copy_table
    )
    org_page = pages["orgs/qinghe.md"].markdown
    assert "[清河县医保局&lt;工作&gt;总结\\_\\[草稿\\]](../reports/qh2022.md)" in org_page


def test_an_organisation_page_lists_its_years_newest_first_and_the_missing_ones() -> None:
    markdown = pages_by_uri()["orgs/anping.md"].markdown
    redacted = '<span class="nb-redacted" title="原文已隐去">XX</span>'
    assert markdown.startswith(f"# 安平县医疗保障局／{redacted}县医疗保障局／安平县医保局\n")
    rows = [line for line in markdown.splitlines() if line.startswith("| 20")]
    assert [row.split(" | ")[0] for row in rows] == [
        "| 2023年",
        "| 2023年",
        "| 2022年",
        "| 2021年",
        "| 2020年",
    ]
    assert rows[3] == "| 2021年 | *（本年无报告）* | |"
    assert "[安平县医疗保障局2020年工作总结](../reports/ap2020.md) | 工作总结 |" in rows[4]


def test_org_names_are_the_written_names_most_used_first() -> None:
    assert org_names(REPORTS) == {
        "anping": "安平县医疗保障局／XX县医疗保障局／安平县医保局",
        "qinghe": "清河县医疗保障局",
    }


@pytest.mark.parametrize(
    ("tag", "uri"),
    [("基金监管", "topics/基金监管.md"), ("a/b c", "topics/a-b-c.md"), ("../", "topics/topic.md")],
)
def test_a_topic_page_name_keeps_only_word_characters(tag: str, uri: str) -> None:
    assert topic_uri(tag) == uri


def test_the_overview_counts_the_archive_and_shows_the_newest_reports() -> None:
    markdown, table = overview_markdown(REPORTS)
    assert markdown.startswith("本档案收录 **5 篇**报告，来自 **2 个**机构，时间跨度 2020—2023年。")
    assert "    [2023年](years/2023.md)：2 篇  " in markdown
    assert "    [法治政府建设年度报告](types/法治政府建设年度报告.md)：1 篇  " in markdown
    assert "全部" not in markdown  # 12 rows or fewer: no link to the full list
    titles = re.findall(r'<a href="reports/[^"]+">(.*?)</a>', table)
    assert len(titles) == 5 and titles[-1] == "安平县医疗保障局2020年工作总结"


def test_the_overview_links_to_the_full_list_past_twelve_rows_and_shows_ten_reports() -> None:
    years = range(2001, 2016)
    many = [report_meta(f"r{year}", org_id="x", org="某局", year=year) for year in years]
    markdown, table = overview_markdown(many, from_uri="index.md")
    assert "    [全部 15 项 →](years/index.md)" in markdown
    assert table.count("<tr><td>") == 10
    assert "时间跨度 2001—2015年" in markdown


def test_an_empty_archive_says_how_to_fill_it() -> None:
    markdown, table = overview_markdown([])
    assert markdown.startswith("档案中还没有报告。") and table == ""
