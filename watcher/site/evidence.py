"""The sentence that states a fact, with the number marked and never cut off."""

from __future__ import annotations

from markupsafe import Markup, escape

LONGEST = 160  # characters of evidence shown; a longer sentence is shown around its number
CONTEXT = 60


def evidence(text: str, start: int, end: int, sentence: tuple[int, int] | None = None) -> Markup:
    """``text[start:end]`` marked inside its sentence (or its surroundings when there is no
    sentence); a long sentence is trimmed around the number, not from its start."""
    if not text or start is None or end is None or not (0 <= start <= end <= len(text)):
        return Markup("")
    lo, hi = sentence if sentence and sentence[0] <= start and end <= sentence[1] else (start - CONTEXT, end + CONTEXT)
    lo, hi = max(0, lo), min(len(text), hi)
    if hi - lo > LONGEST:
        room = max(0, LONGEST - (end - start)) // 2
        lo, hi = max(lo, start - room), min(hi, end + room)
    before, number, after = text[lo:start], text[start:end], text[end:hi]
    return Markup(
        ("…" if lo > (sentence[0] if sentence else 0) else "")
        + str(escape(before))
        + f"<mark>{escape(number)}</mark>"
        + str(escape(after))
        + ("…" if hi < (sentence[1] if sentence else len(text)) else "")
    )
