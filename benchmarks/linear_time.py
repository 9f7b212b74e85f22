"""Extraction time on pathological texts as they grow: every step should be linear.

Each shape is repeated to n, 4n and 16n characters; the script prints the CPU seconds the whole
extraction takes at each size (best of three) and the growth per 4x (about 4 when linear, 16 when quadratic).

    python benchmarks/linear_time.py [--chars 50000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schema.vocabulary import Vocabulary  # noqa: E402
from watcher.extract import extract  # noqa: E402

# The shapes that once stalled the worker: runs with no unit, one count after another, many
# quotes or titles or rates in one line, a long report with no line breaks.
SHAPES = {
    "digits, no unit": "1234567890",
    "Chinese numerals, no unit": "一二三四五六七八九十百千",
    "3次， repeated": "3次，",
    "rates in one line": "办结率3%，",
    "quoted spans and counts": "“四个意识”召开会议3次",
    "titles in one sentence": "对《某某条例》",
    "titles and actions": "对《某某条例》开展执法检查，",
    "short lines": "1\n",
    "report with no line breaks": "区人大常委会召开党组会议19次，主任会议20次，办结率92.8%，对《某某条例》开展执法检查。",
}


def repeated(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def seconds(text: str, vocabulary: Vocabulary, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()  # CPU time: the machine may be shared
        extract(text, vocabulary)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=50_000, help="the smallest size, in characters")
    args = parser.parse_args()
    vocabulary = Vocabulary.load()
    extract("预热。召开会议3次。", vocabulary)  # load the segmenter before timing
    sizes = [args.chars, 4 * args.chars, 16 * args.chars]
    print(f"{'shape':28} " + " ".join(f"{n:>11,} ch" for n in sizes) + "   growth per 4x")
    for name, piece in SHAPES.items():
        times = [seconds(repeated(piece, n), vocabulary) for n in sizes]
        growth = " ".join(f"{b / max(a, 1e-6):4.1f}" for a, b in zip(times, times[1:]))
        print(f"{name:28} " + " ".join(f"{t:12.2f} s" for t in times) + f"   {growth}", flush=True)


if __name__ == "__main__":
    main()
