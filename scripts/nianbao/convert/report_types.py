"""Report types (报告类型): which of the controlled list a report is, and why (metadata inference).

Title words first, then the outline and the opening lines. The 政府信息公开工作年度报告 every
agency publishes under the 政府信息公开条例 is also recognised by its statutory outline.
"""

from __future__ import annotations

import re

from nianbao.convert.outline import Heading
from nianbao.convert.report import Report

# Title words -> type, in order: the first rule whose words the title holds decides.
TITLE_RULES: tuple[tuple[str, str], ...] = (
    (
        r"(?:政府信息公开|政务公开|信息公开).*?(?:年度报告|年报|工作报告|情况的?报告)",
        "政府信息公开工作年度报告",
    ),
    (
        r"法治政府建设.*?(?:报告|情况)|依法行政.*?报告|法治建设.*?(?:年度)?报告",
        "法治政府建设年度报告",
    ),
    (r"总结.*(?:思路|计划|打算|安排|要点)", "工作总结和工作思路"),
    (r"自评|自查|绩效评价", "自评报告"),
    (
        r"(?:党建|党风廉政|从严治党|党组织|党支部).*?(?:总结|汇报|报告)|述职|述责述廉",
        "党建工作总结",
    ),
    (r"发言|讲话|致辞", "会议发言"),
    (r"总结|工作情况(?:的)?(?:报告|汇报)|工作报告|年度报告", "工作总结"),
    (r"计划|要点|打算|思路", "工作计划"),
)
# The six parts of the statutory outline (政府信息公开工作年度报告格式).
STATUTORY_PARTS: tuple[str, ...] = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)
MIN_STATUTORY_PARTS = 3  # headings of the outline that make a report a 信息公开 report


def infer_type(report: Report) -> tuple[str, str]:
    """Return the report type (from the controlled list) and why."""
    if report.title_line:
        found = type_of_title(report.title_line.text)
        if found:
            return found
    parts = statutory_parts(report)
    if len(parts) >= MIN_STATUTORY_PARTS:
        return (
            "政府信息公开工作年度报告",
            f"正文按政府信息公开年度报告的法定提纲编排（{'、'.join(parts)}）",
        )
    opening = "".join(line.text for line in report.body[:2])
    if opening.startswith("尊敬的") or re.search(r"发言|讲话", opening):
        return "会议发言", "开头为称呼语或自述“发言”"
    if re.search(r"政府信息公开条例|政务公开", opening) and "年度报告" in opening:
        return "政府信息公开工作年度报告", "开头自述为依政府信息公开条例编制的年度报告"
    if re.search(r"法治政府建设", opening):
        return "法治政府建设年度报告", "开头自述为法治政府建设情况报告"
    if re.search(r"党建工作.*(?:汇报|总结)|(?:汇报|总结).*党建工作", opening):
        return "党建工作总结", "开头自述为党建工作汇报"
    if re.search(r"自评|自查", opening):
        return "自评报告", "开头自述为自评"
    if any(isinstance(b, Heading) and "情况" in b.text for b in report.outline.blocks):
        return "工作总结", "无标题；正文按“工作开展情况”总结"
    return "其他", "无标题，正文未表明类型"


def type_of_title(title: str) -> tuple[str, str] | None:
    """The type a title's words name, and why; None when they name none."""
    for pattern, report_type in TITLE_RULES:
        match = re.search(pattern, title)
        if match:
            return report_type, f"标题含“{match.group()}”"
    return None


def statutory_parts(report: Report) -> list[str]:
    """The parts of the statutory outline the report's headings hold, in outline order."""
    headings = [b.text for b in report.outline.blocks if isinstance(b, Heading) and b.level <= 3]
    return [part for part in STATUTORY_PARTS if any(part in heading for heading in headings)]
