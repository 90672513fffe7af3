"""Converting a folder of raw reports into Markdown pages: the converter's run (scripts/convert.py).

Reads every file below the reports folder (never writing there) — text, portal pages, Word, PDF,
OFD, scans — and hands each to the pure steps of nianbao.convert.pipeline (parse it, pair
documents, attach portal pages, name the reports, decide their front matter, render their
pages); then writes `<slug>.md` and the original (`sources/<slug>.txt` for text,
`sources/<slug>/<its own name>` for other formats) into the output folder, only where their
bytes change, and removes pages it generated earlier whose source is gone. Files that are not
reports (a saved page's `_files` folder, hidden and system files) are listed as ignored; files
that cannot be read, as skipped with the reason.

What the run adds to the steps is kept apart here: each file's parsing and each page are
remembered in the cache (nianbao.speed.cache) and reused while their input and the code stay the
same, and many files are parsed and rendered on every core (nianbao.speed.pools).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.convert.catalog import load_catalog
from nianbao.convert.inputs import DEFAULT_MAX_BYTES, Refused, find_reports, read_report
from nianbao.convert.pipeline import (
    SOURCES_DIR,
    Attachment,
    AttachmentPage,
    FileOutcome,
    FileParse,
    ParsedFile,
    Problem,
    ReportFile,
    Summary,
    Unreadable,
    assign_slugs,
    attach_pages,
    build_metas,
    one_per_source,
    page_files,
    pair_documents,
    parse_file,
    render_page,
    source_name,
)
from nianbao.convert.report import Report
from nianbao.schema import ReportMeta
from nianbao.speed.cache import Cache, digest_of, scoped_root
from nianbao.speed.cache_codec import decode, encode
from nianbao.speed.pools import map_on_cores

MANIFEST_NAME = ".manifest.json"  # dot-file: MkDocs does not publish it
PARALLEL_FROM = 200  # files from which reading and parsing is spread over processes
PARSED_CACHE, RENDERED_CACHE = "parsed", "rendered"  # cache namespaces of the run

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ParseRecord:
    """What the cache keeps of a report file's parsing: what the folder steps read, and the
    report in the cache's format — decoded only when its page renders, which for most reports
    of an update it does not (their pages come from the cache too)."""

    parse: FileParse
    report: str


@dataclass
class _Reports:
    """The run's parsed reports by source, for rendering their pages."""

    keys: dict[str, str] = field(default_factory=dict)  # the cache key of each one's parsing
    parsed: dict[str, Report] = field(default_factory=dict)  # parsed in this run
    stored: dict[str, str] = field(default_factory=dict)  # from the cache, not decoded yet

    def report(self, source: str) -> Report:
        if source in self.parsed:
            return self.parsed[source]
        report = decode(self.stored[source].encode("utf-8"))
        if not isinstance(report, Report):
            raise TypeError(f"{source}: the cache held no parsed report")
        return report


def convert_folder(
    reports_dir: Path,
    out_dir: Path,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Summary:
    """Convert every report below `reports_dir` into pages in `out_dir`.

    With `cache_dir`, each file's parsing is kept there under the digest of its bytes, and each
    page under the digest of that and its metadata, and reused while they (and the converter's
    code) stay the same — in the entries of `reports_dir` (nianbao.speed.cache.scoped_root). A bad
    catalog field is left out (a
    catalog that cannot be read, wholly) and reported in `summary.catalog_errors`; the reports
    convert with their inferred values instead. A catalog entry whose report file is gone is a
    warning. A file that cannot be read (or is larger than `max_bytes`) is named in
    `summary.skipped` with the reason, and the rest converts.
    """
    summary = Summary()
    found = find_reports(reports_dir, max_bytes)
    summary.skipped.extend(Problem(r.path, 0, r.reason) for r in found.refused)
    summary.ignored = found.ignored
    paths, clashes = one_per_source(reports_dir, found.files)
    summary.skipped.extend(clashes)
    sources = {source_name(reports_dir, p) for p in paths}
    catalog, catalog_errors = load_catalog(reports_dir, sources)
    summary.catalog_errors = [str(error) for error in catalog_errors if error.fatal]
    summary.warnings.extend(
        Problem(error.path, error.line, error.message)
        for error in catalog_errors
        if not error.fatal
    )
    parsed: list[ReportFile] = []
    attachments: list[Attachment] = []
    reports = _Reports()
    own_root = scoped_root(cache_dir, reports_dir) if cache_dir is not None else None
    cache = Cache(own_root, PARSED_CACHE)
    for index, outcome in enumerate(_read_all(reports_dir, paths, cache, reports), start=1):
        if progress:
            progress(index, len(paths))
        if isinstance(outcome, Problem):
            summary.skipped.append(outcome)
        elif isinstance(outcome, Attachment):
            attachments.append(outcome)
        else:
            parsed.append(outcome)
    parsed = pair_documents(parsed)
    summary.skipped.extend(attach_pages(parsed, attachments))
    slugs = assign_slugs([item.source for item in parsed])
    metas = build_metas(parsed, slugs, catalog)
    summary.warnings.extend(metas.warnings)
    summary.skipped.extend(metas.skipped)
    rendered = Cache(own_root, RENDERED_CACHE)
    pages = _rendered_pages(parsed, slugs, metas.metas, reports, rendered)
    _write_outputs(pages, slugs, out_dir, summary)
    summary.cached = cache.hits
    cache.prune()
    rendered.prune()
    return summary


def _read_all(
    reports_dir: Path, paths: list[Path], cache: Cache, reports: _Reports
) -> Iterator[ReportFile | Attachment | Problem]:
    """Read each file and parse it, in input order: from the cache where the same bytes were
    parsed before, the rest across all cores when there are many (the per-file work is
    independent; variants and organisations are decided after)."""
    pending: list[tuple[Path, bytes, str, object]] = []  # path, bytes, key, outcome (None: parse)
    jobs: list[tuple[str, bytes]] = []
    for path in paths:
        data = read_report(path)
        if isinstance(data, Refused):
            pending.append((path, b"", "", Unreadable(0, data.reason)))
            continue
        key = digest_of(PARSED_CACHE, data)
        kept = cache.get(key)
        if not isinstance(kept, ParseRecord | AttachmentPage | Unreadable):
            kept = None  # a miss (or an entry of another shape): parse again
            jobs.append((path.name, data))
        pending.append((path, data, key, kept))
    fresh = map_on_cores(_parse_job, jobs, at_least=PARALLEL_FROM, chunksize=16)
    for path, data, key, kept in pending:
        outcome = kept
        if outcome is None:
            outcome = next(fresh)
            if cache.enabled:
                cache.put(key, _record(outcome))
        yield _placed(reports_dir, path, data, key, outcome, reports)


def _parse_job(job: tuple[str, bytes]) -> FileOutcome:
    return parse_file(*job)


def _record(outcome: FileOutcome) -> ParseRecord | AttachmentPage | Unreadable:
    """What the cache keeps of a file's parsing (it depends on the bytes alone)."""
    if isinstance(outcome, ParsedFile):
        return ParseRecord(outcome.parse, encode(outcome.report).decode("utf-8"))
    return outcome


def _placed(
    reports_dir: Path, path: Path, data: bytes, key: str, outcome: object, reports: _Reports
) -> ReportFile | Attachment | Problem:
    """A file's parsing (fresh or kept) as the folder steps take it; its report noted for its
    page."""
    if isinstance(outcome, Unreadable):
        return Problem(path, outcome.line, outcome.message)
    if isinstance(outcome, AttachmentPage):
        return Attachment(path, outcome)
    source = source_name(reports_dir, path)
    reports.keys[source] = key
    if isinstance(outcome, ParsedFile):
        reports.parsed[source] = outcome.report
        return ReportFile(source, path, data, outcome.parse)
    if not isinstance(outcome, ParseRecord):
        raise TypeError(f"{source}: not a parsing: {type(outcome).__name__}")
    reports.stored[source] = outcome.report
    return ReportFile(source, path, data, outcome.parse)


def _rendered_pages(
    parsed: list[ReportFile],
    slugs: dict[str, str],
    metas: dict[str, ReportMeta],
    reports: _Reports,
    rendered: Cache,
) -> Iterator[tuple[ReportFile, bytes]]:
    """Each report's Markdown page, in input order (reports without metadata left out): from the
    cache where the same parsing got the same metadata before, the rest rendered now (in forked
    processes when there are many: they inherit what to render, and send back only the pages).
    Each page is yielded
    as soon as it is ready, so that it is written while the next ones render."""
    pending: list[tuple[ReportFile, str, bytes | None]] = []  # item, cache key, cached page
    todo: list[tuple[ReportMeta, Report]] = []
    for item in parsed:
        meta = metas.get(slugs[item.source])
        if meta is None:
            continue
        key = digest_of(RENDERED_CACHE, reports.keys[item.source], encode(meta))
        page = rendered.get(key)
        if not isinstance(page, bytes):
            page = None
            todo.append((meta, reports.report(item.source)))
        pending.append((item, key, page))
    _TO_RENDER[:] = todo
    fresh = map_on_cores(
        _render_job, range(len(todo)), at_least=PARALLEL_FROM, chunksize=32, fork=True
    )
    try:
        for item, key, page in pending:
            if page is None:
                page = next(fresh)
                rendered.put(key, page)
            yield item, page
    finally:
        fresh.close()  # stops the pool if it is still running
        _TO_RENDER.clear()


# What the forked render workers read: set before the pool forks, so that the reports are
# inherited rather than sent to each worker.
_TO_RENDER: list[tuple[ReportMeta, Report]] = []


def _render_job(index: int) -> bytes:
    return render_page(*_TO_RENDER[index])


def _write_outputs(
    pages: Iterator[tuple[ReportFile, bytes]],
    slugs: dict[str, str],
    out_dir: Path,
    summary: Summary,
) -> None:
    """Write each page and its originals where their bytes change; remove the files an earlier
    run generated that this one did not; list what it generated in the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / SOURCES_DIR).mkdir(exist_ok=True)
    manifest_path = out_dir / MANIFEST_NAME
    previous = _read_manifest(manifest_path)
    generated: list[str] = []
    for item, page in pages:
        slug = slugs[item.source]
        for relative, content in page_files(item, slug, page):
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
