"""Organisation keys (org_id): which reports come from one organisation, and how that was decided.

Order of evidence: the catalog; a variant shares its original's organisation; a written,
unredacted organisation name; for redacted or unnamed organisations, distinctive quoted names
(brands, projects) shared with another report, redaction marks matching anything.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from nianbao.redact import REDACTION

# Quoted names shared by this many reports (redactions as wildcards) make one organisation.
MIN_SHARED_NAMES = 3
MIN_NAME_CHARS = 4  # written-out characters a quoted name needs to count as distinctive
NAME_PIECE = 3  # characters of a name piece that makes two reports worth comparing
MAX_NAME_POSTING = 64  # reports a name piece may be in and still tell organisations apart
_QUOTED = re.compile(r"“([^“”]{3,20})”")
# Slogans every bureau quotes: no evidence of one organisation.
_COMMON_SLOGANS = frozenset(
    {
        "最后一公里", "四个意识", "四个自信", "两个维护", "三会一课", "八项规定", "四风",
        "三不腐", "看病钱", "救命钱", "保命钱", "放管服", "互联网＋", "一网通办", "跨省通办",
        "两不愁三保障", "八八战略", "三重一大", "一岗双责", "好差评", "减证便民",
    }
)  # fmt: skip
# Names too generic to tell organisations apart (inferred from “我县”“我局”).
_GENERIC_ORGS = frozenset({"医疗保障局", "县医疗保障局", "（机构未署名）"})


@dataclass
class OrgEvidence:
    """What the text and catalog say about one report's organisation."""

    slug: str
    org: str
    text: str
    catalog_org_id: str | None = None
    variant_of: str | None = None
    names: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = {
            name
            for name in _QUOTED.findall(self.text)
            if name not in _COMMON_SLOGANS and _distinctive(name)
        }


def org_key(text: str) -> str:
    """Return a stable, URL-safe key for a piece of identifying text."""
    return "org-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


# Short and long spellings of one organisation's kind (医保局 = 医疗保障局 …): one org_id.
_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"医保局$", "医疗保障局"),
    (r"卫健局$", "卫生健康局"),
    (r"卫健委$", "卫生健康委员会"),
    (r"卫生健康委$", "卫生健康委员会"),
    (r"卫计委$", "卫生和计划生育委员会"),
    (r"人社局$", "人力资源和社会保障局"),
)


def canonical_org(name: str) -> str:
    """One spelling of an organisation's name: full-width brackets and spaces normalised,
    the usual short forms of its kind written out (青禾县医保局 → 青禾县医疗保障局)."""
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    for short, full in _SPELLINGS:
        name = re.sub(short, full, name)
    return name


def assign_org_ids(reports: Mapping[str, OrgEvidence]) -> dict[str, tuple[str, str]]:
    """Return {slug: (org_id, how it was decided)} for every report."""
    decided: dict[str, tuple[str, str]] = {}
    undecided: list[str] = []
    for slug in sorted(reports):
        evidence = reports[slug]
        if evidence.catalog_org_id:
            decided[slug] = (evidence.catalog_org_id, "catalog")
        elif evidence.variant_of:
            continue
        elif not REDACTION.search(evidence.org) and evidence.org not in _GENERIC_ORGS:
            canonical = canonical_org(evidence.org)
            why = f"inferred: 由机构名“{evidence.org}”得出"
            if canonical != evidence.org:
                why += f"（与“{canonical}”视为同一机构）"
            decided[slug] = (org_key(canonical), why)
        else:
            undecided.append(slug)
    groups = _group_by_shared_names(undecided, reports)
    for members, why in groups:
        key = org_key("cluster:" + members[0])
        for slug in members:
            decided[slug] = (key, why)
    for slug, evidence in reports.items():
        if evidence.variant_of and slug not in decided:
            original = decided.get(evidence.variant_of)
            if original:
                decided[slug] = (
                    original[0],
                    f"inferred: 与 {evidence.variant_of} 为同一报告的版本",
                )
            else:
                decided[slug] = (org_key("report:" + slug), "inferred: 无可识别机构，单独成组")
    return decided


def _group_by_shared_names(
    slugs: list[str], reports: Mapping[str, OrgEvidence]
) -> list[tuple[list[str], str]]:
    parent = {slug: slug for slug in slugs}
    reasons: dict[str, list[str]] = defaultdict(list)

    def find(slug: str) -> str:
        while parent[slug] != slug:
            parent[slug] = parent[parent[slug]]
            slug = parent[slug]
        return slug

    for first, second in _candidate_pairs(slugs, reports):
        if not _names_compatible(reports[first].org, reports[second].org):
            continue
        shared = _shared_names(reports[first].names, reports[second].names)
        if len(shared) >= MIN_SHARED_NAMES:
            parent[find(second)] = find(first)
            reasons[first].append(f"{first} 与 {second} 共有专名{'、'.join(sorted(shared)[:5])}")
    clusters: dict[str, list[str]] = defaultdict(list)
    for slug in slugs:
        clusters[find(slug)].append(slug)
    result: list[tuple[list[str], str]] = []
    for members in clusters.values():
        if len(members) == 1:
            why = "inferred: 机构名已隐去或未署名，且无足够共有专名，单独成组"
        else:
            evidence = "；".join(r for m in members for r in reasons[m])
            why = f"inferred: 机构名已隐去或未署名，按共有专名归为同一机构（{evidence}）"
        result.append((sorted(members), why))
    return result


def _candidate_pairs(slugs: list[str], reports: Mapping[str, OrgEvidence]) -> list[tuple[str, str]]:
    """Pairs of reports whose quoted names share a written-out three-character piece.

    Keeps the comparison near linear in the number of reports: only such pairs can share
    names. A piece found in more than `MAX_NAME_POSTING` reports is a template's, not one
    organisation's, and is no evidence.
    """
    index: dict[str, set[str]] = defaultdict(set)
    for slug in slugs:
        for name in reports[slug].names:
            for part in REDACTION.split(name):
                for start in range(len(part) - NAME_PIECE + 1):
                    index[part[start : start + NAME_PIECE]].add(slug)
    pairs: set[tuple[str, str]] = set()
    for members in index.values():
        if 1 < len(members) <= MAX_NAME_POSTING:
            pairs.update(itertools.combinations(sorted(members), 2))
    return sorted(pairs)


def _distinctive(name: str) -> bool:
    """A name tells organisations apart when enough of it is written out."""
    literal = REDACTION.split(name)
    return sum(map(len, literal)) >= MIN_NAME_CHARS and max(map(len, literal)) >= 3


def _names_compatible(first: str, second: str) -> bool:
    """Whether two written names can be one organisation (redaction marks match anything)."""
    if first in _GENERIC_ORGS or second in _GENERIC_ORGS:
        return True
    return bool(_wildcard(first).fullmatch(second) or _wildcard(second).fullmatch(first))


def _shared_names(first: set[str], second: set[str]) -> set[str]:
    shared: set[str] = set()
    unused = set(second)
    for name in sorted(first):
        pattern = _wildcard(name)
        for other in sorted(unused):
            if pattern.fullmatch(other) or _wildcard(other).fullmatch(name):
                shared.add(name if not REDACTION.search(name) else other)
                unused.discard(other)
                break
    return shared


@functools.cache
def _wildcard(name: str) -> re.Pattern[str]:
    parts = REDACTION.split(name)
    return re.compile(".{1,8}".join(re.escape(part) for part in parts))
