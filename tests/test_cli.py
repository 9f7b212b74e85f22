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


def test_reprocess_applies_a_vocabulary_edit(settings, tmp_path, monkeypatch):
    import shutil

    from schema import SCHEMA_DIR

    vocabulary = tmp_path / "vocabulary"
    shutil.copytree(SCHEMA_DIR, vocabulary, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("REPORT_INBOX_VOCABULARY", str(vocabulary))
    report = tmp_path / "report.txt"
    report.write_text(
        "专题询问显实效\n\n——2023年青山区人大常委会工作综述\n\n一年来，常委会开展专题询问3次，召开常委会会议11次。\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(report), "--db", str(settings.db)]).exit_code == 0

    def labels():
        with sqlite3.connect(settings.db) as conn:
            return conn.execute("select indicator, value from facts order by start").fetchall()

    assert labels() == [(None, 3.0), ("standing_committee_meetings", 11.0)]
    with open(vocabulary / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "\n  - key: special_inquiries\n    label_zh: 专题询问\n    label_en: Special inquiries\n"
            "    unit: 次\n    units: [次]\n    subject: [[专题询问]]\n"
        )
    result = runner.invoke(cli, ["reprocess", "--db", str(settings.db)])
    assert result.exit_code == 0 and "reprocessed 1 document(s)" in result.output
    assert labels() == [("special_inquiries", 3.0), ("standing_committee_meetings", 11.0)]
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("select label_zh from indicators where key = 'special_inquiries'").fetchone() == ("专题询问",)


def test_a_failing_database_write_fails_the_file_and_stores_nothing(settings, tmp_path):
    """Files committed in one batch: the one whose write fails is rolled back alone."""
    from watcher.ingest import ingest_paths
    from watcher.store import Store

    refused, accepted = fixture_reports()[:2]
    Store(settings.db).close()
    with sqlite3.connect(settings.db) as conn:  # a real constraint failure, raised inside SQLite
        conn.execute(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON facts "
            "WHEN (SELECT filename FROM documents d JOIN reports r ON r.document_id = d.id "
            f"WHERE r.id = NEW.report_id) = '{refused.name}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    summary = ingest_paths(settings, [refused, accepted])
    assert summary.failed == 1 and "could not store" in summary.failures[0].detail
    assert summary.failures[0].path == refused and summary.count("ingested") == 1
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("select filename from documents").fetchall() == [(accepted.name,)]
        orphans = "select count(*) from reports where document_id not in (select id from documents)"
        assert conn.execute(orphans).fetchone() == (0,)
        assert sorted(conn.execute("select filename, status from ingest_log")) == sorted(
            [(refused.name, "failed"), (accepted.name, "ingested")]
        )


def test_bad_arguments_exit_2_with_one_sentence():
    result = CliRunner().invoke(cli, ["serve", "--no-such-flag"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "--no-such-flag" in lines[0] and "report-inbox serve --help" in lines[0]


def test_serve_takes_datasette_style_options():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("-h, --host", "-p, --port", "-o, --open"):
        assert option in result.output


def test_status_json_and_never_creates_a_database(settings, tmp_path):
    import json

    missing = tmp_path / "nowhere" / "reports.db"
    result = CliRunner().invoke(cli, ["status", "--json", "--db", str(missing)])
    assert result.exit_code == 0
    assert json.loads(result.output)["exists"] is False
    assert not missing.exists() and not missing.parent.exists()

    CliRunner().invoke(cli, ["ingest", str(fixture_reports()[0]), "--db", str(settings.db)])
    report = json.loads(CliRunner().invoke(cli, ["status", "--json", "--db", str(settings.db)]).output)
    assert report["counts"] == {"ingested": 1} and report["reports"] >= 1


def test_status_escapes_file_names_that_would_break_its_lines(settings, tmp_path):
    bad = tmp_path / "a\nfailed 2026 forged.txt"
    bad.write_bytes(b"")
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(bad), "--db", str(settings.db)])
    result = runner.invoke(cli, ["status", "--db", str(settings.db)])
    assert result.exit_code == 0
    failure_lines = [line for line in result.output.splitlines() if "forged" in line]
    assert len(failure_lines) == 1 and "a\\nfailed 2026 forged.txt" in failure_lines[0]


def test_ingest_move_refuses_while_a_service_holds_the_inbox(settings, tmp_path):
    from watcher.lock import single_instance

    settings.inbox.mkdir(parents=True, exist_ok=True)
    dropped = settings.inbox / fixture_reports()[0].name
    dropped.write_bytes(fixture_reports()[0].read_bytes())
    with single_instance(settings.inbox, tmp_path / "service.db"):
        result = CliRunner().invoke(
            cli, ["ingest", str(dropped), "--move", "--inbox", str(settings.inbox), "--db", str(settings.db)]
        )
    assert result.exit_code == 2 and "already running on the inbox" in result.output
    assert result.output.count("\n") == 1 and dropped.exists() and not settings.db.exists()
    result = CliRunner().invoke(
        cli, ["ingest", str(dropped), "--move", "--inbox", str(settings.inbox), "--db", str(settings.db)]
    )
    assert result.exit_code == 0 and not dropped.exists()
