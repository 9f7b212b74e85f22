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
    # files are committed in the order the workers finish: the lowest id need not have a title
    report_id, title = next(r for r in before["reports"] if r[1])
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
async def test_facts_are_searchable_by_subject_and_sentence(settings):
    ingest_paths(settings, fixture_reports())
    datasette = make_datasette(settings)
    facts = (await datasette.client.get("/reports/facts.json", params={"_search": "常委会会议", "_shape": "array", "_size": "max"})).json()
    conn = sqlite3.connect(settings.db)
    expected = {
        id_ for id_, subject, sentence, title, text in conn.execute(
            "select f.id, f.subject, s.text, r.title, r.text from facts f join reports r on r.id = f.report_id "
            "left join sentences s on s.id = f.sentence_id")
        if "常委会会议" in f"{title} {text}" and "常委会会议" in f"{subject} {sentence}"
    }
    assert expected and {f["id"] for f in facts} == expected
    html = (await datasette.client.get("/reports/facts", params={"_search": "常委会会议"})).text
    assert f"{len(expected)} row" in html and 'name="_search"' in html


@pytest.mark.asyncio
async def test_a_fact_is_found_by_the_words_of_its_sentence(tmp_path):
    from schema.models import Document, Extraction, Fact, IngestLogEntry, Report, Sentence
    from watcher.config import Settings
    from watcher.store import Store

    text = "组建8个民生实事项目监督专班。"
    store = Store(tmp_path / "reports.db")
    fact = Fact(sentence_seq=0, subject="组建民生实事项目监督专班", value=8, unit="个", raw="8个", start=2, end=4)
    store.save(
        Document(id="a" * 64, filename="a.txt", path="a.txt", size=1, encoding="utf-8", format="txt",
                 received_at="x", text=text, extractor_version="t"),
        [(Report(seq=0, text=text, start=0, end=len(text)),
          Extraction(sentences=[Sentence(seq=0, text=text, start=0, end=len(text))], facts=[fact]))],
        IngestLogEntry(filename="a.txt", path="a.txt", status="ingested", started_at="x", duration_ms=0),
    )
    store.close()
    datasette = make_datasette(Settings(db=tmp_path / "reports.db"))
    for query, hits in (("8个民生", 1), ("专班", 1), ("组建8个民生实事项目监督专班外", 0), ("组建8个 专班", 1), ("专班 外", 0)):
        rows = (await datasette.client.get("/reports/facts.json", params={"_search": query, "_shape": "array"})).json()
        assert len(rows) == hits, query
