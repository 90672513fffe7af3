"""HTML of the year-over-year links (nianbao.site.thread_html) and the figures' download links
(nianbao.site.figures_html.data_downloads): where they point, relative to the page showing them."""

from __future__ import annotations

from conftest import report_meta
from nianbao.site.figures_html import data_downloads
from nianbao.site.thread_html import ThreadRenderer, insert_after_headings, insert_after_meta
from nianbao.site.threads import SectionRef, Thread

METAS = {
    "a2022": report_meta("a2022", year=2022, title="2022年工作总结"),
    "a2023": report_meta("a2023", year=2023, title="2023年工作总结"),
    "a2023-law": report_meta(
        "a2023-law", year=2023, title="法治<政府>建设", type="法治政府建设年度报告"
    ),
    "a2024": report_meta("a2024", year=2024, title="2024年工作总结"),
}
URLS = {slug: f"reports/{slug}/" for slug in METAS}


def test_links_are_relative_to_the_page_and_an_anchor_on_it_stays_on_it() -> None:
    renderer = ThreadRenderer(METAS, URLS, "reports/a2023/")
    assert renderer.href("a2022") == "../a2022/"
    assert renderer.href("a2022", "一基金监管") == "../a2022/#一基金监管"
    assert renderer.href("a2023", "fund") == "#fund"
    assert renderer.href("a2023") == "./"
    html_urls = {slug: f"reports/{slug}.html" for slug in METAS}
    assert ThreadRenderer(METAS, html_urls, "reports/a2023.html").href("a2022") == "a2022.html"


def test_the_organisation_block_and_pager_name_the_neighbours() -> None:
    renderer = ThreadRenderer(METAS, URLS, "reports/a2023/")
    thread = Thread(previous="a2022", next="a2024", same_year=["a2023-law"])
    block = renderer.org_block(thread)
    assert (
        '<tr><th>上一年度</th><td><a href="../a2022/">2022年 · 2022年工作总结</a></td></tr>'
        in block
    )
    assert '<a href="../a2023-law/">法治&lt;政府&gt;建设（法治政府建设年度报告）</a>' in block
    pager = renderer.pager(thread)
    assert 'class="nb-pager__prev" href="../a2022/" rel="prev"' in pager
    assert 'class="nb-pager__next" href="../a2024/" rel="next"' in pager
    assert renderer.pager(Thread()) == ""
    assert "本机构在档案中只有这一篇报告。" in renderer.org_block(Thread())
    assert "不与其他报告对照" in renderer.org_block(Thread(), redacted_copy=True)


def test_section_notes_go_under_their_headings() -> None:
    renderer = ThreadRenderer(METAS, URLS, "reports/a2023/")
    ref = SectionRef("a2022", "fund", "一、基金监管")
    notes = renderer.section_notes(Thread(earlier_topic={"jj": ref}))
    assert notes == {
        "jj": '<p class="nb-thread nb-thread--section">往年同题：'
        '<a href="../a2022/#fund">2022年 · 一、基金监管</a></p>'
    }
    content = '<h2 id="jj">一、基金监管</h2><p>正文</p>'
    assert insert_after_headings(content, notes) == (
        '<h2 id="jj">一、基金监管</h2>' + notes["jj"] + "<p>正文</p>"
    )
    assert insert_after_meta('<div class="nb-meta">块</div><p>x</p>', "<hr>") == (
        '<div class="nb-meta">块</div><hr><p>x</p>'
    )


def test_data_downloads_link_from_the_page_to_the_data_folder() -> None:
    html = data_downloads("orgs/anping/", "orgs/anping")
    assert 'href="../../data/orgs/anping.csv"' in html
    assert 'href="../../data/figures.json"' in html
    assert 'href="data/figures.csv"' in data_downloads("", "years/x")
    # A key that cannot name a file gets only the whole archive's data.
    odd = data_downloads("orgs/a b/", "orgs/a b")
    assert "本页数据" not in odd and 'href="../../data/figures.csv"' in odd
