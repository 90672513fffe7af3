"""What a Chinese reader sees around the reports: a Chinese footer that links nowhere outside,
a Chinese 404 page, Chinese tooltips, breadcrumbs, the metadata block's portal fields and its
folded technical record, charts with a scale, and the maintainers' pages out of the readers'
navigation."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from conftest import BuiltSite
from mkdocs.utils.meta import get_data
from nianbao.schema import ReportMeta
from nianbao.site.figures import Figure
from nianbao.site.figures_html import data_downloads, subset_file_ok, svg_chart
from nianbao.site.meta_block import breadcrumbs, metadata_block

S004 = "004_98663ce6772e791d"


def _meta(**changes: object) -> ReportMeta:
    values: dict[str, object] = {
        "title": "某县医疗保障局2023年工作总结",
        "org": "某县医疗保障局",
        "org_id": "mouxian-ybj",
        "year": 2023,
        "type": "工作总结",
        "source": "a.txt",
        "source_sha256": "ab" * 32,
        "slug": "a",
        "encoding": "gb18030",
        "chars": 1200,
        "redactions": 0,
        "provenance": {"year": "inferred: 标题写明 2023年", "org_id": "catalog"},
    }
    values.update(changes)
    return ReportMeta(**values)  # type: ignore[arg-type]


def _rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', html))


# ---- the metadata block (pure: no build) ----


def test_portal_fields_are_shown_when_known() -> None:
    meta = _meta(
        published="2024-01-15",
        index_no="11330000-2024-00012",
        doc_no="某医保〔2024〕3号",
        publisher="某县医疗保障局办公室",
    )
    shown = metadata_block(meta, {}).split("<details", 1)[0]
    rows = _rows(shown)
    assert rows["发布日期"] == "2024-01-15"
    assert rows["索引号"] == "11330000-2024-00012"
    assert rows["文号"] == "某医保〔2024〕3号"
    assert rows["发布机构"] == "某县医疗保障局办公室"


def test_no_date_or_number_row_when_unknown() -> None:
    shown = metadata_block(_meta(), {}).split("<details", 1)[0]
    for label in ("发布日期", "索引号", "文号", "发布机构"):
        assert label not in shown


def test_technical_record_is_folded_in_chinese() -> None:
    block = metadata_block(_meta(), {})
    shown, details = block.split('<details class="nb-meta__details">', 1)
    text = re.sub(r"<[^>]+>", "", shown)
    assert "gb18030" not in text and "ab" * 32 not in text and "mouxian-ybj" not in text
    rows = _rows(details)
    assert rows["读取编码"] == "gb18030"
    assert rows["来历：年度"] == "据正文推断：标题写明 2023年"
    assert rows["来历：机构键"] == "目录文件设定"
    assert "inferred" not in details and "catalog" not in details


def test_breadcrumbs_lead_from_the_archive_to_the_report() -> None:
    path = breadcrumbs(_meta())
    steps = re.findall(r"<li>(.*?)</li>", path)
    assert [re.sub(r"<[^>]+>", "", step) for step in steps] == [
        "年报库",
        "按机构",
        "某县医疗保障局",
        "2023年",
    ]
    assert 'href="../../orgs/mouxian-ybj/"' in steps[2]
    assert 'aria-current="page"' in steps[3]


# ---- charts (pure) ----


def _figure(value: float, written: str, unit: str) -> Figure:
    return Figure("参保率", value, written, unit, "", False, "2023年", "句。")


def _tick_values(svg: str) -> list[float]:
    ticks = re.findall(r'class="nb-chart__tick"[^>]*>([^<]+)<', svg)
    return [float(t.replace(",", "")) for t in ticks]


def test_a_count_chart_starts_at_zero_with_its_unit() -> None:
    svg = svg_chart(
        "参保人数",
        [(2022, _figure(451200, "45.12万人", "人")), (2023, _figure(479000, "47.90万人", "人"))],
    )
    ticks = _tick_values(svg)
    assert ticks[0] == 0 and ticks[-1] >= 47.9  # in 万人
    assert "单位：万人" in svg and "纵轴自" not in svg
    # The caption is the chart's title, above it.
    assert svg.index("<figcaption>") < svg.index("<svg")


def test_a_rate_chart_may_zoom_and_says_so() -> None:
    svg = svg_chart(
        "参保率", [(2022, _figure(98.9, "98.90％", "％")), (2023, _figure(99.6, "99.60％", "％"))]
    )
    ticks = _tick_values(svg)
    assert 0 < ticks[0] <= 98.9 and ticks[-1] >= 99.6
    assert f"纵轴自 {ticks[0]:g}％ 起" in svg


# ---- the built sample site ----


def _all_html(site: BuiltSite) -> list[Path]:
    return sorted(site.site_dir.rglob("*.html"))


@pytest.mark.build
def test_no_page_links_out_of_the_site_or_names_the_generator(sample_site: BuiltSite) -> None:
    for path in _all_html(sample_site):
        html = path.read_text(encoding="utf-8")
        assert "Made with" not in html and "squidfunk" not in html, path
        assert not re.search(r'<a [^>]*href="(https?:)?//', html), path
        assert 'title="Permanent link"' not in html, path


@pytest.mark.build
def test_headings_permalinks_have_a_chinese_tooltip(sample_site: BuiltSite) -> None:
    html = sample_site.html(f"reports/{S004}/")
    assert 'class="headerlink" href="#' in html and 'title="本节链接"' in html


@pytest.mark.build
def test_404_page_is_chinese_with_ways_back(sample_site: BuiltSite) -> None:
    html = (sample_site.site_dir / "404.html").read_text(encoding="utf-8")
    assert "<h1>未找到此页面</h1>" in html and "Not found" not in html
    assert re.search(r'<a href="/years/">按年度</a>', html)


@pytest.mark.build
def test_footer_links_data_and_maintainers_pages(sample_site: BuiltSite) -> None:
    html = sample_site.html("years/2023/")
    footer = html.split('<footer class="md-footer">', 1)[1]
    assert 'href="../../maintainers/schema/">维护说明</a>' in footer
    assert 'href="../../data/figures.csv"' in footer


@pytest.mark.build
def test_maintainers_pages_are_built_but_not_in_the_readers_navigation(
    sample_site: BuiltSite,
) -> None:
    assert (sample_site.site_dir / "maintainers" / "scale" / "index.html").is_file()
    home = sample_site.html("")
    nav = home.split('data-md-type="navigation"', 1)[1].split('data-md-type="toc"', 1)[0]
    assert "按年度" in nav and "维护说明" not in nav and "maintainers/" not in nav


@pytest.mark.build
def test_report_page_has_breadcrumbs_above_its_title(sample_site: BuiltSite) -> None:
    html = sample_site.html(f"reports/{S004}/")
    article = html.split('<article class="md-content__inner', 1)[1]
    assert article.index('<nav class="nb-path"') < article.index("<h1")
    assert re.search(r'<li><a href="\.\./\.\./orgs/">按机构</a></li>', article)


@pytest.mark.build
def test_listing_page_has_breadcrumbs(sample_site: BuiltSite) -> None:
    html = sample_site.html("years/2023/")
    path = html.split('<nav class="md-path"', 1)[1].split("</nav>", 1)[0]
    assert [t.strip() for t in re.findall(r">([^<>]+)</a>", path)] == ["年报库", "按年度"]


@pytest.mark.build
def test_figures_csv_has_chinese_columns_and_json_keeps_english_keys(
    sample_site: BuiltSite,
) -> None:
    raw = (sample_site.site_dir / "data" / "figures.csv").read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert header[:3] == ["报告", "页面", "机构"] and "指标" in header
    data = (sample_site.site_dir / "data" / "figures.json").read_text(encoding="utf-8")
    assert '"indicator"' in data


@pytest.mark.build
def test_report_sources_carry_no_english_leftovers(sample_site: BuiltSite) -> None:
    """The metadata block, in the page a reader opens, shows no `（utf-8）` or `编目：` line."""
    html = sample_site.html(f"reports/{S004}/")
    meta = ReportMeta.from_meta(
        get_data((sample_site.docs_dir / "reports" / f"{S004}.md").read_text(encoding="utf-8"))[1]
    )
    shown = html.split('<div class="nb-meta">', 1)[1].split("<details", 1)[0]
    assert f"（{meta.encoding}）" not in shown and "编目" not in shown


def test_a_redacted_copys_record_and_breadcrumbs_name_no_organisation_or_original() -> None:
    copy = _meta(
        org="XX局",
        variant_of="original-slug",
        provenance={
            "org_id": "inferred: 与 original-slug 为同一报告的版本",
            "variant_of": "inferred: 与原文逐段比对，仅隐去处不同",
            "year": "inferred: 标题写明 2023年",
        },
    )
    block = metadata_block(copy, {"original-slug": "原版标题"})
    details = block.split('<details class="nb-meta__details">', 1)[1].split("</details>", 1)[0]
    assert "mouxian-ybj" not in details and "original-slug" not in details
    assert _rows(details)["来历：年度"] == "据正文推断：标题写明 2023年"
    path = breadcrumbs(copy)
    assert "orgs/" not in path and "mouxian-ybj" not in path
    assert 'href="../../years/2023/"' in path


def test_only_safe_organisation_keys_name_data_files() -> None:
    assert subset_file_ok("test-anping") and subset_file_ok("2023") and subset_file_ok("a.b")
    for bad in ("", "..", ".hidden", "a/b", "../x", "a b"):
        assert not subset_file_ok(bad), bad
    links = data_downloads("orgs/x/", "orgs/../../etc")
    assert "本页数据" not in links and "figures.csv" in links
