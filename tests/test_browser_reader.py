"""The site as readers use it, in headless Chromium: on a 390 px phone, by keyboard, with a
screen-reader checker (axe-core), without JavaScript and on paper (print media)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import FIXTURES, REPO, BuiltSite, ServedSite, build_site, serve

pytestmark = [pytest.mark.browser, pytest.mark.build]

S004 = "004_98663ce6772e791d"
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def yoy_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuiltSite, ServedSite]]:
    """The multi-year fixture (charts, comparison tables), built and served."""
    site = build_site(FIXTURES / "yoy", tmp_path_factory.mktemp("yoy-reader"))
    with serve(site.site_dir) as served:
        yield site, served


def _org_path(site: BuiltSite) -> str:
    org = next(p for p in sorted((site.site_dir / "orgs").iterdir()) if p.is_dir())
    return f"orgs/{org.name}/"


def _phone(browser: object, **options: object) -> object:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", **options)  # type: ignore[attr-defined]
    return context.new_page()


# A table is fine on a phone when it fits, or when, scrolled to its end inside its box, the first
# cell of each row (what names the row) is still on the screen.
_TABLES_OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const bad = [];
  for (const table of document.querySelectorAll("article table")) {
    if (table.getBoundingClientRect().right <= width + 1) continue;
    let box = table.parentElement;
    while (box && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
    if (!box || box === document.body) {
      bad.push("page-wide: " + table.rows[0].innerText);
      continue;
    }
    const start = box.scrollLeft;
    // Both ends of the box (a right-to-left box scrolls with negative offsets).
    for (const end of [box.scrollWidth, -box.scrollWidth]) {
      box.scrollLeft = end;
      for (const row of table.rows) {
        const cell = row.cells[0].getBoundingClientRect();
        if (cell.left < -1 || cell.right > width + 1) {
          bad.push(row.cells[0].innerText + " at " + Math.round(cell.left));
          break;
        }
      }
    }
    box.scrollLeft = start;
  }
  return bad;
}"""


def test_phone_pages_do_not_scroll_sideways_and_tables_keep_their_key_column(
    browser: object,
    sample_site: BuiltSite,
    served_sample: ServedSite,
    yoy_served: tuple[BuiltSite, ServedSite],
) -> None:
    yoy_site, yoy = yoy_served
    pages = [
        served_sample.url,
        served_sample.url + "years/2023/",
        served_sample.url + f"reports/{S004}/",
        yoy.url + _org_path(yoy_site),
        yoy.url + "years/2022/",
        yoy.url + "reports/anping_2023/",
    ]
    page = _phone(browser)
    checked_wide = 0
    for url in pages:
        page.goto(url, wait_until="networkidle")  # type: ignore[attr-defined]
        widths = page.evaluate(  # type: ignore[attr-defined]
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{url} scrolls sideways: {widths}"
        assert page.evaluate(_TABLES_OFF_SCREEN) == [], url  # type: ignore[attr-defined]
        checked_wide += page.evaluate(  # type: ignore[attr-defined]
            "[...document.querySelectorAll('article table')]"
            ".filter(t => t.scrollWidth > document.documentElement.clientWidth).length"
        )
    # The check is not empty: some tables are wider than a phone and rely on the sticky column.
    assert checked_wide > 0


def test_report_outline_is_reachable_on_a_phone(browser: object, served_sample: ServedSite) -> None:
    page = _phone(browser)
    page.goto(served_sample.url + f"reports/{S004}/", wait_until="networkidle")  # type: ignore[attr-defined]
    outline = page.locator("details.nb-outline")  # type: ignore[attr-defined]
    assert outline.is_visible()
    summary = outline.locator("summary")
    assert summary.inner_text() == "目录"
    summary.click()
    link = outline.locator("a").nth(1)
    assert link.is_visible()
    anchor = link.get_attribute("href")
    link.click()
    assert unquote(page.url).endswith(anchor)  # type: ignore[attr-defined]
    assert page.locator(anchor).is_visible()  # type: ignore[attr-defined]


def test_search_panel_fits_a_360_px_phone(browser: object, served_sample: ServedSite) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(served_sample.url, wait_until="networkidle")
    box = page.locator(".nb-search__input")
    # The placeholder shows whole.
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    box.fill("医保")
    box.press("Enter")
    page.wait_for_function(
        "() => /^(找到|没有找到)/.test(document.querySelector('.nb-search-status').textContent)"
    )
    close = page.locator(".nb-search-close")
    height = close.evaluate("b => b.getBoundingClientRect().height")
    line = close.evaluate("b => parseFloat(getComputedStyle(b).lineHeight) || 20")
    assert height < 2 * line, "关闭 wraps onto two lines"
    panel = page.locator(".nb-search-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_keyboard_slash_searches_and_tab_reaches_the_first_result(
    page: object, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url + "years/2023/", wait_until="networkidle")  # type: ignore[attr-defined]
    page.keyboard.press("/")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.classList.contains('nb-search__input')")  # type: ignore[attr-defined]
    page.keyboard.type("营商环境")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /^找到/.test(document.querySelector('.nb-search-status').textContent)"
        " && document.querySelector('.nb-search-results').getAttribute('aria-busy') === 'false'"
    )
    # The panel follows the box in the document, and Enter moved focus into it.
    assert page.evaluate(  # type: ignore[attr-defined]
        "document.querySelector('.nb-search').nextElementSibling.classList"
        ".contains('nb-search-panel')"
    )
    page.wait_for_function("document.activeElement.closest('.nb-search-panel') !== null")  # type: ignore[attr-defined]
    page.locator(".nb-search__input").focus()  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    focused = page.evaluate("document.activeElement.classList.contains('nb-result__title')")  # type: ignore[attr-defined]
    assert focused, page.evaluate("document.activeElement.outerHTML")  # type: ignore[attr-defined]
    # Esc closes the panel and gives focus back to the box.
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    assert page.locator(".nb-search-panel").is_hidden()  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.classList.contains('nb-search__input')")  # type: ignore[attr-defined]


def test_a_result_opens_its_page_with_the_terms_highlighted(
    page: object, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url + "?q=" + "营商环境", wait_until="networkidle")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /^找到/.test(document.querySelector('.nb-search-status').textContent)"
    )
    page.locator(".nb-result__heading").first.click()  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert "h=" in page.url  # type: ignore[attr-defined]
    marks = page.locator("article mark.nb-hit")  # type: ignore[attr-defined]
    assert marks.count() >= 1
    assert set(marks.all_inner_texts()) == {"营商环境"}
    # The metadata block and navigation are not marked: only the report's text.
    assert page.locator(".nb-meta mark.nb-hit, nav mark.nb-hit").count() == 0  # type: ignore[attr-defined]


def test_without_javascript_the_header_says_so_and_offers_the_listings(
    browser: object, served_sample: ServedSite
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(served_sample.url + "?q=医保")
    fallback = page.locator(".md-header .nb-nojs-search")
    assert fallback.is_visible()
    assert "全文检索需启用 JavaScript" in fallback.inner_text()
    assert fallback.get_by_role("link", name="年度").get_attribute("href") == "years/"
    assert page.locator(".nb-search__input").count() == 0
    assert page.locator(".nb-actions").is_hidden()  # the JavaScript buttons do not pretend
    assert "全文检索需要浏览器启用 JavaScript" in page.locator("article").inner_text()
    context.close()


def _axe_violations(page: object) -> list[str]:
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    found = page.evaluate(  # type: ignore[attr-defined]
        """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
          .filter(v => v.impact === "serious" || v.impact === "critical")
          .map(v => v.id + " (" + v.nodes.length + "): " + v.nodes.slice(0, 3)
            .map(n => n.target.join(" ")).join(" | ")))"""
    )
    return found


def test_axe_finds_no_serious_violation_on_five_page_kinds(
    page: object,
    sample_site: BuiltSite,
    served_sample: ServedSite,
    yoy_served: tuple[BuiltSite, ServedSite],
) -> None:
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `make venv` (it runs npm ci in tests/browser)")
    yoy_site, yoy = yoy_served
    kinds = {
        "home": served_sample.url,
        "year": served_sample.url + "years/2023/",
        "organisation": yoy.url + _org_path(yoy_site),
        "report": served_sample.url + f"reports/{S004}/",
        "search": served_sample.url + "?q=医保",
    }
    report = {}
    for kind, url in kinds.items():
        page.goto(url, wait_until="networkidle")  # type: ignore[attr-defined]
        if kind == "search":
            page.wait_for_function(  # type: ignore[attr-defined]
                "() => /^找到/.test(document.querySelector('.nb-search-status').textContent)"
            )
        violations = _axe_violations(page)
        if violations:
            report[kind] = violations
    assert report == {}, f"axe-core: {report} ({sample_site.reproduce})"


def test_print_view_is_a_serif_document_with_black_links(
    page: object, served_sample: ServedSite
) -> None:
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    page.goto(served_sample.url + f"reports/{S004}/", wait_until="networkidle")  # type: ignore[attr-defined]
    style = page.evaluate(  # type: ignore[attr-defined]
        """() => {
          const p = document.querySelector("article > p");
          const a = document.querySelector(".nb-meta a");
          const h1 = document.querySelector("article h1");
          const s = getComputedStyle(p);
          return {
            font: s.fontFamily, indent: parseFloat(s.textIndent), size: parseFloat(s.fontSize),
            link: getComputedStyle(a).color, underline: getComputedStyle(a).textDecorationLine,
            title: getComputedStyle(h1).color, after: getComputedStyle(a, "::after").content,
          };
        }"""
    )
    families = [f.strip().strip('"') for f in style["font"].split(",")]
    assert "Noto Serif CJK SC" in families and families[-1] == "serif", style
    assert not {"sans-serif", "Noto Sans CJK SC"} & set(families)
    assert style["link"] == "rgb(0, 0, 0)" and style["underline"] == "none"
    assert style["title"] == "rgb(0, 0, 0)"
    assert style["after"] in ("none", "normal")  # no printed URL
    assert abs(style["indent"] - 2 * style["size"]) < 0.5
    # What only works on screen is not printed.
    for selector in (".nb-actions", ".nb-path", ".nb-meta__details", ".md-sidebar--secondary"):
        assert page.locator(selector).first.is_hidden(), selector  # type: ignore[attr-defined]


def test_print_pdf_renders_the_serif_font(
    page: object, served_sample: ServedSite, tmp_path: Path
) -> None:
    """The PDF Chromium prints embeds Noto Serif CJK (installed by .ci/run), not a sans font."""
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    page.goto(served_sample.url + f"reports/{S004}/", wait_until="networkidle")  # type: ignore[attr-defined]
    pdf = page.pdf(format="A4")  # type: ignore[attr-defined]
    fonts = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([A-Za-z0-9-]+)", pdf))
    assert any(name.startswith(b"NotoSerifCJK") for name in fonts), fonts


def test_report_pages_link_the_organisations_previous_and_next_year(
    page: object, yoy_served: tuple[BuiltSite, ServedSite]
) -> None:
    """上一篇/下一篇 skip the year without a report (2022) and stop at the ends."""
    _, served = yoy_served
    page.goto(served.url + "reports/anping_2023/", wait_until="networkidle")  # type: ignore[attr-defined]
    pager = page.get_by_role("navigation", name="本机构的上一篇、下一篇")  # type: ignore[attr-defined]
    assert pager.locator("a[rel=prev]").inner_text().endswith("2021年工作总结")
    pager.locator("a[rel=next]").click()
    assert page.url.endswith("reports/anping_2024/")  # type: ignore[attr-defined]
    assert page.locator(".nb-pager a[rel=next]").count() == 0  # type: ignore[attr-defined]


def test_org_and_year_pages_link_the_data_they_show(
    page: object, yoy_served: tuple[BuiltSite, ServedSite]
) -> None:
    site, served = yoy_served
    for path, column, value in (
        ("orgs/test-anping/", "机构键", "test-anping"),
        ("years/2022/", "年度", "2022"),
    ):
        page.goto(served.url + path, wait_until="networkidle")  # type: ignore[attr-defined]
        link = page.get_by_role("link", name="CSV（电子表格）")  # type: ignore[attr-defined]
        target = (site.site_dir / path / link.get_attribute("href")).resolve()
        rows = list(
            csv.DictReader(io.StringIO(target.read_text(encoding="utf-8").lstrip("\ufeff")))
        )
        assert rows and {row[column] for row in rows} == {value}, path
        shown = page.locator("#nb-compare ~ table td a, #nb-compare ~ h3 + table td a").count()  # type: ignore[attr-defined]
        assert shown <= len(rows), path
