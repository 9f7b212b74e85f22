"""Row ids that stay the same when a document is reprocessed or its bytes are ingested again.

A report's id is derived from its document's sha256 and its position in the document; a fact's,
sentence's, citation's… from its report's id, its kind, its offsets and its text. Links to
``/reports/reports/<id>``, notes kept elsewhere and foreign tools' joins therefore survive
``reprocess`` and a rebuild of the database from the same files. Ids stay below 2**53 so that
JavaScript reads them exactly. In the rare case two rows derive the same id, the later one takes
the next free number.
"""

from __future__ import annotations

import hashlib
import sqlite3

BITS = 48


def stable_id(*parts: object) -> int:
    """A positive integer below 2**48 named by ``parts``."""
    key = "\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") >> (64 - BITS) or 1


def assign(conn: sqlite3.Connection, table: str, wanted: list[int]) -> list[int]:
    """The ids to use for new rows of ``table``: each wanted id, or the next free one when it is
    taken by a stored row or by an earlier row of the same batch."""
    taken = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        taken.update(
            r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        )
    used: set[int] = set()
    out = []
    for id_ in wanted:
        while id_ in used or id_ in taken:
            id_ += 1
            if id_ not in used and conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (id_,)).fetchone():
                taken.add(id_)
        used.add(id_)
        out.append(id_)
    return out
