"""Top terms of a report by TF-IDF, with the domain stopword list and user dictionary.

IDF comes from the stored corpus once it is large enough (the caller passes it), and from
jieba's bundled table before that.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from schema.models import Keyword
from schema.vocabulary import Vocabulary
from watcher.extract.segment import cached_segmenter

HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def default_idf() -> tuple[dict[str, float], float]:
    import jieba.analyse

    path = Path(jieba.analyse.__file__).with_name("idf.txt")
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition(" ")
        if value:
            table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


def extract_keywords(
    text: str, vocabulary: Vocabulary, idf: dict[str, float] | None = None, top: int = 20
) -> list[Keyword]:
    tokens = cached_segmenter(vocabulary.userdict).cut(text)
    terms = Counter(
        t for t in tokens if len(t) >= 2 and HAN.search(t) and t not in vocabulary.stopwords and not t[0].isdigit()
    )
    if not terms:
        return []
    table, median = (idf, sum(idf.values()) / len(idf)) if idf else default_idf()
    total = sum(terms.values())
    weights = {term: count / total * table.get(term, median) for term, count in terms.items()}
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [Keyword(keyword=term, weight=round(weight, 6), rank=rank) for rank, (term, weight) in enumerate(ranked, 1)]
