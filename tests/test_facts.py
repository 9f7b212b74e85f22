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


# Phenomena the clause decides, each in phrasings of our own.
@pytest.mark.parametrize(
    "text, expected",
    [
        # one number for several kinds of work gets no indicator
        ("全年组织专题视察、调研和执法检查共31次。", []),
        ("依法作出决议、决定和审议意见18项。", []),
        ("制定、修改和废止地方性法规9件。", []),
        ("制定修改市本级法规6件。", []),
        ("听取审议计划、预算、决算和审计工作报告11项。", []),
        ("督办代表议案和建议406件。", []),
        ("听取审议监督工作报告和其他报告65个。", []),
        ("作出法律解释和有关问题的决定7件。", []),
        ("开展集中视察、专题调研、执法检查共40次。", []),
        # a kind of work named as the occasion does not combine
        ("在执法检查中收集意见建议156条。", [("opinions_collected", 156)]),
        # 议案 are bills, not suggestions
        ("督办人大会议议案6件、代表建议388件。", [("suggestions_received", 388)]),
        ("大会期间代表提出议案12件。", []),
        ("代表对议案和建议办理工作的满意度为97%。", []),
        ("代表对建议办理结果表示满意或基本满意的达96%。", [("suggestion_satisfaction_rate", 96)]),
        # laws whose implementation is checked are law-enforcement inspections
        ("对9部法律法规的实施情况开展检查。", [("law_enforcement_inspections", 9)]),
        ("就3部地方性法规贯彻执行情况进行执法检查。", [("law_enforcement_inspections", 3)]),
        ("检查14部法律法规实施情况。", [("law_enforcement_inspections", 14)]),
        ("全年完成法律法规实施情况检查5项。", [("law_enforcement_inspections", 5)]),
        ("检查8件法律和决定的实施情况。", [("law_enforcement_inspections", 8)]),
        # decisions, made or on major matters; bills still pending are not
        ("讨论决定重大事项11项。", [("resolutions_decisions", 11)]),
        ("审议通过5个有关重大问题的决定。", [("resolutions_decisions", 5)]),
        ("已审议尚未通过的法律案、决定案4件。", []),
        # only what was enacted counts as enacted
        ("审议通过地方性法规6件。", []),
        ("新制定法律3件。", [("laws_enacted", 3)]),
        # abbreviated meeting names in a list of meetings
        ("召开党组会议15次、常委会9次、主任会21次。",
         [("party_group_meetings", 15), ("standing_committee_meetings", 9), ("chair_meetings", 21)]),
        ("向常委会报告工作3次。", []),
        ("审议意见提交常委会2次。", []),
        ("全年召开区人大常委会6次。", [("standing_committee_meetings", 6)]),
        # surveys and petitions in other words
        ("开展专题调查6次。", [("inspections_surveys", 6)]),
        ("深入基层调查研究13次。", [("inspections_surveys", 13)]),
        ("全年受理群众来信来访142件。", [("petitions_handled", 142)]),
        # reports of the congress's own committees are not work reports
        ("审议专门委员会关于议案审议结果的报告3个。", []),
        # a noun after the count may open with a quotation mark or a digit
        ("听取审议7个“一府一委两院”专项工作报告。", [("work_reports_reviewed", 7)]),
        ("听取审议5个2023年度专项工作报告。", [("work_reports_reviewed", 5)]),
        # a breakdown after 其中 is not the total again
        ("共受理信访事项50件，其中网上信访21件、来信14件。", [("petitions_handled", 50)]),
        ("收到代表建议86件，教育类建议20件，交通方面的建议15件。", [("suggestions_received", 86)]),
        ("省代表团共提出建议30件。", []),
        # problems put right are problems resolved
        ("督促推动19个问题整改到位。", [("issues_resolved", 19)]),
        # a number of times before the verb phrase it counts
        ("先后两次组织市、区人大代表视察、调研。", [("inspections_surveys", 2)]),
        # the same things counted in a second unit
        ("接待来访群众12批46人次。", [("constituent_visits", 46)]),
        # a count whose noun is joined to the next count by 和
        ("开展2次专题询问和4项专题调研。", [("inspections_surveys", 4)]),
        # a count that continues the previous count's verb
        ("收到300多人次提出的900多条意见建议。", [("opinions_collected", 900)]),
    ],
)
def test_phenomena(text, expected):
    assert labelled(text) == [(k, float(v)) for k, v in expected]


@pytest.mark.parametrize(
    "text, subject",
    [
        ("计划生育工作调研3次。", "计划生育工作调研"),
        ("累计培训代表600人次。", "培训代表"),
        ("全年召开常委会会议8次。", "召开常委会会议"),
        ("年度重点工作督办4项。", "年度重点工作督办"),
        ("其中任命干部9名。", "任命干部"),
    ],
)
def test_edge_words_are_trimmed_whole(text, subject):
    assert facts(text)[0].subject == subject


def test_a_verb_carries_within_one_list_only():
    subjects = [f.subject for f in facts("召开党组会议6次、主任会议9次；常委会会议5次。")]
    assert subjects == ["召开党组会议", "召开主任会议", "召开常委会会议"]
    subjects = [f.subject for f in facts("召开党组会议6次。主任会议9次。")]
    assert subjects == ["召开党组会议", "主任会议"]
    subjects = [f.subject for f in facts("审议报告4个，会议纪要5份。")]
    assert subjects == ["审议报告", "会议纪要"]


def test_a_traditional_list_carries_its_verb_in_its_own_characters():
    found = facts("召開黨組會議6次，主任會議9次。")
    assert [f.subject for f in found] == ["召開黨組會議", "召開主任會議"]


@pytest.mark.parametrize(
    "text, rule",
    [
        ("开展执法检查2次。", "law_enforcement_inspections/named"),
        ("检查6部法律法规实施情况。", "law_enforcement_inspections/laws-checked"),
        ("召开主任会议10次、常委会7次。", "standing_committee_meetings/abbreviated"),
        ("讨论决定重大事项4项。", "resolutions_decisions/major-matters"),
        ("收到代表建议70件。", "suggestions_received/main"),
    ],
)
def test_each_fact_names_the_rule_that_labelled_it(text, rule):
    found = [f for f in facts(text) if f.indicator]
    assert found[-1].rule == rule
    assert [f.rule for f in facts(text)] == [f.rule for f in facts(text)]  # stable across runs


def test_an_unlabelled_fact_has_no_rule():
    (fact,) = facts("种植果树140亩。")
    assert fact.indicator is None and fact.rule is None


def test_reports_of_other_organs_keep_their_facts_without_renda_indicators():
    text = "收到代表建议70件，办复率98%。向市委请示报告重大事项12次。"
    sentences = split_sentences(text)
    as_renda = [f.indicator for f in extract_facts(text, sentences, VOCABULARY)]
    assert as_renda == ["suggestions_received", "suggestion_response_rate", "reports_to_party_committee"]
    for kind in ("standing_committee", "congress", "presidium"):
        assert [f.indicator for f in extract_facts(text, sentences, VOCABULARY, kind)] == as_renda
    for kind in ("government", "court", "procuratorate", "cppcc", "other"):
        found = extract_facts(text, sentences, VOCABULARY, kind)
        assert [f.value for f in found] == [70.0, 98.0, 12.0]
        assert [(f.indicator, f.rule) for f in found] == [(None, None)] * 3


def test_an_indicator_declares_its_organ_kinds(tmp_path):
    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY.folder, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with open(folder / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "\n  - key: proposals_answered\n    label_zh: 提案办复\n    label_en: Proposals answered\n"
            "    units: [件]\n    subject: [[提案]]\n    organ_kinds: [cppcc]\n"
        )
    vocabulary = Vocabulary.load(folder)
    text = "办复委员提案310件。"
    sentences = split_sentences(text)
    assert [f.indicator for f in extract_facts(text, sentences, vocabulary, "cppcc")] == ["proposals_answered"]
    assert [f.indicator for f in extract_facts(text, sentences, vocabulary, "standing_committee")] == [None]


def test_an_unknown_organ_kind_in_the_vocabulary_is_refused(tmp_path):
    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY.folder, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with open(folder / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n  - key: odd\n    label_zh: 怪\n    units: [件]\n    subject: [[怪]]\n    organ_kinds: [parliament]\n")
    with pytest.raises(ValueError, match="parliament"):
        extract_facts("怪事3件。", [], Vocabulary.load(folder))


# Phenomena met in reports outside the development corpus, in phrasings of our own.
@pytest.mark.parametrize(
    "text, expected",
    [
        # reports on major matters are heard under their own procedure, not special work reports
        ("听取审议专项工作报告15项，听取重大事项报告4项。", [("work_reports_reviewed", 15)]),
        # session numbers listed with the 会议 left to the last one are not counts
        ("代表们视察了在本镇十二届人大三次、十三届人大一次会议上票决的民生项目。", []),
        # the suggestions whose handling was rated are not the suggestions received
        ("对45件建议的办理情况开展满意度测评。", []),
        # a government handling deputies' suggestions is not collecting opinions
        ("区政府受理了代表提出的意见建议共58件，办复率为100%。", []),
        # the rate of opinions collected from voters is not the rate of deputies' suggestions
        ("收集群众意见建议26条，办结率达98%。", [("opinions_collected", 26)]),
        ("交办代表建议120件，办结率达98%。", [("suggestions_received", 120), ("suggestion_response_rate", 98)]),
        # others sitting in on a meeting are not deputies attending
        ("50余名各界人士列席会议。", []),
        ("邀请代表80人次列席常委会会议。", [("deputies_attending", 80)]),
        # regulations cleaned up were enacted before, not in the year
        ("全面清理了2015年以前制定的96部地方性法规。", []),
        # the projects an inspection or a report is about are not inspections or reports
        ("组织代表就8项民生工程推进情况开展专题视察。", []),
        ("听取了县政府关于12项民生工程进展情况的汇报。", []),
        # suggestions of one tier, or those put into effect, are a subset
        ("代表提出的28件县属建议中，已经落实的有19件。", []),
        # requests to review filed regulations are not deputies' suggestions
        ("对公民和组织提出的320件审查建议逐一研究反馈。", []),
        # visits beside letters are petitions, and a rate after them is not the suggestions' rate
        (
            "交办代表建议30件；受理群众来信56件，接待群众来访80人次，办复率达到100%。",
            [("suggestions_received", 30), ("petitions_handled", 56)],
        ),
        # laws checked for how they are carried out (执行情况) are law enforcement inspections
        ("开展3部法律法规执行情况检查。", [("law_enforcement_inspections", 3)]),
        # deputies' suggestions counted in items (条) when named as such; suggestions at a session are not
        ("共转交有关部门办理代表建议86条。", [("suggestions_received", 86)]),
        ("会上代表们共提出22条建议。", []),
        # problems a Party education campaign took up are not resolved through deputies' work
        ("深入开展主题教育，帮助基层解决难点问题35个。", []),
        # decisions on legal and major questions whose verb came earlier in the list
        ("制定法律4件，作出法律解释1件、有关法律问题和重大问题的决定5件。", [("laws_enacted", 4), ("resolutions_decisions", 5)]),
        # training as the matter supervised (培训机构) does not make deputies' counts trainings
        ("围绕职业培训机构规范管理，组织20名代表开展视察。", []),
        ("组织20名代表参加履职培训。", [("deputies_trained", 20)]),
        # online liaison stations are not places where deputies meet constituents
        ("建成代表联络站15个、网上代表联络站6个。", [("liaison_stations", 15)]),
        # yearly means over a term, and the 、-list the mean opens, are not the period's counts
        ("各站年均接待群众3000余人次、收集意见建议900余件。", []),
        ("各站接待群众3000余人次、收集意见建议900余件。", [("constituent_visits", 3000), ("opinions_collected", 900)]),
        # inspections of laws counted in 件次
        ("检查12件次法律法规的实施情况。", [("law_enforcement_inspections", 12)]),
        # a deputy's own story in the first person is one person's counts, not the body's
        ("当代表这些年，我参与调研40余次，提出建议12件。", []),
        ("我们开展专题调研40余次。", [("inspections_surveys", 40)]),
        ("我区人大常委会交办代表建议120件。", [("suggestions_received", 120)]),
    ],
)
def test_held_out_phenomena(text, expected):
    assert labelled(text) == [(k, float(v)) for k, v in expected]
