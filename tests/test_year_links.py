"""Year over year, on the real built site: organisation threads, plan → result, topic threads,
figures, comparison tables and the data files — on the multi-year fixture (tests/fixtures/yoy,
test data) and on the sample reports."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import unquote

import pytest
from conftest import FIXTURES, BuiltSite, build_site
from nianbao.site.figures import extract_figures

pytestmark = pytest.mark.build

YOY = FIXTURES / "yoy"


@pytest.fixture(scope="module")
def yoy_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(YOY, tmp_path_factory.mktemp("yoy"))


def _links(site: BuiltSite) -> dict[str, dict]:
    return json.loads((site.site_dir / "data" / "links.json").read_text(encoding="utf-8"))


def _figures(site: BuiltSite) -> list[dict]:
    return json.loads((site.site_dir / "data" / "figures.json").read_text(encoding="utf-8"))


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_previous_and_next_link_adjacent_available_years_of_one_org(yoy_site: BuiltSite) -> None:
    links = _links(yoy_site)
    chain = {slug: (links[slug]["previous"], links[slug]["next"]) for slug in links}
    assert chain == {
        "anping_2020": (None, "anping_2021"),
        # 2022 is missing for 安平: 2021 links on to 2023, never to 清河's 2022 report.
        "anping_2021": ("anping_2020", "anping_2023"),
        "anping_2023": ("anping_2021", "anping_2024"),
        "anping_2024": ("anping_2023", None),
        "qinghe_2022": (None, None),
    }, yoy_site.reproduce
    html = yoy_site.html("reports/anping_2021/")
    block = html[
        html.index("nb-thread--org") : html.index("</table>", html.index("nb-thread--org"))
    ]
    assert 'href="../anping_2020/"' in block and 'href="../anping_2023/"' in block
    assert "上一年度" in block and "下一年度" in block and "qinghe" not in block


def _plan_items(site: BuiltSite, slug: str) -> list[tuple[str, str | None]]:
    (plan,) = _links(site)[slug]["plans"]
    return [
        (item["item"]["heading"], item["matched"] and item["matched"]["heading"])
        for item in plan["items"]
    ]


def test_plan_items_link_to_the_sections_of_the_planned_year(yoy_site: BuiltSite) -> None:
    assert _plan_items(yoy_site, "anping_2020") == [
        ("（一）紧扣基金安全，构建监管体系", "一、基金监管织密织牢"),
        ("（二）紧扣共同富裕，完善待遇保障", "二、待遇保障更加公平"),
        ("（三）建设智慧医保实验室", None),  # no counterpart: left unlinked
    ]
    # Other headings, order and numbering in 2024: still matched by content.
    assert _plan_items(yoy_site, "anping_2023") == [
        ("（一）深化医保支付方式改革", "二、支付方式改革走深走实"),
        ("（二）守牢基金安全底线", "一、基金安全防线更加牢固"),
        ("（三）推进医保数字化应用", None),
    ]
    # 2021 plans 2022, for which the archive has no 安平 report.
    (plan,) = _links(yoy_site)["anping_2021"]["plans"]
    assert plan["plan_year"] == 2022 and plan["target"] is None
    assert all(item["matched"] is None for item in plan["items"])


def test_plan_links_show_on_both_pages(yoy_site: BuiltSite) -> None:
    planned = _text(yoy_site.html("reports/anping_2023/"))
    assert "计划年度：2024年。次年报告：2024年 · 安平县医疗保障局2024年工作总结" in planned
    assert "次年报告中未检索到相近段落" in planned
    later = yoy_site.html("reports/anping_2024/")
    assert "上年计划" in later
    assert 'href="../anping_2023/#二2024年工作思路"' in later
    assert "上年计划中的相关条目：" in _text(later) and "深化医保支付方式改革" in _text(later)
    unplanned = _text(yoy_site.html("reports/anping_2021/"))
    assert "计划年度：2022年。档案中没有本机构2022年的报告，各项下不列次年报告相关内容。" in (
        unplanned
    )


def test_plan_follow_up_is_labelled_as_related_text_not_as_a_verdict(yoy_site: BuiltSite) -> None:
    """Under a plan item: `次年报告相关内容：` and links ordered by likeness, no score, no
    verdict; with no next-year report, nothing under the items and one line at the heading."""
    planned = yoy_site.html("reports/anping_2023/")
    text = _text(planned)
    assert "落实情况：" not in text and "相似度" not in text and "未找到对应内容" not in text
    assert not re.search(r"[（(]\s*0\.\d+\s*[）)]", text), "no score in brackets"
    (plan,) = _links(yoy_site)["anping_2023"]["plans"]
    for item in plan["items"]:
        scores = [related["score"] for related in item["related"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 3
        if item["related"]:
            headings = "、".join(f"2024年 · {r['heading']}" for r in item["related"])
            assert f"次年报告相关内容：{headings}" in text
    unplanned = yoy_site.html("reports/anping_2021/")
    assert "次年报告相关内容：" not in unplanned and "次年报告中未检索到" not in unplanned
    assert _text(unplanned).count("档案中没有本机构2022年的报告") == 1


def test_topic_threads_link_similar_sections_only(yoy_site: BuiltSite) -> None:
    links = _links(yoy_site)
    earlier = links["anping_2024"]["earlier_topic"]
    assert earlier["一基金安全防线更加牢固"]["anchor"] == "三在基金安全上发力"
    assert earlier["三参保和待遇保障"]["anchor"] == "二在惠民保障上着力"
    assert all(ref["score"] >= 0.25 for ref in earlier.values())
    later = links["anping_2023"]["later_topic"]
    assert later["三在基金安全上发力"]["slug"] == "anping_2024"
    html = _text(yoy_site.html("reports/anping_2024/"))
    assert "往年同题：2023年 · （三）在基金安全上发力" in html
    assert links["qinghe_2022"]["earlier_topic"] == links["qinghe_2022"]["later_topic"] == {}


def test_figures_have_value_unit_date_sentence_and_redactions(yoy_site: BuiltSite) -> None:
    figures = {(f["report"], f["indicator"]): f for f in _figures(yoy_site)}
    insured = figures[("anping_2023", "参保人数")]
    assert (insured["value"], insured["unit"], insured["written"]) == (
        473600.0,
        "人",
        "47.36万余人",
    )
    assert insured["qualifier"] == "余" and insured["as_of"] == "2023年9月"
    assert insured["sentence"].startswith("截至2023年9月，全县基本医疗保险参保人数")
    assert figures[("anping_2021", "住院报销比例（城乡居民）")]["value"] == 66.85
    assert figures[("anping_2023", "带量采购品种数（医用耗材）")]["value"] == 240.0
    fine = figures[("anping_2021", "罚款")]
    assert fine["redacted"] is True and fine["value"] is None and fine["written"] == "****万元"
    assert figures[("anping_2020", "参保率")]["as_of"] == "2020年11月"
    # Each report page lists its figures, each linked to its section.
    html = yoy_site.html("reports/anping_2021/")
    table = html[html.index('id="nb-figures"') :]
    assert "****万元" in table and "（已隐去）" in table
    assert 'href="#二待遇保障更加公平"' in table


def test_org_page_compares_indicators_across_years(yoy_site: BuiltSite) -> None:
    html = yoy_site.html("orgs/test-anping/")
    table = html[html.index('id="nb-compare"') :]
    rows = {
        _text(cells[0]): [_text(c) for c in cells[1:]]
        for cells in (
            re.findall(r"<td>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        )
        if cells
    }
    assert re.findall(r"<th>(\d{4})年</th>", table) == ["2020", "2021", "2023", "2024"]
    assert rows["参保率"] == ["98.90％", "99.12％", "99.45％", "99.60％", "+0.15 个百分点"]
    assert rows["追回基金"][-1] == "+13.7%"  # 352.80 → 401.20 万元
    assert rows["罚款"][1].startswith("****万元")
    assert rows["满意度"] == ["—", "96％以上", "—", "—", "—"]
    charts = re.findall(r'<figure class="nb-chart"><figcaption>([^<]*)', table)
    assert "参保率" in charts and "满意度" not in charts  # a chart needs two points


def test_year_page_compares_organisations(yoy_site: BuiltSite) -> None:
    html = yoy_site.html("years/2022/")
    part = _text(html[html.index('id="nb-compare"') :])
    assert "参保率" in part and "清河县医疗保障局" in part and "99.01％" in part


def test_figures_are_data_files_for_spreadsheets(yoy_site: BuiltSite) -> None:
    raw = (yoy_site.site_dir / "data" / "figures.csv").read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert len(rows) == len(_figures(yoy_site))
    # Chinese column names for spreadsheet readers; figures.json keeps the English keys.
    assert {"报告", "机构", "年度", "指标", "数值", "原文写法", "截至", "原句"} <= set(rows[0])
    assert not any(key.isascii() for key in rows[0]), list(rows[0])
    assert rows[0]["原句"] == _figures(yoy_site)[0]["sentence"]


# ---- the sample reports ----


def test_2023_figures_of_002(sample_site: BuiltSite) -> None:
    figures = [f for f in _figures(sample_site) if f["report"].startswith("002_")]
    stated = {f["indicator"]: (f["value"], f["written"], f["as_of"]) for f in figures}
    assert stated["参保人数"] == (492900.0, "49.29万余人", "2023年9月")
    assert stated["参保率"] == (99.85, "99.85％", "2023年9月")
    assert stated["住院报销比例（职工）"][:2] == (83.93, "83.93％")
    assert stated["住院报销比例（城乡居民）"][:2] == (69.58, "69.58％")
    assert stated["追回基金"][:2] == (3098200.0, "309.82万元")
    assert (
        stated["带量采购品种数（药品）"][0] == 338
        and stated["带量采购品种数（医用耗材）"][0] == 265
    )


def test_004_redacted_rate_is_not_a_number(sample_site: BuiltSite) -> None:
    (rate,) = [
        f
        for f in _figures(sample_site)
        if f["report"].startswith("004_") and f["indicator"] == "参保率"
    ]
    assert rate["redacted"] is True and rate["value"] is None and rate["written"] == "*％"
    assert rate["as_of"] == "2022年"  # 004 reports on 2022


def test_000_001_002_are_one_org_by_inference_and_say_why(sample_site: BuiltSite) -> None:
    links = _links(sample_site)
    s000, s001, s002 = (next(s for s in links if s.startswith(p)) for p in ("000_", "001_", "002_"))
    assert set(links[s000]["same_year"]) == {s001, s002}
    assert links[s000]["previous"] is None and links[s000]["next"] is None
    page = (sample_site.docs_dir / "reports" / f"{s002}.md").read_text(encoding="utf-8")
    why = re.search(r"org_id: '(inferred: .*)'", page)
    assert why and "共有专名" in why.group(1) and "乡贤医管家" in why.group(1)
    # 003 and 004 share no names with them: not linked.
    s003 = next(s for s in links if s.startswith("003_"))
    assert s003 not in links[s000]["same_year"] and links[s003]["same_year"] == []


def test_figure_rules_are_not_tied_to_one_phrasing() -> None:
    text = (
        "1－9月，全市医疗救助支出1200余万元，异地就医直接结算3.5万人次。\n"
        "截至9月底，参保率为*％，群众满意度达98％。\n"
        "全年共拒付违规费用12.5万元，追回资金8万元，节约费用超1.2亿元。"
    )
    found = {f.indicator: f for f in extract_figures(text, 2024)}
    assert (
        found["医疗救助金额"].value == 12_000_000 and found["医疗救助金额"].as_of == "2024年1－9月"
    )
    assert found["异地就医结算"].written == "3.5万人次" and found["异地就医结算"].unit == "人次"
    assert found["参保率"].redacted and found["参保率"].as_of == "2024年9月"
    assert found["满意度"].value == 98
    assert found["拒付基金"].value == 125_000 and found["追回基金"].value == 80_000
    assert found["集采节约资金"].value == 120_000_000 and found["集采节约资金"].qualifier == "超"


def test_topic_page_lists_its_reports_and_sections_across_years(yoy_site: BuiltSite) -> None:
    html = yoy_site.html("topics/基金监管/")
    part = html[html.index('id="nb-topic-sections"') :]
    funds = part[: part.index("</ul>")]
    years = re.findall(r">(\d{4})年 · ", funds)
    assert {"2020", "2021", "2023", "2024"} <= set(years)
    assert years == sorted(years, reverse=True)
    assert 'href="../../reports/anping_2024/#一基金安全防线更加牢固"' in funds
    listing = html[: html.index('id="nb-topic-sections"')]
    assert 'href="../../reports/anping_2023/"' in listing
    index = unquote(yoy_site.html("topics/"))
    assert 'href="基金监管/"' in index
    report = unquote(yoy_site.html("reports/anping_2023/"))
    assert 'href="../../topics/基金监管/"' in report  # the metadata block's tag links
