"""Unique variants of real-looking reports, for bulk tests and benchmarks: the same genre and
damage, with places, years and figures substituted so every file is new bytes."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

DISTRICTS = (
    "东城区", "西城区", "朝阳区", "海淀区", "江岸区", "武昌区", "洪山区", "锦江区", "武侯区", "成华区",
    "鼓楼区", "玄武区", "秦淮区", "雁塔区", "碑林区", "天河区", "越秀区", "南岸区", "渝中区", "市中区",
    "长安区", "新华区", "桥西区", "城关区", "七里河区", "西湖区", "上城区", "思明区", "湖里区", "历下区",
)
PLACE = re.compile(r"[\u4e00-\u9fff]{2,3}[区县]")
NUMBER = re.compile(r"\d+")


def _figure(match: re.Match, rng: random.Random) -> str:
    digits = match.group()
    if len(digits) == 4 and digits.startswith("20"):
        return str(rng.randint(2012, 2025))
    low = 10 ** (len(digits) - 1) if len(digits) > 1 else 1
    return str(rng.randint(low, 10 ** len(digits) - 1))


def variant(text: str, rng: random.Random) -> str:
    places = Counter(PLACE.findall(text))
    if places:
        home = places.most_common(1)[0][0]
        text = text.replace(home, rng.choice(DISTRICTS))
    return NUMBER.sub(lambda m: _figure(m, rng), text)


def report_variants(sources: list[Path], count: int, seed: int = 0):
    """``count`` (name, text) pairs, cycling over ``sources``; the same seed gives the same files."""
    rng = random.Random(seed)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    for i in range(count):
        stem, text = texts[i % len(texts)]
        yield f"{i:06d}-{stem}.txt", variant(text, rng) + f"\n\n（第{i}号）\n"


def write_variants(folder: Path, sources: list[Path], *, megabytes: float, seed: int = 0) -> int:
    """Fill ``folder`` with variants until they add up to ``megabytes``; returns the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in report_variants(sources, 10**9, seed):
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total += len(data)
        if total >= megabytes * 1e6:
            return total
    return total


def long_report(sources: list[Path], megabytes: float, seed: int = 0) -> str:
    """One very long file of many reports: seconds of honest work for the prepare step."""
    parts, size = [], 0
    for _, text in report_variants(sources, 10**9, seed):
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size >= megabytes * 1e6:
            return "\n\n".join(parts)
    return "\n\n".join(parts)


def table_rows(db: Path) -> dict[str, list]:
    """Every extracted row, without row ids, so databases built by different runs compare equal.

    Keyword weights and which copy of a near-duplicate is linked to which depend on the order in
    which workers finish, so keywords are left out and a duplicate link counts only as present."""
    import sqlite3

    tables = ("documents", "reports", "sections", "sentences", "facts", "citations", "phrases", "people")
    with sqlite3.connect(db) as conn:
        dump = {}
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            keep = [i for i, n in enumerate(names) if n not in ("id", "received_at", "path", "duplicate_of", "similarity") and not (
                n.endswith("_id") and n != "document_id")]
            linked = names.index("duplicate_of") if "duplicate_of" in names else None
            rows = []
            for row in cursor:
                values = [row[i] for i in keep]
                if linked is not None:
                    values.append(row[linked] is not None)
                rows.append(repr(values))
            dump[table] = sorted(rows)
    return dump
