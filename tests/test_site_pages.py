"""The built sample site: listing pages list exactly the right reports; report pages show their
metadata, redaction marks and variant notes."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import BuiltSite
from mkdocs.utils.meta import get_data
from nianbao.schema import ReportMeta

pytestmark = pytest.mark.build

S000, S001, S004 = "000_49c4854f0d4b78b1", "001_e65edd4454997b99", "004_98663ce6772e791d"


def _reports(site: BuiltSite) -> list[ReportMeta]:
    metas = []
    for path in sorted((site.docs_dir / "reports").glob("*.md")):
        metas.append(ReportMeta.from_meta(get_data(path.read_text(encoding="utf-8"))[1]))
    return metas


def _linked_reports(html: str) -> set[str]:
    content = html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    return set(re.findall(r'href="(?:\.\./)*reports/([^/"]+)/"', content))


def test_each_year_page_lists_exactly_that_years_reports(sample_site: BuiltSite) -> None:
    expected: dict[int, set[str]] = defaultdict(set)
    for meta in _reports(sample_site):
        expected[meta.year].add(meta.slug)
    assert set(expected) == {2022, 2023}
    for year, slugs in expected.items():
        assert _linked_reports(sample_site.html(f"years/{year}/")) == slugs, sample_site.reproduce


def test_each_type_page_lists_exactly_that_types_reports(sample_site: BuiltSite) -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    for meta in _reports(sample_site):
        expected[meta.type].add(meta.slug)
    for report_type, slugs in expected.items():
        assert _linked_reports(sample_site.html(f"types/{report_type}/")) == slugs


def test_each_org_page_lists_exactly_that_orgs_reports(sample_site: BuiltSite) -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    for meta in _reports(sample_site):
        expected[meta.org_id].add(meta.slug)
    assert len(expected) == 3
    for org_id, slugs in expected.items():
        assert _linked_reports(sample_site.html(f"orgs/{org_id}/")) == slugs


def test_home_page_counts_and_newest_reports(sample_site: BuiltSite) -> None:
    html = sample_site.html("")
    reports = _reports(sample_site)
    assert f"<strong>{len(reports)} 篇</strong>" in html
    assert "2023年</a>：4 篇" in html and "2022年</a>：1 篇" in html
    assert _linked_reports(html) == {m.slug for m in reports}


def test_org_timeline_shows_gaps_as_gaps(sample_site: BuiltSite) -> None:
    # The sample corpus has one year per organisation: no gap rows may be invented.
    for meta in _reports(sample_site):
        assert "本年无报告" not in sample_site.html(f"orgs/{meta.org_id}/")


def test_004_shows_its_redaction_marks_literally(sample_site: BuiltSite) -> None:
    html = sample_site.html(f"reports/{S004}/")
    marks = re.findall(r'<span class="nb-redacted" title="原文已隐去">([^<]*)</span>', html)
    assert {"*", "**", "****", "***"} <= set(marks)
    assert "<strong>" not in html


def test_001_says_it_is_a_redacted_variant_without_naming_000(sample_site: BuiltSite) -> None:
    html001 = sample_site.html(f"reports/{S001}/")
    assert "隐去信息的版本" in html001
    # Neither a link to the original nor its title: that would undo the redaction.
    assert S000 not in html001 and "县医疗保障局2023年党建工作汇报" not in html001
    html000 = sample_site.html(f"reports/{S000}/")
    assert re.search(rf'另有隐去机构名、地名等信息的版本：<a href="\.\./{S001}/">', html000)


def test_metadata_block_and_source_download(sample_site: BuiltSite) -> None:
    meta = next(m for m in _reports(sample_site) if m.slug == S004)
    html = sample_site.html(f"reports/{S004}/")
    block = html.split('<div class="nb-meta">', 1)[1].split("</div>", 1)[0]
    for label in ("机构", "地区", "年度", "类型", "来源文件", "字数", "标签"):
        assert f"<td>{label}</td>" in block
    assert meta.source_sha256 in block and "2022年</a>（含 2023年工作思路）" in block
    href = re.search(r'<a download href="([^"]+)">004_98663ce6772e791d\.txt</a>', block)
    assert href, block
    source = sample_site.site_dir / "reports" / S004 / href.group(1)
    assert hashlib.sha256(source.resolve().read_bytes()).hexdigest() == meta.source_sha256


def test_pages_are_chinese_and_free_of_zero_width_characters(sample_site: BuiltSite) -> None:
    for page in sample_site.site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="zh"' in html, page
        assert not re.search("[\u200b\u200c\u200d\u2060\ufeff]", html), page


class _Links(HTMLParser):
    """The link targets (href, src) and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.targets.append(value)
            elif name == "id" and value is not None:
                self.ids.add(value)


def _parsed(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_link_of_every_page_resolves(sample_site: BuiltSite) -> None:
    """Links written as HTML by our hooks (listings, metadata blocks, year-over-year links) are
    not checked by MkDocs: every relative link and its #fragment must reach a file of the site
    and an element of that page."""
    site = sample_site.site_dir
    pages = {path: _parsed(path) for path in site.rglob("*.html")}
    broken = []
    checked = 0
    for path, links in pages.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith("data:"):
                continue
            # 404.html links from the site's root (its URL is not known in advance).
            base = site if parts.path.startswith("/") else path.parent
            resolved = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            checked += 1
            if not resolved.is_file() or site.resolve() not in resolved.parents:
                broken.append(f"{path.relative_to(site)}: {target}")
            elif parts.fragment and resolved.suffix == ".html":
                ids = pages[resolved].ids if resolved in pages else _parsed(resolved).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site)}: {target} (no such anchor)")
    assert checked > 1000
    assert not broken, "\n".join(broken[:20])
