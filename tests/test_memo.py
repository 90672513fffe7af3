"""The memo wrappers of nianbao.speed (memo, and the converter's run in nianbao.build.convert_run):
a hit gives what computing afresh gives, and a changed input misses — on real reports, with a
real cache in a temporary folder."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPORTS
from nianbao.build.convert_run import convert_folder
from nianbao.convert.report import parse_report
from nianbao.schema import ReportMeta
from nianbao.search import analysis
from nianbao.search.index import build_analyzer, page_content, page_job
from nianbao.site.pages import ReportPage
from nianbao.site.sections import Section
from nianbao.speed import memo
from nianbao.speed.cache import Cache

SAMPLES = sorted(SAMPLE_REPORTS.glob("*.txt"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("memo") / "docs" / "reports"
    convert_folder(SAMPLE_REPORTS, out)
    return out


def _pages(converted: Path) -> list[ReportPage]:
    """Each sample's page as the build sees it, a section a paragraph of its report."""
    pages = []
    for path in SAMPLES:
        report = parse_report(path.read_text(encoding="utf-8"))
        meta = _meta_of(converted, path)
        sections = tuple(
            Section(f"s{line.number}", line.text[:12], 2, line.text) for line in report.body
        )
        url = f"reports/{meta.slug}/"
        pages.append(ReportPage(f"reports/{meta.slug}.md", url, meta, sections, (), ()))
    return pages


def _meta_of(converted: Path, path: Path) -> ReportMeta:
    outcome = memo.front_matter_of(Cache(None, "x"), (converted / f"{_slug(path)}.md").read_bytes())
    assert isinstance(outcome, ReportMeta)
    return outcome


def _slug(path: Path) -> str:
    return path.stem.lower()


def test_page_contents_hit_is_what_analysing_afresh_gives(converted: Path, tmp_path: Path) -> None:
    pages = _pages(converted)
    analyzer = build_analyzer(pages)
    fresh = [page_content(analyzer, page_job(page)) for page in pages]
    cache, cuts = Cache(tmp_path, memo.ANALYSIS_CACHE), Cache(tmp_path, memo.CUTS_CACHE)
    assert list(memo.page_contents(pages, analyzer, cache, cuts)) == fresh
    assert cache.misses == len(pages) and cache.hits == 0
    again = Cache(tmp_path, memo.ANALYSIS_CACHE)
    assert list(memo.page_contents(pages, analyzer, again, cuts)) == fresh
    assert again.hits == len(pages) and again.misses == 0


def test_an_edited_page_is_analysed_again(converted: Path, tmp_path: Path) -> None:
    pages = _pages(converted)
    analyzer = build_analyzer(pages)
    cuts = Cache(tmp_path, memo.CUTS_CACHE)
    list(memo.page_contents(pages, analyzer, Cache(tmp_path, memo.ANALYSIS_CACHE), cuts))
    first = pages[0]
    edited = dataclasses.replace(
        first, sections=(*first.sections, Section("x", "新增", 2, "新增一段"))
    )
    cache = Cache(tmp_path, memo.ANALYSIS_CACHE)
    (content,) = memo.page_contents([edited], analyzer, cache, cuts)
    assert cache.misses == 1 and content == page_content(analyzer, page_job(edited))


def test_front_matter_hit_and_miss(converted: Path, tmp_path: Path) -> None:
    page = (converted / f"{_slug(SAMPLES[0])}.md").read_bytes()
    cache = Cache(tmp_path, memo.FRONT_MATTER_CACHE)
    first = memo.front_matter_of(cache, page)
    assert isinstance(first, ReportMeta) and cache.misses == 1
    assert memo.front_matter_of(cache, page) == first and cache.hits == 1
    changed = page.replace(first.title.encode(), "另一个标题".encode(), 1)
    assert memo.front_matter_of(cache, changed).title == "另一个标题"  # type: ignore[union-attr]
    assert cache.misses == 2


def test_jieba_dictionary_kept_in_the_cache_is_jiebas_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded: list[object] = []
    for _ in range(2):
        monkeypatch.setattr(analysis, "_loaded", [])
        cache = Cache(tmp_path, memo.DICTIONARY_CACHE)
        memo.load_dictionary(cache)
        loaded.append(analysis._loaded[0])
    assert cache.hits == 1  # the second load came from the cache
    first, second = loaded
    assert second.initialized and second.total == first.total  # type: ignore[attr-defined]
    assert second.FREQ == first.FREQ and len(first.FREQ) > 300_000  # type: ignore[attr-defined]


def test_a_second_conversion_reuses_every_parsing_and_a_changed_file_misses(
    tmp_path: Path,
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE_REPORTS, reports)
    cache = tmp_path / "cache"
    plain = convert_folder(reports, tmp_path / "plain" / "reports")
    first = convert_folder(reports, tmp_path / "docs" / "reports", cache_dir=cache)
    assert first.cached == 0 and first.converted == plain.converted
    second = convert_folder(reports, tmp_path / "docs" / "reports", cache_dir=cache)
    assert second.cached == len(SAMPLES) and not second.written
    for name in sorted(p.name for p in (tmp_path / "plain" / "reports").glob("*.md")):
        cached_page = (tmp_path / "docs" / "reports" / name).read_bytes()
        assert cached_page == (tmp_path / "plain" / "reports" / name).read_bytes()
    edited = reports / SAMPLES[0].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    third = convert_folder(reports, tmp_path / "docs" / "reports", cache_dir=cache)
    assert third.cached == len(SAMPLES) - 1
    assert f"{_slug(SAMPLES[0])}.md" in third.written
