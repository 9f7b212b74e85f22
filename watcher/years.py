"""The years a report covers, and the date it was delivered.

A report is delivered early in a year about the year before (——2024年1月10日在…会议上 over a
review of 过去的一年 covers 2023), or at the end of a term about the five years of the term.
The covered year comes from the text's own words when it writes them (2023年工作回顾,
2022年是…的一年, 刚刚过去的2024年, a title's year that is not the delivery date), and only
then from the delivery date. Read on a Simplified copy with digit years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from schema.vocabulary import GenreRules

YEAR = r"((?:19|20)\d\d)"
DELIVERED = re.compile(
    rf"(?<!\d){YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日\s*[─—-]*\s*在(?P<session>[^。\n]{{0,40}}?会议)"
)
TITLE_YEAR = re.compile(rf"(?<![\d年]){YEAR}\s*年(?!\s*\d{{1,2}}\s*月)(?:度)?")
YEAR_RANGE = re.compile(rf"(?<!\d){YEAR}\s*年?\s*[—–\-~～至到]+\s*{YEAR}\s*年")
UNTIL = re.compile(rf"截至{YEAR}年")
CITATION = re.compile(r"《[^》\n]{0,80}》")
TERM_YEARS = 5
TERM_CUE_SLACK = 4  # 过去一年及五年: the term cue within the same phrase as the one-year cue
REVIEW_SPAN = 1500
# A report delivered from October on covers its own year (or term); earlier, the year before.
LATE_MONTH = 10


@dataclass
class Coverage:
    year: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    delivered_on: str | None = None


def coverage(head: str, body: str, rules: GenreRules) -> Coverage:
    """``head`` is the title block, ``body`` the whole report (both Simplified, digit years)."""
    body = CITATION.sub(lambda m: " " * len(m.group()), body)
    delivery = DELIVERED.search(body)
    delivered = _delivered(delivery)
    opening = body[:REVIEW_SPAN]
    span = YEAR_RANGE.search(head)
    if span:
        first, last = int(span.group(1)), int(span.group(2))
        if first == last:
            return Coverage(first, first, first, _iso(delivered))
        return Coverage(None, first, last, _iso(delivered))
    if _term_report(head, opening, rules) or _first_session(body, delivery, rules):
        last = _term_end(head, body, delivered)
        if last is None:
            return Coverage(delivered_on=_iso(delivered))
        return Coverage(None, last - TERM_YEARS + 1, last, _iso(delivered))
    year = _covered_year(head, opening, delivered, rules)
    if year is not None and delivered and year > delivered.year:
        year = None
    return Coverage(year, year, year, _iso(delivered)) if year else Coverage(delivered_on=_iso(delivered))


def _first_session(body: str, match: re.Match | None, rules: GenreRules) -> bool:
    """Delivered to the first session of a new congress, a report covers the outgoing term
    (——…在某市第十六届人民代表大会第一次会议上, 十四届全国人大一次会议听取…工作的报告).
    ``match`` is ``DELIVERED`` searched in ``body``."""
    if match and re.search(rules.term_session, match.group("session")):
        return True
    return bool(re.search(rules.term_session_report, body[:REVIEW_SPAN]))


def _term_report(head: str, opening: str, rules: GenreRules) -> bool:
    """A term report frames itself as one first: its term cue comes before any one-year cue
    (过去一年及五年 frames both; 一年来… then 本届以来 is a one-year report looking back)."""
    if any(cue in head for cue in rules.multi_year_cues):
        return True
    term = min((i for cue in rules.multi_year_cues if (i := opening.find(cue)) >= 0), default=None)
    if term is None:
        return False
    one_year = min((i for cue in rules.one_year_cues if (i := opening.find(cue)) >= 0), default=len(opening))
    return term <= one_year + TERM_CUE_SLACK


def _covered_year(head: str, opening: str, delivered: date | None, rules: GenreRules) -> int | None:
    years = [int(m.group(1)) for m in TITLE_YEAR.finditer(head)]
    titled = next((y for y in years if not delivered or y != delivered.year), None)
    latest = _latest_covered(delivered)
    reviewed = _reviewed_year(opening, rules, latest)
    if titled is not None:
        # 2024年政府工作报告 over a review of 2023: a report's title may carry its delivery year
        delivery_title = any(word in head for word in rules.delivery_titles)
        return reviewed if delivery_title and reviewed == titled - 1 else titled
    if reviewed is not None:
        return reviewed
    if delivered and any(cue in opening for cue in rules.one_year_cues):
        return latest
    match = re.search(rules.organ_year, opening)
    if match:
        return int(match.group(1))
    for match in re.finditer(rf"(?<![\d年]){YEAR}年", opening):
        if _is_plan(opening, match.start(1), rules):
            return int(match.group(1)) - 1
    return None


def _reviewed_year(opening: str, rules: GenreRules, latest: int | None) -> int | None:
    """The first year a review phrase names, skipping plans and years after the delivery allows."""
    for pattern in rules.review_headings:
        for match in re.finditer(pattern, opening):
            year = int(match.group(1))
            if not _is_plan(opening, match.start(1), rules) and (latest is None or year <= latest):
                return year
    return None


def _latest_covered(delivered: date | None) -> int | None:
    """A report delivered in March 2024 cannot cover 2024 (2024年是…开局之年 is a plan)."""
    if delivered is None:
        return None
    return delivered.year if delivered.month >= LATE_MONTH else delivered.year - 1


def _is_plan(text: str, at: int, rules: GenreRules) -> bool:
    end = min((i for i in (text.find(p, at) for p in "。；\n") if i != -1), default=len(text))
    sentence = text[at:end]
    return any(word in sentence for word in rules.plan_words)


def _delivered(match: re.Match | None) -> date | None:
    """The date of ``DELIVERED`` searched in a report."""
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _term_end(head: str, body: str, delivered: date | None) -> int | None:
    until = UNTIL.search(body)
    if until:
        return int(until.group(1))
    titled = [int(m.group(1)) for m in TITLE_YEAR.finditer(head)]
    if titled and (not delivered or titled[0] != delivered.year):
        return titled[0]  # 2021年某市人大常委会工作报告 over 过去五年: the term ends in 2021
    return _latest_covered(delivered)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
