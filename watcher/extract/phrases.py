"""Quoted slogans and formulas (“四个机关”, “人民选我当代表、我当代表为人民”) and the numbered
formulas of ``schema/formulas.yaml`` wherever they stand, quoted or not."""

from __future__ import annotations

import re
from collections import Counter

from schema.models import Phrase
from schema.vocabulary import Vocabulary

QUOTED = re.compile(r"“([^“”\n]{1,40})”|‘([^‘’\n]{1,40})’|\"([^\"\n]{1,40})\"")
INNER = re.compile(r"‘([^‘’]{2,30})’")  # a quotation inside a quotation
LONGEST = 30  # longer quotations are speeches, not slogans


def extract_phrases(text: str, vocabulary: Vocabulary) -> list[Phrase]:
    counts: Counter[str] = Counter()
    for match in QUOTED.finditer(text):
        phrase = next(g for g in match.groups() if g is not None).strip()
        if 2 <= len(phrase) <= LONGEST:
            counts[phrase] += 1
        for inner in INNER.findall(phrase):
            counts[inner] += 1
    for formula in vocabulary.formulas:
        unquoted = text.count(formula) - counts.get(formula, 0)
        if unquoted > 0:
            counts[formula] += unquoted
    return [Phrase(phrase=p, count=n) for p, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
