"""One file through the pipeline: checks, read, extract, store, then move it where it belongs.

The database is written first and the file moved after, so a crash in between leaves the file
in the inbox; taken again on restart, it is recognised by its sha256 as already stored.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from schema.models import Document, IngestLogEntry
from schema.vocabulary import Vocabulary
from watcher.config import Settings
from watcher.extract.keywords import term_counts
from watcher.originals import Originals
from watcher.pipeline import ConversionError, extract_reports, extractor_version, read_document
from watcher.store import Store

logger = logging.getLogger(__name__)


class IngestError(Exception):
    """A file that cannot be taken; the message is shown to the person who dropped it."""


@dataclass(frozen=True)
class IngestResult:
    path: Path
    status: str  # ingested, duplicate, replaced, failed, or skipped (keep-files mode, already known)
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
            if self.store.document(sha256):
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
            replaces = [d for d in self.store.documents_named(path.name) if d != sha256]
            status = "replaced" if replaces else "ingested"
            document = Document(
                id=sha256, filename=path.name, path=str(path), size=len(data), encoding=read.encoding,
                format=read.format, received_at=started_at, text=read.text, extractor_version=version,
                converter=read.converter, converter_version=read.converter_version, title=read.title,
                published_on=read.date,
            )
            detail = f"{len(reports)} report(s)" + (f", replacing {len(replaces)} older version(s)" if replaces else "")
            log = _log_entry(path, sha256, status, detail, started_at, clock)
            try:
                self.originals.put(sha256, data)
            except OSError as error:
                raise IngestError(f"could not keep the original in {self.originals.folder}: {error}") from error
            try:
                self.store.save(document, reports, log, replaces=replaces)
            except sqlite3.Error as error:  # rolled back: nothing of the file is stored
                raise IngestError(f"could not store the records: {error}") from error
            return IngestResult(path, status, detail, len(reports), self._move(path, sha256, self.settings.processed_dir))
        except IngestError as error:
            return self._fail(path, sha256, str(error), started_at, clock)
        except OSError as error:
            if not os.path.lexists(path):
                return IngestResult(path, "skipped", "file disappeared before it could be read")
            return self._fail(path, sha256, f"could not read the file: {error.strerror or error}", started_at, clock)

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
        if path.is_symlink():
            raise IngestError("the file is a symbolic link; links are never followed, copy the file itself")
        # O_NOFOLLOW closes the gap between the check above and the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > self.settings.max_file_size:
                raise IngestError(
                    f"the file is {size:,} bytes, over the limit of {self.settings.max_file_size:,} bytes"
                )
            return handle.read(self.settings.max_file_size + 1)

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
        destination = None
        if self._movable(path):
            folder = self.settings.failed_dir
            folder.mkdir(parents=True, exist_ok=True)
            destination = folder / path.name
            _replace(path, destination)
            (folder / f"{path.name}.error.txt").write_text(
                f"{path.name} could not be ingested: {reason}\n"
                f"Fix the file and drop it into the inbox again to retry.\n",
                encoding="utf-8",
            )
        self.store.log(_log_entry(path, sha256, "failed", reason, started_at, clock))
        return IngestResult(path, "failed", reason, 0, destination)

    def _move(self, path: Path, sha256: str, folder: Path) -> Path | None:
        if not self._movable(path):
            return None
        folder.mkdir(parents=True, exist_ok=True)
        destination = folder / path.name
        if destination.exists() or destination.is_symlink():
            destination = folder / f"{path.stem}-{sha256[:8]}{path.suffix}"
        _replace(path, destination)
        return destination


def _replace(source: Path, destination: Path) -> None:
    try:
        os.replace(source, destination)
    except OSError:  # another filesystem
        shutil.move(str(source), str(destination))


def _log_entry(path, sha256, status, detail, started_at, clock) -> IngestLogEntry:
    return IngestLogEntry(
        filename=path.name, path=str(path), sha256=sha256, status=status, detail=detail,
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
        return [r for r in self.results if r.status == "failed"]

    @property
    def failed(self) -> int:
        return len(self.failures)

    def line(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("ingested", "replaced", "duplicate", "failed")]
        reports = sum(r.reports for r in self.results)
        return f"{len(self.results)} file(s): " + ", ".join(parts) + f"; {reports} report(s)"


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
    store = Store(settings.db)
    try:
        ingestor = Ingestor(settings, store)
        results = []
        if progress and len(files) > 10:
            from tqdm import tqdm

            files = tqdm(files, unit="file", desc="ingest")
        for path in files:
            results.append(ingestor.ingest(path))
        return IngestSummary(results)
    finally:
        store.close()


def reprocess_database(settings: Settings) -> int:
    store = Store(settings.db)
    try:
        return Ingestor(settings, store).reprocess()
    finally:
        store.close()


def ingest_status(settings: Settings, limit: int = 10) -> dict:
    store = Store(settings.db)
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
