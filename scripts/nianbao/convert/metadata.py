"""Metadata inference: title, type, year, plan year, organisation, region, dates, tags of a report.

Pure functions over a parsed `Report` (called by the converter's pipeline); each returns the
value and why it was chosen, so that the front matter's `provenance` can say how every value was
found. The pieces live beside it: the head of a report (nianbao.convert.head), types
(nianbao.convert.report_types), the organisation and region (nianbao.convert.org_name), dates
(nianbao.convert.dates).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nianbao.convert import report_types
from nianbao.convert.dates import body_year, to_iso
from nianbao.convert.org_name import (
    ORG_SUFFIX,
    SHORT_ORG,
    Found,
    is_redacted,
    opening_org,
    region_of,
    signature_date,
    signature_org,
    tie_short_form,
    title_org,
)
from nianbao.convert.outline import Heading
from nianbao.convert.report import Report
from nianbao.convert.report_types import type_of_title
from nianbao.redact import REDACTION
from nianbao.vocabulary import MIN_TOPIC_HITS, TOPICS

_YEAR = r"((?:19|20)\d{2})年"
# Years mentioned, except “2023年度” (a budget/enrolment year) and as-of dates “截至2023年”.
_YEAR_MENTION = re.compile(rf"(?<![截至止\d])(?<!截至)(?<!截止){_YEAR}(?!度)")
_PLAN_WORDS = r"(?:工作)?(?:思路|计划|打算|安排|要点)"
_PLAN_IN_TITLE = re.compile(rf"{_YEAR}{_PLAN_WORDS}")
_NEXT_PLAN_HEADING = re.compile(rf"(?:下一步|下步|明年|下年|来年|下一年).*?{_PLAN_WORDS}")
_SPEECH_SUBJECT = re.compile(r"现就(.{1,20}?)工作(?:作|做)?(?:一|个)?简要(?:发言|汇报)")
# “现将某县医疗保障局2024年政府信息公开工作年度报告予以公开发布”: the title, in the text.
_TITLE_IN_OPENING = re.compile(
    r"现将([^，。；]{0,30}?(?:19|20)\d{2}年[^，。；]{2,40}?(?:报告|总结|年报))"
    r"(?:予以|向社会|如下|全文|公布|发布|印发|报送)"
)
# Types whose title year is not the year the body reviews (a plan looks ahead).
_LOOKS_AHEAD = frozenset({"工作计划", "工作总结和工作思路", "会议发言"})


@dataclass(frozen=True)
class MetaWarning:
    """A doubt about an inferred field, at a line of the report (0: the whole report); the
    catalog settles it by setting the field."""

    field: str
    line: int
    message: str


@dataclass
class Inferred:
    """Inferred values of a report and, for each, why; and the doubts to warn about."""

    values: dict[str, object] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: list[MetaWarning] = field(default_factory=list)

    def set(self, key: str, value: object, why: str) -> None:
        """Record a value and the reason for it."""
        self.values[key] = value
        self.reasons[key] = why


def infer_metadata(report: Report) -> Inferred:
    """Infer every metadata field the text can tell (year may be missing: the caller decides)."""
    inferred = Inferred()
    report_type, why = infer_type(report)
    inferred.set("type", report_type, why)
    org, why = infer_org(report)
    inferred.set("org", org, why)
    region = region_of(org)
    if region:
        inferred.set("region", region, f"机构名“{org}”中的地名")
    title = _title(report)
    if title:
        inferred.set("title", *title)
    year = infer_year(report, report_type, inferred)
    if year:
        inferred.set("year", *year)
        plan = infer_plan_year(report, year[0])
        if plan:
            inferred.set("plan_year", *plan)
    if not title:
        year_value = year[0] if year else None
        inferred.set("title", *build_title(report, org, year_value, report_type))
    _publication(report, inferred)
    tags, why = infer_tags(report.full_text)
    inferred.set("tags", tags, why)
    return inferred


def _title(report: Report) -> tuple[str, str] | None:
    """The report's own title and how it was found; None when it has none."""
    head = report.head
    if report.title_line:
        portal = head.get("title")
        if head.title_lines == 0 and portal:
            why = f"门户“{portal.label}”栏（第{portal.line}行）"
        elif head.title_lines > 1:
            why = f"原文标题跨{head.title_lines}行，已合并"
        elif head.fields and head.fields[0].line < report.title_line.number:
            why = "原文标题（其上的门户栏目或文号行已略去）"
        else:
            why = "原文首行即标题"
        if head.title_date:
            why += f"；去掉了标题后所附日期{head.title_date}"
        return report.title_line.text, why
    opening = "".join(line.text for line in report.body[:2])
    match = _TITLE_IN_OPENING.search(opening)
    if match:
        return match.group(1), f"无标题，取自首句“{match.group()}”"
    return None


def infer_type(report: Report) -> tuple[str, str]:
    """Return the report type (from the controlled list) and why."""
    title = _title(report)
    if title and not report.title_line:
        found = type_of_title(title[0])
        if found:
            return found[0], f"首句所述标题含“{found[1][4:-1]}”"
    return report_types.infer_type(report)


def infer_year(
    report: Report, report_type: str, inferred: Inferred | None = None
) -> tuple[int, str] | None:
    """Return the year the report covers and why, or None when the text does not say. A
    title year the body's evidence contradicts is a warning in `inferred`."""
    title = _title(report)
    body = report.body_text
    evidence = body_year(body, report_type)
    if title:
        match = re.search(_YEAR, title[0])
        if match:
            title_year = int(match.group(1))
            why = f"标题中的“{match.group()}”"
            if not evidence or evidence.year == title_year or report_type in _LOOKS_AHEAD:
                return title_year, why
            line = report.title_line.number if report.title_line else 1
            chosen = evidence.year if evidence.strong else title_year
            if inferred is not None:
                inferred.warnings.append(
                    MetaWarning(
                        "year",
                        line,
                        f"标题写的是{title_year}年，正文所述为{evidence.year}年"
                        f"（{evidence.why}）：year 暂取{chosen}年；如不对，请在 catalog.yml 中"
                        "为本文件写明 year",
                    )
                )
            if evidence.strong:
                return evidence.year, f"{evidence.why}（标题写{title_year}年，二者不一致）"
            return title_year, f"{why}（正文所述为{evidence.year}年，二者不一致）"
    if evidence:
        return evidence.year, evidence.why
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
    """Return the organisation as written (redactions kept) and why.

    From the title, else the portal's 发布机构/发布单位/来源, the first sentences, the signature.
    A report whose author redacted anything gives names from its body only as redacted.
    """
    title = report.title_line.text if report.title_line else None
    from_title = title_org(title) if title else None
    if from_title and is_redacted(from_title.value):
        return from_title.value, from_title.why
    redacted_text = bool(REDACTION.search(report.full_text))
    lines = [line.text for line in report.body]
    candidates = [
        found
        for found in (
            from_title,
            _portal_org(report),
            opening_org(lines),
            signature_org(lines),
        )
        if found and (not redacted_text or is_redacted(found.value) or found is from_title)
    ]
    names = [found.value for found in candidates]
    for found in candidates:
        full = tie_short_form(found.value, names)
        if full:
            return full, f"{found.why}为简称“{found.value}”，同文写明全称“{full}”"
        if not SHORT_ORG.fullmatch(found.value) or found is candidates[-1]:
            return found.value, found.why
    text = report.body_text
    subject = _SPEECH_SUBJECT.search(text)
    if subject and "我局" in text:
        return subject.group(1) + "局", f"发言自述“{subject.group()}”且自称“我局”"
    if re.search(r"我局|局党组|本局", text) and text.count("医保") + text.count("医疗保障") >= 3:
        county = "县" if "我县" in text else ""
        why = "正文自称“我局”/“局党组”，以医保工作为主" + ("，并称“我县”" if county else "")
        return f"{county}医疗保障局", why
    return "（机构未署名）", "正文未写出机构名"


def _portal_org(report: Report) -> Found | None:
    for key in ("publisher", "source"):
        found = report.head.get(key)
        if found and re.search(f"{ORG_SUFFIX}$", found.value):
            return Found(found.value, f"门户“{found.label}”栏（第{found.line}行）")
    return None


def _publication(report: Report, inferred: Inferred) -> None:
    """published, index_no, doc_no and publisher, verbatim where the portal or text gives them."""
    head = report.head
    redacted = bool(REDACTION.search(report.full_text))
    for key in ("published", "written"):
        found = head.get(key)
        iso = to_iso(found.value) if found else None
        if found and iso:
            inferred.set("published", iso, f"门户“{found.label}”栏（第{found.line}行）")
            break
    else:
        lines = [line.text for line in report.body]
        signed = signature_date(lines)
        if head.title_date:
            inferred.set("published", head.title_date, "标题后所附日期")
        elif signed and to_iso(signed[0]):
            line = report.body[signed[1]].number
            inferred.set("published", to_iso(signed[0]), f"文末落款日期“{signed[0]}”（第{line}行）")
    for key in ("index_no", "doc_no"):
        found = head.get(key)
        if found:
            inferred.set(key, found.value, f"门户“{found.label}”栏（第{found.line}行）")
    publisher = head.get("publisher")
    if publisher and (not redacted or is_redacted(publisher.value)):
        inferred.set(
            "publisher", publisher.value, f"门户“{publisher.label}”栏（第{publisher.line}行）"
        )


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
