"""The real samples against their expected records, checked by the shared gold tool."""

import subprocess
import sys

import pytest

from conftest import SHARED
from watcher.ingest import ingest_paths

pytestmark = pytest.mark.slow


def test_samples_meet_the_gold_file(settings, samples):
    summary = ingest_paths(settings, samples)
    assert summary.failed == 0, summary.line()
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_gold.py"), str(settings.db),
         str(SHARED / "gold" / "seeds.yaml")],
        capture_output=True, text=True,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
