"""What an incremental build (`mkdocs build --dirty`, `make update`) renders again and removes: a
pure function of what the last build of the site held and what this one holds.

A changed report reaches every page of its organisation (their year-over-year links), its
variants and original (their pages name its title), the listing pages that compare it (its
organisation's and year's), the topic pages, the indexes and the home page. A change of set-up,
or no record of what the site folder holds, means a full build. nianbao.build.incremental
applies the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nianbao.schema import ReportMeta
from nianbao.site.listings import TOPICS_DIR, org_uri, year_uri

NO_RECORD = "没有这个站点上次构建的记录"
NEW_SETUP = "配置或代码已变"


@dataclass
class PageInfo:
    """What the build state keeps of one report page."""

    key: str
    slug: str
    org_id: str
    linked: tuple[str, ...]  # slugs of its variants / original (their pages name its title)
    year: int = 0


@dataclass
class BuildState:
    """What the last build of a site held: its set-up, report pages and the files it wrote
    (pages, sources, assets; not the search index and data files, which are rewritten)."""

    setup: str = ""
    pages: dict[str, PageInfo] = field(default_factory=dict)  # by src_uri
    outputs: set[str] = field(default_factory=set)  # files' dest paths, relative to the site
    listings: dict[str, str] = field(default_factory=dict)  # generated page → content digest
    site_version: str = ""  # name of the build folder it was written into (nianbao.build.publish)


@dataclass(frozen=True)
class CurrentPage:
    """A report page of this build."""

    key: str  # nianbao.build.incremental.page_key
    meta: ReportMeta | None  # None when its front matter is bad (it renders again, named then)
    fresh: bool = True  # its record is cached and its output is newer than its Markdown


@dataclass(frozen=True)
class CurrentBuild:
    """What this build holds, as the plan compares it with the last build's state."""

    setup: str
    pages: Mapping[str, CurrentPage]  # report pages by src_uri
    listings: Mapping[str, str]  # generated listing page → digest of what it shows
    outputs: frozenset[str]  # every file's dest path
    base: str | None = None  # the published build the site folder copies (nianbao.build.publish)


@dataclass(frozen=True)
class Plan:
    """An incremental build's work: everything (`full` says why), or only what changes reach."""

    full: str = ""
    changed: frozenset[str] = frozenset()  # report pages new or changed since the last build
    gone: frozenset[str] = frozenset()  # report pages of the last build no longer present
    pages: frozenset[str] = frozenset()  # report pages to render again
    orgs: frozenset[str] = frozenset()  # organisations of the changed and gone reports
    listings: frozenset[str] = frozenset()  # listing pages to render again
    stale: tuple[str, ...] = ()  # outputs of the last build that this one does not write
    years: frozenset[int] = frozenset()  # years of the changed and gone reports


def plan_update(previous: BuildState | None, current: CurrentBuild) -> Plan:
    """What this build renders again and removes, given the last build's state."""
    if previous is None or (current.base is not None and previous.site_version != current.base):
        return Plan(full=NO_RECORD)
    if previous.setup != current.setup:
        return Plan(full=NEW_SETUP)
    changed = {
        src
        for src, page in current.pages.items()
        if not page.fresh or src not in previous.pages or previous.pages[src].key != page.key
    }
    gone = {src for src in previous.pages if src not in current.pages}
    orgs, slugs, years = _reach(
        (current.pages[src].meta for src in changed), previous, changed | gone
    )
    affected = {
        src
        for src, old in previous.pages.items()
        if src in current.pages and (old.org_id in orgs or old.slug in slugs)
    }
    # A year page compares its organisations under their names, which a change may alter.
    compared_years = years | {old.year for old in previous.pages.values() if old.org_id in orgs}
    compared = {org_uri(org) for org in orgs} | {year_uri(year) for year in compared_years}
    listings = {
        src
        for src, digest in current.listings.items()
        if previous.listings.get(src) != digest
        or src in compared
        or src.startswith(f"{TOPICS_DIR}/")  # sections about a topic, from every report
        or src.endswith("index.md")
    }
    return Plan(
        changed=frozenset(changed),
        gone=frozenset(gone),
        pages=frozenset(changed | affected),
        orgs=frozenset(orgs),
        listings=frozenset(listings),
        stale=tuple(sorted(previous.outputs - current.outputs)),
        years=frozenset(years),
    )


def _reach(
    changed: Iterable[ReportMeta | None], previous: BuildState, old: Iterable[str]
) -> tuple[set[str], set[str], set[int]]:
    """The organisations, slugs and years a change reaches: those of the changed reports as
    they are now, and of the changed and gone ones as they were."""
    orgs: set[str] = set()
    slugs: set[str] = set()
    years: set[int] = set()
    for meta in changed:
        if meta is not None:
            orgs.add(meta.org_id)
            years.add(meta.year)
            slugs.update(
                [meta.slug, *meta.variants, *([meta.variant_of] if meta.variant_of else [])]
            )
    for src in old:
        info = previous.pages.get(src)
        if info is not None:
            orgs.add(info.org_id)
            years.add(info.year)
            slugs.update([info.slug, *info.linked])
    return orgs, slugs, years
