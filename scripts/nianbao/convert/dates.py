"""Dates of a report: the year it covers, the day it was published (metadata inference, pure).

`year` is the year the report covers: the title's year, checked against the body's evidence
(the 统计期限 of a 信息公开 report, the `2023年度` budget a 自评 evaluates, `2023年，` opening
the year's summary). When they disagree the body's evidence wins and the disagreement is a
warning naming both years, which the catalog can settle. `published` is the portal's 发布日期,
else the 成文日期, else the date under the signature, as an ISO date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nianbao.convert.head import DATE, iso_date
from nianbao.convert.outline import han_number

_YEAR = r"((?:19|20)\d{2})年"
# 本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止.
_STATUTORY_PERIOD = re.compile(
    r"(?:19|20)\d{2}年1月1日(?:起)?\s*(?:至|到|—|－|-|~)\s*((?:19|20)\d{2})年12月31日"
)
# 2023年度部门整体支出 / 2023年度项目支出 / 2023年预算: the budget a 自评 evaluates.
_BUDGET_YEAR = re.compile(rf"{_YEAR}度?(?:部门|单位)?(?:整体)?(?:预算|支出|决算|项目支出|绩效目标)")
# A sentence that opens with “2022年，” sums up that whole year's work.
_YEAR_STATEMENT = re.compile(rf"(?:^|[。！？\n]){_YEAR}(?:度)?[，,]")
_CN_DIGITS = dict(zip("〇零○一二三四五六七八九", "000123456789", strict=True))


@dataclass(frozen=True)
class YearEvidence:
    """A year the body gives, how strongly, and why."""

    year: int
    strong: bool  # statutory period or budget year: outweighs the title
    why: str


def body_year(body: str, report_type: str) -> YearEvidence | None:
    """The year the body's evidence points to, or None when it points nowhere clearly."""
    periods = Counter(int(m.group(1)) for m in _STATUTORY_PERIOD.finditer(body))
    if periods:
        year, _ = periods.most_common(1)[0]
        return YearEvidence(year, True, f"正文统计期限止于{year}年12月31日")
    if report_type == "自评报告":
        budgets = Counter(int(m.group(1)) for m in _BUDGET_YEAR.finditer(body))
        ranked = budgets.most_common(2)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            year, count = ranked[0]
            return YearEvidence(year, True, f"正文评价的是{year}年度预算/支出（{count}处）")
    statements = Counter(int(m.group(1)) for m in _YEAR_STATEMENT.finditer(body))
    ranked = statements.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        year, _ = ranked[0]
        return YearEvidence(year, False, f"正文以“{year}年，”总述全年工作")
    return None


def to_iso(text: str) -> str | None:
    """A date as written (2022-01-25, 2022年1月25日, 二〇二四年一月五日) as YYYY-MM-DD."""
    match = DATE.search(text)
    if match:
        return iso_date(match)
    chinese = re.search(
        r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日",
        text,
    )
    if not chinese:
        return None
    year = int("".join(_CN_DIGITS[c] for c in chinese.group(1)))
    month, day = han_number(chinese.group(2)), han_number(chinese.group(3))
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None
