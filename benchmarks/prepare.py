"""Prepare throughput per core: unique report variants through the pure prepare step, in this process.

Writes variants of the samples (or of the fixture reports when the samples are absent), starts
this process as a prepare worker starts (``start_worker``), then runs each file through the
stages of ``watcher.prepare.prepare`` one by one (read, split, extract, signature, search
bigrams), timing each in CPU seconds, and prints MB/s per core with each stage's share. CPU
time, not wall time, so other work on a shared machine moves it less. ``--repeat`` runs the
files several times and keeps the fastest pass (a shared machine only ever slows a pass down);
``--profile`` adds the functions that cost most (cProfile, cumulative).

    python benchmarks/prepare.py [--megabytes 5] [--repeat 3] [--profile 25]

To compare two checkouts, run the script with the other checkout first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, sample_files  # noqa: E402
from variants import write_variants  # noqa: E402
from schema.vocabulary import default_vocabulary  # noqa: E402
from watcher.dedupe import signature  # noqa: E402
from watcher.extract import extract  # noqa: E402
from watcher.pipeline import read_document  # noqa: E402
from watcher.prepare import start_worker  # noqa: E402
from watcher.reports import split_reports  # noqa: E402
from watcher.search import index_tokens  # noqa: E402

STAGES = ("read", "split", "extract", "signature", "bigrams")


def prepare_by_stage(data: bytes, filename: str, vocabulary, clock: dict[str, float]) -> None:
    """What ``prepare`` does for a file's bytes, with each stage's CPU time added to ``clock``."""
    started = time.process_time()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.process_time()
        clock[stage] += now - started
        started = now

    text = read_document(data, filename).text
    lap("read")
    reports = split_reports(text, vocabulary)
    lap("split")
    extractions = [extract(r.text, vocabulary, organ_kind=r.organ_kind) for r in reports]
    lap("extract")
    pairs = [(r, e.model_copy(update={"signature": signature(r.text)})) for r, e in zip(reports, extractions)]
    lap("signature")
    index_tokens(pairs)
    lap("bigrams")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=1, help="passes over the files; the fastest counts")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = parser.parse_args()
    sources = sample_files() or fixture_reports()
    vocabulary = default_vocabulary()
    start_worker(vocabulary, memory_limit_mb=0)  # as a prepare worker starts: segmenter, rules loaded
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "variants"
        size = write_variants(folder, sources, megabytes=args.megabytes)
        files = [(path.name, path.read_bytes()) for path in sorted(folder.iterdir())]
    print(f"{len(files)} files, {size / 1e6:.1f} MB of unique variants of {len(sources)} source report(s)")
    profiler = cProfile.Profile() if args.profile else None
    passes = []
    for _ in range(max(1, args.repeat)):
        clock = dict.fromkeys(STAGES, 0.0)
        if profiler:
            profiler.enable()
        for name, data in files:
            prepare_by_stage(data, name, vocabulary, clock)
        if profiler:
            profiler.disable()
        passes.append(clock)
    clock = min(passes, key=lambda p: sum(p.values()))
    total = sum(clock.values())
    print(
        f"prepare: {total:.2f} CPU-s, {size / 1e6 / total:.2f} MB/s per core"
        + (f" (fastest of {len(passes)} passes)" if len(passes) > 1 else "") + (" (profiled)" if profiler else "")
    )
    for stage in STAGES:
        print(f"    {stage:<10} {clock[stage]:6.2f} s  {100 * clock[stage] / total:5.1f}%")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
