"""HTML of the year-over-year links on report pages (rendered by nianbao.build.links).

The organisation thread goes under the metadata block; “往年同题 / 次年同题” and plan links go
under their section's heading; every block has the class `nb-thread`, which search leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

from nianbao.schema import ReportMeta
from nianbao.site.threads import TOPIC_SECTIONS_SHOWN, Plan, PlanItem, SectionRef, Thread
from nianbao.site.urls import relative_url

_META_END = re.compile(r'(<div class="nb-meta">.*?</div>)', re.S)


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


class ThreadRenderer:
    """Renders links from one page, given every report's front matter and URL."""

    def __init__(self, metas: Mapping[str, ReportMeta], urls: Mapping[str, str], page_url: str):
        self.metas = metas
        self.urls = urls
        self.page_url = page_url

    def href(self, slug: str, anchor: str = "") -> str:
        if self.urls[slug] == self.page_url and anchor:
            return f"#{anchor}"
        url = relative_url(self.urls[slug], self.page_url)
        return f"{url}#{anchor}" if anchor else url

    def report_label(self, slug: str) -> str:
        meta = self.metas[slug]
        return f"{meta.year}年 · {meta.title}"

    def section_link(self, ref: SectionRef) -> str:
        meta = self.metas[ref.slug]
        text = f"{meta.year}年 · {ref.heading}"
        return _link(self.href(ref.slug, ref.anchor), text)

    def org_block(self, thread: Thread, redacted_copy: bool = False) -> str:
        rows = []
        if redacted_copy:
            rows.append(("逐年对照", "本篇是隐去信息的版本，不与其他报告对照。"))
        if thread.previous:
            rows.append(
                ("上一年度", _link(self.href(thread.previous), self.report_label(thread.previous)))
            )
        if thread.next:
            rows.append(("下一年度", _link(self.href(thread.next), self.report_label(thread.next))))
        if thread.same_year:
            links = "、".join(
                _link(self.href(s), f"{self.metas[s].title}（{self.metas[s].type}）")
                for s in thread.same_year
            )
            rows.append(("同年其他报告", links))
        for plan in thread.planned_by:
            rows.append(
                (
                    "上年计划",
                    _link(
                        self.href(plan.slug, plan.section.anchor),
                        f"{self.report_label(plan.slug)} — {plan.section.heading}",
                    ),
                )
            )
        if not rows:
            rows.append(("逐年对照", "本机构在档案中只有这一篇报告。"))
        body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
        return f'<div class="nb-thread nb-thread--org"><table>{body}</table></div>'

    def pager(self, thread: Thread) -> str:
        """上一篇 / 下一篇 at the foot of a report page: the organisation's previous and next
        year, as portals link a document to its neighbours."""
        links = []
        if thread.previous:
            label = escape(self.report_label(thread.previous))
            links.append(
                f'<a class="nb-pager__prev" href="{escape(self.href(thread.previous))}" '
                f'rel="prev"><span>上一篇</span>{label}</a>'
            )
        if thread.next:
            label = escape(self.report_label(thread.next))
            links.append(
                f'<a class="nb-pager__next" href="{escape(self.href(thread.next))}" '
                f'rel="next"><span>下一篇</span>{label}</a>'
            )
        if not links:
            return ""
        return (
            '<nav class="nb-thread nb-pager" aria-label="本机构的上一篇、下一篇">'
            f"{''.join(links)}</nav>"
        )

    def section_notes(self, thread: Thread) -> dict[str, str]:
        """HTML to put under each section heading, by anchor."""
        notes: dict[str, list[str]] = {}
        for anchor, ref in thread.earlier_topic.items():
            notes.setdefault(anchor, []).append(f"往年同题：{self.section_link(ref)}")
        for anchor, ref in thread.later_topic.items():
            notes.setdefault(anchor, []).append(f"次年同题：{self.section_link(ref)}")
        for plan in thread.plans:
            notes.setdefault(plan.section.anchor, []).append(self._plan_note(plan))
            for item in plan.items:
                # A plan without numbered items is its own item: its note joins the plan's.
                note = self._item_note(item, plan)
                if note:
                    notes.setdefault(item.source.anchor, []).append(note)
        for plan in thread.planned_by:
            for item in plan.items:
                for ref in item.related:
                    notes.setdefault(ref.anchor, []).append(
                        f"上年计划中的相关条目：{self.section_link(item.source)}"
                    )
        return {
            anchor: '<p class="nb-thread nb-thread--section">' + "<br>".join(lines) + "</p>"
            for anchor, lines in notes.items()
        }

    def _plan_note(self, plan: Plan) -> str:
        if plan.target_slug is None:
            return (
                f"计划年度：{plan.plan_year}年。档案中没有本机构{plan.plan_year}年的报告，"
                "各项下不列次年报告相关内容。"
            )
        target = _link(self.href(plan.target_slug), self.report_label(plan.target_slug))
        return (
            f"计划年度：{plan.plan_year}年。次年报告：{target}；各项下列出其中文字相近的段落"
            "（按相近程度排列，由文本检索得出，不是对落实情况的评价）。"
        )

    def _item_note(self, item: PlanItem, plan: Plan) -> str | None:
        """The planned year's related sections, most alike first, as links (no score: a
        likeness of wording is not a verdict); nothing when there is no such report."""
        if plan.target_slug is None:
            return None
        if not item.related:
            return "次年报告中未检索到相近段落"
        return "次年报告相关内容：" + "、".join(self.section_link(ref) for ref in item.related)


def topic_sections_html(refs: Sequence[SectionRef], renderer: ThreadRenderer) -> str:
    """A topic page's list of the sections about it, across all reports and years."""
    if not refs:
        return ""
    shown = refs[:TOPIC_SECTIONS_SHOWN]
    items = "".join(
        f"<li>{renderer.section_link(ref)}（{escape(renderer.metas[ref.slug].title)}）</li>"
        for ref in shown
    )
    more = f"（共 {len(refs):,} 节，列出最近 {len(shown):,} 节）" if len(shown) < len(refs) else ""
    return (
        '<div class="nb-thread"><h2 id="nb-topic-sections">讨论该主题的章节</h2>'
        f"<p>各年度报告中讨论该主题的章节，新的在前{more}。</p><ul>{items}</ul></div>"
    )


def insert_after_meta(content: str, block: str) -> str:
    """Put a block after the page's metadata block (or at the top when there is none)."""
    match = _META_END.search(content)
    if not match:
        return block + content
    return content[: match.end()] + block + content[match.end() :]


def insert_after_headings(content: str, notes: Mapping[str, str]) -> str:
    """Put each note right after the heading with that anchor."""

    def add(match: re.Match[str]) -> str:
        note = notes.get(match.group(2))
        return match.group(0) + note if note else match.group(0)

    return re.sub(r'<h([1-6]) id="([^"]+)"[^>]*>.*?</h\1>', add, content, flags=re.S)
