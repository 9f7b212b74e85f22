"""Real mechanisms that refuse even root: immutable files (chattr +i), small tmpfs disks,
an unprivileged user. Each skips the test, with the reason, where the machine does not allow it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*command) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True)


@contextmanager
def immutable(*paths: Path):
    """chattr +i: no rename, unlink or write, for root too; undone afterwards."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = []
    try:
        for path in paths:
            result = _run("chattr", "+i", str(path))
            if result.returncode != 0:
                pytest.skip(f"chattr +i is not allowed here: {result.stderr.strip()}")
            done.append(path)
        yield
    finally:
        for path in done:
            _run("chattr", "-i", str(path))


@contextmanager
def small_disk(folder: Path, size: str = "2m"):
    """A tmpfs of ``size`` mounted on ``folder``: writes past it fail with ENOSPC."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    result = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(folder))
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield folder
    finally:
        if _run("umount", str(folder)).returncode != 0:
            _run("umount", "-l", str(folder))


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the filesystem holding ``folder`` until fewer than ``leave`` bytes are free."""
    filler = folder / ".filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                free = shutil.disk_usage(folder).free
                if free <= leave:
                    break
                handle.write(b"\0" * min(1 << 16, max(free - leave, 1)))
                handle.flush()
        except OSError:
            pass
    return filler


def unprivileged() -> list[str]:
    """A command prefix that runs a program as the user nobody, or a skip."""
    if os.geteuid() != 0:
        pytest.skip("switching to another user needs root")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv is not installed")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    if _run(*prefix, "true").returncode != 0:
        pytest.skip("setpriv cannot switch to the user nobody here")
    probe = "import multiprocessing as m\nif __name__ == '__main__':\n    m.get_context('forkserver').Pool(1).map(abs, [1])"
    uses_workers = importlib.util.find_spec("watcher.pool") is not None
    if uses_workers and _run(*prefix, sys.executable, "-c", probe).returncode != 0:
        pytest.skip(
            "Python's multiprocessing cannot start worker processes as the user nobody here "
            "(its helper process exits at once), and the service needs them"
        )
    return prefix
