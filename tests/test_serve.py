"""Datasette on the live database: through its own test client, and as the real `serve` process."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import fixture_reports
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


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@pytest.mark.slow
def test_serve_publishes_a_dropped_file_and_stops_cleanly(python, settings, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [python, "-m", "watcher", "serve", "--inbox", str(settings.inbox), "--db", str(settings.db),
         "--port", str(port), "--settle", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/reports/reports.json?_shape=array")
                break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.2)
        source = fixture_reports()[0]
        dropped = time.monotonic()
        shutil.copy(source, settings.inbox / source.name)
        while not get_json(f"{base}/reports/reports.json?_shape=array"):
            assert time.monotonic() - dropped < 10, "the report never appeared"
            time.sleep(0.05)
        print(f"visible in Datasette {time.monotonic() - dropped:.2f}s after the copy")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0
