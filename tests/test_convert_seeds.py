"""The five sample reports convert as a reader expects: outline, metadata, variants, no residue."""

from __future__ import annotations

import hashlib
import re

import pytest
from conftest import SAMPLE_REPORTS, BuiltSite, convert_reports
from mkdocs.utils.meta import get_data
from nianbao.schema import ReportMeta

S000, S001, S002, S003, S004 = (
    "000_49c4854f0d4b78b1",
    "001_e65edd4454997b99",
    "002_0764572fe450674b",
    "003_8849d5372dd76096",
    "004_98663ce6772e791d",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, ReportMeta]]:
    """Converted sample pages: slug -> (Markdown body, validated front matter)."""
    out = tmp_path_factory.mktemp("converted")
    result = convert_reports(SAMPLE_REPORTS, out)
    assert result.returncode == 0, result.stderr
    converted = {}
    for path in sorted(out.glob("*.md")):
        body, meta = get_data(path.read_text(encoding="utf-8"))
        converted[path.stem] = (body, ReportMeta.from_meta(meta))
    return converted


def _headings(body: str, level: int) -> list[str]:
    marks = "#" * level
    return [line[level + 1 :] for line in body.splitlines() if line.startswith(marks + " ")]


def _plain(markdown: str) -> str:
    return re.sub(r"<[^>]+>", "", markdown).replace("\\", "")


def test_every_seed_becomes_one_page(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    assert sorted(pages) == [S000, S001, S002, S003, S004]


def test_002_has_two_parts_of_five_sections_each(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    body, _ = pages[S002]
    assert _headings(body, 2) == ["一、2023年工作开展情况", "二、2024年工作思路"]
    sections = body.split("\n## ")
    for part in sections[1:]:
        h3 = [_plain(h) for h in _headings("\n" + part, 3)]
        assert [h[:3] for h in h3] == ["（一）", "（二）", "（三）", "（四）", "（五）"]


def test_000_run_in_headings_hold_only_the_part_before_the_first_full_stop(
    pages: dict[str, tuple[str, ReportMeta]],
) -> None:
    body, _ = pages[S000]
    h3 = _headings(body, 3)
    assert h3[0] == "（一）提升党组织“凝聚力”"
    assert all("。" not in heading for heading in h3)
    assert "\n\n始终坚持以习近平新时代中国特色社会主义思想为指引" in body


def test_000_keeps_its_numbering_slip(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    body, _ = pages[S000]
    assert [h[:2] for h in _headings(body, 2)] == ["一、", "二、", "三、", "四、", "三、"]


def test_inline_enumerations_become_lists_keeping_their_text(
    pages: dict[str, tuple[str, ReportMeta]],
) -> None:
    items002 = _list_items(pages[S002][0])
    assert any(item.startswith("一是高标落实公共服务“七优享”。不断完善基本") for item in items002)
    assert any(item.startswith("二是稳步引导推动商保健康发展。") for item in items002)
    assert [item[:2] for item in _list_items(pages[S000][0])] == ["一是", "二是", "三是"]


def _list_items(body: str) -> list[str]:
    """List items in page order: Markdown (`- …`), or HTML (`<li>…</li>`) in a list holding
    redaction marks."""
    html_item = re.compile(r"<li>(.*)</li>")
    items = []
    for line in body.splitlines():
        if line.startswith("- "):
            items.append(line[2:])
        elif match := html_item.fullmatch(line):
            items.append(match.group(1))
    return items


@pytest.mark.parametrize(
    ("slug", "title", "year", "report_type", "plan_year"),
    [
        (S000, "县医疗保障局2023年党建工作汇报", 2023, "党建工作总结", 2024),
        (S001, "XX局2023年党建工作总结", 2023, "党建工作总结", 2024),
        (S002, "XX局2023年工作总结和2024年工作思路", 2023, "工作总结和工作思路", 2024),
        (S003, "XX县医疗保障局“四个全面”自评报告", 2023, "自评报告", None),
        (S004, "**县医疗保障工作发言", 2022, "会议发言", 2023),
    ],
)
def test_inferred_metadata(
    pages: dict[str, tuple[str, ReportMeta]],
    slug: str,
    title: str,
    year: int,
    report_type: str,
    plan_year: int | None,
) -> None:
    _, meta = pages[slug]
    assert (meta.title, meta.year, meta.type, meta.plan_year) == (
        title,
        year,
        report_type,
        plan_year,
    )
    assert not meta.title.endswith(".txt") and "49c4854f" not in meta.title
    assert meta.provenance["year"].startswith("inferred: ")


def test_004_year_is_decided_from_the_text(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    _, meta = pages[S004]
    assert "2022年，" in meta.provenance["year"]


def test_region_never_undoes_a_redacted_organisation(
    pages: dict[str, tuple[str, ReportMeta]],
) -> None:
    # 003's organisation is written XX县医疗保障局; its body names 遂溪 — the region the
    # author redacted stays hidden (it once showed 遂溪县, taken from the body).
    assert pages[S003][1].org == "XX县医疗保障局"
    assert pages[S003][1].region is None
    assert all(meta.region is None for _, meta in pages.values())


def test_001_is_the_redacted_variant_of_000(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    assert pages[S001][1].variant_of == S000
    assert pages[S000][1].variants == [S001]
    assert all(pages[s][1].variant_of is None for s in (S000, S002, S003, S004))


def test_org_grouping_is_explained(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    org_ids = {slug: meta.org_id for slug, (_, meta) in pages.items()}
    assert org_ids[S000] == org_ids[S001] == org_ids[S002]
    assert len({org_ids[S000], org_ids[S003], org_ids[S004]}) == 3
    assert "乡贤医管家" in pages[S002][1].provenance["org_id"]
    assert S000 in pages[S001][1].provenance["org_id"]


def test_no_paywall_residue_anywhere(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    for body, meta in pages.values():
        assert "paid" not in body
        assert "paid" not in meta.title


def test_003_sentence_cut_by_residue_is_joined(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    assert "自由选择参保方式和参保险种" in _plain(pages[S003][0])
    assert "知识点嵌入民政“数字化门牌”" in _plain(pages[S002][0])


def test_redactions_are_counted_and_marked(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    assert pages[S000][1].redactions == 0
    assert "<p>" not in pages[S000][0] and "<li>" not in pages[S000][0]  # plain Markdown
    body, meta = pages[S004]
    text_spans = body.split("\n", 1)[1].count('class="nb-redacted"')  # title line left out
    assert meta.redactions == text_spans > 40
    # In an HTML block (the paragraph holds marks): the stars as written, no Markdown escapes.
    assert '<span class="nb-redacted" title="原文已隐去">****</span>余人次' in body
    assert "\n<p>" in body and "\n## " in body  # headings stay Markdown
    assert all(line.endswith("</p>") for line in body.splitlines() if line.startswith("<p>"))


def test_full_width_text_is_kept_verbatim(pages: dict[str, tuple[str, ReportMeta]]) -> None:
    text = _plain(pages[S002][0])
    assert "参保率99.85％" in text and "“党建＋XX”模式" in text and "1－9月" in text


@pytest.mark.build
def test_004_page_shows_redactions_literally_and_no_invented_bold(sample_site: BuiltSite) -> None:
    html = sample_site.html(f"reports/{S004}/")
    assert "<strong>" not in html and "<em>" not in html, sample_site.reproduce
    assert '<span class="nb-redacted" title="原文已隐去">****</span>余人次' in html


@pytest.mark.build
def test_heading_anchors_are_readable(sample_site: BuiltSite) -> None:
    html = sample_site.html(f"reports/{S002}/")
    assert 'id="一2023年工作开展情况"' in html
    assert not re.search(r'id="_\d+"', html), sample_site.reproduce


# SHA-256 of the five sample reports as the project's owner supplied them.
SEED_DIGESTS = {
    "000_49c4854f0d4b78b1.txt": "f94f5fecd3d16809f9cd1c73e99178f05af79857def611bea5363798bee9b3f0",
    "001_e65edd4454997b99.txt": "8f065e021a5ab2b878e0e9fede1521071a3dd8ae4b7c82f8ce1461cb1241d455",
    "002_0764572fe450674b.txt": "51c978c5dc54b0546bd0bbe6dc25188c53658128339e70de6a869e64dbc5f991",
    "003_8849d5372dd76096.txt": "67321b10fafb4229443ccb9843c593fcdfc5c8c59b7feaf201fdca3a0431fc83",
    "004_98663ce6772e791d.txt": "58e5b8af1fcab6c445156e3275feaf9c89f05c655d9f07177de253197e64b1b9",
}


def test_sample_corpus_is_shipped_unchanged() -> None:
    shipped = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in SAMPLE_REPORTS.glob("*.txt")
    }
    assert shipped == SEED_DIGESTS
