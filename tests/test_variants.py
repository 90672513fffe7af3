"""Which report is a redacted copy of which (nianbao.convert.variants): bodies that differ only
where one of them has redaction marks (XX, ***, ×××), and by at most a sliver of other text."""

from __future__ import annotations

from nianbao.convert.variants import find_variants, sampled_shingles

ORIGINAL = """安平县医疗保障局2023年工作总结
2023年，安平县医疗保障局在县委、县政府的坚强领导下，坚持以人民为中心的发展思想，扎实推进医疗保障各项工作。
一、参保扩面稳步推进
截至2023年12月底，全县基本医疗保险参保人数45.12万人，参保率98.90％，同比增长1.2个百分点。城乡居民医保财政补助标准提高到每人每年640元。
二、基金监管持续从严
开展打击欺诈骗保专项治理，检查定点医药机构120家，追回医保基金210.50万元，处违约金35.00万元，移交司法机关案件2起。
三、待遇保障更加公平
职工、城乡居民政策范围内住院报销比例分别达到80.11％和65.20％，医疗救助资助困难群众参保1.35万人。
四、2024年工作思路
深化医保支付方式改革，推进智能监控全覆盖，持续巩固拓展医疗保障脱贫攻坚成果。"""

REDACTED = ORIGINAL.replace("安平县", "XX县").replace("210.50", "XX").replace("2起", "***起")


def test_a_redacted_copy_is_found_and_points_to_its_original() -> None:
    assert find_variants({"anping-2023": ORIGINAL, "xx-2023": REDACTED}) == {
        "xx-2023": "anping-2023"
    }


def test_the_more_redacted_report_is_the_copy_whatever_the_slugs() -> None:
    assert find_variants({"a": REDACTED, "b": ORIGINAL}) == {"a": "b"}


def test_equal_marks_make_the_later_slug_the_copy() -> None:
    other = ORIGINAL.replace("安平县", "XX县", 1)
    twin = ORIGINAL.replace("医疗保障局2023", "XX医疗保障局2023", 1)
    assert find_variants({"p": other, "q": twin}) == {"q": "p"}


def test_reports_from_one_template_with_other_figures_are_not_copies() -> None:
    # The same wording, another year's figures: a look-alike, not a redaction.
    next_year = (
        ORIGINAL.replace("45.12", "46.30")
        .replace("98.90", "99.10")
        .replace("120家", "135家")
        .replace("210.50", "188.20")
        .replace("35.00", "28.60")
        .replace("1.35", "1.42")
    )
    assert find_variants({"a-2023": ORIGINAL, "a-2024": next_year}) == {}


def test_a_copy_with_more_than_a_sliver_of_other_text_is_not_a_variant() -> None:
    rewritten = REDACTED.replace(
        "深化医保支付方式改革，推进智能监控全覆盖，持续巩固拓展医疗保障脱贫攻坚成果。",
        "围绕群众就医急难愁盼问题，着力提升经办服务水平，打造十五分钟医保服务圈。",
    )
    assert find_variants({"original": ORIGINAL, "copy": rewritten}) == {}


def test_unrelated_reports_share_nothing() -> None:
    other = (
        "清河县卫生健康局2022年工作总结\n一、公共卫生服务\n"
        "全县建成标准化村卫生室86所，家庭医生签约服务覆盖率达到70％。"
    )
    assert find_variants({"a": ORIGINAL, "b": other, "c": REDACTED[:40]}) == {}


def test_shingles_ignore_redaction_marks_and_are_sampled_alike_in_every_report() -> None:
    text = "坚持以人民为中心的发展思想，扎实推进医疗保障各项工作。"
    assert sampled_shingles("XX" + text) == sampled_shingles(text)
    assert sampled_shingles(text) <= sampled_shingles("前言。" + text)
    assert sampled_shingles("短文") == set()


def test_precomputed_shingles_give_the_same_answer() -> None:
    bodies = {"anping-2023": ORIGINAL, "xx-2023": REDACTED}
    shingles = {slug: sampled_shingles(text) for slug, text in bodies.items()}
    assert find_variants(bodies, shingles) == find_variants(bodies)
