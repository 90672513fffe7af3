"""Word `.docx` files as blocks: body order, heading levels, auto-numbering, tables, footnotes.

Called by `nianbao.convert.extract.extract_file`. python-docx opens the package and resolves styles;
the body is walked here (paragraphs, tables and content controls, in order) because python-docx,
like every reader tried, drops Word's auto-numbering: the 一、/（一） of an official document
often live in `numbering.xml`, not in the paragraph text, so `Numbering` renders them. Headers,
footers and their page numbers are not part of the body and stay out; footnotes are kept, after
the body, marked `[n]` where they are referenced.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn as _qn
from lxml import etree

from nianbao.convert.extract.blocks import Block, Extracted, ExtractError

# Clark names of Word's tags (`w:p` → `{…/main}p`): computed once, not for every element.
qn = functools.cache(_qn)
# Parts read here directly: no entities expanded, nothing fetched (python-docx's own parser too).
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_HAN = "零一二三四五六七八九"
# Word's number formats written with Han numerals (一、二 … 十一).
_HAN_FORMATS = frozenset(
    [
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "chineseLegalSimplified",
    ]
)
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
# Style names (English as Word stores them, Chinese as WPS may) of headings and titles.
_HEADING_PREFIXES = ("heading ", "标题 ", "标题")
_TITLE_STYLES = {"title", "标题"}


def extract_docx(data: bytes) -> Extracted:
    """Extract a .docx file's blocks, its title (Title style or core properties) included.

    Raises:
        ExtractError: for a package python-docx cannot open (damaged or not Word).
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx fails on a damaged package in many ways, all of them this
        raise ExtractError(
            "Word 文档（.docx）已损坏，无法打开：请用 Word 或 WPS 打开后重新保存"
        ) from None
    numbering = Numbering(_numbering_root(document))
    styles = _Styles(document)
    blocks: list[Block] = []
    carried: dict[str, str] = {}
    body = document.element.body
    for element in _body_elements(body):
        if element.tag == qn("w:tbl"):
            rows = _table_rows(element)
            if rows:
                blocks.append(Block("table", rows=rows))
            continue
        text = paragraph_text(element)
        style = styles.style_of(element)
        num = styles.numbering_of(element, style)
        if num is not None:
            text = numbering.label(*num) + text
        if not text.strip():
            continue
        level = styles.heading_level(element, style)
        if styles.name(style).lower() in _TITLE_STYLES and "title" not in carried:
            carried["title"] = " ".join(text.split())
            blocks.append(Block("paragraph", text))
        elif level is not None:
            blocks.append(Block("heading", text, level=level))
        else:
            blocks.append(Block("paragraph", text))
    blocks.extend(_footnotes(document))
    core_title = (document.core_properties.title or "").strip()
    if core_title and "title" not in carried:
        carried["document_title"] = core_title  # often a template's leftover: shown, not trusted
    if not blocks:
        raise ExtractError("Word 文档中没有正文文字：是否只有图片（扫描件）？请提供文字版")
    return Extracted(blocks=blocks, format="docx", carried=carried)


def paragraph_text(paragraph: etree._Element) -> str:
    """A paragraph's text as shown: runs, tabs, line breaks and footnote marks; deleted revisions
    and field codes left out."""
    parts: list[str] = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"),
                               qn("w:footnoteReference"), qn("w:sym")):  # fmt: skip
        tag = node.tag
        if tag == qn("w:t"):
            parts.append(node.text or "")
        elif tag == qn("w:tab"):
            parts.append(" ")
        elif tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif tag == qn("w:footnoteReference"):
            parts.append(f"[{node.get(qn('w:id'))}]")
    return "".join(parts)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never


@dataclass
class Numbering:
    """Word's list numbering (numbering.xml): renders the label of each numbered paragraph."""

    root: etree._Element | None
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(
        default_factory=dict
    )  # numId → (abs, starts)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # per abstract list
    _started: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.root is None:
            return
        for node in self.root.iter(qn("w:abstractNum")):
            levels = {}
            for lvl in node.iter(qn("w:lvl")):
                level = _Level(
                    start=int(_val(lvl, "w:start") or 1),
                    fmt=_val(lvl, "w:numFmt") or "decimal",
                    text=_val(lvl, "w:lvlText") or "",
                )
                restart = _val(lvl, "w:lvlRestart")
                level.restart = int(restart) if restart is not None else None
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = level
            self.abstract[node.get(qn("w:abstractNumId"), "")] = levels
        for num in self.root.iter(qn("w:num")):
            starts = {
                int(override.get(qn("w:ilvl"), "0")): int(_val(override, "w:startOverride") or 1)
                for override in num.iter(qn("w:lvlOverride"))
                if override.find(qn("w:startOverride")) is not None
            }
            self.nums[num.get(qn("w:numId"), "")] = (_val(num, "w:abstractNumId") or "", starts)

    def label(self, num_id: str, ilvl: int) -> str:
        """The next label of list `num_id` at level `ilvl` (e.g. `（二）`), counting it."""
        if num_id not in self.nums or num_id == "0":
            return ""
        abstract_id, starts = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self._started and starts:
            # A <w:num> with startOverride restarts the list where it is first used.
            self._started.add(num_id)
            for level, start in starts.items():
                counters[level] = start - 1
        self._started.add(num_id)
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper, level in levels.items():
            if deeper > ilvl and (level.restart is None or level.restart != 0):
                counters.pop(deeper, None)
        text = levels[ilvl].text
        for index in range(9, -1, -1):
            marker = f"%{index + 1}"
            if marker in text:
                value = counters.get(index, levels.get(index, _Level()).start)
                text = text.replace(marker, format_number(value, levels.get(index, _Level()).fmt))
        return "" if levels[ilvl].fmt == "none" else text


def format_number(value: int, fmt: str) -> str:
    """A list number in one of Word's number formats (`chineseCounting` 12 → 十二)."""
    if fmt in _HAN_FORMATS:
        return chinese_numeral(value)
    if fmt == "ideographTraditional":
        return _TIANGAN[(value - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(value - 1) % 12]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[value - 1] if 1 <= value <= len(_CIRCLED) else str(value)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


def chinese_numeral(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if value < 10:
        return _HAN[value]
    if value < 20:
        return "十" + (_HAN[value % 10] if value % 10 else "")
    if value < 100:
        return _HAN[value // 10] + "十" + (_HAN[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        if rest == 0:
            tail = ""
        elif rest < 10:
            tail = "零" + _HAN[rest]
        else:  # 一百一十二, not 一百十二
            tail = ("一" if rest < 20 else "") + chinese_numeral(rest)
        return _HAN[value // 100] + "百" + tail
    return str(value)


def _roman(value: int) -> str:
    out = []
    for number, letters in _ROMAN:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


class _Styles:
    """Paragraph styles: their names, heading levels and numbering, following `basedOn`."""

    def __init__(self, document: docx.document.Document) -> None:
        self.by_id: dict[str, etree._Element] = {}
        styles_element = document.styles.element
        for style in styles_element.iter(qn("w:style")):
            self.by_id[style.get(qn("w:styleId"), "")] = style
        default = [
            s.get(qn("w:styleId"), "")
            for s in self.by_id.values()
            if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
        ]
        self.default = default[0] if default else ""

    def style_of(self, paragraph: etree._Element) -> str:
        """The paragraph's style id ("" when none)."""
        node = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return node.get(qn("w:val"), "") if node is not None else self.default

    def name(self, style_id: str) -> str:
        style = self.by_id.get(style_id)
        return (_val(style, "w:name") or style_id) if style is not None else style_id

    def _chain(self, style_id: str) -> list[etree._Element]:
        chain: list[etree._Element] = []
        while style_id in self.by_id and len(chain) < 10:
            style = self.by_id[style_id]
            chain.append(style)
            style_id = _val(style, "w:basedOn") or ""
        return chain

    def heading_level(self, paragraph: etree._Element, style_id: str) -> int | None:
        """1 for Heading 1 (or outline level 0), …; None for body text."""
        outline = paragraph.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is None:
            for style in self._chain(style_id):
                outline = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
                if outline is not None:
                    break
        if outline is not None:
            level = int(outline.get(qn("w:val"), "9"))
            return level + 1 if level < 9 else None
        for style in self._chain(style_id):
            name = (_val(style, "w:name") or "").lower()
            for prefix in _HEADING_PREFIXES:
                if name.startswith(prefix) and name[len(prefix) :].strip().isdigit():
                    return int(name[len(prefix) :].strip())
        return None

    def numbering_of(self, paragraph: etree._Element, style_id: str) -> tuple[str, int] | None:
        """(numId, ilvl) of a numbered paragraph, from its own properties or its style's."""
        num_pr = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        chain = self._chain(style_id)
        for style in chain:
            if num_pr is not None:
                break
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            return None
        num_id = _val(num_pr, "w:numId")
        ilvl = _val(num_pr, "w:ilvl")
        if num_id is None:
            return None
        return num_id, int(ilvl or 0)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"_Styles({len(self.by_id)} styles)"


def _body_elements(body: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables of the body in order, content controls (w:sdt) opened."""
    out: list[etree._Element] = []
    for child in body:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            out.append(child)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                out.extend(_body_elements(content))
    return out


def _table_rows(table: etree._Element) -> tuple[tuple[str, ...], ...]:
    rows = []
    for row in table.iter(qn("w:tr")):
        if row.getparent() is not table:
            continue  # a nested table's rows belong to its cell
        cells = tuple(
            # No empty lines in a cell: the page writes each table row on one line.
            "\n".join(t for p in cell.iter(qn("w:p")) if (t := paragraph_text(p).strip()))
            for cell in row.iter(qn("w:tc"))
            if cell.getparent() is row
        )
        if any(cells):
            rows.append(cells)
    return tuple(rows)


def _footnotes(document: docx.document.Document) -> list[Block]:
    """The document's footnotes as paragraphs `[n] text`, after the body."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/footnotes.xml":
            root = etree.fromstring(part.blob, _SAFE_XML)
            notes = []
            for note in root.iter(qn("w:footnote")):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                    continue
                text = "".join(paragraph_text(p) for p in note.iter(qn("w:p"))).strip()
                if text:
                    notes.append(Block("paragraph", f"[{note.get(qn('w:id'))}] {text}"))
            return notes
    return []


def _numbering_root(document: docx.document.Document) -> etree._Element | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _val(element: etree._Element | None, child: str) -> str | None:
    if element is None:
        return None
    node = element.find(qn(child))
    return node.get(qn("w:val")) if node is not None else None
