"""The metadata block and variant note shown at the top of a report page, as HTML.

nianbao.build.report_pages puts them under the page's title once its Markdown is rendered, as the
listing pages' tables are (nianbao.site.listings): written as Markdown (a table in an HTML block, a
dozen links), the block took about a third of the time Python-Markdown spent on a report page.
Links are relative URLs between the site's pages, written as the listings write theirs (Han
characters as they are, not percent-encoded as MkDocs writes its links: browsers encode them).
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Mapping

from nianbao.convert.pipeline import SOURCES_DIR
from nianbao.redact import REDACTION, render_html
from nianbao.schema import CATALOG, ReportMeta
from nianbao.site.listings import (
    ORGS_DIR,
    REPORTS_DIR,
    YEARS_DIR,
    org_uri,
    report_uri,
    topic_uri,
    type_uri,
    year_uri,
)
from nianbao.site.urls import file_link, page_link

BLOCK_CLASS = "nb-meta"
_PAIR_FIELDS = frozenset({"variant_of", "variants"})
_ORG_FIELDS = frozenset({"org", "org_id", "region", "publisher"})
PATH_CLASS = "nb-path"  # breadcrumbs (search leaves them out: nianbao.site.sections)
# Front-matter fields as a reader names them, for the record of where each came from.
_FIELD_LABELS = {
    "title": "标题",
    "org": "机构",
    "org_id": "机构键",
    "region": "地区",
    "year": "年度",
    "plan_year": "工作思路年份",
    "type": "类型",
    "tags": "标签",
    "published": "发布日期",
    "index_no": "索引号",
    "doc_no": "文号",
    "publisher": "发布机构",
}


def metadata_block(meta: ReportMeta, titles: Mapping[str, str], directory_urls: bool = True) -> str:
    """HTML of the metadata block and any variant note for a report page.

    What a reader looks for comes first, as a portal shows it (机构, 日期, 索引号, 文号 …); the
    technical record (encoding, SHA-256, organisation key, where each field came from) is folded
    into a `详细信息` disclosure below it. Labels are row headers (`<th scope="row">`).

    Args:
        meta: the page's front matter.
        titles: title of every other report that the block links to, by slug.
        directory_urls: MkDocs' `use_directory_urls` (how pages link to one another).
    """
    to = _Links(report_uri(meta), directory_urls)
    block = (
        f'<div class="{BLOCK_CLASS}">{_table(_reader_rows(meta, to))}'
        f'<details class="nb-meta__details"><summary>详细信息</summary>'
        f"{_table(_record_rows(meta))}</details></div>\n"
    )
    return block + _variant_note(meta, titles, to)


def breadcrumbs(meta: ReportMeta, directory_urls: bool = True) -> str:
    """Where a report sits, as a portal's 当前位置: 年报库, 按机构, its organisation, its year."""
    to = _Links(report_uri(meta), directory_urls)
    if meta.variant_of:
        # A redacted copy is not tied to its (inferred) organisation: it sits under its year.
        steps = [
            to("index.md", "年报库"),
            to(f"{YEARS_DIR}/index.md", "按年度"),
            to(year_uri(meta.year), f"{meta.year}年"),
        ]
    else:
        steps = [
            to("index.md", "年报库"),
            to(f"{ORGS_DIR}/index.md", "按机构"),
            to(org_uri(meta.org_id), render_html(meta.org)),
            f'<span aria-current="page">{meta.year}年</span>',
        ]
    items = "".join(f"<li>{step}</li>" for step in steps)
    return f'<nav class="{PATH_CLASS}" aria-label="位置"><ol>{items}</ol></nav>\n'


def _reader_rows(meta: ReportMeta, to: _Links) -> list[tuple[str, str]]:
    rows = [
        # A redacted copy's organisation was inferred from its original: not linked.
        (
            "机构",
            render_html(meta.org)
            if meta.variant_of
            else to(org_uri(meta.org_id), render_html(meta.org)),
        ),
        ("地区", _region(meta)),
        ("年度", to(year_uri(meta.year), f"{meta.year}年") + _plan(meta)),
        ("类型", to(type_uri(meta.type), _text(meta.type))),
        # Shown only when known: the block never guesses a date or a number a reader may cite.
        *_publication_rows(meta),
        (
            "字数",
            f"{meta.chars:,} 字" + (f"，隐去 {meta.redactions:,} 处" if meta.redactions else ""),
        ),
        (
            "标签",
            "、".join(to(topic_uri(tag), _text(tag)) for tag in dict.fromkeys(meta.tags))
            or "（无）",
        ),
    ]
    source_file = f"{REPORTS_DIR}/{SOURCES_DIR}/{meta.slug}.txt"
    source = html.escape(file_link(to.here, source_file, directory_urls=to.directory_urls))
    # 下载原文: each original under its own name and format (its checksums are in the record).
    text_source = f'<a download href="{source}">{_text(meta.source)}</a>'
    rows.append(("原文", _originals(meta, to) if meta.originals else text_source))
    return rows


def _record_rows(meta: ReportMeta) -> list[tuple[str, str]]:
    """The technical record: for checking a copy and for maintainers, not for reading."""
    rows = [
        ("读取编码", _text(meta.encoding)),
        ("SHA-256", f'<code class="nb-sha">{_text(meta.source_sha256)}</code>'),
        *(
            (f"SHA-256（{_text(name)}）", f'<code class="nb-sha">{_text(sha)}</code>')
            for name, sha in meta.originals.items()
            if name != meta.source.rsplit("/", 1)[-1]
        ),
    ]
    # A redacted copy's organisation key and its reasons come from its original: the record
    # of a copy leaves them out, as its block leaves the organisation unlinked.
    withheld = _PAIR_FIELDS | (_ORG_FIELDS if meta.variant_of else frozenset())
    if not meta.variant_of:
        rows.append(("机构键", f"<code>{_text(meta.org_id)}</code>"))
    for key, how in sorted(meta.provenance.items()):
        # Which report is whose redacted copy is told (or, on a copy, withheld) by the
        # variant note alone: the record does not name the other report.
        if key in withheld:
            continue
        if how == CATALOG:
            told = "目录文件设定"
        else:
            # An organisation's reasons may cite other reports (grouped by shared names),
            # which a public build may leave out: only the report's own evidence is quoted.
            reason = "" if key in _ORG_FIELDS else how.partition(":")[2].strip()
            told = "据正文推断" + (f"：{_text(reason)}" if reason else "")
        rows.append((f"来历：{_text(_FIELD_LABELS.get(key, key))}", told))
    return rows


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows
    )
    return f"<table><tbody>{cells}</tbody></table>"


# How the metadata block names each input format.
FORMAT_LABELS = {
    "txt": "纯文本",
    "html": "网页",
    "docx": "Word 文档",
    "doc": "Word 97–2003 文档",
    "wps": "WPS 文字文档",
    "rtf": "RTF 文档",
    "pdf": "PDF",
    "ofd": "OFD 版式文件",
    "image": "图片",
}


def _originals(meta: ReportMeta, to: _Links) -> str:
    """Each original file published beside the page, under its own name: a download link, its
    format (and page count: of the converted file); and where the text comes from. (Their
    SHA-256 are in the folded record.)"""
    lines = []
    for name in meta.originals:
        path = f"{REPORTS_DIR}/{SOURCES_DIR}/{meta.slug}/{urllib.parse.quote(name)}"
        href = html.escape(file_link(to.here, path, to.directory_urls))
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        label = FORMAT_LABELS.get(suffix, suffix.upper() or "文件")
        if name == meta.source.rsplit("/", 1)[-1]:
            label = FORMAT_LABELS.get(meta.format, meta.format)
            if meta.pages:
                label += f"，{meta.pages} 页"
        lines.append(f'<a download href="{href}">{_text(name)}</a>（{_text(label)}）')
    if meta.text_source == "ocr":
        engine = f"（{_text(meta.ocr_engine)}" if meta.ocr_engine else "（"
        confidence = (
            f"，平均置信度 {meta.ocr_confidence:.0%}）" if meta.ocr_confidence is not None else "）"
        )
        lines.append(f'<span class="nb-ocr">正文由文字识别（OCR）得出{engine}{confidence}</span>')
    return "<br>".join(lines)


class _Links:
    """Links from one report page to others, as HTML."""

    def __init__(self, here: str, directory_urls: bool) -> None:
        self.here = here
        self.directory_urls = directory_urls

    def __call__(self, uri: str, text: str) -> str:
        """An <a> to the page at docs path `uri`, showing `text` (HTML)."""
        href = html.escape(page_link(self.here, uri, self.directory_urls))
        return f'<a href="{href}">{text}</a>'


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _region(meta: ReportMeta) -> str:
    """The region, which comes only from the organisation's name (nianbao.convert.org_name)."""
    if meta.region:
        return _text(meta.region)
    if REDACTION.search(meta.org):
        return "（机构名已隐去，不推断）"
    return "（机构名未含地名）"


def _publication_rows(meta: ReportMeta) -> list[tuple[str, str]]:
    """发布日期, 索引号, 文号 and 发布机构 as the portal or the text gives them, when it does."""
    fields = (
        ("发布日期", meta.published),
        ("发布机构", meta.publisher),
        ("索引号", meta.index_no),
        ("文号", meta.doc_no),
    )
    return [(label, _text(value)) for label, value in fields if value]


def _plan(meta: ReportMeta) -> str:
    return f"（含 {meta.plan_year}年工作思路）" if meta.plan_year else ""


def _variant_note(meta: ReportMeta, titles: Mapping[str, str], to: _Links) -> str:
    if meta.variant_of:
        # Neither a link to the original nor its title: either would undo the redaction.
        return _note(
            "隐去信息的版本",
            "本篇是一篇报告的隐去版本：作者把机构名、地名等以 XX 等记号隐去。"
            "本页不链接、不显示未隐去的原文。",
        )
    if meta.variants:
        links = "、".join(
            to(f"{REPORTS_DIR}/{slug}.md", render_html(titles.get(slug, slug)))
            for slug in meta.variants
        )
        return _note("另有隐去信息的版本", f"本篇另有隐去机构名、地名等信息的版本：{links}。")
    return ""


def _note(title: str, text: str) -> str:
    """An admonition, as Python-Markdown writes `!!! info "title"`."""
    return (
        f'<div class="admonition info">\n<p class="admonition-title">{title}</p>\n'
        f"<p>{text}</p>\n</div>\n"
    )
