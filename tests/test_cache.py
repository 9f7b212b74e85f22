"""The writer's memory of ids and frequencies must never disagree with the database."""

import sqlite3

import pytest

from schema.models import Document, Extraction, IngestLogEntry, Keyword, Report
from watcher.store import Store


def save(store, number, terms, bad=False):
    sha = f"{number:064x}"
    text = " ".join(terms)
    report = Report(seq=0, text=text, start=0, end=len(text))
    extraction = Extraction(terms=dict.fromkeys(terms, 1))
    if bad:  # two keywords of one rank and term: the keywords insert fails, after the terms were counted
        extraction.keywords = [Keyword(keyword="x", weight=1.0, rank=1), Keyword(keyword="x", weight=1.0, rank=1)]
    store.save(
        Document(id=sha, filename=f"{number}.txt", path=f"/x/{number}.txt", size=1, format="txt", received_at="2026-01-01T00:00:00",
                 text=text, extractor_version="t"),
        [(report, extraction)],
        IngestLogEntry(filename=f"{number}.txt", path=f"/x/{number}.txt", sha256=sha, status="ingested",
                       started_at="2026-01-01T00:00:00", duration_ms=1.0),
    )


def stored_frequencies(path):
    return dict(sqlite3.connect(path).execute("SELECT term, documents FROM document_frequencies"))


def test_another_writer_between_batches_is_noticed(tmp_path):
    """A second process (a reprocess, another ingest) writes between two of this writer's
    batches: fresh ids must not collide and frequencies must count its documents."""
    path = tmp_path / "r.db"
    first, second = Store(path), Store(path)
    save(first, 1, ["代表", "民生"])
    assert first.term_frequencies(["代表", "民生"]) == {"代表": 1, "民生": 1}  # now remembered
    save(second, 2, ["代表"])
    save(first, 3, ["代表", "联络站"])  # would reuse the second writer's report id if ids were stale
    assert first.term_frequencies(["代表", "民生", "联络站"]) == {"代表": 3, "民生": 1, "联络站": 1}
    assert stored_frequencies(path) == {"代表": 3, "民生": 1, "联络站": 1}
    ids = [r[0] for r in sqlite3.connect(path).execute("SELECT id FROM reports ORDER BY id")]
    assert ids == [1, 2, 3]
    first.close()
    second.close()


def test_a_file_rolled_back_in_a_batch_leaves_no_counts_behind(tmp_path):
    store = Store(tmp_path / "r.db")
    with store.batch():
        save(store, 1, ["代表", "民生"])
        assert store.term_frequencies(["代表"]) == {"代表": 1}
        with pytest.raises(sqlite3.IntegrityError):
            save(store, 2, ["代表", "建议"], bad=True)
        # what this writer remembers and what the batch will write agree
        assert store.term_frequencies(["代表", "建议", "民生"]) == {"代表": 1, "民生": 1}
        save(store, 3, ["代表"])
    assert store.term_frequencies(["代表", "建议", "民生"]) == {"代表": 2, "民生": 1}
    assert stored_frequencies(tmp_path / "r.db") == {"代表": 2, "民生": 1}
    store.close()


def test_a_failed_batch_is_forgotten_whole(tmp_path):
    store = Store(tmp_path / "r.db")
    save(store, 1, ["代表"])
    with pytest.raises(RuntimeError), store.batch():
        save(store, 2, ["代表", "民生"])
        assert store.term_frequencies(["代表", "民生"]) == {"代表": 2, "民生": 1}
        raise RuntimeError("the disk is full")
    assert store.term_frequencies(["代表", "民生"]) == {"代表": 1}
    save(store, 3, ["民生"])
    assert stored_frequencies(tmp_path / "r.db") == {"代表": 1, "民生": 1}
    # the ids the failed batch gave out may be skipped, never given twice
    ids = [r[0] for r in sqlite3.connect(tmp_path / "r.db").execute("SELECT id FROM reports ORDER BY id")]
    assert len(set(ids)) == 2 and ids[0] == 1
    store.close()


def test_remembered_frequencies_are_bounded(tmp_path):
    store = Store(tmp_path / "r.db")
    store.cache.frequency_limit = 3
    save(store, 1, ["甲乙", "丙丁", "戊己", "庚辛"])
    assert store.term_frequencies(["甲乙", "丙丁"]) == {"甲乙": 1, "丙丁": 1}
    assert store.term_frequencies(["戊己", "庚辛", "壬癸"]) == {"戊己": 1, "庚辛": 1}
    assert len(store.cache.frequencies) <= 3
    store.close()


def test_reading_outside_a_transaction_sees_another_writer(tmp_path):
    path = tmp_path / "r.db"
    first, second = Store(path), Store(path)
    save(first, 1, ["代表"])
    assert first.term_frequencies(["代表"]) == {"代表": 1} and first.corpus_documents() == 1
    save(second, 2, ["代表"])
    assert first.term_frequencies(["代表"]) == {"代表": 2} and first.corpus_documents() == 2
    first.close()
    second.close()
