"""The prepare step alone: bytes or text in, picklable rows out, no database or filesystem."""

import pickle

import pytest

from conftest import fixture_reports
from schema.vocabulary import Vocabulary
from watcher.prepare import Job, PrepareError, prepare


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary.load()


def test_bytes_in_rows_out_and_they_cross_a_process_boundary(vocabulary):
    source = fixture_reports()[0]
    prepared = prepare(Job(str(source), source.name, data=source.read_bytes()), vocabulary)
    assert prepared.encoding and prepared.reports and prepared.extractor_version
    report, extraction = prepared.reports[0]
    assert extraction.facts and report.text in prepared.text
    copy = pickle.loads(pickle.dumps(prepared))
    assert copy.reports == prepared.reports and copy.text == prepared.text


def test_stored_text_is_extracted_again_without_decoding(vocabulary):
    [source] = [p for p in fixture_reports() if p.name.startswith("jinniu")]
    text = source.read_text(encoding="utf-8")
    again = prepare(Job("document-id", "x.txt", text=text), vocabulary)
    assert again.encoding is None and again.text == text and len(again.reports) >= 2


def test_bytes_that_are_not_text_fail_with_a_reason(vocabulary):
    with pytest.raises(PrepareError) as error:
        prepare(Job("x", "x.txt", data=bytes(range(256)) * 40), vocabulary)
    assert str(error.value)


def test_the_search_rows_are_built_here_as_the_store_would_build_them(vocabulary, tmp_path):
    from schema.models import Document, IngestLogEntry
    from watcher.search import bigrams, indexed_rows, search
    from watcher.store import Store

    [source] = [p for p in fixture_reports() if p.name.startswith("jinniu")]
    prepared = prepare(Job(str(source), source.name, data=source.read_bytes()), vocabulary)
    assert set(prepared.index) == {"reports"} and prepared.index["reports"]
    store = Store(tmp_path / "r.db")
    sha = "a" * 64
    store.save(
        Document(id=sha, filename="r.txt", path="r.txt", size=1, encoding="utf-8", format="txt",
                 received_at="2026-01-01T00:00:00Z", text=prepared.text, extractor_version="x"),
        prepared.reports,
        IngestLogEntry(filename="r.txt", path="r.txt", sha256=sha, status="ingested", started_at="", duration_ms=0),
        index=pickle.loads(pickle.dumps(prepared.index)),
    )
    for table, tokens in prepared.index.items():
        stored = sorted(indexed_rows(store.conn, table, sha))
        assert tokens == [tuple(bigrams(value) for value in row[1:]) for row in stored]
    store.close()
    assert "常委会" in source.read_text(encoding="utf-8")
    assert search(tmp_path / "r.db", "常委会") and search(tmp_path / "r.db", "常委会", table="sentences")
