"""The published site: every column described, every prepared query runs, the dashboard renders."""

import sqlite3

import pytest

from conftest import fixture_reports
from schema.metadata import datasette_metadata
from watcher.ingest import ingest_paths
from watcher.serve import make_datasette


@pytest.fixture
def site(settings):
    ingest_paths(settings, fixture_reports())
    return settings, make_datasette(settings)


def test_every_column_of_every_table_is_described(site):
    settings, _ = site
    tables = datasette_metadata("reports")["databases"]["reports"]["tables"]
    conn = sqlite3.connect(settings.db)
    names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' and name not like '%_fts%'")]
    assert set(names) <= set(tables)
    for table in names:
        columns = {r[1] for r in conn.execute(f"pragma table_info([{table}])")}
        described = set(tables[table]["columns"])
        assert columns <= described, (table, columns - described)
        assert tables[table]["description"]


@pytest.mark.asyncio
async def test_every_prepared_query_runs(site):
    _, datasette = site
    queries = datasette_metadata("reports")["databases"]["reports"]["queries"]
    params = {"q": "民生实事", "indicator": "appointments", "report_id": "1"}
    for name in queries:
        response = await datasette.client.get(f"/reports/{name}.json", params={**params, "_shape": "array"})
        assert response.status_code == 200, (name, response.text)
    rows = (await datasette.client.get("/reports/search.json", params={"q": "民生实事", "_shape": "array"})).json()
    assert rows and all("民生实事" in row["excerpt"] for row in rows)


@pytest.mark.asyncio
async def test_indicator_by_district_year_has_one_row_per_district_year(site):
    _, datasette = site
    rows = (await datasette.client.get("/reports/indicator_by_district_year.json?_shape=array&year=all")).json()
    keys = [(r["市"], r["区县"], r["年份"]) for r in rows]
    assert len(keys) == len(set(keys))
    qingshan = next(r for r in rows if r["区县"] == "青山区" and r["年份"] == 2023)
    # Chinese column labels; a count is an integer in JSON, not 11.0
    assert (qingshan["常委会会议"], qingshan["代表建议办结率"]) == (11, 100)
    assert isinstance(qingshan["常委会会议"], int)
    one_year = (await datasette.client.get("/reports/indicator_by_district_year.json?_shape=array&year=2023")).json()
    assert one_year and {r["年份"] for r in one_year} == {2023}


@pytest.mark.asyncio
async def test_pages_and_dashboard(site):
    settings, datasette = site
    fact = sqlite3.connect(settings.db).execute("select min(id) from facts").fetchone()[0]
    for path in ("/", "/reports", "/reports/reports", "/reports/facts", f"/reports/facts/{fact}", "/-/dashboards/report-inbox"):
        response = await datasette.client.get(path)
        assert response.status_code == 200, path
    reports_page = (await datasette.client.get("/reports/reports")).text
    assert "report-inbox.css" in reports_page
    fact_page = (await datasette.client.get(f"/reports/facts/{fact}")).text
    assert '/reports/reports/' in fact_page and '/reports/sentences?id=' in fact_page
    # no index column reaches a page, a JSON row or a CSV export
    assert "bigram" not in reports_page
    assert "bigram" not in (await datasette.client.get("/reports/reports.csv?_size=max")).text.lower()
