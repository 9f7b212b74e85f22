"""The reports table's facets: every hit of a search counted, by each faceted column, as
Datasette's own column facet counts them; choosing a value narrows the search."""

import random
from collections import Counter

import pytest

from schema.metadata import site
from schema.models import Document, Extraction, IngestLogEntry, Report
from watcher.config import Settings
from watcher.extract.sections import split_sentences
from watcher.serve import make_datasette
from watcher.site.facets import facets_sql
from watcher.store import Store

PLACES = [("青山区", "武汉市", "湖北省"), ("金牛区", "成都市", "四川省"), ("城中区", "西宁市", "青海省"),
          ("城西区", "西宁市", "青海省"), (None, "贵阳市", "贵州省")]
CLAUSES = ["召开常委会会议9次", "票决民生实事项目15个", "建成代表联络站12个", "开展执法检查3次", "收到代表建议86件",
           "全过程人民民主", "专题视察轨道交通3号线", "审议意见11条"]
GENRES = ["工作综述", "工作报告", "履职纪实", None]
FACETED = site()["tables"]["reports"]["facets"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Sixty reports in five places and six years; returns the database and each report's columns."""
    path = tmp_path_factory.mktemp("facets") / "reports.db"
    rng = random.Random(3)
    store = Store(path)
    rows = []
    for i in range(60):
        district, city, province = rng.choice(PLACES)
        text = "，".join(rng.sample(CLAUSES, rng.randint(2, 5))) + f"。第{i}篇。"
        report = Report(
            seq=0, title=f"{city}人大常委会{2018 + i % 6}年工作", text=text, start=0, end=len(text),
            district=district, city=city, province=province, year=rng.choice([2019, 2020, 2021, 2022, 2023, None]),
            genre=rng.choice(GENRES), level="county" if district else "city",
        )
        store.save(
            Document(id=f"{i:064x}", filename=f"{i}.txt", path=f"{i}.txt", size=len(text), encoding="utf-8",
                     format="txt", received_at="2026-01-01T00:00:00Z", text=text, extractor_version="t"),
            [(report, Extraction(sentences=split_sentences(text)))],
            IngestLogEntry(filename=f"{i}.txt", path=f"{i}.txt", status="ingested", started_at="x", duration_ms=0),
        )
        rows.append(report)
    store.close()
    return path, rows


def truth(rows, query, column):
    """How many reports holding ``query`` have each value of ``column`` (a plain substring match)."""
    return Counter(getattr(r, column) for r in rows if query in r.text or query in r.title) - Counter({None: 10**6})


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["代表", "民生实事", "执法检查", "民", "不存在的词"])
async def test_searched_page_counts_every_hit_and_facets_them_all(reports, query):
    path, rows = reports
    datasette = make_datasette(Settings(db=path))
    page = (await datasette.client.get("/reports/reports.json", params={"_search": query, "_size": "max"})).json()
    hits = sum(1 for r in rows if query in r.text or query in r.title)
    assert page["filtered_table_rows_count"] == hits and len(page["rows"]) == hits
    assert not page.get("facets_timed_out")
    facets = page["facet_results"]
    assert sorted(facets) == sorted(FACETED)
    for column in FACETED:
        shown = {item["value"]: item["count"] for item in facets[column]["results"]}
        assert shown == truth(rows, query, column), column
        counts = [item["count"] for item in facets[column]["results"]]
        assert counts == sorted(counts, reverse=True)


@pytest.mark.asyncio
async def test_the_page_a_researcher_sees_states_the_hits_and_their_facets(reports):
    path, rows = reports
    datasette = make_datasette(Settings(db=path))
    html = (await datasette.client.get("/reports/reports", params={"_search": "执法检查"})).text
    hits = sum(1 for r in rows if "执法检查" in r.text)
    assert f"{hits} rows" in html
    for column in FACETED:
        assert f'data-column="{column}"' in html
    top_city, top_count = truth(rows, "执法检查", "city").most_common(1)[0]
    assert f">{top_city}</a> {top_count}<" in html


@pytest.mark.asyncio
@pytest.mark.parametrize("params", [{}, {"_search": "代表"}, {"_search": "民", "province": "青海省"}])
async def test_facets_equal_datasettes_own_column_facets(reports, params):
    """Asking Datasette's column facet for the same columns (``_facet=``) gives the same values,
    counts and links."""
    path, _ = reports
    datasette = make_datasette(Settings(db=path))
    page = (await datasette.client.get(
        "/reports/reports.json", params=[*params.items(), *(("_facet", c) for c in FACETED)]
    )).json()
    for column in FACETED:
        ours, datasettes = page["facet_results"][column], page["facet_results"][f"{column}_2"]
        assert ours["results"] == datasettes["results"], column
        assert ours["truncated"] == datasettes["truncated"]


@pytest.mark.asyncio
async def test_choosing_a_facet_value_narrows_the_search(reports):
    path, rows = reports
    datasette = make_datasette(Settings(db=path))
    page = (await datasette.client.get("/reports/reports.json", params={"_search": "代表"})).json()
    chosen = page["facet_results"]["province"]["results"][0]
    narrowed = (await datasette.client.get(chosen["toggle_url"].removeprefix("http://localhost"))).json()
    assert narrowed["filtered_table_rows_count"] == chosen["count"]
    province = narrowed["columns"].index("province")
    assert {r[province] for r in narrowed["rows"]} == {chosen["value"]}
    selected = [v for v in narrowed["facet_results"]["province"]["results"] if v["selected"]]
    assert [v["value"] for v in selected] == [chosen["value"]]


def test_facet_query_counts_each_column_once_over_the_rows():
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (a, b)")
    conn.executemany("insert into t values (?, ?)", [(1, "x"), (1, "y"), (2, "y"), (None, "y"), (3, None)])
    rows = conn.execute(facets_sql("select * from t where a is not 3", ["a", "b"], 10)).fetchall()
    assert rows == [(0, 1, 2), (0, 2, 1), (1, "y", 3), (1, "x", 1)]
    assert conn.execute(facets_sql("select * from t", ["a"], 1)).fetchall() == [(0, 1, 2)]
