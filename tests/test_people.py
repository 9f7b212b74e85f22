import pytest

from watcher.extract.people import extract_people
from watcher.extract.sections import split_sections


def people(text):
    return [(p.name, p.role, p.source) for p in extract_people(text, split_sections(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("乌当区人大代表黄晓斌已经是一名连任多年的区人大代表了。", [("黄晓斌", "人大代表")]),
        ("金牛区人大代表张秀英是荷花池街道社区党委书记。", [("张秀英", "人大代表")]),
        ("黔贵国际医院副院长、护理部主任刘玉馥作为一名医疗战线的人大代表。", [("刘玉馥", "副院长、护理部主任")]),
        ("合作社负责人高言惠，是区第十八届人大代表。", [("高言惠", "负责人")]),
        ("区人大代表王芳组织居民议事。", [("王芳", "人大代表")]),
        ("习近平总书记关于坚持和完善人民代表大会制度的重要思想。", []),
        ("人大代表履职能力提升培训班。", []),
        ("尊重代表权利和人民权利。", []),
        ("代表建议办理情况良好。", []),
        ("全国人大代表、人大专家及高校资深教授。", []),
    ],
)
def test_names_need_a_role(text, expected):
    assert [(n, r) for n, r, _ in people(text)] == expected


def test_captions_are_marked_and_names_are_listed_once():
    text = (
        "一年来，区人大代表刘建华在代表接待日活动中为群众解决停车难问题。代表们走访选民，收集意见建议。\n\n"
        "青山区人大代表刘建华(左二)在社区走访选民。\n\n"
        "青山区人大代表陈立新（右一）开展调研。\n"
    )
    got = people(text)
    assert [name for name, _, _ in got] == ["刘建华", "陈立新"]
    assert dict((n, s) for n, _, s in got)["陈立新"] == "caption"
