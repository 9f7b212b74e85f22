import sqlite3
import time

import pytest

from schema.models import Document, Extraction, Fact, IngestLogEntry, Keyword, Report, Sentence
from schema.vocabulary import Vocabulary
from watcher.store import Store


def document(sha="a" * 64, filename="r.txt"):
    return Document(
        id=sha, filename=filename, path=f"/x/{filename}", size=3, encoding="utf-8", format="txt",
        received_at="2026-01-01T00:00:00+00:00", text="召开常委会会议9次。", extractor_version="t",
    )


def log(sha="a" * 64, status="ingested"):
    return IngestLogEntry(filename="r.txt", path="/x/r.txt", sha256=sha, status=status,
                          started_at="2026-01-01T00:00:00+00:00", duration_ms=1.0)


def records(indicator="standing_committee_meetings"):
    text = "召开常委会会议9次。"
    report = Report(seq=0, title="标题", text=text, start=0, end=len(text), district="城中区")
    extraction = Extraction(
        sentences=[Sentence(seq=0, text=text, start=0, end=len(text))],
        facts=[Fact(sentence_seq=0, indicator=indicator, subject="召开常委会会议", value=9, unit="次",
                    raw="9次", start=7, end=9)],
    )
    return [(report, extraction)]


@pytest.fixture
def vocabulary(tmp_path):
    folder = tmp_path / "vocabulary"
    folder.mkdir()
    (folder / "indicators.yaml").write_text(
        "indicators:\n"
        "  - {key: standing_committee_meetings, label_zh: 常委会会议, label_en: Standing committee meetings}\n"
        "  - {key: chair_meetings, label_zh: 主任会议, label_en: Chair meetings}\n",
        encoding="utf-8",
    )
    return Vocabulary.load(folder)


@pytest.fixture
def store(tmp_path, vocabulary):
    s = Store(tmp_path / "r.db")
    s.sync_indicators(vocabulary)
    yield s
    s.close()


def test_save_writes_linked_rows_readable_with_plain_sqlite(store, tmp_path):
    store.save(document(), records(), log())
    conn = sqlite3.connect(tmp_path / "r.db")
    fact = conn.execute(
        "select f.value, f.indicator, s.text, r.district from facts f join sentences s on s.id = f.sentence_id "
        "join reports r on r.id = f.report_id"
    ).fetchone()
    assert fact == (9.0, "standing_committee_meetings", "召开常委会会议9次。", "城中区")
    assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


def test_a_failing_write_leaves_nothing(store, tmp_path):
    bad = records()
    # the last rows of the document break the keywords table's key, after everything else went in
    bad[0][1].keywords = [Keyword(keyword="民生", weight=1.0, rank=1), Keyword(keyword="民生", weight=0.5, rank=2)]
    with pytest.raises(sqlite3.IntegrityError):
        store.save(document(), bad, log())
    conn = sqlite3.connect(tmp_path / "r.db")
    for table in ("documents", "reports", "sentences", "facts", "ingest_log"):
        assert conn.execute(f"select count(*) from {table}").fetchone() == (0,), table


def test_unknown_indicator_is_stored_as_null(store, tmp_path):
    store.save(document(), records(indicator="no_such_indicator"), log())
    assert sqlite3.connect(tmp_path / "r.db").execute("select indicator from facts").fetchone() == (None,)


def test_replacing_a_document_removes_its_rows(store, tmp_path):
    store.save(document("a" * 64), records(), log())
    store.save(document("b" * 64), records(), log("b" * 64, "replaced"), replaces=["a" * 64])
    conn = sqlite3.connect(tmp_path / "r.db")
    assert conn.execute("select id from documents").fetchall() == [("b" * 64,)]
    assert conn.execute("select count(*) from reports").fetchone() == (1,)
    assert conn.execute("select count(*) from facts").fetchone() == (1,)


def test_migrations_are_applied_once(tmp_path):
    Store(tmp_path / "r.db").close()
    store = Store(tmp_path / "r.db")
    assert store.conn.execute("pragma user_version").fetchone()[0] >= 3
    store.close()


def test_indicators_follow_the_vocabulary_file(store, tmp_path, vocabulary):
    store.save(document(), records(), log())
    (vocabulary.folder / "indicators.yaml").write_text(
        "indicators:\n  - {key: chair_meetings, label_zh: 主任会议, label_en: Chair meetings}\n", encoding="utf-8"
    )
    store.sync_indicators(Vocabulary.load(vocabulary.folder))
    conn = sqlite3.connect(tmp_path / "r.db")
    assert conn.execute("select key from indicators").fetchall() == [("chair_meetings",)]
    # a fact whose indicator left the vocabulary keeps its row, with no label
    assert conn.execute("select indicator, value from facts").fetchall() == [(None, 9.0)]


def test_document_frequencies_follow_saves_and_replacements(store):
    store.term_counter = lambda text: set(text.split())
    for i, text in enumerate(["民生 实事 代表", "代表 联络站"]):
        sha = f"{i:064x}"
        report = Report(seq=0, text=text, start=0, end=len(text))
        store.save(document(sha, f"{i}.txt"), [(report, Extraction(terms=dict.fromkeys(text.split(), 1)))], log(sha))
    assert store.corpus_documents() == 2
    assert store.term_frequencies(["代表", "民生", "联络站", "无"]) == {"代表": 2, "民生": 1, "联络站": 1}
    # a new version of the second file: its old terms leave, its new ones come in
    text = "代表 建议"
    report = Report(seq=0, text=text, start=0, end=len(text))
    store.save(document("f" * 64, "1.txt"), [(report, Extraction(terms={"代表": 1, "建议": 1}))], log("f" * 64),
               replaces=[f"{1:064x}"])
    assert store.corpus_documents() == 2
    assert store.term_frequencies(["代表", "联络站", "建议"]) == {"代表": 2, "建议": 1}


def test_keywords_are_ranked_from_the_stored_frequencies(store, tmp_path, monkeypatch):
    monkeypatch.setattr("watcher.store.CORPUS_MIN_DOCUMENTS", 2)
    for i in range(3):
        sha = f"{i:064x}"
        terms = {"代表": 1, "常委会": 1} | ({"联络站": 1} if i == 2 else {})
        report = Report(seq=0, text="x", start=0, end=1)
        store.save(document(sha, f"{i}.txt"), [(report, Extraction(terms=terms))], log(sha))
    conn = sqlite3.connect(tmp_path / "r.db")
    last = conn.execute(
        "select keyword from keywords k join reports r on r.id = k.report_id "
        "where r.document_id = ? order by rank", (f"{2:064x}",)
    ).fetchall()
    # the term only this document holds weighs most; the ones every document holds weigh less
    assert last == [("联络站",), ("代表",), ("常委会",)]


def test_a_batch_commits_good_files_and_drops_a_bad_one_whole(store, tmp_path):
    bad = records()
    bad[0][1].keywords = [Keyword(keyword="民生", weight=1.0, rank=1), Keyword(keyword="民生", weight=0.5, rank=2)]
    with store.batch():
        store.save(document("a" * 64, "a.txt"), records(), log("a" * 64))
        with pytest.raises(sqlite3.IntegrityError):
            store.save(document("b" * 64, "b.txt"), bad, log("b" * 64))
        store.save(document("c" * 64, "c.txt"), records(), log("c" * 64))
        # nothing is visible to other connections until the batch commits
        assert sqlite3.connect(tmp_path / "r.db").execute("select count(*) from documents").fetchone() == (0,)
    conn = sqlite3.connect(tmp_path / "r.db")
    assert conn.execute("select id from documents order by id").fetchall() == [("a" * 64,), ("c" * 64,)]
    assert conn.execute("select count(*) from facts").fetchone() == (2,)
    assert conn.execute("select count(*) from ingest_log").fetchone() == (2,)


def test_ids_survive_rederiving_and_are_never_reused(store, tmp_path):
    store.save(document(), records(), log())
    conn = sqlite3.connect(tmp_path / "r.db")
    query = "select (select id from reports), (select id from sentences), (select id from facts)"
    before = conn.execute(query).fetchone()
    more = records()
    more[0][1].facts.insert(0, more[0][1].facts[0].model_copy(update={"raw": "会议", "start": 5, "end": 7}))
    store.replace_reports("a" * 64, more, "t2")
    # the report, its sentence and its old fact keep their ids; the new fact gets one of its own
    assert conn.execute("select id from reports").fetchall() == [(before[0],)]
    assert conn.execute("select id from sentences").fetchall() == [(before[1],)]
    assert before[2] in [r[0] for r in conn.execute("select id from facts")]
    assert conn.execute("select count(*) from facts").fetchone() == (2,)
    # a new version of the file is a new document: new ids, none of them an id the old rows had
    store.save(document("b" * 64), records(), log("b" * 64, "replaced"), replaces=["a" * 64])
    after = conn.execute(query).fetchone()
    assert all(new > old for new, old in zip(after, before))


def test_deleting_rows_uses_indexes_on_every_foreign_key(store):
    plans = {
        "facts": "select 1 from facts where sentence_id = 1",
        "citations": "select 1 from citations where sentence_id = 1",
        "sentences": "select 1 from sentences where section_id = 1",
    }
    for table, sql in plans.items():
        plan = " ".join(str(row[-1]) for row in store.conn.execute("explain query plan " + sql))
        assert "USING" in plan and "INDEX" in plan, (table, plan)


def test_the_search_index_follows_replacements_and_rederiving(store, tmp_path):
    from watcher.search import search

    store.save(document("a" * 64), records(), log())
    assert [h["district"] for h in search(tmp_path / "r.db", "常委会会议")] == ["城中区"]
    text = "建成代表联络站12个。"
    report = Report(seq=0, title="新标题", text=text, start=0, end=len(text))
    new = [(report, Extraction(sentences=[Sentence(seq=0, text=text, start=0, end=len(text))]))]
    store.save(document("b" * 64), new, log("b" * 64, "replaced"), replaces=["a" * 64])
    assert search(tmp_path / "r.db", "常委会会议") == []
    assert [h["title"] for h in search(tmp_path / "r.db", "联络站")] == ["新标题"]
    store.replace_reports("b" * 64, records(), "t2")
    assert search(tmp_path / "r.db", "联络站") == [] and search(tmp_path / "r.db", "联络站", table="sentences") == []
    assert len(search(tmp_path / "r.db", "常委会会议", table="sentences")) == 1
    integrity = sqlite3.connect(tmp_path / "r.db")
    # every row the index points at exists
    assert integrity.execute(
        "select count(*) from reports_fts where reports_fts match '\"会\"*' and rowid not in (select id from reports)"
    ).fetchone() == (0,)



def index_contents(conn, table):
    """Every (term, row, column, offset) the table's search index holds."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_terms USING fts5vocab(main, {table}_fts, instance)")
    return sorted(conn.execute(f"SELECT * FROM temp.{table}_terms"))


def test_a_batch_indexes_exactly_what_it_commits(store, tmp_path):
    """Index rows wait for the batch's COMMIT: a file replaced, a file rolled back and a file
    rederived within one batch leave the index as rebuilding it from the tables would."""
    from watcher.search import SEARCH_INDEXES, rebuild_index

    store.term_counter = lambda text: {"常委会会议"} if "常委会" in text else {"联络站"}
    text = "建成代表联络站12个。"
    station = [(Report(seq=0, title="联络站", text=text, start=0, end=len(text)),
                Extraction(sentences=[Sentence(seq=0, text=text, start=0, end=len(text))], terms={"联络站": 1}))]
    bad = records()
    bad[0][1].keywords = [Keyword(keyword="民生", weight=1.0, rank=1), Keyword(keyword="民生", weight=0.5, rank=2)]
    counted = records()
    counted[0][1].terms = {"常委会会议": 1}
    with store.batch():
        store.save(document("a" * 64, "a.txt"), counted, log("a" * 64))
        store.save(document("b" * 64, "a.txt"), station, log("b" * 64, "replaced"), replaces=["a" * 64])
        with pytest.raises(sqlite3.IntegrityError):
            store.save(document("c" * 64, "c.txt"), bad, log("c" * 64))
        store.save(document("d" * 64, "d.txt"), records(), log("d" * 64))
        store.replace_reports("d" * 64, station, "t2")
        store.save(document("e" * 64, "e.txt"), counted, log("e" * 64))
    conn = store.conn
    held = {table: index_contents(conn, table) for table in SEARCH_INDEXES}
    assert held["reports"]
    for table in SEARCH_INDEXES:
        rebuild_index(conn, table)
        assert index_contents(conn, table) == held[table], table
    assert store.corpus_documents() == 3
    assert store.term_frequencies(["联络站", "常委会会议"]) == {"联络站": 1, "常委会会议": 1}


def test_tidy_merges_the_index_and_gives_freed_pages_back(store, tmp_path):
    from watcher.search import search

    for i in range(60):
        text = f"第{i}次常委会会议审议代表联络站建设情况的报告。" * 20
        report = Report(seq=0, title=f"报告{i}", text=text, start=0, end=len(text))
        with store.batch():
            store.save(document(f"{i:064x}", f"{i}.txt"), [(report, Extraction())], log(f"{i:064x}"))
    held = index_contents(store.conn, "reports")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = (tmp_path / "r.db").stat().st_size
    store.tidy()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert store.conn.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert (tmp_path / "r.db").stat().st_size < before
    assert index_contents(store.conn, "reports") == held
    assert len(search(tmp_path / "r.db", "第59次常委会")) == 1

GROWTH_BOUND = 7.0  # linear growth measures about 4 per 4x; quadratic would be 16


@pytest.mark.slow
def test_a_large_document_is_stored_in_time_that_grows_with_its_size(tmp_path):
    """A document of many reports (a year's newspaper pages in one file) stores in CPU time
    that grows linearly with its size and stays below the time it took to read it (its keywords
    once read jieba's IDF table per report: a 1.5 MB file took minutes). CPU time of this
    process, so other processes on the machine do not count. Figures: benchmarks/large_document.py."""
    from conftest import fixture_reports
    from variants import long_report
    from watcher.extract.keywords import default_idf
    from watcher.prepare import Job, prepare

    vocabulary = Vocabulary.load()
    prepare(Job("warm", "warm.txt", text="区人大常委会召开常委会会议3次。"), vocabulary)
    default_idf(["代表"])  # the table's median, computed once per process
    times = {}
    for megabytes in (0.1, 0.4):
        text = long_report(fixture_reports(), megabytes)
        started = time.process_time()
        prepared = prepare(Job("big", "big.txt", text=text), vocabulary)
        reading = time.process_time() - started
        store = Store(tmp_path / f"{megabytes}.db")
        sha = "b" * 64
        big = document(sha, "big.txt").model_copy(update={"text": text, "size": len(text.encode())})
        started = time.process_time()
        store.save(big, prepared.reports, log(sha), index=prepared.index)
        times[megabytes] = time.process_time() - started, reading
        assert store.report_count() == len(prepared.reports) > 30
        store.close()
    (small, _), (large, reading) = times[0.1], times[0.4]
    assert large / max(small, 0.02) < GROWTH_BOUND
    assert large < reading, f"storing took {large:.2f} s, reading {reading:.2f} s"


def test_reading_sentences_through_the_view_never_computes_the_whole_view(store):
    """Facts are shown with their sentence everywhere (LEFT JOIN sentences): each such query
    must look sentences up by id, not compute every sentence's text first."""
    queries = [
        "select f.id, s.text from facts f left join sentences s on s.id = f.sentence_id where f.report_id = 1",
        "select s.text from sentences s where s.report_id = 1 order by s.seq",
        "select r.title, s.text from reports r join sentences s on s.report_id = r.id where r.id = 1",
    ]
    for sql in queries:
        plan = " ".join(str(row[-1]) for row in store.conn.execute("explain query plan " + sql))
        assert "MATERIALIZE" not in plan and "SCAN" not in plan, (sql, plan)


def test_a_run_small_beside_the_database_leaves_the_index_unmerged(tmp_path, vocabulary):
    """Merging the index costs a pass over all of it: a run that stored few files beside what the
    database holds leaves it be; a run of a tenth of the documents or more merges it."""
    from watcher.config import Settings
    from watcher.ingest import Ingestor

    settings = Settings(inbox=tmp_path / "inbox", db=tmp_path / "r.db")
    store = Store(settings.db)
    for i in range(600):
        text = f"第{i}次常委会会议审议代表联络站建设情况的报告。" * 3
        report = Report(seq=0, title=f"报告{i}", text=text, start=0, end=len(text))
        store.save(document(f"{i:064x}", f"{i}.txt"), [(report, Extraction())], log(f"{i:064x}"))
    ingestor = Ingestor(settings, store, vocabulary)

    def size():
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return (tmp_path / "r.db").stat().st_size

    before = size()
    ingestor.tidy(55)  # over the floor of 50 files, under a tenth of 600 documents
    assert size() == before
    ingestor.tidy(60)
    assert size() < before and store.conn.execute("PRAGMA freelist_count").fetchone() == (0,)
    ingestor.close()
    store.close()
