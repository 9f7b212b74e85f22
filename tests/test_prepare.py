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
