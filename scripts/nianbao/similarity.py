"""How alike two report sections are: TF-IDF over character bigrams, cosine similarity.

Used to match a plan item to the later report's section that covers it, and a section to the
same topic in an organisation's previous or next report. Terms are the Han character bigrams
of the text (the way CJK retrieval commonly compares texts: no dictionary needed, and 10×
cheaper than segmenting every section again), minus bigrams every report uses; IDF comes from
all sections being compared.
"""

from __future__ import annotations

import heapq
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence

MAX_TERMS = 60  # terms kept of each section's vector
_TF = [0.0, *(1 + math.log(n) for n in range(1, 256))]  # a term's weight for n occurrences
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
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


def words(text: str) -> list[str]:
    """Content terms of a text: its Han bigrams, common ones left out."""
    return [
        run[i : i + 2]
        for run in _HAN_RUN.findall(text)
        for i in range(len(run) - 1)
        if run[i : i + 2] not in _STOP
    ]


class Similarity:
    """TF-IDF vectors of a fixed set of texts and cosine similarity between them."""

    def __init__(self, texts: Sequence[str]) -> None:
        counts = [Counter(words(text)) for text in texts]
        documents = Counter(word for count in counts for word in count)
        total = len(texts) or 1
        self._idf = {word: math.log((1 + total) / (1 + n)) + 1 for word, n in documents.items()}
        self._vectors = [self._weigh(count) for count in counts]

    def _weigh(self, count: Counter[str]) -> dict[str, float]:
        idf = self._idf  # holds every term of the texts
        vector = {
            w: (_TF[n] if n < len(_TF) else 1 + math.log(n)) * idf[w] for w, n in count.items()
        }
        if len(vector) > MAX_TERMS:  # a section's topic is in its heaviest terms
            heaviest = heapq.nsmallest(MAX_TERMS, [(-v, w) for w, v in vector.items()])
            vector = {w: -negative for negative, w in heaviest}
        values = vector.values()
        norm = math.sqrt(sum(map(operator.mul, values, values))) or 1.0
        return {w: v / norm for w, v in vector.items()}

    def score(self, first: int, second: int) -> float:
        """Cosine similarity of texts number `first` and `second` (0 … 1)."""
        a, b = self._vectors[first], self._vectors[second]
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b[w] for w, v in a.items() if w in b)

    def best(self, item: int, candidates: Iterable[int]) -> tuple[int | None, float]:
        """The candidate most like `item`, and its score (None if there are no candidates)."""
        scored = [(self.score(item, c), -c) for c in candidates]
        if not scored:
            return None, 0.0
        score, negative = max(scored)
        return -negative, score
