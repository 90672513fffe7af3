"""Rendering a parsed report and its metadata as a Markdown page with YAML front matter (pure)."""

from __future__ import annotations

import yaml

from nianbao.outline import EnumList, Heading, Paragraph
from nianbao.redact import render_inline
from nianbao.report import Report
from nianbao.schema import ReportMeta

# libyaml's emitter when PyYAML has it (its wheels do): the pure-Python one is 20× slower.
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
            parts.append(render_inline(block.text))
        elif isinstance(block, EnumList):
            parts.append("\n".join(f"- {render_inline(item)}" for item in block.items))
    return "\n\n".join(parts) + "\n"
