from hypothesis import given, settings, strategies as st

from schema.vocabulary import Vocabulary
from watcher.extract import extract

VOCABULARY = Vocabulary.load()
ALPHABET = list("人大代表常委会召开会议次件名%。，、；“”‘’《》（）()——0123456789十百千万亿两余第届年元率建议信访民生实事 \n") + [
    "a", "Z", "é", "😀", "\u3000", "\x0c",
]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=300) | st.text(max_size=300))
def test_extract_never_raises_and_offsets_slice_back(text):
    result = extract(text, VOCABULARY)
    for sentence in result.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    for fact in result.facts:
        assert text[fact.start : fact.end] == fact.raw
    for citation in result.citations:
        assert text[citation.start : citation.end] == f"《{text[citation.start + 1 : citation.end - 1]}》"
    for person in result.people:
        assert text[person.start : person.end] == person.name


def test_empty_text():
    assert extract("", VOCABULARY).facts == []


def test_the_organ_kind_decides_whether_facts_get_renda_indicators():
    text = "全年向县委请示报告重大事项9次，收到代表建议40件，对《某某条例》开展执法检查。"
    renda = extract(text, VOCABULARY, organ_kind="standing_committee")
    court = extract(text, VOCABULARY, organ_kind="court")
    assert [f.indicator for f in renda.facts] == ["reports_to_party_committee", "suggestions_received"]
    assert [f.indicator for f in court.facts] == [None, None]
    assert [f.value for f in court.facts] == [f.value for f in renda.facts]
    assert [c.action for c in court.citations] == ["执法检查"]  # citations are the text's, whoever wrote it


def test_a_fragment_naming_no_body_and_no_congress_word_gets_no_renda_indicators():
    """A page torn from a government report: no title, no body named, no word of the congress system."""
    fragment = "一年来，民生保障更加有力。化解处置信访积案23件，新增城镇就业5600余人。"
    assert [(f.value, f.indicator) for f in extract(fragment, VOCABULARY).facts] == [(23, None), (5600, None)]
    for word in ("常委会", "常委會", "人大代表"):
        congress = extract(f"{word}工作中，化解处置信访积案23件。", VOCABULARY).facts
        assert [(f.value, f.indicator) for f in congress] == [(23, "petitions_handled")], word


GOVERNMENT_REPORT = """政府工作报告
——2024年1月12日在清河县第十八届人民代表大会第四次会议上
清河县人民政府县长
各位代表：
现在，我代表县人民政府，向大会报告工作，请予审议。
过去一年，县政府认真办理人大代表建议45件、政协提案60件，办复率100%。化解信访积案12件，向县委请示报告重大事项9次。
"""


def test_a_government_report_keeps_its_numbers_without_renda_indicators():
    from watcher.pipeline import extract_reports

    ((report, extraction),) = extract_reports(GOVERNMENT_REPORT, VOCABULARY)
    assert report.organ_kind == "government"
    assert [f.value for f in extraction.facts] == [45, 60, 100, 12, 9]
    assert all(f.indicator is None and f.rule is None for f in extraction.facts)
    renda = (
        GOVERNMENT_REPORT.replace("政府工作报告", "人大常委会工作报告")
        .replace("清河县人民政府县长", "清河县人大常委会主任")
        .replace("我代表县人民政府", "我受县人大常委会委托")
        .replace("县政府认真办理", "县人大常委会督办")
    )
    ((report, extraction),) = extract_reports(renda, VOCABULARY)
    assert report.organ_kind == "standing_committee"
    assert "suggestions_received" in [f.indicator for f in extraction.facts]
