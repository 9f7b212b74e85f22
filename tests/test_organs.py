"""Organ, organ kind, tier and place of a report, on report texts written for these tests."""

import pytest

from watcher.normalize import repair
from watcher.reports import split_reports


def metadata(text):
    (report,) = split_reports(repair(text))
    return report.organ_kind, report.organ, report.level, report.district, report.city, report.province


@pytest.mark.parametrize(
    "text, expected",
    [
        # an organ written as 自治州 takes its place from the session it reports to
        (
            "自治州人民代表大会常务委员会工作报告\n\n——2024年1月12日在海西蒙古族藏族自治州第十五届人民代表大会"
            "第三次会议上\n\n自治州人大常委会主任 李明\n\n各位代表：\n\n过去的一年，州人大常委会依法履职，召开常委会会议8次。\n",
            ("standing_committee", "海西蒙古族藏族自治州人大常委会", "city", None, "海西蒙古族藏族自治州", "青海省"),
        ),
        # Traditional characters read like Simplified ones
        (
            "廣東省人民代表大會常務委員會工作報告\n\n各位代表：\n\n一年來，省人大常委會共召開會議6次，審議法規草案9件。\n",
            ("standing_committee", "广东省人大常委会", "province", None, None, "广东省"),
        ),
        # a municipality is a province
        (
            "天津市人大常委会工作报告\n\n各位代表：\n\n一年来，市人大常委会召开会议7次。\n",
            ("standing_committee", "天津市人大常委会", "province", None, None, "天津市"),
        ),
        # a government report is the government's, placed by its session
        (
            "政府工作报告\n\n——2024年1月8日在丰宁满族自治县第十七届人民代表大会第四次会议上\n\n各位代表：\n\n"
            "现在，我代表县人民政府向大会报告工作。2023年，全县生产总值增长6%。\n",
            ("government", "丰宁满族自治县人民政府", "county", "丰宁满族自治县", "承德市", "河北省"),
        ),
        # a court named without its place keeps its tier and no name
        (
            "2024年，市中级人民法院受理各类案件3.1万件，审结2.9万件，在市人大常委会监督下完成各项工作。\n",
            ("court", None, "city", None, None, None),
        ),
        (
            "政协常委会工作报告\n\n各位委员：\n\n一年来，市政协围绕中心建言献策，常委会组织视察12次。\n",
            ("cppcc", None, "city", None, None, None),
        ),
        # a visiting superior body does not take over a county's news item
        (
            "本报讯 日前，市人大常委会副主任王立带队到县里调研联络站建设。县人大常委会主任张华陪同。"
            "近年来，县人大常委会持续推进联络站建设，龙门县人大常委会已建成联络站12个。\n",
            ("standing_committee", "龙门县人大常委会", "county", "龙门县", "惠州市", "广东省"),
        ),
        # 某市某区人民代表大会 is a body too: its session places 区人大常委会
        (
            "——2024年1月9日在成都市武侯区第十九届人民代表大会第四次会议上\n\n区人大常委会主任 周平\n\n各位代表：\n\n"
            "一年来，区人大常委会召开会议9次。\n",
            ("standing_committee", "武侯区人大常委会", "county", "武侯区", "成都市", "四川省"),
        ),
        # an unnamed provincial organ, placed by the one province the text names
        (
            "过去一年，省人大常委会紧扣推动江西高质量发展，制定地方性法规9件，开展执法检查6次。\n",
            ("standing_committee", "江西省人大常委会", "province", None, None, "江西省"),
        ),
        # an unnamed county organ, placed by its county written without 县 as a word of its own
        (
            "一年来，县人大常委会围绕推动婺源全域旅游发展，召开常委会会议8次。\n",
            ("standing_committee", "婺源县人大常委会", "county", "婺源县", "上饶市", "江西省"),
        ),
        # …but not by a county name hidden inside other words (创新和完善 is not 新和县)
        (
            "一年来，县人大常委会坚持创新和完善工作机制，召开常委会会议8次。\n",
            ("standing_committee", None, "county", None, None, None),
        ),
        # two counties named once each, neither the organ's: no guess
        (
            "一年来，县人大常委会组织代表赴安吉县、德清县考察学习，召开常委会会议8次。\n",
            ("standing_committee", None, "county", None, None, None),
        ),
        (
            "柳泉镇人大主席团工作报告\n\n各位代表：\n\n2023年工作回顾\n\n一年来，镇人大主席团组织代表视察3次。\n",
            ("presidium", "柳泉镇人大主席团", "township", None, None, None),
        ),
        (
            "区人大常委会工作报告\n\n各位代表：\n\n一年来，区人大常委会召开会议6次。\n",
            ("standing_committee", None, "county", None, None, None),
        ),
        (
            "新华社北京3月8日电 全国人大常委会委员长向大会作工作报告。过去一年，常委会制定法律6件。\n",
            ("standing_committee", "全国人大常委会", "national", None, None, None),
        ),
        # 委员长会议 is the national standing committee's own body
        (
            "过去一年，委员长会议组成人员带队开展专题调研，常委会组成人员联系代表400余名。\n",
            ("standing_committee", "全国人大常委会", "national", None, None, None),
        ),
        # the national government, by its own name
        (
            "政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理 李明\n\n各位代表：\n\n"
            "现在，我代表国务院，向大会报告政府工作。\n",
            ("government", "国务院", "national", None, None, None),
        ),
        # a congress session is where a report is delivered, not the organ reporting
        (
            "1月10日，云龙区第十八届人民代表大会第三次会议听取区人大常委会工作报告。区人大常委会主任作报告。\n",
            ("standing_committee", "云龙区人大常委会", "county", "云龙区", "徐州市", "江苏省"),
        ),
    ],
)
def test_organ_tier_and_place(text, expected):
    assert metadata(text) == expected


def test_the_title_names_the_place_of_an_organ_written_without_one():
    text = "1\n\n婺源县志\n\n二、常务委员会会议\n\n人大常委会每两月召开一次会议，听取政府工作汇报。\n"
    assert metadata(text)[2:] == ("county", "婺源县", "上饶市", "江西省")


def test_a_list_of_other_reports_does_not_name_the_organ():
    text = (
        "1.南平市人大常委会工作报告\n\n2.三明市人大常委会工作报告\n\n莆田市人民代表大会常务委员会工作报告\n\n"
        "各位代表：\n\n一年来，市人大常委会召开会议8次，为莆田高质量发展作出贡献。\n"
    )
    assert metadata(text)[1:4] == ("莆田市人大常委会", "city", None)


def test_a_party_standing_committee_is_not_the_organ():
    text = "一年来，县人大常委会坚持重大事项向县委常委会请示报告，县委常委会听取人大工作汇报2次，县委常委会研究人大工作3次。\n"
    assert metadata(text)[0] == "standing_committee"
    text = "会议指出，县委常委会要加强对人大工作的领导。县委常委会听取汇报。\n"
    assert metadata(text)[0] is None


def test_the_page_around_a_report_does_not_name_its_organ():
    text = (
        "当前位置：首页 > 某某市人民政府门户网站 > 人大工作\n\n来源：市人民政府办公室\n\n"
        "市人大常委会工作报告\n\n各位代表：\n\n一年来，市人大常委会召开会议8次。\n"
    )
    assert metadata(text)[0] == "standing_committee"


def test_a_conjunction_glued_to_a_tier_word_is_not_a_county():
    # 和县 is a county, but 监督和县政协 is 监督 + 和 + 县政协
    text = "一年来，县政府自觉接受县人大常委会的监督和县政协的民主监督，县人大常委会召开会议6次。\n"
    assert metadata(text)[1:4] == (None, "county", None)


def test_a_dateline_city_places_an_unnamed_provincial_organ():
    text = "新华社南京1月10日电 过去一年，省人大常委会制定地方性法规9件，开展执法检查6次。\n"
    assert metadata(text)[1:] == ("江苏省人大常委会", "province", None, None, "江苏省")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一年来，和平镇人大主席团组织代表视察5次。\n", ("presidium", "和平镇人大主席团", "township")),
        # 代表 is the verb, not part of a township's name
        ("各位代表：\n\n我代表镇人大主席团向大会报告工作，主席团组织代表活动12次。\n", ("presidium", None, "township")),
        ("本报讯 近日，仁和街道人大工委组织代表视察民生项目10次。\n", ("standing_committee", "仁和街道人大工委", "township")),
        (
            "——在大河乡第十八届人民代表大会第三次会议上\n\n大河乡人大主席团主席 王立\n\n各位代表：\n\n乡人大主席团组织视察4次。\n",
            ("presidium", "大河乡人大主席团", "township"),
        ),
    ],
)
def test_township_bodies(text, expected):
    assert metadata(text)[:3] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an unnamed 自治州 is a prefecture: a province named as a topic does not place it
        (
            "自治州人大常委会工作报告\n\n各位代表：\n\n一年来，州人大常委会深入学习中央西藏工作座谈会精神，"
            "召开常委会会议7次。\n",
            ("standing_committee", None, "city", None, None, None),
        ),
        # a city's name inside an idiom (长治久安) is not the city
        (
            "自治州人大常委会工作报告\n\n各位代表：\n\n一年来，州人大常委会围绕社会稳定和长治久安依法履职，"
            "召开常委会会议7次。\n",
            ("standing_committee", None, "city", None, None, None),
        ),
        # words before 镇 that cannot be its name (值此, 今年) give no township name
        (
            "各位代表：\n\n值此镇第九届人民代表大会第一次会议召开之际，我受镇第八届人大主席团的委托，向大会报告工作。\n",
            ("presidium", None, "township", None, None, None),
        ),
        (
            "镇人大代表在镇十六届人大三次会议上提出建议。今年镇人大将围绕民生实事加强监督。\n",
            ("congress", None, "township", None, None, None),
        ),
        # a 人大主席团 written without its place is a township's
        (
            "近年来，城东镇完善人大主席团议事规则，组织代表走访选民。\n",
            ("presidium", None, "township", None, None, None),
        ),
        # news of a township congress's session: the government report it reviews is not the organ
        (
            "本报讯 1月6日，河口乡第十九届人民代表大会第二次会议召开。会议听取和审议了乡长所作的《政府工作报告》，"
            "票决产生2024年民生实事项目3项。\n",
            ("congress", "河口乡人大", "township", None, None, None),
        ),
    ],
)
def test_held_out_organ_phenomena(text, expected):
    assert metadata(text) == expected


def test_a_street_working_committee_written_around_its_place():
    text = "本报讯 近日，人大东湖街道工委组织区人大代表开展集中视察，代表们对街道工作提出意见。\n"
    assert metadata(text)[:3] == ("standing_committee", "东湖街道人大工委", "township")


def test_a_cppcc_written_with_its_place_after_is_that_place_s():
    text = (
        "中国人民政治协商会议某某县第九届委员会常务委员会工作报告\n\n各位委员：\n\n"
        "我代表政协慈利县第九届委员会常务委员会向大会报告工作。一年来，全国政协的部署在我县得到落实。\n"
    )
    assert metadata(text) == ("cppcc", "慈利县政协", "county", "慈利县", "张家界市", "湖南省")


def test_a_government_report_title_is_still_the_government_when_not_reviewed():
    text = "政府工作报告\n\n——2024年1月8日在丰宁满族自治县第十七届人民代表大会第四次会议上\n\n各位代表：\n\n" \
        "现在，我代表县人民政府向大会报告工作。\n"
    assert metadata(text)[0] == "government"
