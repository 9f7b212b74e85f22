"""Search-index rows and document-frequency changes held back until the transaction commits.

FTS5 writes the terms it holds in memory out as a new index segment at every savepoint
boundary. Indexing each file inside its own savepoint therefore wrote a segment per file, and
merging those segments was most of the writer's time. The store stages a file's index rows and
term counts while the file's savepoint is open, hands them to the batch when the savepoint is
released (a rollback simply drops them), and writes the whole batch's at once before COMMIT.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


class Staged:
    """What one file (or one batch of files) will add to the indexes and frequencies."""

    def __init__(self, tables: Iterable[str]):
        self.index: dict[str, dict[int, tuple]] = {table: {} for table in tables}  # rowid -> indexed values
        self.dropped: dict[str, set[int]] = {table: set() for table in self.index}  # rowids staged by the batch
        self.terms: Counter[str] = Counter()  # change in document frequency per term
        self.documents = 0  # change in the number of documents counted

    def add(self, table: str, values: Iterable[Sequence]) -> None:
        for row in values:
            self.index[table][row[0]] = tuple(row)

    def remove(self, table: str, rows: Iterable[Sequence], outer: Staged | None) -> list[Sequence]:
        """Unstage ``rows``; returns those already in the index, which the caller deletes there."""
        indexed = []
        for row in rows:
            if self.index[table].pop(row[0], None) is not None:
                continue
            if outer is not None and row[0] in outer.index[table]:
                self.dropped[table].add(row[0])
            else:
                indexed.append(row)
        return indexed

    def count(self, terms: Iterable[str], change: int) -> None:
        """One document's distinct ``terms`` counted in (``change`` 1) or out (-1)."""
        (self.terms.update if change > 0 else self.terms.subtract)(terms)
        self.documents += change

    def absorb(self, inner: Staged) -> None:
        """A file's savepoint was released: its staged writes join the batch's."""
        for table, rowids in inner.dropped.items():
            for rowid in rowids:
                self.index[table].pop(rowid, None)
        for table, rows in inner.index.items():
            self.index[table].update(rows)
        self.terms.update(inner.terms)
        self.documents += inner.documents

    def rows(self, table: str) -> list[tuple]:
        """The rows to index, in rowid order (FTS5 appends ascending rowids most cheaply)."""
        return [self.index[table][rowid] for rowid in sorted(self.index[table])]
