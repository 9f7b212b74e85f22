"""Migrations upgrade a database in the field in place."""

import sqlite3

import sqlite_utils

from schema.tables import MIGRATIONS, m009_whole_values, migrate


def test_stored_levels_are_renamed_to_china_s_tiers(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    for number, migration in enumerate(MIGRATIONS[:4], start=1):
        migration(db)
        db.execute(f"PRAGMA user_version = {number}")
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
    db = sqlite_utils.Database(path)
    before = MIGRATIONS.index(m009_whole_values)
    for migration in MIGRATIONS[:before]:
        migration(db)
    db.execute(f"PRAGMA user_version = {before}")
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
