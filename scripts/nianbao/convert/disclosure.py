"""Figures of a 政府信息公开工作年度报告: what its statutory tables and text state (pure).

Every agency's yearly 信息公开 report carries the same tables (政府信息公开工作年度报告格式):
applications received, and the 行政复议 / 行政诉讼 cases over its information disclosure; its
text states how much it published on its own initiative. `disclosure_figures(report)` returns
each stated value with its line and the row or sentence it comes from — all of them when a
report states one figure more than once, never one picked silently. The comparison tables are
nianbao.site.figures' (not wired in here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.convert.outline import Table
from nianbao.convert.report import Report

ACTIVE = "主动公开数"  # 主动公开政府信息（条）
RECEIVED = "收到申请数"  # 本年新收政府信息公开申请数量（总计）
REVIEWS = "行政复议数"  # 因信息公开被申请行政复议（总计）
SUITS = "行政诉讼数"  # 因信息公开被提起行政诉讼（未经复议直接起诉 + 复议后起诉，总计）
NAMES = (ACTIVE, RECEIVED, REVIEWS, SUITS)

_ACTIVE_SENTENCE = re.compile(r"主动公开(?:政府)?(?:信息|各类信息|政务信息)(?:共)?(\d+)\s*条")
_NUMBER = re.compile(r"^\d+$")
# The 行政复议/行政诉讼 table's row of figures: 5 for 复议, 5 for 直接起诉, 5 for 复议后起诉.
_REVIEW_CELLS = 15


@dataclass(frozen=True)
class DisclosureFigure:
    """One stated value: which figure, its value, its line and the words it stands in."""

    name: str  # one of NAMES
    value: int
    line: int
    evidence: str  # the table row or sentence, verbatim


def disclosure_figures(report: Report) -> list[DisclosureFigure]:
    """Every value of the statutory figures the report states, in the order it states them."""
    found: list[DisclosureFigure] = []
    for line in report.body:
        for match in _ACTIVE_SENTENCE.finditer(line.text):
            found.append(DisclosureFigure(ACTIVE, int(match.group(1)), line.number, match.group()))
    for block in report.outline.blocks:
        if isinstance(block, Table):
            found.extend(_table_figures(block))
    return found


def _table_figures(table: Table) -> list[DisclosureFigure]:
    found: list[DisclosureFigure] = []
    review_header = False
    for row, line in zip(table.rows, table.row_lines, strict=True):
        label = row[0] if row else ""
        numbers = [cell for cell in row[1:] if cell]
        if "新收政府信息公开申请" in label and numbers and _NUMBER.match(numbers[-1]):
            # The last column is 总计 (自然人 + 法人或其他组织).
            found.append(DisclosureFigure(RECEIVED, int(numbers[-1]), line, " ".join(row)))
        if "结果维持" in row and "总计" in row:
            review_header = True
            continue
        cells = [cell for cell in row if cell]
        if review_header and len(cells) == _REVIEW_CELLS and all(map(_NUMBER.match, cells)):
            values = [int(cell) for cell in cells]
            evidence = " ".join(cells)
            found.append(DisclosureFigure(REVIEWS, values[4], line, evidence))
            found.append(DisclosureFigure(SUITS, values[9] + values[14], line, evidence))
            review_header = False
    return found
