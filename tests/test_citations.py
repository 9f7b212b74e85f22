import pytest

from watcher.extract.citations import extract_citations, kind_of, level_of
from watcher.extract.sections import split_sentences


@pytest.mark.parametrize(
    "title, kind, level",
    [
        ("中华人民共和国土地管理法", "law", "national"),
        ("传染病防治法", "law", "national"),
        ("青海省老年人权益保障条例", "regulation", "provincial"),
        ("贵州省物业管理条例(修订草案)", "regulation", "provincial"),
        ("贵阳市农村村民住宅建设管理条例(草案)", "regulation", "municipal"),
        ("城东区人民政府向区人大常委会报告国有资产管理情况的实施办法", "rules", "district"),
        ("民生实事项目专项监督实施办法", "rules", None),
        ("整治形式主义为基层减负若干规定", "rules", None),
        ("关于加强检察建议工作的决议", "decision", None),
        ("安康市汉滨区国土空间总体规划（2021—2035年）", "plan", "district"),
        ("青海人大", "publication", None),
        ("习近平新时代中国特色社会主义思想专题摘编", "publication", None),
        ("风采——全省百名人大代表履职故事2023卷", "book/film", None),
        ("中国共产党人精神谱系", "book/film", None),
        ("西宁市城市管理条例", "regulation", "municipal"),
        ("广西壮族自治区消防条例", "regulation", "provincial"),
    ],
)
def test_kind_and_level(title, kind, level):
    assert (kind_of(title), level_of(title)) == (kind, level)


@pytest.mark.parametrize(
    "text, actions",
    [
        ("对《青海省老年人权益保障条例》《青海省食品安全条例》开展执法检查。", ["执法检查", "执法检查"]),
        ("制定《民生实事项目专项监督实施办法》。", ["制定"]),
        ("修订《城东区人民政府向区人大常委会报告国有资产管理情况的实施办法》，听取报告。", ["修订"]),
        ("协助省人大开展《贵州省物业管理条例(修订草案)》等7部法律法规的立法调研。", ["立法调研"]),
        ("专题学习《习近平新时代中国特色社会主义思想专题摘编》等书目。", ["学习"]),
        ("审议通过《关于加强检察建议工作的决议》。", ["审议"]),
        ("争当表率工作被《青海人大》采编刊发。", [None]),
        # a title governed by 对/就 takes the action after it, even when 贯彻 comes first
        ("对区政府贯彻落实《某某法》《某某条例》等法律法规开展执法检查。", ["执法检查", "执法检查"]),
        ("对《甲省河道管理条例》、《甲省湿地保护条例》贯彻实施情况开展执法检查。", ["执法检查", "执法检查"]),
        ("检查组就全市贯彻实施《某某促进法》情况进行检查，听取汇报。", ["执法检查"]),
        ("对照《某某准则》认真学习。", ["学习"]),
        ("认真贯彻《某某法》，对全区执法工作开展调研。", ["贯彻"]),
    ],
)
def test_action_from_the_sentence(text, actions):
    assert [c.action for c in extract_citations(text, split_sentences(text))] == actions


def test_titles_are_whole_with_offsets_and_unbalanced_marks_are_skipped():
    text = "对《中华人民共和国 就业促进法》开展执法检查。又见《未完的标题。"
    (citation,) = extract_citations(text, split_sentences(text))
    assert citation.title == "中华人民共和国就业促进法"
    assert text[citation.start : citation.end].startswith("《")


@pytest.mark.slow
def test_the_laws_inspected_query_answers_on_the_samples(settings, samples):
    import sqlite3

    import yaml

    from schema import SCHEMA_DIR
    from watcher.ingest import ingest_paths

    ingest_paths(settings, samples)
    site = yaml.safe_load((SCHEMA_DIR / "site.yaml").read_text(encoding="utf-8"))
    sql = site["queries"]["laws_inspected"]["sql"]
    with sqlite3.connect(settings.db) as connection:
        titles = {row[0] for row in connection.execute(sql)}
    assert {"中华人民共和国土地管理法", "中华人民共和国就业促进法", "青海省老年人权益保障条例"} <= titles
    assert all(kind_of(title) in ("law", "regulation") for title in titles)

