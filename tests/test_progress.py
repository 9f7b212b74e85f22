"""Progress of long runs: files done, MB/s and time left, as a log line when not on a terminal."""

import logging

import pytest

from conftest import fixture_reports
from watcher.progress import Progress


def test_the_line_says_files_rate_and_time_left():
    progress = Progress("ingest", files=4, size=4_000_000, bar=False)
    progress.started -= 10  # ten seconds in
    progress.advance(1_000_000)
    line = progress.line()
    assert line.startswith("ingest: 1/4 files, 1.0/4.0 MB, 0.10 MB/s, ")
    assert line.endswith("30 s left")


def test_time_left_is_unknown_before_the_first_file():
    assert Progress("reprocess", files=2, size=10, bar=False).line().endswith("unknown left")


@pytest.mark.slow
def test_ingest_without_a_terminal_logs_progress(settings, caplog):
    from watcher.ingest import ingest_paths

    with caplog.at_level(logging.INFO, logger="report_inbox"):
        summary = ingest_paths(settings, fixture_reports(), progress=True)
    assert summary.count("ingested") == 3
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ingest: ")]
    assert lines and lines[-1].startswith("ingest: 3/3 files, ")
    assert " MB/s, 0 s left" in lines[-1]


@pytest.mark.slow
def test_a_watcher_backfill_logs_progress(settings, tmp_path, caplog):
    import queue

    from variants import report_variants
    from watcher.watch import BACKFILL_FILES, watching

    settings.inbox.mkdir(parents=True)
    for name, text in report_variants(fixture_reports(), BACKFILL_FILES + 2):
        (settings.inbox / name).write_text(text, encoding="utf-8")
    results: queue.Queue = queue.Queue()
    with caplog.at_level(logging.INFO, logger="report_inbox"), watching(settings, on_result=results.put):
        for _ in range(BACKFILL_FILES + 2):
            assert results.get(timeout=60).status == "ingested"
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("backfill: ")]
    assert lines and lines[-1].startswith(f"backfill: {BACKFILL_FILES + 2}/{BACKFILL_FILES + 2} files, ")
