"""Year-over-year threads (nianbao.site.threads) as a pure function of report pages: previous /
next and same-year reports of one organisation, plan → result, topic threads and topic pages.

The pages are small reports written for these tests, in the shape of a 医疗保障局's yearly
summaries: 一、/（一） headings, a plan section for the next year.
"""

from __future__ import annotations

from collections.abc import Sequence

from conftest import report_meta
from nianbao.schema import ReportMeta
from nianbao.site.pages import ReportPage
from nianbao.site.sections import Section
from nianbao.site.threads import Thread, build_threads, merge_topics, report_topics


def page(report: ReportMeta, sections: Sequence[Section]) -> ReportPage:
    return ReportPage.from_sections(
        f"reports/{report.slug}.md", f"reports/{report.slug}/", report, sections
    )


def threads(pages: Sequence[ReportPage]) -> dict[str, Thread]:
    return build_threads(pages)


FUND = (
    "开展打击欺诈骗保专项治理，检查定点医药机构120家，追回医保基金210.50万元，"
    "智能监控规则覆盖全部定点医院，基金监管长效机制逐步健全。"
)
INSURED = "全县基本医疗保险参保人数45.12万人，参保率98.90％，城乡居民参保缴费同比增长3.2％。"
LAB = "联合高校建设医保大数据实验室，开展人工智能算法研究，培养数据分析人才。"


def summary(slug: str, org_id: str, year: int, plan: bool = True, **fields: object) -> ReportPage:
    """A yearly summary: 一、基金监管, 二、参保扩面 and (when `plan`) 三、next year's plan."""
    sections = [
        Section("title", f"{year}年工作总结", 1, f"{year}年，我局坚持以人民为中心。"),
        Section("fund", "一、基金监管持续从严", 2, FUND),
        Section("insured", "二、参保扩面稳步推进", 2, INSURED),
    ]
    if plan:
        sections += [
            Section("plan", f"三、{year + 1}年工作思路", 2, ""),
            Section("plan-fund", "（一）紧扣基金安全，构建监管体系", 3, FUND),
            Section("plan-lab", "（二）建设智慧医保实验室", 3, LAB),
        ]
    return page(report_meta(slug, org_id=org_id, year=year, **fields), sections)


def test_previous_and_next_skip_a_missing_year_and_other_organisations() -> None:
    pages = [
        summary("ap2020", "anping", 2020),
        summary("ap2021", "anping", 2021),
        summary("ap2023", "anping", 2023),
        summary("qh2022", "qinghe", 2022),
    ]
    chain = {slug: (t.previous, t.next) for slug, t in threads(pages).items()}
    assert chain == {
        "ap2020": (None, "ap2021"),
        "ap2021": ("ap2020", "ap2023"),
        "ap2023": ("ap2021", None),
        "qh2022": (None, None),
    }


def test_same_year_reports_are_listed_and_the_same_type_is_the_neighbour() -> None:
    pages = [
        summary("a2022", "anping", 2022),
        summary("a2022-law", "anping", 2022, type="法治政府建设年度报告", title="法治政府建设"),
        summary("a2023", "anping", 2023),
    ]
    result = threads(pages)
    assert result["a2022"].same_year == ["a2022-law"]
    assert result["a2022-law"].same_year == ["a2022"]
    # Of the two 2022 reports, 2023's summary follows the summary, not the 法治 report.
    assert result["a2023"].previous == "a2022"
    assert result["a2022-law"].next == "a2023"


def test_a_redacted_copy_links_to_nothing_and_is_no_target() -> None:
    pages = [
        summary("a2021", "anping", 2021),
        summary("a2022-xx", "anping", 2022, variant_of="a2022", org="XX县医疗保障局"),
        summary("a2022", "anping", 2022, variants=["a2022-xx"]),
    ]
    result = threads(pages)
    assert result["a2022-xx"] == Thread()
    assert result["a2021"].next == "a2022"
    assert result["a2022"].same_year == ["a2022-xx"]  # listed beside it, never a neighbour
    assert "a2022-xx" not in {plan.target_slug for plan in result["a2021"].plans}


def test_plan_items_are_matched_to_the_planned_years_sections() -> None:
    pages = [summary("a2022", "anping", 2022), summary("a2023", "anping", 2023, plan=False)]
    result = threads(pages)
    (plan,) = result["a2022"].plans
    assert (plan.plan_year, plan.target_slug, plan.section.heading) == (
        2023,
        "a2023",
        "三、2023年工作思路",
    )
    fund, lab = plan.items
    assert fund.source.heading == "（一）紧扣基金安全，构建监管体系"
    assert fund.target is not None and fund.target.anchor == "fund"
    assert fund.target.slug == "a2023" and 0.5 < fund.target.score < 1.0  # same text, other heading
    # The 2023 report says nothing of a laboratory: that item stays unmatched.
    assert lab.related == []
    assert result["a2023"].planned_by == [plan]


def test_a_plan_for_a_year_without_a_report_has_no_target() -> None:
    pages = [summary("a2021", "anping", 2021), summary("a2023", "anping", 2023)]
    (plan,) = threads(pages)["a2021"].plans
    assert plan.plan_year == 2022 and plan.target_slug is None
    assert [item.related for item in plan.items] == [[], []]


def test_the_plan_year_of_the_front_matter_wins_over_the_next_year() -> None:
    pages = [
        summary("a2021", "anping", 2021, plan_year=2023),
        summary("a2023", "anping", 2023, plan=False),
    ]
    (plan,) = threads(pages)["a2021"].plans
    assert (plan.plan_year, plan.target_slug) == (2023, "a2023")


def test_topic_threads_link_a_section_to_the_same_topic_a_year_before_and_after() -> None:
    pages = [summary("a2022", "anping", 2022), summary("a2023", "anping", 2023)]
    result = threads(pages)
    later = result["a2022"].later_topic
    earlier = result["a2023"].earlier_topic
    assert {anchor: ref.anchor for anchor, ref in later.items()} == {
        "fund": "fund",
        "insured": "insured",
    }  # the opening part (level 1) is no topic section
    assert earlier["fund"].slug == "a2022" and earlier["fund"].heading == "一、基金监管持续从严"
    # Plan sections are not topic sections: they are linked through plans only.
    assert "plan-fund" not in later and "plan-fund" not in earlier


def test_report_topics_come_from_headings_and_repeated_keywords() -> None:
    report = report_meta("a2022", org_id="anping", year=2022)
    sections = [
        Section("title", "2022年工作总结", 1, "参保参保参保"),  # the opening part: never a topic
        Section("fund", "一、基金监管持续从严", 2, "检查定点医药机构。"),
        Section("care", "二、兜底保障", 2, "落实医疗救助政策，资助困难群众参保，防止返贫。"),
        Section("misc", "三、其他工作", 2, "参保工作有序开展。"),
    ]
    topics = [(topic, ref.anchor) for topic, ref in report_topics(report, sections)]
    assert ("基金监管", "fund") in topics  # its heading names the topic
    assert ("医疗救助", "care") in topics  # 兜底保障 in the heading
    assert all(anchor != "title" for _, anchor in topics)
    assert ("参保筹资", "misc") not in topics  # one 参保 is not enough


def test_merge_topics_lists_newest_first_and_leaves_out_copies_of_present_originals() -> None:
    old = summary("a2021", "anping", 2021)
    new = summary("a2023", "anping", 2023)
    copy = summary("a2023-xx", "anping", 2023, variant_of="a2023")
    lone_copy = summary("b2022-xx", "qinghe", 2022, variant_of="b2022")  # original not built
    merged = merge_topics((p.meta, p.topics) for p in (old, new, copy, lone_copy))
    slugs = [ref.slug for ref in merged["基金监管"]]
    assert slugs[0] == "a2023" and slugs[-1] == "a2021"
    assert "a2023-xx" not in slugs and "b2022-xx" in slugs
    assert slugs == sorted(slugs, key=lambda s: -int(s[1:5]))
