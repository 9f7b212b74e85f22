"""Chinese full-text search with SQLite's stock FTS5 tokenizer.

unicode61 sees a run of Han characters as one token, so 代表 never matches 人大代表大会. The
index therefore holds overlapping character bigrams (民生实事 → 民生 生实 实事 事) and queries
become phrases of adjacent bigrams, which gives substring semantics. The final single character
of each run lets a one-character query work as a prefix match. Digits are indexed one by one for
the same reason (2023 → 2 0 2 3); Latin words stay whole.

Each index (``reports_fts``, ``sentences_fts``) is an FTS5 table with external content: its
rows point at the table's own rows by id, and the store writes the bigrams straight into the
index, so the bigram strings are stored nowhere else. Because the index holds bigrams rather than
the table's text, FTS5's ``rebuild`` command and ``highlight()`` do not apply; ``rebuild_index``
and ``excerpt`` do their jobs.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from operator import add
from pathlib import Path

from schema.tables import SEARCH_INDEXES

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One group per kind of piece (Han run, digit, other word), so the kind is known without a test.
TOKEN = re.compile(rf"([{HAN}]+)|([0-9０-９])|([^\W\d_{HAN}]+)", re.UNICODE)
DIGITS = {d: str(int(d)) for d in "0123456789０１２３４５６７８９"}
QUOTE = '"'


def _pieces(text: str) -> list[tuple[str, str]]:
    """(kind, piece) for each Han run, digit and other word in order."""
    return [
        ("han", han) if han else ("digit", DIGITS[digit]) if digit
        else ("digit", word) if word.isdigit() else ("word", word.lower())  # ² and the like are digits
        for han, digit, word in TOKEN.findall(text)
    ]


def bigrams(text: str | None, runs: dict[str, str] | None = None) -> str:
    """The indexable form of ``text``: Han bigrams plus each run's last character, digits one by one.

    ``runs`` remembers each Han run's bigrams for the next call: a document's sentences and
    clauses repeat the runs of its text."""
    runs = {} if runs is None else runs
    tokens: list[str] = []
    append = tokens.append
    for han, digit, word in TOKEN.findall(text or ""):
        if han:
            pairs = runs.get(han)
            if pairs is None:
                pairs = runs[han] = " ".join(map(add, han, han[1:])) + " " + han[-1] if len(han) > 1 else han
            append(pairs)
        else:
            append(DIGITS[digit] if digit else word.lower())
    return " ".join(tokens)


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression with substring semantics: each whitespace-separated term is a
    phrase of adjacent index tokens, and all terms must match."""
    terms = [t for t in query.split() if t]
    phrases = [_phrase(term) for term in terms]
    phrases = [p for p in phrases if p]
    return " AND ".join(phrases) if phrases else '""'


def _phrase(term: str) -> str | None:
    tokens: list[str] = []
    prefix = False
    pieces = _pieces(term)
    for index, (kind, piece) in enumerate(pieces):
        last = index == len(pieces) - 1
        if kind == "han":
            if len(piece) == 1:
                tokens.append(piece)
                prefix = last
            else:
                tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
                if not last:  # the index closes every run with its last character
                    tokens.append(piece[-1])
                prefix = False
        else:
            tokens.append(piece)
            prefix = last and kind == "word"
    if not tokens:
        return None
    # A query ending in one Han character matches it as the start of a bigram too.
    phrase = QUOTE + " ".join(t.replace(QUOTE, "") for t in tokens) + QUOTE
    return phrase + ("*" if prefix else "")


# What each index holds, row by row: id, then the indexed values (``t`` is the table itself).
INDEX_SOURCES = {
    "reports": "SELECT t.id, t.title, t.text FROM reports t",
    "sentences": "SELECT t.id, t.text FROM sentences t",
    "facts": 'SELECT t.id, t.subject, r.text, t.start, t."end" FROM facts t JOIN reports r ON r.id = t.report_id',
}
CLAUSE_ENDS = set("，,；;：:。！？!?\n")
CLAUSE_LIMIT = 60


def clause(text: str, start: int, end: int) -> str:
    """The clause of ``text`` around ``text[start:end]``: out to the nearest clause punctuation
    either side (at most ``CLAUSE_LIMIT`` characters each way). A fact's evidence in the index."""
    a, b = start, end
    while a > 0 and start - a < CLAUSE_LIMIT and text[a - 1] not in CLAUSE_ENDS:
        a -= 1
    while b < len(text) and b - end < CLAUSE_LIMIT and text[b] not in CLAUSE_ENDS:
        b += 1
    return text[a:b]


def _shape(table: str, row: Sequence) -> tuple:
    if table == "facts":
        return (row[0], row[1], clause(row[2] or "", row[3], row[4]))
    return tuple(row)


def indexed_rows(conn: sqlite3.Connection, table: str, document_id: str) -> list[tuple]:
    """One document's rows of ``table`` as its index holds them."""
    where = "t.document_id = ?" if table == "reports" else "t.report_id IN (SELECT id FROM reports WHERE document_id = ?)"
    return [_shape(table, r) for r in conn.execute(f"{INDEX_SOURCES[table]} WHERE {where}", (document_id,))]


def _index_rows(rows: Iterable[Sequence]) -> list[tuple]:
    return [(row[0], *(bigrams(value) for value in row[1:])) for row in rows]


def index_tokens(reports) -> dict[str, list[tuple[str, ...]]]:
    """What the indexes will hold for a document's ``(Report, Extraction)`` pairs, without ids:
    per table, one tuple of bigram strings per row, in the order the store writes the rows.
    Pure, so the prepare step builds it and the writer only inserts."""
    runs: dict[str, str] = {}
    sentences = [[bigrams(s.text, runs) for s in extraction.sentences] for _, extraction in reports]
    return {
        "reports": [
            (bigrams(report.title, runs), _joined(report.text, extraction.sentences, tokens, runs))
            for (report, extraction), tokens in zip(reports, sentences)
        ],
        "sentences": [(tokens,) for per_report in sentences for tokens in per_report],
        "facts": [
            (bigrams(f.subject, runs), bigrams(clause(report.text, f.start, f.end), runs))
            for report, extraction in reports for f in extraction.facts
        ],
    }


# Two characters of one token: a token running across here would be cut.
_ONE_TOKEN = re.compile(rf"[{HAN}]{{2}}|[^\W\d_{HAN}]{{2}}")


def _joined(text: str, sentences, tokens: list[str], runs: dict[str, str]) -> str:
    """The bigrams of ``text``, put together from its sentences' ``tokens`` when the sentences
    hold every token of the text whole (the splitter cuts at punctuation and line breaks, so
    they do); otherwise read from the text."""
    end = 0
    for sentence in sentences:
        start = sentence.start
        if (
            start < end or TOKEN.search(text, end, start)
            or text[start : sentence.end] != sentence.text
            or _ONE_TOKEN.match(text, start - 1, start + 1) or _ONE_TOKEN.match(text, sentence.end - 1, sentence.end + 1)
        ):
            return bigrams(text, runs)
        end = sentence.end
    if TOKEN.search(text, end):
        return bigrams(text, runs)
    return " ".join(t for t in tokens if t)


def add_to_index(
    conn: sqlite3.Connection, table: str, rows: Iterable[Sequence], tokens: Sequence[tuple] | None = None
) -> None:
    """Index ``rows`` of (id, *values of the indexed columns); ``tokens``, when given, are those
    values' bigrams already built (``index_tokens``), one tuple per row."""
    columns = SEARCH_INDEXES[table]
    if tokens is None:
        values = _index_rows(rows)
    else:
        rows = list(rows)
        if len(tokens) != len(rows):
            raise ValueError(f"{len(tokens)} prepared index rows for {len(rows)} rows of {table}")
        values = [(row[0], *bigram_strings) for row, bigram_strings in zip(rows, tokens)]
    conn.executemany(
        f"INSERT INTO {table}_fts (rowid, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})", values
    )


def remove_from_index(conn: sqlite3.Connection, table: str, rows: Iterable[Sequence]) -> None:
    """Take ``rows`` (as they were indexed) out of the index."""
    columns = SEARCH_INDEXES[table]
    conn.executemany(
        f"INSERT INTO {table}_fts ({table}_fts, rowid, {', '.join(columns)}) VALUES ('delete', ?{', ?' * len(columns)})",
        _index_rows(rows),
    )


def rebuild_index(conn: sqlite3.Connection, table: str, batch: int = 2000) -> None:
    """Index every row of ``table`` afresh (after an upgrade, or if the index was damaged)."""
    conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('delete-all')")
    cursor = conn.execute(INDEX_SOURCES[table])
    while rows := cursor.fetchmany(batch):
        add_to_index(conn, table, [_shape(table, row) for row in rows])


def _terms(query: str | None) -> list[str]:
    return [t for t in (query or "").lower().split() if t]


def hits(text: str | None, query: str | None) -> int:
    """How many times the query's terms occur in ``text`` (case-insensitive, like the index)."""
    text = (text or "").lower()
    return sum(text.count(term) for term in _terms(query))


def score(title: str | None, text: str | None, query: str | None) -> int:
    """A report's relevance: each hit in the title counts ten, each hit in the text one."""
    return 10 * hits(title, query) + hits(text, query)


def excerpt(text: str | None, query: str | None, width: int = 40) -> str:
    """About ``width`` characters either side of the first hit, with … where text was cut."""
    text = text or ""
    lowered = text.lower()
    found = [i for i in (lowered.find(t) for t in _terms(query)) if i >= 0]
    at = min(found) if found else 0
    start, end = max(0, at - width), min(len(text), at + width * 2)
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


def highlight_spans(text: str, query: str | None) -> list[tuple[int, int]]:
    """Non-overlapping spans of ``text`` where a term of the query occurs, in order."""
    lowered, spans = text.lower(), []
    for term in _terms(query):
        spans += [(m.start(), m.start() + len(term)) for m in re.finditer(re.escape(term), lowered)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def search(db_path: str | Path, query: str, table: str = "reports", limit: int = 20) -> list[dict]:
    """Search from Python: rows of ``reports``, ``sentences`` or ``facts`` containing ``query``, best first,
    each with its ``score`` (for reports, a hit in the title counts ten times one in the text)."""
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            f"SELECT * FROM {table} WHERE id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)",
            (fts_query(query),),
        ).fetchall()
    finally:
        conn.close()
    found = [dict(row) for row in rows]
    for row in found:
        row["score"] = score(row.get("title"), row.get("text") or row.get("subject"), query)
    return sorted(found, key=lambda row: (-row["score"], row["id"]))[:limit]
