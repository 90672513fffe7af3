"""Feeding the search engine (Pagefind) with our analysis: one record per report section.

The `search_zh` hook collects sections while pages render and calls `write_index` after the
build; Pagefind writes its bundle (index, fragments, wasm, JS API) into `site/pagefind/`.
"""

from __future__ import annotations

import html
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nianbao.analysis import Analyzer, user_dictionary
from nianbao.schema import ReportMeta
from nianbao.sections import Section
from nianbao.vocabulary import TOPICS

BUNDLE_DIR = "pagefind"
# Repeats that rank a match in the heading or title above one in the body.
HEADING_WEIGHT = 3
TITLE_WEIGHT = 2
# Filter (facet) names as the reader sees them.
FILTER_YEAR, FILTER_ORG, FILTER_TYPE, FILTER_TOPIC = "年度", "机构", "类型", "主题"
# Records are sections, plus one for the whole report so that the terms of a multi-term query
# may sit in different sections; the search box tells them apart by this filter.
FILTER_SCOPE, SCOPE_SECTION, SCOPE_REPORT = "范围", "章节", "全文"


@dataclass(frozen=True)
class PageSections:
    """The sections of one rendered report page."""

    url: str  # page URL relative to the site root, e.g. "reports/002_x/"
    meta: ReportMeta
    org_name: str
    sections: Sequence[Section]


def build_analyzer(pages: Sequence[PageSections]) -> Analyzer:
    """An analyzer whose jieba dictionary holds the corpus's names and the topic vocabulary."""
    texts = [section.text for page in pages for section in page.sections]
    names = [page.meta.org for page in pages]
    names += [keyword for keywords in TOPICS.values() for keyword in keywords]
    return Analyzer(user_dictionary(texts, names))


def records(pages: Sequence[PageSections], analyzer: Analyzer) -> list[dict[str, object]]:
    """Pagefind custom records: analysed content, original text in meta, facets as filters."""
    result: list[dict[str, object]] = []
    for page in pages:
        meta = page.meta
        title_tokens = analyzer.index_tokens(meta.title)
        filters = {
            FILTER_YEAR: [f"{meta.year}年"],
            FILTER_ORG: [page.org_name],
            FILTER_TYPE: [meta.type],
        }
        if meta.tags:
            filters[FILTER_TOPIC] = list(meta.tags)
        about = {"page": page.url, "org": meta.org, "year": f"{meta.year}年", "type": meta.type}
        whole: list[str] = []
        for section in page.sections:
            text_tokens = analyzer.index_tokens(section.text)
            heading_tokens = analyzer.index_tokens(section.heading)
            whole += heading_tokens + text_tokens
            tokens = text_tokens + heading_tokens * HEADING_WEIGHT + title_tokens * TITLE_WEIGHT
            anchor = f"#{section.anchor}" if section.anchor else ""
            result.append(
                _record(
                    page.url + anchor,
                    tokens,
                    {
                        "title": meta.title,
                        "heading": section.heading,
                        "text": section.text,
                        "scope": SCOPE_SECTION,
                    },
                    about,
                    {**filters, FILTER_SCOPE: [SCOPE_SECTION]},
                    meta.year,
                )
            )
        full_text = "\n".join(
            part for section in page.sections for part in (section.heading, section.text) if part
        )
        result.append(
            _record(
                page.url,
                whole + title_tokens,
                {"title": meta.title, "heading": "", "text": full_text, "scope": SCOPE_REPORT},
                about,
                {**filters, FILTER_SCOPE: [SCOPE_REPORT]},
                meta.year,
            )
        )
    return result


def _record(
    url: str,
    tokens: list[str],
    shown: dict[str, str],
    about: dict[str, str],
    filters: dict[str, list[str]],
    year: int,
) -> dict[str, object]:
    return {
        "url": url,
        "content": " ".join(tokens),
        "meta": {**shown, **about, "link": url},
        "filters": filters,
        "sort": {"year": f"{year:04d}"},
    }


def record_html(record: dict[str, object]) -> str:
    """One record as the HTML page Pagefind indexes: analysed tokens as the body, the text to
    show as metadata, facets as filters. Pagefind keeps metadata and filters of ignored elements.
    """
    parts = ['<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>']
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


def write_index(site_dir: Path, entries: Sequence[dict[str, object]]) -> None:
    """Write the Pagefind bundle for these records into `site_dir/pagefind`.

    The records are written as small HTML pages into a staging folder that the Pagefind binary
    (from the `pagefind` wheel) indexes in one run. Its Python API is not used: it answers one
    custom record per 100 ms (minutes for a large archive), and it stops the indexer as soon as
    the write is acknowledged, which can leave `pagefind-entry.json` empty.
    """
    output = site_dir / BUNDLE_DIR
    with tempfile.TemporaryDirectory(prefix="nianbao-pagefind-") as staging:
        for number, entry in enumerate(entries):
            folder = Path(staging) / f"{number // 1000:05d}"
            folder.mkdir(exist_ok=True)
            (folder / f"{number:07d}.html").write_text(record_html(entry), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", staging, "--output-path"]
        command += [str(output), "--force-language", "zh", "--silent"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    entry_file = output / "pagefind-entry.json"
    if done.returncode or not entry_file.is_file() or not entry_file.stat().st_size:
        raise RuntimeError(f"Pagefind failed ({done.returncode}): {done.stdout}{done.stderr}")
