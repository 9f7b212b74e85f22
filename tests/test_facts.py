"""Table-driven phrasings for each rule, then the gold expectations on the real samples."""

import shutil

import pytest
import yaml
from hypothesis import given, settings as hypothesis_settings, strategies as st

from conftest import SHARED
from schema.vocabulary import Vocabulary
from watcher.extract.facts import extract_facts
from watcher.extract.sections import split_sentences
from watcher.normalize import repair
from watcher.reports import split_reports

VOCABULARY = Vocabulary.load()


def facts(text):
    return extract_facts(text, split_sentences(text), VOCABULARY)


def labelled(text):
    return [(f.indicator, f.value) for f in facts(text) if f.indicator]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一年来，召开党组会议19次，主任会议20次，常委会会议14次。",
         [("party_group_meetings", 19), ("chair_meetings", 20), ("standing_committee_meetings", 14)]),
        ("全年召开9次常委会会议、12次主任会议。", [("standing_committee_meetings", 9), ("chair_meetings", 12)]),
        ("共召开常委会会议八次。", [("standing_committee_meetings", 8)]),
        ("召开党组扩大学习会25次。", []),
        ("主动向区委请示报告重要监督议题、重大活动事项等26次。", [("reports_to_party_committee", 26)]),
        ("全年向县委请示报告重大事项15件次。", [("reports_to_party_committee", 15)]),
        ("任免国家机关工作人员71人次，接受辞职10人。", [("appointments", 71)]),
        ("依法任免国家机关工作人员53名，其中任命31名。", [("appointments", 53)]),
        ("任免40人次国家机关工作人员。", [("appointments", 40)]),
        ("依法任命94名人民陪审员。", []),
        ("依法作出决议决定17项。", [("resolutions_decisions", 17)]),
        ("全年共作出决定决议14个。", [("resolutions_decisions", 14)]),
        ("制定地方性法规3部。", [("laws_enacted", 3)]),
        ("协助开展条例立法调研，提出修改建议60余条。", []),
        ("听取审议专项工作报告12个。", [("work_reports_reviewed", 12)]),
        ("开展执法检查4次。", [("law_enforcement_inspections", 4)]),
        ("开展视察调研21次。", [("inspections_surveys", 21)]),
        ("收到代表建议70件，办结率92.8%、满意率100%。",
         [("suggestions_received", 70), ("suggestion_response_rate", 92.8), ("suggestion_satisfaction_rate", 100)]),
        ("代表提出建议115件，已经解决或基本解决的46件，答复率、满意率均为100%。",
         [("suggestions_received", 115), ("suggestion_response_rate", 100), ("suggestion_satisfaction_rate", 100)]),
        ("会议提出的60件建议全部办结，办复率100%。", [("suggestions_received", 60), ("suggestion_response_rate", 100)]),
        ("15件优秀代表建议受到常委会表彰。", []),
        ("转交办信访事项32件，办结27件，办结率为84.38%。",
         [("petitions_handled", 32), ("petition_completion_rate", 84.38)]),
        ("受理群众来信来访25件次，办结率80%。", [("petitions_handled", 25), ("petition_completion_rate", 80)]),
        ("票决民生实事项目20个，总投资6.35亿元，已完成投资5.87亿元。",
         [("livelihood_projects", 20), ("livelihood_investment", 635_000_000)]),
        ("镇级人大代表票决民生实事项目100个，总投资9.09亿元。", []),
        ("兑现城镇老旧小区改造等12项民生项目。", [("livelihood_projects", 12)]),
        ("组建8个民生实事项目监督专班。", []),
        ("培训代表300余人次。", [("deputies_trained", 300)]),
        ("组织192名区人大代表到全国人大会议中心参加培训。", [("deputies_trained", 192)]),
        ("开展代表培训2期，培训代表200余人次，邀请代表列席常委会会议30人次。",
         [("deputies_trained", 200), ("deputies_attending", 30)]),
        ("邀请代表列席人大常委会会议25人次，参加执法检查等活动229人次。", [("deputies_attending", 25)]),
        ("代表进站接待群众来访3150人次。", [("constituent_visits", 3150)]),
        ("共236人进站(室)接待选民群众483人次。", [("constituent_visits", 483)]),
        ("做好信访工作，全年接待群众32批次35人次。", []),
        ("收集社情民意1073件，推动解决各类矛盾问题739件。", [("opinions_collected", 1073), ("issues_resolved", 739)]),
        ("参加代表284人次，收集意见438条，解决诉求336件。", [("opinions_collected", 438), ("issues_resolved", 336)]),
        ("征集代表意见建议318条。", [("opinions_collected", 318)]),
        ("以1个代表之家为中心、13个代表联络站为基础、29个代表联络室为特色。", [("liaison_stations", 13)]),
        ("清理规范性文件5件。", [("normative_documents_reviewed", 5)]),
        ("审查规范性文件备案8件。", [("normative_documents_reviewed", 8)]),
    ],
)
def test_indicator_phrasings(text, expected):
    assert labelled(text) == [(k, float(v)) for k, v in expected]


@pytest.mark.parametrize(
    "text",
    [
        "区十九届人大三次会议胜利召开。",
        "坚持“第一议题”制度。",
        "学习党的二十届二中全会精神。",
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
        "努力建设“四个机关”，落实“三下两上五环节”工作法。",
        "实施“十四五”规划。",
        "对《贵州省物业管理条例(修订草案)》等7部法律法规开展立法调研。",
        "一件件民生实事、一次次审议监督。",
        "形成一批制度成果。",
        "作为一名医疗战线的人大代表。",
        "2023年是关键一年，庆祝成立75周年。",
        "1 坚持讲政治、强引领",
        "专题视察轨道交通3号线建设情况。",
        "区委十一届四次全会安排部署。",
        "严格落实中央八项规定精神。",
    ],
)
def test_not_facts(text):
    got = [f.raw for f in facts(text)]
    assert all(raw not in {"三次", "四个", "两个", "一件", "一批", "一名", "四次", "八项"} for raw in got), got
    assert [f for f in facts(text) if f.indicator] == []


def test_unquoted_and_quoted_counts_differ():
    values = [f.value for f in facts("组织7次“三会一课”，召开“两个维护”专题会3次。")]
    assert values == [7.0, 3.0]


def test_subject_carries_the_verb_over_a_list():
    subjects = [f.subject for f in facts("召开党组会议19次，主任会议20次，常委会会议14次。")]
    assert subjects == ["召开党组会议", "召开主任会议", "召开常委会会议"]


@pytest.mark.parametrize(
    "text, subjects",
    [
        ("形成调研报告2篇。配合市人大开展执法检查4次。", ["形成调研报告", "配合市人大开展执法检查"]),
        ("作出决定决议12个，依法任免国家机关工作人员37名。", ["作出决定决议", "依法任免国家机关工作人员"]),
        ("收集意见438条，解决诉求336件。", ["收集意见", "解决诉求"]),
    ],
)
def test_the_verb_is_not_carried_to_an_unrelated_clause(text, subjects):
    assert [f.subject for f in facts(text)] == subjects


def test_subject_when_the_number_comes_first():
    (fact,) = facts("任免40人次国家机关工作人员。")
    assert fact.subject == "任免国家机关工作人员"


def test_traditional_characters_match_but_keep_their_text():
    text = "召開黨組會議19次，收到代表建議70件，辦結率92.8%。"
    found = facts(text)
    assert [(f.indicator, f.value) for f in found] == [
        ("party_group_meetings", 19.0), ("suggestions_received", 70.0), ("suggestion_response_rate", 92.8)
    ]
    assert found[0].subject == "召開黨組會議"
    assert all(text[f.start : f.end] == f.raw for f in found)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("召开党组会议次件人名%％。，、“”《》‘’0123456789１２.十百千万亿两余近约第届年元率为建议信访民生实事\n ")),
        max_size=200,
    )
    | st.text(max_size=200)
    | st.from_regex(r"[0-9]{30,400}(次|件|%|亿元)", fullmatch=True)
)
def test_never_raises_and_raw_is_exact(text):
    for fact in facts(text):
        assert text[fact.start : fact.end] == fact.raw
        assert fact.value == fact.value and abs(fact.value) != float("inf")


def test_samples_meet_gold_facts(samples):
    gold = yaml.safe_load((SHARED / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    for entry in gold:
        text = repair((SHARED / "samples" / entry["file"]).read_text(encoding="utf-8"))
        reports = split_reports(text)
        for expected in entry["reports"]:
            (report,) = [r for r in reports if r.district == expected["district"] and r.genre == expected["genre"]]
            got = {}
            for fact in facts(report.text):
                got.setdefault(fact.indicator, []).append(fact.value)
            for key, value in (expected.get("facts") or {}).items():
                assert value in got.get(key, []), (entry["file"], key, value, got.get(key))
            for key, values in (expected.get("not_facts") or {}).items():
                assert not set(values) & set(got.get(key, [])), (entry["file"], key)


def test_a_new_indicator_in_the_vocabulary_file_is_used(tmp_path):
    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY.folder, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = "全年开展专题询问3次。"
    assert labelled(text) == []
    with open(folder / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "\n  - key: special_inquiries\n    label_zh: 专题询问\n    label_en: Special inquiries\n"
            "    units: [次]\n    subject: [[专题询问]]\n"
        )
    vocabulary = Vocabulary.load(folder)
    assert [(f.indicator, f.value) for f in extract_facts(text, split_sentences(text), vocabulary)] == [
        ("special_inquiries", 3.0)
    ]
