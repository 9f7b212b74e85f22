"""Maps records to tables. One ``Store`` owns one SQLite connection; each document's rows are
written in a single transaction, so a crash leaves all of a file's records or none."""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from schema.models import Document, Extraction, IngestLogEntry, Report
from schema.tables import migrate
from schema.vocabulary import Vocabulary
from watcher.search import bigrams

# Tables holding one report's extracted rows, children before parents for deletion.
REPORT_CHILDREN = ("facts", "citations", "sentences", "sections", "phrases", "keywords", "people")


class Store:
    def __init__(self, path: Path | str, *, pause_before_commit: float = 0.0):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are opened explicitly with BEGIN, so no library
        # call can commit half of a document behind our back.
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db = sqlite_utils.Database(self.conn)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=5000")
        migrate(self.db)
        self.path = path
        self.pause_before_commit = pause_before_commit

    def close(self) -> None:
        self.conn.close()

    # -- reading -------------------------------------------------------------------------

    def document(self, sha256: str) -> dict | None:
        row = self.conn.execute(
            "SELECT id, filename, path FROM documents WHERE id = ?", (sha256,)
        ).fetchone()
        return dict(zip(("id", "filename", "path"), row)) if row else None

    def documents_named(self, filename: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE filename = ?", (filename,))]

    def failed_before(self, sha256: str) -> bool:
        """Whether the newest log row for these bytes is a failure (keep-files mode skips them)."""
        row = self.conn.execute(
            "SELECT status FROM ingest_log WHERE sha256 = ? ORDER BY id DESC LIMIT 1", (sha256,)
        ).fetchone()
        return bool(row and row[0] == "failed")

    def stored_texts(self) -> Iterator[tuple[str, str]]:
        yield from self.conn.execute("SELECT id, text FROM documents ORDER BY received_at, id")

    def stored_documents(self) -> Iterator[tuple[str, str, str]]:
        """(id, filename, text) of every document, oldest first."""
        yield from self.conn.execute("SELECT id, filename, text FROM documents ORDER BY received_at, id")

    def report_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM reports").fetchone()[0]

    def corpus_idf(self, segment, min_reports: int = 50) -> dict[str, float] | None:
        """IDF of terms over the stored reports, once there are enough of them to be meaningful."""
        total = self.report_count()
        if total < min_reports:
            return None
        frequency: dict[str, int] = {}
        for (text,) in self.conn.execute("SELECT text FROM reports"):
            for term in set(segment(text or "")):
                frequency[term] = frequency.get(term, 0) + 1
        return {term: math.log(total / (1 + n)) + 1 for term, n in frequency.items()}

    # -- writing -------------------------------------------------------------------------

    def save(
        self,
        document: Document,
        reports: list[tuple[Report, Extraction]],
        log: IngestLogEntry,
        replaces: list[str] = (),
    ) -> None:
        """Store a document with its reports (replacing older versions) and its log row, atomically."""
        with self._transaction():
            for old in replaces:
                self._delete_document(old)
            self.conn.execute(
                "INSERT INTO documents (id, filename, path, size, encoding, format, received_at, text, "
                "extractor_version, converter, converter_version, title, published_on) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id, document.filename, document.path, document.size, document.encoding,
                    document.format, document.received_at, document.text, document.extractor_version,
                    document.converter, document.converter_version, document.title, document.published_on,
                ),
            )
            self._insert_reports(document.id, reports)
            self._insert_log(log)

    def replace_reports(
        self, document_id: str, reports: list[tuple[Report, Extraction]], extractor_version: str,
        converted: dict | None = None,
    ) -> None:
        """Re-derive one document's rows from its stored text (after an extractor or vocabulary change);
        ``converted`` holds new documents columns (text, format, converter …) from converting it again."""
        with self._transaction():
            if converted:
                assignments = ", ".join(f"{column} = ?" for column in converted)
                self.conn.execute(
                    f"UPDATE documents SET {assignments} WHERE id = ?", (*converted.values(), document_id)
                )
            self._delete_reports(document_id)
            self._insert_reports(document_id, reports)
            self.conn.execute(
                "UPDATE documents SET extractor_version = ? WHERE id = ?", (extractor_version, document_id)
            )

    def log(self, entry: IngestLogEntry) -> None:
        with self._transaction():
            self._insert_log(entry)

    def sync_indicators(self, vocabulary: Vocabulary) -> None:
        """Make the indicators table match the vocabulary file; facts keep only known keys."""
        rows = [i.model_dump() for i in vocabulary.indicators]
        keys = [r["key"] for r in rows]
        with self._transaction():
            self.conn.execute(
                f"UPDATE facts SET indicator = NULL WHERE indicator NOT IN ({','.join('?' * len(keys))})",
                keys,
            )
            self.conn.execute(
                f"DELETE FROM indicators WHERE key NOT IN ({','.join('?' * len(keys))})", keys
            )
            self.conn.executemany(
                "INSERT INTO indicators (key, label_zh, label_en, unit, category, description) "
                "VALUES (:key, :label_zh, :label_en, :unit, :category, :description) "
                "ON CONFLICT(key) DO UPDATE SET label_zh = excluded.label_zh, label_en = excluded.label_en, "
                "unit = excluded.unit, category = excluded.category, description = excluded.description",
                rows,
            )

    # -- internals -----------------------------------------------------------------------

    def _transaction(self):
        store = self

        class _Transaction:
            def __enter__(self):
                store.conn.execute("BEGIN IMMEDIATE")

            def __exit__(self, kind, value, tb):
                if kind is None:
                    if store.pause_before_commit:
                        # Fault-injection point: lets the crash test kill the process here.
                        print("committing", flush=True)
                        time.sleep(store.pause_before_commit)
                    store.conn.execute("COMMIT")
                else:
                    store.conn.execute("ROLLBACK")
                return False

        return _Transaction()

    def _insert_log(self, entry: IngestLogEntry) -> None:
        self.conn.execute(
            "INSERT INTO ingest_log (filename, path, sha256, status, detail, started_at, duration_ms) "
            "VALUES (:filename, :path, :sha256, :status, :detail, :started_at, :duration_ms)",
            entry.model_dump(),
        )

    def _delete_document(self, document_id: str) -> None:
        self._delete_reports(document_id)
        self.conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def _delete_reports(self, document_id: str) -> None:
        ids = "SELECT id FROM reports WHERE document_id = ?"
        for table in REPORT_CHILDREN:
            self.conn.execute(f"DELETE FROM {table} WHERE report_id IN ({ids})", (document_id,))
        self.conn.execute("DELETE FROM reports WHERE document_id = ?", (document_id,))

    def _insert_reports(self, document_id: str, reports: list[tuple[Report, Extraction]]) -> None:
        known = {r[0] for r in self.conn.execute("SELECT key FROM indicators")}
        for report, extraction in reports:
            report_id = self._insert(
                "reports",
                {
                    "document_id": document_id,
                    **report.model_dump(exclude={"people"}),
                    "title_bigrams": bigrams(report.title),
                    "text_bigrams": bigrams(report.text),
                },
            )
            section_ids = {
                s.seq: self._insert("sections", {"report_id": report_id, **s.model_dump()})
                for s in extraction.sections
            }
            sentence_ids = {}
            for s in extraction.sentences:
                row = s.model_dump(exclude={"section_seq"})
                row |= {
                    "report_id": report_id,
                    "section_id": section_ids.get(s.section_seq),
                    "text_bigrams": bigrams(s.text),
                }
                sentence_ids[s.seq] = self._insert("sentences", row)
            for fact in extraction.facts:
                row = fact.model_dump(exclude={"sentence_seq"})
                row |= {"report_id": report_id, "sentence_id": sentence_ids.get(fact.sentence_seq)}
                if row["indicator"] not in known:
                    row["indicator"] = None
                row["approx"] = int(row["approx"])
                self._insert("facts", row)
            for citation in extraction.citations:
                row = citation.model_dump(exclude={"sentence_seq"})
                row |= {"report_id": report_id, "sentence_id": sentence_ids.get(citation.sentence_seq)}
                self._insert("citations", row)
            for phrase in extraction.phrases:
                self._insert("phrases", {"report_id": report_id, **phrase.model_dump()})
            for keyword in extraction.keywords:
                self._insert("keywords", {"report_id": report_id, **keyword.model_dump()})
            for person in _merge_people(report.people, extraction.people):
                self._insert("people", {"report_id": report_id, **person.model_dump()})

    def _insert(self, table: str, row: dict) -> int:
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" * len(row))
        cursor = self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        return cursor.lastrowid


def _merge_people(bylines, mentioned):
    """Bylines first; a name the text also mentions is listed once."""
    seen = {p.name for p in bylines}
    return list(bylines) + [p for p in mentioned if p.name not in seen and not seen.add(p.name)]
