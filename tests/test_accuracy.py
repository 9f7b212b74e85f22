"""The development corpus as a ratchet: no figure may fall below its stored floor."""

import sys

import pytest
import yaml

from conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import figures, score  # noqa: E402

FLOOR = yaml.safe_load((ROOT / "tests" / "accuracy_floor.yaml").read_text(encoding="utf-8"))


def test_figures_are_read_from_the_scorer_line():
    line = "corpus: recall 0.830 (142/171), precision 0.689 (144/209), level 43/44, place 62/62, year 0/0, period 6/6, organ 40/42"
    assert figures(line) == {
        "recall": 0.83, "precision": 0.689, "level": 43 / 44, "place": 1.0, "year": 1.0, "period": 1.0, "organ": 40 / 42,
    }


@pytest.mark.slow
def test_no_figure_falls_below_its_floor(tmp_path):
    if not (SHARED / "corpus" / "gold.yaml").exists() or not (SHARED / "tools" / "score_corpus.py").exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    line = score(SHARED / "corpus", tmp_path).strip().splitlines()[-1]
    print(line)
    measured = figures(line)
    assert set(measured) == set(FLOOR), line
    below = {name: (measured[name], floor) for name, floor in FLOOR.items() if measured[name] < floor - 1e-9}
    assert not below, f"{line}\nbelow the floor: {below}"
