"""Chinese full-text search with SQLite's stock FTS5 tokenizer.

unicode61 sees a run of Han characters as one token, so 代表 never matches 人大代表大会. The
index therefore stores a shadow column of overlapping character bigrams (民生实事 → 民生 生实
实事 事) and queries become phrases of adjacent bigrams, which gives substring semantics. The
final single character of each run lets a one-character query work as a prefix match. Digits
are indexed one by one for the same reason (2023 → 2 0 2 3); Latin words stay whole.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

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


INDEXES = {"reports": "reports_fts", "sentences": "sentences_fts"}


def search(db_path: str | Path, query: str, table: str = "reports", limit: int = 20) -> list[dict]:
    """Search from Python: rows of ``reports`` or ``sentences`` containing ``query``, best first
    (for reports, a hit in the title weighs ten times one in the text)."""
    index = INDEXES[table]
    weights = "10.0, 1.0" if table == "reports" else "1.0"
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            f"SELECT {table}.*, bm25({index}, {weights}) AS rank FROM {index} "
            f"JOIN {table} ON {table}.rowid = {index}.rowid "
            f"WHERE {index} MATCH ? ORDER BY rank LIMIT ?",
            (fts_query(query), limit),
        ).fetchall()
        return [{k: row[k] for k in row.keys() if not k.endswith("_bigrams")} for row in rows]
    finally:
        conn.close()
