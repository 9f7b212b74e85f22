"""Every shell, SQL and Python example in README.md runs as written, in a fresh checkout's layout
(`.venv/`, `db/reports.db` of fixture reports) against the running service."""

import re
import shutil
import subprocess

import pytest

from conftest import ROOT, Service, fixture_reports
from watcher.config import Settings
from watcher.ingest import ingest_paths

pytestmark = pytest.mark.slow
BLOCK = re.compile(r"^```(sh|sql|python)\n(.*?)^```", re.S | re.M)
# curl reports an HTTP error as a failure; the examples themselves stay as a reader copies them
CURL_FAILS_ON_ERRORS = 'curl() { command curl -fsS "$@"; }\n'


def examples() -> list[tuple[str, str]]:
    found = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    return [(kind, code) for kind, code in found if not code.startswith("make ")]


def test_readme_has_examples_of_each_kind():
    kinds = {kind for kind, _ in examples()}
    assert kinds == {"sh", "sql", "python"}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A directory laid out like a fresh clone after `make run` took the fixture reports."""
    if not (ROOT / ".venv" / "bin" / "report-inbox").exists():
        pytest.skip("the examples call .venv/bin/…: run the tests from the virtual environment `make` sets up")
    home = tmp_path_factory.mktemp("clone")
    (home / ".venv").symlink_to(ROOT / ".venv")
    ingest_paths(Settings(db=home / "db" / "reports.db", inbox=home / "inbox"), fixture_reports())
    service = Service(home / "inbox", home / "db" / "reports.db")
    service.wait_until_up()
    yield home, service.port
    service.stop()


@pytest.mark.parametrize("number", range(len(examples())))
def test_readme_example_runs(checkout, number):
    home, port = checkout
    kind, code = examples()[number]
    code = code.replace("127.0.0.1:8001", f"127.0.0.1:{port}")
    needed = {"sh": "curl", "sql": "sqlite3"}.get(kind)
    if needed and not shutil.which(needed):
        pytest.skip(f"{needed} is not installed (make test installs it where apt is available)")
    if kind == "sh":
        run = ["bash", "-euo", "pipefail", "-c", CURL_FAILS_ON_ERRORS + code]
        result = subprocess.run(run, cwd=home, capture_output=True, text=True, timeout=120)
    elif kind == "sql":
        result = subprocess.run(["sqlite3", "db/reports.db"], input=code, cwd=home, capture_output=True, text=True, timeout=60)
    else:
        result = subprocess.run([".venv/bin/python", "-c", code], cwd=home, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{code}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert "Error" not in result.stderr, result.stderr
    assert not re.search(r"^\[\]$", result.stdout, re.M), f"an example found nothing:\n{code}"
