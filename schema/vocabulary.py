"""Domain knowledge kept as data files a user can read and extend.

A vocabulary folder holds:

- ``indicators.yaml``: the indicator vocabulary (which numeric facts mean what, and the clause
  patterns that recognise them);
- ``formulas.yaml``: unquoted numbered formulas counted as phrases (四个意识, 两个维护…);
- ``userdict.txt``: extra words for segmentation, jieba's user-dictionary format;
- ``stopwords.txt``: one word a line, left out of keywords.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from schema import SCHEMA_DIR
from schema.models import Indicator

FILES = ("indicators.yaml", "formulas.yaml", "userdict.txt", "stopwords.txt")


class Vocabulary(BaseModel):
    """Loaded contents of a vocabulary folder. ``indicator_specs`` keeps each YAML entry whole
    (matching rules included) for the fact extractor; ``indicators`` is the table-facing part."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    folder: Path
    indicator_specs: tuple[dict, ...] = ()
    topics: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()
    predicates: tuple[str, ...] = ()
    activities: tuple[tuple[str, tuple[str, ...]], ...] = ()  # kinds of work a combined count merges
    default_organ_kinds: tuple[str, ...] = ()  # organs an indicator belongs to unless it says
    formulas: tuple[str, ...] = ()
    stopwords: frozenset[str] = frozenset()
    fingerprint: str = ""  # changes whenever any vocabulary file changes

    @classmethod
    def load(cls, folder: Path | str = SCHEMA_DIR) -> "Vocabulary":
        folder = Path(folder)
        specs = _read_yaml(folder / "indicators.yaml") or {}
        formulas = _read_yaml(folder / "formulas.yaml") or {}
        return cls(
            folder=folder,
            indicator_specs=tuple(specs.get("indicators", [])),
            topics=tuple(specs.get("topics", [])),
            verbs=tuple(specs.get("verbs", [])),
            predicates=tuple(specs.get("predicates", [])),
            activities=tuple((name, tuple(words)) for name, words in (specs.get("activities") or {}).items()),
            default_organ_kinds=tuple(specs.get("default_organ_kinds", [])),
            formulas=tuple(formulas.get("formulas", [])),
            stopwords=frozenset(_read_lines(folder / "stopwords.txt")),
            fingerprint=_fingerprint(folder),
        )

    @cached_property
    def indicators(self) -> list[Indicator]:
        fields = Indicator.model_fields
        return [Indicator(**{k: v for k, v in s.items() if k in fields}) for s in self.indicator_specs]

    @property
    def userdict(self) -> Path | None:
        path = self.folder / "userdict.txt"
        return path if path.exists() else None

    def __hash__(self) -> int:
        return hash((str(self.folder), self.fingerprint))


def _fingerprint(folder: Path) -> str:
    """Stored rows record it, so they say which vocabulary made them."""
    digest = hashlib.sha256()
    for name in FILES:
        path = folder / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _read_yaml(path: Path):
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _read_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]
