"""The metadata block, variant note and breadcrumbs of a report page (nianbao.site.meta_block):
what a reader sees under the title, a pure function of the page's front matter."""

from __future__ import annotations

import re

from nianbao.schema import CATALOG, FIELD_NAMES, ReportMeta
from nianbao.site import meta_block
from nianbao.site.meta_block import breadcrumbs, metadata_block


def meta(**fields: object) -> ReportMeta:
    values: dict = {
        "title": "安平县医疗保障局2023年工作总结",
        "org": "安平县医疗保障局",
        "org_id": "anping",
        "year": 2023,
        "type": "工作总结",
        "source": "2023/anping.txt",
        "source_sha256": "ab" * 32,
        "slug": "anping-2023",
        "encoding": "gb18030",
        "chars": 12345,
        "redactions": 0,
    }
    values.update(fields)
    return ReportMeta(**values)


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_the_block_links_organisation_year_type_and_tags_from_the_report_page() -> None:
    block = metadata_block(meta(tags=["基金监管", "集采"], plan_year=2024), {})
    assert hrefs(block) == [
        "../../orgs/anping/",
        "../../years/2023/",
        "../../types/工作总结/",
        "../../topics/基金监管/",
        "../../topics/集采/",
        "../sources/anping-2023.txt",
    ]
    assert "2023年</a>（含 2024年工作思路）" in block
    assert "12,345 字" in block and "隐去" not in block.split("详细信息")[0]
    assert '<th scope="row">地区</th><td>（机构名未含地名）</td>' in block


def test_html_urls_link_to_html_files() -> None:
    block = metadata_block(meta(), {}, directory_urls=False)
    assert hrefs(block)[:3] == [
        "../orgs/anping.html",
        "../years/2023.html",
        "../types/工作总结.html",
    ]
    assert hrefs(block)[-1] == "sources/anping-2023.txt"


def test_publication_details_are_shown_only_when_known() -> None:
    bare = metadata_block(meta(), {})
    assert "发布日期" not in bare and "索引号" not in bare
    full = metadata_block(
        meta(published="2024-01-15", index_no="11130000-2024-00012", doc_no="安医保〔2024〕3号"),
        {},
    )
    assert '<th scope="row">发布日期</th><td>2024-01-15</td>' in full
    assert '<th scope="row">索引号</th><td>11130000-2024-00012</td>' in full
    assert '<th scope="row">文号</th><td>安医保〔2024〕3号</td>' in full


def test_provenance_says_where_each_field_came_from() -> None:
    block = metadata_block(
        meta(
            provenance={
                "year": "inferred: 标题写明“2023年”",
                "type": CATALOG,
                "org": "inferred: 与 qinghe-2022 同名",
                "plan_year": "inferred: 二、2024年工作思路",
            }
        ),
        {},
    )
    record = block.split("<summary>详细信息</summary>")[1]
    assert '<th scope="row">来历：年度</th><td>据正文推断：标题写明“2023年”</td>' in record
    assert '<th scope="row">来历：类型</th><td>目录文件设定</td>' in record
    assert (
        '<th scope="row">来历：工作思路年份</th><td>据正文推断：二、2024年工作思路</td>' in record
    )
    # An organisation's reasons may cite other reports: only that it was inferred is said.
    assert '<th scope="row">来历：机构</th><td>据正文推断</td>' in record
    assert "qinghe-2022" not in block
    assert '<code class="nb-sha">' + "ab" * 32 + "</code>" in record
    assert "<code>anping</code>" in record and "gb18030" in record


def test_an_original_names_its_redacted_copies() -> None:
    block = metadata_block(
        meta(variants=["xx-2023"], provenance={"variants": "inferred: 正文相同"}),
        {"xx-2023": "XX县医疗保障局2023年工作总结"},
    )
    assert "另有隐去信息的版本" in block
    assert '<a href="../xx-2023/"><span class="nb-redacted" title="原文已隐去">XX</span>' in block
    assert "正文相同" not in block  # told by the note alone


def test_a_redacted_copy_names_no_original() -> None:
    copy = meta(
        title="XX县医疗保障局2023年工作总结",
        org="XX县医疗保障局",
        slug="xx-2023",
        source="2023/xx.txt",
        variant_of="anping-2023",  # its org_id ("anping") is the original's: withheld too
        redactions=4,
        provenance={
            "variant_of": "inferred: 与 anping-2023 正文相同",
            "org": "inferred: anping-2023 的机构",
            "org_id": "inferred: anping-2023",
            "year": "inferred: 标题写明“2023年”",
        },
    )
    block = metadata_block(copy, {"anping-2023": "安平县医疗保障局2023年工作总结"})
    path = breadcrumbs(copy)
    for html in (block, path):
        assert "anping" not in html and "安平" not in html
    assert "本篇是一篇报告的隐去版本" in block
    assert "orgs/" not in block  # its organisation (inferred from the original) is not linked
    assert "，隐去 4 处" in block
    assert "（机构名已隐去，不推断）" in block
    assert '<th scope="row">来历：年度</th>' in block
    assert hrefs(path) == ["../../", "../../years/", "../../years/2023/"]


def test_breadcrumbs_lead_from_the_archive_to_the_organisation_and_year() -> None:
    path = breadcrumbs(meta(org="安平县<医疗保障局>"))
    assert path.startswith('<nav class="nb-path" aria-label="位置"><ol>')
    assert hrefs(path) == ["../../", "../../orgs/", "../../orgs/anping/"]
    assert ">安平县&lt;医疗保障局&gt;</a>" in path
    assert path.endswith('<li><span aria-current="page">2023年</span></li></ol></nav>\n')


def test_text_from_the_report_is_escaped() -> None:
    block = metadata_block(
        meta(
            org="安平县<script>alert(1)</script>局",
            type="工作总结",
            source='2023/a"b<c>.txt',
            region="河北省衡水市&安平县",
            tags=["<b>"],
        ),
        {},
    )
    assert "<script>" not in block and "<b>" not in block
    assert "安平县&lt;script&gt;alert(1)&lt;/script&gt;局" in block
    assert "河北省衡水市&amp;安平县" in block
    assert '>2023/a"b&lt;c&gt;.txt</a>' in block


def test_originals_are_offered_under_their_own_names_with_format_and_pages() -> None:
    block = metadata_block(
        meta(
            source="2023/安平 报告.pdf",
            format="pdf",
            pages=12,
            originals={"安平 报告.pdf": "cd" * 32, "附件.docx": "ef" * 32},
            text_source="ocr",
            ocr_engine="tesseract",
            ocr_confidence=0.915,
        ),
        {},
    )
    assert (
        '<a download href="../sources/anping-2023/%E5%AE%89%E5%B9%B3%20%E6%8A%A5%E5%91%8A.pdf">'
        "安平 报告.pdf</a>（PDF，12 页）"
    ) in block
    assert ">附件.docx</a>（Word 文档）" in block
    assert "正文由文字识别（OCR）得出（tesseract，平均置信度 92%）" in block
    # The converted file's checksum is the source's; the other original's has its own row.
    assert "SHA-256（附件.docx）" in block and "SHA-256（安平 报告.pdf）" not in block


def test_the_field_names_the_block_reads_are_schema_fields() -> None:
    names = set(meta_block._FIELD_LABELS) | meta_block._PAIR_FIELDS | meta_block._ORG_FIELDS
    assert names <= set(FIELD_NAMES)
