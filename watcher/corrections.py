"""Corrections people make to facts: recorded once, applied on top of every extraction.

A correction names its fact by stable identity (document sha256, report seq, offsets and raw
text), never by row id, so it finds the fact again after ``reprocess`` or a vocabulary edit
re-derives the rows. A correction whose fact cannot be found is kept with that status and
shown by ``report-inbox status``; it is never dropped.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import yaml

from schema.models import Correction

CONTEXT_CHARS = 12
# Report fields a person may correct, with their type.
REPORT_FIELDS = {
    "organ": str, "organ_kind": str, "level": str, "district": str, "city": str, "province": str,
    "year": int, "period_start": int, "period_end": int, "genre": str, "delivered_on": str,
}
FACT_COLUMNS = ("id", "report_id", "indicator", "subject", "value", "unit", "raw", "start", "end")


class CorrectionError(ValueError):
    """A correction that cannot be recorded; the message says why in plain words."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fact(conn: sqlite3.Connection, fact_id: int) -> dict | None:
    row = conn.execute(
        'SELECT f.id, f.report_id, f.indicator, f.subject, f.value, f.unit, f.raw, f.start, f."end", '
        "r.document_id, r.seq, r.text FROM facts f JOIN reports r ON r.id = f.report_id WHERE f.id = ?",
        (fact_id,),
    ).fetchone()
    return dict(zip((*FACT_COLUMNS, "document_id", "seq", "text"), row)) if row else None


def _context(fact: dict) -> str:
    """The words before the number: its subject when the text puts it right there, as in
    ``提出意见建议42条``, else the last few characters."""
    before = fact["text"][: fact["start"]]
    if fact["subject"] and before.endswith(fact["subject"]):
        return fact["subject"]
    return before[-CONTEXT_CHARS:]


def record(
    conn: sqlite3.Connection,
    fact_id: int,
    *,
    author: str,
    reason: str | None = None,
    indicator: str | None = None,
    clear_indicator: bool = False,
    value: float | None = None,
    unit: str | None = None,
    not_a_fact: bool = False,
) -> int:
    """Record a correction of the fact now at ``fact_id`` and apply it; returns its id.
    Runs in its own transaction."""
    fact = _fact(conn, fact_id)
    if fact is None:
        raise CorrectionError(f"there is no fact {fact_id}")
    if not (not_a_fact or clear_indicator or indicator or value is not None or unit):
        raise CorrectionError("say what is right: an indicator, a value, a unit, no indicator, or not a fact")
    if indicator and not conn.execute("SELECT 1 FROM indicators WHERE key = ?", (indicator,)).fetchone():
        raise CorrectionError(f"unknown indicator {indicator!r}: use a key from the indicators table")
    return _store(conn, Correction(
        document_id=fact["document_id"], report_seq=fact["seq"], start=fact["start"], end=fact["end"],
        raw=fact["raw"], context=_context(fact),
        was_indicator=fact["indicator"], was_value=fact["value"], was_unit=fact["unit"],
        not_a_fact=not_a_fact, indicator=indicator, clear_indicator=clear_indicator, value=value, unit=unit,
        author=_author(author), reason=reason, created_at=_now(),
    ))


def record_field(
    conn: sqlite3.Connection, report_id: int, field: str, value: str | None, *, author: str,
    reason: str | None = None,
) -> int:
    """Record a correction of one field of a report (its year, organ, district…) and apply it."""
    if field not in REPORT_FIELDS:
        raise CorrectionError(f"{field!r} is not a report field that can be corrected: {', '.join(REPORT_FIELDS)}")
    if value not in (None, "") and REPORT_FIELDS[field] is int:
        try:
            value = str(int(value))
        except ValueError:
            raise CorrectionError(f"{field} must be a whole number") from None
    row = conn.execute(
        f'SELECT document_id, seq, start, "end", coalesce(title, \'\'), "{field}" FROM reports WHERE id = ?',
        (report_id,),
    ).fetchone()
    if row is None:
        raise CorrectionError(f"there is no report {report_id}")
    document_id, seq, start, end, title, was = row
    return _store(conn, Correction(
        document_id=document_id, report_seq=seq, start=start, end=end, raw=title, field=field,
        was_field_value=None if was is None else str(was), field_value=value or None,
        author=_author(author), reason=reason, created_at=_now(),
    ))


def _author(author: str) -> str:
    if not author.strip():
        raise CorrectionError("say who makes the correction")
    return author.strip()


def _store(conn: sqlite3.Connection, correction: Correction) -> int:
    """Insert the correction and apply its document's corrections, in one transaction."""
    row = correction.model_dump()
    columns = ", ".join(f'"{c}"' for c in row)
    conn.execute("BEGIN IMMEDIATE")
    try:
        correction_id = conn.execute(
            f"INSERT INTO corrections ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        ).lastrowid
        apply(conn, correction.document_id)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return correction_id


def _find(conn: sqlite3.Connection, c: dict) -> int | None:
    """The fact a correction names: same report, offsets and raw text; failing that, the one
    occurrence of the raw text in that report (the report's text was re-split around it)."""
    rows = conn.execute(
        'SELECT f.id, f.start, f."end" FROM facts f JOIN reports r ON r.id = f.report_id '
        "WHERE r.document_id = ? AND r.seq = ? AND f.raw = ?",
        (c["document_id"], c["report_seq"], c["raw"]),
    ).fetchall()
    exact = [r[0] for r in rows if (r[1], r[2]) == (c["start"], c["end"])]
    if exact:
        return exact[0]
    return rows[0][0] if len(rows) == 1 else None


def apply(conn: sqlite3.Connection, document_id: str, extractor_version: str | None = None) -> None:
    """Apply every correction of a document to its freshly derived facts (in the caller's
    transaction), and stamp the facts with the extractor version that produced them."""
    if extractor_version is not None:
        conn.execute(
            "UPDATE facts SET extractor_version = ? WHERE report_id IN (SELECT id FROM reports WHERE document_id = ?)",
            (extractor_version, document_id),
        )
    names = [d[0] for d in conn.execute("SELECT * FROM corrections LIMIT 0").description]
    corrections = [
        dict(zip(names, row))
        for row in conn.execute("SELECT * FROM corrections WHERE document_id = ? ORDER BY id", (document_id,))
    ]
    known = {r[0] for r in conn.execute("SELECT key FROM indicators")}
    checked = _now()
    for c in corrections:
        if c["field"]:
            _apply_field(conn, c, checked)
            continue
        fact_id = _find(conn, c)
        status = "applied"
        if fact_id is None:
            status = "fact not found"
        elif c["indicator"] and c["indicator"] not in known:
            status, fact_id = "unknown indicator", None
        elif c["not_a_fact"]:
            conn.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
        else:
            changes = {"correction_id": c["id"]}
            if c["clear_indicator"]:
                changes["indicator"] = None
            for field in ("indicator", "value", "unit"):
                if c[field] is not None:
                    changes[field] = c[field]
            assignments = ", ".join(f"{name} = ?" for name in changes)
            conn.execute(f"UPDATE facts SET {assignments} WHERE id = ?", [*changes.values(), fact_id])
        conn.execute(
            "UPDATE corrections SET status = ?, fact_id = ?, checked_at = ? WHERE id = ?",
            (status, None if c["not_a_fact"] else fact_id, checked, c["id"]),
        )


def carry_over(conn: sqlite3.Connection, old_ids, new_id: str) -> None:
    """A new version of a file takes over the corrections of the versions it replaces; those whose
    number is no longer there are then reported as not found."""
    for old in old_ids:
        conn.execute("UPDATE corrections SET document_id = ? WHERE document_id = ?", (new_id, old))


def _apply_field(conn: sqlite3.Connection, c: dict, checked: str) -> None:
    row = conn.execute(
        "SELECT id FROM reports WHERE document_id = ? AND seq = ?", (c["document_id"], c["report_seq"])
    ).fetchone()
    if row:
        value = c["field_value"]
        if value is not None and REPORT_FIELDS[c["field"]] is int:
            value = int(value)
        conn.execute(f'UPDATE reports SET "{c["field"]}" = ? WHERE id = ?', (value, row[0]))
    conn.execute(
        "UPDATE corrections SET status = ?, report_id = ?, checked_at = ? WHERE id = ?",
        ("applied" if row else "report not found", row[0] if row else None, checked, c["id"]),
    )


def unapplied(conn: sqlite3.Connection) -> list[dict]:
    """Corrections that could not be applied at the last derivation, newest first."""
    columns = ("id", "document_id", "report_seq", "raw", "status", "author", "reason")
    return [
        dict(zip(columns, row))
        for row in conn.execute(
            f"SELECT {', '.join(columns)} FROM corrections WHERE status != 'applied' ORDER BY id DESC"
        )
    ]


def export(conn: sqlite3.Connection) -> str:
    """Corrections as gold-style YAML (like the corpus's gold.yaml): one entry per report, with its
    fields as corrected; corrected facts under ``facts``, numbers that are not facts under
    ``other_numbers``; ``text`` is an exact substring of the report, the number with the words
    before it."""
    entries: dict[tuple, dict] = {}
    rows = conn.execute(
        "SELECT c.id, c.document_id, c.report_seq, d.filename, c.raw, c.context, c.not_a_fact, c.clear_indicator, "
        "coalesce(c.indicator, f.indicator, CASE WHEN c.clear_indicator THEN NULL ELSE c.was_indicator END), "
        "coalesce(c.value, f.value, c.was_value), coalesce(c.unit, f.unit, c.was_unit), c.author, c.reason, "
        "c.status, c.field, c.was_field_value, c.field_value, "
        "r.organ, r.level, r.district, r.city, r.province, r.year "
        "FROM corrections c LEFT JOIN documents d ON d.id = c.document_id "
        "LEFT JOIN facts f ON f.id = c.fact_id "
        "LEFT JOIN reports r ON r.document_id = c.document_id AND r.seq = c.report_seq ORDER BY c.id"
    ).fetchall()
    for (cid, document_id, seq, filename, raw, context, not_a_fact, clear, indicator, value, unit, author, reason,
         status, field, was_field_value, field_value, *report) in rows:
        entry = entries.setdefault((document_id, seq), {
            "file": filename or document_id, "document": document_id, "report": seq,
            **dict(zip(("organ", "level", "district", "city", "province", "year"), report)),
            "facts": [], "other_numbers": [], "corrected_fields": [],
        })
        if field:
            item = {"field": field, "was": was_field_value, "value": field_value}
        else:
            item = {
                "indicator": None if (not_a_fact or clear) else indicator,
                "value": _number(value), "unit": unit, "text": (context or "") + raw,
            }
        item |= {"correction": cid, "by": author}
        if reason:
            item["note"] = reason
        if status != "applied":
            item["status"] = status
        if field:
            entry["corrected_fields"].append(item)
        else:
            (entry["other_numbers"] if item["indicator"] is None else entry["facts"]).append(item)
    return yaml.safe_dump(
        [{k: v for k, v in e.items() if v != []} for e in entries.values()],
        allow_unicode=True, sort_keys=False, width=120,
    )


def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value
