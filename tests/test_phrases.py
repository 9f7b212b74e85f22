from schema.vocabulary import Vocabulary
from watcher.extract.phrases import extract_phrases

VOCABULARY = Vocabulary.load()


def counts(text):
    return {p.phrase: p.count for p in extract_phrases(text, VOCABULARY)}


def test_quoted_slogans_and_unquoted_formulas_are_counted_once_each():
    text = (
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”。牢牢把握“四个机关”定位，建设四个机关。"
        "践行“人民选我当代表、我当代表为人民”。坚持“第一议题”制度。"
    )
    got = counts(text)
    assert got["四个机关"] == 2
    assert got["四个意识"] == 1 and got["两个维护"] == 1
    assert got["人民选我当代表、我当代表为人民"] == 1
    assert got["第一议题"] == 1


def test_inner_quotes_and_long_quotations():
    text = "开展“投身‘三个年’、人大代表建新功”主题实践活动。" + "“" + "很长的引语" * 10 + "”"
    got = counts(text)
    assert got["三个年"] == 1
    assert got["投身‘三个年’、人大代表建新功"] == 1
    assert not any(len(p) > 30 for p in got)


def test_unbalanced_quotes_do_not_raise():
    assert counts("“四个意识") == {"四个意识": 1}
