import sqlite3

from click.testing import CliRunner

from conftest import fixture_reports
from watcher.cli import cli


def test_ingest_summary_and_exit_status(settings, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for source in fixture_reports()[:2]:
        (folder / source.name).write_bytes(source.read_bytes())
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(folder), "--db", str(settings.db)])
    assert result.exit_code == 0, result.output
    assert "2 file(s): 2 ingested" in result.output
    # files stay where they were: one-shot ingest keeps them by default
    assert len(list(folder.iterdir())) == 2

    (folder / "empty.txt").write_bytes(b"")
    result = runner.invoke(cli, ["ingest", str(folder), "--db", str(settings.db)])
    assert result.exit_code == 1
    assert "2 duplicate, 1 failed" in result.output
    assert "empty.txt" in result.output


def test_status_lists_counts_and_failures(settings, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(bad), str(fixture_reports()[0]), "--db", str(settings.db)])
    result = runner.invoke(cli, ["status", "--db", str(settings.db)])
    assert result.exit_code == 0
    assert "failed" in result.output and "ingested" in result.output
    assert "bad.txt" in result.output


def test_settings_come_from_flags_over_environment(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("REPORT_INBOX_DB", str(tmp_path / "from-env.db"))
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(fixture_reports()[0])])
    assert (tmp_path / "from-env.db").exists()
    runner.invoke(cli, ["ingest", str(fixture_reports()[0]), "--db", str(tmp_path / "from-flag.db")])
    assert sqlite3.connect(tmp_path / "from-flag.db").execute("select count(*) from documents").fetchone() == (1,)


def test_ingest_never_moves_files_from_outside_the_inbox(settings, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = elsewhere / "report.txt"
    source.write_bytes(fixture_reports()[0].read_bytes())
    (elsewhere / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(
        cli, ["ingest", str(elsewhere), "--move", "--db", str(settings.db), "--inbox", str(settings.inbox)]
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in elsewhere.iterdir()) == ["empty.txt", "report.txt"]
