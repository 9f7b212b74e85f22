"""Row ids that stay the same when a document is reprocessed.

New rows get the next numbers of their table, never a number a deleted row had, so ids stay
short and dense (the search index stores them as deltas: dense ids keep it small). When a
document's rows are derived again, each new row takes the id of the old row it matches: a report
by its position in the document, a fact, sentence, citation… by its report, its offsets and its
text (``IDENTITY``). Links to ``/reports/reports/<id>``, notes kept elsewhere and foreign tools'
joins therefore survive ``reprocess``.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable

# What names a row within its document (reports) or its report (the others).
IDENTITY = {
    "reports": ("seq",),
    "sections": ("report_id", "start", "end"),
    "sentence_spans": ("report_id", "start", "end"),
    "facts": ("report_id", "start", "end", "raw"),
    "citations": ("report_id", "start", "end", "title"),
    "phrases": ("report_id", "phrase"),
    "people": ("report_id", "name", "source", "start"),
}


def identity(table: str, row) -> tuple:
    return tuple(row[name] for name in IDENTITY[table])


class Ids:
    """Ids for one document's rows: kept ones first, then fresh ones."""

    def __init__(self, allocate: Callable[[str, int], int], kept: dict[str, dict[tuple, list[int]]] | None = None):
        self.allocate = allocate  # (table, count) -> the first of count fresh ids
        self.kept = kept or {}

    @staticmethod
    def of_document(conn: sqlite3.Connection, document_id: str) -> dict[str, dict[tuple, list[int]]]:
        """The ids a document's stored rows have, by identity, to be kept by the rows that replace them."""
        kept: dict[str, dict[tuple, list[int]]] = {}
        reports = "SELECT id FROM reports WHERE document_id = ?"
        for table, names in IDENTITY.items():
            where = "document_id = ?" if table == "reports" else f"report_id IN ({reports})"
            columns = ", ".join(f'"{n}"' for n in names)
            found = defaultdict(list)
            for row in conn.execute(f"SELECT id, {columns} FROM {table} WHERE {where} ORDER BY id", (document_id,)):
                found[tuple(row[1:])].append(row[0])
            kept[table] = found
        return kept

    def give(self, table: str, rows: list[dict]) -> list[dict]:
        """``rows`` with an ``id`` each."""
        kept = self.kept.get(table)
        if not kept:  # a new document: every id is fresh
            first = self.allocate(table, len(rows)) if rows else 0
            return [{"id": id_, **row} for id_, row in enumerate(rows, first)]
        ids = [kept[key].pop(0) if kept.get(key := identity(table, row)) else None for row in rows]
        fresh = sum(1 for i in ids if i is None)
        if fresh:
            first = self.allocate(table, fresh)
            numbers = iter(range(first, first + fresh))
            ids = [i if i is not None else next(numbers) for i in ids]
        return [{"id": id_, **row} for id_, row in zip(ids, rows)]
