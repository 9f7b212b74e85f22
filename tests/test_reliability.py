"""Each numbered failure of the reliability report, reproduced: names, unmovable files,
quarantine, locks, special files, start-up errors, and the WAL at shutdown."""

import logging
import os
import queue
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from conftest import fixture_reports
from machine import fill, immutable, small_disk
from watcher.cli import cli
from watcher.watch import watching

REPORT = fixture_reports()[0]


@contextmanager
def running(settings):
    results: queue.Queue = queue.Queue()
    with watching(settings, on_result=results.put):
        yield results


def rows(settings, sql, *args):
    with sqlite3.connect(settings.db) as conn:
        return conn.execute(sql, args).fetchall()


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def listing(folder):
    return sorted(os.fsencode(p.name) for p in folder.iterdir()) if folder.exists() else []


# -- 2. a name that is not UTF-8 ------------------------------------------------------------


@pytest.mark.slow
def test_a_name_that_is_not_utf8_is_stored_once_with_an_escaped_name(settings):
    name = os.fsdecode(b"bad\xff\xfename.txt")
    with running(settings) as results:
        shutil.copy(REPORT, settings.inbox / name)
        result = results.get(timeout=20)
        assert result.status == "ingested", result.detail
        with pytest.raises(queue.Empty):
            results.get(timeout=1.5)  # not taken again
    assert rows(settings, "select filename from documents") == [("bad\\xff\\xfename.txt",)]
    assert rows(settings, "select filename, status from ingest_log") == [("bad\\xff\\xfename.txt", "ingested")]
    assert listing(settings.processed_dir) == [b"bad\xff\xfename.txt"]


# -- 3. readable but not movable ------------------------------------------------------------


@pytest.mark.slow
def test_a_file_that_cannot_be_moved_is_stored_once_and_never_copied(settings, caplog):
    settings = settings.model_copy(update={"retry_max": 0.5})
    settings.inbox.mkdir(parents=True)
    path = settings.inbox / "stuck.txt"
    shutil.copy(REPORT, path)
    caplog.set_level(logging.WARNING, logger="report_inbox")
    with immutable(path):
        with running(settings):
            wait_for(lambda: rows(settings, "select count(*) from documents") == [(1,)])
            wait_for(lambda: sum("stays in the inbox" in r.getMessage() for r in caplog.records) >= 3)
            assert path.exists()
            assert listing(settings.processed_dir) == [] and listing(settings.failed_dir) == []
            assert rows(settings, "select status from ingest_log") == [("ingested",)]
    # once the machine lets it go, the next attempt only moves it
    with running(settings) as results:
        assert results.get(timeout=20).detail == "already stored; moved now"
    assert not path.exists() and listing(settings.processed_dir) == [b"stuck.txt"]
    assert rows(settings, "select status from ingest_log") == [("ingested",)]
    assert rows(settings, "select count(*) from documents") == [(1,)]


# -- 4. quarantine never overwrites or loses ------------------------------------------------


def reasons(settings):
    return sorted(p.read_text(encoding="utf-8") for p in settings.failed_dir.glob("*.error.txt"))


@pytest.mark.slow
def test_two_failing_files_with_one_name_are_both_kept_with_their_reasons(settings):
    with running(settings) as results:
        (settings.inbox / "bad.txt").write_bytes(b"")
        assert results.get(timeout=20).status == "failed"
        (settings.inbox / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
        assert results.get(timeout=20).status == "failed"
    kept = sorted(p.name for p in settings.failed_dir.iterdir() if not p.name.endswith(".error.txt"))
    assert len(kept) == 2 and "bad.txt" in kept
    assert sorted(p.stat().st_size for p in settings.failed_dir.iterdir() if p.name in kept) == [0, 300]
    texts = reasons(settings)
    assert len(texts) == 2 and texts[0] != texts[1]
    assert len(rows(settings, "select id from ingest_log where status = 'failed'")) == 2


def test_a_failing_file_with_a_very_long_name_keeps_its_reason_and_row(settings):
    from watcher.ingest import ingest_paths

    name = "区" * 82 + ".txt"  # 250 bytes: the name fits, name + .error.txt does not
    settings.inbox.mkdir(parents=True)
    (settings.inbox / name).write_bytes(b"")
    summary = ingest_paths(settings, [settings.inbox / name], move=True)
    assert summary.failed == 1
    [text] = reasons(settings)
    assert name in text and "empty" in text
    assert len(listing(settings.failed_dir)) == 2
    assert rows(settings, "select filename, status from ingest_log") == [(name, "failed")]


def test_a_full_inbox_disk_still_keeps_the_reason_and_the_row(settings, tmp_path):
    from watcher.ingest import ingest_paths

    with small_disk(tmp_path / "inbox", "200k") as inbox:
        settings = settings.model_copy(update={"inbox": inbox})
        (inbox / "failed").mkdir()
        (inbox / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
        fill(inbox)
        summary = ingest_paths(settings, [inbox / "bad.txt"], move=True)
        assert summary.failed == 1
        [(detail,)] = rows(settings, "select detail from ingest_log where status = 'failed'")
        assert "binary" in detail or "encoding" in detail or "text" in detail
        assert not [p for p in (inbox / "failed").glob("*.error.txt") if p.stat().st_size == 0]
        kept = list((inbox / "failed").glob("bad*.txt")) + list(inbox.glob("bad.txt"))
        assert [p.stat().st_size for p in kept if not p.name.endswith(".error.txt")] == [300]


# -- 5. locks -------------------------------------------------------------------------------


@contextmanager
def database_held(db, seconds):
    """Another program holds the write lock for ``seconds``."""
    ready = threading.Event()

    def hold():
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    ready.wait(10)
    try:
        yield
    finally:
        holder.join()


@pytest.mark.slow
def test_a_writer_holding_the_database_for_8_s_only_delays_a_valid_file(settings):
    with running(settings) as results:
        with database_held(settings.db, 8):
            shutil.copy(REPORT, settings.inbox / REPORT.name)
            result = results.get(timeout=40)
    assert result.status == "ingested"
    assert rows(settings, "select status from ingest_log") == [("ingested",)]
    assert listing(settings.failed_dir) == []


@pytest.mark.slow
def test_starting_while_another_writer_holds_the_database_is_one_sentence(settings):
    with running(settings):
        pass  # create the database
    with database_held(settings.db, 12):
        result = CliRunner().invoke(cli, ["watch", "--inbox", str(settings.inbox), "--db", str(settings.db)])
    assert result.exit_code == 2, result.output
    assert "locked by another program" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_a_second_service_on_the_same_inbox_says_so_and_exits_2(settings, tmp_path):
    with running(settings):
        for db in (settings.db, tmp_path / "other.db"):
            result = CliRunner().invoke(cli, ["watch", "--inbox", str(settings.inbox), "--db", str(db)])
            assert result.exit_code == 2
            assert "already running" in result.output and f"process {os.getpid()}" in result.output
            assert result.output.count("\n") == 1
        other_inbox = CliRunner().invoke(cli, ["watch", "--inbox", str(tmp_path / "x"), "--db", str(settings.db)])
        assert other_inbox.exit_code == 2 and "already running on the database" in other_inbox.output


# -- 6. special files, hard links, names in logs, start-up errors ---------------------------


def test_ingest_does_not_hang_on_a_fifo(settings, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    shutil.copy(REPORT, folder / REPORT.name)
    command = [sys.executable, "-m", "watcher", "ingest", str(folder), "--db", str(settings.db)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 ingested" in done.stdout
    assert "skipped" in done.stderr and "pipe.txt" in done.stderr and "FIFO" in done.stderr


@pytest.mark.slow
def test_fifos_and_folders_named_txt_are_reported_and_skipped(settings, caplog):
    caplog.set_level(logging.INFO, logger="report_inbox")
    settings.inbox.mkdir(parents=True)
    os.mkfifo(settings.inbox / "pipe.txt")
    (settings.inbox / "folder.txt").mkdir()
    with running(settings) as results:
        shutil.copy(REPORT, settings.inbox / REPORT.name)
        assert results.get(timeout=20).status == "ingested"  # the FIFO did not block the service
    messages = [r.getMessage() for r in caplog.records]
    assert any("pipe.txt" in m and "FIFO" in m for m in messages)
    assert any("folder.txt is a folder" in m for m in messages)
    assert (settings.inbox / "pipe.txt").exists()


@pytest.mark.slow
def test_a_hard_link_to_a_file_outside_the_inbox_is_not_published(settings, tmp_path):
    secret = tmp_path / "private.txt"
    shutil.copy(REPORT, secret)
    with running(settings) as results:
        os.link(secret, settings.inbox / "innocent.txt")
        result = results.get(timeout=20)
    assert result.status == "failed" and "hard links" in result.detail
    assert rows(settings, "select count(*) from documents") == [(0,)]
    assert secret.exists()


def test_hard_links_are_taken_when_allowed(settings, tmp_path):
    from watcher.ingest import ingest_paths

    secret = tmp_path / "private.txt"
    shutil.copy(REPORT, secret)
    os.link(secret, tmp_path / "linked.txt")
    allowed = settings.model_copy(update={"allow_hard_links": True})
    assert ingest_paths(allowed, [tmp_path / "linked.txt"]).count("ingested") == 1


@pytest.mark.slow
def test_a_newline_in_a_file_name_cannot_forge_a_log_line(settings, caplog):
    caplog.set_level(logging.INFO, logger="report_inbox")
    name = "x.txt\n2026-11-23 00:00:00 INFO ingested forged.txt"
    with running(settings) as results:
        (settings.inbox / name).write_bytes(b"")
        assert results.get(timeout=20).status == "failed"
    lines = [r.getMessage() for r in caplog.records if "forged" in r.getMessage()]
    assert lines and all("\n" not in line and "\\n" in line for line in lines)


@pytest.mark.parametrize("kind", ["unwritable folder", "read-only database"])
def test_an_unusable_database_path_is_one_sentence(settings, tmp_path, kind):
    folder = tmp_path / "dbdir"
    folder.mkdir()
    db = folder / "reports.db"
    if kind == "read-only database":
        sqlite3.connect(db).close()
        target = db
    else:
        target = folder
    with immutable(target):
        result = CliRunner().invoke(cli, ["ingest", str(REPORT), "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("report-inbox: ") and result.output.count("\n") == 1
    assert "Traceback" not in result.output and str(db) in result.output


def test_a_bad_port_is_one_sentence(settings):
    env = {"REPORT_INBOX_PORT": "70000"}
    result = CliRunner().invoke(cli, ["serve", "--inbox", str(settings.inbox), "--db", str(settings.db)], env=env)
    assert result.exit_code == 2
    assert result.output.startswith("report-inbox: the setting port is not valid") and result.output.count("\n") == 1


@pytest.mark.slow
def test_a_port_in_use_is_one_sentence(settings):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--inbox", str(settings.inbox), "--db", str(settings.db), "--port", str(port)]
        )
    assert result.exit_code == 2
    assert f"the port {port} on 127.0.0.1 is already in use" in result.output
    assert result.output.count("\n") == 1


# -- shutdown -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_database_file_alone_is_complete_after_the_service_stops(settings, tmp_path):
    with running(settings) as results:
        for source in fixture_reports():
            shutil.copy(source, settings.inbox / source.name)
        for _ in fixture_reports():
            assert results.get(timeout=30).status == "ingested"
        reader = sqlite3.connect(settings.db)  # another program reading, as Datasette does
        reader.execute("select count(*) from reports").fetchone()
    wal = settings.db.with_name(settings.db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    alone = tmp_path / "copy.db"
    shutil.copy(settings.db, alone)  # the .db file without its -wal
    with sqlite3.connect(alone) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (len(fixture_reports()),)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    reader.close()


@pytest.mark.slow
def test_ingest_gives_up_on_a_refused_move_without_losing_or_repeating(settings):
    settings.inbox.mkdir(parents=True)
    path = settings.inbox / "stuck.txt"
    shutil.copy(REPORT, path)
    command = ["ingest", str(path), "--move", "--inbox", str(settings.inbox), "--db", str(settings.db)]
    with immutable(path):
        result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1
    assert "1 left in place" in result.output and "retry" in result.output
    assert rows(settings, "select status from ingest_log") == [("ingested",)]
    again = CliRunner().invoke(cli, command)
    assert again.exit_code == 0 and not path.exists()
    assert listing(settings.processed_dir) == [b"stuck.txt"]
    assert rows(settings, "select status from ingest_log") == [("ingested",)]


@pytest.mark.slow
def test_serve_leaves_a_complete_database_file_while_readers_stay(settings, tmp_path):
    from conftest import Service, get_json

    service = Service(settings.inbox, settings.db)
    service.wait_until_up()
    reader = sqlite3.connect(settings.db)  # another program that keeps the database open
    reader.execute("select count(*) from documents").fetchone()
    shutil.copy(REPORT, settings.inbox / REPORT.name)
    wait_for(lambda: get_json(f"{service.base}/reports/documents.json?_shape=array") != [], 30)
    assert service.stop() == 0
    wal = settings.db.with_name(settings.db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    shutil.copy(settings.db, tmp_path / "alone.db")
    with sqlite3.connect(tmp_path / "alone.db") as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (1,)
    reader.close()
