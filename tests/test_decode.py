import codecs

import pytest

from watcher.decode import DecodeError, decode

TEXT = "城中区人大常委会召开常委会会议9次，收到代表建议64件，办结率95.3%。\n第二段。\n"
TRADITIONAL = "城中區人大常委會召開常委會會議9次，收到代表建議64件，辦結率95.3%。\n"


@pytest.mark.parametrize(
    "data, encoding, text",
    [
        (TEXT.encode("utf-8"), "utf-8", TEXT),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", TEXT),
        (TEXT.encode("utf-16"), "utf-16", TEXT),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16", TEXT),
        ((TEXT * 5).encode("gb18030"), "gb18030", TEXT * 5),
        ((TRADITIONAL * 5).encode("big5"), "big5", TRADITIONAL * 5),
    ],
    ids=["utf-8", "utf-8 bom", "utf-16 le bom", "utf-16 be bom", "gb18030", "big5"],
)
def test_supported_encodings_round_trip(data, encoding, text):
    decoded = decode(data)
    assert decoded.text == text
    assert decoded.encoding == encoding


def test_gbk_subset_is_read_as_gb18030():
    assert decode(("人大代表联络站" * 20).encode("gbk")).text == "人大代表联络站" * 20


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_line_ends_become_newlines(line_end):
    assert decode(TEXT.replace("\n", line_end).encode()).text == TEXT


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b" \n\t\n", "white space"),
        (codecs.BOM_UTF8, "white space"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"PK\x03\x04" + bytes(100), "ZIP"),
        (b"abc\x00def" * 50, "binary"),
        (bytes(range(1, 32)) * 30, "control characters"),
        (bytes([0x81, 0x30, 0xFE, 0xFF, 0xC3]) * 300, "encoding"),
    ],
    ids=["empty", "whitespace", "bom only", "pdf", "png", "zip", "nul", "control", "undecodable"],
)
def test_what_is_not_text_fails_with_a_reason(data, words):
    with pytest.raises(DecodeError) as error:
        decode(data)
    assert words.lower() in str(error.value).lower()
