"""The stock search box finds exactly the rows a plain substring match finds."""

import random
import sqlite3

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from schema.models import Document, Extraction, IngestLogEntry, Report
from watcher.config import Settings
from watcher.extract.sections import split_sentences
from watcher.search import bigrams, fts_query, search
from watcher.serve import make_datasette
from watcher.store import Store

CLAUSES = [
    "召开常委会会议9次", "主任会议12次", "收到代表建议86件", "办结率92.8%", "满意率100%",
    "票决民生实事项目15个", "总投资3.2亿元", "建成代表联络站12个", "人民代表大会制度", "全过程人民民主",
    "2023年工作综述", "接待群众1260人次", "通过SGS机构检测508项指标", "开展执法检查", "专题视察轨道交通3号线",
    "践行“四个机关”定位要求", "人大代表履职", "实事求是", "民生", "事业单位改革", "代表之家", "审议意见11条",
]
TITLES = ["履职为民显担当", "民生实事暖人心", "凝心聚力谱新篇", "代表工作新风采", "2024年工作回顾"]
QUERIES = [
    "民", "事", "实", "代表", "民生", "实事", "人民代表", "人民代表大会", "民生实事", "实事民生", "代表人民",
    "全过程人民民主", "过程人民", "联络站", "代表联络站", "2023年", "23年", "2023", "92.8%", "92.8", "100%",
    "3.2亿元", "SGS", "sgs", "SGS机构", "3号线", "轨道交通3号", "“四个机关”", "四个机关", "审议意见", "意见11条",
    "履职", "显担当", "会议9次", "9次", "12个", "人次", "执法检查", "建议", "民生 联络站", "代表 2023年",
]


def corpus(count=60, seed=7):
    rng = random.Random(seed)
    reports = []
    for i in range(count):
        title = rng.choice(TITLES)
        text = "，".join(rng.sample(CLAUSES, rng.randint(2, 6))) + "。"
        reports.append((title, text))
    return reports


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "reports.db"
    store = Store(path)
    rows = corpus()
    for i, (title, text) in enumerate(rows):
        sha = f"{i:064x}"
        report = Report(seq=0, title=title, text=text, start=0, end=len(text))
        extraction = Extraction(sentences=split_sentences(text))
        store.save(
            Document(id=sha, filename=f"{i}.txt", path=f"{i}.txt", size=1, encoding="utf-8", format="txt",
                     received_at="2026-01-01T00:00:00Z", text=text, extractor_version="t"),
            [(report, extraction)],
            IngestLogEntry(filename=f"{i}.txt", path=f"{i}.txt", status="ingested", started_at="x", duration_ms=0),
        )
    store.close()
    ids = dict(sqlite3.connect(path).execute("select d.filename, r.id from reports r join documents d on d.id = r.document_id"))
    return path, [(ids[f"{i}.txt"], title, text) for i, (title, text) in enumerate(rows)]


def expected(rows, query):
    terms = query.lower().split()
    return sorted(id_ for id_, title, text in rows if all(t in f"{title} {text}".lower() for t in terms))


@pytest.mark.asyncio
@pytest.mark.parametrize("query", QUERIES)
async def test_search_box_matches_substring_semantics(database, query):
    path, rows = database
    datasette = make_datasette(Settings(db=path))
    response = await datasette.client.get(
        "/reports/reports.json", params={"_search": query, "_shape": "array", "_col": "id", "_size": "max"}
    )
    assert response.status_code == 200, response.text
    assert sorted(row["id"] for row in response.json()) == expected(rows, query)


@pytest.mark.asyncio
async def test_sentences_table_and_search_all_find_chinese(database):
    path, rows = database
    datasette = make_datasette(Settings(db=path))
    response = await datasette.client.get(
        "/reports/sentences.json", params={"_search": "代表联络站", "_shape": "array", "_size": "max"}
    )
    hits = response.json()
    assert hits and all("代表联络站" in row["text"] for row in hits)
    page = await datasette.client.get("/-/search", params={"q": "民生实事"})
    assert page.status_code == 200 and "reports" in page.text


def test_python_helper_ranks_title_hits_first(database):
    path, rows = database
    hits = search(path, "民生实事", limit=100)
    assert sorted(h["id"] for h in hits) == expected(rows, "民生实事")
    in_title = [("民生实事" in h["title"]) for h in hits]
    assert in_title == sorted(in_title, reverse=True)


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("民生实事", "民生 生实 实事 事"),
        ("2023年", "2 0 2 3 年"),
        ("SGS机构", "sgs 机构 构"),
        ("", ""),
    ],
)
def test_bigrams(text, tokens):
    assert bigrams(text) == tokens


def test_queries_become_phrases():
    assert fts_query("民生实事") == '"民生 生实 实事"'
    assert fts_query("民") == '"民"*'
    assert fts_query("民生 2023") == '"民生" AND "2 0 2 3"'
    assert fts_query('"') == '""'


def test_plain_sqlite_pandas_and_sqlite_utils_read_the_file(database):
    import sqlite3

    import pandas as pd
    import sqlite_utils

    path, rows = database
    conn = sqlite3.connect(path)  # no extension loaded
    frame = pd.read_sql(
        "select reports.id from reports_fts join reports on reports.rowid = reports_fts.rowid "
        "where reports_fts match ?", conn, params=[fts_query("代表联络站")],
    )
    assert sorted(frame["id"]) == expected(rows, "代表联络站")
    hits = list(sqlite_utils.Database(path)["reports"].search(fts_query("民生实事"), columns=["id"]))
    assert sorted(h["id"] for h in hits) == expected(rows, "民生实事")


@pytest.mark.asyncio
async def test_site_search_shows_titles_and_marked_excerpts(database):
    path, rows = database
    datasette = make_datasette(Settings(db=path))
    page = (await datasette.client.get("/-/search", params={"q": "代表联络站"})).text
    assert "<mark>代表联络站</mark>" in page
    count = len(expected(rows, "代表联络站"))
    assert f"Reports · 报告: {count:,}" in page
    assert any(title in page for title in TITLES) and "bigram" not in page
    table = (await datasette.client.get("/reports/reports", params={"_search": "联络站"})).text
    assert "<mark>联络站</mark>" in table


@pytest.mark.asyncio
async def test_ranked_search_orders_by_a_visible_score(database):
    path, rows = database
    datasette = make_datasette(Settings(db=path))
    hits = (await datasette.client.get("/reports/search.json", params={"q": "民生", "_shape": "array"})).json()
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1 and min(scores) >= 1
    top = next(r for r in rows if r[0] == hits[0]["report_id"])
    assert hits[0]["score"] == 10 * top[1].count("民生") + top[2].count("民生")



@hypothesis_settings(max_examples=500)
@given(st.text(alphabet="人大代表常委会abcXYZİßΣ²０１９09_-. \n，。𠀀㐀豈\x00\x01", max_size=40))
def test_bigrams_of_a_whole_text_are_its_tokens_bigrams_one_by_one(text):
    from watcher.search import _bigrams_by_token

    assert bigrams(text) == _bigrams_by_token(text)
