"""One Vocabulary loads, validates and fingerprints every rule file; extraction uses what it is given."""

import shutil

import pytest
import yaml
from pydantic import ValidationError

from schema import SCHEMA_DIR
from schema.vocabulary import Vocabulary
from watcher.extract import extract
from watcher.normalize import repair
from watcher.reports import split_reports


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "vocabulary"
    shutil.copytree(SCHEMA_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_built_in_rule_files_load_as_models():
    vocabulary = Vocabulary.load()
    assert {k.kind for k in vocabulary.organs.kinds} >= {"standing_committee", "government", "court", "cppcc"}
    assert {w.level for w in vocabulary.organs.level_words} == {"national", "province", "city", "county", "township"}
    assert "人次" in vocabulary.units.units and "本报记者" in vocabulary.people.byline_roles
    assert [a.action for a in vocabulary.citations.actions][0] == "执法检查"
    assert vocabulary.genres.multi_year_cues


def test_a_mistake_in_a_rule_file_is_reported_by_name(folder):
    edit(folder / "organs.yaml", lambda d: d["kinds"].append({"kind": "parliament", "canonical": "议会", "words": ["议会"]}))
    with pytest.raises(ValidationError, match="kinds"):
        Vocabulary.load(folder)
    edit(folder / "organs.yaml", lambda d: d["kinds"].pop())
    edit(folder / "organs.yaml", lambda d: d["level_words"].append({"word": "村", "level": "village"}))
    with pytest.raises(ValidationError, match="level_words"):
        Vocabulary.load(folder)


def test_organ_words_come_from_the_folder(folder):
    text = repair("一年来，高新区人大工委召开会议6次，开展视察4次。\n")
    (before,) = split_reports(text, Vocabulary.load(folder))
    assert (before.organ_kind, before.level) == ("standing_committee", "county")
    edit(folder / "organs.yaml", lambda d: d.update(kinds=[k for k in d["kinds"] if "人大工委" not in k["words"]]))
    (after,) = split_reports(text, Vocabulary.load(folder))
    assert after.organ_kind is None


def test_units_citations_and_byline_roles_come_from_the_folder(folder):
    text = "融媒体记者 林晓\n\n一年来，常委会建成代表联络站12座，对《某省物业条例》开展调研督导。\n"
    vocabulary = Vocabulary.load(folder)
    extraction = extract(text, vocabulary)
    assert all(f.unit != "座" for f in extraction.facts)
    assert [c.action for c in extraction.citations] == [None]
    edit(folder / "units.yaml", lambda d: d["units"].append("座"))
    edit(folder / "citations.yaml", lambda d: d["actions"].insert(0, {"action": "督导", "words": ["调研督导"]}))
    edit(folder / "people.yaml", lambda d: d["byline_roles"].insert(0, "融媒体记者"))
    vocabulary = Vocabulary.load(folder)
    extraction = extract(text, vocabulary)
    assert [(f.value, f.unit) for f in extraction.facts if f.unit == "座"] == [(12, "座")]
    assert [c.action for c in extraction.citations] == ["督导"]
    (report,) = split_reports(repair("代表联络站建设见闻\n\n" + text), vocabulary)
    assert [(p.name, p.role) for p in report.people] == [("林晓", "融媒体记者")]


def test_a_folder_without_a_rule_file_reads_the_built_in_one(folder):
    (folder / "organs.yaml").unlink()
    vocabulary = Vocabulary.load(folder)
    assert vocabulary.organs == Vocabulary.load().organs


def test_every_rule_file_is_part_of_the_fingerprint(folder):
    names = ["organs.yaml", "genres.yaml", "places.yaml", "citations.yaml", "people.yaml", "units.yaml"]
    seen = {Vocabulary.load(folder).fingerprint}
    for name in names:
        with open(folder / name, "a", encoding="utf-8") as handle:
            handle.write("\n# edited\n")
        seen.add(Vocabulary.load(folder).fingerprint)
    assert len(seen) == len(names) + 1


def test_a_division_added_to_places_yaml_places_its_organ(folder):
    text = repair("一年来，东部新区人大常委会召开会议6次。\n")
    (before,) = split_reports(text, Vocabulary.load(folder))
    assert before.district is None
    edit(folder / "places.yaml", lambda d: d.update(
        divisions=[{"name": "东部新区", "level": "county", "province": "四川省", "city": "成都市"}]
    ))
    (after,) = split_reports(text, Vocabulary.load(folder))
    assert (after.organ, after.level, after.district, after.city, after.province) == (
        "东部新区人大常委会", "county", "东部新区", "成都市", "四川省"
    )
