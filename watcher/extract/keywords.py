"""Top terms of a report by TF-IDF, with the domain stopword list and user dictionary.

Extraction counts a report's candidate terms (``term_counts``, no database). The store keeps
how many documents hold each term and ranks the terms when it writes the report
(``rank_keywords``), so no corpus has to be re-read. Until the corpus holds enough documents
for its frequencies to mean something, jieba's bundled IDF table stands in, looked up in a
compact form of its file (a dict of it would cost about 60 MB).
"""

from __future__ import annotations

import importlib.util
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np

from schema.models import Keyword
from schema.vocabulary import Vocabulary
from watcher.extract.segment import cached_segmenter

HAN = re.compile(r"[\u4e00-\u9fff]")
CORPUS_MIN_DOCUMENTS = 50
TOP = 20


def _jieba_idf_file() -> Path:
    """jieba's bundled IDF table, found without importing jieba.analyse."""
    spec = importlib.util.find_spec("jieba")
    return Path(spec.submodule_search_locations[0]) / "analyse" / "idf.txt"


def _checksum(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


@lru_cache(maxsize=1)
def _jieba_table() -> tuple[str, np.ndarray, np.ndarray, float]:
    """jieba's IDF file as one string, with the offsets of its lines ordered by a checksum of
    their word (and the checksums), and the median IDF: about 8 MB held, where a dict of the
    table costs about 60 MB and reading the file for every document about 0.15 s."""
    content = _jieba_idf_file().read_text(encoding="utf-8")
    checksums, offsets, values, start = [], [], [], 0
    for line in content.splitlines(keepends=True):
        word, _, value = line.partition(" ")
        if value:
            checksums.append(_checksum(word))
            offsets.append(start)
            values.append(float(value))
        start += len(line)
    checksums = np.array(checksums, dtype=np.uint32)
    order = np.argsort(checksums, kind="stable")  # equal checksums keep file order: the last line of a word wins
    median = float(np.sort(np.array(values))[len(values) // 2])
    return content, checksums[order], np.array(offsets, dtype=np.uint32)[order], median


def default_idf(terms: Iterable[str]) -> tuple[dict[str, float], float]:
    """jieba's bundled IDF of ``terms``, and the table's median for terms it lacks."""
    content, checksums, offsets, median = _jieba_table()
    terms = list(set(terms))
    wanted = np.fromiter((_checksum(t) for t in terms), dtype=np.uint32, count=len(terms))
    lows, highs = np.searchsorted(checksums, wanted, "left"), np.searchsorted(checksums, wanted, "right")
    found = {}
    for at in np.flatnonzero(highs > lows):
        word = terms[at]
        for offset in offsets[lows[at] : highs[at]].tolist():
            if content.startswith(word + " ", offset):
                begin = offset + len(word) + 1
                end = content.find("\n", begin)
                found[word] = float(content[begin : end if end >= 0 else len(content)])
    return found, median


def term_counts(text: str, vocabulary: Vocabulary) -> dict[str, int]:
    """Candidate keyword terms of ``text`` with their counts: Han words of two characters or
    more that are not stopwords."""
    tokens = cached_segmenter(vocabulary.userdict).cut(text)
    counts = Counter(tokens)  # counted first, then each distinct word tested once
    return {
        t: n for t, n in counts.items()
        if len(t) >= 2 and HAN.search(t) and t not in vocabulary.stopwords and not t[0].isdigit()
    }


def corpus_idf(frequencies: Mapping[str, int], documents: int) -> dict[str, float]:
    """IDF from document frequencies (``frequencies[term]`` of ``documents`` documents hold it)."""
    return {term: math.log(documents / (1 + n)) + 1 for term, n in frequencies.items()}


def rank_keywords(
    terms: Mapping[str, int], idf: Mapping[str, float] | None = None, top: int = TOP,
    default: tuple[Mapping[str, float], float] | None = None,
) -> list[Keyword]:
    """The ``top`` terms by TF-IDF, ties in term order. ``idf`` may hold more terms than these;
    a term it lacks weighs the mean IDF of the terms it has. With no ``idf``, jieba's bundled
    table (``default``: what ``default_idf`` gave for these terms or more, so several reports
    share one reading)."""
    if not terms:
        return []
    if idf:
        present = [idf[term] for term in terms if term in idf]
        fallback = sum(present) / len(present) if present and len(present) < len(terms) else 0.0
        table = idf
    else:
        table, fallback = default or default_idf(terms)
    total = sum(terms.values())
    get = table.get
    weights = [count / total * get(term, fallback) for term, count in terms.items()]
    # Only the weights that can reach the top are sorted with their terms (ties kept whole).
    least = sorted(weights, reverse=True)[top - 1] if len(weights) > top else -math.inf
    ranked = sorted((-weight, term) for term, weight in zip(terms, weights) if weight >= least)[:top]
    return [Keyword(keyword=term, weight=round(-weight, 6), rank=rank) for rank, (weight, term) in enumerate(ranked, 1)]


def extract_keywords(
    text: str, vocabulary: Vocabulary, idf: dict[str, float] | None = None, top: int = TOP
) -> list[Keyword]:
    return rank_keywords(term_counts(text, vocabulary), idf, top)
