"""One segmentation adapter: jieba 0.42.1 is the reference; rjieba (jieba-rs) is the fast path.

Both load the same user dictionary. ``engine="auto"`` uses rjieba, which tests show gives
token-identical output on the fixture reports and samples; ``"jieba"`` forces the reference.
jieba's dictionary cache lives in a per-user cache directory, never a shared file in /tmp.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import platformdirs


class Segmenter:
    def __init__(self, userdict: Path | None = None, engine: str = "auto"):
        self.engine = "rjieba" if engine == "auto" else engine
        words = _userdict_entries(userdict)
        if self.engine == "rjieba":
            import rjieba

            self._tokenizer = rjieba.Jieba()
            for word, freq, tag in words:
                self._tokenizer.add_word(word, freq, tag)
            self._cut = lambda text: self._tokenizer.cut(text, True)
        elif self.engine == "jieba":
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            cache = Path(platformdirs.user_cache_dir("report-inbox"))
            cache.mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = str(cache)
            tokenizer.cache_file = "jieba.cache"
            tokenizer.initialize()
            for word, freq, tag in words:
                tokenizer.add_word(word, freq, tag)
            self._tokenizer = tokenizer
            self._cut = lambda text: tokenizer.lcut(text, HMM=True)
        else:
            raise ValueError(f"unknown segmentation engine {engine!r}: use auto, jieba or rjieba")

    def cut(self, text: str) -> list[str]:
        return list(self._cut(text))


def _userdict_entries(path: Path | None) -> list[tuple[str, int | None, str | None]]:
    """jieba's user-dictionary format: ``word [freq] [tag]`` a line."""
    if path is None or not Path(path).exists():
        return []
    entries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries.append((parts[0], freq, tag))
    return entries


@lru_cache(maxsize=4)
def segmenter(userdict: Path | None, engine: str = "auto", _mtime: float = 0.0) -> Segmenter:
    return Segmenter(userdict, engine)


def cached_segmenter(userdict: Path | None, engine: str = "auto") -> Segmenter:
    """One segmenter per dictionary version: editing the user dictionary builds a new one."""
    mtime = Path(userdict).stat().st_mtime if userdict and Path(userdict).exists() else 0.0
    return segmenter(userdict, engine, mtime)
