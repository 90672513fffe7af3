"""The head of a report as agencies publish it: portal lines, a title wrapped over lines, a 文号.

Called by `nianbao.convert.report.parse_report` on the cleaned lines (pure). Reports copied from a
government portal start with its labels (`索引号: … 发布机构: …`, `名 称: …`, `发布时间: …`,
`时间:… 来源:… 浏览次数:`) before or after a title that a narrow column may have wrapped over
two or three lines (`某市医疗保障局2022年政务公开工作` / `年度报告`). The head keeps the
labels' values (verbatim, with their line) for metadata inference and hands back the title as
one line and the body without the portal's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.convert.clean import Line
from nianbao.convert.outline import match_heading

MAX_HEAD_LINES = 14  # the portal block and title never run longer than this
MAX_TITLE_LINES = 3
MAX_TITLE_CHARS = 80

# Portal labels, as written with spaces inside (`索 引 号`) or not, and the key they fill.
_LABELS: dict[str, str] = {
    "索引号": "index_no",
    "文号": "doc_no",
    "发文字号": "doc_no",
    "备注/文号": "doc_no",
    "发布机构": "publisher",
    "发布单位": "publisher",
    "发文机关": "publisher",
    "发文单位": "publisher",
    "来源": "source",
    "信息来源": "source",
    "发布日期": "published",
    "发布时间": "published",
    "时间": "published",
    "成文日期": "written",
    "公文生成日期": "written",
    "生成日期": "written",
    "名称": "title",
    "标题": "title",
    # Labels whose values the archive does not need, recognised so that their lines leave
    # the title and body.
    "主题分类": "",
    "体裁分类": "",
    "组配分类": "",
    "服务对象分类": "",
    "公开方式": "",
    "公开范围": "",
    "公开时限": "",
    "有效性": "",
    "时效性": "",
    "浏览次数": "",
    "访问次数": "",
    "阅读次数": "",
    "点击数": "",
    "字号": "",
    "字体": "",
    "作者": "",
    "责任编辑": "",
    "编辑": "",
    "分类": "",
    "当前位置": "",
    "您当前位置": "",
    "您的位置": "",
    "关键词": "",
}
_SPACED = {label: r"\s*".join(map(re.escape, label)) for label in _LABELS}
_LABEL = re.compile(
    r"(?:^|(?<=\s)|(?<=[•·|\uff5c】]))[【\[]?("
    + "|".join(_SPACED[label] for label in sorted(_LABELS, key=len, reverse=True))
    + r")[】\]]?\s*[:：]\s*"
)
_BULLET = re.compile(r"^[•·\-*▪◆■]\s*")
# Lines of a portal page that are not labels: print and share buttons, breadcrumbs.
_CHROME = re.compile(
    r"^(?:【?\s*(?:打印(?:本页)?|关闭(?:窗口)?|收藏|分享到?|字体[:：]?\s*[大中小\s]*|[大中小](?:\s+[大中小]){2})"
    r"\s*】?\s*)+$|^(?:首页\s*(?:>>?|\u203a|»|/)|.*(?:>>|»)\s*\S+$)"
)
# A date, with an optional time: 2022-01-25, 2022/1/5, 2022.01.25, 2022年1月25日 (10:21[:33]).
DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
_TRAILING_DATE = re.compile(r"[\s（(]*" + DATE.pattern + r"[)）]?\s*$")
# A 文号 on a line of its own: 浙卫[2024]3号 (in 六角括号 U+3014/3015 or any bracket).
DOC_NO = re.compile(
    r"^[\u4e00-\u9fffA-Za-z]{1,12}[\u3014\[\uff3b(（]\s*(?:19|20)\d{2}\s*[\u3015\]\uff3d)）]"
    r"\s*\d{1,4}\s*号$"
)
# Words that name a kind of report; a title holds one.
_KINDS = (
    r"总结|报告|年报|思路|计划|要点|发言|讲话|汇报|情况|材料|述职|打算|自评|自查|致辞|安排"
    r"|通知|方案|意见|办法|公告|通报|说明"
)
TITLE_WORDS = re.compile(_KINDS)
_TITLE_END = re.compile(rf"(?:{_KINDS})[）)》”]?$")
# A wrapped title's next line that carries on the title rather than starting the text.
_CARRIES_ON = re.compile(r"^(?:和|及|与|暨|并|以及|——|（|\()")
_SENTENCE_END = tuple("。！？；：，,.!?;:")


@dataclass(frozen=True)
class PortalField:
    """A labelled value of a portal block, verbatim, and its line."""

    key: str  # one of the values of _LABELS
    label: str  # as written, spaces removed
    value: str
    line: int


@dataclass
class Head:
    """What the head of a report says and where its body starts."""

    title: Line | None = None  # joined title, numbered by its first line
    title_lines: int = 0  # lines the title was wrapped over
    title_date: str | None = None  # a date glued to the title line, stripped from it
    fields: list[PortalField] = field(default_factory=list)
    body_start: int = 0  # index of the first body line in the cleaned lines

    def get(self, key: str) -> PortalField | None:
        """The first field of this key with a value."""
        return next((f for f in self.fields if f.key == key and f.value), None)


def read_head(lines: list[Line]) -> Head:
    """Find the portal block, the (joined) title and any 文号 line at the top of a report."""
    head = Head()
    index = _portal_lines(lines, 0, head)
    title_field = head.get("title")
    start = index
    title, used, title_date = _title_at(lines, index)
    if title is None and title_field:
        # The portal's 名称 is the title; the text's own first line may repeat it.
        text, date = _strip_trailing_date(title_field.value)
        title, used, title_date = Line(title_field.line, text), 0, date
        if index < len(lines) and _same_title(lines[index].text, text):
            used = 1
    elif title is not None and title_field and not _same_title(title.text, title_field.value):
        # A portal's 名称 is what its editors typed; the document's own title is kept.
        pass
    head.title, head.title_lines, head.title_date = title, used, title_date
    index = start + used
    index = _portal_lines(lines, index, head)
    head.body_start = index
    if title is None:
        head.body_start = start
    return head


def _portal_lines(lines: list[Line], index: int, head: Head) -> int:
    """Consume portal lines (labels, chrome, a lone 文号) from `index`; return the next index."""
    while index < min(len(lines), MAX_HEAD_LINES + 1):
        text = _BULLET.sub("", lines[index].text)
        if DOC_NO.match(text):
            head.fields.append(PortalField("doc_no", "文号", text, lines[index].number))
        elif _CHROME.match(text):
            pass
        else:
            found = _labelled(text, lines[index].number)
            if not found:
                return index
            head.fields.extend(found)
        index += 1
    return index


def _labelled(text: str, number: int) -> list[PortalField]:
    """The label: value pairs a portal line holds, or [] when it is not such a line."""
    matches = list(_LABEL.finditer(text))
    if not matches or matches[0].start() > 1:
        return []
    found: list[PortalField] = []
    for current, following in zip(matches, [*matches[1:], None], strict=True):
        label = re.sub(r"\s+", "", current.group(1))
        end = following.start() if following else len(text)
        value = text[current.end() : end].strip(" \u3000\t•·|\uff5c【】[]")
        key = _LABELS[label]
        if key:
            found.append(PortalField(key, label, value, number))
    return found or [PortalField("", "", "", number)]


def _title_at(lines: list[Line], index: int) -> tuple[Line | None, int, str | None]:
    """The title starting at `index`, joined over up to three wrapped lines, and its date."""
    pieces: list[str] = []
    for offset in range(MAX_TITLE_LINES):
        if index + offset >= len(lines) - 1:  # a title needs a body after it
            break
        text = lines[index + offset].text
        if not _title_piece(text):
            break
        pieces.append(text)
    # The shortest run of pieces that ends like a title; a lone first line must hold a
    # title word anywhere (the samples' titles end in “…工作总结和2024年工作思路”).
    for count in range(1, len(pieces) + 1):
        joined, date = _strip_trailing_date("".join(pieces[:count]))
        if len(joined) > MAX_TITLE_CHARS:
            break
        last = count == len(pieces) or not _title_piece_continues(pieces[count])
        carried_on = count < len(pieces) and _CARRIES_ON.match(pieces[count])
        if (_TITLE_END.search(joined) and not carried_on) or (last and TITLE_WORDS.search(joined)):
            return Line(lines[index].number, joined), count, date
    return None, 0, None


def _title_piece(text: str) -> bool:
    if len(text) > MAX_TITLE_CHARS:
        return False
    if text.endswith(_SENTENCE_END) or "。" in text or match_heading(text):
        return False
    if _LABEL.match(_BULLET.sub("", text)) or DOC_NO.match(text):
        return False
    return not DATE.fullmatch(text.strip("（）() "))


def _title_piece_continues(text: str) -> bool:
    """Whether a short line after a title-like line still belongs to it (a wrapped tail)."""
    return bool(_CARRIES_ON.match(text)) or (len(text) <= 12 and not TITLE_WORDS.search(text[:1]))


def _strip_trailing_date(text: str) -> tuple[str, str | None]:
    match = _TRAILING_DATE.search(text)
    if not match or match.start() == 0:
        return text, None
    return text[: match.start()].rstrip(), iso_date(match)


def iso_date(match: re.Match[str]) -> str | None:
    """A DATE match as YYYY-MM-DD, or None when it is no calendar date."""
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _same_title(first: str, second: str) -> bool:
    def squash(text: str) -> str:
        return re.sub(r"\s+", "", text)

    return squash(first) == squash(second) or squash(_strip_trailing_date(first)[0]) == squash(
        _strip_trailing_date(second)[0]
    )
