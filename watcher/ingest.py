"""One file through the pipeline: checks, read, extract, store, then move it where it belongs.

The database is written first and the file moved after, so a crash in between leaves the file
in the inbox; taken again on restart, it is recognised by its sha256 as already stored.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from schema.models import Document, IngestLogEntry
from schema.vocabulary import Vocabulary
from watcher.config import Settings
from watcher.extract.keywords import term_counts
from watcher.errors import EnvironmentFault, FileFault, describe, is_environmental
from watcher.files import NotAFile, check, move_into, read_regular, stored_name
from watcher.originals import Originals
from watcher.pipeline import ConversionError, extract_reports, extractor_version, read_document
from watcher.quarantine import logged_failure, quarantine
from watcher.retry import retrying
from watcher.startup import database_errors, open_store
from watcher.store import Store

logger = logging.getLogger(__name__)


IngestError = FileFault  # the file's fault: quarantined with the message as the reason


@dataclass(frozen=True)
class IngestResult:
    path: Path
    status: str  # ingested, duplicate, replaced, failed, skipped (not a file, or already known), or retry
    detail: str | None = None
    reports: int = 0
    destination: Path | None = None


class Ingestor:
    def __init__(self, settings: Settings, store: Store, vocabulary: Vocabulary | None = None):
        self.settings = settings
        self.store = store
        self.originals = Originals(settings.originals_dir)
        self.vocabulary = vocabulary or Vocabulary.load(settings.vocabulary)
        self.store.sync_indicators(self.vocabulary)
        self.store.term_counter = lambda text: term_counts(text, self.vocabulary)

    def warm_up(self) -> None:
        """Load the segmenter and compile rules now, so the first dropped file is not slowed."""
        extract_reports("区人大常委会召开常委会会议3次。", self.vocabulary)

    def ingest(self, path: Path, *, skip_known: bool = False) -> IngestResult:
        """Take one file. ``skip_known`` (the watcher in keep-files mode, where the database is the
        checkpoint) passes silently over bytes already stored or already failed."""
        started_at = _now()
        clock = time.perf_counter()
        sha256 = None
        try:
            data = self._read(path)
            sha256 = hashlib.sha256(data).hexdigest()
            if skip_known and (self.store.document(sha256) or self.store.failed_before(sha256)):
                return IngestResult(path, "skipped", "already handled")
            known = self.store.document(sha256)
            if known and known["path"] == stored_name(path) and self._movable(path):
                # Stored before an interruption (a crash, a refused move): only the move is left.
                destination = self._move(path, sha256, self.settings.processed_dir)
                return IngestResult(path, "skipped", "already stored; moved now", destination=destination)
            if known:
                return self._finish(path, "duplicate", sha256, started_at, clock, "same bytes as a stored document")
            try:
                read = read_document(data, path.name)
            except ConversionError as error:
                raise IngestError(str(error)) from error
            version = extractor_version(self.vocabulary)
            try:
                reports = extract_reports(read.text, self.vocabulary)
            except Exception as error:  # an extractor bug must not stop the service
                raise IngestError(f"could not extract records: {type(error).__name__}: {error}") from error
            replaces = [d for d in self.store.documents_named(stored_name(path.name)) if d != sha256]
            status = "replaced" if replaces else "ingested"
            document = Document(
                id=sha256, filename=stored_name(path.name), path=stored_name(path), size=len(data), encoding=read.encoding,
                format=read.format, received_at=started_at, text=read.text, extractor_version=version,
                converter=read.converter, converter_version=read.converter_version, title=read.title,
                published_on=read.date,
            )
            detail = f"{len(reports)} report(s)" + (f", replacing {len(replaces)} older version(s)" if replaces else "")
            log = _log_entry(path, sha256, status, detail, started_at, clock)
            try:
                self.originals.put(sha256, data)
            except OSError as error:  # never the file's fault: retried, not quarantined
                raise EnvironmentFault(
                    f"could not keep the original in {self.originals.folder}: {describe(error)}"
                ) from error
            try:
                self.store.save(document, reports, log, replaces=replaces)
            except sqlite3.Error as error:  # rolled back: nothing of the file is stored
                if is_environmental(error):
                    raise EnvironmentFault(f"could not store the records: {error}") from error
                raise IngestError(f"could not store the records: {error}") from error
            return IngestResult(path, status, detail, len(reports), self._move(path, sha256, self.settings.processed_dir))
        except NotAFile as error:
            return IngestResult(path, "skipped", str(error))
        except IngestError as error:
            return self._fail(path, sha256, str(error), started_at, clock)
        except sqlite3.Error as error:
            if is_environmental(error):
                raise EnvironmentFault(f"the database refused: {error}") from error
            raise
        except OSError as error:
            if not os.path.lexists(path):
                return IngestResult(path, "skipped", "file disappeared before it could be read")
            if is_environmental(error):
                raise EnvironmentFault(f"could not read the file: {describe(error)}") from error
            return self._fail(path, sha256, f"could not read the file: {describe(error)}", started_at, clock)

    def reprocess(self) -> int:
        """Re-derive every document's rows: converted again from its kept original when there is
        one (so converter and repair changes apply too), else from its stored text."""
        self.store.sync_indicators(self.vocabulary)
        version = extractor_version(self.vocabulary)
        count = 0
        self.store.start_reprocess(version)
        for document_id, filename, text in list(self.store.stored_documents()):
            converted = self._convert_again(document_id, filename)
            if converted:
                text = converted["text"]
            self.store.replace_reports(document_id, extract_reports(text, self.vocabulary), version, converted=converted)
            count += 1
        self.store.finish_reprocess(version)
        return count

    def _convert_again(self, document_id: str, filename: str) -> dict | None:
        data = self.originals.get(document_id)
        if data is None:
            return None
        try:
            read = read_document(data, filename)
        except ConversionError as error:
            logger.warning("%s: kept the stored text, converting the original again failed: %s", filename, error)
            return None
        return {
            "text": read.text, "format": read.format, "encoding": read.encoding, "converter": read.converter,
            "converter_version": read.converter_version, "title": read.title, "published_on": read.date,
        }

    def _read(self, path: Path) -> bytes:
        check(os.lstat(path), allow_hard_links=True)  # links and FIFOs are told apart before the name
        return read_regular(
            path, max_size=self.settings.max_file_size, allow_hard_links=self.settings.allow_hard_links
        )

    def _finish(self, path, status, sha256, started_at, clock, detail) -> IngestResult:
        self.store.log(_log_entry(path, sha256, status, detail, started_at, clock))
        return IngestResult(path, status, detail, 0, self._move(path, sha256, self.settings.processed_dir))

    def _movable(self, path: Path) -> bool:
        """Only files inside the inbox are ever moved; a file named from elsewhere stays put."""
        if self.settings.keep_files:
            return False
        try:
            path.absolute().relative_to(self.settings.inbox.absolute())
        except ValueError:
            return False
        return True

    def _fail(self, path, sha256, reason, started_at, clock) -> IngestResult:
        """Log the failure first, so the reason is kept even if the move below is refused."""
        movable = self._movable(path)
        # A failure logged before its move was refused or interrupted: only the move is retried.
        if not (movable and logged_failure(self.store.conn, stored_name(path), sha256, reason)):
            try:
                self.store.log(_log_entry(path, sha256, "failed", reason, started_at, clock))
            except sqlite3.Error as error:
                if is_environmental(error):
                    raise EnvironmentFault(f"could not record the failure ({reason}): {error}") from error
                raise
        if not movable:
            return IngestResult(path, "failed", reason)
        self._pause_before_move()
        tag = (sha256 or hashlib.sha256(os.fsencode(path)).hexdigest())[:8]
        try:
            destination = quarantine(path, self.settings.failed_dir, reason, tag)
        except OSError as error:
            if not os.path.lexists(path):
                return IngestResult(path, "failed", reason)
            raise EnvironmentFault(f"failed ({reason}), and could not be moved to failed/: {describe(error)}") from error
        return IngestResult(path, "failed", reason, 0, destination)

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
    files = expand_paths(paths)
    store = open_store(settings.db)
    try:
        with database_errors(settings.db):
            ingestor = Ingestor(settings, store)
        results = []
        if progress and len(files) > 10:
            from tqdm import tqdm

            files = tqdm(files, unit="file", desc="ingest")
        for path in files:
            try:
                results.append(retrying(lambda: ingestor.ingest(path), what=path))
            except EnvironmentFault as error:
                results.append(IngestResult(path, "retry", str(error)))
        return IngestSummary(results)
    finally:
        store.close()


def reprocess_database(settings: Settings) -> int:
    store = open_store(settings.db)
    try:
        return Ingestor(settings, store).reprocess()
    finally:
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
        return {"counts": counts, "reports": store.report_count(), "failures": failures}
    finally:
        store.close()
