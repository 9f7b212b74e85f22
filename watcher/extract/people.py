"""People the text names with a role: 乌当区人大代表黄晓斌, 黔贵国际医院副院长、护理部主任刘玉馥,
caption forms like 刘玉馥(左六). A bare name with no role context is never emitted: part-of-speech
tagging alone is about 10% precise on these texts."""

from __future__ import annotations

import re
from typing import NamedTuple

from schema.models import Person, Section
from schema.vocabulary import PeopleRules, default_vocabulary

PUNCTUATION = "，,。；;：:、！？!?（(“”\"）) \n"
CAPTION_MARK = re.compile(r"[（(][左右前后中][一二三四五六七八九十\d]+[)）]")
ROLE_CHUNK = re.compile(r"[\u4e00-\u9fff、]{0,16}$")
NAME_SHAPE = re.compile(r"[\u4e00-\u9fff]{2,3}")


def extract_people(text: str, sections: list[Section] | None = None, rules: PeopleRules | None = None) -> list[Person]:
    data = rules or default_vocabulary().people
    words = _words(data)
    found: dict[str, Person] = {}
    captions = [(s.start, s.end) for s in sections or [] if s.kind == "captions"]  # one block at the end
    for match in data.role_pattern.finditer(text):
        if text.endswith(words.ignore_roles, 0, match.end()):
            continue
        name = _name_at(text, match.end(), data, words)
        if not name:
            continue
        role = _role(text, match, data)
        start = match.end() + (1 if text[match.end()] == "的" else 0)
        in_caption = any(a <= start < b for a, b in captions)
        person = Person(
            name=name, role=role, source="caption" if in_caption else "text", start=start, end=start + len(name)
        )
        known = found.get(name)
        if known is None or len(role) > len(known.role or ""):
            found[name] = person if known is None else known.model_copy(update={"role": role})
    return sorted(found.values(), key=lambda p: p.start or 0)


class _Words(NamedTuple):
    """The rules' word lists in the forms looked up per candidate name."""

    ignore_roles: tuple[str, ...]
    after_name: tuple[str, ...]
    not_names: frozenset[str]
    compound_surnames: frozenset[str]


_prepared: dict[int, tuple[PeopleRules, _Words]] = {}


def _words(data: PeopleRules) -> _Words:
    kept = _prepared.get(id(data))
    if kept is None or kept[0] is not data:
        kept = _prepared[id(data)] = data, _Words(
            tuple(data.ignore_roles), tuple(data.after_name), frozenset(data.not_names), frozenset(data.compound_surnames)
        )
    return kept[1]


def _name_at(text: str, position: int, data: PeopleRules, words: _Words | None = None) -> str | None:
    words = words or _words(data)
    if text[position : position + 1] == "的":
        position += 1
    for size in (3, 2):
        name = text[position : position + size]
        if len(name) < size or not _looks_like_name(name, data, words):
            continue
        rest = position + size
        if (
            rest >= len(text)
            or text[rest] in PUNCTUATION
            or CAPTION_MARK.match(text, rest)
            or text.startswith(words.after_name, rest)
        ):
            return name
    return None


def _looks_like_name(name: str, data: PeopleRules, words: _Words | None = None) -> bool:
    # every test must hold; the surname, which most candidates fail, first
    words = words or _words(data)
    if not (name[0] in data.surnames or name[:2] in words.compound_surnames):
        return False
    if not NAME_SHAPE.fullmatch(name):
        return False
    return not (any(c in data.not_in_name for c in name) or name[:2] in words.not_names)


def _role(text: str, match: re.Match, data: PeopleRules) -> str:
    """The role as written: 人大代表, or 副院长、护理部主任 with the title that comes before."""
    if match.group() in ("人大代表", "代表"):
        return "人大代表"
    before = ROLE_CHUNK.search(text[max(0, match.start() - 16) : match.start()])
    chunk = (before.group() if before else "") + match.group()
    titles = [t for t in re.split(r"、", chunk) if t]
    if len(titles) > 1:
        return "、".join(_strip_organisation(t, data) for t in titles)
    return _strip_organisation(chunk, data)


def _strip_organisation(title: str, data: PeopleRules) -> str:
    """黔贵国际医院副院长 → 副院长; 护理部主任 stays (a department and its head)."""
    role = data.role_pattern.search(title)
    if not role:
        return title
    head = title[: role.start()]
    if head.endswith("部") and len(head) <= 4:
        return title
    return title[role.start() :]
