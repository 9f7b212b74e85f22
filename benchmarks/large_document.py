"""One large document (many reports in one file) through the prepare step and the writer.

Builds documents of fixture-report variants at each size asked for, prepares each (extraction
and search rows, as a worker does) and stores it in a fresh database, and prints the CPU
seconds of both and the writer's growth per size step (about the size ratio when linear).

    python benchmarks/large_document.py [--megabytes 0.375 1.5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports  # noqa: E402
from variants import long_report  # noqa: E402
from schema.models import Document, IngestLogEntry  # noqa: E402
from schema.vocabulary import Vocabulary  # noqa: E402
from watcher.extract.keywords import default_idf  # noqa: E402
from watcher.prepare import Job, prepare  # noqa: E402
from watcher.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[0.375, 1.5])
    args = parser.parse_args()
    vocabulary = Vocabulary.load()
    prepare(Job("warm", "warm.txt", text="区人大常委会召开常委会会议3次。"), vocabulary)
    default_idf(["代表"])
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for n, megabytes in enumerate(args.megabytes):
            text = long_report(fixture_reports(), megabytes)
            size = len(text.encode())
            started = time.process_time()
            prepared = prepare(Job("big", "big.txt", text=text), vocabulary)
            preparing = time.process_time() - started
            sha = f"{n:064x}"
            store = Store(Path(tmp) / f"{n}.db")
            started = time.process_time()
            store.save(
                Document(id=sha, filename="big.txt", path="big.txt", size=size, encoding="utf-8", format="txt",
                         received_at="2026-01-01T00:00:00Z", text=text, extractor_version=prepared.extractor_version),
                prepared.reports,
                IngestLogEntry(filename="big.txt", path="big.txt", sha256=sha, status="ingested", started_at="",
                               duration_ms=0),
                index=prepared.index,
            )
            storing = time.process_time() - started
            store.close()
            growth = f"  writer x{storing / previous[1]:.1f} for x{size / previous[0]:.1f} the size" if previous else ""
            print(f"{size / 1e6:5.2f} MB, {len(prepared.reports):5} reports: prepare {preparing:6.2f} s CPU, "
                  f"store {storing:6.2f} s CPU ({size / 1e6 / storing:.1f} MB/s){growth}", flush=True)
            previous = size, storing


if __name__ == "__main__":
    main()
