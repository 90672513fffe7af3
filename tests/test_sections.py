"""Splitting a rendered report page into sections (nianbao.site.sections): what search indexes
and the year-over-year links compare — report text only, by h2/h3 heading."""

from __future__ import annotations

from nianbao.site.sections import Section, split_sections

PAGE = (
    '<h1 id="某县医疗保障局2023年工作总结">某县医疗保障局2023年工作总结</h1>'
    '<nav class="nb-path" aria-label="位置"><ol><li><a href="../../">年报库</a></li></ol></nav>'
    '<div class="nb-meta"><table><tbody><tr><th scope="row">机构</th><td>某县医疗保障局</td>'
    "</tr></tbody></table></div>\n"
    "<p>2023年，我局坚持以人民为中心。</p>\n"
    '<h2 id="一工作开展情况">一、工作开展情况'
    '<a class="headerlink" href="#一工作开展情况">¶</a></h2>\n'
    '<p class="nb-thread nb-thread--section">往年同题：<a href="../a/">2022年</a></p>\n'
    '<h3 id="一参保扩面">（一）参保扩面</h3>\n'
    "<p>参保人数45.12万人，同比增长3.2％。<br>参保率98.90％。</p>\n"
    '<h3 id="二基金监管">（二）基金监管</h3>\n'
    '<p>追回医保基金<span class="nb-redacted" title="原文已隐去">XX</span>万元。</p>'
    '<div class="admonition info"><p class="admonition-title">注</p><p>不是正文。</p></div>\n'
    '<h2 id="二2024年工作思路">二、2024年工作思路</h2>\n'
    "<table><tr><td>项目</td><td>金额&amp;数量</td></tr><tr><td>集采</td><td>52％</td></tr></table>\n"
    '<h2 id="三空节">三、空节</h2>\n'
)


def test_a_page_splits_at_its_h2_and_h3_headings() -> None:
    sections = split_sections(PAGE)
    assert [(s.anchor, s.heading, s.level) for s in sections] == [
        ("某县医疗保障局2023年工作总结", "", 1),
        ("一工作开展情况", "一、工作开展情况", 2),  # its permalink mark left out
        ("一参保扩面", "（一）参保扩面", 3),
        ("二基金监管", "（二）基金监管", 3),
        ("二2024年工作思路", "二、2024年工作思路", 2),
        ("三空节", "三、空节", 2),
    ]


def test_section_text_is_report_text_one_block_a_line() -> None:
    opening, first, insured, fund, plan, empty = split_sections(PAGE)
    # The breadcrumbs and metadata block are not report text; the title opens the first part.
    assert opening.text == "某县医疗保障局2023年工作总结\n2023年，我局坚持以人民为中心。"
    assert first.text == ""  # its year-over-year note is left out
    assert insured.text == "参保人数45.12万人，同比增长3.2％。\n参保率98.90％。"
    # A redaction mark stays as written; an admonition is not report text.
    assert fund.text == "追回医保基金XX万元。"
    assert plan.text == "项目金额&数量\n集采52％"  # a table row is one line, as written
    assert empty == Section("三空节", "三、空节", 2, "")


def test_a_page_without_text_before_its_first_heading_has_no_opening_part() -> None:
    sections = split_sections('<h2 id="a">一、概况</h2><p>正文。</p>')
    assert sections == (Section("a", "一、概况", 2, "正文。"),)
