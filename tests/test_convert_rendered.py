"""Our fixture reports (and the samples, when ../shared is beside the checkout) rendered into the
files people have: a 3-column newspaper PDF printed by Chromium, a Word document, a GBK web page
inside site chrome. Each must give the same reports, places, years and facts as its text."""

import subprocess
import sys

import pytest
import yaml

from conftest import SHARED, fixture_reports
from render import CHROMIUM, write_docx, write_gbk_page, write_pdf
from schema.vocabulary import Vocabulary
from watcher.convert import read_document
from watcher.ingest import ingest_paths
from watcher.pipeline import extract_reports

pytestmark = pytest.mark.slow
WRITERS = {"pdf": write_pdf, "docx": write_docx, "html": write_gbk_page}


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary.load()


def writer(suffix: str):
    if suffix == "pdf" and not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    return WRITERS[suffix]


def records(text: str, vocabulary):
    """What a reader sees of a file: its reports with place, year and genre, and their facts."""
    found = []
    for report, extraction in extract_reports(text, vocabulary):
        facts = sorted((f.indicator, f.value) for f in extraction.facts if f.indicator)
        found.append((report.district, report.city, report.province, report.year, report.genre, facts))
    return found


@pytest.mark.parametrize("suffix", WRITERS)
@pytest.mark.parametrize("source", fixture_reports(), ids=lambda p: p.stem)
def test_rendered_fixture_gives_the_same_records_as_its_text(source, suffix, tmp_path, vocabulary):
    text = source.read_text(encoding="utf-8")
    rendered = writer(suffix)(text, tmp_path / f"{source.stem}.{suffix}")
    converted = read_document(rendered.read_bytes(), rendered.name)
    plain = read_document(text.encode("utf-8"), source.name)
    assert records(converted.text, vocabulary) == records(plain.text, vocabulary)


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
@pytest.mark.parametrize("source", fixture_reports(), ids=lambda p: p.stem)
def test_newspaper_columns_and_word_paragraphs_read_back_in_order(source, suffix, tmp_path):
    """Column by column, headline first, headings and captions between sentences, never inside:
    the text read from the 3-column PDF (and from Word) is the text file's, paragraph for paragraph."""
    text = source.read_text(encoding="utf-8")
    rendered = writer(suffix)(text, tmp_path / f"{source.stem}.{suffix}")
    assert read_document(rendered.read_bytes(), rendered.name).text == read_document(text.encode(), source.name).text


@pytest.mark.parametrize("suffix", WRITERS)
def test_rendered_samples_meet_the_gold_file(suffix, samples, tmp_path):
    """Every rendered format passes check_gold.py as the text files do."""
    write = writer(suffix)
    folder = tmp_path / suffix
    folder.mkdir()
    files = [write(path.read_text(encoding="utf-8"), folder / f"{path.stem}.{suffix}") for path in samples]
    from watcher.config import Settings

    settings = Settings(inbox=tmp_path / "inbox", db=tmp_path / "reports.db")
    summary = ingest_paths(settings, files)
    assert summary.failed == 0, summary.line()
    gold = yaml.safe_load((SHARED / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    for entry in gold:
        entry["file"] = entry["file"].removesuffix(".txt") + f".{suffix}"
    (tmp_path / "gold.yaml").write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_gold.py"), str(settings.db), str(tmp_path / "gold.yaml")],
        capture_output=True, text=True,
    )
    print(suffix, result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0, result.stdout + result.stderr
