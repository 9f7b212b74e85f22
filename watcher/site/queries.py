"""What the report, place and indicator pages show: plain functions of a sqlite3 connection,
so tests and other tools can call them without a web server."""

from __future__ import annotations

import sqlite3

from watcher.site.evidence import evidence
from watcher.site.numbers import as_number, format_value, split_value

PLACE_COLUMNS = ("district", "city", "province")
LIST_LIMIT = 200  # rows a page lists before it links to the full Datasette table
SERIES_LIMIT = 8  # lines in one chart


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def canonical(conn: sqlite3.Connection, alias: str = "r") -> str:
    """SQL condition keeping one report of each set of duplicates, when the database marks them."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(reports)")}
    return f" and {alias}.duplicate_of is null" if "duplicate_of" in columns else ""


def report_page(conn: sqlite3.Connection, report_id: int) -> dict | None:
    rows = _rows(conn, "select * from reports where id = ?", (report_id,))
    if not rows:
        return None
    report = rows[0]
    text = report.get("text") or ""
    document = _rows(
        conn, "select id, filename, format, encoding, received_at from documents where id = ?", (report["document_id"],)
    )
    facts = _rows(
        conn,
        """select f.id, f.indicator, f.subject, f.value, f.unit, f.approx, f.raw, f.start, f."end",
             i.label_zh, i.label_en, s.start as sentence_start, s."end" as sentence_end
           from facts f left join indicators i on i.key = f.indicator
           left join sentences s on s.id = f.sentence_id
           where f.report_id = ? order by f.indicator is null, f.start""",
        (report_id,),
    )
    for fact in facts:
        sentence = (fact["sentence_start"], fact["sentence_end"]) if fact["sentence_start"] is not None else None
        fact["evidence"] = evidence(text, fact["start"], fact["end"], sentence)
        number, fact["shown_unit"] = split_value(fact["value"], fact["unit"])
        fact["shown_value"] = ("约" if fact["approx"] else "") + number
    return {
        "report": report,
        "document": document[0] if document else None,
        "place": next((report[c] for c in PLACE_COLUMNS if report.get(c)), None),
        "facts": facts,
        "citations": _rows(
            conn, "select title, kind, level, action from citations where report_id = ? order by start", (report_id,)
        ),
        "people": _rows(conn, "select name, role, source from people where report_id = ? order by start", (report_id,)),
        "phrases": _rows(
            conn, "select phrase, count from phrases where report_id = ? order by count desc, phrase", (report_id,)
        ),
        "keywords": [r["keyword"] for r in _rows(
            conn, "select keyword from keywords where report_id = ? order by rank limit 12", (report_id,)
        )],
    }


def place_column(conn: sqlite3.Connection, name: str) -> str | None:
    """Whether a name is a district, a city or a province in the reports."""
    for column in PLACE_COLUMNS:
        if conn.execute(f"select 1 from reports where {column} = ? limit 1", (name,)).fetchone():
            return column
    return None


def _series(rows: list[dict], key: str, value: str = "value") -> dict[str, list[tuple[int, float]]]:
    """One line per ``key``: the largest value of each year (one district states one figure a year;
    a second report of the same year repeats it)."""
    lines: dict[str, dict[int, float]] = {}
    for row in rows:
        if row["year"] is None or row[value] is None:
            continue
        line = lines.setdefault(row[key], {})
        line[row["year"]] = max(line.get(row["year"], row[value]), row[value])
    busiest = sorted(lines, key=lambda name: (-len(lines[name]), str(name)))[:SERIES_LIMIT]
    return {name: sorted(lines[name].items()) for name in busiest}


def place_page(conn: sqlite3.Connection, name: str) -> dict | None:
    column = place_column(conn, name)
    if column is None:
        return None
    keep = canonical(conn)
    total = conn.execute(f"select count(*) from reports r where r.{column} = ?{keep}", (name,)).fetchone()[0]
    reports = _rows(
        conn,
        f"""select r.id, r.title, r.year, r.organ, r.genre, r.district, r.city, r.province from reports r
            where r.{column} = ?{keep} order by r.year desc, r.id limit {LIST_LIMIT}""",
        (name,),
    )
    values = _rows(
        conn,
        f"""select v.indicator, i.label_zh, i.label_en, i.unit, v.year, v.place, v.value
            from (select f.indicator, r.year, coalesce(r.district, r.city, r.province) as place, max(f.value) as value
                  from reports r join facts f on f.report_id = r.id
                  where r.{column} = ?{keep} and r.year is not null and f.indicator is not null
                  group by 1, 2, 3) v
            join indicators i on i.key = v.indicator""",
        (name,),
    )
    indicators: dict[str, dict] = {}
    for row in values:
        entry = indicators.setdefault(
            row["indicator"], {"key": row["indicator"], "label_zh": row["label_zh"], "label_en": row["label_en"],
                               "unit": row["unit"], "rows": []}
        )
        entry["rows"].append(row)
    for entry in indicators.values():
        entry["series"] = _series(entry.pop("rows"), "place")
        years = sorted({year for line in entry["series"].values() for year, _ in line})
        entry["table"] = [
            (place, [format_value(dict(line).get(year), entry["unit"]) for year in years])
            for place, line in entry["series"].items()
        ]
        entry["years"] = years
    first = reports[0] if reports else {}
    return {
        "name": name,
        "column": column,
        "parents": [first.get(c) for c in PLACE_COLUMNS[PLACE_COLUMNS.index(column) + 1:] if first.get(c)],
        "total": total,
        "reports": reports,
        "years": _rows(
            conn,
            f"select r.year, count(*) as reports from reports r where r.{column} = ?{keep} group by r.year order by r.year desc",
            (name,),
        ),
        "indicators": sorted(indicators.values(), key=lambda e: e["key"]),
    }


def indicator_page(conn: sqlite3.Connection, key: str) -> dict | None:
    found = _rows(conn, "select * from indicators where key = ?", (key,))
    if not found:
        return None
    indicator = found[0]
    keep = canonical(conn)
    total = conn.execute(
        f"select count(*) from facts f join reports r on r.id = f.report_id where f.indicator = ?{keep}", (key,)
    ).fetchone()[0]
    rows = _rows(
        conn,
        f"""select f.id as fact_id, r.id as report_id, r.title, coalesce(r.district, r.city, r.province) as place,
              r.province, r.city, r.district, r.year, f.value, f.unit, f.approx
            from facts f join reports r on r.id = f.report_id
            where f.indicator = ?{keep}
            order by r.year desc, f.value desc limit {LIST_LIMIT}""",
        (key,),
    )
    chart_rows = _rows(
        conn,
        f"""select coalesce(r.district, r.city, r.province) as place, r.year, f.value
            from facts f join reports r on r.id = f.report_id
            where f.indicator = ?{keep} and r.year is not null""",
        (key,),
    )
    unit = indicator.get("unit") or (rows[0]["unit"] if rows else None)
    for row in rows:
        row["shown_value"] = ("约" if row["approx"] else "") + format_value(row["value"], row["unit"])
        row["value"] = as_number(row["value"])
    by_year = _rows(
        conn,
        f"""select r.year, count(*) as facts, min(f.value) as low, max(f.value) as high, avg(f.value) as mean
            from facts f join reports r on r.id = f.report_id
            where f.indicator = ?{keep} and r.year is not null group by r.year order by r.year""",
        (key,),
    )
    for row in by_year:
        for name in ("low", "high", "mean"):
            row[name] = format_value(round(row[name], 1), unit)
    return {
        "indicator": indicator,
        "unit": unit,
        "total": total,
        "rows": rows,
        "series": _series(chart_rows, "place"),
        "by_year": by_year,
    }


def indicator_list(conn: sqlite3.Connection) -> list[dict]:
    return _rows(
        conn,
        """select i.key, i.label_zh, i.label_en, i.unit, i.category, count(f.id) as facts
           from indicators i left join facts f on f.indicator = i.key
           group by i.key order by i.category, i.key""",
    )


def place_list(conn: sqlite3.Connection) -> list[dict]:
    """Provinces, their cities and districts, with how many reports each has."""
    keep = canonical(conn)
    return _rows(
        conn,
        f"""select r.province, r.city, r.district, count(*) as reports, min(r.year) as first_year, max(r.year) as last_year
            from reports r where coalesce(r.province, r.city, r.district) is not null{keep}
            group by r.province, r.city, r.district order by r.province, r.city, r.district""",
    )
