"""Table definitions, as versioned migrations applied on open.

Each migration is a function of a ``sqlite_utils.Database`` and runs once; SQLite's
``user_version`` records how many have run. Append new migrations, never edit old ones:
databases in the field are upgraded in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

# Full-text indexes (see watcher/search.py): table -> its columns the index covers. Each index is
# an external-content FTS5 table over the table itself; the store writes character bigrams into
# it, so no bigram string is kept in the tables readers see. Sentences and facts are searched
# through the reports this index finds (their text is part of the report's).
SEARCH_INDEXES = {
    "reports": ("title", "text"),
}

# A sentence is a span of its report's text; the view gives it its text. The text is a scalar
# subquery, not a join, so that SQLite can flatten the view into a query that LEFT JOINs it
# (facts f LEFT JOIN sentences s): a view that is a join would be computed whole first.
SENTENCES_VIEW = """
CREATE VIEW sentences AS
    SELECT s.id, s.report_id, s.section_id, s.seq,
        (SELECT substr(r.text, s.start + 1, s."end" - s.start) FROM reports r WHERE r.id = s.report_id) AS text,
        s.start, s."end"
    FROM sentence_spans s;
"""


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
    # Superseded by m006; kept so that old databases upgrade through the same steps.
    columns = {"reports": ["title_bigrams", "text_bigrams"], "sentences": ["text_bigrams"]}
    for table, names in columns.items():
        db[table].enable_fts(names, create_triggers=True, tokenize="unicode61")


def m004_organ_kind(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        ALTER TABLE reports ADD COLUMN organ_kind TEXT;
        ALTER TABLE reports ADD COLUMN delivered_on TEXT;
        ALTER TABLE facts ADD COLUMN rule TEXT;
        """
    )


def m005_level_tiers(db: sqlite_utils.Database) -> None:
    """Report levels name China's tiers: provincial → province, municipal → city, district → county."""
    db.execute(
        "UPDATE reports SET level = CASE level WHEN 'provincial' THEN 'province' "
        "WHEN 'municipal' THEN 'city' WHEN 'district' THEN 'county' ELSE level END"
    )


M006_INDEXES = {"reports": ("title", "text"), "sentences": ("text",), "facts": ("subject", "evidence")}


def m006_lean_store(db: sqlite_utils.Database) -> None:
    """Indexed foreign keys; search indexes that hold bigrams without bigram columns; document
    frequencies of keyword terms kept as reports arrive."""
    for table in M006_INDEXES:
        db.execute(f"DROP TABLE IF EXISTS {table}_fts")
        for suffix in ("ai", "ad", "au"):
            db.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
    db.executescript(
        """
        ALTER TABLE reports DROP COLUMN title_bigrams;
        ALTER TABLE reports DROP COLUMN text_bigrams;
        ALTER TABLE sentences DROP COLUMN text_bigrams;
        ALTER TABLE documents ADD COLUMN text_outside_reports TEXT;
        CREATE INDEX IF NOT EXISTS sentences_section_id ON sentences(section_id);
        CREATE INDEX IF NOT EXISTS facts_sentence_id ON facts(sentence_id);
        CREATE INDEX IF NOT EXISTS citations_sentence_id ON citations(sentence_id);
        -- the reports table page sorts by year: the first page of a search need not sort every hit
        CREATE INDEX IF NOT EXISTS reports_year ON reports(year);
        CREATE TABLE keywords_by_report (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            keyword TEXT NOT NULL,
            weight REAL,
            rank INTEGER,
            PRIMARY KEY (report_id, keyword)
        ) WITHOUT ROWID;
        INSERT INTO keywords_by_report SELECT report_id, keyword, weight, rank FROM keywords;
        DROP TABLE keywords;
        ALTER TABLE keywords_by_report RENAME TO keywords;
        CREATE TABLE document_frequencies (
            term TEXT PRIMARY KEY,
            documents INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE corpus_state (
            key TEXT PRIMARY KEY,
            value
        );
        -- Stored documents were never counted: the next reprocess counts them all.
        INSERT INTO corpus_state (key, value) VALUES ('documents', 0);
        INSERT INTO corpus_state (key, value)
            SELECT 'frequencies_version', 'uncounted' WHERE EXISTS (SELECT 1 FROM documents);
        """
    )
    for table, columns in M006_INDEXES.items():
        db.execute(
            f'CREATE VIRTUAL TABLE {table}_fts USING fts5({", ".join(columns)}, content="{table}", '
            f'content_rowid="id", tokenize="unicode61")'
        )
    from watcher.search import rebuild_index  # the tokens are the search module's business

    for table in SEARCH_INDEXES:  # the others are dropped by m010
        rebuild_index(db.conn, table)


def m007_formats(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        ALTER TABLE documents ADD COLUMN converter TEXT;
        ALTER TABLE documents ADD COLUMN converter_version TEXT;
        ALTER TABLE documents ADD COLUMN title TEXT;
        ALTER TABLE documents ADD COLUMN published_on TEXT;
        """
    )


def m008_duplicates_corrections(db: sqlite_utils.Database) -> None:
    """Copies of one article point to the canonical report; aggregates read the canonical_*
    views. Corrections live apart from extraction and are applied on top of it."""
    db.executescript(
        """
        ALTER TABLE reports ADD COLUMN duplicate_of INTEGER REFERENCES reports(id);
        ALTER TABLE reports ADD COLUMN similarity REAL;
        CREATE INDEX reports_duplicate_of ON reports(duplicate_of);
        CREATE TABLE report_signatures (
            report_id INTEGER PRIMARY KEY REFERENCES reports(id),
            shingles INTEGER NOT NULL,
            minhash BLOB NOT NULL
        );
        CREATE TABLE report_bands (
            key INTEGER NOT NULL,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            PRIMARY KEY (key, report_id)
        ) WITHOUT ROWID;
        CREATE INDEX report_bands_report_id ON report_bands(report_id);
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL,
            report_seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            raw TEXT NOT NULL,
            context TEXT,
            was_indicator TEXT,
            was_value REAL,
            was_unit TEXT,
            not_a_fact INTEGER NOT NULL DEFAULT 0,
            indicator TEXT,
            clear_indicator INTEGER NOT NULL DEFAULT 0,
            value REAL,
            unit TEXT,
            field TEXT,
            was_field_value TEXT,
            field_value TEXT,
            author TEXT NOT NULL,
            reason TEXT,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'applied',
            fact_id INTEGER,
            report_id INTEGER,
            checked_at TEXT
        );
        CREATE INDEX corrections_document_id ON corrections(document_id);
        CREATE INDEX corrections_status ON corrections(status);
        ALTER TABLE facts ADD COLUMN extractor_version TEXT;
        ALTER TABLE facts ADD COLUMN correction_id INTEGER REFERENCES corrections(id);
        CREATE VIEW canonical_reports AS
            SELECT * FROM reports WHERE duplicate_of IS NULL;
        CREATE VIEW canonical_facts AS
            SELECT f.* FROM facts f JOIN reports r ON r.id = f.report_id WHERE r.duplicate_of IS NULL;
        CREATE VIEW report_series AS
            SELECT r.organ, r.organ_kind, r.province, r.city, r.district,
                coalesce(r.year, r.period_end) AS year, r.id AS report_id, r.title, r.genre,
                (SELECT count(*) FROM facts f WHERE f.report_id = r.id AND f.indicator IS NOT NULL) AS facts,
                (SELECT count(*) FROM reports c WHERE c.duplicate_of = r.id) AS copies
            FROM canonical_reports r
            WHERE r.organ IS NOT NULL
            ORDER BY r.organ, coalesce(r.year, r.period_end), r.id;
        """
    )


def m009_whole_values(db: sqlite_utils.Database) -> None:
    """facts.value: NUMERIC affinity instead of REAL, so a count is stored (and read by every
    tool, exported as CSV and JSON) as 14, not 14.0; 92.8 stays a real number. And indexes for
    a district's or a city's reports (the place pages), which the province-first index cannot serve.

    SQLite cannot ALTER a column's type. Declared types change no stored record, so the
    declaration is rewritten in place (the procedure of SQLite's ALTER TABLE documentation),
    which keeps the table's indexes, triggers and any later columns, then each stored value is
    re-read with the new affinity."""
    db.execute("CREATE INDEX IF NOT EXISTS reports_district_year ON reports(district, year, city, province)")
    db.execute("CREATE INDEX IF NOT EXISTS reports_city_year ON reports(city, year, district, province)")
    schema_version = db.execute("PRAGMA schema_version").fetchone()[0]
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'facts'").fetchone()[0]
    declaration = re.compile(r"""([\s(,]["`\[]?value["`\]]?\s+)REAL\b""", re.I)
    if not declaration.search(sql):
        return
    db.execute("PRAGMA writable_schema = ON")
    db.execute(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'facts'",
        (declaration.sub(r"\1NUMERIC", sql, count=1),),
    )
    db.execute(f"PRAGMA schema_version = {schema_version + 1}")
    db.execute("PRAGMA writable_schema = OFF")
    db.execute("UPDATE facts SET value = value WHERE typeof(value) = 'real' AND value = cast(value AS INTEGER)")


def m010_leaner_store(db: sqlite_utils.Database) -> None:
    """One copy of the text: a sentence is stored as its offsets in its report (sentence_spans)
    and read, text included, through the sentences view. The sentence and fact indexes go:
    those searches filter the reports that reports_fts finds. Foreign keys to the table follow
    the rename. And report_bands loses its second index (and so its foreign key, which needed
    it): a report's bands are deleted by their keys, computed from its stored signature."""
    db.executescript(
        """
        DROP TABLE IF EXISTS sentences_fts;
        DROP TABLE IF EXISTS facts_fts;
        ALTER TABLE sentences RENAME TO sentence_spans;
        ALTER TABLE sentence_spans DROP COLUMN text;
        UPDATE corpus_state SET key = 'next_id:sentence_spans' WHERE key = 'next_id:sentences';
        CREATE TABLE report_bands_by_key (
            key INTEGER NOT NULL,
            report_id INTEGER NOT NULL,
            PRIMARY KEY (key, report_id)
        ) WITHOUT ROWID;
        INSERT INTO report_bands_by_key SELECT key, report_id FROM report_bands;
        DROP TABLE report_bands;
        ALTER TABLE report_bands_by_key RENAME TO report_bands;
        """
        + SENTENCES_VIEW
    )


MIGRATIONS: list[Migration] = [
    m001_spine, m002_extraction, m003_search, m004_organ_kind, m005_level_tiers, m006_lean_store,
    m007_formats, m008_duplicates_corrections, m009_whole_values, m010_leaner_store,
]


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the database up to the newest schema; returns the schema version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.conn:
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    return len(MIGRATIONS)
