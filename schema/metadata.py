"""Datasette metadata, with column descriptions taken from the pydantic models."""

from __future__ import annotations

from schema import models

DATASETTE_SETTINGS = {"truncate_cells_html": 160, "sql_time_limit_ms": 3000}

TABLE_MODELS = {
    "documents": models.Document,
    "reports": models.Report,
    "people": models.Person,
    "sections": models.Section,
    "sentences": models.Sentence,
    "facts": models.Fact,
    "citations": models.Citation,
    "phrases": models.Phrase,
    "keywords": models.Keyword,
    "indicators": models.Indicator,
    "ingest_log": models.IngestLogEntry,
}


def datasette_metadata(db_name: str = "reports") -> dict:
    tables = {
        name: {
            "description": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
            "columns": {k: f.description for k, f in model.model_fields.items() if f.description},
        }
        for name, model in TABLE_MODELS.items()
    }
    return {
        "title": "report-inbox: 人大常委会工作报告",
        "description": "Work reports of local people's congress standing committees, as structured records.",
        "databases": {db_name: {"tables": tables}},
    }
