"""The search box of the built sample site, typed into in headless Chromium.

Results are checked against ground truth computed here from the raw reports: the reports whose
text (or title) holds the query after NFKC (nianbao.search.analysis.parse_query: every term, any one
of an either-or group, no excluded term).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, SAMPLE_REPORTS, BuiltSite, ServedSite, build_site, serve
from nianbao.convert.decode import decode_report
from nianbao.convert.report import parse_report
from nianbao.search.analysis import normalise, parse_query, query_terms, query_token_sets

pytestmark = [pytest.mark.browser, pytest.mark.build]

STATUS = ".nb-search-status"
# Queries of every kind: names, numbers as written either way, mixed script, several terms,
# single characters, redaction marks, absent words.
QUERIES = [
    "南太湖健康保",
    "医保红管家",
    "乡贤医管家",
    "99.85%",
    "99.85％",
    "399.54万元",
    "85%",
    "异地就医 直接结算",
    "门特",
    "七优享",
    "营商环境",
    "春风利剑",
    "返贫",
    "DRG",
    "2023年",
    "集采",
    "党建 纪律",
    "参保率",
    "追回",
    "满意度",
    "医疗保障局",
    "局",
    "医",
    "慈善 救助 兜底",
    "公积金",
    "春风利剑 公积金",
    "区块链",
    "XX",
    # Query syntax brought from web search.
    '"参保率"',
    "“南太湖健康保”",
    "‘医保红管家’",
    "「异地就医」",
    "医保 -党建",
    "南太湖健康保 | 七优享",
    "区块链 OR 门特 -XX",
    "参保率。",
]


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _ground_truth(site: BuiltSite) -> dict[str, str]:
    """Page URL of each report → its normalised title and text, from the raw report."""
    texts: dict[str, str] = {}
    for page in sorted((site.docs_dir / "reports").glob("*.md")):
        meta = _front_matter(page)
        raw = decode_report((SAMPLE_REPORTS / str(meta["source"])).read_bytes()).text
        text = f"{meta['title']}\n{parse_report(raw).full_text}"
        texts[f"reports/{page.stem}/"] = normalise(text)
    return texts


def _expected(texts: dict[str, str], query: str) -> set[str]:
    parsed = parse_query(query)
    return {url for url, text in texts.items() if parsed.groups and parsed.matches(text)}


def _search(page: object, query: str) -> str:
    """Type a query into the header search box; return the status line once every year's
    results are in (the list is no longer busy)."""
    box = page.locator(".nb-search__input")  # type: ignore[attr-defined]
    box.fill(query)
    box.press("Enter")
    _wait_until_searched(page)
    return page.locator(STATUS).inner_text()  # type: ignore[attr-defined]


def _wait_until_searched(page: object) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "s => /^(找到|没有找到)/.test(document.querySelector(s).textContent)"
        " && document.querySelector('.nb-search-results').getAttribute('aria-busy') === 'false'",
        arg=STATUS,
    )


def _result_pages(page: object) -> set[str]:
    hrefs = page.locator(".nb-result__title").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(a => new URL(a.href).pathname)"
    )
    return {re.sub(r"^.*?(reports/[^/]+/)$", r"\1", href) for href in hrefs}


def test_every_query_finds_exactly_the_reports_that_contain_it(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    texts = _ground_truth(sample_site)
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    wrong = {}
    for query in QUERIES:
        found = set(page.evaluate("q => window.nianbaoSearch.all(q)", query))  # type: ignore[attr-defined]
        if found != _expected(texts, query):
            wrong[query] = (sorted(found), sorted(_expected(texts, query)))
    assert wrong == {}, f"query: (found, expected) — {sample_site.reproduce}"
    # The set is not trivial: some queries find several reports, some one, some none.
    sizes = {len(_expected(texts, q)) for q in QUERIES}
    assert {0, 1} <= sizes and max(sizes) >= 3


def test_browser_and_index_analyse_queries_alike(page: object, served_sample: ServedSite) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    for query in [
        *QUERIES,
        "ＤＲＧ支付　2023年",
        "营商\u200b环境",
        "，。！",
        "a-b_c 〇一二",
        "\ufa0e\u4e00",
        "『异地就医』　-“党建＋医保” \uff5c 门特",
        "《XX局2023年党建工作总结》？",
        "个“牛鼻子”， OR OR | -",
        "-“unclosed 'a b' \uff02c d\uff02",
    ]:
        in_browser = page.evaluate(  # type: ignore[attr-defined]
            "q => [window.nianbaoSearch.parseQuery(q), window.nianbaoSearch.queryTokenSets(q),"
            " window.nianbaoSearch.queryTerms(q)]",
            query,
        )
        python = [parse_query(query).as_lists(), query_token_sets(query), query_terms(query)]
        assert in_browser == python, query


def test_brand_name_finds_its_reports_with_the_name_highlighted(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, "南太湖健康保")
    expected = _expected(_ground_truth(sample_site), "南太湖健康保")
    assert len(expected) == 3
    assert _result_pages(page) == expected, status
    marks = page.locator(".nb-result__excerpt mark").all_inner_texts()  # type: ignore[attr-defined]
    assert marks and set(marks) == {"南太湖健康保"}
    # Each section result deep-links to its heading's anchor.
    section_links = page.locator(".nb-result__heading").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert any("#" in href for href in section_links)


def test_number_with_a_half_width_percent_finds_the_full_width_text(
    page: object, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, "99.85%")
    assert status.startswith("找到")
    marks = set(page.locator(".nb-result__excerpt mark").all_inner_texts())  # type: ignore[attr-defined]
    assert marks == {"99.85％"}, "the excerpt shows the number as the report writes it"


def test_two_terms_must_both_be_in_a_result(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    _search(page, "异地就医 直接结算")
    texts = _ground_truth(sample_site)
    expected = _expected(texts, "异地就医 直接结算")
    assert expected and expected != _expected(texts, "异地就医")
    assert _result_pages(page) == expected
    for excerpt in page.locator(".nb-result__section").all_inner_texts():  # type: ignore[attr-defined]
        assert "异地就医" in excerpt or "直接结算" in excerpt


def test_absent_word_shows_the_empty_state(page: object, served_sample: ServedSite) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, "公积金")
    assert status.startswith("没有找到符合的报告（检索式：公积金）")
    assert page.locator(".nb-result").count() == 0  # type: ignore[attr-defined]


def test_facet_filter_narrows_the_results(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    _search(page, "医保")
    everything = _result_pages(page)
    assert len(everything) >= 3
    facet = page.locator(".nb-search-facets select[name='类型']")  # type: ignore[attr-defined]
    facet.wait_for()
    options = facet.locator("option").all_inner_texts()
    assert "全部" in options and any(o.startswith("自评报告（") for o in options)
    facet.select_option("自评报告")
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('.nb-result').length === 1"
    )
    (only,) = _result_pages(page)
    assert _front_matter(sample_site.docs_dir / f"{only.rstrip('/')}.md")["type"] == "自评报告"
    assert page.locator(".nb-result__about").inner_text().endswith("自评报告")  # type: ignore[attr-defined]


def test_q_parameter_opens_the_search_on_any_page(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url + "years/2023/?q=门特", wait_until="networkidle")  # type: ignore[attr-defined]
    _wait_until_searched(page)
    assert page.locator(".nb-search__input").input_value() == "门特"  # type: ignore[attr-defined]
    assert _result_pages(page) == _expected(_ground_truth(sample_site), "门特")


def test_no_zero_width_or_segmentation_characters_are_visible(
    page: object, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    for query in ("营商环境", "医疗保障", "XX"):
        _search(page, query)
        text = page.locator(".nb-search-panel").inner_text()  # type: ignore[attr-defined]
        assert not re.search("[\u200b-\u200f\u2060\ufeff]", text), query
        # No token spelling (h + hex, t + word) leaks into what the reader sees.
        assert not re.search(r"\bh[0-9a-f]{5}", text), query
    assert "Initializing" not in page.locator("body").inner_text()  # type: ignore[attr-defined]


def test_search_works_under_a_sub_path(
    page: object, sub_path_site: tuple[BuiltSite, ServedSite]
) -> None:
    site, served = sub_path_site
    outside: list[str] = []
    page.on(  # type: ignore[attr-defined]
        "request",
        lambda r: None if r.url.startswith(served.url) else outside.append(r.url),
    )
    page.goto(served.url + "types/", wait_until="networkidle")  # type: ignore[attr-defined]
    _search(page, "七优享")
    assert _result_pages(page) == _expected(_ground_truth(site), "七优享")
    href = page.locator(".nb-result__title").first.get_attribute("href")  # type: ignore[attr-defined]
    assert "/nianbao/reports/" in href
    assert outside == []


def _shown_places(page: object) -> list[str]:
    """Each place listed (heading and excerpt), as the reader sees it."""
    return page.locator(".nb-result__section").all_inner_texts()  # type: ignore[attr-defined]


def _marks_by_place(page: object) -> list[list[str]]:
    return page.locator(".nb-result__section").evaluate_all(  # type: ignore[attr-defined]
        "places => places.map(p => [...p.querySelectorAll('mark')].map(m => m.textContent))"
    )


def _count_in_status(status: str) -> tuple[int, int]:
    match = re.match(r"找到 (\d+) 篇报告，其中 (\d+) 个段落", status)
    assert match, status
    return int(match.group(1)), int(match.group(2))


@pytest.mark.parametrize("query", ["医疗保障局", "工作思路", "党建", "医保 纪律"])
def test_every_place_shown_holds_the_query_even_when_the_title_does(
    page: object, sample_site: BuiltSite, served_sample: ServedSite, query: str
) -> None:
    """A name in a report's title (an organisation, 工作思路) makes no section a place: every
    listed section, heading and excerpt, holds every term, and the count says what is listed."""
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, query)
    expected = _expected(_ground_truth(sample_site), query)
    assert _result_pages(page) == expected, status
    places = _shown_places(page)
    for place in places:
        text = normalise(place)
        assert all(term in text for term in query.split()), (query, place)
    # Each place marks every term where it shows it (in its heading or its excerpt).
    for marks in _marks_by_place(page):
        assert {normalise(m) for m in marks} >= set(query.split()), (query, marks)
    assert _count_in_status(status) == (len(expected), len(places)), status
    # Reports listed without a place show why, and their opening instead.
    summaries = page.locator(".nb-result__summary").all_inner_texts()  # type: ignore[attr-defined]
    assert (
        page.locator(".nb-result").count()
        == len(summaries)
        + page.locator(  # type: ignore[attr-defined]
            ".nb-result:has(.nb-result__sections)"
        ).count()
    )
    assert all(s.startswith("检索词") for s in summaries)


def test_a_title_only_match_is_listed_with_its_opening(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    """工作思路 is in 002's title; on the samples its body has fewer places than sections."""
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, "四个全面")
    (url,) = _expected(_ground_truth(sample_site), "四个全面")
    assert _result_pages(page) == {url}
    reports, places = _count_in_status(status)
    assert reports == 1
    assert places == len(_shown_places(page))
    if not places:
        summary = page.locator(".nb-result__summary").inner_text()  # type: ignore[attr-defined]
        assert summary.startswith("检索词见于标题")


@pytest.mark.parametrize(
    ("quoted", "plain"),
    [
        ('"参保率"', "参保率"),
        ("\uff02参保率\uff02", "参保率"),
        ("“南太湖健康保”", "南太湖健康保"),
        ("‘医保红管家’", "医保红管家"),
        ("「异地就医」", "异地就医"),
        ("『异地就医』", "异地就医"),
        ("《党建工作总结》", "党建工作总结"),
        ("“异地就医” 直接结算。", "异地就医 直接结算"),
    ],
)
def test_quotes_of_every_kind_mark_a_phrase(
    page: object, sample_site: BuiltSite, served_sample: ServedSite, quoted: str, plain: str
) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, plain)
    without = _result_pages(page)
    assert without == _expected(_ground_truth(sample_site), plain) and without, status
    status = _search(page, quoted)
    assert _result_pages(page) == without, status
    # The query is echoed once, as typed: no quotes doubled.
    assert status.count(quoted.strip()) == 1, status
    assert not re.search('““|””|""', status), status
    marks = {normalise(m) for m in page.locator(".nb-result mark").all_inner_texts()}  # type: ignore[attr-defined]
    assert marks <= set(plain.split()) and marks, marks


def test_a_word_after_a_minus_excludes_reports(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    texts = _ground_truth(sample_site)
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, "医保 -南太湖健康保")
    found = _result_pages(page)
    assert found == _expected(texts, "医保") - _expected(texts, "南太湖健康保"), status
    assert found and found != _expected(texts, "医保")
    assert all("南太湖健康保" not in p for p in _shown_places(page))


@pytest.mark.parametrize(
    "either", ["南太湖健康保 | 门特", "南太湖健康保 OR 门特", "南太湖健康保\uff5c门特"]
)
def test_or_finds_reports_holding_either(
    page: object, sample_site: BuiltSite, served_sample: ServedSite, either: str
) -> None:
    texts = _ground_truth(sample_site)
    union = _expected(texts, "南太湖健康保") | _expected(texts, "门特")
    assert union != _expected(texts, "南太湖健康保")
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, either)
    assert _result_pages(page) == union, status
    for place in _shown_places(page):
        assert "南太湖健康保" in place or "门特" in place, place


def test_the_search_panel_explains_the_query_syntax(
    page: object, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    _search(page, "医保")
    help_line = page.locator(".nb-search-help").inner_text()  # type: ignore[attr-defined]
    for part in ("“…”", "「…」", "《…》", "-词", "A | B", "A OR B"):
        assert part in help_line, part


@pytest.fixture(scope="module")
def yoy_served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[BuiltSite, ServedSite]]:
    """The multi-year fixture, whose reports all carry 安平 in their titles."""
    site = build_site(FIXTURES / "yoy", tmp_path_factory.mktemp("yoy-search"))
    with serve(site.site_dir) as served:
        yield site, served


def test_an_organisation_named_in_titles_lists_only_sections_that_name_it(
    page: object, yoy_served: tuple[BuiltSite, ServedSite]
) -> None:
    """安平 is in the title of four reports but in few of their sections: before, all 29 of
    their sections were listed as places (25 without the word)."""
    site, served = yoy_served
    page.goto(served.url, wait_until="networkidle")  # type: ignore[attr-defined]
    status = _search(page, "安平")
    titled = {
        f"reports/{p.stem}/"
        for p in (site.docs_dir / "reports").glob("*.md")
        if "安平" in str(_front_matter(p)["title"])
    }
    assert len(titled) == 4 and _result_pages(page) == titled, status
    places = _shown_places(page)
    assert all("安平" in place for place in places), places
    assert all("安平" in marks for marks in _marks_by_place(page))
    reports, counted = _count_in_status(status)
    assert (reports, counted) == (4, len(places))
    # Reports whose text never names it are listed with their opening, saying why.
    summaries = page.locator(".nb-result__summary").all_inner_texts()  # type: ignore[attr-defined]
    assert len(summaries) + page.locator(".nb-result:has(.nb-result__sections)").count() == 4  # type: ignore[attr-defined]
    assert all(s.startswith("检索词见于标题") for s in summaries)
