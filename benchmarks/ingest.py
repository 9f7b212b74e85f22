"""Bulk ingest throughput: unique report variants through `ingest` with --jobs 1 and --jobs 2.

Writes variants of the samples (or of the fixture reports when the samples are absent), with
places, years and figures substituted, then ingests the same folder into a fresh database once
per worker count and prints MB/s, files/s and the ratio of the two runs, and the CPU time per
MB of the writer's process and of the workers, with the rate that CPU time alone allows on this
machine's cores. The per-core rate feeds the backfill arithmetic in the README.

    python benchmarks/ingest.py [--megabytes 20] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import os
import resource
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
    """Counts the writer's busy time and CPU time, and the workers' prepare time and CPU time."""

    writer = writer_cpu = prepare = prepare_cpu = 0.0

    def commit(self, items):
        started, cpu = time.perf_counter(), time.thread_time()
        results = super().commit(items)
        self.writer += time.perf_counter() - started
        self.writer_cpu += time.thread_time() - cpu
        self.prepare += sum(getattr(outcome, "seconds", 0.0) for _, outcome in items)
        self.prepare_cpu += sum(getattr(outcome, "cpu_seconds", 0.0) for _, outcome in items)
        return results


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
            started, cpu = time.perf_counter(), process_cpu()
            summary = IngestSummary(ingestor.ingest_many(sorted(folder.iterdir())))
            seconds, cpu = time.perf_counter() - started, process_cpu() - cpu
            started = time.perf_counter()
            ingestor.tidy(summary.count("ingested"))  # as `report-inbox ingest` does at the end
            tidied = time.perf_counter() - started
            ingestor.close()
            store.close()
            megabytes = size / 1e6
            rates[jobs] = megabytes / seconds
            writer_cpu, prepare_cpu = cpu / megabytes, ingestor.prepare_cpu / megabytes
            cores = os.cpu_count() or 1
            bound = min(1 / writer_cpu, jobs / prepare_cpu, cores / (writer_cpu + prepare_cpu)) if prepare_cpu else 0.0
            print(
                f"--jobs {jobs}: {seconds:6.1f} s  {rates[jobs]:.2f} MB/s  {files / seconds:.1f} files/s  "
                f"({summary.line()})\n"
                f"    writer busy {ingestor.writer:.1f} s ({megabytes / ingestor.writer:.2f} MB/s), "
                f"prepare {ingestor.prepare:.1f} worker-s ({megabytes / ingestor.prepare:.2f} MB/s per worker)\n"
                f"    CPU s per MB: writer process {writer_cpu:.2f} (committing {ingestor.writer_cpu / megabytes:.2f}), "
                f"prepare {prepare_cpu:.2f}; what CPU alone allows on {cores} idle cores: {bound:.2f} MB/s\n"
                f"    database {settings.db.stat().st_size / size:.2f}x the text after compacting it ({tidied:.1f} s)"
            )
        if len(rates) > 1:
            low, high = min(rates), max(rates)
            print(f"--jobs {high} / --jobs {low}: {rates[high] / rates[low]:.2f}x")


if __name__ == "__main__":
    main()
