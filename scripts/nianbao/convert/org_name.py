"""The organisation a report comes from, as written, and its region (metadata inference, pure).

Where agencies name themselves: at the start of the title (`某县医疗保障局2023年…`), in the
portal block (`发布机构: …`), in the first sentences (`现将某县医疗保障局2024年…予以公开`,
`2022年，某区卫生健康局围绕…`, `…局政府信息公开工作在…领导下`), or only in the signature at the
end (`某县医疗保障局` over `2024年1月5日`). A short form (`市医疗保障局`) is tied to the full
name when the same report gives it.

Redaction is respected: when the title's organisation is redacted (XX, *, ×××, 某某 …) or the
report holds any redaction mark, nothing that names a place or an organisation is taken from
anywhere else in the text; the region comes only from the organisation's own name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.redact import REDACTION

_HAN = "\u4e00-\u9fff"
_MARK = r"X*×○"  # redaction marks may stand for any part of a name
# What an organisation's name ends with, longest first.
ORG_SUFFIX = (
    r"(?:医疗保障事务中心|医疗保险服务中心|医疗保障局|卫生健康委员会|卫生和计划生育委员会|"
    r"卫生健康委|卫生健康局|人民政府办公室|人民政府|委员会|办公室|中心|政府|局|委|厅|院)"
)
_PLACE_LEVEL = r"(?:自治区|自治州|自治县|开发区|高新区|新区|地区|省|市|州|盟|县|区|旗)"
# A name with at least one place in it: 某市某区医疗保障局, 某开发区（某区）医疗保障局.
_PLACE_ORG = (
    rf"(?:[{_HAN}{_MARK}]{{1,10}}?{_PLACE_LEVEL}(?:[（(][{_HAN}{_MARK}]{{1,10}}[)）])?)+?"
    rf"[{_HAN}]{{0,10}}?{ORG_SUFFIX}"
)
# A short form without the place's name: 市医疗保障局, 县卫生健康局, 区医保局.
SHORT_ORG = re.compile(rf"^[省市县区州旗]{ORG_SUFFIX}$")
# What may follow an organisation's name in a sentence or a title.
_AFTER_ORG = (
    r"(?=\d|关于|政府信息|政务公开|信息公开|围绕|在|全面|坚持|认真|严格|紧紧|以|深入|始终|聚焦|"
    r"按照|结合|的|工作|法治|党|年度|整体|部门|本级|自评|自查|“|[，,。：:、（(]|\s|$|持续|进一步|"
    r"扎实|积极|切实|着力|主动|不断|高度|贯彻|落实|立足|牢固|强化|加强|召开|编制|向|现|\Z)"
)
_ORG_IN_TITLE = re.compile(
    r"^(?:(?:19|20)\d{2}年度?)?(.{1,30}?"
    r"(?:局|委|院|办|厅|中心|政府|部|会|所|站|处|科|室|队))"
    r"(?=(?:19|20)\d{2}|“|关于|党建|工作|年度|自评|述职|政府信息|政务公开|信息公开|法治|整体|部门"
    r"|本级|机关|党|全面|落实|局长|主任|书记|领导班子|在)"
)
# First-sentence shapes: what comes before the name.
_OPENING_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"现将({_PLACE_ORG}){_AFTER_ORG}"), "首句“现将…”"),
    (
        re.compile(rf"^(?:(?:19|20)\d{{2}}年(?:度|以来)?[，,]\s*)({_PLACE_ORG}){_AFTER_ORG}"),
        "首句“某年，某局…”",
    ),
    (re.compile(rf"^({_PLACE_ORG})(?:政府信息公开工作)?在"), "首句“某局…在…领导下”"),
    (
        re.compile(rf"(?:公布|编制了?|做好|报告如下|本报告由)({_PLACE_ORG}){_AFTER_ORG}"),
        "开头自述机构名",
    ),
)
_REGION_IN_ORG = re.compile(
    rf"^((?:[{_HAN}]{{2,8}}?(?:省|自治区))?(?:[{_HAN}]{{1,8}}?(?:市|自治州|地区|盟))?"
    rf"(?:[{_HAN}]{{1,8}}?(?:自治县|开发区|高新区|新区|县|区|旗|市))?)"
)
_NOT_A_PLACE = set("某我本各该此每全其")
_SIGNATURE_DATE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九○]{4}年[一二三四五六七八九十]{1,3}月"
    r"[一二三四五六七八九十]{1,3}日)$"
)
SIGNATURE_LINES = 4  # lines at the end that may hold the signature and its date


@dataclass(frozen=True)
class Found:
    """An inferred value and why."""

    value: str
    why: str


def title_org(title: str) -> Found | None:
    """The organisation at the start of a title (after a leading year), as written."""
    match = _ORG_IN_TITLE.search(title)
    if (
        not match
        or re.match(r"关于|我|本|在|\d", match.group(1))
        or re.search(r"\d年", match.group(1))
    ):
        return None
    return Found(match.group(1), "标题开头的机构名")


def opening_org(lines: list[str]) -> Found | None:
    """The organisation the first sentences name (`现将…`, `某年，某局…`, `…在…领导下`)."""
    for line in lines[:3]:
        for sentence in re.split(r"(?<=[。！？])", line)[:2]:
            for pattern, why in _OPENING_SHAPES:
                match = pattern.search(sentence)
                if match and _plausible(match.group(1)):
                    return Found(match.group(1), f"{why}：“{_excerpt(sentence, match)}”")
    return None


def signature_org(lines: list[str]) -> Found | None:
    """The organisation in the signature at the end (a line holding only its name)."""
    tail = lines[-SIGNATURE_LINES:]
    for text in reversed(tail):
        name = text.strip()
        if re.fullmatch(_PLACE_ORG, name) and _plausible(name):
            return Found(name, f"文末落款“{name}”")
    return None


def signature_date(lines: list[str]) -> tuple[str, int] | None:
    """The date under the signature (as written) and its index among `lines`."""
    start = max(0, len(lines) - SIGNATURE_LINES)
    for index in range(len(lines) - 1, start - 1, -1):
        text = lines[index].strip().strip("（）()")
        if _SIGNATURE_DATE.fullmatch(text):
            return text, index
    return None


def tie_short_form(short: str, names: list[str]) -> str | None:
    """The full name a short form (`市医疗保障局`) stands for, among names the report gives."""
    if not SHORT_ORG.fullmatch(short):
        return None
    for name in names:
        if name != short and name.endswith(short) and not REDACTION.search(name):
            return name
    return None


def region_of(org: str) -> str | None:
    """The place an organisation's name starts with (省/市/县/区 …); None when its name holds
    no place or the place is redacted or a placeholder (某县)."""
    if REDACTION.search(org):
        return None
    region = _REGION_IN_ORG.match(re.sub(r"^中共|^中国共产党", "", org))
    value = region.group(1) if region else ""
    if len(value) < 2 or value[0] in _NOT_A_PLACE:
        return None
    return value


def is_redacted(name: str) -> bool:
    """Whether a name carries redaction marks."""
    return bool(REDACTION.search(name))


def _plausible(name: str) -> bool:
    return len(name) >= 4 and name[0] not in _NOT_A_PLACE - {"某"} and not name.startswith("关于")


def _excerpt(sentence: str, match: re.Match[str]) -> str:
    start = max(0, match.start() - 4)
    return sentence[start : match.end() + 6]
