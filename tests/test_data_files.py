"""The analysts' data files (nianbao.site.data_files) from figures found in report text: rows,
their subsets per organisation and year, the CSV a spreadsheet opens, and the links file."""

from __future__ import annotations

import csv
import io
import json

from conftest import report_meta
from nianbao.site.data_files import figure_rows, figures_csv, figures_json, links_json, subsets
from nianbao.site.figures import CSV_HEADERS, extract_figures
from nianbao.site.threads import Thread

METAS = {
    "ap2023": report_meta("ap2023", org_id="anping", year=2023),
    "bh2022": report_meta("bh2022", org_id="baihe", org="白河县医疗保障局", year=2022),
}
FIGURES = {
    "ap2023": extract_figures("全县基本医疗保险参保人数达到49.29万人，同比增长2.1%。", 2023, "s1"),
    "bh2022": extract_figures("截至年底，全县参保人数为12.6万人。", 2022),
}
URLS = {"ap2023": "reports/ap2023/", "bh2022": "reports/bh2022/"}
NAMES = {"anping": "安平县医疗保障局"}  # baihe: its name as written


def test_each_figure_is_a_row_naming_its_report_section_and_organisation() -> None:
    assert FIGURES["ap2023"] and FIGURES["bh2022"]
    rows = figure_rows(FIGURES, METAS, URLS, NAMES)
    assert len(rows) == len(FIGURES["ap2023"]) + len(FIGURES["bh2022"])
    first = rows[0]
    assert first["report"] == "ap2023" and first["url"] == "reports/ap2023/#s1"
    assert first["org"] == "安平县医疗保障局" and first["year"] == 2023
    last = rows[-1]
    assert last["url"] == "reports/bh2022/"  # no section: the page itself
    assert last["org"] == "白河县医疗保障局"  # no group name: as the report writes it
    by_year = subsets(rows, "year")
    assert sorted(by_year) == ["2022", "2023"]
    assert all(row["year"] == 2022 for row in by_year["2022"])


def test_the_csv_opens_in_a_spreadsheet_with_chinese_headers_and_no_formula() -> None:
    hostile = report_meta("x", org_id="x", org='=HYPERLINK("http://evil")', year=2023)
    rows = figure_rows({"x": FIGURES["ap2023"]}, {"x": hostile}, {"x": "reports/x/"}, {})
    text = figures_csv(rows)
    assert text.startswith("\ufeff")  # UTF-8 with BOM: Excel reads the Chinese correctly
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[0] == [CSV_HEADERS.get(key, key) for key in rows[0]]
    org_column = table[0].index(CSV_HEADERS.get("org", "org"))
    assert table[1][org_column].startswith("'=")  # shown as text, never run
    assert json.loads(figures_json(rows))[0]["org"] == hostile.org  # JSON keeps it as written
    assert figures_csv([]) == "\ufeff"


def test_the_links_file_lists_every_report_thread() -> None:
    threads = {"ap2023": Thread(previous="ap2022"), "ap2022": Thread(next="ap2023")}
    data = json.loads(links_json(threads))
    assert list(data) == ["ap2022", "ap2023"]
    assert data["ap2023"]["previous"] == "ap2022" and data["ap2022"]["next"] == "ap2023"
    assert data["ap2023"]["plans"] == []
