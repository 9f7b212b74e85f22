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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    import json
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


class Service:
    """`report-inbox serve` as a real process on a free port, stopped with SIGTERM."""

    def __init__(self, inbox: Path, db: Path):
        import subprocess

        self.inbox, self.db, self.port = inbox, db, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "watcher", "serve", "--inbox", str(inbox), "--db", str(db),
             "--port", str(self.port), "--settle", "0.2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )

    def wait_until_up(self, seconds: float = 60) -> None:
        import time

        deadline = time.monotonic() + seconds
        while True:
            try:
                get_json(f"{self.base}/reports.json")
                return
            except OSError:
                assert self.process.poll() is None, self.process.stdout.read()
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.2)

    def stop(self) -> int:
        import signal

        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)
