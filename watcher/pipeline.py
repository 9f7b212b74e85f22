"""Bytes in, records out: the steps every file goes through, with no database or filesystem.

``read_document`` (from ``watcher.convert``) turns bytes of any supported format into repaired
text; ``extract_reports`` turns repaired text into reports with their extracted rows.
"""

from __future__ import annotations

from schema.models import Extraction, Report
from schema.vocabulary import Vocabulary
from watcher.convert import ConversionError, Converted, read_document
from watcher.dedupe import signature
from watcher.extract import EXTRACTOR_VERSION, extract
from watcher.reports import split_reports

__all__ = ["ConversionError", "Converted", "extract_reports", "extractor_version", "read_document"]


def extract_reports(
    text: str, vocabulary: Vocabulary, idf: dict[str, float] | None = None
) -> list[tuple[Report, Extraction]]:
    return [
        (
            report,
            extract(report.text, vocabulary, idf=idf, organ_kind=report.organ_kind).model_copy(
                update={"signature": signature(report.text)}
            ),
        )
        for report in split_reports(text, vocabulary)
    ]


def extractor_version(vocabulary: Vocabulary) -> str:
    """Names both the code and the vocabulary that produced a document's rows."""
    return f"{EXTRACTOR_VERSION}+{vocabulary.fingerprint}"
