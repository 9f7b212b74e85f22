"""Copies of the database for people who take the data away: a consistent, compacted SQLite
snapshot (safe while the service writes), CSV with an optional BOM for Excel, and Parquet."""

from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
from pathlib import Path

# Columns that only feed the search index (character bigrams): not data a reader takes away.
INDEX_ONLY_SUFFIX = "_bigrams"


def snapshot(source: Path | str, target: Path | str) -> Path:
    """``VACUUM INTO`` a new file: one read transaction, so the copy is consistent even while
    another process writes (WAL), and compacted. The file appears under its name only when complete."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    os.unlink(partial)  # VACUUM INTO refuses an existing file
    try:
        conn = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("VACUUM INTO ?", (partial,))
        finally:
            conn.close()
        out = sqlite3.connect(partial)
        try:
            out.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            out.close()
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def exported_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables and views, without search indexes (virtual tables) and the shadow tables behind them."""
    rows = conn.execute("select name, type, coalesce(sql, '') from sqlite_master where type in ('table', 'view') order by name")
    rows = list(rows)
    virtual = [name for name, _, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return [
        name for name, _, _ in rows
        if not name.startswith("sqlite_") and not any(name == v or name.startswith(v + "_") for v in virtual)
    ]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if not r[1].endswith(INDEX_ONLY_SUFFIX)]


def _whole(value):
    """REAL columns hold counts as 14.0; a reader expects 14."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def write_csv(conn: sqlite3.Connection, table: str, target: Path, *, bom: bool = False) -> Path:
    columns = _columns(conn, table)
    quoted = ", ".join(f"[{c}]" for c in columns)
    with open(target, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in conn.execute(f"select {quoted} from [{table}]"):
            writer.writerow([_whole(v) for v in row])
    return target


def _one_type(values: list) -> list:
    """A Parquet column has one type; SQLite's may mix them. Whole numbers become integers,
    numbers floats, and a column mixing text with anything else text."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, (int, float)) for v in present):
        if all(float(v).is_integer() for v in present):
            return [None if v is None else int(v) for v in values]
        return [None if v is None else float(v) for v in values]
    if all(isinstance(v, bytes) for v in present):
        return values
    return [None if v is None else v if isinstance(v, str) else str(v) for v in values]


def write_parquet(conn: sqlite3.Connection, table: str, target: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _columns(conn, table)
    quoted = ", ".join(f"[{c}]" for c in columns)
    rows = conn.execute(f"select {quoted} from [{table}]").fetchall()
    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    for name, values in data.items():
        data[name] = _one_type(values)
    pq.write_table(pa.table(data), target)
    return target


def export(source: Path | str, target: Path | str, *, format: str = "db", bom: bool = False) -> list[Path]:
    """One snapshot file (format ``db``), or one file per table in the folder ``target``
    (``csv`` or ``parquet``), all read from one consistent snapshot."""
    target = Path(target)
    if format == "db":
        return [snapshot(source, target)]
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        copy = snapshot(source, Path(scratch) / "snapshot.db")
        conn = sqlite3.connect(copy)
        try:
            writer = {"csv": lambda t, p: write_csv(conn, t, p, bom=bom), "parquet": lambda t, p: write_parquet(conn, t, p)}[format]
            return [writer(table, target / f"{table}.{format}") for table in exported_tables(conn)]
        finally:
            conn.close()
