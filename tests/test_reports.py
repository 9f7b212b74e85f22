import pytest
import yaml

from conftest import FIXTURE_REPORTS, SHARED
from watcher.normalize import repair
from watcher.reports import split_reports


def reports_of(text):
    repaired = repair(text)
    reports = split_reports(repaired)
    for report in reports:
        assert repaired[report.start : report.end] == report.text
        for person in report.people:
            assert report.text[person.start : person.end] == person.name
    return reports


def test_title_subtitle_and_two_bylines():
    (report,) = reports_of(
        "履职为民显担当 实干争先促发展\n——城北区人大常委会2023年工作综述\n\n本报记者 小蕊 通讯员 颜维彬\n\n"
        "一年来，召开常委会会议14次。\n"
    )
    assert (report.title, report.genre, report.organ, report.year) == (
        "履职为民显担当 实干争先促发展", "工作综述", "城北区人大常委会", 2023
    )
    assert (report.district, report.city, report.province, report.level) == ("城北区", "西宁市", "青海省", "county")
    assert [(p.name, p.role) for p in report.people] == [("小蕊", "本报记者"), ("颜维彬", "通讯员")]


def test_organ_prefixed_title_and_reviewed_year():
    (report,) = reports_of(
        "城东区人大：凝心聚力担使命 笃行实干促发展\n本报记者 施翔\n\n刚刚过去的2024 年，是关键的一年。"
        "这一年，区人大常委会扛牢责任。\n"
    )
    assert (report.title, report.district, report.year, report.genre) == (
        "凝心聚力担使命 笃行实干促发展", "城东区", 2024, "工作综述"
    )


def test_a_nameless_fragment_stays_a_report_without_a_place():
    fragment = "提升工作效能。配合省市人大开展视察调研5次。\n\n"
    article = "奋力书写新答卷\n\n——2023年青山区人大常委会工作综述\n\n通讯员 陈立新\n\n一年来，工作扎实。\n"
    first, second = reports_of(fragment + article)
    assert (first.title, first.district, first.city, first.province, first.year) == (None,) * 5
    assert "视察调研5次" in first.text and "视察调研5次" not in second.text
    # 青山区 exists in 武汉市 and in 包头市: nothing here decides, so no city is guessed
    assert (second.district, second.city, second.province) == ("青山区", None, None)


def test_a_fragment_naming_the_same_district_joins_the_article():
    fragment = "加强自身建设。2024年，青山区人大常委会将在区委领导下继续努力。\n\n"
    article = "奋力书写新答卷\n\n——2023年青山区人大常委会工作综述\n\n一年来，召开常委会会议11次。\n"
    (report,) = reports_of(fragment + article)
    assert report.start == 0 and report.title == "奋力书写新答卷"
    assert report.year == 2023


def test_city_level_and_multi_year_reports():
    (city,) = reports_of("砥砺奋进五年间\n\n——苏州市人大常委会2017—2021年工作回顾\n\n过去五年，常委会依法履职。\n")
    assert (city.level, city.district, city.city, city.province) == ("city", None, "苏州市", "江苏省")
    assert (city.year, city.period_start, city.period_end) == (None, 2017, 2021)
    assert city.genre == "工作回顾"


def test_fixture_with_two_articles_and_a_fragment():
    reports = reports_of((FIXTURE_REPORTS / "jinniu_two_articles.txt").read_text(encoding="utf-8"))
    assert [(r.title is None, r.genre, r.district) for r in reports] == [
        (True, None, None),
        (False, "工作综述", "金牛区"),
        (False, "履职纪实", "金牛区"),
    ]
    assert [(p.name, p.role) for p in reports[1].people] == [("赵云峰", "通讯员")]


def test_ambiguous_district_is_resolved_by_the_text():
    (report,) = reports_of((FIXTURE_REPORTS / "chengzhong_2023_wrapped.txt").read_text(encoding="utf-8"))
    assert (report.district, report.city, report.province) == ("城中区", "西宁市", "青海省")


def test_samples_match_the_gold_report_fields(samples):
    gold = yaml.safe_load((SHARED / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    for entry in gold:
        reports = reports_of((SHARED / "samples" / entry["file"]).read_text(encoding="utf-8"))
        for expected in entry["reports"]:
            found = [r for r in reports if r.district == expected["district"] and r.genre == expected["genre"]]
            assert len(found) == 1, (entry["file"], expected["district"], expected["genre"])
            report = found[0]
            for field in ("city", "province", "year"):
                assert getattr(report, field) == expected[field], (entry["file"], field)
            assert expected["title"].replace(" ", "") in (report.title or "").replace(" ", "")
            bylines = {(p.name, p.role) for p in report.people}
            for person in expected.get("people") or []:
                if person["role"] in ("本报记者", "通讯员"):
                    assert (person["name"], person["role"]) in bylines


def test_same_named_district_resolved_by_a_province_cited_in_the_text():
    (report,) = reports_of((FIXTURE_REPORTS / "qingshan_2023_clean.txt").read_text(encoding="utf-8"))
    assert (report.district, report.city, report.province) == ("青山区", "武汉市", "湖北省")


def test_the_page_around_an_article_joins_it():
    page = "某县人民政府\n\n政府信息公开\n\n发布时间：2024-01-25\n\n"
    article = "奋力书写新答卷\n\n——2023年青山区人大常委会工作综述\n\n通讯员 陈立新\n\n一年来，召开常委会会议11次。\n"
    (report,) = reports_of(page + article)
    assert report.start == 0 and report.title == "奋力书写新答卷"
    assert (report.organ_kind, report.year) == ("standing_committee", 2023)
