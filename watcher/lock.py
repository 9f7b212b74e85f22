"""One service per inbox and per database.

Each is claimed with an advisory ``flock`` on a small file holding the holder's pid: one
hidden in the inbox, one beside the database. The kernel drops the lock when the holder exits,
even on ``kill -9``, so a stale file never blocks a restart. The files are left in place:
removing a lock file while another process waits on it would let two services in.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import ExitStack, contextmanager
from pathlib import Path

from watcher.errors import StartupError, describe

INBOX_LOCK = ".report-inbox.lock"


def lock_paths(inbox: Path, db: Path) -> list[tuple[str, Path]]:
    return [("inbox", inbox / INBOX_LOCK), ("database", db.with_name(db.name + ".lock"))]


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "another process"
    return f"process {pid}" if pid.isdigit() else "another process"


@contextmanager
def claim(what: str, path: Path, place: Path):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StartupError(f"cannot create the lock file {path}: {describe(error)}.") from error
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StartupError(
                f"report-inbox is already running on the {what} {place} ({_holder(path)}); "
                "stop it first or choose another folder and database."
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:
            pass  # a full disk: the lock holds all the same, only the pid is not shown
        yield path
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def single_instance(inbox: Path, db: Path):
    """Hold both locks for the duration of the block; ``StartupError`` if either is taken."""
    with ExitStack() as stack:
        for what, path in lock_paths(inbox, db):
            stack.enter_context(claim(what, path, inbox if what == "inbox" else db))
        yield
