"""Titles cited in 《》: laws, regulations, rules, plans, publications — and what was done with them."""

from __future__ import annotations

import re

from schema.models import Citation, Sentence
from schema.vocabulary import CitationRules, default_vocabulary

TITLE = re.compile(r"《([^《》\n]{1,80})》")
DRAFT = re.compile(r"[（(]([^（）()]{1,12})[)）]$")
NATIONAL = ("中华人民共和国", "全国人民代表大会", "国务院")
PROVINCE_END = re.compile(r"^[\u4e00-\u9fff]{2,7}?(省|自治区)")
CITY_END = re.compile(r"^[\u4e00-\u9fff]{2,5}?市(?![\u4e00-\u9fff]{0,6}?[区县](?![\u4e00-\u9fff]*市))")
DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,10}?[区县旗](?:人民|人大|委员会|常委会|关于|国土|政府|[\u4e00-\u9fff])")


def extract_citations(text: str, sentences: list[Sentence], rules: CitationRules | None = None) -> list[Citation]:
    rules = rules or default_vocabulary().citations
    citations = []
    for match in TITLE.finditer(text):
        title = re.sub(r"\s+", "", match.group(1))
        if not title:
            continue
        sentence = next((s for s in sentences if s.start <= match.start() < s.end), None)
        context = sentence.text if sentence else text[max(0, match.start() - 60) : match.end() + 60]
        citations.append(
            Citation(
                sentence_seq=sentence.seq if sentence else None,
                title=title,
                kind=kind_of(title, rules),
                level=level_of(title, rules),
                action=action_of(context, title, rules),
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
    """The action named nearest the title in its sentence (before it, or right after it); words
    inside titles (条例(修订草案)) do not count."""
    position = sentence.find(title)
    sentence = TITLE.sub(lambda m: "《" + "＿" * (len(m.group()) - 2) + "》", sentence)
    best, distance = None, None
    for rule in (rules or default_vocabulary().citations).actions:
        for word in rule.words:
            for match in re.finditer(re.escape(word), sentence):
                gap = abs(match.start() - position) if position >= 0 else match.start()
                if distance is None or gap < distance:
                    best, distance = rule.action, gap
    return best
