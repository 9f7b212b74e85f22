"""Page latency of the site on a generated database of 10,000 reports, over real HTTP, and the
memory `report-inbox serve` holds.

Reports are built from the samples (or the fixture reports): each is extracted once, then copied
to many districts and years with its numbers varied, so places and indicators have long series.
`report-inbox serve` (the code of the current directory) publishes the file on 127.0.0.1; its
resident memory is read from /proc once it is up and idle, with that of the prepare pool's
processes (the forkserver and its workers) beside it. Then each page of the browser walk and the
table pages (reports with its facets, searched reports HTML and JSON, a one-character search,
a row page) is fetched `--rounds` times; prints median and p95 in milliseconds.

    python benchmarks/site.py [--reports 10000] [--rounds 20] [--db reports.db]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, free_port, sample_files  # noqa: E402
from schema.models import Document, IngestLogEntry  # noqa: E402
from schema.vocabulary import Vocabulary  # noqa: E402
from watcher.pipeline import extract_reports, read_document  # noqa: E402
from watcher.store import Store  # noqa: E402

CITIES = [(f"{name}市", province) for name, province in [
    ("武汉", "湖北省"), ("成都", "四川省"), ("西宁", "青海省"), ("贵阳", "贵州省"), ("安康", "陕西省"),
    ("长沙", "湖南省"), ("南京", "江苏省"), ("杭州", "浙江省"), ("济南", "山东省"), ("郑州", "河南省"),
]]
DISTRICT_WORDS = "东西南北中青金乌汉城江山河湖新海文武"


def build(path: Path, count: int) -> None:
    vocabulary = Vocabulary.load()
    templates = []
    for source in sample_files() or fixture_reports():
        templates += extract_reports(read_document(source.read_bytes(), source.name).text, vocabulary)
    rng = random.Random(1)
    places = [(f"{a}{b}区", city, province) for city, province in CITIES
              for a, b in zip(rng.sample(DISTRICT_WORDS, 10), rng.sample(DISTRICT_WORDS, 10))]
    store = Store(path)
    store.sync_indicators(vocabulary)
    for i in range(count):
        report, extraction = rng.choice(templates)
        district, city, province = rng.choice(places)
        factor = rng.uniform(0.6, 1.5)
        facts = [f.model_copy(update={"value": round(f.value * factor) if f.unit != "%" else min(100.0, round(f.value * rng.uniform(0.95, 1.02), 1))})
                 for f in extraction.facts]
        report = report.model_copy(update={"district": district, "city": city, "province": province,
                                           "year": rng.randint(2014, 2024)})
        text = report.text
        store.save(
            Document(id=f"{i:064x}", filename=f"{i}.txt", path=f"{i}.txt", size=len(text), encoding="utf-8",
                     format="txt", received_at="2026-01-01T00:00:00Z", text=text, extractor_version="bench"),
            [(report, extraction.model_copy(update={"facts": facts}))],
            IngestLogEntry(filename=f"{i}.txt", path="", status="ingested", started_at="2026-01-01T00:00:00Z", duration_ms=0),
        )
    store.close()


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident (RSS) and proportional (PSS: shared pages split between their processes) MB."""
    def field(path: str, name: str) -> float:
        line = next(l for l in Path(f"/proc/{pid}/{path}").read_text().splitlines() if l.startswith(name + ":"))
        return int(line.split()[1]) / 1024

    return field("status", "VmRSS"), field("smaps_rollup", "Pss")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def print_memory(pid: int) -> None:
    rss, pss = memory_mb(pid)
    print(f"serve process at idle: RSS {rss:.0f} MB (PSS {pss:.0f} MB)")
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_text().replace("\0", " ")
            rss, pss = memory_mb(child)
        except OSError:
            continue
        kind = "forkserver" if "forkserver" in command else "resource tracker" if "resource_tracker" in command else "child"
        line = f"  {kind}: RSS {rss:.0f} MB (PSS {pss:.0f} MB)"
        workers = [memory_mb(w) for w in children(child)]
        if workers:
            line += "; its workers: " + ", ".join(f"RSS {r:.0f} MB (PSS {p:.0f} MB)" for r, p in workers)
        print(line)


def fetch(url: str, timeout: float = 60) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--db", type=Path, help="Reuse (or build once into) this database file")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp())
    db = args.db or scratch / "reports.db"
    if not db.exists():
        started = time.perf_counter()
        build(db, args.reports)
        print(f"built {args.reports} reports in {time.perf_counter() - started:.0f}s ({db.stat().st_size / 1e6:.0f} MB)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "watcher", "-q", "serve", "--inbox", str(scratch / "inbox"), "--db", str(db), "--port", str(port)],
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(f"{base}/-/versions.json")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not come up"
                time.sleep(0.2)
        time.sleep(3)  # the watcher's start-up (pool warm-up, first rescan) is over
        print_memory(server.pid)
        import sqlite3

        conn = sqlite3.connect(db)
        report_id = conn.execute("select id from reports order by id limit 1 offset 5000").fetchone()[0]
        district, city = conn.execute("select district, city from reports where id = ?", (report_id,)).fetchone()
        conn.close()
        quote = urllib.parse.quote
        name = db.stem  # Datasette names the database after its file
        word, char = quote("民生实事"), quote("民")
        pages = {
            "reports table, facets": f"/{name}/reports",
            "reports?_search= (HTML)": f"/{name}/reports?_search={word}",
            "reports?_search= 1 char (HTML)": f"/{name}/reports?_search={char}",
            "reports.json?_search=": f"/{name}/reports.json?_search={word}",
            "reports.json?_search= 1 char": f"/{name}/reports.json?_search={char}",
            "report row page": f"/{name}/reports/{report_id}",
            "laws inspected query": f"/{name}/laws_inspected",
            "district page": f"/-/place/{quote(district)}",
            "city page": f"/-/place/{quote(city)}",
            "report page": f"/-/report/{report_id}",
            "indicator page": "/-/indicator/standing_committee_meetings",
            "search 民生实事 site-wide (page)": f"/-/search?q={quote('民生实事')}",
            "  its reports results (JSON)": f"/{name}/reports.json?_search={quote('民生实事')}&_size=5",
            "dashboard page": "/-/dashboards/report-inbox",
            "indicator matrix, one year": f"/{name}/indicator_by_district_year?year=2020",
        }
        first = fetch(f"{base}/-/download", timeout=900)
        again = fetch(f"{base}/-/download", timeout=900)
        size = (db.parent / "snapshots" / f"{db.stem}.db").stat().st_size / 1e6
        print(f"snapshot download ({size:.0f} MB): {first:.0f} ms when it makes the snapshot, {again:.0f} ms when it is made")
        print(f"{'page':34} {'median':>8} {'p95':>8}  (ms, {args.rounds} rounds)")
        for page, path in pages.items():
            try:
                fetch(base + path)  # warm
            except urllib.error.HTTPError as error:
                print(f"{page:34} failed: HTTP {error.code}")
                continue
            times = sorted(fetch(base + path) for _ in range(args.rounds))
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"{page:34} {statistics.median(times):8.1f} {p95:8.1f}")
        rss, pss = memory_mb(server.pid)
        print(f"serve process after the pages: RSS {rss:.0f} MB (PSS {pss:.0f} MB)")
    finally:
        server.terminate()
        server.wait(timeout=120)


if __name__ == "__main__":
    main()
