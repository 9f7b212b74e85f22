"""What the one writer remembers between its statements: the next free id of each table, the
corpus state and the document frequencies it has looked up. Each would otherwise cost a query
per file, the frequencies one per report.

It is right only while no other connection writes. ``check`` runs at the start of every
transaction and forgets everything when SQLite's data_version moved (it changes when another
connection commits); the store forgets what a rollback undid.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

GET_STATE = "SELECT value FROM corpus_state WHERE key = ?"
SET_STATE = "INSERT INTO corpus_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"


class WriterCache:
    def __init__(self, conn: sqlite3.Connection, frequency_limit: int = 100_000):
        self.conn = conn
        self.frequency_limit = frequency_limit  # terms remembered (about 100 bytes each)
        self._version = None
        self.forget()

    def forget(self) -> None:
        self.next_ids: dict[str, int] = {}
        self._unwritten_ids: set[str] = set()
        self.forget_state()
        self.forget_frequencies()

    def forget_state(self) -> None:
        self.state: dict[str, object] = {}

    def forget_frequencies(self) -> None:
        self.frequencies: dict[str, int] = {}  # document frequencies, staged changes included

    def check(self) -> None:
        """At the start of a transaction: forget everything if another connection committed."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self.forget()
            self._version = version

    # -- ids ---------------------------------------------------------------------------------

    def allocate(self, table: str, count: int) -> int:
        """The first of ``count`` fresh ids of ``table``: never one a row had, deleted or not."""
        first = self.next_ids.get(table)
        if first is None:
            row = self.conn.execute(GET_STATE, (f"next_id:{table}",)).fetchone()
            highest = self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
            first = max(int(row[0]) if row else 1, highest + 1)
        self.next_ids[table] = first + count
        self._unwritten_ids.add(table)
        return first

    def write_ids(self) -> None:
        """Before COMMIT: record the next ids, so no later writer gives out a deleted row's id."""
        self.conn.executemany(
            SET_STATE,
            [(f"next_id:{table}", self.next_ids[table]) for table in sorted(self._unwritten_ids)],
        )
        self._unwritten_ids.clear()

    # -- corpus state ------------------------------------------------------------------------

    def get_state(self, key: str):
        if key not in self.state:
            row = self.conn.execute(GET_STATE, (key,)).fetchone()
            self.state[key] = row[0] if row else None
        return self.state[key]

    def set_state(self, key: str, value) -> None:
        self.conn.execute(
            SET_STATE,
            (key, value),
        )
        self.state[key] = value

    # -- document frequencies ----------------------------------------------------------------

    def frequencies_of(self, terms: Iterable[str], pending: Iterable[Mapping[str, int]] = ()) -> dict[str, int]:
        """Document frequencies of ``terms`` as this connection sees them: stored, plus the
        changes ``pending`` (staged, not yet written) for the terms not remembered yet."""
        terms, known = list(terms), self.frequencies
        missing = [term for term in terms if term not in known]
        if missing and len(known) + len(missing) > self.frequency_limit:
            known.clear()
            missing = terms
        if missing:
            stored = dict(self.conn.execute(
                "SELECT term, documents FROM document_frequencies WHERE term IN (SELECT value FROM json_each(?))",
                (json.dumps(missing, ensure_ascii=False),),
            ))
            wanted = set(missing)
            for changes in pending:
                for term in changes.keys() & wanted:
                    stored[term] = stored.get(term, 0) + changes[term]
            for term in missing:
                known[term] = stored.get(term, 0)
        return {term: known[term] for term in terms}

    def count(self, terms: Iterable[str], change: int) -> None:
        """A document's distinct ``terms`` counted in (``change`` 1) or out (-1): remembered
        frequencies follow at once, so they always include what is staged."""
        known = self.frequencies
        for term in terms:
            if term in known:
                known[term] += change

    def uncount(self, changes: Mapping[str, int]) -> None:
        """A savepoint rolled back: its staged frequency ``changes`` never happened."""
        known = self.frequencies
        for term, change in changes.items():
            if term in known:
                known[term] -= change
