"""Copies of one article link to the most complete report; aggregates count each article once."""

import sqlite3

import pytest

from conftest import FIXTURE_REPORTS
from watcher import dedupe
from watcher.ingest import ingest_paths, reprocess_database

ORIGINAL = FIXTURE_REPORTS / "qingshan_2023_clean.txt"
NEXT_YEAR = FIXTURE_REPORTS / "qingshan_2024_clean.txt"


def original_text() -> str:
    return ORIGINAL.read_text(encoding="utf-8")


def one_line_changed() -> str:
    return original_text().replace("组织全区120名区人大代表参加履职培训", "组织全区118名区人大代表参加集中履职培训")


def excerpt() -> str:
    """The newspaper's title block and first half only, as a site that reposts a teaser."""
    text = original_text()
    return text[: text.index("发挥代表作用")]


def reheadlined() -> str:
    """A repost under the site's own headline, without the bylines."""
    lines = original_text().splitlines()
    body = [line for line in lines[1:] if not line.startswith("本报记者")]
    return "\n".join(["青山区人大：全过程人民民主的基层实践", *body]) + "\n"


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def links(db) -> dict[str, tuple]:
    """File name -> (canonical file name or None, similarity)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select d.filename, cd.filename, r.similarity from reports r join documents d on d.id = r.document_id "
            "left join reports c on c.id = r.duplicate_of left join documents cd on cd.id = c.document_id"
        ).fetchall()
    return {name: (canonical, similarity) for name, canonical, similarity in rows}


def test_signature_is_a_function_of_the_text_and_ignores_punctuation_and_wrapping():
    a = dedupe.signature("召开常委会会议11次，任免国家机关工作人员48人次。")
    b = dedupe.signature("召开常委会会议11次,任免国家机关\n工作人员48人次.")
    assert a == b and a.shingles > 10 and len(a.minhash) == dedupe.NUM_PERM
    assert dedupe.signature("听取审议专项工作报告12个，开展视察调研21次。") != a


def test_copies_link_to_the_original_and_another_year_does_not(settings, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    files = [
        write(folder, "a_original.txt", original_text()),
        write(folder, "b_changed_line.txt", one_line_changed()),
        write(folder, "c_excerpt.txt", excerpt()),
        write(folder, "d_reheadlined.txt", reheadlined()),
        write(folder, "e_next_year.txt", NEXT_YEAR.read_text(encoding="utf-8")),
    ]
    for path in files:  # one at a time, in arrival order
        ingest_paths(settings, [path])
    found = links(settings.db)
    # the changed line is longer, so that copy is the most complete and becomes canonical
    canonical = "b_changed_line.txt"
    assert found[canonical] == (None, None)
    for copy in ("a_original.txt", "c_excerpt.txt", "d_reheadlined.txt"):
        assert found[copy][0] == canonical, (copy, found)
        assert found[copy][1] >= 0.8
    assert found["e_next_year.txt"] == (None, None)


def test_a_longer_version_arriving_later_becomes_canonical(settings, tmp_path):
    short = write(tmp_path, "excerpt.txt", excerpt())
    full = write(tmp_path, "full.txt", original_text())
    ingest_paths(settings, [short])
    assert links(settings.db) == {"excerpt.txt": (None, None)}
    ingest_paths(settings, [full])
    found = links(settings.db)
    assert found["full.txt"] == (None, None)
    assert found["excerpt.txt"][0] == "full.txt"
    # the excerpt is wholly contained in the full report
    assert found["excerpt.txt"][1] >= 0.9


def test_links_survive_reprocess_and_a_removed_canonical_hands_over(settings, tmp_path):
    # the full text and the repost have as many shingles: the one stored first is canonical
    ingest_in_turn(settings, tmp_path, {"full.txt": original_text(), "excerpt.txt": excerpt(),
                                        "repost.txt": reheadlined()})
    before = links(settings.db)
    assert before["excerpt.txt"][0] == "full.txt" and before["repost.txt"][0] == "full.txt"
    reprocess_database(settings)
    assert {k: v[0] for k, v in links(settings.db).items()} == {k: v[0] for k, v in before.items()}
    # the full report's file is replaced by an unrelated text: the repost is now the most complete
    write(tmp_path, "full.txt", NEXT_YEAR.read_text(encoding="utf-8"))
    ingest_paths(settings, [tmp_path / "full.txt"])
    after = links(settings.db)
    assert after["repost.txt"] == (None, None)
    assert after["excerpt.txt"][0] == "repost.txt"
    assert after["full.txt"] == (None, None)


def test_aggregates_count_each_article_once(settings, tmp_path):
    paths = [write(tmp_path, name, text) for name, text in (
        ("a.txt", original_text()), ("b.txt", reheadlined()), ("c.txt", excerpt()),
        ("d.txt", NEXT_YEAR.read_text(encoding="utf-8")),
    )]
    ingest_paths(settings, paths)
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("select count(*) from reports").fetchone()[0] == 4
        assert conn.execute("select count(*) from canonical_reports").fetchone()[0] == 2
        meetings = conn.execute(
            "select r.year, count(*), sum(f.value) from canonical_facts f join reports r on r.id = f.report_id "
            "where f.indicator = 'standing_committee_meetings' group by r.year order by r.year"
        ).fetchall()
        assert meetings == [(2023, 1, 11.0), (2024, 1, 10.0)]
        series = conn.execute("select organ, year, copies from report_series").fetchall()
        assert series == [("青山区人大常委会", 2023, 2), ("青山区人大常委会", 2024, 0)]


@pytest.mark.asyncio
async def test_site_counts_and_queries_read_canonical_reports(settings, tmp_path):
    from schema.metadata import datasette_metadata
    from watcher.serve import make_datasette

    ingest_paths(settings, [write(tmp_path, "a.txt", original_text()), write(tmp_path, "b.txt", reheadlined())])
    datasette = make_datasette(settings)
    rows = (await datasette.client.get(
        "/reports/facts_of_indicator.json", params={"indicator": "standing_committee_meetings", "_shape": "array"}
    )).json()
    assert [r["value"] for r in rows] == [11]
    assert len(rows[0]["extractor_version"]) > 3
    assert "rule" in rows[0] and rows[0]["correction_id"] is None
    rows = (await datasette.client.get("/reports/indicator_by_district_year.json?_shape=array&year=all")).json()
    assert [r["常委会会议"] for r in rows if r["区县"] == "青山区"] == [11]
    charts = datasette_metadata("reports")["plugins"]["datasette-dashboards"]["report-inbox"]["charts"]
    count = (await datasette.client.get(
        "/reports.json", params={"sql": charts["reports-count"]["query"], "_shape": "array"}
    )).json()
    assert count == [{"count": 1}]
    # the copy stays browsable and names its canonical report
    copy = (await datasette.client.get("/reports/reports.json?_shape=array&duplicate_of__notblank=1")).json()
    assert len(copy) == 1 and copy[0]["similarity"] >= 0.8


def test_a_traditional_character_copy_is_a_copy(settings, tmp_path):
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(original_text())
    assert traditional != original_text()
    ingest_paths(settings, [write(tmp_path, "a.txt", original_text()), write(tmp_path, "b.txt", traditional)])
    found = links(settings.db)
    [canonical] = [name for name, (target, _) in found.items() if target is None]
    [copy] = [name for name in found if name != canonical]
    assert found[copy][0] == canonical and found[copy][1] >= 0.9


@pytest.mark.asyncio
async def test_report_page_names_the_canonical_report_and_facts_show_provenance(settings, tmp_path):
    from watcher.serve import make_datasette

    ingest_paths(settings, [write(tmp_path, "a.txt", original_text()), write(tmp_path, "b.txt", reheadlined())])
    with sqlite3.connect(settings.db) as conn:
        copy, canonical = conn.execute("select id, duplicate_of from reports where duplicate_of is not null").fetchone()
    datasette = make_datasette(settings)
    page = (await datasette.client.get(f"/-/report/{copy}")).text
    assert f'href="/-/report/{canonical}"' in page and "Copy of" in page
    page = (await datasette.client.get(f"/-/report/{canonical}")).text
    assert "Copy of" not in page and page.count('class="provenance"') > 5


def test_signature_counts_the_distinct_shingles_of_any_length_of_text():
    for text in (original_text(), excerpt(), "人大", "", "，。"):
        sig = dedupe.signature(text)
        assert sig.shingles == len(dedupe.shingles(text))
        assert len(sig.minhash) == dedupe.NUM_PERM
    assert dedupe.signature("人大") != dedupe.signature("人大代表")


def links_and_ids(db) -> tuple[dict[str, tuple], dict[str, int]]:
    with sqlite3.connect(db) as conn:
        ids = dict(conn.execute("select d.filename, r.id from reports r join documents d on d.id = r.document_id"))
    return links(db), ids


def built_afresh(settings, tmp_path, files: dict[str, str]) -> dict[str, tuple]:
    """The links a new database gives the same files, received one at a time in the order of
    their reports' ids in ``settings.db`` (two texts of as many shingles go to the earlier one)."""
    folder = tmp_path / "afresh"
    folder.mkdir()
    fresh = settings.model_copy(update={"db": tmp_path / "afresh.db"})
    ids = links_and_ids(settings.db)[1]
    for name in sorted(files, key=ids.get):
        ingest_paths(fresh, [write(folder, name, files[name])])
    return links(fresh.db)


def ingest_in_turn(settings, folder, files: dict[str, str]) -> None:
    """One file after another: committed in this order whatever the workers' finishing order."""
    for name, text in files.items():
        ingest_paths(settings, [write(folder, name, text)])


def test_reprocess_keeps_groups_canonical_reports_and_similarities(settings, tmp_path):
    files = {"full.txt": original_text(), "excerpt.txt": excerpt(), "repost.txt": reheadlined(),
             "changed.txt": one_line_changed(), "next_year.txt": NEXT_YEAR.read_text(encoding="utf-8")}
    ingest_in_turn(settings, tmp_path, files)
    before = links_and_ids(settings.db)
    assert before[0]["changed.txt"] == (None, None) and before[0]["full.txt"][0] == "changed.txt"
    reprocess_database(settings)
    assert links_and_ids(settings.db) == before
    assert before[0] == built_afresh(settings, tmp_path, files)


def reprocess_one(settings, filename: str, text: str) -> None:
    """Re-derive one document's reports, as reprocess does, from a new text (as when its original
    converts differently)."""
    from schema.vocabulary import Vocabulary
    from watcher.pipeline import extract_reports, extractor_version
    from watcher.store import Store

    store = Store(settings.db)
    try:
        vocabulary = Vocabulary.load()
        [document_id] = store.documents_named(filename)
        store.replace_reports(document_id, extract_reports(text, vocabulary), extractor_version(vocabulary),
                              converted={"text": text, "format": "txt"})
    finally:
        store.close()


def test_a_canonical_report_that_comes_out_shorter_hands_its_group_over_and_takes_it_back(settings, tmp_path):
    files = {"full.txt": original_text(), "excerpt.txt": excerpt(), "repost.txt": reheadlined()}
    ingest_in_turn(settings, tmp_path, files)
    assert links(settings.db)["repost.txt"][0] == "full.txt"
    shorter = excerpt() + "\n"  # the excerpt's report, from a file of other bytes
    reprocess_one(settings, "full.txt", shorter)
    after = links(settings.db)
    assert after["repost.txt"] == (None, None)
    assert {after["full.txt"][0], after["excerpt.txt"][0]} == {"repost.txt"}
    assert after == built_afresh(settings, tmp_path, {**files, "full.txt": shorter})
    reprocess_one(settings, "full.txt", original_text())
    assert links(settings.db) == built_afresh(settings, tmp_path / "afresh", files)


def test_replacing_files_leaves_the_links_a_new_database_would_have(settings, tmp_path):
    files = {"full.txt": original_text(), "excerpt.txt": excerpt(), "repost.txt": reheadlined(),
             "next_year.txt": NEXT_YEAR.read_text(encoding="utf-8")}
    ingest_in_turn(settings, tmp_path, files)
    # a copy's file replaced by a longer version: it becomes canonical, the others point to it
    files["repost.txt"] = one_line_changed()
    ingest_paths(settings, [write(tmp_path, "repost.txt", files["repost.txt"])])
    assert links(settings.db)["repost.txt"] == (None, None)
    assert links(settings.db) == built_afresh(settings, tmp_path, files)
    # the canonical report's file replaced by another year's report: the full text takes over
    files["repost.txt"] = NEXT_YEAR.read_text(encoding="utf-8").replace("青山区", "青山县")
    ingest_paths(settings, [write(tmp_path, "repost.txt", files["repost.txt"])])
    assert links(settings.db)["full.txt"] == (None, None)
    assert links(settings.db) == built_afresh(settings, tmp_path / "afresh", files)


def test_reprocessing_a_copy_costs_the_same_sql_work_in_a_group_of_4_or_of_40(tmp_path, monkeypatch):
    """Work counted, not timed: SQLite virtual-machine steps spent in the duplicate check while
    one copy's document is re-derived. Reading every copy's band rows (what once made reprocess
    slower per document as the corpus grew) shows as growth with the group's size."""
    from schema.models import Document, IngestLogEntry
    from schema.vocabulary import Vocabulary
    from watcher.pipeline import extract_reports, extractor_version
    from watcher.store import Store

    vocabulary = Vocabulary.load()
    version = extractor_version(vocabulary)
    text = original_text()
    reports = extract_reports(text, vocabulary)
    steps = {}
    for copies in (4, 40):
        store = Store(tmp_path / f"{copies}.db")
        for i in range(copies):
            sha = f"{i:064x}"
            store.save(
                Document(id=sha, filename=f"{i}.txt", path=f"{i}.txt", size=len(text.encode()), encoding="utf-8",
                         format="txt", received_at="2026-01-01T00:00:00Z", text=text, extractor_version=version),
                reports,
                IngestLogEntry(filename=f"{i}.txt", path="", sha256=sha, status="ingested", started_at="",
                               duration_ms=0),
            )
        counted = [0]

        def counting(function):
            def counted_call(conn, *args, **kwargs):
                conn.set_progress_handler(lambda: counted.__setitem__(0, counted[0] + 1), 10)
                try:
                    return function(conn, *args, **kwargs)
                finally:
                    conn.set_progress_handler(None, 0)
            return counted_call

        with monkeypatch.context() as patched:
            patched.setattr(dedupe, "release", counting(dedupe.release))
            patched.setattr(dedupe, "link", counting(dedupe.link))
            store.replace_reports(f"{copies - 1:064x}", reports, version)  # a copy, not the canonical report
        group = store.conn.execute("select count(*) from reports where duplicate_of is not null").fetchone()[0]
        assert group == copies - 1
        steps[copies] = counted[0]
        store.close()
    assert steps[40] < 1.2 * steps[4], steps


def test_bands_of_reports_that_are_gone_are_deleted(settings, tmp_path):
    """Reprocess keeps an unchanged report's bands; a report that does not come back (its
    document replaced, or re-derived without it) takes its bands with it."""
    paths = [write(tmp_path, "full.txt", original_text()), write(tmp_path, "excerpt.txt", excerpt())]
    ingest_paths(settings, paths)

    def bands():
        with sqlite3.connect(settings.db) as conn:
            orphaned = conn.execute(
                "select count(*) from report_bands where report_id not in (select id from reports)"
            ).fetchone()[0]
            return orphaned, conn.execute("select count(distinct report_id) from report_bands").fetchone()[0]

    assert bands() == (0, 2)
    reprocess_database(settings)
    assert bands() == (0, 2)
    reprocess_one(settings, "excerpt.txt", "")  # no report left in it
    assert bands() == (0, 1)
    write(tmp_path, "full.txt", NEXT_YEAR.read_text(encoding="utf-8"))
    ingest_paths(settings, [tmp_path / "full.txt"])
    assert bands() == (0, 1)
