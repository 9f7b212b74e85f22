"""End to end: a real watchdog observer on a real folder, a real SQLite file."""

import os
import queue
import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import fixture_reports, sample_files
from watcher.watch import watching
from watcher.watch import is_candidate

pytestmark = pytest.mark.slow

REPORTS = fixture_reports() + sample_files()
ids = [p.name for p in REPORTS]


@contextmanager
def running(settings):
    results: queue.Queue = queue.Queue()
    with watching(settings, on_result=results.put) as watcher:
        yield Results(results, watcher)


class Results:
    def __init__(self, results, watcher):
        self.queue = results
        self.watcher = watcher
        self.seen = []

    def next(self, timeout=60):
        """The next result; the wait is generous because the first file of a process waits for
        the prepare workers to start, which takes seconds on a loaded machine."""
        result = self.queue.get(timeout=timeout)
        self.seen.append(result)
        return result

    def events_stopped(self, first: Path, second: Path) -> None:
        """Take ``first`` while events flow, then detach the event handler: from here on only
        a rescan can find a file. The start-up scan was queued before any event, so it is done
        by the time ``first`` is taken and cannot be what finds a later file; and the workers
        are up. ``unschedule_all`` joins the emitter and clears the handlers under the lock
        watchdog holds while dispatching, so no event reaches the watcher once it returns."""
        shutil.copy(first, self.watcher.inbox / first.name)
        result = self.next()
        assert (result.status, result.path.name) == ("ingested", first.name), result.detail
        self.watcher._observer.unschedule_all()  # stand-in for a dropped event queue
        shutil.copy(second, self.watcher.inbox / second.name)

    def quiet(self, seconds=1.0):
        """No further result arrives (a file is taken exactly once)."""
        try:
            extra = self.queue.get(timeout=seconds)
        except queue.Empty:
            return True
        self.seen.append(extra)
        return False


def rows(settings, sql, *args):
    with sqlite3.connect(settings.db) as conn:
        return conn.execute(sql, args).fetchall()


def outside(tmp_path, source: Path, name=None) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir(exist_ok=True)
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target


@pytest.mark.parametrize("source", REPORTS, ids=ids)
def test_cp_is_ingested_once(settings, source):
    with running(settings) as results:
        shutil.copy(source, settings.inbox / source.name)
        result = results.next()
        assert result.status == "ingested", result.detail
        assert results.quiet()
    assert (settings.processed_dir / source.name).read_bytes() == source.read_bytes()
    assert not (settings.inbox / source.name).exists()
    assert rows(settings, "select count(*) from documents") == [(1,)]
    assert rows(settings, "select count(*) from reports")[0][0] >= 1
    assert rows(settings, "select status from ingest_log") == [("ingested",)]


@pytest.mark.parametrize("source", REPORTS, ids=ids)
def test_mv_is_ingested_once(settings, tmp_path, source):
    staged = outside(tmp_path, source)
    with running(settings) as results:
        os.rename(staged, settings.inbox / source.name)
        assert results.next().status == "ingested"
        assert results.quiet()
    assert rows(settings, "select count(*) from documents") == [(1,)]


@pytest.mark.parametrize("source", REPORTS, ids=ids)
def test_temp_file_then_rename(settings, source):
    data = source.read_bytes()
    with running(settings) as results:
        temp = settings.inbox / (source.name + ".tmp")
        with open(temp, "wb") as handle:
            for i in range(0, len(data), 2048):
                handle.write(data[i : i + 2048])
                handle.flush()
                time.sleep(0.05)
        os.rename(temp, settings.inbox / source.name)
        result = results.next()
        assert (result.status, result.path.name) == ("ingested", source.name)
        assert results.quiet()
    assert rows(settings, "select filename, size from documents") == [(source.name, len(data))]


@pytest.mark.parametrize("source", REPORTS[:2] + REPORTS[-1:], ids=ids[:2] + ids[-1:])
def test_slow_writer_is_read_once_complete(settings, source):
    """A writer that keeps the file open for seconds, pausing longer than the settle time."""
    data = source.read_bytes()
    chunk = len(data) // 5 + 1
    with running(settings) as results:
        with open(settings.inbox / source.name, "wb") as handle:
            for i in range(0, len(data), chunk):
                handle.write(data[i : i + chunk])
                handle.flush()
                time.sleep(settings.settle * 3)
        result = results.next()
        assert result.status == "ingested"
        assert results.quiet()
    assert rows(settings, "select size from documents") == [(len(data),)]


def test_catch_up_on_start(settings):
    settings.inbox.mkdir(parents=True)
    for source in fixture_reports()[:3]:
        shutil.copy(source, settings.inbox / source.name)
    with running(settings) as results:
        got = sorted(results.next().path.name for _ in fixture_reports()[:3])
        assert results.quiet()
    assert got == sorted(p.name for p in fixture_reports()[:3])
    assert rows(settings, "select count(*) from documents") == [(3,)]


def test_folder_dropped_in_is_walked(settings, tmp_path):
    batch = tmp_path / "outside" / "batch"
    (batch / "more").mkdir(parents=True)
    sources = fixture_reports()[:3]
    shutil.copy(sources[0], batch / sources[0].name)
    shutil.copy(sources[1], batch / sources[1].name)
    shutil.copy(sources[2], batch / "more" / sources[2].name)
    with running(settings) as results:
        os.rename(batch, settings.inbox / "batch")
        got = sorted(results.next().path.name for _ in sources)
        assert results.quiet()
    assert got == sorted(p.name for p in sources)
    assert not (settings.inbox / "batch").exists()


def test_duplicate_and_replaced(settings, tmp_path):
    first, second = fixture_reports()[:2]
    with running(settings) as results:
        shutil.copy(first, settings.inbox / "report.txt")
        assert results.next().status == "ingested"
        shutil.copy(first, settings.inbox / "copy-of-report.txt")
        duplicate = results.next()
        assert duplicate.status == "duplicate"
        shutil.copy(second, settings.inbox / "report.txt")
        replaced = results.next()
        assert replaced.status == "replaced"
    # same name in processed/: the later file gets a short hash, nothing is overwritten
    processed = sorted(p.name for p in settings.processed_dir.iterdir())
    assert len(processed) == 3 and "report.txt" in processed and "copy-of-report.txt" in processed
    assert rows(settings, "select filename from documents") == [("report.txt",)]
    titles = rows(settings, "select distinct d.id from reports r join documents d on d.id = r.document_id")
    assert len(titles) == 1
    assert [s for (s,) in rows(settings, "select status from ingest_log order by id")] == [
        "ingested", "duplicate", "replaced"
    ]


def make_bad_files(folder: Path, elsewhere: Path) -> dict[str, str]:
    """Each kind of file that must fail, with a word its reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "undecodable.txt").write_bytes(bytes([0x81, 0x30, 0xFE, 0xFF, 0xC3]) * 300)
    (folder / "report.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "huge.txt").write_text("人大常委会召开会议。" * 200_000, encoding="utf-8")
    secret = elsewhere / "secret.txt"
    secret.write_text("机密：不应被发布的文件内容。", encoding="utf-8")
    (folder / "link.txt").symlink_to(secret)
    return {
        "empty.txt": "empty",
        "image.txt": "damaged",
        "undecodable.txt": "encoding",
        "report.pdf": "damaged",
        "huge.txt": "limit",
        "link.txt": "link",
    }


def test_failures_are_quarantined_with_reasons_and_service_keeps_running(settings, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with running(settings) as results:
        expected = make_bad_files(settings.inbox, elsewhere)
        got = {}
        for _ in expected:
            result = results.next()
            got[result.path.name] = result
        good = fixture_reports()[0]
        shutil.copy(good, settings.inbox / good.name)
        assert results.next().status == "ingested"
    for name, word in expected.items():
        assert got[name].status == "failed"
        assert word in got[name].detail.lower(), (name, got[name].detail)
        assert (settings.failed_dir / name).exists() or (settings.failed_dir / name).is_symlink()
        reason = (settings.failed_dir / f"{name}.error.txt").read_text(encoding="utf-8")
        assert got[name].detail in reason
    logged = dict(rows(settings, "select filename, status from ingest_log"))
    assert all(logged[name] == "failed" for name in expected)
    # nothing of the linked file reached the database
    assert rows(settings, "select count(*) from reports where text like '%机密%'") == [(0,)]
    assert rows(settings, "select count(*) from documents") == [(1,)]


def test_dropping_a_failed_file_back_retries_it(settings):
    with running(settings) as results:
        (settings.inbox / "later.txt").write_bytes(b"")
        assert results.next().status == "failed"
        source = fixture_reports()[0]
        shutil.copy(source, settings.inbox / "later.txt")
        assert results.next().status == "ingested"
    assert [s for (s,) in rows(settings, "select status from ingest_log order by id")] == ["failed", "ingested"]


def test_keep_files_mode_uses_the_database_as_checkpoint(settings):
    settings = settings.model_copy(update={"keep_files": True, "rescan": 0.5})
    source = fixture_reports()[0]
    with running(settings) as results:
        shutil.copy(source, settings.inbox / source.name)
        assert results.next().status == "ingested"
        assert results.quiet(1.5)  # three rescans pass over it
    assert (settings.inbox / source.name).exists()
    assert not settings.processed_dir.exists()
    with running(settings) as results:  # restart: catch-up finds it already stored
        again = results.next()
        assert (again.status, again.detail) == ("skipped", "already handled")
    assert rows(settings, "select status from ingest_log") == [("ingested",)]


def test_rescan_finds_a_file_the_events_missed(settings):
    """A file that appeared while no event reached the handler is found by the periodic rescan."""
    settings = settings.model_copy(update={"rescan": 0.5})
    first, second = fixture_reports()[:2]
    with running(settings) as results:
        results.events_stopped(first, second)
        result = results.next()
        assert (result.status, result.path.name) == ("ingested", second.name)


@pytest.mark.parametrize(
    "name, taken",
    [
        ("report.txt", True),
        ("sub/report.md", True),
        (".hidden.txt", False),
        ("report.txt~", False),
        ("report.txt.tmp", False),
        ("report.part", False),
        ("report.crdownload", False),
        (".report.txt.swp", False),
        ("processed/report.txt", False),
        ("failed/report.txt", False),
        (".git/report.txt", False),
    ],
)
def test_which_names_are_taken(tmp_path, name, taken):
    assert is_candidate(tmp_path / name, tmp_path) is taken


def test_a_kernel_queue_overflow_triggers_a_rescan(settings):
    """watchdog reports an overflow only in its log; the watcher rescans at once on it."""
    import logging

    settings = settings.model_copy(update={"rescan": 3600})  # only the overflow can find it
    first, second = fixture_reports()[:2]
    with running(settings) as results:
        results.events_stopped(first, second)
        assert results.quiet()
        logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed; filesystem events were lost")
        result = results.next()
        assert (result.status, result.path.name) == ("ingested", second.name)
