"""Links to reports and facts still lead to the same rows after reprocess."""

import sqlite3

import pytest

from conftest import fixture_reports
from watcher.ingest import ingest_paths, reprocess_database
from watcher.serve import make_datasette


def snapshot(db):
    conn = sqlite3.connect(db)
    return {
        "reports": conn.execute("select id, title from reports order by id").fetchall(),
        "facts": conn.execute("select id, report_id, start, \"end\", raw from facts order by id").fetchall(),
        "sentences": conn.execute("select id, text from sentences order by id").fetchall(),
    }


@pytest.mark.asyncio
async def test_reprocess_keeps_every_link(settings):
    ingest_paths(settings, fixture_reports())
    before = snapshot(settings.db)
    datasette = make_datasette(settings)
    report_id, title = before["reports"][0]
    fact_id = before["facts"][0][0]
    assert reprocess_database(settings) == len(fixture_reports())
    assert snapshot(settings.db) == before
    datasette = make_datasette(settings)
    page = await datasette.client.get(f"/reports/reports/{report_id}.json?_shape=array")
    assert page.status_code == 200 and page.json()[0]["title"] == title
    fact = await datasette.client.get(f"/reports/facts/{fact_id}.json?_shape=array")
    assert fact.status_code == 200 and fact.json()[0]["raw"] == before["facts"][0][4]
    found = await datasette.client.get("/reports/reports.json", params={"_search": title[:4], "_shape": "array"})
    assert report_id in [r["id"] for r in found.json()]


@pytest.mark.asyncio
async def test_facts_are_searchable_by_their_evidence(settings):
    ingest_paths(settings, fixture_reports())
    datasette = make_datasette(settings)
    facts = (await datasette.client.get("/reports/facts.json", params={"_search": "常委会会议", "_shape": "array", "_size": "max"})).json()
    conn = sqlite3.connect(settings.db)
    expected = {r[0] for r in conn.execute(
        "select f.id from facts f join sentences s on s.id = f.sentence_id where s.text like '%常委会会议%'")}
    assert expected and {f["id"] for f in facts} == expected
