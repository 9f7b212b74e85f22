"""Cost of the duplicate check per report as the corpus grows (LSH band lookup, not all-pairs).

A corpus of generated reports (words of the fixture reports and samples in random order, each
report also carrying a few of a small set of stock sentences, as real reports share boilerplate)
is stored with its signatures and bands. At each checkpoint, a batch of new reports, half of
them edited copies of stored ones, goes through ``dedupe.link`` in one transaction per report,
as at commit; prints ms/report and the candidates each lookup had to check. Signatures are
computed beforehand: they belong to the prepare step and are timed separately.

    python benchmarks/dedupe.py [--sizes 1000 20000] [--batch 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import fixture_reports, sample_files  # noqa: E402
from schema.models import Report  # noqa: E402
from watcher import dedupe  # noqa: E402
from watcher.store import Store  # noqa: E402

STOCK = [
    "常委会坚持以习近平新时代中国特色社会主义思想为指导",
    "全面贯彻党的二十大精神",
    "坚持党的领导、人民当家作主、依法治国有机统一",
    "践行全过程人民民主",
    "围绕中心、服务大局",
    "为推动高质量发展贡献人大力量",
]


def vocabulary_words() -> list[str]:
    import jieba

    words = set()
    for path in sample_files() + fixture_reports():
        words.update(w for w in jieba.cut(path.read_text(encoding="utf-8")) if len(w) >= 2 and w.isalnum())
    return sorted(words)


def generate(rng: random.Random, words: list[str], length: int = 900) -> str:
    parts = rng.sample(STOCK, 3)
    size = sum(map(len, parts))
    while size < length:
        word = rng.choice(words) if rng.random() > 0.1 else str(rng.randint(2, 400)) + rng.choice("次件项个人")
        parts.append(word)
        size += len(word)
    rng.shuffle(parts)
    return "，".join(parts) + "。"


def edited_copy(rng: random.Random, text: str) -> str:
    cut = rng.randint(0, len(text) // 2)
    return text[:cut] + "另据报道" + text[cut + 20 :]


def insert(store: Store, report_id: int, text: str, signature) -> None:
    store.conn.execute(
        "INSERT INTO documents (id, filename, text) VALUES (?, ?, '')", (f"d{report_id}", f"{report_id}.txt")
    )
    store.conn.execute(
        "INSERT INTO reports (id, document_id, seq, text) VALUES (?, ?, 0, ?)", (report_id, f"d{report_id}", text)
    )
    if signature is not None:
        dedupe.link(store.conn, report_id, Report(seq=0, text=text, start=0, end=len(text)), signature)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    words = vocabulary_words()
    texts: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        next_id = 1
        for size in args.sizes:
            started = time.perf_counter()
            store.conn.execute("BEGIN")
            while next_id <= size:
                text = generate(rng, words)
                texts.append(text)
                insert(store, next_id, text, dedupe.signature(text))
                next_id += 1
            store.conn.execute("COMMIT")
            fill = time.perf_counter() - started
            batch = [
                edited_copy(rng, rng.choice(texts)) if i % 2 else generate(rng, words) for i in range(args.batch)
            ]
            clock = time.perf_counter()
            signatures = [dedupe.signature(t) for t in batch]
            signing = (time.perf_counter() - clock) * 1000 / len(batch)
            candidates = 0
            clock = time.perf_counter()
            for text, signature in zip(batch, signatures):
                keys = dedupe.band_keys(signature)
                candidates += store.conn.execute(
                    f"SELECT count(DISTINCT report_id) FROM report_bands WHERE key IN ({','.join('?' * len(keys))})",
                    keys,
                ).fetchone()[0]
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            first = next_id
            linking: list[float] = []
            committing = 0.0
            for text, signature in zip(batch, signatures):
                store.conn.execute("BEGIN IMMEDIATE")
                insert(store, next_id, text, None)
                clock = time.perf_counter()
                dedupe.link(store.conn, next_id, Report(seq=0, text=text, start=0, end=len(text)), signature)
                linking.append(time.perf_counter() - clock)
                clock = time.perf_counter()
                store.conn.execute("COMMIT")
                committing += time.perf_counter() - clock
                next_id += 1
            check = statistics.median(linking) * 1000
            mean = statistics.mean(linking) * 1000
            commit = committing * 1000 / len(batch)
            copies = [first + i for i in range(len(batch)) if i % 2]
            marks = ",".join("?" * len(copies))
            linked = store.conn.execute(
                f"SELECT count(*) FROM reports r WHERE r.id IN ({marks}) AND (r.duplicate_of IS NOT NULL "
                "OR EXISTS (SELECT 1 FROM reports c WHERE c.duplicate_of = r.id))",
                copies,
            ).fetchone()[0]
            fresh = store.conn.execute(
                f"SELECT count(*) FROM reports WHERE id >= ? AND id NOT IN ({marks}) AND duplicate_of IS NOT NULL",
                [first, *copies],
            ).fetchone()[0]
            print(
                f"{size:>6} reports stored (filled in {fill:.0f} s): duplicate check {check:.2f} ms/report median, "
                f"{mean:.2f} mean (store bands, look up, verify, link; the commit itself {commit:.2f} ms), {candidates / len(batch):.2f} candidates/report, "
                f"{linked}/{len(copies)} copies linked, {fresh} new reports linked wrongly; signature {signing:.2f} ms/report (prepare side)",
                flush=True,
            )
            texts.extend(batch)
        store.close()


if __name__ == "__main__":
    main()
