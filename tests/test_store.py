import sqlite3

import pytest

from schema.models import Document, Extraction, Fact, IngestLogEntry, Report, Sentence
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
def store(tmp_path):
    s = Store(tmp_path / "r.db")
    s.sync_indicators(Vocabulary.load())
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
    bad[0][1].facts[0].start = "not a number"  # noqa: the insert itself fails mid-document
    with pytest.raises(Exception):
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
