"""Accuracy on the labelled development corpus: ingest ``../shared/corpus/*.txt`` into a fresh
database and print the shared scorer's line (recall, precision and the report fields).

    python benchmarks/accuracy.py [--corpus DIR] [--verbose]

``tests/test_accuracy.py`` holds each figure to the floor in ``tests/accuracy_floor.yaml``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SCORER = ROOT.parent / "shared" / "tools" / "score_corpus.py"
FIGURE = re.compile(r"(recall|precision) (\d+\.\d+)|(level|place|year|period|organ) (\d+)/(\d+)")


def score(corpus: Path = CORPUS, workdir: Path | None = None, verbose: bool = False) -> str:
    """The scorer's output for the corpus ingested into a new database in ``workdir``."""
    from watcher.config import Settings
    from watcher.ingest import ingest_paths

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(workdir or scratch)
        settings = Settings(inbox=folder / "inbox", db=folder / "accuracy.db")
        summary = ingest_paths(settings, sorted(corpus.glob("*.txt")))
        if summary.failed:
            raise RuntimeError(summary.line())
        command = [sys.executable, str(SCORER), str(settings.db), str(corpus / "gold.yaml")]
        result = subprocess.run(command + (["--verbose"] if verbose else []), capture_output=True, text=True, check=True)
        return result.stdout


def figures(line: str) -> dict[str, float]:
    """``corpus: recall 0.830 (142/171), …, level 44/44, …`` → {"recall": 0.83, "level": 1.0, …}."""
    found = {}
    for match in FIGURE.finditer(line):
        if match.group(1):
            found[match.group(1)] = float(match.group(2))
        else:
            right, total = int(match.group(4)), int(match.group(5))
            found[match.group(3)] = right / total if total else 1.0
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true", help="also list every miss and extra")
    args = parser.parse_args()
    if not (args.corpus / "gold.yaml").exists() or not SCORER.exists():
        sys.exit(f"no labelled corpus at {args.corpus} (or no scorer at {SCORER})")
    print(score(args.corpus, verbose=args.verbose), end="")


if __name__ == "__main__":
    main()
