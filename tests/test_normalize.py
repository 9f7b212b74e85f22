import re

import pytest

from conftest import FIXTURE_REPORTS, sample_files, SHARED
from watcher.normalize import paragraphs, repair

WRAPPED = """一年来，城中区人大常委会坚持党的领
导、人民当家作主、依法治国有机统一，
全年召开党组会议 1
2次，主任会议14次，对《青海省大气污
染防治条例》开展执法检查，提出审议意
见9条。"""


def test_hard_wrapped_lines_are_joined_mid_word_number_and_title():
    out = repair(WRAPPED)
    assert out.strip().count("\n") == 0
    assert "坚持党的领导" in out
    assert "党组会议12次" in out
    assert "《青海省大气污染防治条例》" in out


def test_paragraph_and_heading_breaks_are_kept():
    text = "把牢政治方向\n\n在党的全面领导中 展现人大自觉\n\n第一段正文，内容较长并以句号结束。\n\n第二段正文。\n"
    assert repair(text) == "把牢政治方向\n\n在党的全面领导中 展现人大自觉\n\n第一段正文，内容较长并以句号结束。\n\n第二段正文。\n"


def test_a_page_break_inside_a_sentence_is_joined():
    long_line = "政治上坚定，行动上才能自觉。这一年，常委会牢固树立全区工作“一盘棋”思想，紧紧围绕区委中心"
    assert repair(f"{long_line}\n\n工作，制定年度工作要点。\n") == f"{long_line}工作，制定年度工作要点。\n"


def test_a_caption_inside_a_broken_sentence_is_moved_after_it():
    text = (
        "推动公正司法。加强对法官、检察官的监督，对诉讼服务中心建设情况开展专题视察，做好人大\n\n\n\n"
        "区人大常委会对区自然资源局开展工作评议。\n\n信访工作，全年转交办信访事项32件，办结27件。\n"
    )
    out = repair(text).split("\n\n")
    assert out[0].endswith("做好人大信访工作，全年转交办信访事项32件，办结27件。")
    assert out[1].strip() == "区人大常委会对区自然资源局开展工作评议。"


@pytest.mark.parametrize(
    "heading, repaired",
    [
        ("做实代表工作做实代表工作", "做实代表工作"),
        ("践行为民服务初心践行为民服务初心", "践行为民服务初心"),
        ("着力打造着力打造““四个机关四个机关””", "着力打造“四个机关”"),
        ("抓实自身建设", "抓实自身建设"),
        ("谈心谈话", "谈心谈话"),
        ("一年奋楫 一年深耕", "一年奋楫 一年深耕"),
    ],
)
def test_doubled_headings_collapse_and_others_do_not(heading, repaired):
    assert repair(f"正文第一段。\n\n{heading}\n\n正文第二段。\n").split("\n\n")[1] == repaired


def test_body_text_repeats_are_left_alone():
    text = "一年奋楫扬帆，一年砥砺深耕，一年履践致远。开展谈心谈话谈心谈话活动。\n"
    assert repair(text) == text


@pytest.mark.parametrize(
    "raw, repaired",
    [
        ("刚刚过去的2024 年，是关键一年。", "刚刚过去的2024年，是关键一年。"),
        ("聘请专家顾问 27 人，强化支撑。", "聘请专家顾问27人，强化支撑。"),
        ("办结率 9 2.8 %，满意率100%。", "办结率92.8%，满意率100%。"),
        ("通过SGS 机构检测508项指标。", "通过SGS机构检测508项指标。"),
        ("使用Datasette 0.65 发布。", "使用Datasette 0.65发布。"),
        ("全面\u3000贯彻\u00a0落实。", "全面贯彻落实。"),
    ],
)
def test_stray_spaces(raw, repaired):
    assert repair(raw).strip() == repaired


def test_heading_keeps_the_space_between_phrases():
    assert repair("坚持党的领导 确保人大工作正确政治方向\n\n正文。\n").startswith("坚持党的领导 确保人大工作正确政治方向\n")


def test_paragraph_offsets():
    text = repair("标题\n\n第一段。\n\n第二段。\n")
    assert [text[s:e] for s, e in paragraphs(text)] == ["标题", "第一段。", "第二段。"]


@pytest.mark.parametrize("path", sorted(FIXTURE_REPORTS.glob("*.txt")) + sample_files(), ids=lambda p: p.name)
def test_repair_is_idempotent_and_keeps_every_title_whole(path):
    raw = path.read_text(encoding="utf-8")
    out = repair(raw)
    assert repair(out) == out
    # every 《 closes on the same line, and no number is cut by a line break
    for line in out.splitlines():
        assert line.count("《") == line.count("》"), line
    assert not re.search(r"\d\n+\d", out)
    assert "\n\n\n" not in out


def test_gold_citations_survive_repair(samples):
    yaml = pytest.importorskip("yaml")
    gold = yaml.safe_load((SHARED / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    for entry in gold:
        text = repair((SHARED / "samples" / entry["file"]).read_text(encoding="utf-8"))
        for report in entry["reports"]:
            for title in report.get("citations") or []:
                assert f"《{title}》" in text, title


@pytest.mark.parametrize(
    "raw, repaired",
    [
        ("常委會開(kāi)展專(zhuān)項檢查3次。", "常委會開展專項檢查3次。"),
        ("組織代表視察(shì)調研。", "組織代表視察調研。"),
        ("召開常委會（huì）會議5次。", "召開常委會會議5次。"),
        # parentheses that are not a gloss stay
        ("地区生产总值(GDP)增长6%。", "地区生产总值(GDP)增长6%。"),
        ("（一）坚持党的领导。", "（一）坚持党的领导。"),
        ("推动项目(app)上线。", "推动项目(app)上线。"),
    ],
)
def test_pinyin_glosses_are_removed(raw, repaired):
    assert repair(raw).strip() == repaired


@pytest.mark.parametrize(
    "raw",
    [
        # the opening mark stayed at the foot of a column
        "结合主题教育举办“\n\n人大代表履职课堂”6期，邀请代表参加。\n",
        # the closing mark went to the head of the next column
        "结合主题教育举办“人大代表履职课堂\n\n”6期，邀请代表参加。\n",
    ],
)
def test_a_quotation_mark_moved_by_a_column_break_keeps_its_number(raw):
    assert repair(raw) == "结合主题教育举办“人大代表履职课堂”6期，邀请代表参加。\n"


def test_reading_copy_is_simplified_with_digit_years():
    from watcher.normalize import reading_copy

    assert reading_copy("二〇二三年，縣人大常委會召開會議２次") == "2023年，县人大常委会召开会议2次"
