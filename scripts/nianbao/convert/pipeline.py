"""Converting a folder of raw reports into Markdown pages: the converter's I/O edge.

Reads every file below the reports folder (never writing there) — text, portal pages, Word, PDF,
OFD, scans (nianbao.convert.extract decides each file's format from its bytes) — parses and infers
metadata, applies the catalog, links variants and groups organisations, then writes `<slug>.md`
and the original (`sources/<slug>.txt` for text, `sources/<slug>/<its own name>` for other
formats) into the output folder, only where their bytes change, and removes pages it generated
earlier whose source is gone. Files that are not reports (a saved page's `_files` folder, hidden
and system files) are listed as ignored; files that cannot be read, as skipped with the reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.convert.catalog import CATALOG_NAME, CatalogEntry, load_catalog
from nianbao.convert.extract import Extracted, ExtractError, extract_file
from nianbao.convert.inputs import DEFAULT_MAX_BYTES, Refused, find_reports, read_report, shown_path
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
    read_front_matter,
    report_meta_or_problem,
)
from nianbao.speed.cache import Cache, digest_of, scoped_root
from nianbao.speed.cache_codec import decode, encode
from nianbao.speed.memo import FRONT_MATTER_CACHE, remember_front_matter
from nianbao.speed.pools import map_on_cores

MANIFEST_NAME = ".manifest.json"  # dot-file: MkDocs does not publish it
SOURCES_DIR = "sources"
PARALLEL_FROM = 200  # files from which reading and parsing is spread over processes
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
class _FileFacts:
    """What the extraction learnt of a file besides its text (nianbao.convert.extract.Extracted)."""

    format: str
    carried: dict[str, str]
    pages: int | None = None
    text_source: str = "text"
    ocr_engine: str | None = None
    ocr_confidence: float | None = None

    @classmethod
    def of(cls, extracted: Extracted) -> _FileFacts:
        return cls(
            extracted.format,
            dict(extracted.carried),
            extracted.pages,
            extracted.text_source,
            extracted.ocr_engine,
            extracted.ocr_confidence,
        )


@dataclass(frozen=True)
class _Attachment:
    """A portal page that only links to attached files (the report is in one of them)."""

    path: Path
    names: tuple[str, ...]
    facts: _FileFacts


@dataclass
class _Parsed:
    source: str  # relative POSIX path below the reports folder
    path: Path
    data: bytes
    encoding: str
    texts: Texts
    inferred: Inferred
    shingles: set[int]  # for near-duplicate detection, computed with the rest in parallel
    chars: int  # non-space characters of the text
    redactions: int  # redaction runs in the text
    facts: _FileFacts = field(default_factory=lambda: _FileFacts("txt", {}))
    key: str = ""  # the cache key of this parsing (the digest of the bytes)
    parsed: Report | str = ""  # the report, or as the cache keeps it (read when rendered)
    extras: list[Path] = field(default_factory=list)  # more originals of this report

    @property
    def publishes_originals(self) -> bool:
        """Whether the report's originals are published under their own names (every format
        but a lone text file, which stays `sources/<slug>.txt`)."""
        return self.facts.format != "txt" or bool(self.extras)

    @property
    def report(self) -> Report:
        """The parsed report (needed to render its page: for most reports of an update, never)."""
        if isinstance(self.parsed, str):
            report = decode(self.parsed.encode("utf-8"))
            if not isinstance(report, Report):
                raise TypeError(f"{self.source}: the cache held no parsed report")
            self.parsed = report
        return self.parsed


@dataclass(frozen=True)
class Texts:
    """What deciding variants and organisations needs of every report's parsing."""

    body: str  # Report.body_text
    full: str  # Report.full_text
    anomalies: tuple[Anomaly, ...]  # the outline's numbering anomalies

    @classmethod
    def of(cls, report: Report) -> Texts:
        return cls(report.body_text, report.full_text, tuple(report.outline.anomalies))


Progress = Callable[[int, int], None]


def convert_folder(
    reports_dir: Path,
    out_dir: Path,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    docs_dir: Path | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Summary:
    """Convert every report below `reports_dir` into pages in `out_dir`.

    With `cache_dir`, each file's parsing is kept there under the digest of its bytes, and each
    page under the digest of that and its metadata, and reused while they (and the converter's
    code) stay the same — in the entries of `reports_dir` (nianbao.speed.cache.scoped_root). The
    front
    matter of the pages written is stored for the build of `docs_dir` (default: `out_dir`'s
    parent), which then need not read it again. A bad catalog field is left out (a catalog that
    cannot be read, wholly) and reported in `summary.catalog_errors`; the reports convert with
    their inferred values instead. A catalog entry whose report file is gone is a warning. A
    file that cannot be read (or is larger than `max_bytes`) is named in `summary.skipped` with
    the reason, and the rest converts.
    """
    summary = Summary()
    found = find_reports(reports_dir, max_bytes)
    summary.skipped.extend(Problem(r.path, 0, r.reason) for r in found.refused)
    summary.ignored = found.ignored
    paths = _one_per_source(reports_dir, found.files, summary)
    sources = {source_name(reports_dir, p) for p in paths}
    catalog, catalog_errors = load_catalog(reports_dir, sources)
    summary.catalog_errors = [str(error) for error in catalog_errors if error.fatal]
    summary.warnings.extend(
        Problem(error.path, error.line, error.message)
        for error in catalog_errors
        if not error.fatal
    )
    parsed: list[_Parsed] = []
    attachments: list[_Attachment] = []
    own_root = scoped_root(cache_dir, reports_dir) if cache_dir is not None else None
    build_root = scoped_root(cache_dir, docs_dir or out_dir.parent) if cache_dir else None
    cache = Cache(own_root, "parsed")
    for index, outcome in enumerate(_read_all(reports_dir, paths, cache), start=1):
        if progress:
            progress(index, len(paths))
        if isinstance(outcome, Problem):
            summary.skipped.append(outcome)
        elif isinstance(outcome, _Attachment):
            attachments.append(outcome)
        else:
            parsed.append(outcome)
    parsed = _pair_documents(parsed)
    parsed = _attach_pages(parsed, attachments, summary)
    slugs = assign_slugs([item.source for item in parsed])
    metas = _build_metas(parsed, slugs, catalog, summary)
    rendered = Cache(own_root, "rendered")
    front_matter = Cache(build_root, FRONT_MATTER_CACHE)  # the build's, filled for it here
    _write_outputs(parsed, slugs, metas, out_dir, summary, rendered, front_matter)
    summary.cached = cache.hits
    cache.prune()
    rendered.prune()
    return summary


def _read_all(
    reports_dir: Path, paths: list[Path], cache: Cache
) -> Iterator[_Parsed | _Attachment | Problem]:
    """Read, decode, parse and infer each file, in input order: from the cache where the bytes
    were parsed before, the rest across all cores when there are many (the per-file work is
    independent; variants and organisations are decided after)."""
    outcomes: list[_Parsed | _Attachment | Problem | None] = []
    jobs: list[tuple[Path, Path, bytes]] = []
    keys: list[str] = []
    for path in paths:
        data = read_report(path)
        if isinstance(data, Refused):
            outcomes.append(Problem(path, 0, data.reason))
            keys.append("")
            continue
        key = digest_of("parsed", data)
        keys.append(key)
        outcome = _from_cache(cache.get(key), reports_dir, path, data)
        outcomes.append(outcome)
        if outcome is None:
            jobs.append((reports_dir, path, data))
    fresh = map_on_cores(_read_one, jobs, at_least=PARALLEL_FROM, chunksize=16)
    yield from _merge(outcomes, keys, fresh, cache)


def _merge(
    outcomes: list[_Parsed | _Attachment | Problem | None],
    keys: list[str],
    fresh: Iterator[_Parsed | _Attachment | Problem],
    cache: Cache,
) -> Iterator[_Parsed | _Attachment | Problem]:
    """The outcomes in input order, each freshly parsed one stored in the cache."""
    for outcome, key in zip(outcomes, keys, strict=True):
        if outcome is None:
            outcome = next(fresh)
            cache.put(key, _to_cache(outcome))
        if isinstance(outcome, _Parsed):
            outcome.key = key
        yield outcome


@dataclass(frozen=True)
class ParsedFile:
    """What the cache keeps of a file's parsing (it depends on the bytes alone)."""

    encoding: str
    report: str  # the Report in the cache's format, decoded only when its page renders
    texts: Texts
    inferred: Inferred
    shingles: set[int]
    chars: int
    redactions: int
    facts: _FileFacts  # format, carried metadata, pages, OCR


@dataclass(frozen=True)
class AttachmentFile:
    """What the cache keeps of an attachment-only portal page: the files it links to."""

    names: tuple[str, ...]
    facts: _FileFacts


@dataclass(frozen=True)
class SkippedFile:
    """What the cache keeps of a file that could not be parsed."""

    line: int
    message: str


def _to_cache(
    outcome: _Parsed | _Attachment | Problem,
) -> ParsedFile | AttachmentFile | SkippedFile:
    """What the cache keeps of a file's parsing: it depends on the bytes alone."""
    if isinstance(outcome, Problem):
        return SkippedFile(outcome.line, outcome.message)
    if isinstance(outcome, _Attachment):
        return AttachmentFile(outcome.names, outcome.facts)
    return ParsedFile(
        outcome.encoding,
        encode(outcome.report).decode("utf-8"),
        outcome.texts,
        outcome.inferred,
        outcome.shingles,
        outcome.chars,
        outcome.redactions,
        outcome.facts,
    )


def _from_cache(
    cached: object, reports_dir: Path, path: Path, data: bytes
) -> _Parsed | _Attachment | Problem | None:
    if isinstance(cached, SkippedFile):
        return Problem(path, cached.line, cached.message)
    if isinstance(cached, AttachmentFile):
        return _Attachment(path, cached.names, cached.facts)
    if not isinstance(cached, ParsedFile):
        return None  # a miss (or an entry of another shape): parse again
    source = source_name(reports_dir, path)
    return _Parsed(
        source,
        path,
        data,
        cached.encoding,
        cached.texts,
        cached.inferred,
        cached.shingles,
        cached.chars,
        cached.redactions,
        facts=cached.facts,
        parsed=cached.report,
    )


def _read_one(job: tuple[Path, Path, bytes]) -> _Parsed | _Attachment | Problem:
    reports_dir, path, data = job
    try:
        extracted = extract_file(path.name, data)
    except ExtractError as exc:
        return Problem(path, 0, str(exc))
    facts = _FileFacts.of(extracted)
    if not extracted.blocks and "attachments" in extracted.carried:
        names = tuple(extracted.carried["attachments"].splitlines())
        return _Attachment(path, names, facts)
    report = parse_blocks(extracted.blocks, extracted.carried.get("title"))
    if not report.body:
        return Problem(path, 1, "只有标题一行，没有正文：请补全报告正文")
    source = source_name(reports_dir, path)
    shingles = sampled_shingles(report.body_text)
    text = report.full_text
    chars = len("".join(text.split()))  # characters other than whitespace
    inferred = infer_metadata(report)
    redactions = count_redactions(text)
    texts = Texts.of(report)
    return _Parsed(
        source,
        path,
        data,
        extracted.encoding or "",
        texts,
        inferred,
        shingles,
        chars,
        redactions,
        facts=facts,
        parsed=report,
    )


def _pair_documents(parsed: list[_Parsed]) -> list[_Parsed]:
    """One page for documents of one name in one folder (`报告.pdf` and `报告.ofd`): extracted
    from the first in PAIRED_FORMATS' order, the others published beside it."""
    groups: dict[tuple[Path, str], list[_Parsed]] = {}
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


def _attach_pages(
    parsed: list[_Parsed], attachments: list[_Attachment], summary: Summary
) -> list[_Parsed]:
    """An attachment-only portal page gives its metadata to the attached file's page (and is
    published beside it): the file must be in the same folder, else the page is named."""
    for page in attachments:
        wanted = {name.lower() for name in page.names}
        found = [
            item
            for item in parsed
            if item.path.parent == page.path.parent and item.path.name.lower() in wanted
        ]
        if not found:
            listed = "、".join(page.names)
            summary.skipped.append(
                Problem(
                    page.path,
                    0,
                    f"网页只有附件链接（{listed}），报告正文在附件里，但报告目录中没有这个附件"
                    "（或附件未能转换）：请把附件下载后放在该网页旁边再转换",
                )
            )
            continue
        target = found[0]
        carried = {k: v for k, v in page.facts.carried.items() if k != "attachments"}
        carried.update(target.facts.carried)
        target.facts = dataclasses.replace(target.facts, carried=carried)
        target.extras.append(page.path)  # other attached reports keep pages of their own
    return parsed


def _one_per_source(reports_dir: Path, paths: list[Path], summary: Summary) -> list[Path]:
    """The files with distinct source names: a GBK name can read as a UTF-8 name beside it
    (两份压缩包解到同一文件夹), and one page must not silently replace the other."""
    kept: dict[str, Path] = {}
    for path in paths:
        source = source_name(reports_dir, path)
        if source in kept:
            reason = (
                f"文件名按 GB18030 解读后与 {shown_path(kept[source])} 相同（一个是 GBK 编码的"
                "文件名）：请把其中一个改名"
            )
            summary.skipped.append(Problem(path, 0, reason))
        else:
            kept[source] = path
    return list(kept.values())


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


def _build_metas(
    parsed: list[_Parsed],
    slugs: dict[str, str],
    catalog: dict[str, CatalogEntry],
    summary: Summary,
) -> dict[str, ReportMeta]:
    inferred = {item.source: item.inferred for item in parsed}
    by_slug = {slugs[item.source]: item for item in parsed}
    copies = find_variants(
        {slug: item.texts.body for slug, item in by_slug.items()},
        {slug: item.shingles for slug, item in by_slug.items()},
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
            text=item.texts.full,
            catalog_org_id=_catalog_or(catalog, item.source, "org_id", None),
            variant_of=copies.get(slug),
        )
        for slug, item in by_slug.items()
    }
    org_ids = assign_org_ids(evidence)
    metas: dict[str, ReportMeta] = {}
    for item in parsed:
        slug = slugs[item.source]
        for anomaly in item.texts.anomalies:
            summary.warnings.append(Problem(item.path, anomaly.line, anomaly.message))
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
                summary.warnings.append(Problem(item.path, doubt.line, doubt.message))
        if "year" not in values:
            summary.skipped.append(
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
            encoding=item.encoding,
            format=item.facts.format,
            pages=item.facts.pages,
            originals=_originals(item),
            text_source=item.facts.text_source,
            ocr_engine=item.facts.ocr_engine,
            ocr_confidence=item.facts.ocr_confidence,
            chars=item.chars,
            redactions=item.redactions,
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
    return metas


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


def _originals(item: _Parsed) -> dict[str, str]:
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


def _write_outputs(
    parsed: list[_Parsed],
    slugs: dict[str, str],
    metas: dict[str, ReportMeta],
    out_dir: Path,
    summary: Summary,
    rendered: Cache,
    front_matter: Cache,
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / SOURCES_DIR).mkdir(exist_ok=True)
    manifest_path = out_dir / MANIFEST_NAME
    previous = _read_manifest(manifest_path)
    generated: list[str] = []
    for item, page in _rendered_pages(parsed, slugs, metas, rendered, front_matter):
        slug = slugs[item.source]
        files = [(f"{slug}.md", page)]
        if item.publishes_originals:
            files.append((f"{SOURCES_DIR}/{slug}/{item.path.name}", item.data))
            files.extend((f"{SOURCES_DIR}/{slug}/{p.name}", p.read_bytes()) for p in item.extras)
        else:
            files.append((f"{SOURCES_DIR}/{slug}.txt", item.data))
        for relative, content in files:
            generated.append(relative)
            if _write_if_changed(out_dir / relative, content):
                summary.written.append(relative)
        summary.converted.append(slug)
    for relative in sorted(set(previous) - set(generated)):
        stale = out_dir / relative
        if stale.is_file():
            stale.unlink()
            summary.removed.append(relative)
    manifest = json.dumps(sorted(generated), ensure_ascii=False, indent=0) + "\n"
    _write_if_changed(manifest_path, manifest.encode("utf-8"))


def _rendered_pages(
    parsed: list[_Parsed],
    slugs: dict[str, str],
    metas: dict[str, ReportMeta],
    rendered: Cache,
    front_matter: Cache,
) -> Iterator[tuple[_Parsed, bytes]]:
    """Each report's Markdown page, in input order (reports without metadata left out): from the
    cache where the same parsing got the same metadata before, the rest rendered now (in forked
    processes when there are many: they inherit what to render, and send back only the pages),
    their front matter as the build will read it stored in `front_matter`. Each page is yielded
    as soon as it is ready, so that it is written while the next ones render."""
    pending: list[tuple[_Parsed, str, bytes | None]] = []  # item, cache key, cached page
    todo: list[tuple[ReportMeta, Report]] = []
    for item in parsed:
        meta = metas.get(slugs[item.source])
        if meta is None:
            continue
        key = digest_of("rendered", item.key, encode(meta))
        page = rendered.get(key) if item.key else None
        if not isinstance(page, bytes):
            page = None
            todo.append((meta, item.report))
        pending.append((item, key, page))
    _TO_RENDER[:] = todo
    fresh = map_on_cores(
        _render_page, range(len(todo)), at_least=PARALLEL_FROM, chunksize=32, fork=True
    )
    try:
        for item, key, page in pending:
            if page is None:
                page, read_back = next(fresh)
                rendered.put(key, page)
                remember_front_matter(front_matter, page, read_back)
            yield item, page
    finally:
        fresh.close()  # stops the pool if it is still running
        _TO_RENDER.clear()


_TO_RENDER: list[tuple[ReportMeta, Report]] = []  # set before the pool forks


def _render_page(index: int) -> tuple[bytes, ReportMeta | str | None]:
    """A report's page, and its front matter read back as the build reads it (stored for the
    build: nianbao.speed.memo.front_matter_of)."""
    meta, report = _TO_RENDER[index]
    page = render_markdown(meta, report)
    return page.encode("utf-8"), report_meta_or_problem(read_front_matter(page))


def _read_manifest(path: Path) -> list[str]:
    """The files a previous run generated; only these may be removed as stale."""
    if not path.is_file():
        return []
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return []
    return [
        entry
        for entry in listed
        if isinstance(entry, str) and ".." not in entry.split("/") and not entry.startswith("/")
    ]


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a hard link into the published folder (nianbao.build.publish)
    path.write_bytes(content)
    return True
