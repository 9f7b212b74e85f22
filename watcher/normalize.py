"""Repair the damage copying text out of a newspaper PDF leaves behind.

PDF extraction hard-wraps paragraphs at the column width (mid-word, mid-number, inside 《》),
inserts blank lines at column and page breaks, doubles headings (做实代表工作做实代表工作,
““四个机关四个机关””) and leaves stray spaces (2024 年). ``repair`` returns one paragraph or
heading per line, separated by blank lines. It is idempotent, because stored repaired text
is read again when a document is reprocessed.

The text is read in blocks (runs of non-blank lines). A *heading block* is a few short lines
with no sentence punctuation; everything else is body. Inside a body block, lines are joined
unless a line ends a sentence well short of the block's width. Across a blank line, a body
line that runs to the full width without ending a sentence continues in the next body block.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schema.vocabulary import default_vocabulary
from watcher.simplify import simplified

SENTENCE_END = "。！？；…!?;"
CLOSERS = "”’」』）)》】\"'"
INNER_PUNCTUATION = "，。；,;"
CREDITS = ("文/", "文／", "图/")  # a writer's or photographer's credit opens a byline too
# A byline opens with a role of the built-in ``people.yaml`` (本报记者, 通讯员…) or a credit.
BYLINE = re.compile("^(" + "|".join(map(re.escape, [*default_vocabulary().people.byline_roles, *CREDITS])) + ")")
NUMBERED_HEADING = re.compile(r"^(\d{1,2}\s|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)])")
HAN = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCTUATION = "，。、；：！？“”‘’（）《》【】—…"
OPENERS = "“‘「『《（("
PINYIN_VOWELS = "aeiouüvāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_GLOSS = re.compile(
    rf"(?<=[{HAN}])[(（](?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[{PINYIN_VOWELS}]{{1,3}}(?:ng|n|r)?[)）]"
)
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
FULLWIDTH_DIGIT = re.compile("[０-９]")
CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九○Ｏ", "0012345678900")
CHINESE_YEAR = re.compile("[〇零一二三四五六七八九○Ｏ]{4}(?=年)")
CHINESE_DATE = re.compile("(\\d{4}年)([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
LINE = re.compile(r"[^\n]+")
SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
# Spaces PDF extraction puts inside a number, around it, by punctuation and between characters.
SPACE_IN_NUMBER = re.compile(r"(?<=\d) (?=\d)")
SPACE_BY_NUMBER = re.compile(rf"(?<=\d) (?=[{HAN}%％．.])|(?<=[{HAN}]) (?=\d)|(?<=[.．]) (?=\d)")
SPACE_BY_PUNCTUATION = re.compile(rf" (?=[{CJK_PUNCTUATION}])|(?<=[{CJK_PUNCTUATION}]) ")
SPACE_IN_WORDS = re.compile(rf"(?<=[{HAN}]) (?=[{HAN}])|(?<=[A-Za-z]) (?=[{HAN}])|(?<=[{HAN}]) (?=[A-Za-z])")

# A single-line block this long that stops mid-sentence was cut by a page break.
LONG_LINE = 40
HEADING_MAX = 30
TITLE_BLOCK_MAX = 60


def repair(text: str) -> str:
    text = PINYIN_GLOSS.sub("", text)
    lines = [line.strip() for line in _clean(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")]
    blocks = _blocks(lines)
    column = _column_width(blocks)
    paragraphs: list[str] = []
    pending: list[str] = []  # captions lifted out of a paragraph they interrupted
    i = 0
    while i < len(blocks):
        gap, block = blocks[i]
        following_block = blocks[i + 1][1] if i + 1 < len(blocks) else None
        if _is_heading_block(block, column) and not _quotation_cut(block, following_block):
            paragraphs.extend(_collapse_doubled(_tidy_spaces(line, heading=True)) for line in block)
            i += 1
            continue
        parts = _join_block(block)
        # Continue the last paragraph into following body blocks while it stops mid-sentence.
        while i + 1 < len(blocks) and _continues(block, parts[-1], column, blocks[i + 1][1]):
            next_gap, next_block = blocks[i + 1]
            if _is_caption(next_block) and next_gap >= 2 and i + 2 < len(blocks) and not _is_heading_block(blocks[i + 2][1], column):
                pending.append(next_block[0])
                i += 1
                next_gap, next_block = blocks[i + 1]
            if _is_heading_block(next_block, column) and not _quotation_cut(block, next_block):
                break
            following = _join_block(next_block)
            parts[-1] = _glue(parts[-1], following[0])
            parts.extend(following[1:])
            block = next_block
            i += 1
        paragraphs.extend(_tidy_spaces(p, heading=False) for p in parts)
        paragraphs.extend(_tidy_spaces(p, heading=False) for p in pending)
        pending = []
        i += 1
    return "\n\n".join(p for p in paragraphs if p) + "\n"


@lru_cache(maxsize=1)
def paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of each non-empty line of repaired text. Kept for the last text:
    a report's sections and then its sentences are both read from its paragraphs."""
    return tuple(match.span() for match in LINE.finditer(text) if not match.group().isspace())


def reading_copy(text: str) -> str:
    """A Simplified copy with digit years (二〇二三年 → 2023年, ２０２３ → 2023), for reading
    metadata; it may differ in length from the text, so no offset is taken from it."""
    if FULLWIDTH_DIGIT.search(text):  # translate is slow on Chinese text even with nothing to do
        text = text.translate(FULLWIDTH_DIGITS)
    text = simplified(text)
    text = CHINESE_YEAR.sub(lambda m: m.group().translate(CHINESE_DIGITS), text)
    return CHINESE_DATE.sub(lambda m: f"{m.group(1)}{_small_number(m.group(2))}月{_small_number(m.group(3))}日", text)


def _small_number(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (months and days)."""
    tens, _, units = numeral.rpartition("十")
    value = int(units.translate(CHINESE_DIGITS) or 0)
    if "十" in numeral:
        value += 10 * int(tens.translate(CHINESE_DIGITS) or 1)
    return value


def _clean(text: str) -> str:
    """Form feeds out, each run of spaces one space: over the whole text at once (no run crosses a line)."""
    return SPACES.sub(" ", text.replace("\x0c", ""))


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the number of blank lines before it."""
    blocks: list[tuple[int, list[str]]] = []
    gap, current = 0, []
    for line in lines:
        if line:
            current.append(line)
            continue
        if current:
            blocks.append((gap, current))
            gap, current = 0, []
        gap += 1
    if current:
        blocks.append((gap, current))
    return blocks


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _is_heading_line(line: str, column: int | None = None) -> bool:
    if line.startswith("—") or BYLINE.match(line):
        return len(line) <= TITLE_BLOCK_MAX
    if column and len(line) >= column - 1 and " " not in line and _collapse_doubled(line) == line:
        return False  # a full column-width line is wrapped body text
    if NUMBERED_HEADING.match(line) and not _ends_sentence(line) and len(line) <= 60:
        return True
    return len(line) <= HEADING_MAX and not _ends_sentence(line) and not any(p in line for p in INNER_PUNCTUATION)


def _is_heading_block(block: list[str], column: int | None = None) -> bool:
    return len(block) <= 3 and all(_is_heading_line(line, column) for line in block)


def _column_width(blocks) -> int | None:
    """The width a hard-wrapped document was cut at: the commonest length of lines in long blocks."""
    lengths = [len(line) for _, block in blocks if len(block) >= 3 for line in block[:-1]]
    if len(lengths) < 10:
        return None
    return max(set(lengths), key=lengths.count)


def _is_caption(block: list[str]) -> bool:
    return len(block) == 1 and len(block[0]) <= LONG_LINE and _ends_sentence(block[0])


def _width(block: list[str]) -> int:
    return max(len(line) for line in block)


def _join_block(block: list[str]) -> list[str]:
    """Join a body block's wrapped lines; a line ending a sentence short of the width ends a paragraph."""
    width = _width(block)
    parts = [block[0]]
    for previous, line in zip(block, block[1:]):
        starts_new = (
            (_ends_sentence(previous) and len(previous) < 0.9 * width)
            or BYLINE.match(line)
            or line.startswith("—")
            or BYLINE.match(previous)
        ) and not line.startswith(tuple(CLOSERS))
        if starts_new:
            parts.append(line)
        else:
            parts[-1] = _glue(parts[-1], line)
    return parts


def _continues(block: list[str], last: str, column: int | None, following: list[str] | None = None) -> bool:
    """Whether the block's last paragraph was cut off by a column or page break."""
    if _quotation_cut(block, following):
        return True
    if _ends_sentence(last) or BYLINE.match(block[-1]) or block[-1].startswith("—"):
        return False
    if len(block) == 1:
        return len(block[0]) >= min(LONG_LINE, column - 1 if column else LONG_LINE)
    return len(block[-1]) >= 0.75 * _width(block)


def _quotation_cut(block: list[str], following: list[str] | None) -> bool:
    """A block ending on an opening quotation mark, or followed by one starting with a closing
    mark: a column break fell inside the quotation."""
    return block[-1].endswith(tuple(OPENERS)) or bool(following and following[0].startswith(tuple(CLOSERS[:-2])))


def _glue(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def _tidy_spaces(line: str, heading: bool) -> str:
    prefix = ""
    numbered = NUMBERED_HEADING.match(line) if heading else None
    if numbered:
        prefix, line = numbered.group(), line[numbered.end() :]
    if " " in line:  # each rule drops a space
        line = SPACE_IN_NUMBER.sub("", line)
        line = SPACE_BY_NUMBER.sub("", line)
        line = SPACE_BY_PUNCTUATION.sub("", line)
        if not heading:
            line = SPACE_IN_WORDS.sub("", line)
    return (prefix + line).strip()


def _collapse_doubled(line: str) -> str:
    """``做实代表工作做实代表工作`` → ``做实代表工作``; ``着力打造着力打造““四个机关四个机关””`` →
    ``着力打造“四个机关”``: only when the whole line splits into immediately repeated pieces."""
    pieces = _doubled_pieces(line, 0, {})
    if not pieces or len(line) < 4:
        return line
    return "".join(pieces)


def _doubled_pieces(line: str, start: int, memo: dict) -> list[str] | None:
    if start == len(line):
        return []
    if start in memo:
        return memo[start]
    memo[start] = None
    for size in range((len(line) - start) // 2, 0, -1):
        piece = line[start : start + size]
        if line[start + size : start + 2 * size] == piece:
            rest = _doubled_pieces(line, start + 2 * size, memo)
            if rest is not None:
                memo[start] = [piece, *rest]
                break
    return memo[start]
