"""Text in, records out: the steps every file goes through, with no database or filesystem.

``read_text`` turns bytes into repaired text; ``extract_reports`` turns repaired text into
reports with their extracted rows. ``reprocess`` re-runs only the second step on stored text.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema.models import Extraction, Report
from schema.vocabulary import Vocabulary
from watcher.decode import decode
from watcher.extract import EXTRACTOR_VERSION, extract
from watcher.normalize import repair
from watcher.reports import split_reports


@dataclass(frozen=True)
class ReadText:
    text: str
    encoding: str


def read_text(data: bytes) -> ReadText:
    """Decode and repair; raises ``watcher.decode.DecodeError`` with a plain-words reason."""
    decoded = decode(data)
    return ReadText(text=repair(decoded.text), encoding=decoded.encoding)


def extract_reports(
    text: str, vocabulary: Vocabulary, idf: dict[str, float] | None = None
) -> list[tuple[Report, Extraction]]:
    return [
        (report, extract(report.text, vocabulary, idf=idf, organ_kind=report.organ_kind))
        for report in split_reports(text, vocabulary)
    ]


def extractor_version(vocabulary: Vocabulary) -> str:
    """Names both the code and the vocabulary that produced a document's rows."""
    return f"{EXTRACTOR_VERSION}+{vocabulary.fingerprint}"
