"""A document's text, kept once: its reports hold their own texts, and the document keeps only
what lies between and around them (blank lines, mostly). The whole text is put back together
for reprocessing; it is stored in full only when the reports do not cover it exactly."""

from __future__ import annotations

import json
from collections.abc import Iterable


def between(text: str, reports: Iterable[tuple[int, int, str]]) -> str | None:
    """The parts of ``text`` outside its reports, as JSON ``[[offset, text], …]``; None when the
    reports' (start, end, text) do not slice ``text`` exactly, in order and without overlap."""
    pieces, at = [], 0
    for start, end, body in sorted(reports):
        if start < at or text[start:end] != body:
            return None
        if start > at:
            pieces.append([at, text[at:start]])
        at = end
    if at < len(text):
        pieces.append([at, text[at:]])
    return json.dumps(pieces, ensure_ascii=False)


def whole(outside: str, reports: Iterable[tuple[int, str]]) -> str:
    """The text back from ``between``'s JSON and the reports' (start, text)."""
    pieces = sorted([(start, body) for start, body in json.loads(outside)] + list(reports))
    return "".join(body for _, body in pieces)
