"""A trie of words matches what the flat alternation, longest word first, matches."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from watcher import alternation
from watcher.alternation import longest_first
from watcher.places import place_index

words = st.lists(st.text(alphabet="城中区市北京东", min_size=0, max_size=5), max_size=30)
texts = st.text(alphabet="城中区市北京东，人大", max_size=60)


def flat(words) -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, {w for w in words if w}), key=len, reverse=True)))


def spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300)
@given(words, texts)
def test_the_trie_finds_the_longest_word_at_each_place_like_the_flat_alternation(words, text):
    expected = spans(flat(words), text) if any(words) else []
    assert spans(re.compile(longest_first(words)), text) == expected


@settings(max_examples=100)
@given(words, texts)
def test_grouped_first_characters_match_the_same(word_list, text):
    grouped = alternation.GROUP
    alternation.GROUP = 2
    try:
        pattern = re.compile(longest_first(word_list))
    finally:
        alternation.GROUP = grouped
    expected = spans(flat(word_list), text) if any(word_list) else []
    assert spans(pattern, text) == expected


def test_no_words_match_nothing():
    assert re.compile(longest_first(["", ""])).search("城中区") is None


def test_division_names_in_a_report_are_found_as_before(samples):
    names = list(place_index().by_name)
    pattern = re.compile(longest_first(names))
    for path in samples:
        text = path.read_text(encoding="utf-8")
        assert spans(pattern, text) == spans(flat(names), text)
