from watcher.extract.sections import split_sections, split_sentences

TEXT = """把牢政治方向

在党的全面领导中 展现人大自觉

一年来，常委会坚持党的领导。召开常委会会议9次！

加强履职能力建设。组织代表培训，提升履职能力；开展“代表进站。接待群众”活动。

1 坚持讲政治、强引领，以鲜明导向彰显政治自觉

正文内容。

（图片由城中区人大常委会办公室提供）

城中区人大常委会召开常委会会议

城中区人大代表在社区走访选民
"""


def test_headings_run_in_heads_and_captions():
    sections = split_sections(TEXT)
    assert [(s.heading, s.kind) for s in sections] == [
        ("把牢政治方向 在党的全面领导中 展现人大自觉", "body"),
        ("加强履职能力建设。", "body"),
        ("1 坚持讲政治、强引领，以鲜明导向彰显政治自觉", "body"),
        (None, "captions"),
    ]
    assert sections[0].start == 0 and sections[-1].end == len(TEXT)
    assert all(a.end == b.start for a, b in zip(sections, sections[1:]))


def test_sentences_keep_quotes_together_and_slice_exactly():
    sentences = split_sentences(TEXT)
    texts = [s.text for s in sentences]
    assert "开展“代表进站。接待群众”活动。" in texts
    assert "召开常委会会议9次！" in texts
    assert all(TEXT[s.start : s.end] == s.text for s in sentences)
    captions = [s for s in sentences if s.section_seq == 3]
    assert [s.text for s in captions][-1] == "城中区人大代表在社区走访选民"
