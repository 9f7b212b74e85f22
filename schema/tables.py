"""Table definitions, as versioned migrations applied on open.

Each migration is a function of a ``sqlite_utils.Database`` and runs once; SQLite's
``user_version`` records how many have run. Append new migrations, never edit old ones:
databases in the field are upgraded in place.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

# Columns of character bigrams that full-text search indexes (see watcher/search.py):
# machine-facing, hidden on Datasette's pages.
SEARCH_COLUMNS = {
    "reports": ("title_bigrams", "text_bigrams"),
    "sentences": ("text_bigrams",),
}


def m001_spine(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            filename TEXT NOT NULL,
            path TEXT,
            size INTEGER,
            encoding TEXT,
            format TEXT,
            received_at TEXT,
            text TEXT,
            extractor_version TEXT
        );
        CREATE INDEX documents_filename ON documents(filename);
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id),
            seq INTEGER NOT NULL,
            title TEXT,
            subtitle TEXT,
            genre TEXT,
            organ TEXT,
            level TEXT,
            district TEXT,
            city TEXT,
            province TEXT,
            year INTEGER,
            period_start INTEGER,
            period_end INTEGER,
            text TEXT,
            start INTEGER,
            "end" INTEGER,
            title_bigrams TEXT,
            text_bigrams TEXT
        );
        CREATE INDEX reports_document_id ON reports(document_id);
        CREATE INDEX reports_place_year ON reports(province, city, district, year);
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            name TEXT NOT NULL,
            role TEXT,
            source TEXT,
            start INTEGER,
            "end" INTEGER
        );
        CREATE INDEX people_report_id ON people(report_id);
        CREATE TABLE ingest_log (
            id INTEGER PRIMARY KEY,
            filename TEXT,
            path TEXT,
            sha256 TEXT,
            status TEXT NOT NULL CHECK (status IN ('ingested', 'duplicate', 'replaced', 'failed')),
            detail TEXT,
            started_at TEXT,
            duration_ms REAL
        );
        CREATE INDEX ingest_log_status ON ingest_log(status, started_at);
        """
    )


def m002_extraction(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE indicators (
            key TEXT PRIMARY KEY,
            label_zh TEXT,
            label_en TEXT,
            unit TEXT,
            category TEXT,
            description TEXT
        );
        CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            seq INTEGER NOT NULL,
            heading TEXT,
            kind TEXT,
            start INTEGER,
            "end" INTEGER
        );
        CREATE INDEX sections_report_id ON sections(report_id);
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            section_id INTEGER REFERENCES sections(id),
            seq INTEGER NOT NULL,
            text TEXT,
            start INTEGER,
            "end" INTEGER,
            text_bigrams TEXT
        );
        CREATE INDEX sentences_report_id ON sentences(report_id);
        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            sentence_id INTEGER REFERENCES sentences(id),
            indicator TEXT REFERENCES indicators(key),
            subject TEXT,
            value REAL,
            unit TEXT,
            approx INTEGER,
            raw TEXT,
            start INTEGER,
            "end" INTEGER
        );
        CREATE INDEX facts_report_id ON facts(report_id);
        CREATE INDEX facts_indicator ON facts(indicator);
        CREATE TABLE citations (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            sentence_id INTEGER REFERENCES sentences(id),
            title TEXT,
            kind TEXT,
            level TEXT,
            action TEXT,
            start INTEGER,
            "end" INTEGER
        );
        CREATE INDEX citations_report_id ON citations(report_id);
        CREATE TABLE phrases (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            phrase TEXT,
            count INTEGER
        );
        CREATE INDEX phrases_report_id ON phrases(report_id);
        CREATE TABLE keywords (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            keyword TEXT NOT NULL,
            weight REAL,
            rank INTEGER,
            PRIMARY KEY (report_id, keyword)
        );
        """
    )


def m003_search(db: sqlite_utils.Database) -> None:
    for table, columns in SEARCH_COLUMNS.items():
        db[table].enable_fts(list(columns), create_triggers=True, tokenize="unicode61")


def m004_organ_kind(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        ALTER TABLE reports ADD COLUMN organ_kind TEXT;
        ALTER TABLE reports ADD COLUMN delivered_on TEXT;
        ALTER TABLE facts ADD COLUMN rule TEXT;
        """
    )


def m007_formats(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        ALTER TABLE documents ADD COLUMN converter TEXT;
        ALTER TABLE documents ADD COLUMN converter_version TEXT;
        ALTER TABLE documents ADD COLUMN title TEXT;
        ALTER TABLE documents ADD COLUMN published_on TEXT;
        """
    )


MIGRATIONS: list[Migration] = [m001_spine, m002_extraction, m003_search, m004_organ_kind, m007_formats]


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the database up to the newest schema; returns the schema version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.conn:
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    return len(MIGRATIONS)
