"""Which body a report is about (its organ), at which tier, and where.

The organ is read from the title block first (title, subtitle, speaker or byline lines), then
from the body's mentions of bodies (人大常委会, 人民政府, 人民法院…). A body named with its
session (江苏省第十三届人民代表大会第二次会议) is the meeting a report is delivered to: it names
the place but not the organ. An organ written without its place (区人大常委会, 自治州人大常委会)
takes the place from the title block, a session name, or the text's own mentions of places of that
tier, and stays unplaced when none of these decides. Everything is read on a Simplified copy.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from schema.models import Report
from schema.vocabulary import OrganRules
from watcher.places import Place, PlaceIndex

HAN = re.compile(r"[\u4e00-\u9fff]")
TRAILING_HAN = re.compile(r"[\u4e00-\u9fff]*$")
TERM = re.compile(r"第?[一二三四五六七八九十〇零\d]{1,3}届")
# Lines that list other articles or belong to the page around a report, not to its title block.
LIST_ITEM = re.compile(r"^\s*\d{1,3}[.．、]|\d{1,3}\s*$|>|当前位置|首页|门户|网站|来源")
TITLE_LINE_MAX = 60
PLACE_SPAN = 4000
TOWNSHIP_WORDS = ("街道", "苏木", "镇", "乡")
CLAUSE_END = re.compile(r"[，。；！？,;!?\n]")


@dataclass
class Mention:
    kind: str
    word: str
    start: int
    session: bool
    title: bool  # in the title block
    name: str | None = None  # a place name written with it (城西区, 崔家桥镇)
    level: str | None = None  # the tier it is written at
    weak: bool = False  # 金牛区人大代表: names a congress only through its deputies
    fits: tuple[str, ...] = ()  # tiers of named place its tier word can stand for (自治州: city only)


@dataclass
class Organ:
    kind: str | None = None
    name: str | None = None
    place: Place = field(default_factory=Place)


def find_organ(text: str, title_end: int, rules: OrganRules, places: PlaceIndex) -> Organ:
    """The organ of a report, from its Simplified ``text`` whose title block ends at ``title_end``."""
    mentions = list(_mentions(text, title_end, rules, places))
    # a report that names no body, only a place's deputies (金牛区人大代表) or a congress's session
    # (news of 北堡乡第十七届人民代表大会第三次会议), is about that congress
    bodies = (
        [m for m in mentions if not m.session and not m.weak]
        or [m for m in mentions if m.weak]
        or [m for m in mentions if m.session and m.kind == "congress"]
    )
    kind = _kind(bodies, text, rules)
    if kind is None:
        return Organ()
    own = [m for m in bodies if m.kind == kind]
    level = _level(own, kind, text, rules) or rules.kind_levels.get(kind)
    place, name = _place(own, mentions, kind, level, text, title_end, rules, places)
    if place.level is None and level:
        place = Place(level=level)
    written = own[0].word if own else None
    canonical = rules.canonical(kind, written)
    if written and written.endswith(canonical):  # 中级人民法院 stays as written; 人民代表大会常务委员会 → 人大常委会
        canonical = written
    if place.level == "national":
        return Organ(kind=kind, name=rules.national_names.get(kind), place=place)
    return Organ(kind=kind, name=f"{name}{canonical}" if name else None, place=place)


def apply(report: Report, organ: Organ) -> None:
    report.organ_kind = organ.kind
    report.organ = organ.name
    report.level = organ.place.level
    report.district, report.city, report.province = organ.place.district, organ.place.city, organ.place.province


def _mentions(text: str, title_end: int, rules: OrganRules, places: PlaceIndex):
    skipped = _list_lines(text)
    for match in rules.body_words.finditer(text):
        word = match.group("word")
        k = bisect_right(skipped, (match.start(), len(text))) - 1
        if k >= 0 and skipped[k][0] <= match.start() < skipped[k][1]:
            continue
        kind = rules.kind_of(word)
        around = _written_around(text, match.end(), word, rules)
        if around:  # 人大胜利路街道工委
            name, word = around
            kind = rules.kind_of(word)
            yield Mention(kind, word, match.start(), False, match.start() < title_end, name, _tier_of(name, places))
            continue
        if text.endswith(tuple(rules.not_a_body_before.get(word, ())), 0, match.start()):
            continue  # 县委常委会: the party's body
        if _reviewed(text, match.start(), rules):
            continue  # 审议了《政府工作报告》: a report the body reviews
        after = text[match.end() : match.end() + 8]
        weak = kind == "congress" and after.startswith(tuple(rules.not_a_body_after))
        session = bool(rules.session_pattern.match(after)) and kind in ("congress", "cppcc")
        before = match.start()
        term = TERM.search(text, max(0, before - 5), before)
        if term and term.end() == before:
            before = term.start()
        name = (
            places.name_before(text, before)
            or _township_before(text, before, rules)
            or _place_after(text, match.end(), kind, rules, places)
        )
        if name and _glued(text, before - len(name), name, rules):
            name = None
        tier_word = None if name else rules.level_word_before(text, before)
        level = _tier_of(name, places) if name else tier_word and tier_word.level
        if kind == "congress" and not (name or session) or weak and not name:
            continue  # 人大 alone: the congress system, not a body
        fits = tuple(tier_word.fits) if tier_word else ()
        yield Mention(kind, word, match.start(), session, match.start() < title_end, name, level, weak, fits)


def _written_around(text: str, end: int, word: str, rules: OrganRules) -> tuple[str, str] | None:
    """(place, body word) of a body written around its place: 人大|胜利路街道|工委."""
    if word != "人大":
        return None
    for pattern, body in rules.around_patterns:
        found = pattern.match(text, end)
        if found:
            return found.group("name"), body
    return None


def _place_after(text: str, end: int, kind: str, rules: OrganRules, places: PlaceIndex) -> str | None:
    """政协|常宁市|第十一届委员会: the place a body of this kind is written with after its word."""
    pattern = rules.place_after_patterns.get(kind)
    found = pattern.match(text, end) if pattern else None
    return found.group("name") if found and places.divisions(found.group("name")) else None


def _reviewed(text: str, start: int, rules: OrganRules) -> bool:
    """Whether the body word at ``start`` opens a quoted title that its clause reviews."""
    if not rules.reviewed_after or start == 0 or text[start - 1] != "《":
        return False
    clause = text[max(0, start - 60) : start]
    found = list(CLAUSE_END.finditer(clause))
    clause = clause[found[-1].end() :] if found else clause
    return any(verb in clause for verb in rules.reviewed_after)


def _glued(text: str, start: int, name: str, rules: OrganRules) -> bool:
    """监督和县政协: 和 glued to 县, not the county 和县."""
    return len(name) == 2 and name[0] in rules.glue_characters and start > 0 and bool(HAN.match(text[start - 1]))


def _list_lines(text: str) -> list[tuple[int, int]]:
    """Spans of short list or table-of-contents lines (11.某市人大常委会工作报告, …工作报告19)."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        if len(line.group()) <= TITLE_LINE_MAX and LIST_ITEM.search(line.group()):
            spans.append(line.span())
    return spans


def _township_before(text: str, end: int, rules: OrganRules) -> str | None:
    """The township named right before ``end`` (崔家桥镇|人大主席团): two to four characters
    before 镇/乡/街道, after the last word that cannot be part of it (在, 代表…)."""
    for word in TOWNSHIP_WORDS:
        if text.endswith(word, 0, end):
            start = end - len(word)
            name = text[max(0, start - 4) : start]
            for boundary in rules.township_boundaries:
                at = name.rfind(boundary)
                if at >= 0:
                    name = name[at + len(boundary) :]
            name = TRAILING_HAN.search(name).group()
            return name + word if len(name) >= 2 else None
    return None


def _tier_of(name: str, places: PlaceIndex) -> str | None:
    if name.endswith(TOWNSHIP_WORDS) and not places.divisions(name):
        return "township"
    tiers = {d.level for d in places.divisions(name)}
    return tiers.pop() if len(tiers) == 1 else ("province" if "province" in tiers else None)


def _kind(bodies: list[Mention], text: str, rules: OrganRules) -> str | None:
    titled = [m for m in bodies if m.title]
    if titled:
        kind = titled[0].kind
    elif not bodies:
        markers = rules.national_markers.get("standing_committee", [])
        return "standing_committee" if any(w in text for w in markers) else None
    else:
        counts = Counter(m.kind for m in bodies)
        best = max(counts.values())
        kind = next(m.kind for m in bodies if counts[m.kind] == best)
    if kind == "congress":
        # 城东区人大：… over a report of 区人大常委会: the congress's standing body
        levels = {m.level for m in bodies if m.kind == "congress"}
        if any(m.kind == "standing_committee" and m.level in levels for m in bodies):
            return "standing_committee"
    return kind


def _level(own: list[Mention], kind: str, text: str, rules: OrganRules) -> str | None:
    titled = [m for m in own if m.title and m.level]
    if titled:
        named = [m for m in titled if m.name]
        return (named or titled)[0].level
    counts = Counter(m.level for m in own if m.level)
    if not counts:
        return "national" if any(w in text for w in rules.national_markers.get(kind, [])) else None
    best = max(counts.values())
    return next(m.level for m in own if counts.get(m.level) == best)


def _place(own, mentions, kind, level, text, title_end, rules: OrganRules, places: PlaceIndex):
    """(Place, name) of the organ: a name written with the organ or its session, else one from
    the title block, else the one place of the organ's tier the text names most."""
    if level == "national":
        return Place(level=level), None
    text = text[:PLACE_SPAN]  # places are counted in the opening: bounded work on long documents
    glue = rules.glue_characters
    if level is None:  # an organ written without place or tier: only the title block can place it
        fits = {"province", "city", "county"}
        names = [n for n in _place_names(text[:title_end], places, glue) if _tier_of(n, places) in fits]
        chosen = _most_named(names, text, places, glue) if names else None
        return (places.resolve(chosen, text), chosen) if chosen else (Place(), None)
    fits = set(rules.compatible.get(level, [level]))
    written = [m for m in own if m.level == level and not m.name]
    if written and all(m.fits for m in written):  # 自治州人大常委会: only a prefecture can place it
        fits = {tier for m in written for tier in m.fits}
    named = [m for m in own if m.name and m.level in fits]
    sessions = [m for m in mentions if m.session and m.name and m.level in fits]
    names = [m.name for m in named] or [m.name for m in sessions]
    if not names:
        head = text[:title_end]
        names = [n for n in _place_names(head, places, glue) if _tier_of(n, places) in fits]
    if not names:
        names = [n for n in _place_names(text, places, glue) if _tier_of(n, places) in fits]
        if not names and level == "province":
            names = [p for n in _place_names(text, places, glue) if (p := _province_of(n, places))]
        if not names and level == "county":
            names = _county_short_names(text, places)
    if not names:
        return Place(level=level), None
    chosen = _most_named(names, text, places, glue)
    if chosen is None:
        return Place(level=level), None
    if _tier_of(chosen, places) == "township":
        return Place(level="township", province=_only_province(text, places, glue)), chosen
    place = places.resolve(chosen, text)
    return (place, chosen) if place.level else (Place(level=level), None)


@lru_cache(maxsize=16)
def _place_names(text: str, places: PlaceIndex, glue: str = "") -> tuple[str, ...]:
    """Every place the text names, full names and short names (湖南 → 湖南省) alike."""
    return tuple(
        places.full_name(n)
        for n, at in places.names_in(text)
        if not (len(n) == 2 and n[0] in glue and at > 0 and HAN.match(text[at - 1]))
    )


def _province_of(name: str, places: PlaceIndex) -> str | None:
    provinces = {d.province for d in places.divisions(name)}
    return provinces.pop() if len(provinces) == 1 else None


def _only_province(text: str, places: PlaceIndex, glue: str) -> str | None:
    provinces = {n for n in _place_names(text, places, glue) if _tier_of(n, places) == "province"}
    return provinces.pop() if len(provinces) == 1 else None


def _county_short_names(text: str, places: PlaceIndex) -> list[str]:
    """A county named without its 县 (远安 for 远安县), read only for an organ written 县人大常委会,
    and only where the name is a word of its own (创新和完善 does not name 新和县)."""
    from watcher.extract.segment import cached_segmenter

    bounds, at = {0}, 0
    for token in cached_segmenter(None).cut(text):
        at += len(token)
        bounds.add(at)
    return [
        places.county_short[m.group()]
        for m in places.county_shorts.finditer(text)
        if m.start() in bounds and m.end() in bounds
    ]


def _most_named(names: list[str], text: str, places: PlaceIndex, glue: str) -> str | None:
    """The candidate the text names most often, counting every mention; None on a tie."""
    candidates = list(dict.fromkeys(names))
    if len(candidates) == 1:
        return candidates[0]
    written = Counter(names)
    mentioned = Counter(_place_names(text, places, glue))
    ranked = sorted(candidates, key=lambda n: (written[n] + mentioned[n]), reverse=True)
    top = written[ranked[0]] + mentioned[ranked[0]]
    if written[ranked[1]] + mentioned[ranked[1]] == top:
        return None
    return ranked[0]
