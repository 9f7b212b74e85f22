"""Quantities in Chinese text: Arabic and Chinese numerals, decimals, percentages, money, units.

``find_quantities`` returns every number that carries a unit (19次, 二十三件, 300余人次,
6.35亿元, 92.8%, 百分之九十, 65人(次)), with its value normalised (money in yuan,
percentages as the number) and whether the text marks it approximate.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from schema.vocabulary import UnitRules, default_vocabulary

FULL_WIDTH = str.maketrans("０１２３４５６７８９．％（）", "0123456789.%()")
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL = "零〇一二两三四五六七八九十百千"

APPROX_BEFORE = ("将近", "大约", "超过", "近", "约", "逾", "超")
# A number is found as one maximal run first, then its unit is tried once at the run's end:
# a single pattern with the unit in it retries every position of a long run without one.
NUMBER = re.compile(rf"[0-9０-９]+(?:[.．][0-9０-９]+)?|[{CHINESE_NUMERAL}]+")


@lru_cache(maxsize=8)
def _numbers(units: UnitRules) -> re.Pattern:
    """``NUMBER``'s runs, as its ``finditer`` finds them, with only those followed by a
    character that may open ``unit_pattern`` reported (group ``number``): the runs before no
    unit, most of them (一 in 一年, 统一…), are read past inside the regex engine. Each match
    ends at such a run or at the end of the text, so no position is tried twice."""
    if "" in units.units:
        return re.compile(f"(?P<number>{NUMBER.pattern})")
    openers = "[" + "".join(map(re.escape, sorted({"万", "亿", "余", "多", "％", *(u[0] for u in units.units)}))) + "]"
    run = rf"(?>{NUMBER.pattern})"
    return re.compile(rf"(?:[^0-9０-９{CHINESE_NUMERAL}]++|{run}(?!{openers}))*+(?:(?P<number>{run})(?={openers})|\Z)")


@lru_cache(maxsize=8)
def unit_pattern(units: UnitRules) -> re.Pattern:
    """What may follow a number: 万/亿, 余/多, a unit from ``units.yaml`` (longest first, so 人次
    wins over 人) and a bracketed second unit."""
    written = "|".join(re.escape(u) for u in sorted(set(units.units), key=len, reverse=True))
    alternatives = "|".join(re.escape(u) for u in units.alternatives)
    return re.compile(
        r"(?P<large>[万亿])?"
        r"(?P<about>余|多)?"
        r"(?P<large2>[万亿])?"
        rf"(?P<unit>{written}|％)"
        rf"(?P<alternative>[（(](?:{alternatives})[)）])?"
    )


DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
PERCENT_WORDS = re.compile(rf"百分之(?P<number>[0-9０-９]+(?:[.．][0-9０-９]+)?|[{CHINESE_NUMERAL}]+)")


class Quantity(NamedTuple):
    value: float
    unit: str
    approx: bool
    start: int
    end: int
    number_start: int  # where the digits begin (after 近/约…)


def parse_number(token: str) -> float | None:
    """'19' → 19, '92.8' → 92.8, '二十三' → 23, '一百零五' → 105, '两' → 2, '十' → 10."""
    if token.isascii() and token.isdigit():  # the usual case: 19
        value = float(token)
        return value if math.isfinite(value) else None
    token = token.translate(FULL_WIDTH)
    if DECIMAL.fullmatch(token):
        value = float(token)
        return value if math.isfinite(value) else None
    if not token or any(c not in DIGITS and c not in SMALL_UNITS for c in token):
        return None
    if all(c in DIGITS for c in token) and len(token) > 1:
        if len(token) == 2:
            return None  # 二三, 三五: "two or three", not a number
        return float("".join(str(DIGITS[c]) for c in token))  # 二〇二三: digit by digit
    total, digit = 0, None
    for c in token:
        if c in DIGITS:
            if digit is not None and DIGITS[c] != 0 and digit != 0:
                return None  # 二三: not a number
            digit = DIGITS[c]
        else:
            if digit is None and SMALL_UNITS[c] != 10:
                return None
            total += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
    return float(total + (digit or 0))


def find_quantities(text: str, units: UnitRules | None = None) -> list[Quantity]:
    found = []
    units = units or default_vocabulary().units
    after_number = unit_pattern(units)
    for token in _numbers(units).finditer(text):
        start = token.start("number")
        if start < 0:
            continue  # the text's end
        match = after_number.match(text, token.end())
        if not match:
            continue
        number = parse_number(token.group("number"))
        if number is None:
            continue
        unit = match.group("unit").translate(FULL_WIDTH)
        multiplier = 1
        for group in ("large", "large2"):
            if match.group(group):
                multiplier *= LARGE_UNITS[match.group(group)]
        if unit in ("万元", "亿元"):
            multiplier *= LARGE_UNITS[unit[0]]
            unit = "元"
        alternative = match.group("alternative")
        if alternative and unit not in ("%", "元"):
            inner = alternative.translate(FULL_WIDTH).strip("()")
            unit = unit + inner if unit == "人" and inner == "次" else unit
        value = number * multiplier
        if not math.isfinite(value):
            continue
        before = ""
        if text.endswith(APPROX_BEFORE, 0, start):  # one test for the usual case: none
            before = next(w for w in APPROX_BEFORE if text.endswith(w, 0, start))
        found.append(
            Quantity(
                value=value,
                unit=unit,
                approx=bool(before or match.group("about")),
                start=start - len(before),
                end=match.end(),
                number_start=start,
            )
        )
    for match in PERCENT_WORDS.finditer(text):
        token = match.group("number")
        number = 100.0 if token == "百" else parse_number(token)
        if number is not None:
            found.append(Quantity(number, "%", False, match.start(), match.end(), match.start("number")))
    return sorted(found, key=lambda q: q.start)
