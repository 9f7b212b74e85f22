from conftest import fixture_reports
from schema.vocabulary import Vocabulary
from watcher.extract.keywords import extract_keywords

VOCABULARY = Vocabulary.load()


def test_keywords_skip_stopwords_numbers_and_single_characters():
    text = fixture_reports()[0].read_text(encoding="utf-8")
    keywords = extract_keywords(text, VOCABULARY)
    words = [k.keyword for k in keywords]
    assert 0 < len(words) <= 20
    assert [k.rank for k in keywords] == list(range(1, len(words) + 1))
    assert all(len(w) >= 2 and not w[0].isdigit() for w in words)
    assert not set(words) & VOCABULARY.stopwords
    assert [k.weight for k in keywords] == sorted((k.weight for k in keywords), reverse=True)


def test_corpus_idf_changes_the_ranking():
    text = "民生实事民生实事民生实事，代表联络站。"
    default = [k.keyword for k in extract_keywords(text, VOCABULARY)]
    assert default[0] == "民生实事"
    custom = [k.keyword for k in extract_keywords(text, VOCABULARY, idf={"民生实事": 0.01, "代表联络站": 10.0})]
    assert custom[0] == "代表联络站"


def test_extraction_counts_terms_without_loading_jiebas_idf_table():
    import sys

    from watcher.extract import extract

    extraction = extract("民生实事民生实事，代表联络站。", VOCABULARY)
    assert extraction.terms["民生实事"] == 2 and extraction.keywords == []
    assert "jieba.analyse" not in sys.modules  # its 140 MB table is never held
