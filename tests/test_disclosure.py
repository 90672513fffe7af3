"""A 政府信息公开工作年度报告's statutory tables stay tables on its page, and its figures —
主动公开数, 收到申请数, 行政复议数, 行政诉讼数 — are read from the tables and text as stated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, BuiltSite, build_site, convert_reports
from nianbao.convert.disclosure import ACTIVE, RECEIVED, REVIEWS, SUITS, disclosure_figures
from nianbao.convert.report import parse_report

FOLDER = FIXTURES / "metadata"
# case -> every value stated, in the report's order: (主动公开, 收到申请, 行政复议, 行政诉讼).
STATED = {
    "xxgk-portal-bullets-before-title": (64, 2, 0, 0),
    "xxgk-title-wrapped-two-lines": (133, 1, 0, 0),  # tables written with tabs
    "xxgk-title-wrapped-three-lines": (412, 9, 1, 0),
    "xxgk-short-form-publisher": (121, 5, 1, 0),
    "xxgk-time-source-views-after-title": (88, 1, 0, 0),  # tabs
    "xxgk-province-addressee": (903, 27, 2, 1),
}


@pytest.mark.parametrize("case", sorted(STATED))
def test_statutory_figures_are_read_as_stated(case: str) -> None:
    report = parse_report((FOLDER / f"{case}.txt").read_text(encoding="utf-8"))
    figures = disclosure_figures(report)
    active, received, reviews, suits = STATED[case]
    assert [(f.name, f.value) for f in figures] == [
        (ACTIVE, active),
        (RECEIVED, received),
        (REVIEWS, reviews),
        (SUITS, suits),
    ]
    lines = (FOLDER / f"{case}.txt").read_text(encoding="utf-8").splitlines()
    for figure in figures:  # each value points at the line that states it
        assert str(figure.value) in lines[figure.line - 1]


def test_a_figure_stated_twice_is_listed_twice() -> None:
    case = "xxgk-untitled-year-comma-mou-district"
    report = parse_report((FOLDER / f"{case}.txt").read_text(encoding="utf-8"))
    active = [f for f in disclosure_figures(report) if f.name == ACTIVE]
    assert [(f.value, f.line) for f in active] == [(180, 1), (180, 4)]


def test_statutory_outline_is_headings_and_tables_are_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = convert_reports(FOLDER, out, "--no-cache")
    assert "outline numbering" not in result.stderr, result.stderr
    for case in STATED:
        page = (out / f"{case}.md").read_text(encoding="utf-8")
        parts = re.findall(r"^## (.+)$", page, re.M)
        assert [part[:2] for part in parts] == ["一、", "二、", "三、", "四、", "五、", "六、"]
        assert page.count("<table>") >= 2
        assert "<td>一、本年新收政府信息公开申请数量</td>" in page


@pytest.fixture(scope="module")
def disclosure_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    reports = tmp_path_factory.mktemp("xxgk") / "reports"
    reports.mkdir()
    shutil.copy(FOLDER / "xxgk-province-addressee.txt", reports)
    return build_site(reports, tmp_path_factory.mktemp("xxgk-site"))


@pytest.mark.build
def test_report_page_shows_the_statutory_tables(disclosure_site: BuiltSite) -> None:
    html = disclosure_site.html("reports/xxgk-province-addressee/")
    content = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    assert content.count("<table>") >= 2, disclosure_site.reproduce
    row = "<tr><td>一、本年新收政府信息公开申请数量</td><td>27</td><td>0</td><td>27</td></tr>"
    assert row in content, disclosure_site.reproduce
    assert "<h1" in content and "江南省医疗保障局关于2022年政府信息公开工作的年度报告" in content
