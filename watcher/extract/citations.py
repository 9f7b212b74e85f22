"""Titles cited in 《》: laws, regulations, rules, plans, publications — and what was done with them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from schema.models import Citation, Sentence
from schema.vocabulary import CitationRules, default_vocabulary

CLAUSE_BREAKS = "，,；;：:。\n"
TITLE_JOINERS = ("", "、", "和", "及", "与", "，")
GOVERNED_REACH = 30
GOVERNED_WORDS = 3  # action words looked at after a governed title
LIGHT_VERBS = ("开展", "进行", "组织")
GOVERNED = re.compile(r"[对就](?![照于比标象应])")  # 对《…》…开展执法检查, not 对照
TITLE = re.compile(r"《([^《》\n]{1,80})》")
DRAFT = re.compile(r"[（(]([^（）()]{1,12})[)）]$")
NATIONAL = ("中华人民共和国", "全国人民代表大会", "国务院")
PROVINCE_END = re.compile(r"^[\u4e00-\u9fff]{2,7}?(省|自治区)")
CITY_END = re.compile(r"^[\u4e00-\u9fff]{2,5}?市(?![\u4e00-\u9fff]{0,6}?[区县](?![\u4e00-\u9fff]*市))")
DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,10}?[区县旗](?:人民|人大|委员会|常委会|关于|国土|政府|[\u4e00-\u9fff])")


def extract_citations(text: str, sentences: list[Sentence], rules: CitationRules | None = None) -> list[Citation]:
    """Each title with what was done with it; each sentence's action words are found once."""
    rules = rules or default_vocabulary().citations
    words = _action_pattern(rules)
    starts = [s.start for s in sentences]  # sentences are in text order
    actions: dict[int, list[tuple[int, str]]] = {}
    citations = []
    run_end, governed = None, False  # 对《…》《…》: titles in a row share the word governing the first
    for match in TITLE.finditer(text):
        title = re.sub(r"\s+", "", match.group(1))
        if not title:
            continue
        if run_end is None or text[run_end : match.start()] not in TITLE_JOINERS:
            governed = _governed(text, match.start())
        run_end = match.end()
        index = bisect_right(starts, match.start()) - 1
        sentence = sentences[index] if index >= 0 and match.start() < sentences[index].end else None
        if sentence is not None:
            if sentence.seq not in actions:
                actions[sentence.seq] = _action_words(sentence.text, words)
            offset = match.start() - sentence.start
            action = _action_for(actions[sentence.seq], offset, offset + len(match.group()), governed)
        else:
            context_start = max(0, match.start() - 60)
            context = text[context_start : match.end() + 60]
            offset = match.start() - context_start
            action = _action_for(_action_words(context, words), offset, offset + len(match.group()), governed)
        citations.append(
            Citation(
                sentence_seq=sentence.seq if sentence else None,
                title=title,
                kind=kind_of(title, rules),
                level=level_of(title, rules),
                action=action,
                start=match.start(),
                end=match.end(),
            )
        )
    return citations


def kind_of(title: str, rules: CitationRules | None = None) -> str:
    rules = rules or default_vocabulary().citations
    core = title
    draft = DRAFT.search(core)
    if draft and any(word in draft.group(1) for word in rules.drafts):
        core = core[: draft.start()]
    core = re.sub(r"[（(][^（）()]*[)）]$", "", core)  # (2021—2035年)
    endings = [(len(e), rule.kind) for rule in rules.kinds for e in rule.endings if core.endswith(e)]
    return max(endings)[1] if endings else "other"  # the longest ending: 实施办法 is rules, not law


def level_of(title: str, rules: CitationRules | None = None) -> str | None:
    if title.startswith(NATIONAL):
        return "national"
    if PROVINCE_END.match(title):
        return "provincial"
    if re.match(r"^[\u4e00-\u9fff]{2,5}?市[\u4e00-\u9fff]{2,6}?[区县]", title) or DISTRICT.match(title):
        if re.match(r"^[\u4e00-\u9fff]{2,6}?[区县旗]", title) and not title.startswith(("关于", "全区", "全县")):
            return "district"
    if CITY_END.match(title):
        return "municipal"
    if kind_of(title, rules) == "law" and not re.match(r"^[\u4e00-\u9fff]{2,8}?[省市区县]", title):
        return "national"  # a law without a place name is a national law
    return None


def action_of(sentence: str, title: str, rules: CitationRules | None = None) -> str | None:
    """The action done with ``title`` in ``sentence`` (see ``_action_for``)."""
    position = sentence.find("《" + title + "》")
    if position < 0:
        return None
    words = _action_words(sentence, _action_pattern(rules or default_vocabulary().citations))
    return _action_for(words, position, position + len(title) + 2, _governed(sentence, position))


@lru_cache(maxsize=8)
def _action_pattern(rules: CitationRules) -> tuple[re.Pattern, dict[str, str]]:
    action_of_word = {}
    for rule in rules.actions:
        for word in rule.words:
            action_of_word.setdefault(word, rule.action)
    words = sorted(action_of_word, key=len, reverse=True)  # 审议通过 before 审议
    return re.compile("|".join(map(re.escape, words))), action_of_word


def _action_words(sentence: str, words: tuple[re.Pattern, dict[str, str]]) -> list[tuple[int, str, bool]]:
    """Where each action word stands in the sentence, and whether a light verb (开展, 进行)
    introduces it; words inside titles (条例(修订草案)) do not count."""
    pattern, action_of_word = words
    masked = TITLE.sub(lambda m: "《" + "＿" * (len(m.group()) - 2) + "》", sentence)
    return [
        (m.start(), action_of_word[m.group()], masked.endswith(LIGHT_VERBS, 0, m.start()))
        for m in pattern.finditer(masked)
    ]


def _governed(text: str, start: int) -> bool:
    """Whether 对/就 opens the clause before the title (looking back a bounded stretch)."""
    lo = max(0, start - GOVERNED_REACH)
    clause = max(text.rfind(c, lo, start) for c in CLAUSE_BREAKS)
    return GOVERNED.search(text, max(lo, clause + 1), start) is not None


def _action_for(words: list[tuple[int, str, bool]], start: int, end: int, governed: bool) -> str | None:
    """A title governed by 对/就 (对《…》《…》贯彻情况开展执法检查) takes the action a light verb
    introduces after it, or else the first action after it, even when 贯彻 comes first; otherwise
    the action named nearest the title."""
    if not words:
        return None
    index = bisect_left(words, (end,))
    if index < len(words) and governed:
        following = words[index : index + GOVERNED_WORDS]
        return next((action for _, action, light in following if light), following[0][1])
    nearest = min(
        (i for i in (index - 1, index) if 0 <= i < len(words)), key=lambda i: abs(words[i][0] - start)
    )
    return words[nearest][1]
