"""Split a document's repaired text into reports and read each one's metadata.

A document may hold several articles, or open with the tail of an article whose title is
elsewhere. Articles start at a title block: a title followed by a ——subtitle, a title in the
form ``城东区人大：…`` followed by a byline, or a title followed by a byline. Text before the
first title block is a fragment: it joins the first article when it names that article's own
district or is only short lines with no sentence (the page around the article: site name, date,
menu), and otherwise stays a report of its own, placed only where it names a place itself.
"""

from __future__ import annotations

import re

from schema.models import Person, Report
from schema.vocabulary import GenreRules, Vocabulary, default_vocabulary
from watcher.normalize import paragraphs, reading_copy
from watcher.organs import apply, find_organ
from watcher.places import PlaceIndex, place_index
from watcher.years import coverage

SENTENCE_END = "。！？；!?;"
TITLE_MAX = 40
SUBTITLE = re.compile(r"^[—－–-]{1,3}\s*\S")
ORGAN_TITLE = re.compile(r"^(?P<organ>[\u4e00-\u9fff]{2,15}?人大(?:常委会)?)\s*[：:]\s*(?P<title>\S.*)$")
NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
HEAD_LINE_MAX = 60
# Metadata is read from a report's opening: its organ and years are established well before this.
READ_SPAN = 20_000
ADDRESS = "各位代表"


def split_reports(text: str, vocabulary: Vocabulary | None = None, places: PlaceIndex | None = None) -> list[Report]:
    vocabulary = vocabulary or default_vocabulary()
    places = places or place_index(vocabulary.places)
    lines = [(s, e, text[s:e].strip()) for s, e in paragraphs(text)]
    if not lines:
        return []
    starts = _title_starts(lines, vocabulary.people.byline_roles)
    spans = []
    bounds = starts + [len(lines)]
    if not starts or starts[0] > 0:
        spans.append((0, bounds[0] if starts else len(lines), None))
    spans += [(a, b, a) for a, b in zip(bounds, bounds[1:])]

    reports: list[Report] = []
    read: Report | None = None  # the next span's report, when reading a fragment read it already
    memo: dict = {}  # what _read found from a title on, for the fragment joined to that title
    for index, (first, last, title_at) in enumerate(spans):
        if title_at is None and index + 1 < len(spans):
            following = _read(text, lines, *spans[index + 1], vocabulary, places, memo)
            furniture = all(len(line) <= HEAD_LINE_MAX and "。" not in line for _, _, line in lines[first:last])
            if not furniture:
                fragment = reading_copy(text[lines[first][0] : lines[last - 1][1]][:READ_SPAN])
                own = find_organ(fragment, 0, vocabulary.organs, places).place
            if furniture or own.district and own.district == following.district:
                spans[index + 1] = (first, spans[index + 1][1], spans[index + 1][2])
                continue
            reports.append(_read(text, lines, first, last, title_at, vocabulary, places))
            read = following
            continue
        reports.append(read or _read(text, lines, first, last, title_at, vocabulary, places, memo))
        read = None
    for seq, report in enumerate(reports):
        report.seq = seq
    return reports


def _title_starts(lines, roles: list[str]) -> list[int]:
    starts = []
    for k, (_, _, line) in enumerate(lines):
        following = lines[k + 1][2] if k + 1 < len(lines) else ""
        if not _is_title(line, roles) or (starts and starts[-1] >= k - 1):
            continue
        if SUBTITLE.match(following) or (
            _is_byline(following, roles)
            and (ORGAN_TITLE.match(line) or k == 0 or _is_title(lines[k - 1][2], roles) is False)
        ):
            starts.append(k)
    return starts


def _is_title(line: str, roles: list[str]) -> bool:
    stripped = line.rstrip("”’」』）)")
    return (
        0 < len(line) <= TITLE_MAX
        and stripped[-1:] not in SENTENCE_END
        and "，" not in line
        and not SUBTITLE.match(line)
        and not _is_byline(line, roles)
    )


def _is_byline(line: str, roles: list[str]) -> bool:
    return line.startswith(tuple(roles)) and bool(_byline_people(line, 0, roles))


def _byline_people(line: str, offset: int, roles: list[str]) -> list[Person]:
    """``本报记者 小蕊 通讯员 颜维彬`` → 小蕊 (本报记者), 颜维彬 (通讯员)."""
    people, role = [], None
    for match in re.finditer(r"\S+", line):
        token = match.group()
        for candidate in roles:
            if token.startswith(candidate):
                role, token = candidate, token[len(candidate) :].lstrip("：:")
                break
        if not token:
            continue
        if role is None or not NAME.match(token):
            return []
        begin = offset + match.end() - len(token)
        people.append(Person(name=token, role=role, source="byline", start=begin, end=begin + len(token)))
    return people


def _read(
    text: str, lines, first: int, last: int, title_at: int | None, vocabulary: Vocabulary, places: PlaceIndex,
    memo: dict | None = None,
) -> Report:
    """The report of ``lines[first:last]``. Its metadata is read from the title (or the first
    line) on, so ``memo`` keeps it for the same lines read again from an earlier first line."""
    start, end = lines[first][0], lines[last - 1][1]
    body = text[start:end]
    title = subtitle = None
    titled = title_at is not None
    if titled:
        title = lines[title_at][2]
        following = lines[title_at + 1][2] if title_at + 1 < last else ""
        if SUBTITLE.match(following):
            subtitle = following.lstrip("—－–- ").strip()
        match = ORGAN_TITLE.match(title)
        if match:
            title = match.group("title").strip()
    head = " ".join(x for x in (title, subtitle) if x)
    people = [
        person
        for s, e, line in lines[first:last]
        if _is_byline(line, vocabulary.people.byline_roles)
        for person in _byline_people(text[s:e], s - start, vocabulary.people.byline_roles)
    ]
    head_end = _head_end(lines, title_at if titled else first, last)
    key = (title_at if titled else first, last, titled)
    if memo is not None and key in memo:
        covered, organ = memo[key]
    else:
        opening = lines[key[0]][0]
        reading = reading_copy(text[opening : min(end, opening + READ_SPAN)])
        reading_head = reading_copy(text[opening:head_end])
        covered = coverage(reading_head, reading, vocabulary.genres)
        organ = find_organ(reading, len(reading_head), vocabulary.organs, places)
        if memo is not None:
            memo[key] = covered, organ
    report = Report(
        seq=0,
        title=title,
        subtitle=subtitle,
        genre=_genre(head, text[lines[title_at][1] : end], vocabulary.genres) if titled else None,
        year=covered.year,
        period_start=covered.period_start,
        period_end=covered.period_end,
        delivered_on=covered.delivered_on,
        text=body,
        start=start,
        end=end,
        people=people,
    )
    apply(report, organ)
    return report


def _head_end(lines, first: int, last: int) -> int:
    """End of the title block: the short lines before the first paragraph or 各位代表."""
    end = lines[first][0]
    for s, e, line in lines[first:last]:
        if len(line) > HEAD_LINE_MAX or line.startswith(ADDRESS) or "。" in line:
            break
        end = e
    return end


def _genre(head: str, body: str, rules: GenreRules) -> str | None:
    for genre in rules.genres:
        for word in [*genre.aliases, genre.name]:
            if word in head:
                return genre.name
    review = rules.year_review
    opening = body[:400]
    if review and any(cue in opening for cue in review.cues):
        return review.genre
    return None
