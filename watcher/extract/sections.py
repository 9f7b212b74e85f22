"""Sections and sentences of a report's repaired text.

A section starts at a heading line (short, no sentence punctuation: 把牢政治方向,
1 坚持讲政治、强引领，…) or at a run-in head opening a paragraph (加强履职能力建设。…).
Photo captions closing an article form a section of their own, kind ``captions``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from schema.models import Section, Sentence
from watcher.normalize import BYLINE, NUMBERED_HEADING, paragraphs

SENTENCE_END = "。！？；!?;"
OPENERS = {"“": "”", "《": "》", "（": "）", "(": ")", "‘": "’", "「": "」"}
CLOSERS = set(OPENERS.values())
# The only characters that move sentence splitting: the rest of a paragraph is skipped over.
MARKS = re.compile("[" + re.escape("".join(OPENERS) + "".join(CLOSERS) + SENTENCE_END) + "]")
RUN_IN_HEAD = re.compile(r"^([^。！？；，,\n]{2,14}[。！？]|[^。！？；，,\n]{2,8}[，,][^。！？；，,\n]{2,10}[。！？])(?=\S)")
PHOTO_CREDIT = re.compile(r"^[（(]?(图片|照片|图)由.{1,30}提供[)）]?$")
HEADING_MAX = 40
CAPTION_MAX = 60


def is_heading(line: str) -> bool:
    if BYLINE.match(line) or line.startswith("—"):
        return False
    if NUMBERED_HEADING.match(line) and len(line) <= 60 and line[-1] not in SENTENCE_END:
        return True
    return len(line) <= HEADING_MAX and line[-1] not in SENTENCE_END + "”" and "，" not in line and "。" not in line


def split_sections(text: str) -> list[Section]:
    spans = paragraphs(text)
    captions_from = _captions_start(text, spans)
    sections: list[Section] = []

    def open_section(heading, start, kind="body"):
        if sections:
            sections[-1].end = start
        sections.append(Section(seq=len(sections), heading=heading, kind=kind, start=start, end=len(text)))

    for index, (start, end) in enumerate(spans):
        line = text[start:end]
        if captions_from is not None and index == captions_from:
            open_section(None, start, "captions")
            continue
        if captions_from is not None and index > captions_from:
            continue
        if is_heading(line):
            if sections and _only_headings(text, sections[-1], start):
                # a heading continued on the next line (two-line headings)
                sections[-1].heading = f"{sections[-1].heading} {line}"
                continue
            open_section(line, start)
            continue
        head = RUN_IN_HEAD.match(line)
        if head and not line.startswith(("一年来", "过去一年", "这一年")):
            open_section(head.group(1), start)
        elif not sections:
            open_section(None, start)
    if not sections:
        return [Section(seq=0, heading=None, start=0, end=len(text))]
    sections[0].start = 0
    sections[-1].end = len(text)
    return sections


def _only_headings(text: str, section: Section, upto: int) -> bool:
    """Whether nothing but the section's own heading stands between its start and ``upto``."""
    between = text[section.start : upto].strip()
    return section.heading is not None and between == section.heading


def _captions_start(text: str, spans) -> int | None:
    """Index of the first caption paragraph at the end of the article, if any."""
    for index, (start, end) in enumerate(spans):
        if PHOTO_CREDIT.match(text[start:end].strip()):
            return index
    # a closing run of two or more short one-sentence lines
    run = 0
    for start, end in reversed(spans):
        line = text[start:end]
        if len(line) <= CAPTION_MAX and line.count("。") == 1 and line.endswith("。"):
            run += 1
            continue
        break
    if run >= 2 and run < len(spans):
        return len(spans) - run
    return None


def split_sentences(text: str, sections: list[Section] | None = None) -> list[Sentence]:
    sections = sections if sections is not None else split_sections(text)
    starts = [x.start for x in sections]  # sections are in text order
    sentences: list[Sentence] = []
    for start, end in paragraphs(text):
        for s, e in _sentence_spans(text, start, end):
            index = bisect_right(starts, s) - 1
            section = sections[index].seq if index >= 0 else None
            sentences.append(Sentence(seq=len(sentences), section_seq=section, text=text[s:e], start=s, end=e))
    return sentences


def _sentence_spans(text: str, start: int, end: int):
    depth: list[str] = []
    begin = start
    i = start
    while mark := MARKS.search(text, i, end):
        i = mark.start()
        c = text[i]
        if c in OPENERS:
            depth.append(OPENERS[c])
        elif depth and c == depth[-1]:
            depth.pop()
        elif c in CLOSERS and c in depth:
            while depth and depth.pop() != c:
                pass
        elif c in SENTENCE_END and not depth:
            stop = i + 1
            while stop < end and text[stop] in "”’）)」":
                stop += 1
            yield from _trimmed(text, begin, stop)
            begin = i = stop
            continue
        if len(depth) > 3:  # unbalanced marks: stop tracking rather than swallow the paragraph
            depth.clear()
        i += 1
    yield from _trimmed(text, begin, end)


def _trimmed(text: str, start: int, end: int):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
