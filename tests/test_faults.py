"""Fault injection with real processes: kill -9 during commit and during a move, full disks
under the database and under the inbox, a database lock held for 30 s, a file the service may
read but not move, a second instance. Each scenario ends the same way: every dropped file is
stored exactly once or quarantined with a reason, nothing is left behind, and SQLite's
integrity check passes."""

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import fixture_reports, free_port
from machine import fill, immutable, small_disk, unprivileged

pytestmark = pytest.mark.slow


def reports(count: int) -> dict[str, bytes]:
    """``count`` distinct valid reports, made from the fixtures with a line that tells them apart."""
    sources = [p.read_bytes() for p in fixture_reports()]
    return {
        f"report-{i:02d}.txt": sources[i % len(sources)] + f"\n（第{i}份）\n".encode("utf-8")
        for i in range(count)
    }


BAD = {"empty.txt": b"", "binary.txt": bytes(range(256)) * 4}


class Watch:
    """``report-inbox watch`` as a real process; its output goes to files we can poll."""

    def __init__(self, inbox: Path, db: Path, logs: Path, env: dict | None = None, prefix=()):
        self.logs = logs
        logs.mkdir(parents=True, exist_ok=True)
        self.out = open(logs / f"out-{time.monotonic_ns()}.txt", "w+")
        self.err = open(logs / f"err-{time.monotonic_ns()}.txt", "w+")
        environment = {
            **os.environ, "REPORT_INBOX_SETTLE": "0.2", "REPORT_INBOX_RESCAN": "2",
            "REPORT_INBOX_RETRY_MAX": "2", **(env or {}),
        }
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "watcher", "watch", "--inbox", str(inbox), "--db", str(db)],
            stdout=self.out, stderr=self.err, env=environment, cwd=tempfile.gettempdir(),
        )

    def output(self) -> str:
        return Path(self.out.name).read_text() + Path(self.err.name).read_text()

    def wait_for(self, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.output():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.output()}"
            time.sleep(0.05)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def drop(inbox: Path, files: dict[str, bytes]) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        staged = inbox / f".staging-{name}"  # hidden: the service ignores it
        staged.write_bytes(data)
        os.replace(staged, inbox / name)  # appears complete, as a mv does


def accounting(inbox: Path, db: Path, files: dict[str, bytes]) -> list[str]:
    """What is wrong with the end state; empty when every file is stored once or quarantined."""
    problems = []
    with sqlite3.connect(db) as conn:
        if conn.execute("pragma integrity_check").fetchone() != ("ok",):
            problems.append("integrity_check failed")
        for name, data in files.items():
            sha = hashlib.sha256(data).hexdigest()
            stored = conn.execute("select count(*) from documents where id = ?", (sha,)).fetchone()[0]
            taken = conn.execute(
                "select count(*) from ingest_log where sha256 = ? and status in ('ingested', 'replaced', 'duplicate')",
                (sha,),
            ).fetchone()[0]
            failed = conn.execute(
                "select detail from ingest_log where filename = ? and status = 'failed'", (name,)
            ).fetchall()
            copies = {folder: _copies(inbox / folder, data) for folder in ("processed", "failed")}
            if (inbox / name).exists():
                problems.append(f"{name} is still in the inbox")
            elif stored:
                if not (stored == 1 and taken == 1 and copies["processed"] == 1 and not copies["failed"] and not failed):
                    problems.append(f"{name}: stored {stored}, logged {taken}, copies {copies}, failed {failed}")
            elif not (copies["failed"] == 1 and len(failed) == 1 and failed[0][0]):
                problems.append(f"{name}: neither stored nor quarantined with a reason ({copies}, {failed})")
    return problems


def _copies(folder: Path, data: bytes) -> int:
    if not folder.exists():
        return 0
    return sum(
        1 for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".error.txt") and p.read_bytes() == data
    )


def _accounting(inbox, db, files) -> list[str]:
    try:
        return accounting(inbox, db, files) if db.exists() else ["no database yet"]
    except sqlite3.OperationalError as error:  # not yet created, or busy
        return [str(error)]


def settle_accounts(inbox, db, files, service, seconds=90) -> None:
    deadline = time.monotonic() + seconds
    while problems := _accounting(inbox, db, files):
        assert time.monotonic() < deadline, f"{problems}\n{service.output()[-3000:]}"
        time.sleep(0.25)


def test_kill_9_during_commit(tmp_path):
    inbox, db, files = tmp_path / "inbox", tmp_path / "db" / "reports.db", {**reports(5), **BAD}
    drop(inbox, files)
    for _ in range(3):
        service = Watch(inbox, db, tmp_path / "logs", {"REPORT_INBOX_PAUSE_BEFORE_COMMIT": "30"})
        service.wait_for("committing")
        service.kill()
    service = Watch(inbox, db, tmp_path / "logs")
    try:
        settle_accounts(inbox, db, files, service)
    finally:
        assert service.stop() == 0


def test_kill_9_during_a_move_across_filesystems(tmp_path):
    inbox, db, files = tmp_path / "inbox", tmp_path / "db" / "reports.db", reports(4)
    with small_disk(inbox / "processed", "16m"):  # processed/ on another filesystem: copy, not rename
        drop(inbox, files)
        for _ in range(2):
            service = Watch(inbox, db, tmp_path / "logs", {"REPORT_INBOX_PAUSE_BEFORE_MOVE": "30"})
            service.wait_for("moving")
            service.kill()
        with sqlite3.connect(db) as conn:
            assert conn.execute("select count(*) from documents").fetchone()[0] >= 1  # stored, not moved
        service = Watch(inbox, db, tmp_path / "logs")
        try:
            settle_accounts(inbox, db, files, service)
        finally:
            assert service.stop() == 0


def test_kill_9_during_a_quarantine_move(tmp_path):
    inbox, db, files = tmp_path / "inbox", tmp_path / "db" / "reports.db", BAD
    drop(inbox, files)
    for _ in range(2):
        service = Watch(inbox, db, tmp_path / "logs", {"REPORT_INBOX_PAUSE_BEFORE_MOVE": "30"})
        service.wait_for("moving")
        service.kill()
    with sqlite3.connect(db) as conn:  # the reason is recorded before the move
        assert conn.execute("select count(*) from ingest_log where status = 'failed'").fetchone()[0] >= 1
    service = Watch(inbox, db, tmp_path / "logs")
    try:
        settle_accounts(inbox, db, files, service)
    finally:
        assert service.stop() == 0


def test_disk_full_under_the_database(tmp_path):
    inbox, files = tmp_path / "inbox", {**reports(4), **BAD}
    with small_disk(tmp_path / "db", "24m") as folder:
        db = folder / "reports.db"
        service = Watch(inbox, db, tmp_path / "logs")
        try:
            service.wait_for("watching")
            filler = fill(folder)
            drop(inbox, files)
            service.wait_for("stays in the inbox")
            time.sleep(2)
            assert not (inbox / "failed").exists() or not any(
                n.endswith(".txt") and n.startswith("report-") for n in os.listdir(inbox / "failed")
            ), "a valid file was quarantined for a full disk"
            assert all((inbox / name).exists() for name in reports(4))
            filler.unlink()
            settle_accounts(inbox, db, files, service)
        finally:
            assert service.stop() == 0


def test_disk_full_under_the_inbox(tmp_path):
    db, files = tmp_path / "db" / "reports.db", {**reports(3), **BAD}
    with small_disk(tmp_path / "inbox", "8m") as inbox:
        drop(inbox, files)
        filler = fill(inbox)
        service = Watch(inbox, db, tmp_path / "logs")
        try:
            settle_accounts(inbox, db, files, service)
            assert not [p for p in (inbox / "failed").glob("*.error.txt") if p.stat().st_size == 0]
        finally:
            assert service.stop() == 0
        filler.unlink()


def test_a_database_lock_held_for_30_s(tmp_path):
    inbox, db, files = tmp_path / "inbox", tmp_path / "db" / "reports.db", {**reports(3), **BAD}
    service = Watch(inbox, db, tmp_path / "logs")
    try:
        service.wait_for("watching")
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import sqlite3, sys, time\n"
             "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
             "c.execute('BEGIN IMMEDIATE')\n"
             "print('held', flush=True)\n"
             "time.sleep(30)\n", str(db)],
            stdout=subprocess.PIPE, text=True,
        )
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        drop(inbox, files)
        service.wait_for("stays in the inbox")
        assert all((inbox / name).exists() for name in files)  # nothing failed for a lock
        holder.wait(timeout=60)
        assert time.monotonic() - started > 25
        settle_accounts(inbox, db, files, service)
    finally:
        assert service.stop() == 0


def test_a_file_the_service_may_read_but_not_move(tmp_path):
    inbox, db, files = tmp_path / "inbox", tmp_path / "db" / "reports.db", reports(2)
    drop(inbox, files)
    stuck = inbox / next(iter(files))
    with immutable(stuck):  # no rename or unlink, for root too
        service = Watch(inbox, db, tmp_path / "logs")
        try:
            service.wait_for("stays in the inbox")
            time.sleep(5)  # several retries
            with sqlite3.connect(db) as conn:
                assert conn.execute("select count(*) from documents").fetchone() == (2,)
                assert conn.execute("select count(*) from ingest_log").fetchone() == (2,)
            assert stuck.exists() and not (inbox / "failed").exists()
            assert _copies(inbox / "processed", stuck.read_bytes()) == 0
        except BaseException:
            service.stop()
            raise
    try:
        settle_accounts(inbox, db, files, service)  # released: only the move is done
    finally:
        assert service.stop() == 0


def test_a_file_another_user_owns_the_folder_of(tmp_path):
    prefix = unprivileged()
    base = Path(tempfile.mkdtemp(prefix="report-inbox-unmovable-"))
    try:
        base.chmod(0o755)
        inbox, dbdir = base / "inbox", base / "db"
        inbox.mkdir()
        dbdir.mkdir()
        for folder in (inbox, dbdir):
            os.chown(folder, 65534, 65534)
        stuck = inbox / "sub"  # owned by root: nobody may read inside but not remove anything
        stuck.mkdir(mode=0o755)
        files = reports(2)
        name = next(iter(files))
        (stuck / name).write_bytes(files[name])
        service = Watch(inbox, dbdir / "reports.db", tmp_path / "logs", prefix=prefix)
        try:
            service.wait_for("stays in the inbox")
            time.sleep(5)  # several retries
            with sqlite3.connect(dbdir / "reports.db") as conn:
                assert conn.execute("select count(*) from documents").fetchone() == (1,)
                assert conn.execute("select status from ingest_log").fetchall() == [("ingested",)]
            assert (stuck / name).exists()
            assert not (inbox / "processed").exists() or os.listdir(inbox / "processed") == []
            assert not (inbox / "failed").exists()
            os.chown(stuck, 65534, 65534)  # the owner lets it go
            rest = dict(list(files.items())[1:])
            drop(inbox, rest)
            settle_accounts(inbox, dbdir / "reports.db", files, service)
        finally:
            assert service.stop() == 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_second_instance_exits_and_the_first_takes_everything(tmp_path):
    inbox, db, files = tmp_path / "inbox", tmp_path / "db" / "reports.db", {**reports(4), **BAD}
    first = Watch(inbox, db, tmp_path / "logs")
    try:
        first.wait_for("watching")
        second = Watch(inbox, db, tmp_path / "logs")
        assert second.process.wait(timeout=60) == 2
        message = second.output()
        assert message.count("\n") == 1 and "already running" in message
        assert f"process {first.process.pid}" in message and "Traceback" not in message
        served = subprocess.run(
            [sys.executable, "-m", "watcher", "serve", "--inbox", str(inbox), "--db", str(tmp_path / "x.db"),
             "--port", str(free_port())],
            capture_output=True, text=True, timeout=60,
        )
        assert served.returncode == 2 and "already running on the inbox" in served.stderr
        assert served.stderr.count("\n") == 1
        drop(inbox, files)
        settle_accounts(inbox, db, files, first)
    finally:
        assert first.stop() == 0
