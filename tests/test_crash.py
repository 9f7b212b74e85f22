"""A crash between extraction and commit leaves no partial rows; the file is taken on restart."""

import os
import signal
import shutil
import sqlite3
import subprocess
import time

import pytest

from conftest import fixture_reports

pytestmark = pytest.mark.slow


def start_watch(python, settings, env_extra):
    env = {**os.environ, "REPORT_INBOX_SETTLE": "0.2", **env_extra}
    return subprocess.Popen(
        [python, "-m", "watcher", "watch", "--inbox", str(settings.inbox), "--db", str(settings.db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )


def count(settings, table):
    with sqlite3.connect(settings.db) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def test_killed_before_commit_then_restarted(python, settings):
    source = fixture_reports()[0]
    settings.inbox.mkdir(parents=True)
    shutil.copy(source, settings.inbox / source.name)

    process = start_watch(python, settings, {"REPORT_INBOX_PAUSE_BEFORE_COMMIT": "60"})
    try:
        line = process.stdout.readline()  # printed with the rows written, just before COMMIT
        assert line.strip() == "committing", process.stderr.read() if not line else line
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        process.kill()

    for table in ("documents", "reports", "facts", "sentences", "ingest_log"):
        assert count(settings, table) == 0, table
    assert (settings.inbox / source.name).exists()

    process = start_watch(python, settings, {})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (settings.processed_dir / source.name).exists():
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0
    assert (settings.processed_dir / source.name).exists()
    assert count(settings, "documents") == 1
    assert count(settings, "reports") >= 1
