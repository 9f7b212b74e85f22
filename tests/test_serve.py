"""Datasette on the live database: through its own test client, and as the real `serve` process."""

import shutil
import time

import pytest

from conftest import Service, fixture_reports, get_json
from watcher.ingest import ingest_paths
from watcher.serve import make_datasette


@pytest.mark.asyncio
async def test_datasette_json_shows_ingested_reports(settings):
    source = fixture_reports()[0]
    ingest_paths(settings, [source])
    datasette = make_datasette(settings)
    response = await datasette.client.get("/reports/reports.json?_shape=array&_col=district&_col=year")
    assert response.status_code == 200
    rows = response.json()
    assert rows and all("district" in row for row in rows)
    # a row added after Datasette started shows at once (live file, no caching)
    ingest_paths(settings, [fixture_reports()[1]])
    again = (await datasette.client.get("/reports/reports.json?_shape=array")).json()
    assert len(again) > len(rows)


@pytest.mark.slow
def test_serve_publishes_a_dropped_file_and_stops_cleanly(settings):
    service = Service(settings.inbox, settings.db)
    base = service.base
    try:
        service.wait_until_up()
        source = fixture_reports()[0]
        dropped = time.monotonic()
        shutil.copy(source, settings.inbox / source.name)
        while not get_json(f"{base}/reports/reports.json?_shape=array"):
            assert time.monotonic() - dropped < 10, "the report never appeared"
            time.sleep(0.05)
        print(f"visible in Datasette {time.monotonic() - dropped:.2f}s after the copy")
    finally:
        returncode = service.stop()
    assert returncode == 0


@pytest.mark.slow
def test_serve_process_holds_no_numeric_libraries_or_segmenter(settings):
    """pandas, pyarrow, scipy (most of 100 MB) and the segmenter's dictionary belong to the
    prepare workers: the service process itself does not load them, before or after taking a file."""
    from pathlib import Path

    heavy = ("pandas", "pyarrow", "scipy", "rjieba")

    def loaded(pid):
        maps = Path(f"/proc/{pid}/maps").read_text()
        return sorted(name for name in heavy if f"/site-packages/{name}/" in maps or f"/site-packages/{name}." in maps)

    service = Service(settings.inbox, settings.db)
    try:
        service.wait_until_up()
        assert loaded(service.process.pid) == []
        source = fixture_reports()[0]
        shutil.copy(source, settings.inbox / source.name)
        deadline = time.monotonic() + 20
        while not get_json(f"{service.base}/reports/reports.json?_shape=array"):
            assert time.monotonic() < deadline, "the report never appeared"
            time.sleep(0.1)
        get_json(f"{service.base}/reports/reports.json?_search=%E4%BB%A3%E8%A1%A8")
        assert loaded(service.process.pid) == []
    finally:
        assert service.stop() == 0
