import sqlite_utils

from schema.tables import MIGRATIONS, migrate


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
