"""Year-over-year links between one organisation's reports: the organisation thread (previous /
next / same-year reports), plan → result (a plan item to the later report's section that covers
it) and topic threads (a section to the most similar section of the previous / next report).

Pure functions over the report pages (nianbao.site.pages); nianbao.build.links renders them.
Only reports with one `org_id` are ever linked; a redacted copy (`variant_of`) is never a
target, since its original says the same, and links to none: its organisation was inferred from
the original, so a link to any of the organisation's reports would undo the redaction.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nianbao.schema import ReportMeta
from nianbao.site.sections import Section
from nianbao.site.similarity import Similarity
from nianbao.vocabulary import MIN_TOPIC_HITS, TOPICS

if TYPE_CHECKING:  # nianbao.site.pages builds its topics with this module
    from nianbao.site.pages import ReportPage

# A section that plans later work (工作思路, 下一步工作打算, 2024年工作计划 …).
PLAN_HEADING = re.compile(r"工作思路|工作打算|工作计划|工作安排|下一步|下步|今后|明年|重点任务")
PLAN_THRESHOLD = 0.2  # below this a later section is not listed as related to a plan item
PLAN_RELATED_SHOWN = 3  # later sections listed under a plan item, most alike first
TOPIC_THRESHOLD = 0.25  # below this a section has no "same topic" in the other year


@dataclass(frozen=True)
class SectionRef:
    """A section of a report, as a link target."""

    slug: str
    anchor: str
    heading: str
    score: float = 0.0


@dataclass
class PlanItem:
    """A numbered item of a plan section and the planned year's sections whose text is most
    like it, most alike first (none when no section is alike enough). Text likeness only: it
    says where to read on, never whether the plan was carried out."""

    source: SectionRef
    related: list[SectionRef] = field(default_factory=list)

    @property
    def target(self) -> SectionRef | None:
        """The most alike later section, if any."""
        return self.related[0] if self.related else None


@dataclass
class Plan:
    """A report's plan section and the organisation's report of the planned year."""

    slug: str
    section: SectionRef
    plan_year: int
    target_slug: str | None
    items: list[PlanItem] = field(default_factory=list)


@dataclass
class Thread:
    """Everything linked from and to one report."""

    previous: str | None = None
    next: str | None = None
    same_year: list[str] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)  # plans made in this report
    planned_by: list[Plan] = field(default_factory=list)  # earlier plans for this report's year
    earlier_topic: dict[str, SectionRef] = field(default_factory=dict)  # anchor → section
    later_topic: dict[str, SectionRef] = field(default_factory=dict)


def build_threads(reports: Sequence[ReportPage]) -> dict[str, Thread]:
    """Link every report to its organisation's other reports: {slug: Thread}."""
    threads = {r.meta.slug: Thread() for r in reports}
    by_org: dict[str, list[ReportPage]] = defaultdict(list)
    for report in reports:
        by_org[report.meta.org_id].append(report)
    for members in by_org.values():
        members.sort(key=lambda r: (r.meta.year, r.meta.slug))
        _link_org(members, threads)
    return threads


def _link_org(members: list[ReportPage], threads: dict[str, Thread]) -> None:
    originals = [r for r in members if not r.meta.variant_of]
    for report in members:
        thread = threads[report.meta.slug]
        if report.meta.variant_of:
            continue
        year = report.meta.year
        thread.same_year = [r.meta.slug for r in members if r.meta.year == year and r is not report]
        thread.previous = _nearest(report, [r for r in originals if r.meta.year < year], max)
        thread.next = _nearest(report, [r for r in originals if r.meta.year > year], min)
    if len(originals) < 2:
        return
    texts, index, refs = _section_texts(originals)
    similarity = Similarity(texts)
    by_slug = {r.meta.slug: r for r in originals}
    for report in originals:
        thread = threads[report.meta.slug]
        for other_slug, store in (
            (thread.previous, thread.earlier_topic),
            (thread.next, thread.later_topic),
        ):
            if other_slug is None:
                continue
            candidates = [
                index[(other_slug, s.anchor)] for s in _topic_sections(by_slug[other_slug])
            ]
            for section in _topic_sections(report):
                best, score = similarity.best(index[(report.meta.slug, section.anchor)], candidates)
                if best is not None and score >= TOPIC_THRESHOLD:
                    store[section.anchor] = _scored(refs[best], score)
        for plan in _plans(report, by_slug, similarity, index, refs):
            thread.plans.append(plan)
            if plan.target_slug:
                threads[plan.target_slug].planned_by.append(plan)


def _nearest(report: ReportPage, candidates: list[ReportPage], pick: object) -> str | None:
    """The candidate of the nearest year; of that year, the same type first."""
    if not candidates:
        return None
    year = pick(r.meta.year for r in candidates)  # type: ignore[operator]
    of_year = [r for r in candidates if r.meta.year == year]
    of_year.sort(key=lambda r: (r.meta.type != report.meta.type, r.meta.slug))
    return of_year[0].meta.slug


def _is_plan(section: Section) -> bool:
    return section.level == 2 and bool(PLAN_HEADING.search(section.heading))


def _topic_sections(report: ReportPage) -> list[Section]:
    """Sections that carry a topic: h2/h3 with text, outside plan sections."""
    chosen: list[Section] = []
    in_plan = False
    for section in report.sections:
        if section.level == 2:
            in_plan = _is_plan(section)
        if section.level >= 2 and not in_plan:
            chosen.append(section)
    return chosen


def _children(sections: Sequence[Section], number: int) -> list[Section]:
    """The h3 sections under the h2 at `number` (empty for any other section)."""
    if sections[number].level != 2:
        return []
    children: list[Section] = []
    for child in sections[number + 1 :]:
        if child.level <= 2:
            break
        children.append(child)
    return children


def _section_texts(
    reports: list[ReportPage],
) -> tuple[list[str], dict[tuple[str, str], int], list[SectionRef]]:
    """Text of every section for similarity (heading, own text and, for h2, its h3s' text),
    the number of each (slug, anchor) among them, and each number's section as a link target."""
    texts: list[str] = []
    index: dict[tuple[str, str], int] = {}
    refs: list[SectionRef] = []
    for report in reports:
        for number, section in enumerate(report.sections):
            parts = [section.heading, section.text]
            for child in _children(report.sections, number):
                parts += [child.heading, child.text]
            index[(report.meta.slug, section.anchor)] = len(texts)
            texts.append("\n".join(parts))
            refs.append(SectionRef(report.meta.slug, section.anchor, section.heading))
    return texts, index, refs


def _scored(ref: SectionRef, score: float) -> SectionRef:
    return dataclasses.replace(ref, score=round(score, 3))


def _plans(
    report: ReportPage,
    by_slug: dict[str, ReportPage],
    similarity: Similarity,
    index: dict[tuple[str, str], int],
    refs: list[SectionRef],
) -> list[Plan]:
    """The report's plan sections, each item matched to the planned year's report (originals
    of the organisation, by slug)."""
    plans: list[Plan] = []
    for number, section in enumerate(report.sections):
        if not _is_plan(section):
            continue
        plan_year = report.meta.plan_year or report.meta.year + 1
        of_year = [r for r in by_slug.values() if r.meta.year == plan_year]
        target_slug = _nearest(report, of_year, min)
        target = by_slug[target_slug] if target_slug else None
        plan = Plan(
            slug=report.meta.slug,
            section=SectionRef(report.meta.slug, section.anchor, section.heading),
            plan_year=plan_year,
            target_slug=target.meta.slug if target else None,
        )
        items = _children(report.sections, number)
        candidates = (
            [index[(target.meta.slug, s.anchor)] for s in _topic_sections(target)] if target else []
        )
        for item in items or [section]:
            ranked = similarity.ranked(
                index[(report.meta.slug, item.anchor)],
                candidates,
                at_least=PLAN_THRESHOLD,
                limit=PLAN_RELATED_SHOWN,
            )
            related = [_scored(refs[number], score) for number, score in ranked]
            plan.items.append(
                PlanItem(SectionRef(report.meta.slug, item.anchor, item.heading), related)
            )
        plans.append(plan)
    return plans


TOPIC_SECTIONS_SHOWN = 200  # newest sections listed on a topic page


def report_topics(meta: ReportMeta, sections: Sequence[Section]) -> list[tuple[str, SectionRef]]:
    """A report's sections about each topic of the vocabulary: the heading names a keyword of
    the topic, or the text names its keywords often enough. (A redacted copy has them too; a
    topic page lists them only when its original is not in the build: `merge_topics`.)"""
    found: list[tuple[str, SectionRef]] = []
    for section in sections:
        if section.level < 2:
            continue
        heading, count = section.heading, section.text.count
        for topic, keywords in TOPICS.items():
            in_heading = any(k in heading for k in keywords)
            if in_heading or sum(map(count, keywords)) >= MIN_TOPIC_HITS:
                found.append((topic, SectionRef(meta.slug, section.anchor, section.heading)))
    return found


def merge_topics(
    reports: Iterable[tuple[ReportMeta, Sequence[tuple[str, SectionRef]]]],
) -> dict[str, list[SectionRef]]:
    """Each report's topic sections merged: {topic: sections, newest first}. A redacted copy's
    are left out when its original is among the reports (it says the same)."""
    pairs = list(reports)
    present = {meta.slug for meta, _ in pairs}
    found: dict[str, list[tuple[int, SectionRef]]] = defaultdict(list)
    for meta, topics in pairs:
        if meta.variant_of in present:
            continue
        year = meta.year
        for topic, ref in topics:
            found[topic].append((year, ref))
    return {
        topic: [ref for _, ref in sorted(found[topic], key=lambda p: (-p[0], p[1].slug))]
        for topic in TOPICS
        if found[topic]
    }
