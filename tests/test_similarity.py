"""How alike two report sections are (nianbao.site.similarity): Han bigrams weighed by TF-IDF,
compared by cosine — what matches a plan item to the later year's section."""

from __future__ import annotations

import pytest
from nianbao.site.similarity import MAX_TERMS, Similarity, term_counts

FUND_2022 = "开展打击欺诈骗保专项治理，检查定点医药机构120家，追回医保基金210.50万元。"
FUND_2023 = "深入开展打击欺诈骗保专项行动，检查定点医药机构135家，追回医保基金188.20万元。"
INSURED = "全县基本医疗保险参保人数45.12万人，参保率98.90％，同比增长3.2％。"
LAB = "联合高校建设医保大数据实验室，开展人工智能算法研究，培养数据分析人才。"


def test_terms_are_han_bigrams_without_the_words_every_report_uses() -> None:
    counts = term_counts("全面推进医保工作，医保基金安全。2023年")
    assert counts["医保"] == 2
    assert counts["基金"] == 1
    assert "推进" not in counts and "工作" not in counts  # in every report: no evidence
    assert all(len(term) == 2 for term in counts)
    assert not any(char.isdigit() for term in counts for char in term)


def test_the_same_topic_in_other_words_is_the_best_match() -> None:
    similarity = Similarity([FUND_2022, INSURED, LAB, FUND_2023])
    best, score = similarity.best(0, [1, 2, 3])
    assert best == 3
    assert 0.3 < score < 1.0
    assert similarity.best(0, [1, 2])[1] < 0.1  # other topics share (almost) nothing


def test_a_text_is_wholly_like_itself_and_unlike_a_text_without_shared_terms() -> None:
    similarity = Similarity([LAB, LAB, "参保缴费"])
    assert similarity.best(0, [1]) == (1, pytest.approx(1.0))
    assert similarity.best(0, [2]) == (2, 0.0)


def test_no_candidates_give_no_match() -> None:
    assert Similarity([FUND_2022]).best(0, []) == (None, 0.0)


def test_ranked_keeps_those_alike_enough_most_alike_first_and_ties_by_order() -> None:
    similarity = Similarity([FUND_2022, FUND_2023, FUND_2022, INSURED, LAB])
    ranked = similarity.ranked(0, [1, 2, 3, 4], at_least=0.2, limit=3)
    assert [number for number, _ in ranked] == [2, 1]
    assert ranked[0][1] == pytest.approx(1.0)
    assert similarity.ranked(0, [1, 2, 3, 4], at_least=0.2, limit=1) == ranked[:1]
    # Two identical candidates: the earlier one first.
    assert [n for n, _ in similarity.ranked(1, [2, 0], at_least=0.0, limit=2)] == [0, 2]


def test_a_long_section_is_compared_by_its_heaviest_terms() -> None:
    long_text = "".join(chr(0x4E00 + 2 * n) + chr(0x4E01 + 2 * n) + "，" for n in range(200))
    similarity = Similarity([long_text, long_text[:600]])
    assert len(similarity._vector(0)) == MAX_TERMS
    assert similarity.best(0, [1])[1] > 0.0
