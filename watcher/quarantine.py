"""The failed/ folder: a file that cannot be taken goes there with its reason beside it.

Nothing there is ever overwritten: a name already taken gets a tag, a name too long for its
``.error.txt`` companion is shortened (the full name is written inside). The database row is
written by the caller before the move, so the reason survives a full disk or a refused move.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from watcher.errors import describe
from watcher.files import free_name, move, printable, stored_name

log = logging.getLogger("report_inbox")

REASON_SUFFIX = ".error.txt"


def logged_failure(conn, path: str, sha256: str | None, reason: str) -> bool:
    """Whether the newest log row for ``path`` is this very failure (same bytes, same reason)."""
    row = conn.execute(
        "SELECT sha256, status, detail FROM ingest_log WHERE path = ? ORDER BY id DESC LIMIT 1", (path,)
    ).fetchone()
    return row == (sha256, "failed", reason)


def reason_text(name: str, reason: str) -> str:
    return (
        f"{stored_name(name)} could not be ingested: {reason}\n"
        f"Fix the file and drop it into the inbox again to retry.\n"
    )


def quarantine(path: Path, folder: Path, reason: str, tag: str) -> Path:
    """Move ``path`` into ``folder`` under a free name, then write the reason beside it.

    A refused move raises ``OSError`` with the file untouched. A reason that cannot be written
    (disk full) is logged, and no empty reason file is left: the database row has the reason.
    """
    folder.mkdir(parents=True, exist_ok=True)
    destination = free_name(folder, path.name, tag, companion=REASON_SUFFIX)
    move(path, destination)
    write_reason(Path(f"{destination}{REASON_SUFFIX}"), reason_text(path.name, reason))
    return destination


def write_reason(target: Path, text: str) -> bool:
    """Write the whole reason durably, or nothing at all."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError as error:
        log.warning("could not write %s: %s; the reason is in ingest_log", printable(target), describe(error))
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        return True
    except OSError as error:
        target.unlink(missing_ok=True)
        log.warning("could not write %s: %s; the reason is in ingest_log", printable(target), describe(error))
        return False
