"""Corrections of facts: recorded once, applied again after reprocess and vocabulary edits,
reported when their fact is gone, exported as gold-style YAML."""

import shutil
import sqlite3

import pytest
import yaml
from click.testing import CliRunner

from conftest import FIXTURE_REPORTS
from schema import SCHEMA_DIR
from watcher import corrections
from watcher.cli import cli
from watcher.ingest import ingest_paths, ingest_status, reprocess_database
from watcher.store import Store

REPORT = FIXTURE_REPORTS / "qingshan_2023_clean.txt"


@pytest.fixture
def vocabulary(tmp_path, monkeypatch):
    folder = tmp_path / "vocabulary"
    shutil.copytree(SCHEMA_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("REPORT_INBOX_VOCABULARY", str(folder))
    return folder


@pytest.fixture
def ingested(settings, tmp_path, vocabulary):
    from watcher.config import Settings

    settings = Settings(**{**settings.model_dump(), "vocabulary": vocabulary})
    path = tmp_path / "qingshan.txt"
    path.write_bytes(REPORT.read_bytes())
    ingest_paths(settings, [path])
    return settings, path


def fact(db, raw) -> dict | None:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("select * from facts where raw = ?", (raw,)).fetchone()
        return dict(row) if row else None


def record(db, raw, **change):
    store = Store(db)
    try:
        return corrections.record(store.conn, fact(db, raw)["id"], author="李研究员", **change)
    finally:
        store.close()


def test_corrections_survive_reprocess_and_a_vocabulary_edit(ingested, vocabulary):
    settings, _ = ingested
    assert fact(settings.db, "42条")["indicator"] is None
    version = fact(settings.db, "11次")["extractor_version"]
    assert version
    record(settings.db, "42条", indicator="opinions_collected", reason="意见建议 raised during inspections")
    record(settings.db, "11次", value=12, reason="the printed figure is a typo; the minutes say 12")
    record(settings.db, "120名", not_a_fact=True, reason="people trained, counted elsewhere")
    assert fact(settings.db, "11次")["value"] == 12 and fact(settings.db, "120名") is None

    # the vocabulary now labels 意见建议…条 itself, and drops the indicator of the removed fact
    with open(vocabulary / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "\n  - key: opinions_raised\n    label_zh: 提出意见建议\n    label_en: Opinions raised\n"
            "    unit: 条\n    units: [条]\n    subject: [[提出意见建议]]\n"
        )
    assert reprocess_database(settings) == 1
    for _ in range(2):
        corrected = fact(settings.db, "42条")
        assert corrected["indicator"] == "opinions_collected" and corrected["correction_id"]
        assert fact(settings.db, "11次")["value"] == 12
        assert fact(settings.db, "120名") is None
        # untouched facts are as extracted, with the new extractor version
        untouched = fact(settings.db, "18次")
        assert untouched["correction_id"] is None and untouched["extractor_version"] != version
        reprocess_database(settings)
    with sqlite3.connect(settings.db) as conn:
        assert {r[0] for r in conn.execute("select status from corrections")} == {"applied"}


def test_a_correction_whose_fact_disappeared_is_reported(ingested, tmp_path):
    settings, path = ingested
    record(settings.db, "215件", value=216)
    # a new version of the file no longer states that number
    path.write_text(REPORT.read_text(encoding="utf-8").replace("，推动解决群众急难愁盼问题215件", ""), encoding="utf-8")
    assert ingest_paths(settings, [path]).results[0].status == "replaced"
    status = ingest_status(settings)
    assert [(c["raw"], c["status"]) for c in status["unapplied_corrections"]] == [("215件", "fact not found")]
    result = CliRunner().invoke(cli, ["status", "--db", str(settings.db)])
    assert "fact not found" in result.output and "215件" in result.output
    # a later version stating it again brings the correction back into force
    path.write_bytes(REPORT.read_bytes() + b"\n")
    ingest_paths(settings, [path])
    assert fact(settings.db, "215件")["value"] == 216
    assert ingest_status(settings)["unapplied_corrections"] == []


def test_cli_correct_and_export_as_gold_yaml(ingested):
    settings, _ = ingested
    runner = CliRunner()
    db = ["--db", str(settings.db)]
    fact_id = fact(settings.db, "42条")["id"]
    result = runner.invoke(cli, ["correct", str(fact_id), "--indicator", "opinions_collected", "--by", "王", *db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["correct", str(fact(settings.db, "8件")["id"]), "--not-a-fact", "--by", "王",
                                 "--why", "documents reviewed, not a count of work", *db])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(cli, ["correct", str(fact_id), "--indicator", "no_such_key", "--by", "王", *db])
    assert bad.exit_code == 2 and "unknown indicator" in bad.output
    nothing = runner.invoke(cli, ["correct", str(fact_id), "--by", "王", *db])
    assert nothing.exit_code == 2 and "say what is right" in nothing.output

    exported = runner.invoke(cli, ["corrections", "export", *db])
    assert exported.exit_code == 0, exported.output
    [entry] = yaml.safe_load(exported.output)
    assert entry["file"] == "qingshan.txt" and entry["organ"] == "青山区人大常委会" and entry["year"] == 2023
    assert [(f["indicator"], f["value"], f["unit"], f["text"]) for f in entry["facts"]] == [
        ("opinions_collected", 42, "条", "提出意见建议42条")
    ]
    [other] = entry["other_numbers"]
    assert (other["indicator"], other["value"], other["text"]) == (None, 8, "审查规范性文件8件")
    assert other["note"] == "documents reviewed, not a count of work"
    # each exported text is an exact substring of the file, as in gold.yaml
    text = (FIXTURE_REPORTS / "qingshan_2023_clean.txt").read_text(encoding="utf-8")
    assert all(f["text"] in text for f in entry["facts"] + entry["other_numbers"])


def test_a_report_field_correction_survives_reprocess_and_is_exported(ingested):
    settings, _ = ingested
    runner = CliRunner()
    db = ["--db", str(settings.db)]

    def report():
        with sqlite3.connect(settings.db) as conn:
            return conn.execute("select id, year, district from reports").fetchone()

    report_id, year, district = report()
    assert (year, district) == (2023, "青山区")
    result = runner.invoke(cli, ["correct-report", str(report_id), "year", "2022", "--by", "王",
                                 "--why", "the review covers 2022", *db])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(cli, ["correct-report", str(report_id), "year", "last year", "--by", "王", *db])
    assert bad.exit_code == 2 and "whole number" in bad.output
    bad = runner.invoke(cli, ["correct-report", str(report_id), "text", "x", "--by", "王", *db])
    assert bad.exit_code == 2 and "not a report field" in bad.output
    assert report()[1] == 2022
    reprocess_database(settings)
    assert report()[1:] == (2022, "青山区")
    [entry] = yaml.safe_load(runner.invoke(cli, ["corrections", "export", *db]).output)
    assert entry["year"] == 2022 and entry["district"] == "青山区"
    assert entry["corrected_fields"] == [
        {"field": "year", "was": "2023", "value": "2022", "correction": 1, "by": "王", "note": "the review covers 2022"}
    ]
