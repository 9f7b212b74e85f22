"""Start-up checks that turn a machine's refusal into one plain sentence (``StartupError``).

The CLI prints the sentence and exits with status 2; no traceback reaches the person starting
the service.
"""

from __future__ import annotations

import errno
import socket
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from watcher.errors import StartupError, describe


@contextmanager
def database_errors(db: Path):
    """Inside the block, a database that cannot be opened, migrated or written becomes a sentence."""
    try:
        yield
    except sqlite3.Error as error:
        message = str(error).lower()
        if "locked" in message or "busy" in message:
            raise StartupError(
                f"the database {db} is locked by another program that is writing to it; "
                "try again when it has finished."
            ) from error
        if "readonly" in message or "read-only" in message:
            raise StartupError(f"the database {db} is read-only; report-inbox needs to write to it.") from error
        if "unable to open" in message:
            raise StartupError(
                f"cannot open the database {db}: its folder is missing or not writable."
            ) from error
        if "not a database" in message or "malformed" in message:
            raise StartupError(f"{db} is not a report-inbox database (SQLite says: {error}).") from error
        raise StartupError(f"cannot open the database {db}: {error}.") from error
    except OSError as error:
        raise StartupError(f"cannot create the database {db}: {describe(error)}.") from error


def check_port(host: str, port: int) -> None:
    """Fail before anything starts when the web server could not listen."""
    if not 0 <= port <= 65535:
        raise StartupError(f"the port {port} is not a port number (0 to 65535).")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise StartupError(f"the host {host!r} is not a known address ({error.strerror}).") from error
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server does
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"the port {port} on {host} is already in use; stop the program using it or "
                    "choose another with --port."
                ) from error
            raise StartupError(f"cannot listen on {host}:{port}: {describe(error)}.") from error


def open_store(db: Path, **options):
    """The database opened and migrated, or a ``StartupError`` saying why not."""
    from watcher.store import Store

    with database_errors(db):
        return Store(db, **options)
