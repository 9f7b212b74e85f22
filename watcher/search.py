"""Chinese full-text search with SQLite's stock FTS5 tokenizer.

unicode61 sees a run of Han characters as one token, so 代表 never matches 人大代表大会. The
index therefore holds overlapping character bigrams (民生实事 → 民生 生实 实事 事) and queries
become phrases of adjacent bigrams, which gives substring semantics. The final single character
of each run lets a one-character query work as a prefix match. Digits are indexed one by one for
the same reason (2023 → 2 0 2 3); Latin words stay whole.

The index (``reports_fts``) is an FTS5 table with external content: its rows point at the
reports by id, and the store writes the bigrams straight into the index, so the bigram strings
are stored nowhere else. Because the index holds bigrams rather than the table's text, FTS5's
``rebuild`` command and ``highlight()`` do not apply; ``rebuild_index`` and ``excerpt`` do their
jobs. A sentence or a fact is part of its report's text, so they are searched through the
reports the index finds (``SEARCHED_WITHIN_REPORTS``), then kept if they hold every term (``contains``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from schema.tables import SEARCH_INDEXES

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{HAN}]+|[0-9０-９]|[^\W\d_{HAN}]+", re.UNICODE)
QUOTE = '"'


def _pieces(text: str) -> list[tuple[str, str]]:
    """(kind, piece) for each Han run, digit and other word in order."""
    out = []
    for match in TOKEN.finditer(text):
        piece = match.group()
        if re.match(rf"[{HAN}]", piece):
            out.append(("han", piece))
        elif piece.isdigit():
            out.append(("digit", str(int(piece)) if piece.isdecimal() else piece))
        else:
            out.append(("word", piece.lower()))
    return out


def bigrams(text: str | None) -> str:
    """The indexable form of ``text``: Han bigrams plus each run's last character, digits one by one."""
    tokens: list[str] = []
    for kind, piece in _pieces(text or ""):
        if kind == "han":
            tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
            tokens.append(piece[-1])
        else:
            tokens.append(piece)
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
}
# Tables searched through the reports the index finds: what a row must hold the query in, as SQL
# over the table's row (a fact: its subject or its sentence).
SEARCHED_WITHIN_REPORTS = {
    "sentences": "sentences.text",
    "facts": "coalesce(facts.subject, '') || ' ' || "
             "coalesce((SELECT s.text FROM sentences s WHERE s.id = facts.sentence_id), '')",
}
REPORTS_MATCHING = "SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?"


def indexed_rows(conn: sqlite3.Connection, table: str, document_id: str) -> list[tuple]:
    """One document's rows of ``table`` as its index holds them."""
    return [tuple(r) for r in conn.execute(f"{INDEX_SOURCES[table]} WHERE t.document_id = ?", (document_id,))]


def _index_rows(rows: Iterable[Sequence]) -> list[tuple]:
    return [(row[0], *(bigrams(value) for value in row[1:])) for row in rows]


def index_tokens(reports) -> dict[str, list[tuple[str, ...]]]:
    """What the indexes will hold for a document's ``(Report, Extraction)`` pairs, without ids:
    per table, one tuple of bigram strings per row, in the order the store writes the rows.
    Pure, so the prepare step builds it and the writer only inserts."""
    return {"reports": [(bigrams(report.title), bigrams(report.text)) for report, _ in reports]}


def index_values(table: str, rows: Iterable[Sequence], tokens: Sequence[tuple] | None = None) -> list[tuple]:
    """What the index holds for ``rows`` of (id, *values of the indexed columns): (id, *bigrams).
    ``tokens``, when given, are those values' bigrams already built (``index_tokens``), one tuple
    per row."""
    if tokens is None:
        return _index_rows(rows)
    rows = list(rows)
    if len(tokens) != len(rows):
        raise ValueError(f"{len(tokens)} prepared index rows for {len(rows)} rows of {table}")
    return [(row[0], *bigram_strings) for row, bigram_strings in zip(rows, tokens)]


def insert_into_index(conn: sqlite3.Connection, table: str, values: Iterable[Sequence]) -> None:
    """Write ``index_values`` rows into the table's index."""
    columns = SEARCH_INDEXES[table]
    conn.executemany(
        f"INSERT INTO {table}_fts (rowid, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})", values
    )


def add_to_index(
    conn: sqlite3.Connection, table: str, rows: Iterable[Sequence], tokens: Sequence[tuple] | None = None
) -> None:
    """Index ``rows`` of (id, *values of the indexed columns) now."""
    insert_into_index(conn, table, index_values(table, rows, tokens))


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
        add_to_index(conn, table, rows)


def _terms(query: str | None) -> list[str]:
    return [t for t in (query or "").lower().split() if t]


def contains(text: str | None, query: str | None) -> bool:
    """Whether ``text`` holds every term of the query (case-insensitive, like the index)."""
    text = (text or "").lower()
    terms = _terms(query)
    return bool(terms) and all(term in text for term in terms)


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
        if table in SEARCHED_WITHIN_REPORTS:
            rows = [
                row for row in conn.execute(
                    f"SELECT {table}.*, {SEARCHED_WITHIN_REPORTS[table]} AS searched FROM {table} "
                    f"WHERE report_id IN ({REPORTS_MATCHING})", (fts_query(query),),
                )
                if contains(row["searched"], query)
            ]
        else:
            rows = conn.execute(f"SELECT * FROM {table} WHERE id IN ({REPORTS_MATCHING})", (fts_query(query),)).fetchall()
    finally:
        conn.close()
    found = [{k: row[k] for k in row.keys() if k != "searched"} for row in rows]
    for row in found:
        row["score"] = score(row.get("title"), row.get("text") or row.get("subject"), query)
    return sorted(found, key=lambda row: (-row["score"], row["id"]))[:limit]
