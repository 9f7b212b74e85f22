"""Correcting from the site: refused without the owner's token, stored and kept with it."""

import sqlite3

import pytest

from conftest import FIXTURE_REPORTS
from watcher.ingest import ingest_paths, reprocess_database
from watcher.serve import make_datasette

TOKEN = "s3cret-token-for-tests"


def corrections(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("select author, value, status from corrections").fetchall()


def fact_of(db, raw):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, value, correction_id from facts where raw = ?", (raw,)).fetchone()


@pytest.fixture
def ingested(settings):
    ingest_paths(settings, [FIXTURE_REPORTS / "qingshan_2023_clean.txt"])
    return settings


@pytest.mark.asyncio
async def test_default_site_is_read_only(ingested):
    datasette = make_datasette(ingested)
    fact_id = fact_of(ingested.db, "11次")[0]
    body = {"fact_id": fact_id, "value": 12, "author": "anyone"}
    anonymous = await datasette.client.post("/-/correct", json=body)
    assert anonymous.status_code == 403
    guessed = await datasette.client.post("/-/correct", json=body, headers={"Authorization": "Bearer guess"})
    assert guessed.status_code == 403
    assert (await datasette.client.get(f"/-/correct?fact_id={fact_id}")).status_code == 403
    assert corrections(ingested.db) == [] and fact_of(ingested.db, "11次")[1] == 11


@pytest.mark.asyncio
async def test_token_write_is_stored_and_survives_reprocess(ingested, monkeypatch):
    from watcher.config import Settings

    monkeypatch.setenv("REPORT_INBOX_CORRECTION_TOKEN", TOKEN)
    settings = Settings(**{**ingested.model_dump(exclude={"correction_token"})})
    datasette = make_datasette(settings)
    fact_id = fact_of(settings.db, "11次")[0]
    body = {"fact_id": fact_id, "value": 12, "author": "编辑部", "reason": "minutes say 12"}

    assert (await datasette.client.post("/-/correct", json=body)).status_code == 403
    wrong = await datasette.client.post("/-/correct", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and corrections(settings.db) == []

    response = await datasette.client.post("/-/correct", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    assert corrections(settings.db) == [("编辑部", 12.0, "applied")]
    # the form on the site posts the token as a field
    form = await datasette.client.get(f"/-/correct?fact_id={fact_id}")
    assert form.status_code == 200 and 'name="token"' in form.text
    posted = await datasette.client.post(
        "/-/correct", data={"fact_id": str(fact_of(settings.db, "18次")[0]), "not_a_fact": "1",
                            "author": "编辑部", "token": TOKEN},
    )
    assert posted.status_code == 201, posted.text
    invalid = await datasette.client.post(
        "/-/correct", json={**body, "indicator": "no_such_key"}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert invalid.status_code == 400 and "unknown indicator" in invalid.json()["error"]

    reprocess_database(settings)
    _, value, correction_id = fact_of(settings.db, "11次")
    assert value == 12 and correction_id
    assert fact_of(settings.db, "18次") is None
    page = await datasette.client.get(f"/reports/facts.json?_shape=array&raw=11次")
    assert page.json()[0]["correction_id"] == correction_id


@pytest.mark.asyncio
async def test_a_report_field_is_corrected_with_the_token_only(ingested):
    from pydantic import SecretStr

    settings = ingested.model_copy(update={"correction_token": SecretStr(TOKEN)})
    datasette = make_datasette(settings)
    with sqlite3.connect(settings.db) as conn:
        report_id = conn.execute("select id from reports").fetchone()[0]
    body = {"report_id": report_id, "field": "year", "field_value": "2022", "author": "编辑部"}
    assert (await datasette.client.post("/-/correct", json=body)).status_code == 403
    response = await datasette.client.post("/-/correct", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    reprocess_database(settings)
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("select year from reports where id = ?", (report_id,)).fetchone() == (2022,)
