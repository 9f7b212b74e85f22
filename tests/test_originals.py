"""Original bytes kept beside the database, so reprocess converts files again."""

import gzip
import hashlib
import sqlite3

from conftest import FIXTURE_REPORTS
from render import write_docx, write_gbk_page
from watcher.ingest import ingest_paths, reprocess_database
from watcher.originals import Originals
from watcher.store import Store


def stored_texts(settings, ids):
    store = Store(settings.db)
    try:
        return [store.document_text(i) for i in ids]
    finally:
        store.close()


def test_originals_are_content_addressed_gzip_written_once(tmp_path):
    originals = Originals(tmp_path / "originals")
    data = "人大常委会".encode() * 100
    sha = hashlib.sha256(data).hexdigest()
    path = originals.put(sha, data)
    assert path == tmp_path / "originals" / sha[:2] / f"{sha}.gz"
    assert gzip.decompress(path.read_bytes()) == data
    assert path.stat().st_size < len(data)
    mtime = path.stat().st_mtime_ns
    assert originals.put(sha, data) == path and path.stat().st_mtime_ns == mtime
    assert originals.get(sha) == data
    assert originals.get("0" * 64) is None
    assert originals.size() == (1, path.stat().st_size)


def test_ingest_records_format_and_converter_and_keeps_the_original(settings, tmp_path):
    text = (FIXTURE_REPORTS / "qingshan_2023_clean.txt").read_text(encoding="utf-8")
    page = write_gbk_page(text, tmp_path / "qingshan.txt")  # a web page saved under a .txt name
    word = write_docx(text, tmp_path / "qingshan.docx")
    summary = ingest_paths(settings, [page, word])
    assert summary.failed == 0, summary.line()
    with sqlite3.connect(settings.db) as conn:
        rows = dict(
            (filename, (format, converter, bool(version), encoding))
            for filename, format, converter, version, encoding in conn.execute(
                "select filename, format, converter, converter_version, encoding from documents"
            )
        )
        ids = [i for (i,) in conn.execute("select id from documents")]
    texts = stored_texts(settings, ids)
    assert rows == {
        "qingshan.txt": ("html", "trafilatura", True, "gb18030"),
        "qingshan.docx": ("docx", "python-docx", True, None),
    }
    assert all("<" not in t and "版权所有" not in t for t in texts)
    for path in (page, word):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        assert Originals(settings.originals_dir).get(sha) == path.read_bytes()


def test_reprocess_converts_the_original_again(settings, tmp_path):
    text = (FIXTURE_REPORTS / "qingshan_2023_clean.txt").read_text(encoding="utf-8")
    page = write_gbk_page(text, tmp_path / "qingshan.html")
    ingest_paths(settings, [page])
    with sqlite3.connect(settings.db) as conn:
        (sha,) = conn.execute("select id from documents").fetchone()
    (good,) = stored_texts(settings, [sha])
    with sqlite3.connect(settings.db) as conn:
        # as an older release would have stored the page: markup and all, no converter recorded
        conn.execute("update documents set text = ?, text_outside_reports = null, converter = null, format = 'txt'",
                     (page.read_bytes().decode("gb18030"),))
        conn.execute("delete from facts")
    assert reprocess_database(settings) == 1
    assert stored_texts(settings, [sha]) == [good]
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("select converter, format from documents").fetchone() == ("trafilatura", "html")
        assert conn.execute("select count(*) from facts where indicator is not null").fetchone()[0] > 5
