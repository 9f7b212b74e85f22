"""Render a plain-text report into the files people actually have: a multi-column newspaper PDF
(Chromium's print-to-PDF), a Word document (python-docx), a GBK web page with site chrome
around the article, and a PNG scan (a Chromium screenshot). Used by the converter tests to
make their fixtures from our own fixture reports; nothing is downloaded.
"""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

from watcher.normalize import repair

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"]
FONT = "'WenQuanYi Zen Hei', sans-serif"
HEADLINE_MAX = 3  # short lines before the first body paragraph rendered as the headline


def paragraphs(text: str) -> list[str]:
    return [p for p in repair(text).split("\n") if p.strip()]


def _is_short(paragraph: str) -> bool:
    return len(paragraph) <= 30 and paragraph[-1] not in "。！？；”"


def _split_headline(paras: list[str]) -> tuple[list[str], list[str]]:
    head = []
    for p in paras[:HEADLINE_MAX]:
        if not _is_short(p):
            break
        head.append(p)
    return head, paras[len(head):]


def _body_html(paras: list[str]) -> str:
    return "\n".join(
        f"<h3>{html.escape(p)}</h3>" if _is_short(p) else f"<p>{html.escape(p)}</p>" for p in paras
    )


def newspaper_html(text: str, columns: int = 3) -> str:
    """An e-paper page: headline across the top, the article in ``columns`` CSS columns."""
    head, body = _split_headline(paragraphs(text))
    headline = "\n".join(f"<h{1 if i == 0 else 2}>{html.escape(p)}</h{1 if i == 0 else 2}>" for i, p in enumerate(head))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>e-paper</title><style>
@page {{ size: A3; margin: 14mm; }}
body {{ font-family: {FONT}; font-size: 10.5pt; line-height: 1.5; }}
h1 {{ font-size: 26pt; text-align: center; margin: 0 0 4pt; }}
h2 {{ font-size: 13pt; text-align: center; font-weight: normal; margin: 0 0 4pt; }}
h3 {{ font-size: 11.5pt; margin: 8pt 0 4pt; }}
.columns {{ column-count: {columns}; column-gap: 9mm; column-rule: 0.5pt solid #999; margin-top: 10pt; }}
p {{ text-indent: 2em; margin: 0 0 3pt; text-align: justify; }}
</style></head><body>{headline}<div class="columns">{_body_html(body)}</div></body></html>"""


def web_page_html(text: str, charset: str = "gbk") -> str:
    """A 人大 site's article page: navigation, breadcrumbs, sidebar, footer and scripts around it;
    numbers in the body split across inline tags as content systems do."""
    head, body = _split_headline(paragraphs(text))
    title = head[0] if head else body[0]
    rest = "".join(f"<p class='sub'>{html.escape(p)}</p>" for p in head[1:])
    body_html = _body_html(body)
    import re

    body_html = re.sub(r"(\d+)(次|件|项|个|人)", r'<span class="num">\1</span><span>\2</span>', body_html, count=40)
    nav = "".join(f"<li><a href='/c{i}.html'>{w}</a></li>" for i, w in enumerate(
        ["首页", "人大要闻", "常委会工作", "代表工作", "立法工作", "监督工作", "专题专栏", "联系我们"]))
    links = "".join(f"<li><a href='/n{i}.html'>相关链接第{i}条新闻标题</a></li>" for i in range(8))
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_人大网</title>
<style>.nav li {{ display:inline; filter: grayscale(100%); }} .num {{ color: #000; }}</style>
<script>var _hmt = _hmt || []; window.count = 12 + "次";</script>
</head><body>
<div class="header"><img src="logo.png" alt="人大网"><ul class="nav">{nav}</ul></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/l.html">人大要闻</a></div>
<div class="main"><div class="article">
<h1>{html.escape(title)}</h1>{rest}
<div class="info">发布时间：2024-01-15 来源：本站 浏览次数：1234 【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="content">{body_html}</div></div>
<div class="side"><h4>热点新闻</h4><ul>{links}</ul></div></div>
<div class="footer"><p>版权所有：某某区人大常委会办公室 地址：某某路1号 电话：0000-1234567</p>
<p>备案号：某ICP备12345678号-1 技术支持：某某网络公司</p></div>
<script>document.write("访问量统计");</script>
</body></html>"""


def write_gbk_page(text: str, path: Path) -> Path:
    path.write_bytes(web_page_html(text, "gbk").encode("gb18030"))
    return path


def write_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    head, body = _split_headline(paragraphs(text))
    for i, line in enumerate(head):
        document.add_heading(line, level=0 if i == 0 else 2)
    for line in body:
        if _is_short(line):
            document.add_heading(line, level=3)
        else:
            document.add_paragraph(line)
    document.save(path)
    return path


def print_pdf(page_html: str, path: Path) -> Path:
    source = path.with_suffix(".source.html")
    source.write_text(page_html, encoding="utf-8")
    subprocess.run(
        [str(CHROMIUM), *CHROMIUM_ARGS, f"--print-to-pdf={path}", source.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    source.unlink()
    return path


def write_pdf(text: str, path: Path, columns: int = 3) -> Path:
    return print_pdf(newspaper_html(text, columns), path)


def screenshot(page_html: str, path: Path, width: int = 1000, height: int = 1400) -> Path:
    """A PNG of the page as a scanner would see it (greyscale is left to OCR)."""
    source = path.with_suffix(".source.html")
    source.write_text(page_html, encoding="utf-8")
    subprocess.run(
        [str(CHROMIUM), *CHROMIUM_ARGS, "--hide-scrollbars", f"--window-size={width},{height}",
         f"--screenshot={path}", source.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    source.unlink()
    return path


def scan_html(paras: list[str]) -> str:
    """One printed page, large type, as for a 300 dpi scan."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: {FONT}; font-size: 26px; line-height: 1.6; margin: 40px; background: #fff; color: #000; }}
p {{ margin: 0 0 14px; }}</style></head><body>{body}</body></html>"""
