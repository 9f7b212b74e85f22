"""t2s converts only the clauses OpenCC would change, and gives OpenCC's output."""

from hypothesis import given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from conftest import fixture_reports
from watcher.simplify import is_simplified, simplified, t2s

# Traditional characters, phrases t2s rewrites without one (反覆, 瞭解, 沈默), separators, Simplified text.
PIECES = ["組織", "於", "乾燥", "反覆", "瞭解", "一目瞭然", "沈默", "回覆", "著作", "人大", "常委会", "代表",
          "，", "。", "、", "\n", " ", "《", "》", "2023年", "审议"]


def test_traditional_reports_convert_exactly_as_opencc_converts_them():
    to_traditional, to_simplified = OpenCC("s2t"), OpenCC("t2s")
    for path in fixture_reports():
        traditional = to_traditional.convert(path.read_text(encoding="utf-8"))
        assert not is_simplified(traditional)
        assert t2s(traditional) == to_simplified.convert(traditional)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_mixed_text_converts_as_opencc_converts_it(pieces):
    text = "".join(pieces)
    assert t2s(text) == OpenCC("t2s").convert(text)


def test_simplified_text_is_returned_as_it_is():
    text = fixture_reports()[0].read_text(encoding="utf-8")
    assert is_simplified(text) and simplified(text) is text
    assert simplified("全區組織代表") == "全区组织代表"


def test_clauses_are_cut_where_opencc_cuts_them():
    from watcher.simplify import _converter, _separators

    pattern = _converter().split_chars_re
    assert all(len(a) <= 2 for a in pattern.pattern[1:-1].split("|") if a != r"\s+")
    assert all(pattern.fullmatch(c) for c in _separators())
