"""The records' contract: pydantic models, table definitions, vocabularies and Datasette metadata."""

from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent
