"""The metadata block and variant note shown at the top of a report page, as HTML.

The `report_page` hook puts them under the page's title once its Markdown is rendered, as the
listing pages' tables are (nianbao.archive): written as Markdown (a table in an HTML block, a
dozen links), the block took about a third of the time Python-Markdown spent on a report page.
Links are relative URLs between the site's pages, written as the listings write theirs (Han
characters as they are, not percent-encoded as MkDocs writes its links: browsers encode them).
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Mapping

from nianbao.archive import (
    REPORTS_DIR,
    file_link,
    org_uri,
    report_uri,
    topic_uri,
    type_uri,
    url_link,
    year_uri,
)
from nianbao.pipeline import SOURCES_DIR
from nianbao.redact import REDACTION, render_html
from nianbao.schema import CATALOG, ReportMeta

BLOCK_CLASS = "nb-meta"


def metadata_block(meta: ReportMeta, titles: Mapping[str, str], directory_urls: bool = True) -> str:
    """HTML of the metadata block and any variant note for a report page.

    Args:
        meta: the page's front matter.
        titles: title of every other report that the block links to, by slug.
        directory_urls: MkDocs' `use_directory_urls` (how pages link to one another).
    """
    to = _Links(report_uri(meta), directory_urls)
    source_file = f"{REPORTS_DIR}/{SOURCES_DIR}/{meta.slug}.txt"
    source = html.escape(file_link(to.here, source_file, directory_urls))
    tags = [to(topic_uri(tag), _text(tag)) for tag in dict.fromkeys(meta.tags)]
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
        ("来源文件", _originals(meta, to) if meta.originals else _text_source(meta, source)),
        (
            "字数",
            f"{meta.chars:,} 字" + (f"，隐去 {meta.redactions:,} 处" if meta.redactions else ""),
        ),
        ("标签", "、".join(tags) or "（无）"),
        *_publication_rows(meta),
    ]
    catalogued = sorted(k for k, v in meta.provenance.items() if v == CATALOG)
    if catalogued:
        rows.append(("编目", "以下字段由目录文件设定：" + "、".join(map(_text, catalogued))))
    cells = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in rows)
    block = (
        f'<div class="{BLOCK_CLASS}"><table><thead><tr><th>项目</th><th>内容</th></tr></thead>'
        f"<tbody>{cells}</tbody></table></div>\n"
    )
    return block + _variant_note(meta, titles, to)


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


def _text_source(meta: ReportMeta, source: str) -> str:
    """A text report's source: its copy under sources/, the encoding it was read with."""
    return (
        f'<a download href="{source}">{_text(meta.source)}</a>（{_text(meta.encoding)}）<br>'
        f'<span class="nb-sha">SHA-256 <code>{_text(meta.source_sha256)}</code></span>'
    )


def _originals(meta: ReportMeta, to: _Links) -> str:
    """Each original file published beside the page, under its own name: a download link, its
    format (and page count: of the converted file), its SHA-256; and where the text comes from."""
    lines = []
    for name, sha in meta.originals.items():
        path = f"{REPORTS_DIR}/{SOURCES_DIR}/{meta.slug}/{urllib.parse.quote(name)}"
        href = html.escape(file_link(to.here, path, to.directory_urls))
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        label = FORMAT_LABELS.get(suffix, suffix.upper() or "文件")
        if name == meta.source.rsplit("/", 1)[-1]:
            label = FORMAT_LABELS.get(meta.format, meta.format)
            if meta.pages:
                label += f"，{meta.pages} 页"
        lines.append(
            f'<a download href="{href}">{_text(name)}</a>（{_text(label)}）<br>'
            f'<span class="nb-sha">SHA-256 <code>{_text(sha)}</code></span>'
        )
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
        href = html.escape(url_link(self.here, uri, self.directory_urls))
        return f'<a href="{href}">{text}</a>'


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _region(meta: ReportMeta) -> str:
    """The region, which comes only from the organisation's name (nianbao.org_name)."""
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
