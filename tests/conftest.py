import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_REPORTS = FIXTURES / "reports"


def sample_files() -> list[Path]:
    """The real third-party samples beside the checkout (CI has them; a fresh clone does not)."""
    return sorted((SHARED / "samples").glob("*.txt"))


def fixture_reports() -> list[Path]:
    return sorted(FIXTURE_REPORTS.glob("*.txt"))


@pytest.fixture
def samples() -> list[Path]:
    files = sample_files()
    if not files:
        pytest.skip("../shared/samples is not beside the checkout")
    return files


@pytest.fixture
def settings(tmp_path):
    from watcher.config import Settings

    return Settings(
        inbox=tmp_path / "inbox", db=tmp_path / "db" / "reports.db", settle=0.2, rescan=60,
        max_file_size=1_000_000,
    )


@pytest.fixture
def python():
    return sys.executable
