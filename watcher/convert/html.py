"""Saved web pages: the article's title, date and body, without navigation, footers, scripts or CSS.

The bytes are decoded here, honouring the page's own ``<meta charset>`` (GBK pages say so), so
trafilatura sees the right characters. Inline tags inside a paragraph (``<span>12</span><span>次``)
join without a space, so numbers stay whole.
"""

from __future__ import annotations

import codecs
import re

from watcher.convert.base import ConversionError, Converted, package_version
from watcher.decode import DecodeError, decode, normalise_line_ends
from watcher.normalize import BYLINE

FORMAT = "html"
NAME = "trafilatura"
VERSION = package_version("trafilatura")
EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Legacy Chinese encodings pages declare, read with their superset.
WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
SENTENCE = re.compile(r"[。！？!?]|\.\s")  # an article has at least one sentence; a menu has none
SITE_SUFFIX = re.compile(r"\s*[_|｜]\s*|\s+[-–—]\s+")  # 标题_某某人大网, 标题 - 某某网
BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "td", "li", "span", "font", "strong")
HEADLINE_LINES = 8
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def matches(probe) -> bool:
    return probe.looks_like_html()


def convert(data: bytes) -> Converted:
    markup, encoding = decode_markup(data)
    return convert_markup(markup, encoding, FORMAT)


def decode_markup(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """The page's text: its BOM, else its declared charset if the bytes decode in it, else the
    same guess as for text files."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    match = META_CHARSET.search(data[:8192])
    declared = declared or (match.group(1).decode("ascii").lower() if match else None)
    if declared:
        encoding = WIDER.get(declared, declared)
        try:  # a page declaring one charset but saved in another is left to the guess below
            return normalise_line_ends(data.decode(encoding)), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        decoded = decode(data)
    except DecodeError as error:
        raise ConversionError(f"the web page cannot be decoded: {error}") from error
    return decoded.text, decoded.encoding


def convert_markup(markup: str, encoding: str, format: str) -> Converted:
    import trafilatura

    result = trafilatura.bare_extraction(
        markup, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (result.text if result else "") or ""
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    if not any(len(p) >= 20 and SENTENCE.search(p) for p in paragraphs):
        raise ConversionError(
            "the web page holds no article text (only navigation, scripts or too little prose); "
            "save the article's own page, or copy its text into a .txt file"
        )
    date = result.date if result.date and ISO_DATE.match(result.date) else None
    title = SITE_SUFFIX.split(result.title or "")[0].strip() or None
    if title:
        paragraphs = [line for line in headline(markup, title, paragraphs) if line not in paragraphs] + paragraphs
    return Converted("\n\n".join(paragraphs), format, NAME, VERSION, encoding=encoding, title=title, date=date)


def headline(markup: str, title: str, body: list[str]) -> list[str]:
    """The subtitle (——2023年…工作综述) and bylines a page prints between its title and the
    article's container, where main-content extraction leaves them out; they name the year and
    the genre. Only lines in those two shapes are taken, so page furniture between (date,
    source, font-size links) stays out."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(markup)
    except (ValueError, lxml.etree.ParserError):
        return []
    lines = []
    for element in root.iter(*BLOCKS):
        if not any(child.tag in BLOCKS for child in element.iterdescendants()):
            text = " ".join(element.text_content().split())
            if text:
                lines.append(text)
    if title not in lines:
        return []
    found = []
    for line in lines[lines.index(title) + 1 :][:HEADLINE_LINES]:
        if body and line in (body[0], body[0][: len(line)]):
            break
        if line.startswith("—") or BYLINE.match(line):
            found.append(line)
    return found
