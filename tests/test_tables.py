"""Migrations upgrade a database in the field in place."""

import sqlite3

import sqlite_utils

from schema.tables import MIGRATIONS, m005_level_tiers, m009_whole_values, m010_leaner_store, migrate


def database_before(path, migration) -> sqlite_utils.Database:
    """A database as the release before ``migration`` left it."""
    db = sqlite_utils.Database(path)
    before = MIGRATIONS.index(migration)
    for earlier in MIGRATIONS[:before]:
        earlier(db)
    db.execute(f"PRAGMA user_version = {before}")
    return db


def test_stored_levels_are_renamed_to_china_s_tiers(tmp_path):
    db = database_before(tmp_path / "old.db", m005_level_tiers)
    db.execute("INSERT INTO documents (id, filename, path, size, encoding, format, received_at, text, extractor_version) "
               "VALUES ('d', 'a.txt', 'a.txt', 1, 'utf-8', 'txt', '', '', '1')")
    for seq, level in enumerate(["provincial", "municipal", "district", "township", "national", None]):
        db.execute("INSERT INTO reports (document_id, seq, level, text, start, \"end\") VALUES ('d', ?, ?, '', 0, 0)",
                   [seq, level])
    migrate(db)
    levels = [row[0] for row in db.execute("SELECT level FROM reports ORDER BY seq")]
    assert levels == ["province", "city", "county", "township", "national", None]


def test_whole_values_migration_turns_stored_counts_into_integers(tmp_path):
    path = tmp_path / "old.db"
    db = database_before(path, m009_whole_values)
    db.execute("INSERT INTO documents (id, filename) VALUES ('d', 'd.txt')")
    db.execute("INSERT INTO reports (id, document_id, seq) VALUES (1, 'd', 0)")
    db.execute("""INSERT INTO facts (report_id, value, raw, start, "end") VALUES (1, 14, '14次', 0, 3), (1, 92.8, '92.8%', 4, 9)""")
    db.conn.commit()
    assert [r[0] for r in db.execute("select typeof(value) from facts order by id")] == ["real", "real"]

    migrate(db)
    assert [tuple(r) for r in db.execute("select typeof(value), value from facts order by id")] == [
        ("integer", 14), ("real", 92.8)]
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    db.conn.close()
    # a new connection reads the new declaration; new rows get the new affinity
    conn = sqlite3.connect(path)
    conn.execute("""INSERT INTO facts (report_id, value, raw, start, "end") VALUES (1, 11.0, '11次', 0, 3)""")
    assert conn.execute("select typeof(value) from facts order by id desc limit 1").fetchone()[0] == "integer"
    plans = " ".join(r[3] for r in conn.execute("explain query plan select id from reports where city = '武汉市'"))
    assert "reports_city_year" in plans
    # running it again changes nothing
    m009_whole_values(sqlite_utils.Database(conn))


def test_sentences_become_spans_of_their_report_and_links_to_them_survive(tmp_path):
    from watcher.search import rebuild_index, search

    path = tmp_path / "old.db"
    db = database_before(path, m010_leaner_store)
    text = "召开常委会会议9次。审议报告12件。"
    db.execute("INSERT INTO documents (id, filename) VALUES ('d', 'd.txt')")
    db.execute("INSERT INTO reports (id, document_id, seq, title, text, start, \"end\") VALUES (1, 'd', 0, '综述', ?, 0, ?)",
               [text, len(text)])
    db.execute("INSERT INTO sentences (id, report_id, seq, text, start, \"end\") VALUES (7, 1, 0, ?, 0, 10), (8, 1, 1, ?, 10, 18)",
               [text[:10], text[10:]])
    db.execute("INSERT INTO facts (id, report_id, sentence_id, raw, start, \"end\") VALUES (3, 1, 8, '12件', 14, 17)")
    db.execute("INSERT INTO report_bands (key, report_id) VALUES (42, 1)")
    db.execute("INSERT INTO corpus_state (key, value) VALUES ('next_id:sentences', 9)")
    db.conn.commit()

    migrate(db)
    assert [tuple(r) for r in db.execute("select id, text from sentences order by id")] == [(7, text[:10]), (8, text[10:])]
    assert db.execute("select s.text from facts f join sentences s on s.id = f.sentence_id").fetchone() == (text[10:],)
    assert db.execute("select key, report_id from report_bands").fetchall() == [(42, 1)]
    assert db.execute("select value from corpus_state where key = 'next_id:sentence_spans'").fetchone() == (9,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    rebuild_index(db.conn, "reports")  # the report was written without the store, which indexes
    db.conn.commit()
    db.conn.close()
    assert [s["id"] for s in search(path, "审议报告", table="sentences")] == [8]
