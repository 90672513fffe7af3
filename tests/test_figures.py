"""Stated figures: every value of an indicator with what narrows it, and which one a comparison
takes and why — on report 003's own sentences, and on the 2023 year page built from the samples.
"""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLE_REPORTS, BuiltSite
from nianbao.convert.decode import decode_report
from nianbao.convert.report import parse_report
from nianbao.site.figures import Figure, extract_figures
from nianbao.site.figures_html import choose


def _report_003() -> list[Figure]:
    (path,) = SAMPLE_REPORTS.glob("003_*.txt")
    text = parse_report(decode_report(path.read_bytes()).text).full_text
    return extract_figures(text, 2023)


def _of(figures: list[Figure], indicator: str) -> list[Figure]:
    return [f for f in figures if f.indicator == indicator]


def test_003_every_recovered_amount_is_extracted_including_wan_without_yuan() -> None:
    recovered = _of(_report_003(), "追回基金")
    assert [f.written for f in recovered] == ["372.60万", "26.19万元", "703.36万元"]
    assert [f.value for f in recovered] == [3_726_000.0, 261_900.0, 7_033_600.0]
    assert {f.unit for f in recovered} == {"元"}
    # Only the last is marked as a total (核查追回违规使用医保基金总额703.36万元).
    assert [f.headline for f in recovered] == ["", "", "总额"]


def test_003_both_fines_are_extracted() -> None:
    fines = _of(_report_003(), "罚款")
    assert [(f.written, f.value) for f in fines] == [
        ("28.43万", 284_300.0),
        ("26.19万元", 261_900.0),
    ]
    assert [f.headline for f in fines] == ["", ""]


def test_003_insured_count_is_the_rural_and_urban_residents_only() -> None:
    figures = _report_003()
    assert _of(figures, "参保人数") == []
    (residents,) = _of(figures, "参保人数（城乡居民）")
    assert residents.value == 828_357 and residents.written == "828357人"
    assert residents.sentence.startswith("2023年，我县城乡居民医保实际参保人数为828357人")


def test_003_comparison_takes_the_stated_total_and_says_so() -> None:
    recovered = choose(_of(_report_003(), "追回基金"))
    assert recovered.taken is not None and recovered.taken.written == "703.36万元"
    assert recovered.why == "取报告标明为总数（“总额”）的数值；文中另有 372.60万、26.19万元"
    fines = choose(_of(_report_003(), "罚款"))
    assert fines.taken is None, "no total stated: no value is picked"
    assert fines.why.endswith("未写明总额，均列出") and len(fines.stated) == 2


@pytest.mark.parametrize(
    ("sentence", "indicator", "written", "value", "upper", "scope", "headline", "qualifier"),
    [
        ("追回医保基金1.2亿元。", "追回基金", "1.2亿元", 1.2e8, None, "", "", ""),
        ("追回资金3800余万。", "追回基金", "3800余万", 3.8e7, None, "", "", "余"),
        ("罚款30－40万元。", "罚款", "30－40万元", 3e5, 4e5, "", "", ""),
        ("累计追回基金520万元。", "追回基金", "520万元", 5.2e6, None, "累计", "累计", ""),
        ("本年共罚款12万元。", "罚款", "12万元", 1.2e5, None, "本年", "共", ""),
        (
            "全县职工医保参保人数12.3万人。",
            "参保人数（职工）",
            "12.3万人",
            123_000.0,
            None,
            "",
            "",
            "",
        ),
        ("城乡居民参保率达99.1％。", "参保率（城乡居民）", "99.1％", 99.1, None, "", "", ""),
    ],
)
def test_each_way_of_stating_a_value_is_read(
    sentence: str,
    indicator: str,
    written: str,
    value: float,
    upper: float | None,
    scope: str,
    headline: str,
    qualifier: str,
) -> None:
    (figure,) = extract_figures(sentence, 2024)
    assert (figure.indicator, figure.written, figure.value, figure.upper) == (
        indicator,
        written,
        value,
        upper,
    )
    assert (figure.scope, figure.headline, figure.qualifier) == (scope, headline, qualifier)


def test_wan_alone_is_not_taken_from_another_unit() -> None:
    """ "5万人次" is a count of visits, not an amount recovered."""
    assert extract_figures("追回基金涉及5万人次。", 2024) == []


def test_a_value_stated_twice_is_one_value() -> None:
    twice = extract_figures("罚款12万元。罚款12万元。", 2024)
    statement = choose(twice)
    assert statement.taken is twice[0] and statement.why == "文中 2 处写同一数值"


def _section(html: str, heading: str) -> str:
    start = html.index(f"<h3>{heading}</h3>")
    end = html.find("<h3>", start + 1)
    return re.sub(r"<[^>]+>", "", html[start : end if end != -1 else None])


@pytest.mark.build
def test_2023_year_page_shows_which_statement_it_took_and_why(sample_site: BuiltSite) -> None:
    html = sample_site.html("years/2023/")
    html = html[html.index('id="nb-compare"') :]
    recovered = _section(html, "追回基金")
    assert "703.36万元（写明“总额”）" in recovered
    assert "取报告标明为总数（“总额”）的数值；文中另有 372.60万、26.19万元" in recovered
    fines = _section(html, "罚款")
    assert "28.43万；26.19万元" in fines and "均列出" in fines
    # The residents' count has its own row, apart from the other reports' totals.
    assert "828357人" in _section(html, "参保人数（城乡居民）")
    assert "828357人" not in _section(html, "参保人数")
