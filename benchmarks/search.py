"""Search latency through Datasette's JSON API on a generated corpus of 10,000 reports.

The corpus is built from the samples (or the fixture reports) by shuffling their paragraphs.
Queries go through the stock `?_search=` of the reports table and the ranked `search` query,
served by Datasette over real HTTP on 127.0.0.1; prints median and p95 per kind of query.

    python benchmarks/search.py [--reports 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import socket
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

from conftest import fixture_reports, sample_files  # noqa: E402
from schema.models import Document, Extraction, IngestLogEntry, Report  # noqa: E402
from watcher.normalize import paragraphs, repair  # noqa: E402
from watcher.store import Store  # noqa: E402

QUERIES = {
    "1 character": ["民", "法", "站"],
    "2 characters": ["代表", "民生", "监督"],
    "long phrase": ["民生实事项目", "全过程人民民主", "人民代表大会制度"],
    "mixed": ["2023年", "92.8%", "3号线"],
    "two terms": ["民生 代表", "执法检查 条例"],
}


def build(path: Path, count: int) -> None:
    sources = sample_files() or fixture_reports()
    pool = []
    for source in sources:
        text = repair(source.read_text(encoding="utf-8"))
        pool += [text[s:e] for s, e in paragraphs(text) if e - s > 20]
    rng = random.Random(1)
    store = Store(path)
    for i in range(count):
        text = "\n\n".join(rng.sample(pool, min(12, len(pool))))
        sha = f"{i:064x}"
        store.save(
            Document(id=sha, filename=f"{i}.txt", path=f"{i}.txt", size=len(text), encoding="utf-8",
                     format="txt", received_at="2026-01-01T00:00:00Z", text=text, extractor_version="bench"),
            [(Report(seq=0, title=rng.choice(pool)[:20], text=text, start=0, end=len(text)), Extraction())],
            IngestLogEntry(filename=f"{i}.txt", path="", status="ingested", started_at="", duration_ms=0),
        )
    store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        rows = json.load(response)
    return time.perf_counter() - started, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "reports.db"
        started = time.perf_counter()
        build(db, args.reports)
        print(f"built {args.reports} reports ({db.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-c", "import sys; from watcher.config import Settings; from watcher.serve import make_datasette;"
             "import uvicorn; uvicorn.run(make_datasette(Settings(db=sys.argv[1])).app(), host='127.0.0.1', "
             "port=int(sys.argv[2]), log_level='warning')", str(db), str(port)],
        )
        base = f"http://127.0.0.1:{port}/reports"
        try:
            for _ in range(100):
                try:
                    timed(f"{base}/reports.json?_size=1&_shape=array")
                    break
                except OSError:
                    time.sleep(0.2)
            print(f"{'query kind':14} {'endpoint':10} {'median':>8} {'p95':>8}  rows")
            for kind, queries in QUERIES.items():
                for endpoint in ("_search", "ranked"):
                    times, hits = [], []
                    for _ in range(args.rounds):
                        for q in queries:
                            quoted = urllib.parse.quote(q)
                            if endpoint == "_search":
                                url = f"{base}/reports.json?_search={quoted}&_shape=array&_col=id&_size=50&_nocount=1"
                            else:
                                url = f"{base}/search.json?q={quoted}&_shape=array"
                            seconds, count = timed(url)
                            times.append(seconds)
                            hits.append(count)
                    times.sort()
                    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                    print(f"{kind:14} {endpoint:10} {statistics.median(times) * 1000:7.1f}ms {p95 * 1000:7.1f}ms  {max(hits)}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
