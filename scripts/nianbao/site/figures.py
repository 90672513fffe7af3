"""Stated figures (indicators) in report text: value, unit, the date they hold at, the sentence.

Rules are per indicator: a keyword, then within the same clause a number with one of the
indicator's units (`49.29万余人`, `99.85％`, `309.82万元`; an amount may leave out `元` after
`万`/`亿`: `追回…372.60万`; a range `30－40万元`). Every statement is kept, each with what narrows
it: the population in the indicator's name (`参保人数（城乡居民）`, so unlike numbers never share
a row), `累计` / `本年` as its scope, and the word by which the report marks it as its total
(`总额`, `共`, `累计`: `headline`). A number hidden by redaction (`*％`, `****人`, `XX万元`)
is recorded as redacted, never as a number. The as-of date is the nearest date phrase before
the figure in its sentence or paragraph (`截至2023年9月`, `1－9月`, `截至9月底`); a figure
without one holds for the report's year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

# Number as written: digits with an optional decimal part; or redaction marks standing for one
# (asterisks, also full-width U+FF0A).
_NUMBER = r"(?P<num>\d+(?:\.\d+)?|[*\uff0a]+|XX|××+)"
# The upper end of a range ("30－40万元", "30至40万元").
_RANGE = r"(?:\s*[－\-—~\uff5e至到]\s*(?P<num2>\d+(?:\.\d+)?))?"
_QUALIFIER_BEFORE = r"(?P<before>约|超过?|近|达到?|为|至|逾)?"
# "49.29万余人" and "3800余万元" both occur.
_MULTIPLIER = r"(?P<mult>万|亿)?(?P<after>余|多)?(?P<mult2>万|亿)?"


@dataclass(frozen=True)
class Indicator:
    """An indicator: its name, the words that introduce it, and the units it is stated in."""

    name: str
    keyword: str  # regex
    units: tuple[str, ...]
    # Names for the values of "分别达到 X 和 Y" (e.g. 职工 / 城乡居民); empty: one value.
    parts: tuple[str, ...] = ()

    @property
    def bare_multiplier(self) -> bool:
        """Whether "372.60万" (no unit after 万/亿) is a value of it: an amount or a head count,
        the only unit the indicator has."""
        return len(self.units) == 1 and self.units[0] in ("元", "人")


INDICATORS: tuple[Indicator, ...] = (
    Indicator("参保人数", r"参保(?:人数|人员)|制度覆盖|参保(?=\d)", ("人",)),
    Indicator("参保率", r"参保率", ("％",)),
    Indicator("住院报销比例", r"住院报销比例|住院费用报销比例", ("％",), ("职工", "城乡居民")),
    Indicator("追回基金", r"追回(?:医保|XX)?(?:基金|资金)?", ("元",)),
    Indicator("拒付基金", r"拒付(?:医保|XX)?(?:基金|资金)?", ("元",)),
    Indicator("罚款", r"罚款|处罚金", ("元",)),
    Indicator("集采节约资金", r"节省资金|节约(?:费用|资金)", ("元",)),
    Indicator("带量采购品种数", r"带量采购(?=分别|达|为|品种|\d)", ("种",), ("药品", "医用耗材")),
    Indicator("异地就医结算", r"异地就医[^，；。]{0,12}结算", ("人次", "元")),
    Indicator("医疗救助金额", r"救助(?:资金|金额)|医疗救助[^，；。]{0,8}支出", ("元",)),
    Indicator("满意度", r"满意度|满意率", ("％",)),
)

_UNIT_OF = {"人": "人", "％": "％", "元": "元", "种": "种", "人次": "人次"}
_DATE = re.compile(
    r"截[至止]\s*(?:(?P<y1>\d{4})年)?(?P<m1>\d{1,2})月(?:底|末)?"
    r"|(?:(?P<y2>\d{4})年)?(?P<m2a>\d{1,2})\s*[－\-—~至到]\s*(?P<m2b>\d{1,2})月"
)
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
# The population a value is about, when the words before it name one: its own row.
POPULATIONS = (("城乡居民", re.compile(r"城乡居民|居民医保")), ("职工", re.compile(r"职工")))
# Words before a value that narrow what it counts.
_SCOPES = (("累计", re.compile(r"累计")), ("本年", re.compile(r"本年|全年|今年")))
# Words that mark a value as the report's total of the indicator.
_HEADLINE = re.compile(r"总额|总计|合计|共计|累计|共")
# Any indicator's keyword: most sentences hold none and are passed over at once.
_ANY_KEYWORD = re.compile("|".join(f"(?:{indicator.keyword})" for indicator in INDICATORS))


# Column names of data/figures.csv, which readers open in a spreadsheet: Chinese, in the order of
# the English keys that figures.json keeps for programs.
CSV_HEADERS: dict[str, str] = {
    "report": "报告",
    "url": "页面",
    "org": "机构",
    "org_id": "机构键",
    "year": "年度",
    "type": "类型",
    "indicator": "指标",
    "value": "数值",
    "written": "原文写法",
    "unit": "单位",
    "qualifier": "限定词",
    "redacted": "已隐去",
    "as_of": "截至",
    "sentence": "原句",
    "section": "章节",
    "upper": "区间上限",
    "scope": "范围",
    "headline": "总数标记",
}


@dataclass(frozen=True)
class Figure:
    """One stated value of an indicator."""

    indicator: str  # e.g. "住院报销比例（职工）"
    value: float | None  # in the base unit (人, 元, ％, 种, 人次); None when redacted
    written: str  # as written, e.g. "49.29万余人"
    unit: str  # base unit
    qualifier: str  # 约 / 余 / 超 …, "" if exact
    redacted: bool
    as_of: str  # e.g. "2023年9月", "2023年1－9月", or "2023年" (the report's year)
    sentence: str  # the sentence it comes from, as written
    section: str = ""  # anchor of the section holding it
    upper: float | None = None  # a range's upper end ("30－40万元": value 300000, upper 400000)
    scope: str = ""  # what narrows the value: 累计 / 本年, "" if the sentence says nothing
    headline: str = ""  # the word marking it as the report's total (总额 / 共 / 累计 …), or ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def extract_figures(text: str, year: int, section: str = "") -> list[Figure]:
    """Every indicator value stated in a text (one report section), in order of appearance."""
    figures: list[Figure] = []
    for paragraph in text.splitlines():
        last_date = ""
        for sentence_match in _SENTENCE.finditer(paragraph):
            sentence = sentence_match.group().strip()
            dates = list(_DATE.finditer(sentence))
            for indicator in INDICATORS if _ANY_KEYWORD.search(sentence) else ():
                for found in _values(indicator, sentence):
                    position, figure = found
                    before = [d for d in dates if d.start() < position]
                    as_of = _as_of(before[-1], year) if before else last_date or f"{year}年"
                    figures.append(
                        Figure(
                            **{**figure, "as_of": as_of, "sentence": sentence, "section": section}
                        )
                    )
            if dates:
                last_date = _as_of(dates[-1], year)
    return figures


def _values(indicator: Indicator, sentence: str) -> Iterable[tuple[int, dict[str, object]]]:
    """Every value of the indicator stated in a sentence: the first number of each clause
    that begins with one of its keywords (for "分别" lists, one number a part)."""
    units = "|".join(sorted(map(re.escape, indicator.units), key=len, reverse=True))
    unit = rf"(?P<unit>{units})"
    if indicator.bare_multiplier:
        # "372.60万；": 万 or 亿 standing alone (not "5万人次", whose unit is another's).
        unit = (
            rf"(?:{unit}|(?<=[万亿])(?![\u4e00-\u9fff\w])|(?<=[万亿][余多])(?![\u4e00-\u9fff\w]))"
        )
    value = rf"{_QUALIFIER_BEFORE}{_NUMBER}{_RANGE}{_MULTIPLIER}{unit}(?P<tail>以上)?"
    taken: set[int] = set()
    for keyword in re.finditer(indicator.keyword, sentence):
        clause_end = _clause_end(sentence, keyword.end(), several=bool(indicator.parts))
        clause = sentence[keyword.end() : clause_end]
        # "338、265种": the unit written once stands for every number of the list.
        clause = re.sub(
            rf"(\d+(?:\.\d+)?)(?=[、和](?:\d+(?:\.\d+)?[、和])*\d+(?:\.\d+)?(?:{units}))",
            lambda m, text=clause: m.group(1) + _list_unit(text, m.end(), units),
            clause,
        )
        found = list(re.finditer(value, clause))
        if not found:
            continue
        if indicator.parts and len(found) >= 2 and "分别" in sentence[:clause_end]:
            names = [f"{indicator.name}（{part}）" for part in indicator.parts]
            pairs = list(zip(names, found[: len(names)], strict=False))
        else:
            pairs = [(indicator.name + _population(indicator, sentence, keyword), found[0])]
        clause_start = max(sentence.rfind(ch, 0, keyword.start()) for ch in "，；") + 1
        for name, match in pairs:
            position = keyword.end() + match.start()
            if position in taken:  # two keywords of one clause ("追回…资金"): one statement
                continue
            taken.add(position)
            narrowing = sentence[clause_start:position]
            yield position, _figure(name, match, indicator, narrowing)


def _population(indicator: Indicator, sentence: str, keyword: re.Match[str]) -> str:
    """ "（城乡居民）" when the keyword's clause names the population it counts, else ""."""
    if indicator.parts:
        return ""
    start = max(sentence.rfind(ch, 0, keyword.start()) for ch in "，；") + 1
    end = _clause_end(sentence, keyword.end(), several=False)
    clause = sentence[start:end]
    named = [name for name, words in POPULATIONS if words.search(clause)]
    return f"（{named[0]}）" if len(named) == 1 else ""


def _list_unit(clause: str, position: int, units: str) -> str:
    """The unit written after the last number of a list that starts at `position`."""
    found = re.compile(rf"\d+(?:\.\d+)?({units})").search(clause, position)
    return found.group(1) if found else ""


def _clause_end(sentence: str, start: int, *, several: bool) -> int:
    """End of the clause after a keyword: the next ，/；/。 (for "分别" lists, the sentence)."""
    stops = "；。" if several else "，；。"
    ends = [i for i in (sentence.find(ch, start) for ch in stops) if i != -1]
    return min(ends) if ends else len(sentence)


def _figure(
    name: str, match: re.Match[str], indicator: Indicator, narrowing: str
) -> dict[str, object]:
    """A value as a Figure's fields; `narrowing` is its clause's words before it."""
    number = match.group("num")
    redacted = not number[0].isdigit()
    multiplier = {"万": 1e4, "亿": 1e8}.get(match.group("mult") or match.group("mult2") or "", 1)
    value = None if redacted else round(float(number) * multiplier, 4)
    upper = match.group("num2")
    qualifier = (match.group("before") or "") + (match.group("after") or "")
    qualifier += match.group("tail") or ""
    qualifier = re.sub(r"^(?:达到?|为|至)", "", qualifier)
    written = match.group().removeprefix(match.group("before") or "")
    return {
        "indicator": name,
        "value": value,
        "written": written,
        "unit": _UNIT_OF[match.group("unit") or indicator.units[0]],
        "qualifier": qualifier,
        "redacted": redacted,
        "upper": round(float(upper) * multiplier, 4) if upper and not redacted else None,
        "scope": "、".join(name for name, words in _SCOPES if words.search(narrowing)),
        "headline": headline.group() if (headline := _HEADLINE.search(narrowing)) else "",
    }


def _as_of(date: re.Match[str], year: int) -> str:
    if date.group("m1"):
        return f"{date.group('y1') or year}年{int(date.group('m1'))}月"
    return f"{date.group('y2') or year}年{int(date.group('m2a'))}－{int(date.group('m2b'))}月"
