"""Hostile input (tests/fixtures/hostile/make_hostile.py): each bad file named once and skipped,
every other file converted, the site built, no report text live as HTML or script, slugs unique
and stable, and a rebuild from the same input byte-identical."""

from __future__ import annotations

import csv
import filecmp
import gzip
import hashlib
import html
import importlib.util
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, BuiltSite, ServedSite, build_site, convert_reports, serve
from nianbao import escape
from nianbao.schema import read_front_matter
from nianbao.site.listings import topic_uri

pytestmark = pytest.mark.build


def _hostile() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_hostile", FIXTURES / "hostile" / "make_hostile.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = _hostile()


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "reports"
    HOSTILE.write(folder)
    return folder


@pytest.fixture(scope="module")
def hostile_site(hostile_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(hostile_dir, tmp_path_factory.mktemp("hostile-site"))


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_each_bad_file_is_named_once_and_the_rest_convert(
    hostile_dir: Path, tmp_path: Path
) -> None:
    before = _digest(hostile_dir)
    result = convert_reports(hostile_dir, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    for name in HOSTILE.EXPECTED_SKIPPED:
        mine = [line for line in errors if f"/{name}：" in line]
        assert len(mine) == 1, (name, errors)
        assert "已跳过，其余照常转换" in mine[0]
    # The catalog's entry for a missing file: a warning naming its line, the rest applied.
    assert re.search(r"catalog\.yml:2[:：] ?条目“missing\.txt”对应的报告文件不存在", result.stderr)
    pages = sorted(p.name for p in (tmp_path / "out").glob("*.md"))
    assert len(pages) == len(HOSTILE.files()) - len(HOSTILE.EXPECTED_SKIPPED)
    assert "injection.md" in pages and "five-megabytes.md" in pages
    # Same-slug names get distinct, stable slugs; names with spaces, Han and ".." are fine.
    assert {"同名-报告.md", "同名-报告-2.md", "年报-2023.md"} <= set(pages)
    # A flood of warnings from one file is cut short, not thousands of lines.
    assert len(result.stderr.splitlines()) < 60
    # The input folder is never modified.
    assert _digest(hostile_dir) == before


def test_slugs_are_stable_and_a_second_run_rewrites_nothing(
    hostile_dir: Path, tmp_path: Path
) -> None:
    first = convert_reports(hostile_dir, tmp_path / "out")
    pages = _digest(tmp_path / "out")
    second = convert_reports(hostile_dir, tmp_path / "out")
    assert _digest(tmp_path / "out") == pages
    assert re.search(r"已写入\s+0\b", second.stderr), second.stderr
    assert first.returncode == second.returncode == 1


def test_unreadable_catalog_is_named_and_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    HOSTILE.write(folder, catalog=HOSTILE.CATALOG_WITH_SYNTAX_ERROR)
    result = convert_reports(folder, tmp_path / "out")
    assert result.returncode == 2  # the build stops until the catalog is fixed
    assert re.search(r"错误：.*catalog\.yml:\d+: YAML 格式错误", result.stderr)
    assert (tmp_path / "out" / "gbk-no-bom.md").exists()
    # The catalog gave injection.txt its year; without it the file is named and skipped.
    assert re.search(
        r"错误：.*injection\.txt：正文和标题都没有写明报告所属年份.*已跳过", result.stderr
    )


def test_site_builds_and_report_text_stays_text(hostile_site: BuiltSite) -> None:
    html = hostile_site.html("reports/injection/")
    content = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    assert "<script>alert" not in content and "<img src=x" not in content
    assert not re.search(r"<a [^>]*href=\"javascript:", content) and "<style>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    # A paragraph holding a redaction mark is written as an HTML block: escaped all the same.
    mark = '<span class="nb-redacted" title="原文已隐去">**</span>'
    assert f"<p>{mark}县&lt;script&gt;alert(5)&lt;/script&gt;与&lt;img src=x" in content
    assert "{{ config.site_name }}" in content  # not evaluated by the theme's Jinja
    assert "年报库" not in content.split("{{ config.site_name }}")[0][-50:]
    assert "<p>| 表格 | 竖线 |</p>" in content  # pipes stay text, not a table
    assert "<p>---</p>" in content and "<p>title: 伪造的标题</p>" in content
    assert not re.search(r"<h1[^>]*>\s*行首的井号", content)


@pytest.mark.browser
def test_no_dialog_opens_and_no_injected_element_exists(
    page: object, hostile_site: BuiltSite
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    with serve(hostile_site.site_dir) as served:
        page.goto(served.url + "reports/injection/", wait_until="networkidle")  # type: ignore[attr-defined]
        page.locator("a", has_text="链接").count()  # type: ignore[attr-defined]
        injected = page.evaluate(  # type: ignore[attr-defined]
            """() => ({
                scripts: [...document.querySelectorAll('.md-content script')].length,
                images: [...document.querySelectorAll('.md-content img[onerror]')].length,
                jsLinks: [...document.querySelectorAll('a[href^="javascript:"]')].length,
                styles: [...document.querySelectorAll('.md-content style')].length,
                visible: document.querySelector('.md-content').innerText,
            })"""
        )
        _search_for_injection(page, served)
    assert dialogs == []
    assert injected["scripts"] == injected["images"] == injected["jsLinks"] == 0
    assert injected["styles"] == 0
    assert "<script>alert(1)</script>" in injected["visible"]


def _search_for_injection(page: object, served: ServedSite) -> None:
    """Search results show the injected text as text too."""
    box = page.locator(".nb-search__input")  # type: ignore[attr-defined]
    box.fill("alert")
    box.press("Enter")
    page.locator(".nb-result").first.wait_for()  # type: ignore[attr-defined]
    assert page.locator(".nb-search-panel script, .nb-search-panel img").count() == 0  # type: ignore[attr-defined]


def test_rebuild_from_the_same_input_is_byte_identical(
    hostile_dir: Path, hostile_site: BuiltSite, tmp_path: Path
) -> None:
    again = build_site(hostile_dir, tmp_path)
    first, second = _digest(hostile_site.site_dir), _digest(again.site_dir)
    # Pagefind randomises the order of values inside its filter index (a known Pagefind
    # limitation): those files, and the two that name them by hash, are compared by content.
    varying = re.compile(r"^pagefind/[^/]+/(filter/|pagefind-entry\.json$|pagefind\..*\.pf_meta$)")
    same = {k: v for k, v in first.items() if not varying.match(k)}
    assert same == {k: v for k, v in second.items() if not varying.match(k)}
    assert len(same) > 50
    filters = [
        sorted(f for folder in (site / "pagefind").glob("*/filter") for f in _unzipped(folder))
        for site in (hostile_site.site_dir, again.site_dir)
    ]
    assert filters[0]
    assert filters[0] == filters[1]
    assert filecmp.cmp(
        hostile_site.site_dir / "sitemap.xml", again.site_dir / "sitemap.xml", shallow=False
    )


def _unzipped(folder: Path) -> list[bytes]:
    """Each filter file's bytes, sorted: equal when the same values are stored in any order."""
    return [bytes(sorted(gzip.decompress(p.read_bytes()))) for p in folder.iterdir()]


class _LiveMarkup(HTMLParser):
    """Collects every element of a page that carries the hostile fixtures' marker attribute or
    an event handler (`on…`): any of them in a built page is report text live as HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if "data-nb-hostile" in names or any(name.startswith("on") for name in names):
            self.live.append(f"<{tag} {attrs}>")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _parsed(path: Path) -> _LiveMarkup:
    parser = _LiveMarkup()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


# One page of each kind that shows a hostile title, organisation, region or tag.
def _hostile_pages(site: BuiltSite) -> dict[str, str]:
    metas = [
        read_front_matter(p.read_text(encoding="utf-8"))
        for p in (site.docs_dir / "reports").glob("*.md")
    ]
    org_ids = {meta.get("org"): meta.get("org_id") for meta in metas}
    # A catalog may only set tags from the vocabulary: the hostile title's report's first topic.
    topic = next(meta["tags"][0] for meta in metas if meta.get("slug") == "hostile-title")
    return {
        "report (first line)": "reports/hostile-title/",
        "report (catalog)": "reports/同名-报告/",
        "year": "years/2023/",
        "organisation": f"orgs/{org_ids[HOSTILE.HOSTILE_ORG]}/",
        "organisations": "orgs/",
        "type": "types/工作总结/",
        "topic": topic_uri(topic).removesuffix(".md") + "/",
        "topics": "topics/",
        "home": "",
    }


def test_no_title_organisation_region_or_tag_is_live_markup_in_any_page(
    hostile_site: BuiltSite,
) -> None:
    pages = sorted(hostile_site.site_dir.rglob("*.html"))
    live = {
        p.relative_to(hostile_site.site_dir).as_posix(): found
        for p in pages
        if (found := _parsed(p).live)
    }
    assert live == {}, f"reproduce: {hostile_site.reproduce}"
    # Not vacuous: the hostile texts are on those pages, shown as the text they are.
    for kind, url_path in _hostile_pages(hostile_site).items():
        assert (hostile_site.site_dir / url_path / "index.html").is_file(), kind
    first_line = _parsed(hostile_site.site_dir / "reports/hostile-title/index.html")
    assert first_line.title.startswith(HOSTILE.HOSTILE_TITLE), first_line.title
    catalog = _parsed(hostile_site.site_dir / "reports/同名-报告/index.html")
    assert catalog.title.startswith(HOSTILE.HOSTILE_CATALOG_TITLE), catalog.title
    org_page = hostile_site.site_dir / _hostile_pages(hostile_site)["organisation"] / "index.html"
    assert _parsed(org_page).title.startswith(HOSTILE.HOSTILE_ORG.split(">")[0])
    header = hostile_site.html("reports/hostile-title/").split('data-md-component="header-topic"')[
        1
    ]
    assert html.escape(HOSTILE.HOSTILE_TITLE, quote=False) in header.replace("&#x27;", "'")


def test_data_files_keep_hostile_text_as_data(hostile_site: BuiltSite) -> None:
    data = hostile_site.site_dir / "data"
    figures = json.loads((data / "figures.json").read_text(encoding="utf-8"))
    assert any(row["org"] == HOSTILE.FORMULA_ORG for row in figures)
    assert all(isinstance(row["value"], float | int | None) for row in figures)
    rows = list(csv.reader(io.StringIO((data / "figures.csv").read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(escape.FORMULA_STARTS)]
    assert "'" + HOSTILE.FORMULA_ORG in cells
    assert any(c.startswith("'@SUM(1+1)") for c in cells), "the sentence column"
    json.loads((data / "links.json").read_text(encoding="utf-8"))


@pytest.mark.browser
def test_no_dialog_fires_on_any_page_kind_or_in_search(
    page: object, hostile_site: BuiltSite
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    injected: dict[str, int] = {}
    with serve(hostile_site.site_dir) as served:
        for kind, url_path in _hostile_pages(hostile_site).items():
            page.goto(served.url + url_path, wait_until="networkidle")  # type: ignore[attr-defined]
            injected[kind] = page.locator("[data-nb-hostile], [onerror], [onload]").count()  # type: ignore[attr-defined]
        box = page.locator(".nb-search__input")  # type: ignore[attr-defined]
        box.fill("壬县")
        box.press("Enter")
        page.locator(".nb-result").first.wait_for()  # type: ignore[attr-defined]
        results = page.locator(".nb-search-panel").inner_text()  # type: ignore[attr-defined]
        injected["search"] = page.locator("[data-nb-hostile], [onerror], [onload]").count()  # type: ignore[attr-defined]
    assert dialogs == []
    assert injected == dict.fromkeys(injected, 0)
    assert "<img src=x" in results  # the title shown as written
