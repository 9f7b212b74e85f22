"""Datasette metadata: the site from ``site.yaml``, every column described from the pydantic models."""

from __future__ import annotations

import copy
from functools import lru_cache

import yaml

from schema import SCHEMA_DIR, models

# Facet suggestions scan every column of a table on each page load: off. A table's facets are
# counted in one query (watcher/site/facets.py), whose time limit is for all of them together.
DATASETTE_SETTINGS = {
    "truncate_cells_html": 120, "sql_time_limit_ms": 5000, "facet_time_limit_ms": 500, "suggest_facets": False,
}

TABLE_MODELS = {
    "documents": models.Document,
    "reports": models.Report,
    "people": models.Person,
    "sections": models.Section,
    "sentences": models.Sentence,
    "sentence_spans": models.Sentence,
    "facts": models.Fact,
    "citations": models.Citation,
    "phrases": models.Phrase,
    "keywords": models.Keyword,
    "indicators": models.Indicator,
    "ingest_log": models.IngestLogEntry,
    "corrections": models.Correction,
    "canonical_reports": models.Report,
    "canonical_facts": models.Fact,
}
# Columns the store adds to link rows; the models link by position instead.
LINK_COLUMNS = {
    "id": "Row id",
    "document_id": "The document (file) this report came from",
    "report_id": "The report this row belongs to",
    "section_id": "The section holding the sentence",
    "sentence_id": "The sentence that states it",
    "duplicate_of": "The canonical report this one is a copy of (NULL: canonical itself)",
    "similarity": "Share of this report's text found in its canonical report (MinHash estimate)",
    "extractor_version": "Version of the extractor and vocabulary that produced the fact",
    "correction_id": "The correction a person made to this fact (NULL: as extracted)",
}


@lru_cache(maxsize=1)
def site() -> dict:
    return yaml.safe_load((SCHEMA_DIR / "site.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def table_columns() -> dict[str, list[str]]:
    """Every table's columns, as the migrations make them (on an empty in-memory database)."""
    import sqlite_utils

    from schema.tables import migrate

    db = sqlite_utils.Database(memory=True)
    migrate(db)
    return {table.name: [c.name for c in table.columns] for table in db.tables}


def column_descriptions(table: str) -> dict[str, str]:
    """Descriptions of the columns the table has, in the table's order."""
    model = TABLE_MODELS[table]
    described = {name: field.description for name, field in model.model_fields.items() if field.description}
    described = {**LINK_COLUMNS, **described}
    return {c: described[c] for c in table_columns().get(table, []) if c in described}


def indicator_by_district_year(keys: list[str], labels: dict[str, str] | None = None) -> str:
    """One row per district and year, a column per indicator headed by its Chinese label."""
    labels = labels or {}
    columns = ",\n  ".join(
        f"max(case when f.indicator = '{key}' then f.value end) as [{labels.get(key, key)}]" for key in keys
    )
    return (
        "select r.district as 区县, r.city as 市, r.year as 年份,\n  "
        + columns
        + "\nfrom canonical_reports r left join canonical_facts f on f.report_id = r.id\n"
        "where r.district is not null and (:year = 'all' or r.year = :year)\n"
        "group by r.province, r.city, r.district, r.year\n"
        "order by r.year desc, r.province, r.city, r.district"
    )


def indicator_labels() -> dict[str, str]:
    from schema.vocabulary import Vocabulary

    return {i.key: i.label_zh for i in Vocabulary.load().indicators if i.label_zh}


def datasette_metadata(db_name: str = "reports") -> dict:
    data = copy.deepcopy(site())
    tables = {}
    for name, settings in data["tables"].items():
        table = dict(settings)
        if name in TABLE_MODELS:
            table["columns"] = column_descriptions(name)
        if table.get("facets"):
            # counted together, in one query over the page's rows (watcher/site/facets.py)
            table["facets"] = [{"columns": table["facets"]}]
        tables[name] = table
    tables["documents"]["columns"]["text_outside_reports"] = (
        "The text outside the document's reports (blank lines…), as JSON [[offset, text], …]; text is then NULL, "
        "since the reports hold the rest"
    )
    # Rows per table page: a long page of long texts costs more to render than to query.
    for name in ("reports", "sentences", "facts", "documents"):
        tables[name].setdefault("size", 30)
    queries = data["queries"]
    queries["indicator_by_district_year"] = {
        "title": "指标对比 · Indicators by district and year",
        "description": "One row per district and year, a column per indicator (schema/site.yaml lists them); "
        "the largest value a report of that year states. year: a year, or all. "
        "Canonical reports only (each article counted once).",
        "sql": indicator_by_district_year(data["compared_indicators"], indicator_labels()),
    }
    dashboard = data["dashboard"]
    for chart in dashboard["charts"].values():
        chart.setdefault("db", db_name)
    return {
        "title": data["title"],
        "description_html": data["description_html"],
        "license": data["license"],
        "source": data["source"],
        "databases": {db_name: {"tables": tables, "queries": queries}},
        "plugins": {
            "datasette-dashboards": {
                dashboard["slug"]: {k: v for k, v in dashboard.items() if k != "slug"},
            }
        },
    }
