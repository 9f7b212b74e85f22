"""Extraction: a report's text in, its records out (no database, no filesystem)."""

from __future__ import annotations

from schema.models import Extraction
from schema.vocabulary import Vocabulary
from watcher.extract.citations import extract_citations
from watcher.extract.facts import extract_facts
from watcher.extract.keywords import rank_keywords, term_counts
from watcher.extract.people import extract_people
from watcher.extract.phrases import extract_phrases
from watcher.extract.sections import split_sections, split_sentences

EXTRACTOR_VERSION = "7"  # 7: yearly means, first-person counts, online stations, training institutions, inspections in 件次


def extract(
    text: str, vocabulary: Vocabulary, idf: dict[str, float] | None = None, organ_kind: str | None = None
) -> Extraction:
    """Keywords are ranked here only when ``idf`` is given; otherwise the store ranks them from
    ``terms`` against the corpus when it writes the report. ``organ_kind`` is the report's
    (Report.organ_kind): indicators belong to kinds of organ."""
    if organ_kind is None and not vocabulary.organs.about_congress(text):
        organ_kind = "other"  # names no body and no congress word: not a 人大 report
    sections = split_sections(text)
    terms = term_counts(text, vocabulary)
    sentences = split_sentences(text, sections)
    return Extraction(
        sections=sections,
        sentences=sentences,
        facts=extract_facts(text, sentences, vocabulary, organ_kind),
        citations=extract_citations(text, sentences, vocabulary.citations),
        phrases=extract_phrases(text, vocabulary),
        people=extract_people(text, sections, vocabulary.people),
        keywords=rank_keywords(terms, idf) if idf else [],
        terms=terms,
    )
