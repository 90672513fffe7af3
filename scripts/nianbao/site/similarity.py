"""How alike two report sections are: TF-IDF over character bigrams, cosine similarity.

Used to match a plan item to the later report's section that covers it, and a section to the
same topic in an organisation's previous or next report. Terms are the Han character bigrams
of the text (the way CJK retrieval commonly compares texts: no dictionary needed, and much
cheaper than segmenting every section again), minus bigrams every report uses; IDF comes from
all sections being compared.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import repeat

MAX_TERMS = 60  # terms kept of each section's vector
_TF = [0.0, *(1 + math.log(n) for n in range(1, 256))]  # a term's weight for n occurrences
# Each pair of adjacent Han characters (overlapping: a lookahead consumes nothing).
_BIGRAM = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
# Words every report uses: no evidence of a shared topic.
_STOP = frozenset(
    {
        "工作", "推进", "开展", "加强", "持续", "全面", "深入",
        "不断", "坚持", "落实", "推动", "提升", "完善", "实现",
        "全县", "我县", "我局", "县域", "有效", "积极", "切实", "重点",
        "以来", "今年", "明年", "年度", "情况", "一是", "二是", "三是",
        "四是", "五是",
    }
)  # fmt: skip


def term_counts(text: str) -> Counter[str]:
    """How often each content term of a text occurs (its Han bigrams, common ones left out),
    terms in order of first occurrence."""
    counts = Counter(_BIGRAM.findall(text))
    for common in _STOP & counts.keys():
        del counts[common]
    return counts


class Similarity:
    """TF-IDF vectors of a fixed set of texts and cosine similarity between them."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._counts = [term_counts(text) for text in texts]
        documents: Counter[str] = Counter()
        for count in self._counts:
            documents.update(count.keys())
        total = len(texts) or 1
        self._idf = {word: math.log((1 + total) / (1 + n)) + 1 for word, n in documents.items()}
        # Each text's vector, worked out when first compared (many texts never are).
        self._vectors: list[dict[str, float] | None] = [None] * len(texts)

    def _vector(self, number: int) -> dict[str, float]:
        vector = self._vectors[number]
        if vector is None:
            vector = self._vectors[number] = self._weigh(self._counts[number])
        return vector

    def _weigh(self, count: Counter[str]) -> dict[str, float]:
        idf = self._idf  # holds every term of the texts
        if max(count.values(), default=0) < len(_TF):
            tf: Iterable[float] = map(_TF.__getitem__, count.values())
        else:  # a term occurs more often than _TF holds
            tf = (_TF[n] if n < len(_TF) else 1 + math.log(n) for n in count.values())
        weights = map(operator.mul, tf, map(idf.__getitem__, count))
        vector = dict(zip(count, weights, strict=True))
        if len(vector) > MAX_TERMS:  # a section's topic is in its heaviest terms
            # The MAX_TERMS heaviest, ties by term, in that order (heapq.nsmallest of (-v, w));
            # sorting the weights alone first is cheaper than sorting every pair.
            least = sorted(vector.values(), reverse=True)[MAX_TERMS - 1]
            heaviest = sorted([(-v, w) for w, v in vector.items() if v >= least])[:MAX_TERMS]
            vector = {w: -negative for negative, w in heaviest}
        values = vector.values()
        norm = math.sqrt(sum(map(operator.mul, values, values))) or 1.0
        return {w: v / norm for w, v in vector.items()}

    def best(self, item: int, candidates: Iterable[int]) -> tuple[int | None, float]:
        """The candidate most like `item`, and its cosine similarity (0 … 1; None if there are
        no candidates)."""
        vector = self._vector(item)
        scored = [(_dot(vector, self._vector(c)), -c) for c in candidates]
        if not scored:
            return None, 0.0
        score, negative = max(scored)
        return -negative, score

    def ranked(
        self, item: int, candidates: Iterable[int], at_least: float, limit: int
    ) -> list[tuple[int, float]]:
        """Up to `limit` candidates whose similarity to `item` is `at_least` or more, most alike
        first (ties: the earlier candidate), each with its similarity."""
        vector = self._vector(item)
        scored = [(_dot(vector, self._vector(c)), -c) for c in candidates]
        kept = sorted((s for s in scored if s[0] >= at_least), reverse=True)[:limit]
        return [(-negative, score) for score, negative in kept]


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two term vectors, summed over the shorter one's terms in its order."""
    if len(a) > len(b):
        a, b = b, a
    # Terms missing from `b` add 0.0, which leaves the sum as it was: the same sum, in C.
    return sum(map(operator.mul, a.values(), map(b.get, a, repeat(0.0))))
