"""Search analysis: normalisation, bigram recall that needs no dictionary, the corpus dictionary."""

from __future__ import annotations

import random
import re

import pytest
from conftest import SAMPLE_REPORTS
from nianbao.convert.report import parse_report
from nianbao.search import analysis
from nianbao.search.analysis import Analyzer, normalise, query_terms, query_tokens, user_dictionary


def _texts() -> list[str]:
    return [
        parse_report(p.read_text(encoding="utf-8")).full_text
        for p in sorted(SAMPLE_REPORTS.glob("*.txt"))
    ]


def test_nfkc_makes_full_and_half_width_the_same() -> None:
    assert normalise("99.85％") == normalise("99.85%") == "99.85%"
    assert normalise("ＤＲＧ支付") == "drg支付"
    assert query_tokens("99.85％") == query_tokens("99.85%")
    assert normalise("营商\u200b环境") == "营商环境"


def test_query_tokens_are_bigrams_numbers_and_words() -> None:
    tokens = query_tokens("DRG支付 2023年")
    assert tokens == ["tdrg", "ha9q5lc", "t2023", "h8ui"]
    assert query_tokens("局") == ["h8ee"]
    # A character beyond the three-digit range keeps a spelling of its own.
    assert query_tokens("\ufa0e") == ["hz0fa0e"]
    assert query_tokens("，。！") == []
    assert query_terms("异地就医　直接结算") == ["异地就医", "直接结算"]


def _found(token: str, indexed: set[str]) -> bool:
    """Pagefind matches a query token as a prefix of an index token."""
    return token in indexed or any(candidate.startswith(token) for candidate in indexed)


def test_any_copied_substring_finds_its_text_whatever_the_dictionary() -> None:
    """Recall: each token of any substring of a text matches (as a prefix) an index token."""
    texts = _texts()
    chooser = random.Random(20231124)
    for analyzer in (Analyzer(), Analyzer(user_dictionary(texts))):
        for text in texts:
            indexed = set(analyzer.index_tokens(text))
            for _ in range(200):
                start = chooser.randrange(len(text) - 12)
                piece = text[start : start + chooser.randint(1, 12)]
                assert all(_found(token, indexed) for token in query_tokens(piece)), piece


def test_every_character_of_a_run_begins_a_token() -> None:
    tokens = Analyzer().index_tokens("医疗保障局，局")
    for char in "医疗保障局":
        assert any(token.startswith(query_tokens(char)[0]) for token in tokens), char


def test_corpus_dictionary_holds_quoted_names_and_jieba_uses_it() -> None:
    words = user_dictionary(_texts(), ["XX县医疗保障局"])
    assert {"南太湖健康保", "医保红管家", "乡贤医管家", "县医疗保障局"} <= set(words)
    assert "XX" not in "".join(words)
    plain = Analyzer().words("不断促进南太湖健康保完善提升")
    assert "南太湖健康保" not in plain
    assert "南太湖健康保" in Analyzer(words).words("不断促进南太湖健康保完善提升")


def test_words_inside_dictionary_words_weigh_more() -> None:
    analyzer = Analyzer(["南太湖健康保"])
    tokens = analyzer.index_tokens("促进南太湖健康保完善")
    inside = query_tokens("健康")[0]
    across = query_tokens("进南")[0]
    assert tokens.count(inside) == 2 and tokens.count(across) == 1


@pytest.mark.parametrize("query", ["门特", "七优享", "营商环境", "春风利剑", "返贫"])
def test_words_the_reports_contain_are_indexed(query: str) -> None:
    analyzer = Analyzer(user_dictionary(_texts()))
    indexed = set().union(*(analyzer.index_tokens(text) for text in _texts()))
    assert set(query_tokens(query)) <= indexed


def test_only_runs_without_dictionary_words_skip_jieba() -> None:
    """jieba is asked to cut only the runs that hold a user-dictionary word; the names found must
    be exactly those jieba finds when it cuts every run."""
    texts = _texts()
    names = user_dictionary(texts)
    analyzer = Analyzer(names)
    known = set(analyzer.user_words)
    runs = {run for text in texts for run in re.findall(f"[{analysis.HAN}]{{3,}}", text)}
    skipped = 0
    for run in sorted(runs):
        _, found = analyzer.index_token_parts(run)
        expected = [
            token
            for word in analyzer.words(run)
            if word in known
            for token in (analysis.han_token(word[i : i + 2]) for i in range(len(word) - 1))
        ]
        assert found == expected, run
        skipped += run not in analyzer.cuts
    assert any(analyzer.cuts.values())  # jieba found names
    assert skipped > len(runs) // 2  # and most runs never went to jieba
