"""Converters on files made here: what a file is comes from its bytes, and bad input gets a reason."""

import io
import zipfile

import pytest

from conftest import FIXTURE_REPORTS
from watcher.convert import ConversionError, converter_for, read_document
from watcher.convert.base import MAX_PAGES, MAX_PIXELS

REPORT = (FIXTURE_REPORTS / "qingshan_2023_clean.txt").read_text(encoding="utf-8")
PROSE = "青山区人大常委会召开常委会会议11次，审议议题30项，听取专项工作报告12个，开展执法检查5次。"


def gbk_page(body: str, charset: str = "gbk") -> bytes:
    page = f"""<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>青山区人大常委会2023年工作综述_青山人大网</title>
<meta name="date" content="2024-01-15">
<style>.nav {{ filter: grayscale(100%); }}</style><script>var visits = 941 + "次";</script>
</head><body><ul class="nav"><li><a href="/">首页</a></li><li><a href="/a">人大要闻</a></li>
<li><a href="/b">代表工作</a></li><li><a href="/c">联系我们</a></li></ul>
<div class="article"><h1>青山区人大常委会2023年工作综述</h1>{body}</div>
<div class="footer">版权所有 青山区人大常委会办公室 备案号12345678号 访问量9999次</div></body></html>"""
    return page.encode("gb18030")


def docx_bytes(paragraphs, table=None) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=0)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_pdf(pages: int) -> bytes:
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def png(width: int, height: int, colour: str = "white") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


# -- what the bytes are ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "data, filename, format",
    [
        (REPORT.encode("utf-8"), "report.txt", "txt"),
        (REPORT.encode("utf-8"), "report.html", "txt"),  # a name is only a hint
        (gbk_page(f"<p>{PROSE}</p>"), "page.txt", "html"),
        (b"<p>" + PROSE.encode() + b"</p><p>" + PROSE.encode() + b"</p>" * 4 + b"<br><div>x</div>", "copied.txt", "html"),
        (blank_pdf(1), "scan.txt", "pdf"),
        (b"junk before the header\n" + blank_pdf(1), "report.pdf", "pdf"),
        (docx_bytes(["标题", PROSE]), "report.bin", "docx"),
        (png(20, 20), "page.jpg", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.docx", "office"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n", "page.txt", "mhtml"),
    ],
    ids=["text", "text named html", "html named txt", "tags in a txt", "pdf named txt", "pdf after junk",
         "docx unnamed", "png named jpg", "ole", "mhtml"],
)
def test_format_comes_from_the_bytes(data, filename, format):
    assert converter_for(data, filename).FORMAT == format


# -- web pages ------------------------------------------------------------------------------

def test_gbk_page_gives_the_article_without_chrome_and_numbers_stay_whole():
    body = (
        "<p>2023年，青山区人大常委会召开常委会会议<span>1</span><span>1</span><span>次</span>，"
        "审议议题<b>30</b>项，全年收到代表建议<font>86</font>件，办结率<span>100%</span>。</p>"
        f"<p>{PROSE}</p><p>{PROSE}</p>"
    )
    converted = read_document(gbk_page(body), "page.txt")
    assert converted.format == "html" and converted.converter == "trafilatura"
    assert converted.encoding == "gb18030"
    assert converted.title == "青山区人大常委会2023年工作综述"
    assert converted.text.startswith("青山区人大常委会2023年工作综述\n")
    assert "召开常委会会议11次" in converted.text and "代表建议86件" in converted.text
    for chrome in ("首页", "版权所有", "grayscale", "visits", "941", "9999"):
        assert chrome not in converted.text


def test_page_saved_in_another_charset_than_it_declares_is_still_read():
    page = gbk_page(f"<p>{PROSE}</p><p>{PROSE}</p>").decode("gb18030").encode("utf-8")
    converted = read_document(page, "page.html")
    assert converted.encoding == "utf-8"
    assert PROSE in converted.text


def test_site_name_in_the_page_title_is_left_out():
    page = gbk_page(f"<p>{PROSE}</p><p>{PROSE}</p>").replace(b"<h1>", b"<h2>").replace(b"</h1>", b"</h2>")
    page = page.replace("<h2>青山区人大常委会2023年工作综述</h2>".encode("gb18030"), b"")
    converted = read_document(page, "page.html")
    assert converted.title == "青山区人大常委会2023年工作综述"
    assert converted.text.splitlines()[0] == "青山区人大常委会2023年工作综述"


def test_page_without_an_article_fails_with_a_reason():
    with pytest.raises(ConversionError, match="no article text"):
        read_document(gbk_page(""), "menu.html")


def test_mhtml_reads_its_html_part():
    html = gbk_page(f"<p>{PROSE}</p><p>{PROSE}</p>", charset="gb2312")
    message = (
        b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
        b"\ttype=\"text/html\"; boundary=\"----B\"\r\n\r\n------B\r\n"
        b"Content-Type: text/html; charset=gbk\r\nContent-Transfer-Encoding: binary\r\n\r\n"
        + html + b"\r\n------B--\r\n"
    )
    converted = read_document(message, "saved.mhtml")
    assert converted.format == "mhtml"
    assert "召开常委会会议11次" in converted.text


# -- Word -----------------------------------------------------------------------------------

def test_docx_paragraphs_headings_and_table_rows():
    data = docx_bytes(["凝心聚力谋发展", "——2023年青山区人大常委会工作综述", PROSE],
                      table=[["项目", "数量"], ["常委会会议", "11次"], ["代表建议", "86件"]])
    converted = read_document(data, "report.docx")
    lines = converted.text.splitlines()
    assert lines[0] == "凝心聚力谋发展"
    assert "——2023年青山区人大常委会工作综述" in lines
    assert PROSE in lines
    assert "常委会会议，11次。" in lines and "代表建议，86件。" in lines
    assert converted.converter == "python-docx"


def test_zip_bomb_in_a_docx_is_not_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * 300_000_000 + b"/>")
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    with pytest.raises(ConversionError, match="ZIP bomb"):
        read_document(data, "bomb.docx")


@pytest.mark.parametrize(
    "marker, words",
    [("WordDocument", "save it as .docx"), ("EncryptedPackage", "password")],
    ids=["legacy doc", "encrypted docx"],
)
def test_legacy_and_encrypted_office_files_say_what_to_do(marker, words):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + marker.encode("utf-16-le") + bytes(500)
    with pytest.raises(ConversionError, match=words):
        read_document(data, "report.doc")


# -- PDF and images -------------------------------------------------------------------------

def test_broken_pdf_fails_with_a_reason():
    with pytest.raises(ConversionError, match="damaged"):
        read_document(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(100), "broken.pdf")


def test_pdf_over_the_page_limit_fails_before_reading():
    with pytest.raises(ConversionError, match=f"limit of {MAX_PAGES}"):
        read_document(blank_pdf(MAX_PAGES + 1), "phonebook.pdf")


@pytest.mark.parametrize(
    "text, unreadable",
    [("", True), ("第3版", True), ("(cid:1234)(cid:77)(cid:5)" * 20, True), ("\ue001\ue002" * 50, True),
     (PROSE, False), (PROSE + "(cid:12)", False)],
    ids=["empty", "folio only", "cid codes", "private use", "prose", "prose with one code"],
)
def test_pages_whose_text_cannot_be_read_go_to_ocr(text, unreadable):
    from watcher.convert.pdf import _unreadable

    assert _unreadable(text) is unreadable


def test_image_over_the_pixel_limit_fails_before_decoding():
    side = int(MAX_PIXELS ** 0.5) + 10
    with pytest.raises(ConversionError, match="pixels"):
        read_document(png(side, side), "poster.png")


def test_without_tesseract_a_scan_says_how_to_enable_ocr(monkeypatch):
    from watcher.convert import ocr

    monkeypatch.setenv("PATH", "/nonexistent")
    ocr.tesseract_version.cache_clear()
    try:
        with pytest.raises(ConversionError, match="tesseract-ocr-chi-sim"):
            read_document(png(200, 100), "scan.png")
        with pytest.raises(ConversionError, match="no readable text layer.*tesseract-ocr-chi-sim"):
            read_document(blank_pdf(2), "scan.pdf")
    finally:
        ocr.tesseract_version.cache_clear()


def test_every_converter_in_the_table_has_the_one_interface():
    from watcher.convert import CONVERTERS

    formats = [module.FORMAT for module in CONVERTERS]
    assert len(set(formats)) == len(formats)
    assert CONVERTERS[-1].FORMAT == "txt"  # the last resort, which refuses what is not text
    for module in CONVERTERS:
        assert module.NAME and isinstance(module.VERSION, str) and module.VERSION
        assert callable(module.matches) and callable(module.convert)


def test_reading_order_follows_columns_under_a_headline():
    from watcher.convert.pdf import Block, reading_order

    def line(left, top, text, width=100, height=10):
        return Block(left, top, left + width, top + height, text)

    blocks = [
        line(60, 0, "headline", width=300, height=30),  # over the three columns' gutters
        line(150, 40, "byline", width=80),
        # three columns; the gap after row 60 lines up across all of them
        line(0, 60, "a1"), line(120, 60, "b1"), line(240, 60, "c1"),
        line(0, 90, "a2"), line(120, 90, "b2"), line(240, 90, "c2"),
        line(0, 105, "a3"), line(240, 105, "c3"),
        line(0, 140, "next article", width=340, height=20),
        line(0, 170, "d1", width=160), line(180, 170, "e1", width=160),
    ]
    order = [block.text for block, _ in reading_order(blocks)]
    assert order == ["headline", "byline", "a1", "a2", "a3", "b1", "b2", "c1", "c2", "c3",
                     "next article", "d1", "e1"]
