"""Store costs as the corpus grows, and the pages a browser loads, on generated documents.

Documents are the samples' (or the fixture reports') articles, read by the real extractor once
and stored many times under distinct ids. One database grows through the sizes asked for; at
each size the script prints the database size over the text size, the time per document of
reprocessing and of replacing a file (a sample of documents, real extraction), and the first
file after a restart. At the page size it serves the database with Datasette over real HTTP
and prints median and p95 of the pages a browser loads, and the idle RSS of `report-inbox serve`.

    python benchmarks/store.py [--sizes 500,5000,10000,20000] [--pages-at 10000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, free_port, sample_files  # noqa: E402
from schema.models import Document, IngestLogEntry  # noqa: E402
from schema.vocabulary import Vocabulary  # noqa: E402
from watcher.config import Settings  # noqa: E402
from watcher.ingest import Ingestor  # noqa: E402
from watcher.pipeline import extract_reports, extractor_version, read_document  # noqa: E402
from watcher.store import Store  # noqa: E402

SAMPLE = 100
REPLACED: set[int] = set()
# CPU time of this process per reprocess write, by size: other processes on a shared machine
# do not count in it (the wall time also waits for the disk).
WRITE_CPU: dict[int, float] = {}
QUERIES = ["代表", "民生实事", "人民代表大会", "执法检查", "监督"]
ONE_CHARACTER = ["民", "法", "站"]


def pool(vocabulary: Vocabulary) -> list[str]:
    shared = ROOT.parent / "shared" / "corpus"
    files = sample_files() + sorted(shared.glob("*.txt")) or fixture_reports()
    return [read_document(f.read_bytes(), f.name).text for f in files]


def document(i: int, text: str, version: str) -> Document:
    return Document(
        id=f"{i:064x}", filename=f"{i}.txt", path=f"{i}.txt", size=len(text.encode()), encoding="utf-8",
        format="txt", received_at="2026-01-01T00:00:00Z", text=text, extractor_version=version,
    )


def log(i: int) -> IngestLogEntry:
    return IngestLogEntry(filename=f"{i}.txt", path="", sha256=f"{i:064x}", status="ingested", started_at="", duration_ms=0)


def grow(store: Store, texts, extracted, version, start: int, stop: int) -> None:
    with_batches = 200
    for first in range(start, stop, with_batches):
        with store.batch():
            for i in range(first, min(stop, first + with_batches)):
                k = i % len(texts)
                store.save(document(i, texts[k], version), extracted[k], log(i))


def per_document_ms(store, ingestor, texts, count, version) -> tuple[float, float, float]:
    """Reprocess a sample of documents (extraction, then the write timed alone), then replace a
    sample of files (extraction and write)."""
    rng = random.Random(count)
    chosen = rng.sample(sorted(set(range(count)) - REPLACED), min(SAMPLE, count - len(REPLACED)))
    extracting = writing = cpu = 0.0
    for i in chosen:
        started = time.perf_counter()
        reports = extract_reports(store.document_text(f"{i:064x}"), ingestor.vocabulary)
        extracting += time.perf_counter() - started
        started, started_cpu = time.perf_counter(), time.process_time()
        store.replace_reports(f"{i:064x}", reports, version)
        writing += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    reprocess, write = (extracting + writing) / len(chosen) * 1000, writing / len(chosen) * 1000
    WRITE_CPU[count] = cpu / len(chosen) * 1000
    started = time.perf_counter()
    for n, i in enumerate(chosen[: SAMPLE // 2]):
        new = 10**9 + count * 1000 + n
        text = texts[i % len(texts)] + f"\n第{n}版"
        store.save(document(new, text, version), extract_reports(text, ingestor.vocabulary), log(new),
                   replaces=[f"{i:064x}"])
    replaced = (time.perf_counter() - started) / (SAMPLE // 2) * 1000
    REPLACED.update(chosen[: SAMPLE // 2])
    return reprocess, write, replaced


def first_file_after_restart(db: Path, texts, tmp: Path) -> tuple[float, float]:
    """A fresh store and ingestor on the database, then files one after another: the first
    file's time and the median of the next ones."""
    settings = Settings(db=db, inbox=tmp / "inbox", keep_files=True)
    store = Store(db)
    ingestor = Ingestor(settings, store)
    ingestor.warm_up()
    times = []
    for n in range(6):
        path = tmp / f"restart-{time.time_ns()}-{n}.txt"
        path.write_text(texts[n % len(texts)] + f"\n重启后第{n}份", encoding="utf-8")
        started = time.perf_counter()
        result = ingestor.ingest(path)
        times.append(time.perf_counter() - started)
        assert result.status == "ingested", result
    store.close()
    return times[0] * 1000, statistics.median(times[1:]) * 1000


def sizes(db: Path) -> tuple[float, float]:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("pragma wal_checkpoint(truncate)")
    text = conn.execute("select sum(size) from documents").fetchone()[0]
    conn.close()
    return db.stat().st_size / 1e6, db.stat().st_size / text


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - started


def pages(db: Path, rounds: int) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("select id from reports order by random() limit 50")]
    fact_ids = [r[0] for r in conn.execute("select id from facts order by random() limit 50")]
    conn.close()
    port = free_port()
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "REPORT_INBOX_DB": str(db), "REPORT_INBOX_INBOX": str(tmp / "inbox"),
           "REPORT_INBOX_PORT": str(port), "REPORT_INBOX_KEEP_FILES": "1"}
    server = subprocess.Popen([sys.executable, "-m", "watcher", "serve"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                fetch(base + "/-/versions.json")
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)
        rss = int(next(line for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                       if line.startswith("VmRSS")).split()[1]) / 1024
        print(f"serve RSS at idle: {rss:.0f} MB")
        quote = urllib.parse.quote
        kinds = {
            "reports table, facets": lambda n: "/reports/reports",
            "reports?_search=": lambda n: f"/reports/reports?_search={quote(QUERIES[n % len(QUERIES)])}",
            "reports?_search=1 char": lambda n: f"/reports/reports?_search={quote(ONE_CHARACTER[n % 3])}",
            "facts?_search=": lambda n: f"/reports/facts?_search={quote(QUERIES[n % len(QUERIES)])}",
            "site search /-/search": lambda n: f"/-/search?q={quote(QUERIES[n % len(QUERIES)])}",
            "site search 1 char": lambda n: f"/-/search?q={quote(ONE_CHARACTER[n % 3])}",
            "ranked search query": lambda n: f"/reports/search?q={quote(QUERIES[n % len(QUERIES)])}",
            "report row page": lambda n: f"/reports/reports/{ids[n % len(ids)]}",
            "fact row page": lambda n: f"/reports/facts/{fact_ids[n % len(fact_ids)]}",
        }
        print(f"{'page':24} {'median':>9} {'p95':>9}   (queries: {' '.join(QUERIES)}; 1 char: {' '.join(ONE_CHARACTER)})")
        for kind, path in kinds.items():
            fetch(base + path(0))
            times = sorted(fetch(base + path(n)) for n in range(rounds))
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(f"{kind:24} {statistics.median(times) * 1000:7.0f}ms {p95 * 1000:7.0f}ms")
        rss = int(next(line for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                       if line.startswith("VmRSS")).split()[1]) / 1024
        print(f"serve RSS after the pages: {rss:.0f} MB")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,10000,20000")
    parser.add_argument("--pages-at", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    wanted = sorted(int(s) for s in args.sizes.split(","))
    vocabulary = Vocabulary.load()
    texts = pool(vocabulary)
    version = extractor_version(vocabulary)
    started = time.perf_counter()
    extracted = [extract_reports(t, vocabulary) for t in texts]
    print(f"{len(texts)} source documents, {sum(len(t.encode()) for t in texts) / 1e3:.0f} kB, "
          f"extracted in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "reports.db"
        store = Store(db)
        ingestor = Ingestor(Settings(db=db, inbox=tmp / "inbox"), store, vocabulary)
        count = 0
        for size in wanted:
            started = time.perf_counter()
            grow(store, texts, extracted, version, count, size)
            built = time.perf_counter() - started
            count = size
            grown = sizes(db)[1]
            started = time.perf_counter()
            store.tidy()  # what ingest does at the end of a run of 50 files or more
            tidied = time.perf_counter() - started
            megabytes, ratio = sizes(db)
            reprocess, write, replaced = per_document_ms(store, ingestor, texts, count, version)
            print(f"{size:>6} documents (+{built:.0f} s to build): database {megabytes:.0f} MB = {ratio:.2f}x the text "
                  f"({grown:.2f}x before tidy, which took {tidied:.1f} s); "
                  f"reprocess {reprocess:.1f} ms/document (its write {write:.1f} ms, {WRITE_CPU[size]:.1f} ms CPU), "
                  f"replaced file {replaced:.1f} ms/document")
            if size == 5000 or size == wanted[0] and 5000 not in wanted:
                store.close()
                first, next_ = first_file_after_restart(db, texts, tmp)
                print(f"        first file after a restart {first:.0f} ms, next files median {next_:.0f} ms")
                store = Store(db)
                ingestor = Ingestor(Settings(db=db, inbox=tmp / "inbox"), store, vocabulary)
            if size == args.pages_at:
                store.close()
                pages(db, args.rounds)
                store = Store(db)
                ingestor = Ingestor(Settings(db=db, inbox=tmp / "inbox"), store, vocabulary)
        store.close()
    if len(WRITE_CPU) > 1:
        first, last = min(WRITE_CPU), max(WRITE_CPU)
        print(f"reprocess write CPU per document at {last} over {first} documents: {WRITE_CPU[last] / WRITE_CPU[first]:.2f}x")


if __name__ == "__main__":
    main()
