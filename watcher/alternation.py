"""Regular expressions for long word lists, written as a trie.

Python's ``re`` tries the branches of ``北京市|北京|天津市|…`` one after another at every place
in the text: with the thousands of division names that is most of the cost of reading a report's
place. The same words as a trie (``北京(?:市)?|天津市|…``) follow one branch per character and
match exactly what the flat alternation sorted longest first matches: at each place, the longest
word that starts there. The branches are grouped by their first character, groups within
groups, so each place is tested against a few groups rather than against every branch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # marks a node where a word ends
GROUP = 16  # first characters in a group of branches (the fastest sizes for the division names)
FAN = 4  # groups in a group of groups


def longest_first(words: Iterable[str]) -> str:
    """A pattern matching, at each place, the longest of ``words`` that starts there (never
    the empty string: empty words are left out). An empty list gives a pattern that never matches."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[_END] = {}
    if not trie:
        return "(?!)"
    firsts = sorted(trie)
    if len(firsts) <= GROUP:
        return _branches(trie)
    return _starting_with(firsts) + _grouped(trie, firsts)


def _grouped(trie: dict, firsts: list[str]) -> str:
    """The branches of ``firsts`` in a tree of groups, each behind a look-ahead for its first
    characters: ``re`` tries branches one by one, so a place whose character opens no word of a
    group skips the whole group in one test."""
    if len(firsts) <= GROUP:
        return _branches({c: trie[c] for c in firsts})
    size = max(GROUP, -(-len(firsts) // FAN))
    parts = [firsts[i : i + size] for i in range(0, len(firsts), size)]
    return "(?:" + "|".join(_starting_with(part) + _grouped(trie, part) for part in parts) + ")"


def _starting_with(characters: list[str]) -> str:
    return "(?=[" + "".join(map(re.escape, characters)) + "])"


def _branches(node: dict) -> str:
    """The node's continuations, each a longer word than ending here, tried before it (greedy ``?``)."""
    branches = [re.escape(character) + _branches(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if _END in node else body
