"""Metadata inference: title, type, year, plan year, organisation, region, topic tags of a report.

Pure functions over a parsed `Report`; each returns the value and why it was chosen, so that the
front matter's `provenance` can say how every value was found.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nianbao.outline import Heading
from nianbao.redact import REDACTION
from nianbao.report import Report
from nianbao.vocabulary import MIN_TOPIC_HITS, TOPICS

_YEAR = r"((?:19|20)\d{2})年"
# A sentence that opens with “2022年，” sums up that whole year's work.
_YEAR_STATEMENT = re.compile(rf"(?:^|[。！？\n]){_YEAR}[，,]")
# Years mentioned, except “2023年度” (a budget/enrolment year) and as-of dates “截至2023年”.
_YEAR_MENTION = re.compile(rf"(?<![截至止\d])(?<!截至)(?<!截止){_YEAR}(?!度)")
_PLAN_WORDS = r"(?:工作)?(?:思路|计划|打算|安排|要点)"
_PLAN_IN_TITLE = re.compile(rf"{_YEAR}{_PLAN_WORDS}")
_NEXT_PLAN_HEADING = re.compile(rf"(?:下一步|下步|明年|下年|来年|下一年).*?{_PLAN_WORDS}")
_ORG_SUFFIX = r"(?:局|委|院|办|厅|中心|政府|部|会|所|站|处|科|室|队)"
_ORG_IN_TITLE = re.compile(
    rf"^(.{{1,30}}?{_ORG_SUFFIX})(?=\d{{4}}|“|关于|党建|工作|年度|自评|述职)"
)
_SPEECH_SUBJECT = re.compile(r"现就(.{1,20}?)工作(?:作|做)?(?:一|个)?简要(?:发言|汇报)")
_REGION = re.compile(
    r"([\u4e00-\u9fff]{2}[县市区])(?=十大民生实事|医疗保障局|人民政府|县委|市委|区委)"
)
_NOT_A_PLACE = set("全我本各该此每一两外市省县区")


@dataclass
class Inferred:
    """Inferred values of a report and, for each, why."""

    values: dict[str, object] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def set(self, key: str, value: object, why: str) -> None:
        """Record a value and the reason for it."""
        self.values[key] = value
        self.reasons[key] = why


def infer_metadata(report: Report) -> Inferred:
    """Infer every metadata field the text can tell (year may be missing: the caller decides)."""
    inferred = Inferred()
    title = report.title_line.text if report.title_line else None
    report_type, why = infer_type(report)
    inferred.set("type", report_type, why)
    year = infer_year(report)
    if year:
        inferred.set("year", *year)
        plan = infer_plan_year(report, year[0])
        if plan:
            inferred.set("plan_year", *plan)
    org, why = infer_org(report)
    inferred.set("org", org, why)
    region = infer_region(report.full_text)
    if region:
        inferred.set("region", *region)
    if title:
        inferred.set("title", title, "原文首行即标题")
    else:
        year_value = year[0] if year else None
        inferred.set("title", *build_title(report, org, year_value, report_type))
    tags, why = infer_tags(report.full_text)
    inferred.set("tags", tags, why)
    return inferred


def infer_type(report: Report) -> tuple[str, str]:
    """Return the report type (from the controlled list) and why."""
    if report.title_line:
        title = report.title_line.text
        rules = (
            (r"总结.*(?:思路|计划|打算|安排)", "工作总结和工作思路"),
            (r"自评", "自评报告"),
            (r"党建.*(?:总结|汇报|报告)", "党建工作总结"),
            (r"发言|讲话", "会议发言"),
            (r"总结", "工作总结"),
            (r"计划|要点|打算", "工作计划"),
        )
        for pattern, report_type in rules:
            if re.search(pattern, title):
                return report_type, f"标题含“{re.search(pattern, title).group()}”"  # type: ignore[union-attr]
    opening = "".join(line.text for line in report.body[:2])
    if opening.startswith("尊敬的") or re.search(r"发言|讲话", opening):
        return "会议发言", "开头为称呼语或自述“发言”"
    if re.search(r"党建工作.*(?:汇报|总结)|(?:汇报|总结).*党建工作", opening):
        return "党建工作总结", "开头自述为党建工作汇报"
    if "自评" in opening:
        return "自评报告", "开头自述为自评"
    if any(isinstance(b, Heading) and "情况" in b.text for b in report.outline.blocks):
        return "工作总结", "无标题；正文按“工作开展情况”总结"
    return "其他", "无标题，正文未表明类型"


def infer_year(report: Report) -> tuple[int, str] | None:
    """Return the year the report covers and why, or None when the text does not say."""
    if report.title_line:
        match = re.search(_YEAR, report.title_line.text)
        if match:
            return int(match.group(1)), f"标题中的“{match.group()}”"
    body = report.body_text
    statements = Counter(int(m.group(1)) for m in _YEAR_STATEMENT.finditer(body))
    if statements:
        year, _ = max(statements.items(), key=lambda item: (item[1], item[0]))
        return year, f"正文以“{year}年，”总述全年工作"
    plan_years = {int(m.group(1)) for m in _PLAN_IN_TITLE.finditer(body)}
    mentions = Counter(
        int(m.group(1)) for m in _YEAR_MENTION.finditer(body) if int(m.group(1)) not in plan_years
    )
    if mentions:
        year, count = max(mentions.items(), key=lambda item: (item[1], item[0]))
        return year, f"正文提及最多的年份（“{year}年”{count}次，不计“截至”时点和“年度”）"
    return None


def infer_plan_year(report: Report, year: int) -> tuple[int, str] | None:
    """Return the later year the report plans for, and why, when it has a plan part."""
    if report.title_line:
        match = _PLAN_IN_TITLE.search(report.title_line.text)
        if match:
            return int(match.group(1)), f"标题中的“{match.group()}”"
    for block in report.outline.blocks:
        if not isinstance(block, Heading) or block.level > 3:
            continue
        match = _PLAN_IN_TITLE.search(block.text)
        if match:
            return int(match.group(1)), f"第{block.line}行标题“{block.text}”"
        if _NEXT_PLAN_HEADING.search(block.text):
            return year + 1, f"第{block.line}行标题“{block.text}”指下一年"
    return None


def infer_org(report: Report) -> tuple[str, str]:
    """Return the organisation as written (redactions kept) and why."""
    if report.title_line:
        match = _ORG_IN_TITLE.search(report.title_line.text)
        if match:
            return match.group(1), "标题开头的机构名"
    text = report.body_text
    subject = _SPEECH_SUBJECT.search(text)
    if subject and "我局" in text:
        return subject.group(1) + "局", f"发言自述“{subject.group()}”且自称“我局”"
    if re.search(r"我局|局党组|本局", text) and text.count("医保") + text.count("医疗保障") >= 3:
        county = "县" if "我县" in text else ""
        why = "正文自称“我局”/“局党组”，以医保工作为主" + ("，并称“我县”" if county else "")
        return f"{county}医疗保障局", why
    return "（机构未署名）", "正文未写出机构名"


def infer_region(text: str) -> tuple[str, str] | None:
    """Return the place the text names as its own (e.g. 遂溪县), and why."""
    counts = Counter(
        m.group(1)
        for m in _REGION.finditer(text)
        if m.group(1)[0] not in _NOT_A_PLACE and not REDACTION.search(m.group(1))
    )
    if not counts:
        return None
    region, _ = counts.most_common(1)[0]
    return region, f"正文“{region}”后接本地事务（如“十大民生实事”“医疗保障局”）"


def build_title(report: Report, org: str, year: int | None, report_type: str) -> tuple[str, str]:
    """Build a title for a report whose first line is not one (never the file name)."""
    year_text = f"{year}年" if year else ""
    who = "" if org.startswith("（") else org
    if report_type == "会议发言":
        subject = _SPEECH_SUBJECT.search(report.body_text)
        if subject:
            return f"{subject.group(1)}工作发言", f"无标题，取自“{subject.group()}”"
        return f"{who}{year_text}工作发言", "无标题，按机构、年份、类型拟定"
    if report_type == "党建工作总结":
        kind = "汇报" if "汇报" in "".join(line.text for line in report.body[:2]) else "总结"
        return f"{who}{year_text}党建工作{kind}", "无标题，按机构、年份和开头自述拟定"
    return f"{who}{year_text}{report_type}", "无标题，按机构、年份、类型拟定"


def infer_tags(text: str) -> tuple[list[str], str]:
    """Return the topic tags whose keywords occur at least MIN_TOPIC_HITS times, and why."""
    tags: list[str] = []
    evidence: list[str] = []
    for tag, keywords in TOPICS.items():
        hits = sum(text.count(keyword) for keyword in keywords)
        if hits >= MIN_TOPIC_HITS:
            tags.append(tag)
            evidence.append(f"{tag}{hits}")
    return tags, "关键词出现次数：" + ("、".join(evidence) if evidence else "无")
