"""The catalog as the people who edit it write it: slips explained in Chinese at their line, a
bad field costing only that field, the converter's exit code telling `make` to stop, and hostile
catalogs (alias bombs, 10,000 entries) read in bounded time."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, convert_reports
from mkdocs.utils.meta import get_data
from nianbao.convert.catalog import parse_catalog
from nianbao.schema import ReportMeta

TEXT = (
    "某县医疗保障局2023年工作总结\n"
    "2023年，我局围绕参保扩面开展工作，参保率达99.85％，参保人数稳步增长，参保缴费便捷。\n"
    "一、工作开展情况\n"
    "（一）基金监管。一是追回基金399.54万元。二是处罚款109.12万元。\n"
)
HERE = Path("catalog.yml")
# Under 600 bytes of nested aliases: expanded, billions of list items ("billion laughs").
ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "reports:\n  r.txt:\n    title: *i\n"
)


def _convert(tmp_path: Path, catalog: str) -> tuple[int, str, ReportMeta]:
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "r.txt").write_text(TEXT, encoding="utf-8")
    (reports / "catalog.yml").write_text(catalog, encoding="utf-8")
    result = convert_reports(reports, tmp_path / "out")
    page = (tmp_path / "out" / "r.md").read_text(encoding="utf-8")
    return result.returncode, result.stderr, ReportMeta.from_meta(get_data(page)[1])


# The maintainer's six common mistakes (and two spellings that are not mistakes): the catalog
# line, the expected message, the exit code, and what the report's page then holds.
MISTAKES = [
    pytest.param("    year: 2022年\n", None, 0, {"year": 2022}, id="year-written-2022年"),
    pytest.param('    year: "2022"\n', None, 0, {"year": 2022}, id="year-quoted"),
    pytest.param(
        "    year：2022\n",
        r"catalog\.yml:3: 用了全角冒号“：”",
        2,
        {"year": 2023},
        id="full-width-colon",
    ),
    pytest.param(
        "\u3000\u3000year: 2022\n",
        r"catalog\.yml:3: 用了全角空格",
        2,
        {"year": 2023},
        id="full-width-space",
    ),
    pytest.param(
        "    year: 二〇二二\n",
        r"catalog\.yml:3: year 应为四位数的年份，如 2023 或 2023年，而不是“二〇二二”；此字段未采用",
        2,
        {"year": 2023},
        id="bad-year-drops-only-that-field",
    ),
    pytest.param(
        "    type: 年终总结\n",
        r"catalog\.yml:3: 类型“年终总结”不在受控列表中",
        2,
        {"type": "工作总结"},
        id="type-not-in-the-list",
    ),
    pytest.param(
        "    tags: [集采, 好人好事]\n",
        r"catalog\.yml:3: 标签“好人好事”不在主题词表中",
        2,
        {"tags": ["参保筹资", "集采"]},
        id="unknown-tag-dropped-known-tag-added",
    ),
    pytest.param(
        "    colour: red\n",
        r"catalog\.yml:3: 未知字段“colour”",
        2,
        {"year": 2023},
        id="unknown-field",
    ),
    pytest.param(
        "   year: 2022\n",
        r"catalog\.yml:4: YAML 格式错误：这一行与上一行缩进不一致",
        2,
        {"year": 2023, "region": None},
        id="yaml-indentation",
    ),
    pytest.param(
        "\tyear: 2022\n",
        r"catalog\.yml:3: YAML 格式错误：有制表符（Tab）",
        2,
        {"year": 2023, "region": None},
        id="yaml-tab",
    ),
]


@pytest.mark.parametrize(("line", "message", "code", "page"), MISTAKES)
def test_catalog_mistake_is_named_at_its_line_and_costs_only_its_field(
    tmp_path: Path, line: str, message: str | None, code: int, page: dict[str, object]
) -> None:
    catalog = "reports:\n  r.txt:\n" + line + "    region: 湖州市\n"
    returncode, stderr, meta = _convert(tmp_path, catalog)
    assert returncode == code, stderr
    if message:
        assert re.search(message, stderr), stderr
        assert "目录文件" in stderr and "退出码 2" in stderr
    else:
        assert "错误" not in stderr, stderr
    expected = {"region": "湖州市", **page}
    assert {key: getattr(meta, key) for key in expected} == expected


def test_entry_for_a_withdrawn_report_is_a_warning_and_the_rest_applies(tmp_path: Path) -> None:
    catalog = "reports:\n  gone.txt:\n    year: 2020\n  r.txt:\n    region: 湖州市\n"
    returncode, stderr, meta = _convert(tmp_path, catalog)
    assert returncode == 0, stderr
    assert re.search(r"catalog\.yml:2[:：] ?条目“gone\.txt”对应的报告文件不存在", stderr), stderr
    assert meta.region == "湖州市"


def test_catalog_tags_replace_the_inferred_ones_only_when_asked(tmp_path: Path) -> None:
    catalog = "reports:\n  r.txt:\n    tags: [集采]\n    tags_replace: true\n"
    returncode, stderr, meta = _convert(tmp_path, catalog)
    assert returncode == 0, stderr
    assert meta.tags == ["集采"] and meta.provenance["tags"] == "catalog"


def test_added_tags_are_credited_to_the_catalog(tmp_path: Path) -> None:
    returncode, stderr, meta = _convert(tmp_path, "reports:\n  r.txt:\n    tags: 集采、异地就医\n")
    assert returncode == 0, stderr
    assert meta.tags == ["参保筹资", "集采", "异地就医"]
    assert meta.provenance["tags"].startswith("inferred: ")
    assert meta.provenance["tags"].endswith("；catalog: 集采、异地就医")


def test_catalog_sets_the_publication_fields(tmp_path: Path) -> None:
    catalog = (
        "reports:\n  r.txt:\n    published: 2024年1月5日\n"
        "    index_no: 11330500MB1234567X/2024-00012\n"
        "    doc_no: 某医保[2024]3号\n    type: 政务公开工作年度报告\n"
    )
    returncode, stderr, meta = _convert(tmp_path, catalog)
    assert returncode == 0, stderr
    assert (meta.published, meta.index_no, meta.doc_no, meta.type) == (
        "2024-01-05",
        "11330500MB1234567X/2024-00012",
        "某医保[2024]3号",
        "政府信息公开工作年度报告",
    )


def test_alias_bomb_is_refused_before_it_expands() -> None:
    assert len(ALIAS_BOMB.encode("utf-8")) < 600
    entries, problems = parse_catalog(ALIAS_BOMB, HERE, {"r.txt"})
    assert entries == {}
    assert [(p.line, p.fatal) for p in problems] == [(1, True)]
    assert "锚点或别名" in problems[0].message


def test_alias_bomb_stops_the_converter_with_exit_2(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "r.txt").write_text(TEXT, encoding="utf-8")
    (reports / "catalog.yml").write_text(ALIAS_BOMB, encoding="utf-8")
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert re.search(r"catalog\.yml:1: 用了 YAML 锚点或别名", result.stderr), result.stderr


def make_big_catalog(entries: int) -> tuple[str, set[str]]:
    """A catalog of `entries` reports, each with several fields (also used by the benchmark)."""
    names = [f"省{n % 31:02d}/县{n:05d}_医保局_{2019 + n % 6}.txt" for n in range(entries)]
    lines = ["reports:"]
    for n, name in enumerate(names):
        lines += [
            f"  {name}:",
            f"    org_id: org-{n // 6:05d}",
            f"    year: {2019 + n % 6}年",
            f"    title: 第{n}号县医疗保障局{2019 + n % 6}年工作总结",
            "    tags: [集采, 异地就医]",
        ]
    return "\n".join(lines) + "\n", set(names)


def test_ten_thousand_entries_are_all_read() -> None:
    text, names = make_big_catalog(10_000)
    entries, problems = parse_catalog(text, HERE, names)
    assert problems == []
    assert len(entries) == 10_000
    last = entries[max(names)]
    assert last.values["year"] in range(2019, 2025) and last.values["tags"] == ["集采", "异地就医"]


def test_make_build_stops_on_a_catalog_error(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "r.txt").write_text(TEXT, encoding="utf-8")
    (reports / "catalog.yml").write_text("reports:\n  r.txt:\n    year：2022\n", encoding="utf-8")
    site = tmp_path / "site"
    result = subprocess.run(
        [
            "make",
            "-C",
            str(REPO),
            "build",
            f"REPORTS={reports}",
            f"OUT={tmp_path / 'docs'}",
            f"SITE={site}",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode != 0, result.stdout
    assert "用了全角冒号" in result.stderr
    assert not site.exists()  # MkDocs never ran
