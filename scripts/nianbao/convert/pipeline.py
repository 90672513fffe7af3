"""The converter's steps, pure: one file's bytes to its parsing, and the folder-level steps.

`parse_file` reads one file (nianbao.convert.extract decides its format from its bytes), parses
it and infers its metadata. The folder-level steps then pair documents of one name
(`pair_documents`), give attachment-only portal pages to the files they attach
(`attach_pages`), name each report (`assign_slugs`), decide its front matter — variants,
organisations, the catalog's values over the inferred ones (`build_metas`) — and render its page
(`render_page`, `page_files`). None of them keeps anything between runs or starts processes:
the folder run (nianbao.build.convert_run) reads the inputs, remembers parsings and pages in the
cache, spreads the work over the cores and writes the output folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.convert.catalog import CATALOG_NAME, CatalogEntry
from nianbao.convert.extract import Extracted, ExtractError, extract_file
from nianbao.convert.inputs import shown_path
from nianbao.convert.metadata import Inferred, infer_metadata
from nianbao.convert.orgs import OrgEvidence, assign_org_ids
from nianbao.convert.outline import Anomaly
from nianbao.convert.render import render_markdown
from nianbao.convert.report import Report, parse_blocks
from nianbao.convert.variants import find_variants, sampled_shingles
from nianbao.redact import count_redactions
from nianbao.schema import (
    CARRIED,
    CATALOG,
    INFERRED,
    ReportMeta,
)

SOURCES_DIR = "sources"
# Documents that are one report when they share a name (a report attached as PDF and as OFD):
# one page, extracted from the first format in this order, every file published beside it.
PAIRED_FORMATS = ("docx", "doc", "wps", "rtf", "pdf", "ofd", "image")
# Carried metadata → front-matter field, and how the provenance names where it came from.
CARRIED_LABELS = {
    "title": "原件所载标题",
    "publisher": "原件所载发布机构",
    "written": "原件所载成文日期",
    "published": "原件所载发布日期",
    "index_no": "原件所载索引号",
    "doc_no": "原件所载文号",
}


@dataclass(frozen=True)
class Problem:
    """A message about one file: `line` is 0 when it concerns the whole file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{shown_path(self.path)}:{self.line}" if self.line else shown_path(self.path)
        return f"{where}：{self.message}"


@dataclass
class Summary:
    """What a conversion run did."""

    converted: list[str] = field(default_factory=list)  # slugs
    written: list[str] = field(default_factory=list)  # output files (re)written
    removed: list[str] = field(default_factory=list)  # stale output files removed
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)  # files that are not reports (not read)
    catalog_errors: list[str] = field(default_factory=list)  # "catalog.yml:LINE: problem"
    cached: int = 0  # files whose parsing was reused from the cache


@dataclass(frozen=True)
class FileFacts:
    """What the extraction learnt of a file besides its text (nianbao.convert.extract.Extracted)."""

    format: str
    carried: dict[str, str]
    pages: int | None = None
    text_source: str = "text"
    ocr_engine: str | None = None
    ocr_confidence: float | None = None

    @classmethod
    def of(cls, extracted: Extracted) -> FileFacts:
        return cls(
            format=extracted.format,
            carried=dict(extracted.carried),
            pages=extracted.pages,
            text_source=extracted.text_source,
            ocr_engine=extracted.ocr_engine,
            ocr_confidence=extracted.ocr_confidence,
        )


@dataclass(frozen=True)
class Texts:
    """What deciding variants and organisations needs of every report's parsing."""

    body: str  # Report.body_text
    full: str  # Report.full_text
    anomalies: tuple[Anomaly, ...]  # the outline's numbering anomalies

    @classmethod
    def of(cls, report: Report) -> Texts:
        return cls(report.body_text, report.full_text, tuple(report.outline.anomalies))


@dataclass(frozen=True)
class FileParse:
    """What the folder-level steps need of a report file's parsing (not the report itself:
    only rendering its page needs that)."""

    encoding: str
    texts: Texts
    inferred: Inferred
    shingles: set[int]  # for near-duplicate detection, computed with the rest per file
    chars: int  # non-space characters of the text
    redactions: int  # redaction runs in the text
    facts: FileFacts  # format, carried metadata, pages, OCR


@dataclass(frozen=True)
class ParsedFile:
    """A report file parsed: its report, and what the folder-level steps read of it."""

    parse: FileParse
    report: Report


@dataclass(frozen=True)
class AttachmentPage:
    """A portal page that only links to attached files (the report is in one of them)."""

    names: tuple[str, ...]
    facts: FileFacts


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be parsed, and why (`line` 0: the whole file)."""

    line: int
    message: str


FileOutcome = ParsedFile | AttachmentPage | Unreadable


@dataclass
class ReportFile:
    """A report file of the folder, parsed: where it is, its bytes, its parsing and the other
    originals published beside it (a paired document, the portal page that attached it)."""

    source: str  # relative POSIX path below the reports folder
    path: Path
    data: bytes
    parse: FileParse
    extras: list[Path] = field(default_factory=list)

    @property
    def facts(self) -> FileFacts:
        return self.parse.facts

    @property
    def publishes_originals(self) -> bool:
        """Whether the report's originals are published under their own names (every format
        but a lone text file, which stays `sources/<slug>.txt`)."""
        return self.facts.format != "txt" or bool(self.extras)


@dataclass(frozen=True)
class Attachment:
    """An attachment-only portal page of the folder (see `attach_pages`)."""

    path: Path
    page: AttachmentPage


def parse_file(name: str, data: bytes) -> FileOutcome:
    """Read, decode, parse and infer one file from its name and bytes (the outcome depends on
    nothing else: the folder run keeps it under the digest of the bytes)."""
    try:
        extracted = extract_file(name, data)
    except ExtractError as exc:
        return Unreadable(0, str(exc))
    facts = FileFacts.of(extracted)
    if not extracted.blocks and "attachments" in extracted.carried:
        return AttachmentPage(tuple(extracted.carried["attachments"].splitlines()), facts)
    report = parse_blocks(extracted.blocks, extracted.carried.get("title"))
    if not report.body:
        return Unreadable(1, "只有标题一行，没有正文：请补全报告正文")
    text = report.full_text
    parse = FileParse(
        encoding=extracted.encoding or "",
        texts=Texts.of(report),
        inferred=infer_metadata(report),
        shingles=sampled_shingles(report.body_text),
        chars=len("".join(text.split())),  # characters other than whitespace
        redactions=count_redactions(text),
        facts=facts,
    )
    return ParsedFile(parse, report)


def render_page(meta: ReportMeta, report: Report) -> bytes:
    """A report's page (Markdown with its front matter), as the file's bytes."""
    return render_markdown(meta, report).encode("utf-8")


def page_files(item: ReportFile, slug: str, page: bytes) -> list[tuple[str, bytes]]:
    """The files a report publishes (path below the output folder, bytes): its page and its
    originals."""
    files = [(f"{slug}.md", page)]
    if item.publishes_originals:
        files.append((f"{SOURCES_DIR}/{slug}/{item.path.name}", item.data))
        files.extend((f"{SOURCES_DIR}/{slug}/{p.name}", p.read_bytes()) for p in item.extras)
    else:
        files.append((f"{SOURCES_DIR}/{slug}.txt", item.data))
    return files


def pair_documents(parsed: list[ReportFile]) -> list[ReportFile]:
    """One page for documents of one name in one folder (`报告.pdf` and `报告.ofd`): extracted
    from the first in PAIRED_FORMATS' order, the others published beside it."""
    groups: dict[tuple[Path, str], list[ReportFile]] = {}
    for item in parsed:
        if item.facts.format in PAIRED_FORMATS:
            groups.setdefault((item.path.parent, item.path.stem), []).append(item)
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda item: (PAIRED_FORMATS.index(item.facts.format), item.path.name))
        for other in group[1:]:
            group[0].extras.append(other.path)
            dropped.add(id(other))
    return [item for item in parsed if id(item) not in dropped]


def attach_pages(parsed: list[ReportFile], attachments: list[Attachment]) -> list[Problem]:
    """An attachment-only portal page gives its metadata to the attached file's page (and is
    published beside it): the file must be in the same folder, else the page is named (the
    problems returned)."""
    problems: list[Problem] = []
    for attachment in attachments:
        page = attachment.page
        wanted = {name.lower() for name in page.names}
        found = [
            item
            for item in parsed
            if item.path.parent == attachment.path.parent and item.path.name.lower() in wanted
        ]
        if not found:
            listed = "、".join(page.names)
            problems.append(
                Problem(
                    attachment.path,
                    0,
                    f"网页只有附件链接（{listed}），报告正文在附件里，但报告目录中没有这个附件"
                    "（或附件未能转换）：请把附件下载后放在该网页旁边再转换",
                )
            )
            continue
        target = found[0]
        carried = {k: v for k, v in page.facts.carried.items() if k != "attachments"}
        carried.update(target.facts.carried)
        facts = dataclasses.replace(target.facts, carried=carried)
        target.parse = dataclasses.replace(target.parse, facts=facts)
        target.extras.append(attachment.path)  # other attached reports keep pages of their own
    return problems


def one_per_source(reports_dir: Path, paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files with distinct source names, and the others named: a GBK name can read as a
    UTF-8 name beside it (两份压缩包解到同一文件夹), and one page must not silently replace the
    other."""
    kept: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in paths:
        source = source_name(reports_dir, path)
        if source in kept:
            reason = (
                f"文件名按 GB18030 解读后与 {shown_path(kept[source])} 相同（一个是 GBK 编码的"
                "文件名）：请把其中一个改名"
            )
            problems.append(Problem(path, 0, reason))
        else:
            kept[source] = path
    return list(kept.values()), problems


def source_name(reports_dir: Path, path: Path) -> str:
    """A report's source name (relative POSIX path), as its author wrote it (see
    nianbao.convert.inputs.shown_name): the name in its front matter, its slug and the catalog's
    key."""
    return shown_path(path.relative_to(reports_dir))


def assign_slugs(sources: list[str]) -> dict[str, str]:
    """Return {source: slug}: URL-safe, stable, unique (later duplicates get -2, -3 …)."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for source in sorted(sources):
        base = slugify_source(source)
        slug, counter = base, 1
        while slug in taken:
            counter += 1
            slug = f"{base}-{counter}"
        taken.add(slug)
        slugs[source] = slug
    return slugs


def slugify_source(source: str) -> str:
    """Turn a source path (`a/b 报告.txt`) into a slug (`a-b-报告`): word characters, - and _."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source)
    stem = unicodedata.normalize("NFKC", stem).lower()
    slug = re.sub(r"[^\w-]+", "-", stem, flags=re.UNICODE).strip("-_")
    return slug[:80].rstrip("-_") or "report"


@dataclass
class Metas:
    """The front matter of every report that has one, by slug, and the problems found."""

    metas: dict[str, ReportMeta] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # reports left without a page


def build_metas(
    parsed: list[ReportFile], slugs: dict[str, str], catalog: dict[str, CatalogEntry]
) -> Metas:
    """Each report's front matter: inferred, then what the file states, then the catalog's;
    variants found by comparing texts and organisations grouped (nianbao.convert.orgs)."""
    found = Metas()
    metas = found.metas
    inferred = {item.source: item.parse.inferred for item in parsed}
    by_slug = {slugs[item.source]: item for item in parsed}
    copies = find_variants(
        {slug: item.parse.texts.body for slug, item in by_slug.items()},
        {slug: item.parse.shingles for slug, item in by_slug.items()},
    )
    for item in parsed:
        entry = catalog.get(item.source)
        if entry and "variant_of" in entry.values:
            # The catalog names the original by its source file (or its slug).
            original = str(entry.values["variant_of"])
            copies[slugs[item.source]] = slugs.get(original, original)
    evidence = {
        slug: OrgEvidence(
            slug=slug,
            org=str(_catalog_or(catalog, item.source, "org", inferred[item.source].values["org"])),
            text=item.parse.texts.full,
            catalog_org_id=_catalog_or(catalog, item.source, "org_id", None),
            variant_of=copies.get(slug),
        )
        for slug, item in by_slug.items()
    }
    org_ids = assign_org_ids(evidence)
    for item in parsed:
        slug = slugs[item.source]
        for anomaly in item.parse.texts.anomalies:
            found.warnings.append(Problem(item.path, anomaly.line, anomaly.message))
        values = dict(inferred[item.source].values)
        provenance = {
            key: f"{INFERRED}: {why}" for key, why in inferred[item.source].reasons.items()
        }
        for key, (value, why) in carried_values(item.facts.carried).items():
            values[key] = value
            provenance[key] = f"{CARRIED}: {why}"
        entry = catalog.get(item.source)
        if entry:
            _apply_catalog(entry, values, provenance)
        for doubt in inferred[item.source].warnings:
            if not entry or doubt.field not in entry.values:  # the catalog settles it
                found.warnings.append(Problem(item.path, doubt.line, doubt.message))
        if "year" not in values:
            found.skipped.append(
                Problem(
                    item.path,
                    0,
                    f"正文和标题都没有写明报告所属年份：请在 {CATALOG_NAME} 中为"
                    f"“{item.source}”写明 year（如 year: 2023）",
                )
            )
            continue
        org_id, how = org_ids[slug]
        provenance["org_id"] = how
        variant_of = copies.get(slug)
        if variant_of:
            provenance["variant_of"] = provenance.get(
                "variant_of", f"{INFERRED}: 与原文逐段比对，仅隐去处不同"
            )
        metas[slug] = ReportMeta(
            title=str(values["title"]),
            org=str(values["org"]),
            org_id=org_id,
            year=int(values["year"]),  # type: ignore[call-overload]
            type=str(values["type"]),
            source=item.source,
            source_sha256=hashlib.sha256(item.data).hexdigest(),
            slug=slug,
            encoding=item.parse.encoding,
            format=item.facts.format,
            pages=item.facts.pages,
            originals=_originals(item),
            text_source=item.facts.text_source,
            ocr_engine=item.facts.ocr_engine,
            ocr_confidence=item.facts.ocr_confidence,
            chars=item.parse.chars,
            redactions=item.parse.redactions,
            region=values.get("region"),  # type: ignore[arg-type]
            plan_year=values.get("plan_year"),  # type: ignore[arg-type]
            published=values.get("published"),  # type: ignore[arg-type]
            index_no=values.get("index_no"),  # type: ignore[arg-type]
            doc_no=values.get("doc_no"),  # type: ignore[arg-type]
            publisher=values.get("publisher"),  # type: ignore[arg-type]
            tags=list(values.get("tags", [])),  # type: ignore[call-overload]
            variant_of=variant_of,
            provenance=provenance,
        )
    for copy, original in sorted(copies.items()):
        if copy in metas and original in metas:
            metas[original].variants.append(copy)
        elif copy in metas:
            metas[copy].variant_of = None
    return found


def carried_values(carried: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Front-matter values the file itself states, each with where it came from: the title, the
    publisher, the date (成文日期, else 发布日期: both named when they differ), 索引号, 文号."""
    out: dict[str, tuple[str, str]] = {}
    for key in ("title", "publisher", "index_no", "doc_no"):
        value = " ".join(carried.get(key, "").split())
        if value:
            out[key] = (value, CARRIED_LABELS[key])
    written, published = carried.get("written"), carried.get("published")
    if written:
        why = CARRIED_LABELS["written"]
        if published and published != written:
            why += f"（发布日期 {published}）"
        out["published"] = (written, why)
    elif published:
        out["published"] = (published, CARRIED_LABELS["published"])
    return out


def _originals(item: ReportFile) -> dict[str, str]:
    """The published originals of a report (name → SHA-256), the converted file first."""
    if not item.publishes_originals:
        return {}
    found = {item.path.name: hashlib.sha256(item.data).hexdigest()}
    for extra in item.extras:
        found[extra.name] = hashlib.sha256(extra.read_bytes()).hexdigest()
    return found


def _apply_catalog(
    entry: CatalogEntry, values: dict[str, object], provenance: dict[str, str]
) -> None:
    """The maintainer's values over the inferred ones; the catalog's tags are added to the
    inferred tags unless the entry says `tags_replace: true`."""
    for key, value in entry.values.items():
        if key == "tags" and not entry.tags_replace:
            inferred_tags = list(values.get("tags", []))  # type: ignore[call-overload]
            added = [tag for tag in value if tag not in inferred_tags]
            values[key] = inferred_tags + added
            if added:
                provenance[key] = f"{provenance.get(key, INFERRED)}；{CATALOG}: {'、'.join(added)}"
            continue
        values[key] = value
        provenance[key] = CATALOG


def _catalog_or(catalog: dict[str, CatalogEntry], source: str, key: str, default: object) -> object:
    entry = catalog.get(source)
    return entry.values.get(key, default) if entry else default
