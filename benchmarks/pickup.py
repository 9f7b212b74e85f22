"""Pick-up latency: time from a file landing in the inbox to its rows being committed.

Runs the real watcher (watchdog observer, real SQLite file, the prepare pool) on a temporary
inbox, drops report files one at a time by copy, by rename and by a writer that holds the file
open a while after writing (timed from its close), and prints median and p95 latency per method.

    python benchmarks/pickup.py [--files 60] [--settle SECONDS, default: the setting's default]
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, sample_files  # noqa: E402
from watcher.config import Settings  # noqa: E402
from watcher.watch import watching  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--settle", type=float, default=Settings.model_fields["settle"].default)
    args = parser.parse_args()
    sources = sample_files() or fixture_reports()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = Settings(inbox=tmp / "inbox", db=tmp / "reports.db", settle=args.settle)
        staging = tmp / "staging"
        staging.mkdir()
        results: queue.Queue = queue.Queue()
        timings: dict[str, list[float]] = {"cp": [], "mv": [], "held": []}
        with watching(settings, on_result=results.put):
            time.sleep(10)  # workers started and warmed up, as in a running service
            for i in range(args.files):
                source = sources[i % len(sources)]
                # vary the bytes so each file is new, not a duplicate
                data = source.read_bytes() + f"\n\n第{i}份。\n".encode()
                method = ("cp", "mv", "held")[i % 3]
                target = settings.inbox / f"{i:04d}-{source.name}"
                started = time.perf_counter()
                if method == "cp":
                    target.write_bytes(data)
                elif method == "held":
                    with open(target, "wb") as handle:
                        handle.write(data[: len(data) // 2])
                        handle.flush()
                        time.sleep(0.05)
                        handle.write(data[len(data) // 2 :])
                        handle.flush()
                        time.sleep(0.3)  # written, still open
                    started = time.perf_counter()
                else:
                    staged = staging / target.name
                    staged.write_bytes(data)
                    started = time.perf_counter()
                    os.rename(staged, target)
                result = results.get(timeout=30)
                timings[method].append(time.perf_counter() - started)
                assert result.status == "ingested", result
        print(f"pick-up latency, settle={args.settle}s, {args.files} files of {len(sources)} kinds")
        for method, values in timings.items():
            print(
                f"  {method}: median {statistics.median(values) * 1000:.0f} ms, "
                f"p95 {percentile(values, 0.95) * 1000:.0f} ms, "
                f"min {min(values) * 1000:.0f} ms (settle time included)"
            )
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
