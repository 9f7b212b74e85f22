"""Top terms of a report by TF-IDF, with the domain stopword list and user dictionary.

Extraction counts a report's candidate terms (``term_counts``, no database). The store keeps
how many documents hold each term and ranks the terms when it writes the report
(``rank_keywords``), so no corpus has to be re-read. Until the corpus holds enough documents
for its frequencies to mean something, jieba's bundled IDF table stands in; it is loaded only
then, because it costs about 140 MB.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from schema.models import Keyword
from schema.vocabulary import Vocabulary
from watcher.extract.segment import cached_segmenter

HAN = re.compile(r"[\u4e00-\u9fff]")
CORPUS_MIN_DOCUMENTS = 50
TOP = 20


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


def term_counts(text: str, vocabulary: Vocabulary) -> dict[str, int]:
    """Candidate keyword terms of ``text`` with their counts: Han words of two characters or
    more that are not stopwords."""
    tokens = cached_segmenter(vocabulary.userdict).cut(text)
    return dict(
        Counter(
            t for t in tokens
            if len(t) >= 2 and HAN.search(t) and t not in vocabulary.stopwords and not t[0].isdigit()
        )
    )


def corpus_idf(frequencies: Mapping[str, int], documents: int) -> dict[str, float]:
    """IDF from document frequencies (``frequencies[term]`` of ``documents`` documents hold it)."""
    return {term: math.log(documents / (1 + n)) + 1 for term, n in frequencies.items()}


def rank_keywords(terms: Mapping[str, int], idf: Mapping[str, float] | None = None, top: int = TOP) -> list[Keyword]:
    """The ``top`` terms by TF-IDF; with no ``idf``, jieba's bundled table."""
    if not terms:
        return []
    if idf:
        table, fallback = idf, sum(idf.values()) / len(idf)
    else:
        table, fallback = default_idf()
    total = sum(terms.values())
    weights = {term: count / total * table.get(term, fallback) for term, count in terms.items()}
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [Keyword(keyword=term, weight=round(weight, 6), rank=rank) for rank, (term, weight) in enumerate(ranked, 1)]


def extract_keywords(
    text: str, vocabulary: Vocabulary, idf: dict[str, float] | None = None, top: int = TOP
) -> list[Keyword]:
    return rank_keywords(term_counts(text, vocabulary), idf, top)
