"""Bulk ingest throughput: unique report variants through `ingest` with --jobs 1 and --jobs 2.

Writes variants of the samples (or of the fixture reports when the samples are absent), with
places, years and figures substituted, then ingests the same folder into a fresh database once
per worker count and prints MB/s, files/s and the ratio of the two runs. The per-core rate
feeds the backfill arithmetic in the README.

    python benchmarks/ingest.py [--megabytes 20] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, sample_files  # noqa: E402
from variants import write_variants  # noqa: E402
from watcher.config import Settings  # noqa: E402
from watcher.ingest import Ingestor, IngestSummary  # noqa: E402
from watcher.store import Store  # noqa: E402


class TimedIngestor(Ingestor):
    """Counts the writer's busy time and the workers' prepare time."""

    writer = prepare = 0.0

    def commit(self, items):
        started = time.perf_counter()
        results = super().commit(items)
        self.writer += time.perf_counter() - started
        self.prepare += sum(getattr(outcome, "seconds", 0.0) for _, outcome in items)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    sources = sample_files() or fixture_reports()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "variants"
        size = write_variants(folder, sources, megabytes=args.megabytes)
        files = len(list(folder.iterdir()))
        print(f"{files} files, {size / 1e6:.1f} MB of unique variants of {len(sources)} source report(s)")
        rates = {}
        for jobs in args.jobs:
            settings = Settings(inbox=tmp / "inbox", db=tmp / f"jobs{jobs}.db", jobs=jobs, keep_files=True)
            store = Store(settings.db)
            ingestor = TimedIngestor(settings, store)
            started = time.perf_counter()
            summary = IngestSummary(ingestor.ingest_many(sorted(folder.iterdir())))
            seconds = time.perf_counter() - started
            started = time.perf_counter()
            ingestor.tidy(summary.count("ingested"))  # as `report-inbox ingest` does at the end
            tidied = time.perf_counter() - started
            ingestor.close()
            store.close()
            rates[jobs] = size / 1e6 / seconds
            print(
                f"--jobs {jobs}: {seconds:6.1f} s  {rates[jobs]:.2f} MB/s  {files / seconds:.1f} files/s  "
                f"({summary.line()})\n"
                f"    writer busy {ingestor.writer:.1f} s ({size / 1e6 / ingestor.writer:.2f} MB/s), "
                f"prepare {ingestor.prepare:.1f} worker-s ({size / 1e6 / ingestor.prepare:.2f} MB/s per worker)\n"
                f"    database {settings.db.stat().st_size / size:.2f}x the text after compacting it ({tidied:.1f} s)"
            )
        if len(rates) > 1:
            low, high = min(rates), max(rates)
            print(f"--jobs {high} / --jobs {low}: {rates[high] / rates[low]:.2f}x")


if __name__ == "__main__":
    main()
