"""Traditional to Simplified characters (OpenCC t2s), converting only what t2s would change.

OpenCC's pure-Python converter walks every clause of a text; most reports are Simplified
already, and a Traditional one still has most clauses that t2s leaves alone. ``t2s`` gives
exactly OpenCC's output while converting only the clauses that hold a trigger: a character its
character table maps elsewhere, or one of the few phrases it rewrites that hold no such
character (反覆 → 反复). OpenCC converts each clause between its separators on its own, and a
clause without a trigger can only match entries that map to themselves, so it stays as it is.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from watcher.alternation import longest_first


def _table(name: str) -> dict[str, str]:
    """One of OpenCC's dictionaries, each key with the value OpenCC takes (the first)."""
    import opencc

    path = Path(opencc.__file__).with_name("dictionary") / name
    rows = (line.strip().split("\t") for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return {key: values.split(" ")[0] for key, values in rows}


@lru_cache(maxsize=1)
def traditional_characters() -> frozenset[str]:
    """Characters no Simplified text uses (t2s has no reading that keeps them): a text without
    any is taken as Simplified and not converted at all."""
    import opencc

    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    rows = (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return frozenset(key for key, values in rows if len(key) == 1 and key not in values.split())


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _separators() -> frozenset[str]:
    """The characters OpenCC cuts a text into clauses at, besides white space, read from its own
    pattern ``(\\s+|-|,|\\.|…)``."""
    alternatives = _converter().split_chars_re.pattern[1:-1].split("|")
    return frozenset(a[-1] for a in alternatives if a != r"\s+")


@lru_cache(maxsize=1)
def _clause_end() -> re.Pattern:
    return re.compile("[" + "".join(map(re.escape, sorted(_separators()))) + r"]|\s")


@lru_cache(maxsize=1)
def _triggers() -> tuple[np.ndarray, re.Pattern]:
    """What makes t2s change a clause: a character it maps elsewhere (as a table by code point),
    or a phrase it rewrites that holds no such character."""
    characters = frozenset(key for key, value in _table("TSCharacters.txt").items() if value != key)
    phrases = [
        key for key, value in _table("TSPhrases.txt").items()
        if value != key and characters.isdisjoint(key) and _separators().isdisjoint(key)
    ]
    return _code_point_table(characters), re.compile(longest_first(phrases))


def _code_point_table(characters) -> np.ndarray:
    """One look-up per character in numpy instead of one per character in Python."""
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[[ord(c) for c in characters]] = True
    return table


@lru_cache(maxsize=1)
def _is_traditional() -> np.ndarray:
    return _code_point_table(traditional_characters())


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def is_simplified(text: str) -> bool:
    return not _is_traditional()[_code_points(text)].any()


def t2s(text: str) -> str:
    """OpenCC t2s of ``text``, converting only the clauses that hold a trigger."""
    (changed, phrases), separators = _triggers(), _separators()
    at = np.flatnonzero(changed[_code_points(text)]).tolist() + [m.start() for m in phrases.finditer(text)]
    pieces, done = [], 0
    for position in sorted(at):
        if position < done:
            continue
        start = position
        while start > done and not (text[start - 1] in separators or text[start - 1].isspace()):
            start -= 1
        end = _clause_end().search(text, position)
        end = end.start() if end else len(text)
        pieces += [text[done:start], _convert(text[start:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


CLAUSE_KEPT = 2000  # characters: longer clauses are converted again (bounds what is kept)


def _convert(clause: str) -> str:
    """OpenCC t2s of one clause, kept for the clauses seen last: a report's text is read more
    than once (its metadata from its opening, its facts, its signature), each time converted."""
    return _kept_conversion(clause) if len(clause) <= CLAUSE_KEPT else _converter().convert(clause)


@lru_cache(maxsize=1024)
def _kept_conversion(clause: str) -> str:
    return _converter().convert(clause)


def simplified(text: str) -> str:
    """The text in Simplified characters, or the text itself when it holds no Traditional one."""
    return text if is_simplified(text) else t2s(text)
