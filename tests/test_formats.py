"""Reports as bureaus publish them (tests/fixtures/formats/make_formats.py): Word, old Word,
portal pages, attachment-only pages and bad files become pages — or are named with the reason."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import sys
import urllib.parse
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SAMPLE_REPORTS, build_site, convert_reports
from mkdocs.utils.meta import get_data
from nianbao.convert.extract import ExtractError, doc, extract_file, sniff_format
from nianbao.convert.extract.docx import Numbering, chinese_numeral, format_number
from nianbao.convert.report import parse_blocks, parse_report
from nianbao.schema import ReportMeta

_spec = importlib.util.spec_from_file_location(
    "make_formats", FIXTURES / "formats" / "make_formats.py"
)
assert _spec and _spec.loader
FORMATS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(FORMATS)

# (folder, page slug, sample number) of every converted case.
CASES = [
    ("docx", "002", "002"),
    ("docx", "003", "003"),
    ("html", "002", "002"),
    ("html", "003", "003"),
    ("doc", "002", "002"),
    ("doc", "003", "003"),
    ("attachment", "003自评报告", "003"),
]
CASE_IDS = [f"{folder}-{number}" for folder, _, number in CASES]
CHROME = ("首页", "当前位置", "相关文章", "打印本页", "关闭窗口", "主办单位", "备案号", "浏览次数",
          "索引号", "字体", "XX县医疗保障局文件", "— 1 —")  # fmt: skip


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("formats")
    FORMATS.write(folder)
    return folder


@pytest.fixture(scope="module")
def converted(formats: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each fixture folder converted once: folder → the converter's result (pages in "out")."""
    out = tmp_path_factory.mktemp("converted")
    results: dict[str, Any] = {"out": out}
    for folder in sorted(p.name for p in formats.iterdir()):
        results[folder] = convert_reports(formats / folder, out / folder / "docs" / "reports")
    txt = tmp_path_factory.mktemp("txt")
    for number in ("002", "003"):
        shutil.copy(next(SAMPLE_REPORTS.glob(f"{number}_*.txt")), txt / f"{number}.txt")
    results["txt"] = convert_reports(txt, out / "txt" / "docs" / "reports")
    return results


def _page(converted: dict[str, Any], folder: str, slug: str) -> tuple[str, ReportMeta]:
    out = converted["out"]
    assert isinstance(out, Path)
    path = out / folder / "docs" / "reports" / f"{slug}.md"
    body, meta = get_data(path.read_text(encoding="utf-8"))
    return body, ReportMeta.from_meta(meta)


def _visible(markdown: str) -> str:
    """The page body's characters as a reader sees them (markup, # and list dashes removed)."""
    text = re.sub(r"<[^>]+>", "", markdown)
    text = re.sub(r"^(?:#+|-) ", "", text, flags=re.M)
    return "".join(html.unescape(text).replace("\\", "").split())


def _sample(number: str) -> str:
    return "".join("".join(FORMATS.sample_lines(number)).split())


def _outline(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if re.match(r"#{2,6} ", line)]


@pytest.mark.parametrize(("folder", "slug", "number"), CASES, ids=CASE_IDS)
def test_each_format_keeps_the_samples_characters_in_order(
    converted: dict[str, Any], folder: str, slug: str, number: str
) -> None:
    body, _ = _page(converted, folder, slug)
    sample, page = _sample(number), _visible(body)  # the page's h1 is its title
    matcher = SequenceMatcher(None, sample, page, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    assert kept / len(sample) >= 0.99, (kept, len(sample))


@pytest.mark.parametrize(("folder", "slug", "number"), CASES, ids=CASE_IDS)
def test_each_format_has_the_outline_of_the_text_version(
    converted: dict[str, Any], folder: str, slug: str, number: str
) -> None:
    expected, _ = _page(converted, "txt", number)
    body, _ = _page(converted, folder, slug)
    assert _outline(body) == _outline(expected)
    if number == "002":
        levels = [line.split()[0] for line in _outline(body)]
        assert levels == ["##", *["###"] * 5, "##", *["###"] * 5]


@pytest.mark.parametrize(("folder", "slug", "number"), CASES, ids=CASE_IDS)
def test_no_portal_chrome_header_or_page_number_reaches_the_page(
    converted: dict[str, Any], folder: str, slug: str, number: str
) -> None:
    body, _ = _page(converted, folder, slug)
    text = _visible(body)
    assert [word for word in CHROME if word.replace(" ", "") in text] == []


def test_word_footnote_is_kept_where_it_is_referenced(converted: dict[str, Any]) -> None:
    body, _ = _page(converted, "docx", "003")
    text = body.replace("\\[", "[").replace("\\]", "]")  # Markdown escapes the brackets
    first = FORMATS.sample_lines("003")[1]
    assert first[-8:] + "[1]" in text
    assert text.rstrip().endswith(f"[1] {FORMATS.FOOTNOTE}")


def test_portal_page_fields_go_to_front_matter_with_their_provenance(
    converted: dict[str, Any],
) -> None:
    body, meta = _page(converted, "html", "002")
    assert meta.format == "html" and meta.encoding == "gb18030"  # labelled gb2312
    assert "—" in body  # a GBK-only character, which a strict GB2312 decoder refuses
    assert meta.index_no == "11330523MB1234567X/2023-00123"
    assert meta.publisher == "XX县医疗保障局"
    assert meta.doc_no == "X医保〔2023〕25号"
    assert meta.published == "2023-12-05"  # 成文日期; 发布日期 named beside it
    assert meta.provenance["published"] == "carried: 原件所载成文日期（发布日期 2023-12-08）"
    assert meta.provenance["title"].startswith("carried")
    assert "11330523MB1234567X" not in body


def test_word_auto_numbering_is_rendered_and_the_table_kept(converted: dict[str, Any]) -> None:
    body, meta = _page(converted, "docx", "002")
    assert meta.format == "docx" and meta.title == FORMATS.sample_lines("002")[0]
    assert "## 一、2023年工作开展情况" in body and "## 二、2024年工作思路" in body
    assert "### （五）紧扣阳光" in body.replace('<span class="nb-redacted" title="原文已隐去">', "")
    table = re.search(r"<table>.*?</table>", body, re.S)
    assert table and "<td>参保率</td><td>99.85％</td>" in table.group()


def test_each_original_is_published_under_its_own_name_with_its_digest(
    converted: dict[str, Any], formats: Path
) -> None:
    out = converted["out"]
    assert isinstance(out, Path)
    for folder, slug, _ in CASES:
        _, meta = _page(converted, folder, slug)
        assert meta.originals, (folder, slug)
        for name, sha in meta.originals.items():
            published = out / folder / "docs" / "reports" / "sources" / slug / name
            original = next((formats / folder).glob(name))
            assert published.read_bytes() == original.read_bytes()
            assert sha == __import__("hashlib").sha256(original.read_bytes()).hexdigest()


def test_attachment_only_page_converts_the_attached_file_once(
    converted: dict[str, Any],
) -> None:
    result = converted["attachment"]
    assert result.returncode == 0, result.stderr
    out = converted["out"]
    assert isinstance(out, Path)
    pages = sorted(p.name for p in (out / "attachment" / "docs" / "reports").glob("*.md"))
    assert pages == ["003自评报告.md"]
    _, meta = _page(converted, "attachment", "003自评报告")
    assert list(meta.originals) == ["003自评报告.docx", "政务公开-003.html"]
    assert meta.index_no == "11330523MB1234567X/2024-00007" and meta.published == "2024-01-04"


def test_attachment_only_page_without_its_file_is_named(converted: dict[str, Any]) -> None:
    result = converted["attachment-missing"]
    assert result.returncode == 1
    assert re.search(
        r"错误：.*政务公开-003\.html：网页只有附件链接（.*003自评报告\.docx）.*请把附件下载后放在",
        result.stderr,
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("加密.docx", "是加密（设有密码）的文档：请去掉密码后另存"),
        ("截断.docx", "是损坏的 ZIP 容器"),
        ("空文件.docx", "文件为空"),
        ("未知.doc", "是无法识别的二进制文件，不是报告"),
        ("works.wps", "Microsoft Works 文档（.wps）无法读取"),
    ],
)
def test_each_bad_file_is_named_with_its_reason(
    converted: dict[str, Any], name: str, message: str
) -> None:
    result = converted["bad"]
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if f"/{name}：" in line]
    assert len(lines) == 1 and message in lines[0] and "已跳过" in lines[0], lines


def test_files_that_are_not_reports_are_listed_as_ignored(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    (reports / "page_files").mkdir(parents=True)
    shutil.copy(next(SAMPLE_REPORTS.glob("003_*.txt")), reports / "003.txt")
    (reports / "page_files" / "style.css").write_text("p{}", encoding="utf-8")
    (reports / "page_files" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8))
    (reports / ".DS_Store").write_bytes(bytes(8))
    (reports / "Thumbs.db").write_bytes(bytes(8))
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^已忽略\s+4$", result.stderr, re.M)
    assert "已忽略（不是报告的文件）：.css 1、.db 1、.png 1、（无扩展名） 1" in result.stderr


def test_one_report_in_two_formats_is_one_page_with_both_originals(
    formats: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "in"
    reports.mkdir()
    shutil.copy(formats / "docx" / "003.docx", reports / "自评.docx")
    shutil.copy(formats / "doc" / "003.doc", reports / "自评.doc")
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.md")] == ["自评.md"]
    _, meta = (
        ReportMeta,
        ReportMeta.from_meta(
            get_data((tmp_path / "out" / "自评.md").read_text(encoding="utf-8"))[1]
        ),
    )
    assert meta.format == "docx" and list(meta.originals) == ["自评.docx", "自评.doc"]


@pytest.mark.build
def test_site_offers_the_originals_for_download(formats: Path, tmp_path: Path) -> None:
    site = build_site(formats / "attachment", tmp_path)
    page = site.html("reports/003自评报告/")
    for name in ("003自评报告.docx", "政务公开-003.html"):
        href = f"../sources/003自评报告/{urllib.parse.quote(name)}"
        assert f'<a download href="{href}">{name}</a>' in page, site.reproduce
        published = site.site_dir / "reports" / "sources" / "003自评报告" / name
        assert published.read_bytes() == (formats / "attachment" / name).read_bytes()
    assert "（Word 文档）" in page and "（网页）" in page and page.count("SHA-256") == 2
    assert '<th scope="row">索引号</th><td>11330523MB1234567X/2024-00007</td>' in page


def test_libreoffice_that_never_finishes_is_stopped_at_the_time_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A program in LibreOffice's place that never finishes, as LibreOffice does on some .wps
    # files: the converter must end it (and its children) and name the file's reason.
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nsleep 60 &\nsleep 60\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    monkeypatch.setattr(doc, "LIBREOFFICE_TIMEOUT", 1)
    works = FORMATS.bad_files()["works.wps"]
    with pytest.raises(ExtractError, match="LibreOffice 转换超过 1 秒未完成，已中止"):
        doc.extract_doc(works, "works")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"\xef\xbb\xbf\r\n<html><head><meta charset=gbk></head>", "html"),
        (b"{\\rtf1\\ansi\\ansicpg936 x}", "rtf"),
        (b"%PDF-1.7\n", "pdf"),
        ("一、总体情况\n（一）参保".encode(), "txt"),
        ("一、总体情况".encode("utf-16-le"), "txt"),
        (bytes(range(256)), "unknown"),
    ],
    ids=["html", "html-bom", "rtf", "pdf", "text", "utf16", "binary"],
)
def test_format_comes_from_the_bytes_not_the_name(data: bytes, kind: str) -> None:
    assert sniff_format(data) == kind


def test_portal_page_saved_as_txt_is_read_as_a_page(formats: Path) -> None:
    extracted = extract_file("002.txt", (formats / "html" / "002.html").read_bytes())
    assert extracted.format == "html" and extracted.carried["index_no"]
    assert not any("<" in block.text for block in extracted.blocks)


def test_rtf_saved_as_doc_is_read() -> None:
    rtf = (
        rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 \'cb\'ce\'cc\'e5;}}"
        rb"\f0 \'d2\'bb\'a1\'a2\'d7\'dc\'cc\'e5\'c7\'e9\'bf\'f6\par \u21442?\'a3\'ac\par}"
    )
    extracted = extract_file("r.doc", rtf)
    assert [block.text for block in extracted.blocks] == ["一、总体情况", chr(21442) + "，"]


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (20, "chineseCounting", "二十"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircle", "②"),
        (4, "upperRoman", "IV"),
        (7, "decimal", "7"),
    ],
)
def test_word_number_formats(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected


def test_chinese_numerals_past_one_hundred() -> None:
    assert [chinese_numeral(n) for n in (105, 110, 121)] == ["一百零五", "一百一十", "一百二十一"]


def test_word_numbering_restarts_the_sub_level_under_each_heading() -> None:
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(
        f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="1">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="6"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        "</w:numbering>"
    )
    numbering = Numbering(root)
    labels = [numbering.label("5", level) for level in (0, 1, 1, 0, 1)]
    assert labels == ["一、", "（一）", "（二）", "二、", "（一）"]
    assert numbering.label("6", 0) == "一、"  # a new list that starts over


def test_word_web_page_saved_as_doc_is_read_as_html() -> None:
    lines = FORMATS.sample_lines("003")
    paragraphs = "".join(
        f"<p class=MsoNormal style='text-indent:32.0pt'><span lang=EN-US>{line}</span>"
        "<o:p></o:p></p>\n"
        for line in lines
    )
    page = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
        '<meta http-equiv=Content-Type content="text/html; charset=gb2312">'
        "<title>自评报告</title><style><!-- p.MsoNormal {margin:0cm;} --></style></head>"
        f"<body lang=ZH-CN><div class=WordSection1>{paragraphs}</div></body></html>"
    ).encode("gb18030")
    extracted = extract_file("自评报告.doc", page)
    assert extracted.format == "html"
    assert [block.text for block in extracted.blocks] == lines


def test_portal_page_laid_out_in_a_table_keeps_only_the_text_cell() -> None:
    lines = FORMATS.sample_lines("003")
    page = (
        "<html><head><meta charset=utf-8></head><body><table width=100%>"
        "<tr><td><a href='/'>首页</a> | <a href='/zwgk/'>政务公开</a></td></tr><tr><td>"
        + "".join(f"<p>{line}</p>" for line in lines)
        + "</td></tr><tr><td>版权所有 XX县人民政府</td></tr></table></body></html>"
    ).encode("utf-8")
    assert [block.text for block in extract_file("p.html", page).blocks] == lines


@pytest.mark.parametrize(
    "path",
    sorted([*SAMPLE_REPORTS.glob("*.txt"), *(FIXTURES / "metadata").glob("*.txt")]),
    ids=lambda path: path.stem[:40],
)
def test_plain_text_parses_through_the_extraction_layer_as_before(path: Path) -> None:
    extracted = extract_file(path.name, path.read_bytes())
    assert extracted.format == "txt"
    assert parse_blocks(extracted.blocks) == parse_report(extracted.blocks[0].text)


def test_one_report_attached_as_pdf_and_ofd_is_one_page_with_two_originals(
    tmp_path: Path,
) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_paged", FIXTURES / "formats" / "make_paged.py"
    )
    assert spec and spec.loader
    paged = importlib.util.module_from_spec(spec)
    sys.modules["make_paged"] = paged  # its dataclasses look their module up there
    spec.loader.exec_module(paged)
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "附件1.PDF").write_bytes(paged.text_pdf("002"))
    (reports / "附件1.ofd").write_bytes(paged.ofd("002", per_glyph=True))
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.md")] == ["附件1.md"]
    body, front = get_data((tmp_path / "out" / "附件1.md").read_text(encoding="utf-8"))
    meta = ReportMeta.from_meta(front)
    assert meta.format == "pdf" and meta.pages and meta.pages > 1
    assert list(meta.originals) == ["附件1.PDF", "附件1.ofd"]  # names as written, case kept
    assert [line.split()[0] for line in _outline(body)] == ["##", *["###"] * 5, "##", *["###"] * 5]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        # Wrapped by the page (a line break, or <br> and a new line in the source).
        (
            "景县医疗保障局2023年度<br>\n    法治政府建设工作报告",
            "景县医疗保障局2023年度法治政府建设工作报告",
        ),
        ("故城县卫生健康局\n  2024年上半年工作总结", "故城县卫生健康局2024年上半年工作总结"),
        # Latin words broken over lines keep one space between them.
        ("关于推进ISO<br>9001质量管理体系认证的报告", "关于推进ISO 9001质量管理体系认证的报告"),
    ],
)
def test_a_portal_title_wrapped_over_lines_reads_as_one_line(heading: str, title: str) -> None:
    page = (
        "<html><head><meta charset='utf-8'></head><body>"
        f"<div class='article-title'><h1>{heading}</h1></div>"
        "<div class='article-content'><p>一、主要工作</p>"
        "<p>今年以来，我局深入推进医疗保障各项工作，参保人数达到12.3万人，同比增长2.1%。</p>"
        "<p>二、下一步打算</p><p>继续做好基金监管和待遇保障工作，确保各项任务落到实处。</p>"
        "</div></body></html>"
    )
    extracted = extract_file("page.html", page.encode("utf-8"))
    assert extracted.carried["title"] == title
