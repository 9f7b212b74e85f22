"""Whose fault a failure is decides what happens to the file.

The file's fault (bad bytes, unsupported type, a link, an extractor error on its text): the
file is quarantined with the reason and never retried automatically. The environment's fault
(database locked or busy, disk full, permission refused, read-only filesystem): the file stays
in the inbox and is retried with backoff, because the same bytes will succeed once the machine
is right again.
"""

from __future__ import annotations

import errno
import sqlite3


class FileFault(Exception):
    """A file that cannot be taken; the message is shown to the person who dropped it."""


class EnvironmentFault(Exception):
    """The machine, not the file, stopped the work; the file stays and is tried again later."""


class StartupError(Exception):
    """The service cannot start; the message is one plain sentence for the person starting it."""


# errno values that say something about the machine, not about the file's content.
ENVIRONMENT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in (
        "EACCES", "EPERM", "ENOSPC", "EDQUOT", "EROFS", "EBUSY", "ETXTBSY", "EIO", "EMFILE",
        "ENFILE", "ENOMEM", "EAGAIN", "EFBIG", "ESTALE", "EINTR", "ENOLCK",
    )
    if hasattr(errno, name)
)

# SQLite reports environment trouble as OperationalError with these words.
SQLITE_ENVIRONMENT_WORDS = (
    "locked", "busy", "disk is full", "disk i/o", "readonly", "read-only", "unable to open",
    "out of memory", "interrupted",
)


def is_environmental(error: BaseException) -> bool:
    """Whether ``error`` is the environment's fault (retry later) rather than the file's."""
    if isinstance(error, EnvironmentFault):
        return True
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        return any(word in message for word in SQLITE_ENVIRONMENT_WORDS)
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.IntegrityError):
        return "full" in str(error).lower() or "locked" in str(error).lower()
    if isinstance(error, OSError):
        return error.errno in ENVIRONMENT_ERRNOS
    return isinstance(error, MemoryError)


def describe(error: BaseException) -> str:
    """A short plain-words description of an OS or database error."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) or type(error).__name__
