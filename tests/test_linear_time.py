"""Extraction grows linearly with its input on the shapes that once made it quadratic.

Each test compares the best of two timings of the reading steps (sections, sentences, facts,
citations, people, phrases) at n and 4n characters: linear growth is about 4, quadratic about
16; the bound (7) leaves room for noise (CPU time of this process is measured, so other
processes on the machine do not count) without letting a quadratic step through.
The sizes are large enough that a quadratic scan in C (a find per quantity) shows. Figures for
the whole extraction at larger sizes: benchmarks/linear_time.py.
"""

import gc
import time

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from schema.vocabulary import Vocabulary
from watcher.extract.citations import extract_citations
from watcher.extract.facts import extract_facts
from watcher.extract.numbers import CHINESE_NUMERAL
from watcher.extract.people import extract_people
from watcher.extract.phrases import extract_phrases
from watcher.extract.sections import split_sections, split_sentences

pytestmark = pytest.mark.slow

VOCABULARY = Vocabulary.load()
SIZE = 40_000
BOUND = 7.0  # linear measures 3.9-4.7 here; a quadratic find per quantity measures above 8
RUNS = 3
FLOOR = 0.05  # seconds: below this, scheduling noise would dominate the ratio


def repeated(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def read(text: str) -> None:
    sections = split_sections(text)
    sentences = split_sentences(text, sections)
    extract_facts(text, sentences, VOCABULARY)
    extract_citations(text, sentences)
    extract_people(text, sections)
    extract_phrases(text, VOCABULARY)


def best_time(text: str) -> float:
    best = float("inf")
    for _ in range(RUNS):
        gc.collect()
        gc.disable()  # a collection of what earlier tests left would count against one size only
        try:
            started = time.process_time()  # this process's CPU time: other processes do not count
            read(text)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def growth(piece: str, size: int = SIZE) -> float:
    read("召开会议3次。")  # warm caches
    small = best_time(repeated(piece, size))
    large = best_time(repeated(piece, 4 * size))
    return large / max(small, FLOOR)


@pytest.mark.parametrize(
    "piece",
    [
        "1234567890",  # a run of digits with no unit
        "一二三四五六七八九十百千",  # a run of Chinese numerals with no unit
        "3次，",  # one count after another in one sentence
        "建议办结率3%，",  # a rate after a rate
        "“四个意识”召开会议3次",  # quoted spans between counts, no line break
        "对《某某条例》",  # titles in one sentence
        "对《某某条例》开展执法检查，",  # titles and action words in one sentence
        "1\n",  # short lines, each a heading
        "区人大常委会召开党组会议19次，主任会议20次，办结率92.8%，对《某某条例》开展执法检查。",
    ],
)
def test_extraction_grows_linearly(piece):
    assert growth(piece) < BOUND


PIECES = st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=4),
    st.text(alphabet=CHINESE_NUMERAL, min_size=1, max_size=4),
    st.builds(
        lambda number, unit, mark: number + unit + mark,
        st.sampled_from(["3", "十二", "45.6", "两"]),
        st.sampled_from(["次", "件", "%", "人次", "项"]),
        st.sampled_from(["，", "、", "；", "", "和"]),
    ),
    st.builds(lambda word, number: f"“{word}”{number}次", st.sampled_from(["四个意识", "一府两院"]), st.integers(1, 99)),
    st.builds(lambda word, mark: f"《{word}》{mark}", st.sampled_from(["某某法", "某某条例"]), st.sampled_from(["", "、"])),
)


@hypothesis_settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PIECES)
def test_generated_shapes_grow_linearly(piece):
    assert growth(piece, 20_000) < BOUND
