import pytest

from watcher.places import place_index


@pytest.mark.parametrize(
    "name, context, expected",
    [
        ("城西区", "", ("county", "城西区", "西宁市", "青海省")),
        ("汉滨区", "", ("county", "汉滨区", "安康市", "陕西省")),
        ("乌当区", "", ("county", "乌当区", "贵阳市", "贵州省")),
        ("海淀区", "", ("county", "海淀区", "北京市", "北京市")),
        ("昆山市", "", ("county", "昆山市", "苏州市", "江苏省")),
        ("城中区", "西宁市城中区人大常委会", ("county", "城中区", "西宁市", "青海省")),
        ("城中区", "在青海省委的领导下", ("county", "城中区", "西宁市", "青海省")),
        ("城中区", "柳州市城中区", ("county", "城中区", "柳州市", "广西壮族自治区")),
        ("城中区", "", ("county", "城中区", None, None)),
        ("城中区", "西宁和柳州的代表交流", ("county", "城中区", None, None)),
        ("朝阳区", "北京", ("county", "朝阳区", "北京市", "北京市")),
        ("苏州市", "", ("city", None, "苏州市", "江苏省")),
        ("青海省", "", ("province", None, None, "青海省")),
        ("全国", "", ("national", None, None, None)),
        ("东风镇", "", ("township", None, None, None)),
        ("北区", "", (None, None, None, None)),
    ],
)
def test_resolve(name, context, expected):
    place = place_index().resolve(name, context)
    assert (place.level, place.district, place.city, place.province) == expected


def test_the_longest_place_name_before_an_organ_word():
    text = "安康市汉滨区人大常委会"
    assert place_index().name_before(text, text.index("人大")) == "汉滨区"
    text = "推动城北区人大常委会"
    assert place_index().name_before(text, text.index("人大")) == "城北区"


def test_a_place_name_inside_an_idiom_is_not_named():
    from schema.vocabulary import default_vocabulary

    index = place_index(default_vocabulary().places)
    assert index.names_in("维护社会长治久安") == []
    assert index.names_in("长治市人大常委会") == [("长治市", 0)]
