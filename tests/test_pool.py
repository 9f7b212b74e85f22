"""Files prepared in real worker processes: limits per file, a dead worker replaced, the watcher,
ingest and reprocess all through the pool, and a Dask cluster giving the same rows."""

import queue
import sqlite3
import time

import pytest

from conftest import fixture_reports
from variants import long_report, table_rows, write_variants
from watcher.ingest import ingest_paths, reprocess_database

pytestmark = pytest.mark.slow


@pytest.fixture
def long_file(tmp_path):
    """About 6 MB of reports in one file: many seconds of real extraction work."""
    path = tmp_path / "long" / "long.txt"
    path.parent.mkdir()
    path.write_text(long_report(fixture_reports(), 6), encoding="utf-8")
    return path


def in_inbox(settings, *paths):
    settings.inbox.mkdir(parents=True, exist_ok=True)
    moved = []
    for path in paths:
        target = settings.inbox / path.name
        target.write_bytes(path.read_bytes())
        moved.append(target)
    return moved


def test_a_file_over_the_time_limit_fails_and_the_next_files_are_taken(settings, long_file):
    settings = settings.model_copy(update={"jobs": 1, "time_limit": 1.0, "max_file_size": 20_000_000})
    files = in_inbox(settings, long_file, *fixture_reports())
    started = time.monotonic()
    summary = ingest_paths(settings, files, move=True)
    assert time.monotonic() - started < 60
    [failure] = summary.failures
    assert failure.path.name == "long.txt" and failure.detail == "took longer than 1 s"
    # one worker: the files after the stuck one were taken by the worker started in its place
    assert summary.count("ingested") == len(fixture_reports())
    reason = (settings.failed_dir / "long.txt.error.txt").read_text(encoding="utf-8")
    assert "took longer than 1 s" in reason
    assert (settings.failed_dir / "long.txt").stat().st_size == long_file.stat().st_size
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("select detail from ingest_log where filename = 'long.txt'").fetchall() == [
            ("took longer than 1 s",)
        ]
        assert conn.execute("select count(*) from documents").fetchone() == (len(fixture_reports()),)


def test_a_worker_over_the_memory_limit_fails_only_its_file(settings, long_file):
    settings = settings.model_copy(update={
        "jobs": 1, "memory_limit": 40, "time_limit": 60, "max_file_size": 20_000_000
    })
    summary = ingest_paths(settings, [long_file, *fixture_reports()])
    [failure] = summary.failures
    assert failure.path == long_file and "memory limit of 40 MB" in failure.detail
    assert summary.count("ingested") == len(fixture_reports())


def test_two_workers_store_the_same_rows_as_one(settings, tmp_path):
    folder = tmp_path / "variants"
    write_variants(folder, fixture_reports(), megabytes=0.06)
    one = settings.model_copy(update={"jobs": 1, "db": tmp_path / "one.db"})
    two = settings.model_copy(update={"jobs": 2, "db": tmp_path / "two.db"})
    assert ingest_paths(one, [folder]).failed == 0
    summary = ingest_paths(two, [folder])
    assert summary.failed == 0 and summary.count("ingested") == len(list(folder.iterdir()))
    assert table_rows(one.db) == table_rows(two.db)


def test_reprocess_with_two_workers_rederives_the_same_rows(settings):
    assert ingest_paths(settings, fixture_reports()).failed == 0
    before = table_rows(settings.db)
    assert reprocess_database(settings.model_copy(update={"jobs": 2})) == len(fixture_reports())
    assert table_rows(settings.db) == before


def test_the_watcher_hands_files_to_the_pool_and_a_stuck_one_stalls_nothing(settings, long_file):
    from watcher.watch import watching

    settings = settings.model_copy(update={"jobs": 2, "time_limit": 1.0, "max_file_size": 20_000_000})
    results: queue.Queue = queue.Queue()
    with watching(settings, on_result=results.put):
        in_inbox(settings, long_file)
        time.sleep(0.5)
        in_inbox(settings, *fixture_reports())
        seen = {}
        deadline = time.monotonic() + 60
        while len(seen) < len(fixture_reports()) + 1 and time.monotonic() < deadline:
            try:
                result = results.get(timeout=1)
            except queue.Empty:
                continue
            seen[result.path.name] = result
    assert seen["long.txt"].status == "failed" and seen["long.txt"].detail == "took longer than 1 s"
    assert (settings.failed_dir / "long.txt.error.txt").exists()
    for source in fixture_reports():
        assert seen[source.name].status == "ingested"
        assert (settings.processed_dir / source.name).exists()


def test_a_dask_cluster_stores_the_same_rows_as_the_local_pool(settings, tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "variants"
    write_variants(folder, fixture_reports(), megabytes=0.03, seed=7)
    local = settings.model_copy(update={"jobs": 2, "db": tmp_path / "local.db"})
    assert ingest_paths(local, [folder]).failed == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
    ) as cluster:
        remote = settings.model_copy(update={"scheduler": cluster.scheduler_address, "db": tmp_path / "dask.db"})
        summary = ingest_paths(remote, [folder])
        assert summary.failed == 0 and summary.count("ingested") == len(list(folder.iterdir()))
        assert table_rows(remote.db) == table_rows(local.db)
        assert reprocess_database(remote) == summary.count("ingested")
        assert table_rows(remote.db) == table_rows(local.db)


def test_the_command_line_sets_workers_and_time_limit(settings, long_file):
    from click.testing import CliRunner

    from watcher.cli import cli

    result = CliRunner().invoke(
        cli,
        ["ingest", str(long_file.parent), str(fixture_reports()[0]), "--db", str(settings.db),
         "--jobs", "2", "--time-limit", "1"],
        env={"REPORT_INBOX_MAX_FILE_SIZE": "20000000"},
    )
    assert result.exit_code == 1
    assert "2 file(s): 1 ingested" in result.output
    assert f"failed {long_file}: took longer than 1 s" in result.output
