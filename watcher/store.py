"""Maps records to tables. One ``Store`` owns one SQLite connection; each document's rows are
written all-or-nothing, so a crash leaves all of a file's records or none.

Several files can share one transaction (``with store.batch(): ...``), each still all-or-nothing
through its own SAVEPOINT. Rows are inserted with executemany, under ids derived from the
document and the position (``watcher.ids``), and the search index is written beside them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from schema.models import Document, Extraction, IngestLogEntry, Report
from schema.tables import SEARCH_INDEXES, migrate
from schema.vocabulary import Vocabulary
from watcher import corrections, dedupe
from watcher.cache import WriterCache
from watcher.extract.keywords import CORPUS_MIN_DOCUMENTS, corpus_idf, default_idf, rank_keywords
from watcher.ids import Ids
from watcher.search import index_values, indexed_rows, insert_into_index, remove_from_index
from watcher.staging import Staged
from watcher.texts import between, whole

# Tables holding one report's extracted rows, children before parents for deletion.
REPORT_CHILDREN = ("facts", "citations", "sentence_spans", "sections", "phrases", "keywords", "people")

class Store:
    def __init__(self, path: Path | str, *, pause_before_commit: float = 0.0):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are opened explicitly with BEGIN, so no library
        # call can commit half of a document behind our back.
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db = sqlite_utils.Database(self.conn)
        # Texts of a few kB pack better into 8 kB pages, and pages the search index frees as it
        # merges can be given back (``tidy``). Both take effect only on a new file.
        self.conn.execute("PRAGMA page_size = 8192")
        self.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=5000")
        # A batch touches more pages than the default 2 MB cache holds; savepoint journals stay in memory.
        self.conn.execute("PRAGMA cache_size=-32768")
        self.conn.execute("PRAGMA temp_store=MEMORY")
        migrate(self.db)
        self.path = path
        self.pause_before_commit = pause_before_commit
        self.in_batch = False
        self._savepoints = 0
        self._recounting = False
        # Index rows and term counts waiting for COMMIT (``watcher.staging``): the batch's, and the
        # file's whose savepoint is open.
        self._batch_stage: Staged | None = None
        self._stage: Staged | None = None
        # Terms of a stored text (set by the ingestor, which has the vocabulary): lets a replaced
        # document's terms leave the document frequencies. Without it they stay counted.
        self.term_counter: Callable[[str], Iterable[str]] | None = None
        self.cache = WriterCache(self.conn)

    def close(self) -> None:
        """Fold the write-ahead log into the .db file first, so the file alone is complete."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # a reader still holds the log; SQLite folds it in when the last connection closes
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
        ids = [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY received_at, id")]
        for document_id in ids:
            yield document_id, self.document_text(document_id)

    def document_text(self, document_id: str) -> str | None:
        """A document's repaired text: stored whole, or put back together from its reports."""
        row = self.conn.execute(
            "SELECT text, text_outside_reports FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None or row[0] is not None or row[1] is None:
            return row[0] if row else None
        return whole(row[1], self.conn.execute('SELECT start, text FROM reports WHERE document_id = ?', (document_id,)))

    def stored_documents(self) -> Iterator[tuple[str, str, str]]:
        """(id, filename, text) of every document, oldest first."""
        rows = list(self.conn.execute("SELECT id, filename FROM documents ORDER BY received_at, id"))
        for document_id, filename in rows:
            yield document_id, filename, self.document_text(document_id)

    def document_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def report_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM reports").fetchone()[0]

    def report_texts(self, document_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT text FROM reports WHERE document_id = ?", (document_id,))]

    def corpus_documents(self) -> int:
        """How many documents the keyword term frequencies count (staged changes included)."""
        return int(self._state("documents") or 0) + sum(stage.documents for stage in self._stages())

    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many documents hold each of ``terms``, changes not yet committed included."""
        self._fresh()
        counts = self.cache.frequencies_of(terms, [stage.terms for stage in self._stages()])
        return {term: count for term, count in counts.items() if count > 0}

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def batch(self):
        """One transaction for several files: ``with store.batch(): store.save(...); ...``. Each
        file stays all-or-nothing; a failed file is rolled back alone and the others commit."""
        if self.in_batch:
            yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self.cache.check()
        self.in_batch = True
        self._batch_stage = Staged(SEARCH_INDEXES)
        try:
            yield self
            self._write_staged(self._batch_stage)
        except BaseException:
            self._rollback()
            raise
        else:
            self._commit()
        finally:
            self.in_batch = False
            self._batch_stage = None

    def save(
        self,
        document: Document,
        reports: list[tuple[Report, Extraction]],
        log: IngestLogEntry,
        replaces: list[str] = (),
        index: dict[str, list[tuple]] | None = None,
    ) -> None:
        """Store a document with its reports (replacing older versions) and its log row, atomically.
        ``index``: the search rows built by the prepare step (``search.index_tokens``); without
        it they are built here."""
        with self._transaction():
            for old in replaces:
                self._delete_document(old)
            corrections.carry_over(self.conn, replaces, document.id)
            if self._state("frequencies_version") is None:
                self._set_state("frequencies_version", document.extractor_version)
            outside = between(document.text, [(r.start, r.end, r.text) for r, _ in reports])
            self.conn.execute(
                "INSERT INTO documents (id, filename, path, size, encoding, format, received_at, text, "
                "text_outside_reports, extractor_version, converter, converter_version, title, published_on) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id, document.filename, document.path, document.size, document.encoding,
                    document.format, document.received_at, document.text if outside is None else None, outside,
                    document.extractor_version, document.converter, document.converter_version, document.title,
                    document.published_on,
                ),
            )
            self._count_terms(reports, +1)
            indexed = self._insert_reports(document.id, reports, Ids(self.cache.allocate))
            dedupe.settle(self.conn)
            for table, rows in indexed.items():
                self._stage.add(table, index_values(table, rows, index[table] if index else None))
            corrections.apply(self.conn, document.id, document.extractor_version)
            self._insert_log(log)

    def replace_reports(
        self, document_id: str, reports: list[tuple[Report, Extraction]], extractor_version: str,
        converted: dict | None = None, index: dict[str, list[tuple]] | None = None,
    ) -> None:
        """Re-derive one document's rows from its stored text (after an extractor or vocabulary
        change). Rows that come out the same keep their ids; unchanged text is not re-indexed.
        ``converted`` holds documents columns (text, format, converter …) from converting the
        original again; its text replaces the stored one. ``index`` as for ``save``."""
        with self._transaction():
            text = converted["text"] if converted else self.document_text(document_id)
            if converted:
                columns = {k: v for k, v in converted.items() if k != "text"}
                assignments = ", ".join(f"{column} = ?" for column in columns)
                self.conn.execute(
                    f"UPDATE documents SET {assignments} WHERE id = ?", (*columns.values(), document_id)
                )
            before = self._indexed(document_id)
            ids = Ids(self.cache.allocate, Ids.of_document(self.conn, document_id))
            self._delete_reports(document_id)
            if self._recounting:
                self._count_terms(reports, +1)
            after = self._insert_reports(document_id, reports, ids)
            dedupe.settle(self.conn)
            for table in SEARCH_INDEXES:
                old, new = set(before[table]), set(after[table])
                self._unindex(table, [row for row in before[table] if row not in new])
                fresh = [i for i, row in enumerate(after[table]) if row not in old]
                self._stage.add(table, index_values(
                    table, [after[table][i] for i in fresh], [index[table][i] for i in fresh] if index else None,
                ))
            outside = between(text or "", [(r.start, r.end, r.text) for r, _ in reports])
            self.conn.execute(
                "UPDATE documents SET extractor_version = ?, text = ?, text_outside_reports = ? WHERE id = ?",
                (extractor_version, text if outside is None else None, outside, document_id),
            )
            corrections.apply(self.conn, document_id, extractor_version)

    def start_reprocess(self, extractor_version: str) -> None:
        """Before a reprocess: when the rules that cut terms changed, count every document's
        terms again as it is redone (unchanged rules leave the counts as they are)."""
        self._recounting = self._state("frequencies_version") != extractor_version
        if self._recounting:
            with self._transaction():
                self.conn.execute("DELETE FROM document_frequencies")
                self.cache.forget_frequencies()
                self._set_state("documents", 0)

    def finish_reprocess(self, extractor_version: str) -> None:
        if self._recounting:
            with self._transaction():
                self._set_state("frequencies_version", extractor_version)
        self._recounting = False

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

    def rest(self) -> None:
        """After a bulk run: give back what the writer held for it (remembered frequencies,
        SQLite's page cache), so a service at rest stays small."""
        self.cache.forget()
        self.conn.execute("PRAGMA shrink_memory")

    def tidy(self) -> None:
        """After a bulk run: merge the search index into one segment (each batch adds one, and
        until merged they repeat the index's terms), then give the freed pages back to the disk.
        Costs a pass over the index, so it is for the end of a run that added much, not per file."""
        with self._transaction():
            for table in SEARCH_INDEXES:
                self.conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
        # executescript steps the pragma to its end; execute would free a single page
        self.conn.executescript("PRAGMA incremental_vacuum")

    # -- internals -----------------------------------------------------------------------

    @contextmanager
    def _transaction(self):
        """One file's writes: a transaction of its own, or a savepoint inside a batch. Its index
        rows and term counts are staged (``self._stage``) and written just before COMMIT."""
        self._stage = Staged(SEARCH_INDEXES)
        try:
            if self.in_batch:
                self._savepoints += 1
                name = f"file_{self._savepoints}"
                self.conn.execute(f"SAVEPOINT {name}")
                try:
                    yield
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                    self.cache.forget_state()  # fresh ids stay given out: a gap is harmless
                    self.cache.uncount(self._stage.terms)
                    raise
                self.conn.execute(f"RELEASE {name}")
                self._batch_stage.absorb(self._stage)
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self.cache.check()
            try:
                yield
                self._write_staged(self._stage)
            except BaseException:
                self._rollback()
                raise
            self._commit()
        finally:
            self._stage = None

    def _stages(self) -> list[Staged]:
        return [stage for stage in (self._batch_stage, self._stage) if stage is not None]

    def _unindex(self, table: str, rows: list[tuple]) -> None:
        """Take rows out of the index: unstaged if not written yet, else deleted from it."""
        outer = self._batch_stage if self.in_batch else None
        remove_from_index(self.conn, table, self._stage.remove(table, rows, outer))

    def _write_staged(self, stage: Staged) -> None:
        for table in SEARCH_INDEXES:
            insert_into_index(self.conn, table, stage.rows(table))
        changes = [(term, change) for term, change in stage.terms.items() if change]
        self.conn.executemany(
            "INSERT INTO document_frequencies (term, documents) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET documents = documents + excluded.documents",
            changes,
        )
        fallen = [term for term, change in changes if change < 0]
        if fallen:
            self.conn.execute(
                "DELETE FROM document_frequencies WHERE term IN (SELECT value FROM json_each(?)) AND documents <= 0",
                (json.dumps(fallen, ensure_ascii=False),),
            )
        if stage.documents:
            self._set_state("documents", max(0, int(self._state("documents") or 0) + stage.documents))
        self.cache.write_ids()

    def _commit(self) -> None:
        if self.pause_before_commit:
            # Fault-injection point: lets the crash test kill the process here.
            print("committing", flush=True)
            time.sleep(self.pause_before_commit)
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.cache.forget()

    def _state(self, key: str):
        self._fresh()
        return self.cache.get_state(key)

    def _fresh(self) -> None:
        """Outside a transaction another connection may have committed since the last look (inside
        one, BEGIN IMMEDIATE has looked and holds the write lock)."""
        if not self.conn.in_transaction:
            self.cache.check()

    def _set_state(self, key: str, value) -> None:
        self.cache.set_state(key, value)

    def _count_terms(self, reports: list[tuple[Report, Extraction]], change: int) -> None:
        """Add (or take away) one document's distinct terms to the document frequencies."""
        self._count(set().union(*(extraction.terms for _, extraction in reports)) if reports else set(), change)

    def _count(self, terms: set[str], change: int) -> None:
        self._stage.count(terms, change)
        self.cache.count(terms, change)

    def _keywords(self, extractions: list[Extraction]) -> list[list]:
        """Each report's keywords, ranked against an IDF table looked up once for the whole
        document (a document can hold a thousand reports)."""
        unranked = [e.terms for e in extractions if not e.keywords and e.terms]
        if not unranked:
            return [e.keywords for e in extractions]
        wanted = set().union(*unranked)
        documents = self.corpus_documents()
        corpus = None
        if documents >= CORPUS_MIN_DOCUMENTS:
            corpus = corpus_idf(self.term_frequencies(wanted), documents)
        default = None
        ranked = []
        for extraction in extractions:
            if extraction.keywords or not extraction.terms:
                ranked.append(extraction.keywords)
                continue
            if corpus and not corpus.keys().isdisjoint(extraction.terms):
                ranked.append(rank_keywords(extraction.terms, corpus))
                continue
            if default is None:
                default = default_idf(wanted)
            ranked.append(rank_keywords(extraction.terms, default=default))
        return ranked

    def _insert_log(self, entry: IngestLogEntry) -> None:
        self.conn.execute(
            "INSERT INTO ingest_log (filename, path, sha256, status, detail, started_at, duration_ms) "
            "VALUES (:filename, :path, :sha256, :status, :detail, :started_at, :duration_ms)",
            entry.model_dump(),
        )

    def _delete_document(self, document_id: str) -> None:
        if self.term_counter is not None:
            terms = set()
            for text in self.report_texts(document_id):
                terms.update(self.term_counter(text))
            self._count(terms, -1)
        for table, rows in self._indexed(document_id).items():
            self._unindex(table, rows)
        self._delete_reports(document_id)
        self.conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def _indexed(self, document_id: str) -> dict[str, list[tuple]]:
        """A document's rows as the search indexes hold them: (id, *indexed values)."""
        return {table: indexed_rows(self.conn, table, document_id) for table in SEARCH_INDEXES}

    def _delete_reports(self, document_id: str) -> None:
        dedupe.release(self.conn, document_id)
        ids = "SELECT id FROM reports WHERE document_id = ?"
        for table in REPORT_CHILDREN:
            self.conn.execute(f"DELETE FROM {table} WHERE report_id IN ({ids})", (document_id,))
        self.conn.execute("DELETE FROM reports WHERE document_id = ?", (document_id,))

    def _insert_reports(
        self, document_id: str, reports: list[tuple[Report, Extraction]], ids: Ids
    ) -> dict[str, list[tuple]]:
        """Insert the reports and their rows; returns what the search index must hold for them."""
        known = {r[0] for r in self.conn.execute("SELECT key FROM indicators")}
        report_rows = ids.give(
            "reports", [{"document_id": document_id, **report.model_dump(exclude={"people"})} for report, _ in reports]
        )
        report_ids = [r["id"] for r in report_rows]
        self._insert_many("reports", report_rows)
        children: dict[str, list[dict]] = {table: [] for table in REPORT_CHILDREN}
        sections = ids.give("sections", [
            _row(s, report_id=report_id)
            for report_id, (_, extraction) in zip(report_ids, reports)
            for s in extraction.sections
        ])
        section_ids = {(r["report_id"], r["seq"]): r["id"] for r in sections}
        sentences = ids.give("sentence_spans", [
            _row(s, ("section_seq", "text"), report_id=report_id, section_id=section_ids.get((report_id, s.section_seq)))
            for report_id, (_, extraction) in zip(report_ids, reports)
            for s in extraction.sentences
        ])
        sentence_ids = {(r["report_id"], r["seq"]): r["id"] for r in sentences}
        keywords = self._keywords([extraction for _, extraction in reports])
        for report_id, (report, extraction), ranked in zip(report_ids, reports, keywords):
            for fact in extraction.facts:
                row = _row(fact, ("sentence_seq",), report_id=report_id,
                           sentence_id=sentence_ids.get((report_id, fact.sentence_seq)))
                if row["indicator"] not in known:
                    row["indicator"] = None
                row["approx"] = int(row["approx"])
                children["facts"].append(row)
            children["citations"] += [
                _row(c, ("sentence_seq",), report_id=report_id, sentence_id=sentence_ids.get((report_id, c.sentence_seq)))
                for c in extraction.citations
            ]
            children["phrases"] += [_row(p, report_id=report_id) for p in extraction.phrases]
            children["people"] += [
                _row(p, report_id=report_id) for p in _merge_people(report.people, extraction.people)
            ]
            children["keywords"] += [_row(k, report_id=report_id) for k in ranked]
        self._insert_many("sections", sections)
        self._insert_many("sentence_spans", sentences)
        facts = ids.give("facts", children["facts"])
        self._insert_many("facts", facts)
        for table in ("citations", "phrases", "people"):
            self._insert_many(table, ids.give(table, children[table]))
        for report_id, (report, extraction) in zip(report_ids, reports):
            dedupe.link(self.conn, report_id, report, extraction.signature)
        self._insert_many("keywords", children["keywords"])
        return {"reports": [(r["id"], r["title"], r["text"]) for r in report_rows]}

    def _insert_many(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})", [[row[c] for c in columns] for row in rows]
        )


def _row(record, exclude: tuple[str, ...] = (), **parent) -> dict:
    """``parent`` columns, then the record's fields but ``exclude``: ``model_dump`` without its
    serializer, which these records of plain values do not need and which cost as much as the
    inserts."""
    row = {**parent, **record.__dict__}
    for name in exclude:
        del row[name]
    return row


def _merge_people(bylines, mentioned):
    """Bylines first; a name the text also mentions is listed once."""
    seen = {p.name for p in bylines}
    return list(bylines) + [p for p in mentioned if p.name not in seen and not seen.add(p.name)]
