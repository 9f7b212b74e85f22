"""Snapshots and table exports: consistent while the service writes, readable by other tools."""

import sqlite3

import pytest
from click.testing import CliRunner

from conftest import fixture_reports
from watcher.cli import cli
from watcher.export import export, snapshot
from watcher.ingest import ingest_paths
from watcher.store import Store


def test_snapshot_holds_committed_rows_of_a_live_wal_database(settings, tmp_path):
    ingest_paths(settings, fixture_reports())
    writer = Store(settings.db)  # holds the WAL open, as the running service does
    try:
        committed = writer.conn.execute("select count(*) from reports").fetchone()[0]
        assert (settings.db.parent / (settings.db.name + "-wal")).exists()
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("DELETE FROM keywords")  # uncommitted: must not appear in the copy
        copy = snapshot(settings.db, tmp_path / "out" / "copy.db")
        writer.conn.execute("ROLLBACK")
    finally:
        writer.close()
    conn = sqlite3.connect(copy)
    assert conn.execute("select count(*) from reports").fetchone()[0] == committed
    assert conn.execute("select count(*) from keywords").fetchone()[0] > 0
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    assert not list((tmp_path / "out").glob("*.partial"))


def test_cli_export_snapshot_csv_and_parquet(settings, tmp_path):
    ingest_paths(settings, fixture_reports())
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(tmp_path / "copy.db"), "--db", str(settings.db)])
    assert result.exit_code == 0, result.output
    assert sqlite3.connect(tmp_path / "copy.db").execute("select count(*) from facts").fetchone()[0] > 0

    result = runner.invoke(cli, ["export", str(tmp_path / "csv"), "--format", "csv", "--bom", "--db", str(settings.db)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not list((tmp_path / "csv").glob("*_fts*"))

    pandas = pytest.importorskip("pandas")
    export(settings.db, tmp_path / "parquet", format="parquet")
    facts = pandas.read_parquet(tmp_path / "parquet" / "facts.parquet")
    reports = pandas.read_parquet(tmp_path / "parquet" / "reports.parquet")
    assert len(facts) > 0 and "text_bigrams" not in reports.columns
    assert str(facts["report_id"].dtype).startswith("int")


def test_export_without_a_database_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "x.db"), "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert not (tmp_path / "none.db").exists()
