"""Rendering a parsed report and its metadata as a Markdown page with YAML front matter (pure).

Headings are Markdown (the toc extension gives them their anchors). A paragraph or list is
Markdown too, unless it holds redaction marks: each mark is an HTML span (nianbao.redact), and
Python-Markdown processes inline HTML slowly (a redacted report has many spans), so such a
block is written as an HTML block, which Markdown passes through as written. Both give the
same `<p>` or `<ul>` in the page, every character of the text escaped.
"""

from __future__ import annotations

import yaml

from nianbao.convert.outline import EnumList, Heading, Paragraph, Table
from nianbao.convert.report import Report
from nianbao.redact import REDACTION, render_html, render_inline
from nianbao.schema import ReportMeta

# libyaml's emitter when PyYAML has it (its wheels do): the pure-Python one is far slower.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render_front_matter(meta: ReportMeta) -> str:
    """Return the YAML front matter block, `---` lines included."""
    dumped = yaml.dump(
        meta.to_front_matter(),
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    return f"---\n{dumped}---\n"


def render_markdown(meta: ReportMeta, report: Report) -> str:
    """Return the whole page: front matter, `# title`, then the outline as Markdown."""
    parts = [render_front_matter(meta), f"# {render_inline(meta.title)}"]
    for block in report.outline.blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {render_inline(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block.text))
        elif isinstance(block, EnumList):
            parts.append(_list(block.items))
        elif isinstance(block, Table):
            parts.append(_table(block.rows))
    return "\n\n".join(parts) + "\n"


def _paragraph(text: str) -> str:
    if REDACTION.search(text):
        return f"<p>{render_html(text)}</p>"
    return render_inline(text)


def _list(items: tuple[str, ...]) -> str:
    if any(REDACTION.search(item) for item in items):
        lines = [f"<li>{render_html(item)}</li>" for item in items]
        return "\n".join(["<ul>", *lines, "</ul>"])
    return "\n".join(f"- {render_inline(item)}" for item in items)


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    """A table as an HTML block (one line a row), every cell escaped like a paragraph's text;
    short rows padded so that the columns line up."""
    width = max(len(row) for row in rows)
    lines = ["<table>"]
    for row in rows:
        cells = (*row, *([""] * (width - len(row))))
        lines.append("<tr>" + "".join(f"<td>{render_html(cell)}</td>" for cell in cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)
