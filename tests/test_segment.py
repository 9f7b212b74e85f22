import pytest

from conftest import fixture_reports, sample_files
from schema.vocabulary import Vocabulary
from watcher.extract.segment import Segmenter

USERDICT = Vocabulary.load().userdict


@pytest.fixture(scope="module")
def engines():
    return Segmenter(USERDICT, "jieba"), Segmenter(USERDICT, "rjieba")


@pytest.mark.parametrize("path", fixture_reports() + sample_files(), ids=lambda p: p.name)
def test_fast_path_is_token_identical_to_jieba(engines, path):
    reference, fast = engines
    text = path.read_text(encoding="utf-8")
    assert fast.cut(text) == reference.cut(text)


def test_user_dictionary_words_stay_whole(engines):
    for engine in engines:
        tokens = engine.cut("积极践行全过程人民民主，建好代表联络站，办好民生实事。")
        assert {"全过程人民民主", "代表联络站", "民生实事"} <= set(tokens)


def test_jieba_cache_is_per_user(engines):
    reference, _ = engines
    assert not reference._tokenizer.tmp_dir.startswith("/tmp")
