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
def _triggers() -> tuple[frozenset[str], re.Pattern]:
    """What makes t2s change a clause: a character it maps elsewhere, or a phrase it rewrites."""
    characters = frozenset(key for key, value in _table("TSCharacters.txt").items() if value != key)
    phrases = sorted(
        (key for key, value in _table("TSPhrases.txt").items() if value != key and characters.isdisjoint(key)),
        key=len, reverse=True,
    )
    return characters, re.compile("|".join(map(re.escape, phrases)))


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _is_traditional() -> np.ndarray:
    """``traditional_characters`` as a table by code point: one look-up per character in numpy."""
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[[ord(c) for c in traditional_characters()]] = True
    return table


def is_simplified(text: str) -> bool:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return not _is_traditional()[codes].any()


def t2s(text: str) -> str:
    """OpenCC t2s of ``text``, clause by clause where a clause holds something t2s changes."""
    converter, (characters, phrases) = _converter(), _triggers()
    pieces = converter.split_chars_re.split(text)
    for i in range(0, len(pieces), 2):  # clauses at even places, their separators between
        if not characters.isdisjoint(pieces[i]) or phrases.search(pieces[i]):
            pieces[i] = converter.convert(pieces[i])
    return "".join(pieces)


def simplified(text: str) -> str:
    """The text in Simplified characters, or the text itself when it holds no Traditional one."""
    return text if is_simplified(text) else t2s(text)
