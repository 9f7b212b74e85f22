"""Extraction throughput: the samples (or the fixture reports) repeated to a few MB.

Prints KB/s for the whole extraction with the jieba engine and with the rjieba fast path, for
segmentation alone, and each engine's start-up time.

    python benchmarks/extraction.py [--mb 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, sample_files  # noqa: E402
from schema.vocabulary import Vocabulary  # noqa: E402
from watcher.extract import extract  # noqa: E402
from watcher.extract import keywords as keywords_module  # noqa: E402
from watcher.extract.segment import Segmenter  # noqa: E402
from watcher.normalize import repair  # noqa: E402
from watcher.reports import split_reports  # noqa: E402


def corpus(megabytes: float) -> list[str]:
    sources = sample_files() or fixture_reports()
    reports = [r.text for path in sources for r in split_reports(repair(path.read_text(encoding="utf-8")))]
    size = sum(len(t.encode()) for t in reports)
    return reports * max(1, int(megabytes * 1_000_000 / size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=3.0)
    args = parser.parse_args()
    vocabulary = Vocabulary.load()
    texts = corpus(args.mb)
    kilobytes = sum(len(t.encode()) for t in texts) / 1000
    print(f"corpus: {len(texts)} reports, {kilobytes / 1000:.1f} MB (UTF-8)")
    results = {}
    for engine in ("jieba", "rjieba"):
        started = time.perf_counter()
        segmenter = Segmenter(vocabulary.userdict, engine)
        segmenter.cut("预热")
        startup = time.perf_counter() - started
        started = time.perf_counter()
        for text in texts:
            segmenter.cut(text)
        segment_rate = kilobytes / (time.perf_counter() - started)
        original = keywords_module.cached_segmenter
        keywords_module.cached_segmenter = lambda userdict, engine=engine, s=segmenter: s
        try:
            started = time.perf_counter()
            for text in texts:
                extract(text, vocabulary)
            extract_rate = kilobytes / (time.perf_counter() - started)
        finally:
            keywords_module.cached_segmenter = original
        results[engine] = extract_rate
        print(
            f"{engine:7} start-up {startup:.2f} s | segmentation {segment_rate:,.0f} KB/s | "
            f"whole extraction {extract_rate:,.0f} KB/s"
        )
    print(f"fast path / jieba, whole extraction: {results['rjieba'] / results['jieba']:.1f}x")


if __name__ == "__main__":
    main()
