"""Metadata of reports shaped like those agencies publish: each fixture under
tests/fixtures/metadata/ converts with the title, organisation, org_id, region, year, published
date and type its row in expected.yml states (the real converter, run once on the folder)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, BuiltSite, build_site, convert_reports
from mkdocs.utils.meta import get_data
from nianbao.schema import REPORT_TYPES, ReportMeta

FOLDER = FIXTURES / "metadata"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load(
    (FOLDER / "expected.yml").read_text(encoding="utf-8")
)
MIN_CASES = 40


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, ReportMeta], str]:
    """Every fixture's front matter, and the converter's messages."""
    out = tmp_path_factory.mktemp("metadata") / "out"
    result = convert_reports(FOLDER, out, "--no-cache")
    assert result.returncode == 0, result.stderr
    metas = {}
    for page in out.glob("*.md"):
        _, meta = get_data(page.read_text(encoding="utf-8"))
        metas[page.stem] = ReportMeta.from_meta(meta)
    return metas, result.stderr


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_fixture_metadata(converted: tuple[dict[str, ReportMeta], str], case: str) -> None:
    metas, _ = converted
    meta = metas[case]
    expected = {k: v for k, v in EXPECTED[case].items() if k not in {"org_id", "warning"}}
    actual = {key: getattr(meta, key) for key in expected}
    assert actual == expected, f"{case}: provenance {meta.provenance}"
    assert case not in meta.title and ".txt" not in meta.title  # never the file name
    for key in expected:
        if getattr(meta, key) is not None and key in meta.provenance:
            assert meta.provenance[key].startswith("inferred: ")


def test_org_ids_group_one_organisation_across_years_and_spellings(
    converted: tuple[dict[str, ReportMeta], str],
) -> None:
    metas, _ = converted
    by_label: dict[object, set[str]] = {}
    for case, row in EXPECTED.items():
        by_label.setdefault(row["org_id"], set()).add(metas[case].org_id)
    assert all(len(ids) == 1 for ids in by_label.values()), by_label
    assert len({next(iter(ids)) for ids in by_label.values()}) == len(by_label)
    # Spellings: 医保局 and 医疗保障局, 卫生健康委 and 卫生健康委员会 are one organisation.
    assert metas["zongjie-short-name-yibaoju"].org_id == metas["zongjie-plain"].org_id
    assert metas["fazhi-letter-doc-no-signature"].org_id == metas["jihua-wrapped-org-line"].org_id


@pytest.mark.parametrize("case", sorted(c for c, row in EXPECTED.items() if "warning" in row))
def test_title_and_body_years_that_disagree_are_a_warning_naming_file_line_and_years(
    converted: tuple[dict[str, ReportMeta], str], case: str
) -> None:
    _, stderr = converted
    pattern = rf"{re.escape(case)}\.txt:\d+[:：] ?{re.escape(str(EXPECTED[case]['warning']))}"
    assert re.search(pattern, stderr), stderr


def test_only_disagreeing_years_are_warned_about(
    converted: tuple[dict[str, ReportMeta], str],
) -> None:
    _, stderr = converted
    warned = set(re.findall(r"([\w-]+)\.txt:\d+[:：] ?标题写的是", stderr))
    assert warned == {case for case, row in EXPECTED.items() if "warning" in row}


def test_the_catalog_settles_a_year_the_title_and_body_disagree_on(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    reports.mkdir()
    case = "zipingjia-title-2024-body-2023"
    (reports / f"{case}.txt").write_bytes((FOLDER / f"{case}.txt").read_bytes())
    (reports / "catalog.yml").write_text(
        f"reports:\n  {case}.txt:\n    year: 2024\n", encoding="utf-8"
    )
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "标题写的是" not in result.stderr
    _, meta = get_data((tmp_path / "out" / f"{case}.md").read_text(encoding="utf-8"))
    assert meta["year"] == 2024 and meta["provenance"]["year"] == "catalog"


def test_fixture_set_covers_every_type_and_shape() -> None:
    texts = {path.stem for path in FOLDER.glob("*.txt")}
    assert texts == set(EXPECTED), "every fixture needs a row in expected.yml, and back"
    assert len(texts) >= MIN_CASES
    assert {row["type"] for row in EXPECTED.values()} == set(REPORT_TYPES)


@pytest.fixture(scope="module")
def portal_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    reports = tmp_path_factory.mktemp("portal") / "reports"
    reports.mkdir()
    for case in ("xxgk-portal-bullets-before-title", "xxgk-redacted-org-body-names-place"):
        shutil.copy(FOLDER / f"{case}.txt", reports)
    return build_site(reports, tmp_path_factory.mktemp("portal-site"))


@pytest.mark.build
def test_page_shows_the_portal_fields_and_no_portal_labels_in_title_or_text(
    portal_site: BuiltSite,
) -> None:
    html = portal_site.html("reports/xxgk-portal-bullets-before-title/")
    content = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    for cell in (
        "<td>发布日期</td><td>2023-01-11</td>",
        "<td>索引号</td><td>WC0301-0203-2023-00004</td>",
        "<td>文号</td><td>石卫健\u30142023\u30152号</td>",
        "<td>地区</td><td>梧川市石湾区</td>",
    ):
        assert cell in content, portal_site.reproduce
    title = "<title>梧川市石湾区卫生健康局2022年政府信息公开工作年度报告"
    assert title in html, portal_site.reproduce
    body = content.split("</table>", 1)[1]  # after the metadata block
    assert "索 引 号" not in body and "公文生成日期" not in body and "时间：" not in body


@pytest.mark.build
def test_redacted_report_page_names_no_region(portal_site: BuiltSite) -> None:
    html = portal_site.html("reports/xxgk-redacted-org-body-names-place/")
    assert "<td>地区</td><td>（机构名已隐去，不推断）</td>" in html, portal_site.reproduce
