"""Feeding the search engine (Pagefind) with our analysis: one record per report section.

The `search_zh` hook collects sections while pages render and calls `write_index` after the
build; Pagefind writes its bundle (index, fragments, wasm, JS API) into `site/pagefind/`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

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
        "language": "zh",
        "meta": {**shown, **about},
        "filters": filters,
        "sort": {"year": f"{year:04d}"},
    }


def write_index(site_dir: Path, entries: Sequence[dict[str, object]]) -> None:
    """Write the Pagefind bundle for these records into `site_dir/pagefind`.

    Runs in a thread of its own: the caller may already run an event loop (Playwright's sync
    API in the tests does), and `asyncio.run` needs a thread without one.
    """
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, _write(site_dir, entries)).result()


async def _write(site_dir: Path, entries: Sequence[dict[str, object]]) -> None:
    config = IndexConfig(output_path=str(site_dir / BUNDLE_DIR))
    async with PagefindIndex(config) as index:
        for entry in entries:
            await index.add_custom_record(**entry)  # type: ignore[arg-type]
