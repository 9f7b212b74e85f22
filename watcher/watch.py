"""Watch the inbox: notice each new file at once, take it only when complete, never miss one.

Event handlers only enqueue paths; one consumer thread decides when a file is complete, reads
it and hands it to the prepare pool without waiting, and commits what the pool sends back (the
pool's outcomes arrive on the same queue as the events). It alone uses the database. A file is complete when no
writer holds it open (inotify open/close events) and its size and mtime have not changed for
``settle`` seconds, timed from when it was first seen. A full rescan at start, every
``rescan`` seconds and whenever the kernel's event queue overflows catches anything missed.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from watcher.config import Settings
from watcher.errors import EnvironmentFault
from watcher.files import kind_of, printable
from watcher.convert import EXTENSIONS
from watcher.ingest import Ingestor
from watcher.lock import single_instance
from watcher.prepare import Job
from watcher.progress import Progress
from watcher.retry import backoff
from watcher.startup import database_errors
from watcher.store import Store

log = logging.getLogger("report_inbox")

TEMPORARY_SUFFIXES = ("~", ".tmp", ".part", ".crdownload", ".swp", ".swx")
SERVICE_FOLDERS = ("processed", "failed")
# A file reported open with no activity for this long is taken anyway (a lost close event).
STALE_OPEN_SECONDS = 30.0
# A rescan that finds this many new files reports progress while they are taken.
BACKFILL_FILES = 20


def is_candidate(path: Path, inbox: Path) -> bool:
    """Whether a path in the inbox is a file to ingest, judging by its name alone."""
    try:
        parts = path.relative_to(inbox).parts
    except ValueError:
        return False
    if not parts or parts[0] in SERVICE_FOLDERS:
        return False
    return not any(p.startswith(".") or p.endswith(TEMPORARY_SUFFIXES) for p in parts)


@dataclass
class _Pending:
    last_change: float
    stat: tuple | None = None
    open_count: int = 0
    not_before: float = 0.0  # a file the machine refused waits until then


class _Handler(FileSystemEventHandler):
    """Turns watchdog events into queue items; no filtering by watchdog's patterns, whose
    ignore policy would drop a ``report.tmp → report.txt`` rename."""

    def __init__(self, events: queue.Queue):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if event.is_directory:
            if kind in ("created", "moved"):
                self.events.put(("folder", os.fsdecode(event.dest_path or event.src_path)))
            return
        if kind == "moved":
            self.events.put(("seen", os.fsdecode(event.dest_path)))
        elif kind == "opened":
            self.events.put(("opened", os.fsdecode(event.src_path)))
        elif kind in ("closed", "closed_no_write"):
            self.events.put(("closed", os.fsdecode(event.src_path)))
        elif kind in ("created", "modified"):
            self.events.put(("seen", os.fsdecode(event.src_path)))


class _OverflowListener(logging.Handler):
    """watchdog reports a kernel queue overflow only in its log; turn that into a rescan."""

    def __init__(self, events: queue.Queue):
        super().__init__(logging.WARNING)
        self.events = events

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage():
            self.events.put(("rescan", None))


class Watcher:
    def __init__(self, ingestor: Ingestor, on_result=None):
        self.ingestor = ingestor
        self.settings = ingestor.settings
        self.inbox = self.settings.inbox.resolve()
        self.on_result = on_result
        self.events: queue.Queue = queue.Queue()
        self.pending: dict[Path, _Pending] = {}
        self.known: dict[Path, tuple] = {}  # keep-files mode: files already handled, by stat
        self.attempts: dict[Path, int] = {}  # files the machine refused, and how many times
        self.not_files: set[tuple[Path, int]] = set()  # FIFOs, sockets, devices already reported
        self.in_flight: dict[Path, tuple] = {}  # files being prepared, by stat
        self._prepared: list = []
        self._backfill: Progress | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._observer = None
        self._overflow = _OverflowListener(self.events)

    def start(self) -> None:
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._observer = Observer()
        self._observer.schedule(_Handler(self.events), str(self.inbox), recursive=True)
        logging.getLogger("watchdog").addHandler(self._overflow)
        self._observer.start()
        self.events.put(("rescan", None))  # catch-up, after the observer is live
        self._thread = threading.Thread(target=self._run, name="report-inbox-consumer", daemon=True)
        self._thread.start()
        log.info("watching %s", self.inbox)

    def stop(self) -> None:
        """Stop watching; files being prepared are finished and committed (or rolled back) first."""
        self._stop.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=10)
        if self._thread is not None:
            self._thread.join(timeout=max(60, self.settings.time_limit + 10))
        logging.getLogger("watchdog").removeHandler(self._overflow)

    # -- consumer ------------------------------------------------------------------------

    def _run(self) -> None:
        settle = self.settings.settle
        tick = min(0.05, max(settle / 4, 0.01))
        last_scan = time.monotonic()
        while not self._stop.is_set():
            try:
                self._handle(*self.events.get(timeout=tick))
                while True:
                    self._handle(*self.events.get_nowait())
            except queue.Empty:
                pass
            self._commit()
            now = time.monotonic()
            if now - last_scan >= self.settings.rescan:
                self._scan(self.inbox)
                last_scan = now
            self._take_ready(now)
        self._finish_in_flight()

    def _finish_in_flight(self) -> None:
        deadline = time.monotonic() + self.settings.time_limit + 10
        while self.in_flight and time.monotonic() < deadline:
            try:
                kind, item = self.events.get(timeout=0.1)
            except queue.Empty:
                continue
            if kind == "prepared":
                self._prepared.append(item)
                self._commit()

    def _handle(self, kind: str, name) -> None:
        if kind == "prepared":
            self._prepared.append(name)
            return
        if kind == "rescan":
            before = len(self.pending)
            self._scan(self.inbox)
            self._start_backfill(len(self.pending) - before)
            return
        path = Path(name)
        if kind == "folder":
            if is_candidate(path, self.inbox) or path == self.inbox:
                self._scan(path)
            return
        if not is_candidate(path, self.inbox):
            return
        pending = self._note(path)
        pending.last_change = time.monotonic()  # an event is a change: the settle time starts again
        if kind == "opened":
            pending.open_count += 1
        elif kind == "closed":
            pending.open_count = max(0, pending.open_count - 1)

    def _note(self, path: Path) -> _Pending:
        if path in self.in_flight:  # events from our own read, or a rescan: it is in hand already
            return _Pending(last_change=time.monotonic())
        pending = self.pending.get(path)
        if pending is None:
            pending = self.pending[path] = _Pending(last_change=time.monotonic())
        return pending

    def _scan(self, folder: Path) -> None:
        for root, dirs, files in os.walk(folder):
            root_path = Path(root)
            dirs[:] = [d for d in dirs if is_candidate(root_path / d, self.inbox)]
            for name in dirs:
                if Path(name).suffix.lower() in EXTENSIONS:
                    self._not_a_file(root_path / name, "folder")
            for name in files:
                path = root_path / name
                if is_candidate(path, self.inbox):
                    self._note(path)

    def _take_ready(self, now: float) -> None:
        for path, pending in list(self.pending.items()):
            try:
                st = path.lstat()
            except FileNotFoundError:
                del self.pending[path]
                self.attempts.pop(path, None)
                continue
            kind = kind_of(st.st_mode)
            if kind not in ("file", "symbolic link"):
                del self.pending[path]
                self._not_a_file(path, kind, st.st_ino)
                continue
            stat = (st.st_size, st.st_mtime_ns, st.st_ino)
            if stat != pending.stat:
                pending.stat = stat
                pending.last_change = now
                continue
            quiet = now - pending.last_change
            if now < pending.not_before or quiet < self.settings.settle or (
                pending.open_count and quiet < STALE_OPEN_SECONDS
            ):
                continue
            del self.pending[path]
            if self.settings.keep_files and self.known.get(path) == stat:
                continue
            self._submit(path, stat)

    def _submit(self, path: Path, stat: tuple) -> None:
        """Read and hash the file, then hand it to the pool; the outcome comes back as an event."""
        try:
            taken, work = self.ingestor.take(path, skip_known=self.settings.keep_files)
            if isinstance(work, Job):
                self.ingestor.pool.submit(work, lambda outcome: self.events.put(("prepared", (taken, outcome))))
            else:
                self._prepared.append((taken, work))
        except EnvironmentFault as error:  # the machine's fault: the file stays, retried later
            self._retry_later(path, stat, str(error))
            return
        except Exception as error:  # a bug must not stop the service; retried with backoff too
            log.exception("could not take %s", printable(path))
            self._retry_later(path, stat, f"{type(error).__name__}: {error}")
            return
        self.in_flight[path] = stat

    def _commit(self) -> None:
        if not self._prepared:
            return
        items, self._prepared = self._prepared, []
        try:
            results = self.ingestor.commit(items)
        except Exception as error:  # e.g. the database is locked: the files stay, retried later
            if not isinstance(error, EnvironmentFault):
                log.exception("could not store %d file(s)", len(items))
            for taken, _ in items:
                stat = self.in_flight.pop(taken.path, None)
                if stat is not None:
                    self._retry_later(taken.path, stat, str(error))
            return
        for result in results:
            stat = self.in_flight.pop(result.path, None)
            if result.status == "retry":
                if stat is not None:
                    self._retry_later(result.path, stat, result.detail or "")
                continue
            self.attempts.pop(result.path, None)
            self._done(result, stat)

    def _done(self, result, stat: tuple | None) -> None:
        if self.settings.keep_files:
            if stat is not None:
                self.known[result.path] = stat
        elif result.status != "skipped":
            self._remove_empty_folders(result.path.parent)
        if result.status != "skipped":
            log.info("%s %s: %s", result.status, printable(result.path.name), printable(result.detail or ""))
        if self._backfill is not None:
            self._backfill.advance(stat[0] if stat else 0)
            if self._backfill.done >= self._backfill.files:
                self._backfill.close()
                self.ingestor.tidy(self._backfill.files)
                self._backfill = None
        if self.on_result is not None:
            self.on_result(result)

    def _not_a_file(self, path: Path, kind: str, inode: int = 0) -> None:
        """Said once per path: it is never opened, so a FIFO cannot block the service."""
        if (path, inode) in self.not_files:
            return
        self.not_files.add((path, inode))
        if kind == "folder":
            log.info("%s is a folder: the files in it are taken, the folder is not a report", printable(path))
        else:
            log.warning("skipped %s: a %s, not a regular file", printable(path), kind)

    def _retry_later(self, path: Path, stat: tuple, reason: str) -> None:
        """The file stays in the inbox and is taken again after a growing wait."""
        attempt = self.attempts[path] = self.attempts.get(path, 0) + 1
        wait = backoff(attempt, self.settings.retry_max)
        log.warning("%s stays in the inbox, retrying in %.1f s: %s", printable(path), wait, reason)
        pending = self._note(path)
        pending.stat, pending.not_before = stat, time.monotonic() + wait
        pending.last_change = pending.not_before - self.settings.settle

    def _start_backfill(self, count: int) -> None:
        """Many files found at once (start-up, a rescan): report progress while they are taken."""
        if count < BACKFILL_FILES or self._backfill is not None:
            return
        size = 0
        for path in self.pending:
            try:
                size += path.lstat().st_size
            except OSError:
                pass
        self._backfill = Progress("backfill", count, size, bar=False)

    def _remove_empty_folders(self, folder: Path) -> None:
        while folder != self.inbox and is_candidate(folder, self.inbox):
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent


@contextmanager
def watching(settings: Settings, on_result=None):
    """Run the watcher for the duration of a ``with`` block; leaving it finishes the files in hand.
    One watcher per inbox and database (``StartupError`` otherwise)."""
    with single_instance(settings.inbox, settings.db), _watching(settings, on_result) as watcher:
        yield watcher


@contextmanager
def _watching(settings: Settings, on_result=None):
    with database_errors(settings.db):
        store = Store(settings.db, pause_before_commit=settings.pause_before_commit)
    try:
        with database_errors(settings.db):
            ingestor = Ingestor(settings, store)
        try:
            ingestor.warm_up()
            watcher = Watcher(ingestor, on_result=on_result)
            watcher.start()
            try:
                yield watcher
            finally:
                watcher.stop()
        finally:
            ingestor.close()
    finally:
        store.close()
