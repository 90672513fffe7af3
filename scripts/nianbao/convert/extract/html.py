"""Portal article pages (政府信息公开 pages) as blocks: the CMS's body container, its metadata.

Called by `nianbao.convert.extract.extract_file` for bytes that are HTML. The body comes from the
content container that government CMSs write (TRS `TRS_Editor`, Hanweb `#zoom`, UCAP
`UCAP-CONTENT`, …) or, failing those, from the element holding most paragraph text; navigation,
breadcrumbs, 相关文章, 打印本页/关闭窗口 and the footer stay out. The 索引号/发布机构/成文日期 block
and the `<meta name="ArticleTitle|PubDate|ContentSource">` tags become carried metadata, never
body text. A page that holds only links to attached files says so (`carried["attachments"]`).
"""

from __future__ import annotations

import re
import urllib.parse

import lxml.html
from lxml import etree

from nianbao.convert.dates import to_iso
from nianbao.convert.extract.blocks import Block, Extracted, ExtractError
from nianbao.convert.extract.reflow import normalise_spaces

# Content containers of the common government CMSs, most specific first.
CONTAINERS: tuple[str, ...] = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='UCAP-CONTENT' or contains(@class, 'UCAP-CONTENT')]",
    "//*[@id='zoom' or @id='Zoom' or @id='fontzoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    "//*[@id='article-content' or @id='articleContent' or @id='ArticleContent']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' pages_content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' view ') and .//p]",
    "//*[@id='content' or @id='Content' or @id='con' or @class='zw' or @id='zw']",
)
# Labels of the 政府信息公开 block → carried keys (labels compared with spaces removed).
INFO_LABELS: dict[str, str] = {
    "索引号": "index_no",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "发布单位": "publisher",
    "信息来源": "publisher",
    "来源": "publisher",
    "成文日期": "written",
    "发布日期": "published",
    "发文日期": "written",
    "文号": "doc_no",
    "发文字号": "doc_no",
    "主题分类": "topic",
    "公开方式": "disclosure",
    "标题": "title",
    "名称": "title",
}
# Labels that, beside 索引号, show an element holds the whole 信息公开 block.
_SECOND_LABELS = ("发布机构", "成文日期", "发文机关", "发布日期", "主题分类")
META_NAMES = {"articletitle": "title", "pubdate": "published", "contentsource": "publisher"}
# Page furniture that can sit inside a container: dropped with the element holding it.
CHROME = re.compile(
    r"^(?:【?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享到?|字体|字号|大|中|小|"
    r"扫一扫.*|我要纠错|责任编辑.*|来源[:：].*|浏览次数.*|阅读次数.*|"
    r"(?:发布时间|发布日期|信息来源|作者|点击数|点击量|阅读量|访问量)[:：].{0,60}|"
    r"字体[:：]?[大中小默认]{0,8})\s*】?[\s|\uff5c]*)+$"
)
RELATED = re.compile(r"^(?:相关文章|相关链接|相关阅读|相关信息|相关文件|上一篇|下一篇)")
ATTACHMENT_EXTS = (".docx", ".doc", ".wps", ".pdf", ".ofd", ".txt", ".rtf")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "section",
        "article",
        "blockquote",
        "center",
        "dl",
        "dt",
        "dd",
        "pre",
        "form",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "iframe", "select", "button", "input", "textarea", "head"]
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "hz-gb-2312", "gb_2312-80"}
MIN_BODY_CHARS = 30  # less text than this beside attachment links: an attachment-only page


def extract_html(data: bytes) -> Extracted:
    """Extract a portal article page.

    Raises:
        ExtractError: when the bytes decode in no plausible charset or hold no article text.
    """
    text, encoding = decode_html(data)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"网页无法解析（{exc}）：请重新保存该网页") from None
    carried = _meta_tags(root)  # before <head> goes with the rest that is never text
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction, *_SKIP_TAGS)):
        _drop(element)
    info = _info_block(root)
    for key, value in info.items():
        carried.setdefault(key, value)
    container = _container(root)
    if container is None:
        raise ExtractError("网页中找不到正文：不是文章页面？请另存正文为 .docx 或纯文本")
    title = carried.get("title") or _heading_before(root, container)
    if title:
        # A title the page wraps (`<br>`, a line break in the source) reads as one line: no
        # space left between Han characters where it was broken (one between Latin words).
        title = carried["title"] = normalise_spaces(title)
    _drop_chrome(container)
    blocks = list(_blocks(container, title))
    attachments = _attachments(container)
    body_chars = sum(len(_SPACES.sub("", b.text)) for b in blocks if b.kind != "table")
    if attachments and body_chars - _link_chars(container) < MIN_BODY_CHARS:
        carried["attachments"] = "\n".join(attachments)
        blocks = []
    elif not blocks:
        raise ExtractError("网页正文为空：请确认保存的是文章页面本身")
    for key in ("published", "written"):
        if key in carried:
            carried[key] = to_iso(carried[key]) or carried[key]
    return Extracted(blocks=blocks, format="html", carried=carried, encoding=encoding)


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding used. A gb2312/GBK label is read as GB18030 (pages so
    labelled hold GBK-only characters); a label that does not fit the bytes is not trusted."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    match = _CHARSET.search(data[:4096])
    label = match.group(1).decode("ascii").lower() if match else "utf-8"
    if label in _GB_FAMILY:
        label = "gb18030"
    for encoding in dict.fromkeys((label, "utf-8", "gb18030")):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise ExtractError(
        f"网页字符集标为 {label}，但内容在 {label}、UTF-8、GB18030 中都无法解码：请重新保存该网页"
    )


def _meta_tags(root: etree._Element) -> dict[str, str]:
    carried: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = META_NAMES.get((meta.get("name") or "").strip().lower())
        content = _SPACES.sub(" ", meta.get("content") or "").strip()
        if key and content:
            carried.setdefault(key, content)
    return carried


def _info_block(root: etree._Element) -> dict[str, str]:
    """The 索引号 … block: found as the smallest element holding both 索引号 and another label,
    read as a run of text pieces `label：` `value` (table cells) or `label：value` (one piece),
    then removed from the page so that it never reaches the body."""
    holder = _info_holder(root)
    if holder is None:
        return {}
    # Climb to the element that holds the whole block (a table, not just one row).
    while holder.getparent() is not None and holder.tag in ("td", "th", "tr", "span", "b", "li"):
        holder = holder.getparent()
    if holder.tag in ("tbody",) and holder.getparent() is not None:
        holder = holder.getparent()
    pieces = [
        _SPACES.sub(" ", piece).strip() for piece in holder.itertext() if _SPACES.sub("", piece)
    ]
    found: dict[str, str] = {}
    index = 0
    while index < len(pieces):
        label, value = _label_of(pieces[index])
        index += 1
        if label is None:
            continue
        if not value and index < len(pieces) and _label_of(pieces[index])[0] is None:
            value = pieces[index]
            index += 1
        if value:
            found.setdefault(INFO_LABELS[label], value)
    _drop(holder)
    return found


def _info_holder(root: etree._Element) -> etree._Element | None:
    """The smallest element holding 索引号 and one more label of the block: found from the
    element whose own text says 索引号, climbing (not by reading every element's whole text)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        if "索引号" not in _SPACES.sub("", own):
            continue
        holder: etree._Element | None = element
        while holder is not None:
            text = _SPACES.sub("", holder.text_content())
            if any(label in text for label in _SECOND_LABELS):
                return holder
            holder = holder.getparent()
    return None


def _label_of(piece: str) -> tuple[str | None, str]:
    """(label, value after it) when a text piece starts with a known label and a colon."""
    compact = _SPACES.sub("", piece)
    for label in sorted(INFO_LABELS, key=len, reverse=True):
        if compact.startswith(label) and compact[len(label) : len(label) + 1] in ("：", ":"):
            rest = piece.split("：", 1)[-1] if "：" in piece else piece.split(":", 1)[-1]
            return label, rest.strip()
        if compact == label:
            return label, ""
    return None, ""


def _container(root: etree._Element) -> etree._Element | None:
    for xpath in CONTAINERS:
        for element in root.xpath(xpath):
            if len(_SPACES.sub("", element.text_content())) >= 1 or element.xpath(".//a[@href]"):
                return element
    return _densest(root)


def _densest(root: etree._Element) -> etree._Element | None:
    """The element whose own paragraph children hold the most text (a small readability)."""
    best, best_chars = None, 0
    for element in root.iter("div", "td", "article", "section", "body"):
        chars = sum(
            len(_SPACES.sub("", child.text_content()))
            for child in element
            if child.tag in ("p", "div", "span", "font", "br") and len(child.xpath(".//a")) == 0
        )
        chars += len(_SPACES.sub("", element.text or ""))
        if chars > best_chars:
            best, best_chars = element, chars
    return best


def _heading_before(root: etree._Element, container: etree._Element) -> str | None:
    """The last h1/h2 before the container (portals put the article title just above it)."""
    title = None
    for element in root.iter():
        if element is container:
            break
        if element.tag in ("h1", "h2"):
            for line_break in element.iter("br"):  # a break between two Latin words parts them
                line_break.tail = "\n" + (line_break.tail or "")
            text = _SPACES.sub(" ", element.text_content()).strip()
            if text:
                title = text
    return title


def _drop_chrome(container: etree._Element) -> None:
    for element in list(container.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        text = _SPACES.sub("", element.text_content())
        if text and CHROME.match(text):
            _drop(element)
        elif RELATED.match(text) and len(text) < 400:
            # The 相关文章 heading and the list after it.
            following = element.getnext()
            _drop(element)
            if following is not None and following.tag in ("ul", "ol", "div", "table"):
                _drop(following)


def _blocks(container: etree._Element, title: str | None) -> list[Block]:
    """Paragraph, heading and table blocks of the container in reading order."""
    blocks: list[Block] = []
    levels = sorted(
        {int(h.tag[1]) for h in container.iter("h1", "h2", "h3", "h4", "h5", "h6")}
        - ({1} if title else set())
    )
    buffer: list[str] = []

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            blocks.append(Block("paragraph", text))

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            flush()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            text = _SPACES.sub(" ", element.text_content()).strip()
            if text and title and _SPACES.sub("", text) == _SPACES.sub("", title):
                blocks.append(Block("paragraph", text))  # the title: the parser takes it
            elif text:
                level = levels.index(int(tag[1])) + 1 if int(tag[1]) in levels else None
                blocks.append(Block("heading", text, level=level))
        elif tag == "table" and _is_data_table(element):
            flush()
            rows = _table_rows(element)
            if rows:
                blocks.append(Block("table", rows=rows))
        else:
            block = tag in _BLOCK_TAGS
            if block:
                flush()
            if element.text:
                buffer.append(element.text)
            for child in element:
                walk(child)
                if child.tail:
                    buffer.append(child.tail)
            if block:
                flush()

    walk(container)
    flush()
    return blocks


def _is_data_table(table: etree._Element) -> bool:
    """A table of figures, not a layout table wrapping the text (which portals still use)."""
    rows = table.xpath("./tr | ./tbody/tr | ./thead/tr")
    if len(rows) < 2:
        return False
    widths = {len(row.xpath("./td | ./th")) for row in rows}
    if max(widths) < 2:
        return False
    return not any(
        len(_SPACES.sub("", p.text_content())) > 150 for p in table.iter("p", "div", "td")
    )


def _table_rows(table: etree._Element) -> tuple[tuple[str, ...], ...]:
    rows = []
    for row in table.xpath("./tr | ./tbody/tr | ./thead/tr"):
        cells = tuple(
            _SPACES.sub(" ", cell.text_content()).strip() for cell in row.xpath("./td | ./th")
        )
        if any(cells):
            rows.append(cells)
    return tuple(rows)


def _attachments(container: etree._Element) -> list[str]:
    """Names of attached report files linked from the body: the link's file name, and its text
    when that names a file (portals store attachments under generated names)."""
    names: list[str] = []
    for link in container.iter("a"):
        href = urllib.parse.unquote(link.get("href") or "").split("?")[0].split("#")[0]
        base = href.rsplit("/", 1)[-1]
        text = _SPACES.sub(" ", link.text_content()).strip()
        if base.lower().endswith(ATTACHMENT_EXTS):
            names.append(base)
            if text and not text.lower().endswith(ATTACHMENT_EXTS):
                text += base[base.rfind(".") :]
        if text.lower().endswith(ATTACHMENT_EXTS):
            names.append(text)
    return list(dict.fromkeys(names))


def _link_chars(container: etree._Element) -> int:
    return sum(len(_SPACES.sub("", a.text_content())) for a in container.iter("a")) + 4


def _drop(element: etree._Element) -> None:
    """Remove an element but keep its tail text (which belongs to the parent)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
