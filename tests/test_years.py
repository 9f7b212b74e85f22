"""The year or term a report covers, and its delivery date, on phrasings written for these tests."""

import pytest

from watcher.normalize import repair
from watcher.reports import split_reports


def covered(text):
    (report,) = split_reports(repair(text))
    return report.year, report.period_start, report.period_end, report.delivered_on


@pytest.mark.parametrize(
    "text, expected",
    [
        # the heading names the year reviewed
        ("各位代表：\n\n2023年工作回顾\n\n一年来，区人大常委会召开会议8次。\n", (2023, 2023, 2023, None)),
        ("各位代表：\n\n一、2021年的主要工作\n\n常委会召开会议6次。\n", (2021, 2021, 2021, None)),
        # delivered early in 2024 about 过去的一年: 2023
        (
            "某县人大常委会工作报告\n\n——2024年1月10日在某县第十届人民代表大会第三次会议上\n\n各位代表：\n\n"
            "过去的一年，常委会召开会议8次。\n",
            (2023, 2023, 2023, "2024-01-10"),
        ),
        # a delivery date written in Chinese numerals
        (
            "——二〇二四年一月十二日在某市第八届人民代表大会第三次会议上\n\n各位代表：\n\n一年来，常委会依法履职。\n",
            (2023, 2023, 2023, "2024-01-12"),
        ),
        # a date set off with box-drawing dashes
        (
            "──2025年1月5日在某县第十八届人民代表大会第五次会议上\n\n各位代表：\n\n一年来，常委会依法履职。\n",
            (2024, 2024, 2024, "2025-01-05"),
        ),
        # the sentence that opens the review names its year; the title's year is the delivery year
        (
            "2021年某市人大常委会工作报告\n\n——2021年2月3日在某市第九届人民代表大会第五次会议上\n\n各位代表：\n\n"
            "2020年，常委会在市委领导下依法履职。2021年是建党一百周年。\n",
            (2020, 2020, 2020, "2021-02-03"),
        ),
        # a report's title carrying its delivery year, over a review of the year before
        ("2024年政府工作报告\n\n各位代表：\n\n2023年，全县经济平稳增长。\n", (2023, 2023, 2023, None)),
        # a review's title carries the year reviewed, whatever background the text gives
        ("履职为民\n\n——2023年某区人大常委会工作综述\n\n2022年，区人大完成换届。一年来，常委会召开会议9次。\n", (2023, 2023, 2023, None)),
        ("各位代表：\n\n刚刚过去的2022年，县人大常委会召开会议7次。\n", (2022, 2022, 2022, None)),
        # Chinese-numeral and full-width years
        ("各位代表：\n\n二〇二三年，县人大常委会召开会议7次。\n", (2023, 2023, 2023, None)),
        ("各位代表：\n\n２０１９年是全面建成小康社会的关键之年。一年来，常委会召开会议7次。\n", (2019, 2019, 2019, None)),
        # the year heading its organ's sentence, in a news item about the session
        ("十日上午，大会听取工作报告。报告说，2015年县人大常委会依法开展监督。\n", (2015, 2015, 2015, None)),
        # the organ's own year
        ("一、会议情况\n\n根据县人大常委会2016年工作要点，常委会召开会议2次。\n", (2016, 2016, 2016, None)),
        # a plan's year, when nothing else names one, follows the year reviewed
        ("常委会依法履职。\n\n2012年，常委会将继续加强监督。\n", (2011, 2011, 2011, None)),
        # a plan after the review does not override it
        (
            "各位代表：\n\n2018年是改革开放四十周年。一年来，常委会召开会议7次。2019年，常委会将继续依法履职。\n",
            (2018, 2018, 2018, None),
        ),
        # a year inside a cited title is not the report's
        ("常委会审议《某县2015年国民经济计划》，召开会议5次。\n", (None, None, None, None)),
        # nothing written: nothing guessed
        ("各位代表：\n\n过去一年，常委会召开会议8次。\n", (None, None, None, None)),
    ],
)
def test_one_year(text, expected):
    assert covered(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a term-end report delivered in January covers the five years before
        (
            "——2022年1月15日在某市第十六届人民代表大会第一次会议上\n\n各位代表：\n\n过去五年，常委会制定法规40件。\n",
            (None, 2017, 2021, "2022-01-15"),
        ),
        # delivered in December of the term's last year, it covers that year too
        (
            "——2021年12月20日在某区第十七届人民代表大会第一次会议上\n\n各位代表：\n\n本届以来，常委会召开会议50次。\n",
            (None, 2017, 2021, "2021-12-20"),
        ),
        ("砥砺奋进\n\n——某市人大常委会2016—2020年工作回顾\n\n五年来，常委会依法履职。\n", (None, 2016, 2020, None)),
        ("省人大常委会履职五年来，截至2017年底共作出决议决定40项。\n", (None, 2013, 2017, None)),
        # a term report titled with its last year
        ("2016年某县人大常委会工作报告\n\n各位代表：\n\n过去五年，常委会依法履职。\n", (None, 2012, 2016, None)),
        # five years with no year written: no period
        ("各位代表：\n\n五年来，常委会制定法规40件。\n", (None, None, None, None)),
    ],
)
def test_term(text, expected):
    assert covered(text) == expected


def test_a_one_year_report_looking_back_over_the_term_keeps_its_year():
    text = "各位代表：\n\n2023年工作回顾\n\n一年来，常委会召开会议8次；本届以来累计制定法规12件。\n"
    assert covered(text) == (2023, 2023, 2023, None)
    text = "——2024年1月10日在某县第十届人民代表大会第三次会议上\n\n各位代表：\n\n过去一年，常委会召开会议8次；本届以来累计制定法规12件。\n"
    assert covered(text) == (2023, 2023, 2023, "2024-01-10")


def test_a_report_delivered_late_in_the_year_covers_that_year():
    text = "——2019年12月26日在某县第六届人民代表大会第四次会议上\n\n各位代表：\n\n一年来，常委会召开会议7次。\n"
    assert covered(text) == (2019, 2019, 2019, "2019-12-26")


def test_a_year_after_the_delivery_is_a_plan():
    text = (
        "——2023年3月5日在某省第十四届人民代表大会第二次会议上\n\n各位代表：\n\n"
        "2023年是全面贯彻新精神的开局之年。2022年，常委会召开会议8次。\n"
    )
    assert covered(text) == (2022, 2022, 2022, "2023-03-05")


def test_a_report_to_a_new_congress_s_first_session_covers_the_term():
    text = (
        "——2022年1月20日在某市第十六届人民代表大会第一次会议上\n\n各位代表：\n\n"
        "一年来，常委会召开会议8次，制定法规5件。\n"
    )
    assert covered(text) == (None, 2017, 2021, "2022-01-20")


def test_a_news_item_on_a_report_to_a_first_session_names_no_single_year():
    text = (
        "3月8日上午，十五届全国人大一次会议举行全体会议，听取全国人大常委会委员长关于常委会工作的报告。"
        "报告说，2028年是全面落实新规划的开局之年。\n"
    )
    assert covered(text) == (None, None, None, None)
    # a session that is only mentioned is not where the report is delivered
    text = "2017年工作回顾\n\n一年来，镇人大主席团保证了镇十七届人大一次会议顺利召开，组织视察3次。\n"
    assert covered(text) == (2017, 2017, 2017, None)
