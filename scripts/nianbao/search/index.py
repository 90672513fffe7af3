"""Feeding the search engine (Pagefind) with our analysis: one record per report.

Pagefind finds the reports holding every query token; the search box (search.js) then checks
each against its sections' text (kept in the record's metadata) and links the sections that
hold the terms. nianbao.build.search has each year indexed (nianbao.speed.index_jobs: each
page's `page_content`, remembered between builds by nianbao.speed.memo, then `records`,
`stage_records`, `index_shard`) while MkDocs writes the pages, and calls `finish_bundles`
after the build.

The index is one Pagefind bundle a year (`site/pagefind/2023/` …, listed newest first in
`site/pagefind/shards.json`): the search box asks the newest year first and shows its results
while older years are searched, so the first result costs one year's reports, not the whole
archive's; and a build re-indexes only the years whose records changed.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from pagefind_bin import get_executable

from nianbao.schema import ReportMeta
from nianbao.search.analysis import Analyzer, user_dictionary
from nianbao.search.pagefind_stable import stabilise
from nianbao.site.pages import ReportPage
from nianbao.vocabulary import TOPICS

BUNDLE_DIR = "pagefind"
SHARDS_FILE = "shards.json"
SCRIPT_FILE = "pagefind.js"
# Pagefind's ready-made search interfaces: our search box (search.js) uses none of them.
UNUSED_UI = (
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
)
# In each year's bundle: the digest of the records it was built from (unchanged → not rebuilt).
STAMP_FILE = "records.sha256"
# The language Pagefind indexes the records as: ISO 639's "no linguistic content". The records
# hold our tokens (nianbao.search.analysis), not Chinese text, so Pagefind must take them as they
# are, split at spaces: for "zh" it would run its own Chinese segmenter over them, for the same
# words. The search box loads a bundle's only index whatever the page's language is.
INDEX_LANGUAGE = "zxx"
# Repeats that rank a match in the heading or title above one in the body.
HEADING_WEIGHT = 3
TITLE_WEIGHT = 2
# Filter (facet) names as the reader sees them.
FILTER_YEAR, FILTER_ORG, FILTER_TYPE, FILTER_TOPIC = "年度", "机构", "类型", "主题"


def build_analyzer(
    pages: Sequence[ReportPage], load_dictionary: Callable[[], None] | None = None
) -> Analyzer:
    """An analyzer whose jieba dictionary holds the corpus's names and the topic vocabulary
    (jieba's own dictionary loaded by `load_dictionary`: nianbao.search.analysis.Analyzer)."""
    texts = [section.text for page in pages for section in page.sections]
    names = [page.meta.org for page in pages]
    names += [keyword for keywords in TOPICS.values() for keyword in keywords]
    return Analyzer(user_dictionary(texts, names), load_dictionary)


Job = tuple[str, list[tuple[str, str]]]  # a page's title, and each section's heading and text


def page_content(analyzer: Analyzer, job: Job) -> str:
    """A page's indexed content: each section's distinct tokens (so a token's count is the
    number of sections holding it, not of its occurrences: a far smaller index that the browser
    searches faster), headings and title repeated to rank above text."""
    title, sections = job
    tokens = _distinct(analyzer, title) * TITLE_WEIGHT
    for heading, text in sections:
        tokens += _distinct(analyzer, heading) * HEADING_WEIGHT + _distinct(analyzer, text)
    return " ".join(tokens)


def page_job(page: ReportPage) -> Job:
    """What a page's indexed content is made of (`page_content`)."""
    return page.meta.title, [(section.heading, section.text) for section in page.sections]


def _distinct(analyzer: Analyzer, text: str) -> list[str]:
    """A text's tokens once each, and once more those of the dictionary's words in it."""
    plain, names = analyzer.index_token_parts(text)
    return list(dict.fromkeys(plain)) + list(dict.fromkeys(names))


Record = dict[str, object]


def shard_of(meta: ReportMeta) -> str:
    """The index bundle a report's record goes into: its year's."""
    return str(meta.year)


def records(
    pages: Sequence[ReportPage], contents: Iterable[str], org_names: Mapping[str, str]
) -> Iterator[Record]:
    """One Pagefind record a report (the pages of one shard: `shard_of`): its analysed tokens
    (`contents`, each page's `page_content`) as content, so every term of a query must be in the
    report; its sections' text in meta; facets as filters, the organisation's by its display
    name (`org_names`: by org_id)."""
    for page, content in zip(pages, contents, strict=True):
        meta = page.meta
        # A redacted copy's facet is its organisation as written: the group's name may be the
        # original's, which it hides.
        org_name = meta.org if meta.variant_of else org_names[meta.org_id]
        filters = {
            FILTER_YEAR: [f"{meta.year}年"],
            FILTER_ORG: [org_name],
            FILTER_TYPE: [meta.type],
        }
        if meta.tags:
            filters[FILTER_TOPIC] = list(meta.tags)
        sections = [[s.anchor, s.heading, s.text] for s in page.sections]
        shown = {
            "title": meta.title,
            "page": page.url,
            "org": meta.org,
            "year": f"{meta.year}年",
            "type": meta.type,
            # The search box checks each result against this text and finds the sections.
            "sections": json.dumps(sections, ensure_ascii=False),
        }
        if meta.variant_of:
            shown["pair"] = "隐去信息的版本"
        elif meta.variants:
            shown["pair"] = "另有隐去信息的版本"
        yield _record(page.url, content, shown, filters, meta.year)


def _record(
    url: str,
    content: str,
    shown: dict[str, str],
    filters: dict[str, list[str]],
    year: int,
) -> dict[str, object]:
    return {
        "url": url,
        "content": content,
        "meta": shown,
        "filters": filters,
        "sort": {"year": f"{year:04d}"},
    }


def record_html(record: dict[str, object]) -> str:
    """One record as the HTML page Pagefind indexes: analysed tokens as the body, the text to
    show as metadata, facets as filters. Pagefind keeps metadata and filters of ignored elements.
    """
    parts = [f'<!doctype html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8">']
    parts.append("</head><body>")
    parts.append("<main data-pagefind-body><div data-pagefind-ignore>")
    for key, value in record["meta"].items():  # type: ignore[attr-defined]
        parts.append(f'<span data-pagefind-meta="{key}">{html.escape(str(value))}</span>')
    for name, values in record["filters"].items():  # type: ignore[attr-defined]
        for value in values:
            parts.append(f'<span data-pagefind-filter="{name}">{html.escape(value)}</span>')
    for name, value in record["sort"].items():  # type: ignore[attr-defined]
        parts.append(f'<span data-pagefind-sort="{name}">{html.escape(value)}</span>')
    parts.append(f"</div><p>{record['content']}</p></main></body></html>")
    return "".join(parts)


StagedRecord = tuple[str, bytes]  # a record's path in its shard's staging folder, its HTML


def stage_records(records_of_shard: Iterable[Record]) -> list[StagedRecord]:
    """Each record of one shard as the small HTML page Pagefind indexes, with its path."""
    return [
        (f"{number // 1000:05d}/{number:07d}.html", record_html(record).encode("utf-8"))
        for number, record in enumerate(records_of_shard)
    ]


def index_shard(staged: Sequence[StagedRecord], staging: Path, site_dir: Path, shard: str) -> bool:
    """Index a shard's staged records into `site_dir/pagefind/<shard>/` (written for Pagefind
    into `staging/<shard>/`), unless its bundle there was built from the same records. Returns
    whether it was (re)indexed."""
    target = site_dir / BUNDLE_DIR / shard
    digest = _records_digest(staged)
    stamp = target / STAMP_FILE
    built = stamp.is_file() and (target / "pagefind-entry.json").is_file()
    if built and stamp.read_text(encoding="utf-8") == digest:
        return False
    for relative, page in staged:
        path = staging / shard / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page)
    shutil.rmtree(target, ignore_errors=True)
    run_pagefind(staging / shard, target)
    for unused in target.iterdir():
        if unused.name.startswith(UNUSED_UI):
            unused.unlink()
    stabilise(target)  # the same records, the same bytes (Pagefind orders some files at random)
    stamp.write_text(digest, encoding="utf-8")
    return True


def finish_bundles(site_dir: Path, counts: dict[str, int]) -> None:
    """Once every shard is indexed: drop bundles of shards that are gone, and list the shards
    newest first in `shards.json` beside one copy of Pagefind's script."""
    out = site_dir / BUNDLE_DIR
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        if stale.is_dir() and stale.name not in counts:
            shutil.rmtree(stale)
        elif stale.is_file() and stale.name not in (SHARDS_FILE, SCRIPT_FILE):
            stale.unlink()
    if counts:
        # Pagefind's script is the same in every bundle: one copy beside the list of years lets
        # the search box load both at once.
        shutil.copyfile(out / max(counts) / SCRIPT_FILE, out / SCRIPT_FILE)
    shards = [
        {"path": f"{shard}/", "year": f"{shard}年", "reports": counts[shard]}
        for shard in sorted(counts, reverse=True)
    ]
    (out / SHARDS_FILE).write_text(
        json.dumps({"shards": shards}, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def _records_digest(staged: Sequence[StagedRecord]) -> str:
    digest = hashlib.sha256()
    for relative, page in sorted(staged):
        digest.update(relative.encode())
        digest.update(page)
    return digest.hexdigest()


def run_pagefind(staging: Path, output: Path) -> None:
    """Index the staged records of one shard with the Pagefind binary into `output`.

    The binary (from the `pagefind[bin]` wheels, run directly rather than through
    `python -m pagefind`) indexes the folder in one run. (Its `extended` build adds segmenters
    for Chinese and Japanese, which our tokens need none of: `INDEX_LANGUAGE`.) Pagefind's
    Python API is not used: it answers custom records one at a time, slowly for a large
    archive, and it stops the indexer as soon as the write is acknowledged, which can leave
    `pagefind-entry.json` empty.
    """
    command = [str(get_executable()), "--site", str(staging), "--output-path"]
    command += [str(output), "--force-language", INDEX_LANGUAGE, "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    entry_file = output / "pagefind-entry.json"
    if done.returncode or not entry_file.is_file() or not entry_file.stat().st_size:
        raise RuntimeError(f"Pagefind failed ({done.returncode}): {done.stdout}{done.stderr}")
