"""The metadata block and variant note shown at the top of a report page (pure Markdown).

Called by the `report_page` hook; links are relative docs paths that MkDocs resolves.
"""

from __future__ import annotations

from collections.abc import Mapping

from nianbao.archive import link, org_uri, report_uri, topic_uri, type_uri, year_uri
from nianbao.pipeline import SOURCES_DIR
from nianbao.redact import escape_markdown, render_inline
from nianbao.schema import CATALOG, ReportMeta

BLOCK_CLASS = "nb-meta"


def metadata_block(meta: ReportMeta, titles: Mapping[str, str]) -> str:
    """Markdown of the metadata block and any variant note for a report page.

    Args:
        meta: the page's front matter.
        titles: title of every other report that the block links to, by slug.
    """
    here = report_uri(meta)
    source_link = f"{SOURCES_DIR}/{meta.slug}.txt"
    rows = [
        ("机构", f"[{render_inline(meta.org)}]({link(here, org_uri(meta.org_id))})"),
        ("地区", escape_markdown(meta.region) if meta.region else "（正文未写明）"),
        ("年度", f"[{meta.year}年]({link(here, year_uri(meta.year))})" + _plan(meta)),
        ("类型", f"[{meta.type}]({link(here, type_uri(meta.type))})"),
        (
            "来源文件",
            f"[{escape_markdown(meta.source)}]({source_link}){{: download }}"
            f"（{escape_markdown(meta.encoding)}）<br>"
            f'<span class="nb-sha">SHA-256 <code>{meta.source_sha256}</code></span>',
        ),
        (
            "字数",
            f"{meta.chars:,} 字" + (f"，隐去 {meta.redactions:,} 处" if meta.redactions else ""),
        ),
        ("标签", _tags(meta) or "（无）"),
    ]
    catalogued = sorted(k for k, v in meta.provenance.items() if v == CATALOG)
    if catalogued:
        rows.append(("编目", "以下字段由目录文件设定：" + "、".join(catalogued)))
    lines = [f'<div class="{BLOCK_CLASS}" markdown>', "", "| 项目 | 内容 |", "| --- | --- |"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    lines += ["", "</div>", ""]
    lines += _variant_note(meta, titles)
    return "\n".join(lines)


def _tags(meta: ReportMeta) -> str:
    here = report_uri(meta)
    tags = dict.fromkeys(meta.tags)
    return "、".join(f"[{escape_markdown(tag)}]({link(here, topic_uri(tag))})" for tag in tags)


def _plan(meta: ReportMeta) -> str:
    return f"（含 {meta.plan_year}年工作思路）" if meta.plan_year else ""


def _variant_note(meta: ReportMeta, titles: Mapping[str, str]) -> list[str]:
    here = report_uri(meta)
    if meta.variant_of:
        original = titles.get(meta.variant_of, meta.variant_of)
        target = link(here, f"reports/{meta.variant_of}.md")
        return [
            '!!! info "隐去信息的版本"',
            "",
            f"    本篇是[{render_inline(original)}]({target})的隐去版本："
            "两篇内容相同，本篇把机构名、地名等以 XX 等记号隐去。",
            "",
        ]
    if meta.variants:
        links = "、".join(
            f"[{render_inline(titles.get(s, s))}]({link(here, f'reports/{s}.md')})"
            for s in meta.variants
        )
        return [
            '!!! info "另有隐去信息的版本"',
            "",
            f"    本篇另有隐去机构名、地名等信息的版本：{links}。",
            "",
        ]
    return []
