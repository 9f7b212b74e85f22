"""Numeric facts: every quantity a report states, what it counts, and (when certain) its indicator.

Matching runs on a Simplified-Chinese copy of the text (OpenCC t2s keeps the length, so
offsets hold); facts keep the original characters. Numbers inside quotes and 《》 titles,
ordinals (第…), session numbers (十九届人大三次会议), reduplications (一件件) and the numbers
of known formulas (四个意识) are not facts.

Every step is linear in the text: positions (sentences, clause breaks, quoted spans, topic
words) are found once and looked up by bisection, and a subject is read from a bounded window.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from dataclasses import field as _field
from functools import lru_cache
from typing import NamedTuple, get_args

import numpy as np

from schema.models import Fact, OrganKind, Sentence
from schema.vocabulary import Vocabulary
from watcher.extract.numbers import CHINESE_NUMERAL, Quantity, find_quantities
from watcher.simplify import simplified as to_simplified

CLAUSE_BREAK = "，,；;：:。！？!?\n"
ITEM_BREAK = CLAUSE_BREAK + "、"
QUOTES = {"“": "”", "《": "》", "‘": "’", '"': '"', "「": "」", "『": "』"}
QUOTE_MARKS = re.compile("[" + re.escape("".join(QUOTES) + "".join(QUOTES.values())) + "]")  # all else is skipped
# Words and marks that frame a subject without being part of it, removed whole (计划 keeps its 计).
EDGE_MARKS = " 、，,；;：:"
LEADING_WORDS = ("一年来", "全年", "其中", "共计", "累计", "合计", "共", "等", "和", "及", "与")
TRAILING_WORDS = ("共计", "累计", "合计", "共", "等", "和", "及", "与")
SHARED_RATES = re.compile(r"((?:[\u4e00-\u9fff]{1,5}率)(?:[、和及与](?:[\u4e00-\u9fff]{1,5}率))+)(?:均|都|分别)?(?:为|达|达到|是)?$")
RATE = re.compile(r"[\u4e00-\u9fff]{0,4}(?:率|度)")
RATE_PART = re.compile(r"[^、和及与]+")
SESSION = re.compile(r"次(?:会议|全会|常委会|全体会议)")
SESSION_OF = ("人大", "人代会", "届")  # 十五届人大|四次: what a session's number follows
NUMERAL_RUN = re.compile(rf"[{CHINESE_NUMERAL}]+")
CONJUNCTIONS = ("和", "及", "与", "以及")
JOINERS = "、和及与或"
COMBINED_GAP = 8  # characters between two kinds of work named together (、专题)
PART_MARKER = "其中"  # opens a breakdown of the total before it
# A count after these is a mean (年均接待群众11万人次、收集意见4万件), not what the period did;
# the word carries over the 、-list it opens.
AVERAGES = ("年均", "平均", "月均", "日均", "人均", "户均", "场均")
# A deputy telling their own story (我组织调研100余次): one person's counts, not the body's.
# 我们, 我市, 我区… speak for the body or the place.
FIRST_PERSON = re.compile("我(?![们市区县省州国乡镇村街院会委局厅处站])")
FULL_STOP = "。！？!?\n"
WINDOW = 80  # a subject is read from at most this many characters before its number
AFTER = 30  # …and a counted noun after the unit from at most this many
DEFAULT_ORGAN_KINDS = ("standing_committee", "congress", "presidium")


@dataclass(frozen=True)
class _Pattern:
    rule: str  # indicator/pattern-id, stored with the fact it labels
    key: str
    units: frozenset[str] | None
    subject: tuple[tuple[str, ...], ...]
    not_subject: tuple[str, ...]
    ends_with: tuple[str, ...]
    sentence_has: tuple[str, ...]
    sentence_not: tuple[str, ...]
    topic: tuple[str, ...]
    organ_kinds: frozenset[str]
    # the word lists above as "holds any of these words" regexes (None: a list of no words)
    subject_any: tuple[re.Pattern | None, ...] = _field(init=False, repr=False, compare=False)
    not_subject_any: re.Pattern | None = _field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "subject_any", tuple(_any_of(group) for group in self.subject))
        object.__setattr__(self, "not_subject_any", _any_of(self.not_subject))

    def matches(self, unit: str, subject: str, sentence_words: frozenset[str], topic: str | None) -> bool:
        # every test must hold: the cheap ones first, the regexes over the subject last
        if self.units is not None and unit not in self.units:
            return False
        if self.topic and topic not in self.topic:
            return False
        if self.sentence_has and sentence_words.isdisjoint(self.sentence_has):
            return False
        if not sentence_words.isdisjoint(self.sentence_not):
            return False
        if self.ends_with and not subject.endswith(self.ends_with):
            return False
        if self.not_subject_any is not None and self.not_subject_any.search(subject):
            return False
        for words in self.subject_any:
            if words is None or not words.search(subject):
                return False
        return True


def _any_of(words) -> re.Pattern | None:
    return re.compile("|".join(map(re.escape, words))) if words else None


@dataclass(frozen=True)
class _Rules:
    patterns: tuple[_Pattern, ...]
    sentence_words: tuple[str, ...]
    activities: re.Pattern | None  # words naming one kind of activity each, longest first
    activity_group: dict[str, str]
    by_unit: dict[str, tuple[_Pattern, ...]]  # the patterns a unit can satisfy, in vocabulary order
    any_unit: tuple[_Pattern, ...]


@lru_cache(maxsize=8)
def _rules(vocabulary: Vocabulary) -> _Rules:
    default_kinds = tuple(vocabulary.default_organ_kinds or DEFAULT_ORGAN_KINDS)
    patterns = []
    for spec in vocabulary.indicator_specs:
        for variant in spec.get("patterns") or [{"id": "main"}]:
            def field(name, variant=variant):
                return variant.get(name, spec.get(name))

            def excluded(name, variant=variant):
                return tuple(spec.get(name, [])) + tuple(variant.get(name, []))

            units = field("units")
            patterns.append(
                _Pattern(
                    rule=f"{spec['key']}/{variant.get('id', 'main')}",
                    key=spec["key"],
                    units=frozenset(str(u) for u in units) if units else None,
                    subject=tuple(tuple(group) for group in field("subject") or []),
                    not_subject=excluded("not_subject"),
                    ends_with=tuple(field("ends_with") or ()),
                    sentence_has=tuple(field("sentence_has") or ()),
                    sentence_not=excluded("sentence_not"),
                    topic=tuple(field("topic") or ()),
                    organ_kinds=frozenset(field("organ_kinds") or default_kinds),
                )
            )
    known = set(get_args(OrganKind))
    unknown = {kind for p in patterns for kind in p.organ_kinds} - known
    if unknown:
        raise ValueError(f"indicators.yaml names unknown organ kinds {sorted(unknown)}; known: {sorted(known)}")
    words = sorted({w for p in patterns for w in p.sentence_has + p.sentence_not})
    group_of = {word: name for name, group in vocabulary.activities for word in group}
    alternation = "|".join(re.escape(w) for w in sorted(group_of, key=len, reverse=True))
    units = {u for p in patterns for u in p.units or ()}
    by_unit = {u: tuple(p for p in patterns if p.units is None or u in p.units) for u in units}
    any_unit = tuple(p for p in patterns if p.units is None)
    activities = re.compile(alternation) if alternation else None
    return _Rules(tuple(patterns), tuple(words), activities, group_of, by_unit, any_unit)


@lru_cache(maxsize=1)
def simplified(text: str) -> str:
    """A Simplified copy for matching, or the text itself when conversion would move offsets.
    Kept for the last text: facts and then the similarity signature read the same report."""
    converted = to_simplified(text)
    return converted if len(converted) == len(text) else text


class _Subject(NamedTuple):
    matching: str  # in the Simplified copy, for the rules
    original: str  # in the text's own characters, for the record


class _Previous(NamedTuple):
    """The count before, for lists: where it and its noun end, what it counted, its label."""

    end: int
    noun_end: int
    subject: _Subject
    indicator: str | None
    averaged: bool = False


class _Positions:
    """Everything looked up per quantity, found once per text."""

    def __init__(self, text: str, sentences: list[Sentence], vocabulary: Vocabulary, rules: _Rules):
        self.text = text
        self.sentences = sorted(sentences, key=lambda s: s.start)
        self.sentence_starts = [s.start for s in self.sentences]
        codes = _code_points(text)
        self.clause_breaks = _positions_of(codes, CLAUSE_BREAK)
        self.item_breaks = _positions_of(codes, ITEM_BREAK)
        spans = _merged(_excluded_spans(text, vocabulary.formulas))
        self.excluded_starts = [a for a, _ in spans]
        self.excluded_ends = [b for _, b in spans]
        self.topics = {word: [start for start, _ in _occurrences(text, word)] for word in vocabulary.topics if word}
        self.parts = [m.start() for m in re.finditer(PART_MARKER, text)]
        self.full_stops = _positions_of(codes, FULL_STOP)
        self.first_person = [m.start() for m in FIRST_PERSON.finditer(text)]
        self.rules = rules
        self._words: dict[int | None, frozenset[str]] = {}

    def sentence_at(self, position: int) -> Sentence | None:
        index = bisect_right(self.sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    def excluded(self, position: int) -> bool:
        index = bisect_right(self.excluded_starts, position) - 1
        return index >= 0 and position < self.excluded_ends[index]

    def clause_start(self, position: int, sentence_start: int) -> int:
        index = bisect_left(self.clause_breaks, position) - 1
        if index >= 0 and self.clause_breaks[index] >= sentence_start:
            return self.clause_breaks[index] + 1
        return sentence_start

    def item_break_between(self, start: int, end: int) -> int | None:
        index = bisect_left(self.item_breaks, start)
        if index < len(self.item_breaks) and self.item_breaks[index] < end:
            return self.item_breaks[index]
        return None

    def part_marker_between(self, start: int, end: int) -> bool:
        index = bisect_left(self.parts, start)
        return index < len(self.parts) and self.parts[index] < end

    def next_full_stop(self, position: int) -> int:
        """A breakdown opened by 其中 lasts to the full stop."""
        index = bisect_left(self.full_stops, position)
        return self.full_stops[index] if index < len(self.full_stops) else len(self.text)

    def told_in_first_person(self, sentence_start: int, position: int) -> bool:
        """Whether a singular 我 comes between the sentence's start and ``position``."""
        index = bisect_left(self.first_person, sentence_start)
        return index < len(self.first_person) and self.first_person[index] < position

    def topic(self, sentence_start: int, position: int) -> str | None:
        """The topic word ending nearest before ``position`` in the sentence (the longer on a tie:
        议案建议 is neither 议案 nor 建议)."""
        best, rank = None, None
        for word, starts in self.topics.items():
            index = bisect_right(starts, position - len(word)) - 1
            if index >= 0 and starts[index] >= sentence_start:
                candidate = (starts[index] + len(word), len(word))
                if rank is None or candidate > rank:
                    best, rank = word, candidate
        return best

    def sentence_words(self, sentence: Sentence | None) -> frozenset[str]:
        key = sentence.start if sentence else None
        if key not in self._words:
            span = self.text[sentence.start : sentence.end] if sentence else self.text
            self._words[key] = frozenset(w for w in self.rules.sentence_words if w in span)
        return self._words[key]


def extract_facts(
    text: str, sentences: list[Sentence], vocabulary: Vocabulary, organ_kind: str | None = None
) -> list[Fact]:
    """Every quantity with its subject; an indicator only when exactly one indicator's rule holds
    and the indicator belongs to the report's kind of organ (no organ kind read: a 人大 body)."""
    matching = simplified(text)
    rules = _rules(vocabulary)
    at = _Positions(matching, sentences, vocabulary, rules)
    quantities = find_quantities(matching, vocabulary.units)
    facts: list[Fact] = []
    previous: _Previous | None = None
    breakdown: tuple[str, int] | None = None  # the total's indicator, and where its breakdown ends
    for index, quantity in enumerate(quantities):
        if _is_not_a_count(matching, quantity, at):
            continue
        sentence = at.sentence_at(quantity.start)
        sentence_start = sentence.start if sentence else 0
        clause_start = max(at.clause_start(quantity.start, sentence_start), quantity.start - WINDOW)
        if previous and clause_start <= previous.end <= quantity.start:
            # the clause starts after the previous count and its own noun (1个代表之家为中心、13个…;
            # 3次专题询问和3项专题调研)
            item_break = at.item_break_between(previous.end, quantity.start)
            clause_start = item_break + 1 if item_break is not None else previous.end
            if item_break is None and matching.endswith(CONJUNCTIONS, previous.end, previous.noun_end):
                clause_start = previous.noun_end
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else len(matching)
        limit = min(next_start, quantity.end + AFTER)
        after = _noun_after(matching, quantity.end, limit, vocabulary.predicates, vocabulary.verbs)
        topic = at.topic(sentence_start, quantity.start)
        words = at.sentence_words(sentence)
        subjects = _subjects(text, matching, clause_start, quantity, after, previous, vocabulary.verbs)
        if previous and previous.indicator and at.part_marker_between(previous.end, quantity.start):
            breakdown = (previous.indicator, at.next_full_stop(quantity.start))
        personal = at.told_in_first_person(sentence_start, quantity.start)
        averaged = any(word in matching[clause_start : quantity.start] for word in AVERAGES) or bool(
            previous and previous.averaged and not any(c in CLAUSE_BREAK for c in matching[previous.end : quantity.start])
        )
        for subject in subjects:
            indicator, rule = _label(rules, quantity.unit, subject.matching, words, topic, organ_kind)
            if averaged or personal:
                indicator, rule = None, None
            if breakdown and indicator == breakdown[0] and quantity.start < breakdown[1]:
                indicator, rule = None, None  # 共收到建议114件。其中，…类建议19件: a part, not the total
            facts.append(
                Fact(
                    sentence_seq=sentence.seq if sentence else None,
                    indicator=indicator,
                    rule=rule,
                    subject=subject.original or None,
                    value=quantity.value,
                    unit=quantity.unit,
                    approx=quantity.approx,
                    raw=text[quantity.start : quantity.end],
                    start=quantity.start,
                    end=quantity.end,
                )
            )
        previous = _Previous(quantity.end, after[1], subjects[-1], facts[-1].indicator, averaged)
    return facts


def _label(rules: _Rules, unit: str, subject: str, words, topic, organ_kind) -> tuple[str | None, str | None]:
    if not subject or _is_combined(rules, subject):
        return None, None  # 视察、调研和执法检查26次 counts several kinds of work at once
    candidates = rules.by_unit.get(unit, rules.any_unit)
    matched = [p for p in candidates if p.matches(unit, subject, words, topic)]
    if len({p.key for p in matched}) != 1:
        return None, None
    if organ_kind is not None and organ_kind not in matched[0].organ_kinds:
        return None, None
    return matched[0].key, matched[0].rule


def _is_combined(rules: _Rules, subject: str) -> bool:
    """Two kinds of work named together, side by side or joined (视察、专题调研和执法检查);
    a kind named as the occasion (在执法检查中收集意见建议) does not combine."""
    if rules.activities is None:
        return False
    last = None
    for match in rules.activities.finditer(subject):
        group = rules.activity_group[match.group()]
        if last is not None and group != last[0]:
            gap = subject[last[1] : match.start()]
            if len(gap) <= COMBINED_GAP and (not gap or any(j in gap for j in JOINERS)):
                return True
        last = (group, match.end())
    return False


def _code_points(text: str) -> np.ndarray:
    """The text's code points, capped at U+FFFF (no character looked for lies beyond it)."""
    return np.minimum(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4"), 0xFFFF)


def _positions_of(codes: np.ndarray, characters: str) -> list[int]:
    """Where any of ``characters`` stands in a text of ``codes`` (``_code_points``), found by numpy."""
    return np.flatnonzero(_table_of(characters)[codes]).tolist()


@lru_cache(maxsize=8)
def _table_of(characters: str) -> np.ndarray:
    """``characters`` (of the Basic Multilingual Plane, U+FFFF not among them) by code point."""
    table = np.zeros(0x10000, dtype=bool)
    table[[ord(c) for c in characters]] = True
    return table


def _excluded_spans(text: str, formulas) -> list[tuple[int, int]]:
    spans = []
    stack: list[tuple[str, int]] = []
    after = 0  # just after the previous mark
    for mark in QUOTE_MARKS.finditer(text):
        i, c = mark.start(), mark.group()
        if stack and text.find("\n", after, i) >= 0:
            stack.clear()  # unbalanced marks never reach past a paragraph
        after = i + 1
        if stack and c == QUOTES[stack[-1][0]]:
            spans.append((stack.pop()[1], i + 1))
        elif c in QUOTES:
            stack.append((c, i))
    for formula in formulas:
        spans.extend(_occurrences(text, formula))
    return spans


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    """Spans of ``word`` in ``text``, not overlapping, as ``re.finditer`` finds them."""
    if not word:
        return [match.span() for match in re.finditer("", text)]
    spans, at = [], text.find(word)
    while at >= 0:
        spans.append((at, at + len(word)))
        at = text.find(word, at + len(word))
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _is_not_a_count(text: str, q: Quantity, at: _Positions) -> bool:
    if at.excluded(q.start) or at.excluded(q.end - 1):
        return True
    if q.number_start > 0 and text[q.number_start - 1] == "第":
        return True
    token = NUMERAL_RUN.match(text, q.number_start)
    if token and token.group() == "一":
        return True  # 一批, 一名医生, 一件件: an article, not a count
    if token and SESSION.match(text, q.end - 1) and "届" in text[max(0, q.start - 6) : q.start]:
        return True  # 十九届人大三次会议
    if token and text.endswith(SESSION_OF, 0, q.number_start) and "届" in text[max(0, q.start - 6) : q.start]:
        return True  # 十四届人大四次、十五届人大六次会议: a session, its 会议 left to the last
    if token and q.end < len(text) and text[q.end] == text[q.end - 1]:
        return True  # 一件件, 一次次
    return False


def _noun_after(text: str, end: int, limit: int, predicates, verbs) -> tuple[int, int]:
    """``召开9次常委会会议`` → 常委会会议: the counted noun when it follows the unit, up to
    its predicate (60件建议全部办结 → 建议) or the next count; it may open with a quotation
    mark (3个“一府两院”报告) or a digit (2个2023年度报告). A verb phrase after a number of
    times (三次组织代表视察、调研) reads on over 、 to the clause's end."""
    stop = end
    breaks = CLAUSE_BREAK if text.startswith(verbs, end) else ITEM_BREAK
    while stop < limit and text[stop] not in breaks:
        if stop > end and text.startswith(predicates, stop):
            break
        stop += 1
    if stop > end and ("\u4e00" <= text[end] <= "\u9fff" or text[end] == "“" or text[end].isdigit()):
        return end, stop
    return end, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end:
        if text[start] in EDGE_MARKS:
            start += 1
            continue
        word = text.startswith(LEADING_WORDS, start, end) and next(w for w in LEADING_WORDS if text.startswith(w, start, end))
        if not word:
            break
        start += len(word)
    return start, _trailing_trimmed(text, start, end)


def _trailing_trimmed(text: str, start: int, end: int) -> int:
    while end > start:
        if text[end - 1] in EDGE_MARKS:
            end -= 1
            continue
        word = text.endswith(TRAILING_WORDS, start, end) and next(w for w in TRAILING_WORDS if text.endswith(w, start, end))
        if not word:
            break
        end -= len(word)
    return end


def _subjects(text, matching, clause_start, quantity, after, previous: _Previous | None, verbs) -> list[_Subject]:
    def span(start, end, tail=(0, 0)):
        return _Subject(matching[start:end] + matching[tail[0] : tail[1]], text[start:end] + text[tail[0] : tail[1]])

    before = matching[clause_start : quantity.start]
    if quantity.unit == "%":
        shared = SHARED_RATES.search(before)
        if shared:
            offset = clause_start + shared.start(1)
            return [span(offset + m.start(), offset + m.end()) for m in RATE_PART.finditer(shared.group(1))]
        rates = list(RATE.finditer(before))
        if rates:
            return [span(clause_start + rates[-1].start(), clause_start + rates[-1].end())]
        return [span(*_trimmed(matching, clause_start, quantity.start))]
    noun = (after[0], _trailing_trimmed(matching, *after))
    if previous and previous.end == quantity.start and previous.subject.matching:
        # 37批112人次, 8类23项民生实事: a second count of the same things
        earlier = previous.subject
        return [_Subject(earlier.matching + matching[noun[0] : noun[1]], earlier.original + text[noun[0] : noun[1]])]
    subject = span(*_trimmed(matching, clause_start, quantity.start), noun)
    if previous and subject.matching and not _opens_with_a_verb(subject.matching, verbs):
        separator = matching[previous.end : clause_start].strip() if previous.end <= clause_start else None
        earlier = previous.subject
        verb = _leading_verb(earlier.matching, verbs)
        # 召开党组会议19次，主任会议20次: a sibling of the previous count (same head noun, in the
        # same list) takes its verb; so does a count that continues the previous one's noun
        # (收到120多万人次提出的380多万条意见建议).
        sibling = separator in ("", "，", ",", "、", "；", ";") and _head(earlier.matching[len(verb or "") :]) == _head(subject.matching)
        continued = previous.noun_end == quantity.start
        if verb and (sibling or continued):
            subject = _Subject(verb + subject.matching, earlier.original[: len(verb)] + subject.original)
    return [subject]


def _opens_with_a_verb(subject: str, verbs) -> bool:
    """提出的意见建议 opens with a relative clause (提出的), not with its own verb."""
    verb = _leading_verb(subject, verbs)
    return verb is not None and not subject.startswith("的", len(verb))


def _leading_verb(text: str, verbs: tuple[str, ...]) -> str | None:
    """The first of ``verbs`` that ``text`` starts with (one test first, for the usual case: none)."""
    return next(v for v in verbs if text.startswith(v)) if text.startswith(verbs) else None


def _head(noun: str) -> str:
    """The head word of a noun, enough to tell list siblings: 会议, and the abbreviated meeting
    names (常委会, 主任会), all head as 会."""
    if noun.endswith(("会议", "会")):
        return "会"
    return noun[-2:]
