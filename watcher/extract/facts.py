"""Numeric facts: every quantity a report states, what it counts, and (when certain) its indicator.

Matching runs on a Simplified-Chinese copy of the text (OpenCC t2s keeps the length, so
offsets hold); facts keep the original characters. Numbers inside quotes and 《》 titles,
ordinals (第…), session numbers (十九届人大三次会议), reduplications (一件件) and the numbers
of known formulas (四个意识) are not facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from schema.models import Fact, Sentence
from schema.vocabulary import Vocabulary
from watcher.extract.numbers import CHINESE_NUMERAL, Quantity, find_quantities

CLAUSE_BREAK = "，,；;：:。！？!?\n"
ITEM_BREAK = CLAUSE_BREAK + "、"
QUOTES = {"“": "”", "《": "》", "‘": "’", '"': '"', "「": "」", "『": "』"}
EDGE = " 、，,；;：:等共计累计全年一年来其中和及与"
SHARED_RATES = re.compile(r"((?:[\u4e00-\u9fff]{1,5}率)(?:[、和及与](?:[\u4e00-\u9fff]{1,5}率))+)(?:均|都|分别)?(?:为|达|达到|是)?$")
RATE = re.compile(r"[\u4e00-\u9fff]{0,4}(?:率|度)")
SESSION = re.compile(r"^(?:次)(?:会议|全会|常委会|全体会议)")


@dataclass(frozen=True)
class _Rule:
    key: str
    units: frozenset[str] | None
    subject: tuple[tuple[str, ...], ...]
    not_subject: tuple[str, ...]
    sentence_has: tuple[str, ...]
    sentence_not: tuple[str, ...]
    topic: tuple[str, ...]

    def matches(self, unit: str, subject: str, sentence: str, topic: str | None) -> bool:
        return (
            (self.units is None or unit in self.units)
            and all(any(word in subject for word in group) for group in self.subject)
            and not any(word in subject for word in self.not_subject)
            and (not self.sentence_has or any(word in sentence for word in self.sentence_has))
            and not any(word in sentence for word in self.sentence_not)
            and (not self.topic or topic in self.topic)
        )


@lru_cache(maxsize=8)
def _rules(vocabulary: Vocabulary) -> tuple[_Rule, ...]:
    rules = []
    for spec in vocabulary.indicator_specs:
        units = spec.get("units")
        rules.append(
            _Rule(
                key=spec["key"],
                units=frozenset(str(u) for u in units) if units else None,
                subject=tuple(tuple(group) for group in spec.get("subject", [])),
                not_subject=tuple(spec.get("not_subject", [])),
                sentence_has=tuple(spec.get("sentence_has", [])),
                sentence_not=tuple(spec.get("sentence_not", [])),
                topic=tuple(spec.get("topic", [])),
            )
        )
    return tuple(rules)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_characters() -> frozenset[str]:
    """Characters OpenCC's t2s table changes, to skip the (slow) conversion when there are none."""
    import opencc

    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    lines = table.read_text(encoding="utf-8").splitlines()
    pairs = (line.split("\t", 1) for line in lines if "\t" in line)
    return frozenset(key for key, values in pairs if len(key) == 1 and key not in values.split())


def simplified(text: str) -> str:
    """A Simplified copy for matching, or the text itself when conversion would move offsets."""
    if _traditional_characters().isdisjoint(text):
        return text
    converted = _converter().convert(text)
    return converted if len(converted) == len(text) else text


def extract_facts(text: str, sentences: list[Sentence], vocabulary: Vocabulary) -> list[Fact]:
    matching = simplified(text)
    excluded = _excluded_spans(matching, vocabulary.formulas)
    rules = _rules(vocabulary)
    facts: list[Fact] = []
    previous: tuple[int, str] | None = None  # end of the last fact and its subject, for lists
    for quantity in find_quantities(matching, vocabulary.units):
        if _is_not_a_count(matching, quantity, excluded):
            continue
        sentence = _sentence_at(sentences, quantity.start)
        sentence_start = sentence.start if sentence else 0
        clause_start = _clause_start(matching, quantity.start, sentence_start, previous)
        before = matching[clause_start : quantity.start]
        after = _noun_after(matching, quantity.end, vocabulary.predicates)
        context = matching[sentence_start : quantity.start]
        topic = _topic(context, vocabulary.topics)
        whole_sentence = matching[sentence_start : sentence.end] if sentence else matching
        separator = matching[previous[0] : clause_start].strip() if previous and previous[0] <= clause_start else None
        for subject in _subjects(before, after, quantity, previous, separator, vocabulary.verbs):
            keys = {r.key for r in rules if r.matches(quantity.unit, subject, whole_sentence, topic)}
            facts.append(
                Fact(
                    sentence_seq=sentence.seq if sentence else None,
                    indicator=keys.pop() if len(keys) == 1 else None,
                    subject=_original(text, matching, subject) or None,
                    value=quantity.value,
                    unit=quantity.unit,
                    approx=quantity.approx,
                    raw=text[quantity.start : quantity.end],
                    start=quantity.start,
                    end=quantity.end,
                )
            )
        previous = (quantity.end, facts[-1].subject or "") if facts else None
    return facts


def _original(text: str, matching: str, subject: str) -> str:
    """The subject in the text's own characters (it was read from the Simplified copy)."""
    if text is matching or not subject:
        return subject
    position = matching.find(subject)
    return text[position : position + len(subject)] if position >= 0 else subject


def _excluded_spans(text: str, formulas) -> list[tuple[int, int]]:
    spans = []
    stack: list[tuple[str, int]] = []
    for i, c in enumerate(text):
        if stack and c == QUOTES[stack[-1][0]]:
            spans.append((stack.pop()[1], i + 1))
        elif c in QUOTES:
            stack.append((c, i))
        elif c == "\n":
            stack.clear()  # unbalanced marks never reach past a paragraph
    for formula in formulas:
        for match in re.finditer(re.escape(formula), text):
            spans.append(match.span())
    return spans


def _is_not_a_count(text: str, q: Quantity, excluded) -> bool:
    if any(a <= q.start < b or a < q.end <= b for a, b in excluded):
        return True
    number = text[q.number_start : q.number_start + 1]
    if q.number_start > 0 and text[q.number_start - 1] == "第":
        return True
    token = re.match(rf"[{CHINESE_NUMERAL}]+", text[q.number_start :])
    if token and token.group() == "一":
        return True  # 一批, 一名医生, 一件件: an article, not a count
    if token and SESSION.match(text[q.end - 1 :]) and "届" in text[max(0, q.start - 6) : q.start]:
        return True  # 十九届人大三次会议
    unit_char = text[q.end - 1]
    if number and q.end < len(text) and text[q.end] == unit_char and token:
        return True  # 一件件, 一次次
    return False


def _sentence_at(sentences: list[Sentence], position: int) -> Sentence | None:
    for sentence in sentences:
        if sentence.start <= position < sentence.end:
            return sentence
    return None


def _clause_start(text: str, position: int, sentence_start: int, previous) -> int:
    start = sentence_start
    for i in range(position - 1, sentence_start - 1, -1):
        if text[i] in CLAUSE_BREAK:
            start = i + 1
            break
    if previous and start <= previous[0] <= position:
        # the clause starts after the previous count and its own noun (1个代表之家为中心、13个…)
        start = previous[0]
        for i in range(previous[0], position):
            if text[i] in ITEM_BREAK:
                start = i + 1
                break
    return start


def _noun_after(text: str, end: int, predicates) -> str:
    """``召开9次常委会会议`` → 常委会会议: the counted noun when it follows the unit, up to
    its predicate (60件建议全部办结 → 建议)."""
    stop = end
    while stop < len(text) and text[stop] not in ITEM_BREAK and not text[stop].isdigit():
        if stop > end and text.startswith(predicates, stop):
            break
        stop += 1
    after = text[end:stop]
    return after if after and "\u4e00" <= after[0] <= "\u9fff" else ""


def _topic(context: str, topics) -> str | None:
    best, where = None, -1
    for word in topics:
        position = context.rfind(word)
        if position > where:
            best, where = word, position
    return best


def _subjects(before: str, after: str, quantity: Quantity, previous, separator: str, verbs) -> list[str]:
    if quantity.unit == "%":
        shared = SHARED_RATES.search(before)
        if shared:
            return re.split(r"[、和及与]", shared.group(1))
        rates = RATE.findall(before)
        return [rates[-1] if rates else before.strip(EDGE)]
    subject = before.strip(EDGE) + after
    # 召开党组会议19次，主任会议20次: a sibling of the previous count (same head noun, in the
    # same list) takes its verb.
    if previous and separator in ("", "，", ",", "、", "；", ";") and subject and not subject.startswith(tuple(verbs)):
        verb = next((v for v in verbs if previous[1].startswith(v)), None)
        if verb and previous[1][len(verb) :][-2:] == subject[-2:]:
            subject = verb + subject
    return [subject]
