"""Converter edges: encodings, line ends, the catalog, incremental runs, bad files, CLI flags."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_REPORTS, convert_reports
from mkdocs.utils.meta import get_data
from nianbao.convert.decode import DecodeError, decode_report
from nianbao.schema import ReportMeta

TEXT = (
    "\u3000\u3000某县医疗保障局2023年工作总结\r\n"
    "2023年，我局围绕“南太湖健康保”开展工作，参保率达99.85％。  \r\n"
    "\r\n\r\n"
    "一、工作开展情况\r\n"
    "（一）基金监管。一是追回基金399.54万元。二是处罚款109.12万元。\r\n"
)


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _meta(out: Path, slug: str) -> tuple[str, ReportMeta]:
    body, meta = get_data((out / f"{slug}.md").read_text(encoding="utf-8"))
    return body, ReportMeta.from_meta(meta)


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("gb18030", TEXT.encode("gb18030")),
        ("gb18030", TEXT.encode("gbk")),
        ("utf-16-le", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
        ("utf-16-be", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
        ("utf-16-le", TEXT.encode("utf-16-le")),
        ("utf-16-be", TEXT.encode("utf-16-be")),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be"],
)
def test_each_encoding_decodes_to_the_same_text(encoding: str, data: bytes) -> None:
    decoded = decode_report(data)
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff") == TEXT


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
def test_line_ends_and_indentation_are_normalised(tmp_path: Path, newline: str) -> None:
    _write(tmp_path / "in", "r.txt", TEXT.replace("\r\n", newline).encode("utf-8"))
    result = convert_reports(tmp_path / "in", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    body, meta = _meta(tmp_path / "out", "r")
    assert meta.title == "某县医疗保障局2023年工作总结"
    assert "\r" not in body and "\u3000" not in body and "  \n" not in body
    assert "\n\n## 一、工作开展情况\n\n### （一）基金监管\n\n- 一是追回基金399.54万元。\n" in body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "文件是空的"),
        (b" \r\n\t\xe3\x80\x80\n", "文件是空的"),
        (codecs.BOM_UTF8, "文件是空的"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP 压缩包"),
        (bytes(range(256)) * 4, "不是文本文件|NUL|不是 UTF-8"),
        ("报告".encode() + b"\xff\xfe\xfa", "不是 UTF-8、UTF-16 或 GB18030"),
    ],
    ids=["empty", "whitespace", "bom-only", "docx", "binary", "broken"],
)
def test_undecodable_bytes_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_report(data)


def test_bad_file_is_named_skipped_and_the_rest_converts(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    _write(reports, "good.txt", TEXT.encode("utf-8"))
    _write(reports, "word.txt", b"PK\x03\x04" + bytes(40))
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 1
    assert re.search(r"错误：.*word\.txt：是损坏的 ZIP 容器.*已跳过", result.stderr)
    assert (tmp_path / "out" / "good.md").is_file()
    assert not (tmp_path / "out" / "word.md").exists()


def test_second_run_rewrites_nothing_and_a_removed_source_removes_its_page(tmp_path: Path) -> None:
    reports, out = tmp_path / "in", tmp_path / "out"
    _write(reports, "a.txt", TEXT.encode("utf-8"))
    _write(reports, "b.txt", TEXT.replace("南太湖", "北太湖").encode("utf-8"))
    first = convert_reports(reports, out)
    assert re.search(r"已写入\s+4$", first.stderr, re.M), first.stderr
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = convert_reports(reports, out)
    assert re.search(r"已写入\s+0$", second.stderr, re.M), second.stderr
    assert stamps == {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    (reports / "b.txt").unlink()
    third = convert_reports(reports, out)
    assert re.search(r"已移除\s+2$", third.stderr, re.M), third.stderr
    assert not (out / "b.md").exists() and not (out / "sources" / "b.txt").exists()
    assert (reports / "a.txt").read_bytes() == TEXT.encode("utf-8")


def test_converter_never_touches_the_reports_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in SAMPLE_REPORTS.iterdir() if p.is_file()}
    assert convert_reports(SAMPLE_REPORTS, out).returncode == 0
    assert before == {p: p.read_bytes() for p in SAMPLE_REPORTS.iterdir() if p.is_file()}
    source = out / "sources" / "002_0764572fe450674b.txt"
    assert source.read_bytes() == (SAMPLE_REPORTS / "002_0764572fe450674b.txt").read_bytes()


def test_catalog_overrides_a_field_and_says_so(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    _write(reports, "r.txt", TEXT.encode("utf-8"))
    catalog = "reports:\n  r.txt:\n    org_id: nanxun-ybj\n    region: 湖州市南浔区\n"
    _write(reports, "catalog.yml", catalog.encode("utf-8"))
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    _, meta = _meta(tmp_path / "out", "r")
    assert (meta.org_id, meta.region) == ("nanxun-ybj", "湖州市南浔区")
    assert meta.provenance["org_id"] == meta.provenance["region"] == "catalog"
    assert meta.provenance["year"].startswith("inferred")


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    _write(reports, "r.txt", (TEXT + "三、下步打算\n一、又一部分\n").encode("utf-8"))
    relaxed = convert_reports(reports, tmp_path / "out")
    assert relaxed.returncode == 0
    assert re.search(r"警告：.*r\.txt:7：提纲编号", relaxed.stderr), relaxed.stderr
    assert convert_reports(reports, tmp_path / "out", "--strict").returncode == 1


def test_same_slug_twice_gets_distinct_stable_pages(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    _write(reports, "报告 A.txt", TEXT.encode("utf-8"))
    _write(reports, "报告-a.txt", TEXT.replace("南太湖", "东太湖").encode("utf-8"))
    for _ in range(2):
        assert convert_reports(reports, tmp_path / "out").returncode == 0
        assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == [
            "报告-a-2.md",
            "报告-a.md",
        ]


def test_every_cli_flag_is_documented_in_the_readme() -> None:
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from convert import build_parser

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    flags = [o for a in build_parser()._actions for o in a.option_strings if o.startswith("--")]
    assert flags
    for flag in flags:
        assert flag in readme, f"{flag} is not documented in README.md"
