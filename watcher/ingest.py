"""Files through the pipeline: checks and read here, the prepare step in the pool, then the
commit step here (the one writer) stores them and moves each where it belongs.

The database is written first and the files moved after, so a crash in between leaves them
in the inbox; taken again on restart, each is recognised by its sha256 as already stored.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from schema.models import Document, IngestLogEntry
from schema.vocabulary import Vocabulary
from watcher.config import Settings
from watcher.corrections import unapplied
from watcher.errors import EnvironmentFault, FileFault, describe, is_environmental
from watcher.extract.keywords import term_counts
from watcher.files import NotAFile, check, move_into, read_regular, stored_name
from watcher.lock import claim, lock_paths
from watcher.originals import Originals
from watcher.pipeline import extractor_version
from watcher.pool import Failed, make_pool
from watcher.prepare import Job, Prepared
from watcher.progress import Progress
from watcher.quarantine import logged_failure, quarantine
from watcher.startup import database_errors, open_store
from watcher.store import Store
from watcher.stream import stream

log = logging.getLogger("report_inbox")


IngestError = FileFault  # the file's fault: quarantined with the message as the reason


@dataclass(frozen=True)
class IngestResult:
    path: Path
    status: str  # ingested, duplicate, replaced, failed, skipped (not a file, or already known), or retry
    detail: str | None = None
    reports: int = 0
    destination: Path | None = None


@dataclass
class Taken:
    """A file read and hashed by the writer's side, on its way through a prepare step."""

    path: Path
    started_at: str
    clock: float
    sha256: str | None = None
    size: int = 0
    data: bytes | None = field(default=None, repr=False)  # kept as the original once stored


@dataclass(frozen=True)
class Skipped:
    reason: str


@dataclass(frozen=True)
class Retry:
    """The machine refused (lock, disk, permission): the file stays for a later attempt."""

    reason: str


ALREADY_STORED = "already stored; moved now"
# A run storing at least this many files, and this share of the documents, compacts the store
# at its end (Store.tidy).
TIDY_AFTER_FILES = 50
TIDY_SHARE = 0.1
WRITER_GC_THRESHOLD = 20_000  # new objects between collections of the youngest generation


class Ingestor:
    """Takes files in two steps: ``take`` (checks, read, hash; in the writer) hands a ``Job`` to the
    prepare pool, and ``commit`` (the one writer) stores finished files in batches, then moves them."""

    def __init__(self, settings: Settings, store: Store, vocabulary: Vocabulary | None = None):
        self.settings = settings
        self.store = store
        self.originals = Originals(settings.originals_dir)
        self.vocabulary = vocabulary or Vocabulary.load(settings.vocabulary)
        self.store.sync_indicators(self.vocabulary)
        self.store.term_counter = lambda text: term_counts(text, self.vocabulary)
        self._pool = None

    @property
    def pool(self):
        """The prepare pool, started on first use."""
        if self._pool is None:
            self._pool = make_pool(self.settings, self.vocabulary)
            # From now on this process unpickles about 100,000 small records per MB, all freed
            # when their batch commits. At the default threshold (700 new objects) the cyclic
            # collector ran every few files and cost a fifth of the writer's process time.
            gc.set_threshold(WRITER_GC_THRESHOLD, *gc.get_threshold()[1:])
        return self._pool

    def warm_up(self) -> None:
        """Start the workers now (each loads the segmenter once), so the first file is not slowed."""
        self.pool.submit(Job("warm-up", "warm-up.txt", text="区人大常委会召开常委会会议3次。"), lambda _: None)

    def tidy(self, stored: int | None = None) -> None:
        """After a bulk run that stored ``stored`` files (None: a reprocess, which rewrote them
        all): compact the store, unless the run was small, or small beside what is stored (the
        compaction costs a pass over the whole index)."""
        self.store.rest()
        if stored is not None and (stored < TIDY_AFTER_FILES or stored < self.store.document_count() * TIDY_SHARE):
            return
        try:
            self.store.tidy()
        except sqlite3.Error as error:  # a reader holding the database: the next run compacts
            log.warning("could not compact the database now: %s", error)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def ingest(self, path: Path, *, skip_known: bool = False) -> IngestResult:
        """Take one file through the pool and the writer."""
        return self.ingest_many([path], skip_known=skip_known)[0]

    def ingest_many(self, paths, *, skip_known: bool = False, progress: bool = False) -> list[IngestResult]:
        """Take many files: prepared in parallel, committed in batches as they finish, in that order."""
        paths = list(paths)
        meter = Progress("ingest", len(paths), sum(map(_size, paths))) if progress and len(paths) > 1 else None

        def commit(items):
            try:
                results = self.commit(items)
            except EnvironmentFault as error:
                results = [IngestResult(taken.path, "retry", str(error)) for taken, _ in items]
            if meter is not None:
                meter.advance(sum(taken.size for taken, _ in items), len(items))
            return results

        try:
            return stream((self._take_or_retry(path, skip_known) for path in paths), self.pool, commit)
        finally:
            if meter is not None:
                meter.close()

    def _take_or_retry(self, path: Path, skip_known: bool):
        try:
            return self.take(path, skip_known=skip_known)
        except EnvironmentFault as error:
            return Taken(path, _now(), time.perf_counter()), Retry(str(error))

    def take(self, path: Path, *, skip_known: bool = False) -> tuple[Taken, Job | Failed | Skipped | None]:
        """The writer's half before preparing: checks, read, hash. ``skip_known`` (the watcher in
        keep-files mode, where the database is the checkpoint) passes silently over bytes already
        stored or already failed. ``None`` means the bytes are stored already: nothing to prepare."""
        taken = Taken(path, _now(), time.perf_counter())
        try:
            data = self._read(path)
        except NotAFile as error:
            return taken, Skipped(str(error))
        except IngestError as error:
            return taken, Failed(str(path), str(error))
        except OSError as error:
            if not os.path.lexists(path):
                return taken, Skipped("file disappeared before it could be read")
            if is_environmental(error):
                raise EnvironmentFault(f"could not read the file: {describe(error)}") from error
            return taken, Failed(str(path), f"could not read the file: {describe(error)}")
        taken.sha256, taken.size = hashlib.sha256(data).hexdigest(), len(data)
        if skip_known and (self.store.document(taken.sha256) or self.store.failed_before(taken.sha256)):
            return taken, Skipped("already handled")
        known = self.store.document(taken.sha256)
        if known and known["path"] == stored_name(path) and self._movable(path):
            # Stored before an interruption (a crash, a refused move): only the move is left.
            return taken, Skipped(ALREADY_STORED)
        if known:
            return taken, None
        taken.data = data
        return taken, Job(str(path), path.name, data=data, keep_original=True)

    def commit(self, items: list[tuple[Taken, Prepared | Failed | Skipped | None]]) -> list[IngestResult]:
        """The one writer: every file of the batch in one transaction, each under its own
        savepoint (all or nothing per file); files are moved only once the batch is committed."""
        try:
            with self.store.batch():
                decided = [self._store(taken, outcome) for taken, outcome in items]
        except sqlite3.Error as error:
            if is_environmental(error):
                raise EnvironmentFault(f"the database refused: {error}") from error
            raise
        results = [self._place(taken, *decision) for (taken, _), decision in zip(items, decided)]
        return results

    def _store(self, taken: Taken, outcome) -> tuple[str, str | None, int]:
        path, sha256 = taken.path, taken.sha256
        if isinstance(outcome, Retry):
            return "retry", outcome.reason, 0
        if isinstance(outcome, Skipped):
            return "skipped", outcome.reason, 0
        if isinstance(outcome, Failed):
            if self._movable(path) and logged_failure(self.store.conn, stored_name(path), sha256, outcome.reason):
                return "failed", outcome.reason, 0  # logged before its move was refused: only the move is left
            return self._log(taken, "failed", outcome.reason)
        if self.store.document(sha256):
            return self._log(taken, "duplicate", "same bytes as a stored document")
        replaces = [d for d in self.store.documents_named(stored_name(path.name)) if d != sha256]
        status = "replaced" if replaces else "ingested"
        document = Document(
            id=sha256, filename=stored_name(path.name), path=stored_name(path), size=taken.size, encoding=outcome.encoding,
            received_at=taken.started_at, text=outcome.text, extractor_version=outcome.extractor_version,
            **outcome.conversion,
        )
        detail = f"{len(outcome.reports)} report(s)" + (
            f", replacing {len(replaces)} older version(s)" if replaces else ""
        )
        try:
            self.originals.put(sha256, taken.data, outcome.original)
        except OSError as error:  # never the file's fault: retried, not quarantined
            raise EnvironmentFault(f"could not keep the original in {self.originals.folder}: {describe(error)}") from error
        try:
            self.store.save(
                document, outcome.reports, self._entry(taken, status, detail), replaces=replaces,
                index=outcome.index or None,
            )
        except sqlite3.Error as error:  # rolled back to the file's savepoint: nothing of it is stored
            if is_environmental(error):
                raise
            return self._log(taken, "failed", f"could not store the records: {error}")
        return status, detail, len(outcome.reports)

    def _log(self, taken: Taken, status: str, detail: str) -> tuple[str, str, int]:
        self.store.log(self._entry(taken, status, detail))
        return status, detail, 0

    def _entry(self, taken: Taken, status: str, detail: str) -> IngestLogEntry:
        return _log_entry(taken.path, taken.sha256, status, detail, taken.started_at, taken.clock)

    def _place(self, taken: Taken, status: str, detail: str | None, reports: int) -> IngestResult:
        """After the commit: stored files go to processed/, failed ones to failed/ with the reason.
        A refused move leaves the file where it is: taken again, only the move is left to do."""
        path, destination = taken.path, None
        try:
            if status == "failed":
                destination = self._quarantine(path, taken.sha256, detail)
            elif status not in ("skipped", "retry") or detail == ALREADY_STORED:
                destination = self._move(path, taken.sha256, self.settings.processed_dir)
        except EnvironmentFault as error:
            log.warning("%s", error)
            return IngestResult(path, "retry", str(error), reports)
        return IngestResult(path, status, detail, reports, destination)

    def reprocess(self, *, progress: bool = False) -> int:
        """Re-derive every document's rows: converted again from its kept original when there is
        one (so converter and repair changes apply too), else from its stored text."""
        self.store.sync_indicators(self.vocabulary)
        self.store.start_reprocess(extractor_version(self.vocabulary))
        texts = list(self.store.stored_documents())
        meter = Progress("reprocess", len(texts), sum(len(t.encode()) for _, _, t in texts)) if progress else None

        def commit(items):
            done = 0
            with self.store.batch():
                for (document_id, size), outcome in items:
                    if isinstance(outcome, Failed):
                        log.warning("kept the old rows of %s: %s", document_id, outcome.reason)
                        continue
                    converted = outcome.conversion and {"text": outcome.text, "encoding": outcome.encoding, **outcome.conversion}
                    self.store.replace_reports(
                        document_id, outcome.reports, outcome.extractor_version, converted=converted,
                        index=outcome.index or None,
                    )
                    done += 1
            if meter is not None:
                meter.advance(sum(size for (_, size), _ in items), len(items))
            return [done]

        jobs = (((d, len(t.encode())), self._reprocess_job(d, name, t)) for d, name, t in texts)
        try:
            count = sum(stream(jobs, self.pool, commit))
            self.store.finish_reprocess(extractor_version(self.vocabulary))
            self.tidy()
            return count
        finally:
            if meter is not None:
                meter.close()

    def _reprocess_job(self, document_id: str, filename: str, text: str) -> Job:
        """The kept original when there is one (converted again, falling back to the stored text
        if that fails), else the stored text."""
        data = self.originals.get(document_id)
        return Job(document_id, filename, data=data, text=text) if data else Job(document_id, filename, text=text)

    def _read(self, path: Path) -> bytes:
        check(os.lstat(path), allow_hard_links=True)  # links and FIFOs are told apart before the name
        return read_regular(
            path, max_size=self.settings.max_file_size, allow_hard_links=self.settings.allow_hard_links
        )

    def _movable(self, path: Path) -> bool:
        """Only files inside the inbox are ever moved; a file named from elsewhere stays put."""
        if self.settings.keep_files:
            return False
        try:
            path.absolute().relative_to(self.settings.inbox.absolute())
        except ValueError:
            return False
        return True

    def _quarantine(self, path: Path, sha256: str | None, reason: str) -> Path | None:
        """The failure is logged already (in the batch), so a refused move loses no reason."""
        if not self._movable(path):
            return None
        self._pause_before_move()
        tag = (sha256 or hashlib.sha256(os.fsencode(path)).hexdigest())[:8]
        try:
            return quarantine(path, self.settings.failed_dir, reason, tag)
        except OSError as error:
            if not os.path.lexists(path):
                return None
            raise EnvironmentFault(f"failed ({reason}), and could not be moved to failed/: {describe(error)}") from error

    def _pause_before_move(self) -> None:
        if self.settings.pause_before_move:  # fault-injection point for the crash tests
            print("moving", flush=True)
            time.sleep(self.settings.pause_before_move)

    def _move(self, path: Path, sha256: str, folder: Path) -> Path | None:
        """Stored files are never quarantined: a refused move is retried, the rows stay."""
        if not self._movable(path):
            return None
        self._pause_before_move()
        try:
            return move_into(path, folder, sha256[:8])
        except OSError as error:
            raise EnvironmentFault(f"stored, but could not be moved to {folder.name}/: {describe(error)}") from error


def _log_entry(path, sha256, status, detail, started_at, clock) -> IngestLogEntry:
    return IngestLogEntry(
        filename=stored_name(path.name), path=stored_name(path), sha256=sha256, status=status, detail=detail,
        started_at=started_at, duration_ms=round((time.perf_counter() - clock) * 1000, 3),
    )


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class IngestSummary:
    results: list[IngestResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self) -> list[IngestResult]:
        return [r for r in self.results if r.status in ("failed", "retry")]

    @property
    def failed(self) -> int:
        return len(self.failures)

    def line(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("ingested", "replaced", "duplicate", "failed")]
        reports = sum(r.reports for r in self.results)
        left = self.count("retry")
        return (
            f"{len(self.results)} file(s): " + ", ".join(parts) + f"; {reports} report(s)"
            + (f"; {left} left in place, the machine refused (try again later)" if left else "")
        )


def expand_paths(paths) -> list[Path]:
    """Files named, and the files inside folders named (hidden and service folders skipped)."""
    from watcher.watch import SERVICE_FOLDERS, is_candidate

    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir() and not path.is_symlink():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SERVICE_FOLDERS)
                files += [Path(root) / n for n in sorted(names) if is_candidate(Path(root) / n, Path(root))]
        else:
            files.append(path)
    return files


def ingest_paths(settings: Settings, paths, *, move: bool = False, progress: bool = False) -> IngestSummary:
    """One-shot ingest. Files stay where they are unless ``move``: then they go to the inbox's
    processed/ and failed/ folders as with the watcher."""
    settings = settings.model_copy(update={"keep_files": not move})
    if move:  # moving files inside the inbox is the watcher's job: not both at once
        with claim("inbox", lock_paths(settings.inbox, settings.db)[0][1], settings.inbox):
            return _ingest_paths(settings, paths, progress)
    return _ingest_paths(settings, paths, progress)


def _ingest_paths(settings: Settings, paths, progress: bool) -> IngestSummary:
    files = expand_paths(paths)
    store = open_store(settings.db)
    try:
        with database_errors(settings.db):
            ingestor = Ingestor(settings, store)
    except BaseException:
        store.close()
        raise
    try:
        summary = IngestSummary(ingestor.ingest_many(files, progress=progress))
        ingestor.tidy(summary.count("ingested") + summary.count("replaced"))
        return summary
    finally:
        ingestor.close()
        store.close()


def reprocess_database(settings: Settings, *, progress: bool = False) -> int:
    store = open_store(settings.db)
    ingestor = Ingestor(settings, store)
    try:
        return ingestor.reprocess(progress=progress)
    finally:
        ingestor.close()
        store.close()


def ingest_status(settings: Settings, limit: int = 10) -> dict:
    store = open_store(settings.db)
    try:
        conn = store.conn
        counts = dict(conn.execute("SELECT status, count(*) FROM ingest_log GROUP BY status ORDER BY status"))
        columns = ("started_at", "filename", "detail")
        failures = [
            dict(zip(columns, row))
            for row in conn.execute(
                "SELECT started_at, filename, detail FROM ingest_log WHERE status = 'failed' "
                "ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        ]
        return {
            "counts": counts, "reports": store.report_count(), "failures": failures,
            "unapplied_corrections": unapplied(conn),
        }
    finally:
        store.close()
