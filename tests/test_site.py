"""The site's own pages, downloads, cells and forms, through Datasette's test client on fixture reports."""

import csv
import io
import sqlite3

import pytest

from conftest import fixture_reports
from watcher.ingest import ingest_paths
from watcher.serve import make_datasette
from watcher.site.charts import line_chart
from watcher.site.evidence import evidence
from watcher.site.numbers import format_value, plain


def test_numbers_read_as_a_person_writes_them():
    assert plain(14.0) == "14"
    assert plain(92.80) == "92.8"
    assert format_value(92.8, "%") == "92.8%"
    assert format_value(320000000.0, "元") == "3.2亿元"
    assert format_value(45000.0, "元") == "4.5万元"
    assert format_value(800.0, "元") == "800元"
    assert format_value(11.0, "次") == "11次"


def test_evidence_marks_the_number_and_never_cuts_it_off():
    sentence = "开篇" * 120 + "召开常委会会议11次" + "其后" * 120
    text = "前文。" + sentence + "后文。"
    start = text.index("11次")
    shown = evidence(text, start, start + 3, (3, 3 + len(sentence)))
    assert "<mark>11次</mark>" in shown
    assert len(shown) < 220 and shown.startswith("…") and shown.endswith("…")
    short = evidence("全年召开主任会议18次。", 8, 11, (0, 12))
    assert short == "全年召开主任会议<mark>18次</mark>。"


def test_chart_has_a_point_per_year_with_its_value():
    svg = line_chart({"青山区": [(2022, 9.0), (2023, 11.0)]}, "次", "常委会会议")
    assert svg.count("<circle") == 2 and "青山区 2023: 11次" in svg


@pytest.fixture
def site(settings):
    ingest_paths(settings, fixture_reports())
    return settings, make_datasette(settings)


def one(settings, sql, params=()):
    conn = sqlite3.connect(settings.db)
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.close()


@pytest.mark.asyncio
async def test_report_page_shows_facts_with_marked_evidence_citations_and_text(site):
    settings, datasette = site
    report_id, title = one(settings, "select id, title from reports where district = '青山区'")
    page = (await datasette.client.get(f"/-/report/{report_id}")).text
    assert title in page
    assert "常委会会议" in page and "<mark>11次</mark>" in page  # label and the number marked in its sentence
    assert "《中华人民共和国食品安全法》" in page
    assert "/-/place/" in page and f"/reports/reports/{report_id}" in page  # links on, and back to the table row
    assert page.index("site-facts") < page.index("report-text")  # facts before the text
    assert (await datasette.client.get("/-/report/999999")).status_code == 404


@pytest.mark.asyncio
async def test_place_page_charts_its_indicators_and_lists_its_reports(site):
    _, datasette = site
    response = await datasette.client.get("/-/place/~E9~9D~92~E5~B1~B1~E5~8C~BA")  # 青山区
    assert response.status_code == 200
    page = response.text
    assert page.count('<svg class="chart"') >= 5
    assert "常委会会议" in page and "11次" in page and "98.5%" in page and "3.2亿元" in page
    assert "凝心聚力谋发展" in page
    assert (await datasette.client.get("/-/place/nowhere")).status_code == 404
    places = (await datasette.client.get("/-/places")).text
    assert '<a href="/-/place/~E9~9D~92~E5~B1~B1~E5~8C~BA">青山区</a>' in places


@pytest.mark.asyncio
async def test_indicator_page_compares_places(site):
    _, datasette = site
    page = (await datasette.client.get("/-/indicator/standing_committee_meetings")).text
    assert '<svg class="chart"' in page
    assert "青山区" in page and "11次" in page
    listing = (await datasette.client.get("/-/indicators")).text
    assert "/-/indicator/suggestion_response_rate" in listing


@pytest.mark.asyncio
async def test_tables_show_whole_numbers_rates_and_money_and_link_to_pages(site):
    settings, datasette = site
    page = (await datasette.client.get("/reports/facts?indicator=livelihood_investment")).text
    assert "3.2亿元" in page
    rows = (await datasette.client.get("/reports/facts.json?_shape=array&indicator=standing_committee_meetings")).json()
    assert rows and all(isinstance(r["value"], int) for r in rows)  # 11, not 11.0, in JSON too
    reports = (await datasette.client.get("/reports/reports")).text
    assert "/-/report/" in reports and "/-/place/" in reports
    searched = (await datasette.client.get("/reports/reports", params={"_search": "履职"})).text
    assert "<mark>履职</mark>" in searched and 'href="/-/report/' in searched  # the title both marked and linked


@pytest.mark.asyncio
async def test_column_descriptions_are_collapsed_and_only_for_present_columns(site):
    _, datasette = site
    page = (await datasette.client.get("/reports/keywords")).text
    assert '<details class="column-descriptions">' in page
    assert "<dt>indicator</dt>" not in page
    assert 'title="The report this row belongs to"' in page  # header tooltip


@pytest.mark.asyncio
async def test_query_forms_offer_choices_and_say_what_to_type(site):
    _, datasette = site
    page = (await datasette.client.get("/reports/facts_of_indicator")).text
    assert '<select id="qp1" name="indicator">' in page
    assert '<option value="standing_committee_meetings"' in page and "常委会会议" in page
    assert "0 results" not in page and "Fill in indicator" in page
    search = (await datasette.client.get("/reports/search")).text
    assert "民生实事" in search and "0 results" not in search
    chosen = (await datasette.client.get("/reports/facts_of_indicator?indicator=appointments")).text
    assert '<option value="appointments" selected>' in chosen
    assert "<mark>48人次</mark>" in chosen  # the evidence column marks the number it states


@pytest.mark.asyncio
async def test_download_is_a_complete_sqlite_file(site, tmp_path):
    settings, datasette = site
    response = await datasette.client.get("/-/download")
    assert response.status_code == 200
    copy = tmp_path / "copy.db"
    copy.write_bytes(response.content)
    conn = sqlite3.connect(copy)
    assert conn.execute("select count(*) from reports").fetchone()[0] == one(settings, "select count(*) from reports")[0]
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"


@pytest.mark.asyncio
async def test_csv_with_bom_for_excel(site):
    _, datasette = site
    with_bom = (await datasette.client.get("/-/csv/facts.csv?bom=1")).content
    plain_csv = (await datasette.client.get("/-/csv/facts.csv")).content
    assert with_bom.startswith(b"\xef\xbb\xbf") and not plain_csv.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(plain_csv.decode("utf-8"))))
    meetings = [r["value"] for r in rows if r["indicator"] == "standing_committee_meetings"]
    assert meetings and all("." not in v for v in meetings)
    table_page = (await datasette.client.get("/reports/facts")).text
    assert 'href="/-/csv/facts.csv?bom=1"' in table_page and 'href="/-/download"' in table_page
    reports = (await datasette.client.get("/-/csv/reports.csv")).text
    assert "text_bigrams" not in reports.splitlines()[0]
    assert (await datasette.client.get("/-/csv/nothing.csv")).status_code == 404
