"""Backoff for work the environment refused (a lock, a full disk, a permission): wait longer
each time, up to a ceiling, and say so in the log each time."""

from __future__ import annotations

import logging
import time

from watcher.errors import EnvironmentFault
from watcher.files import printable

log = logging.getLogger("report_inbox")

FIRST_WAIT = 0.5


def backoff(attempt: int, most: float) -> float:
    """Seconds to wait before attempt ``attempt + 1`` (attempt counts from 1)."""
    return min(FIRST_WAIT * 2 ** (attempt - 1), most)


def retrying(call, *, what, attempts: int = 6, most: float = 8.0):
    """``call()``, retried on ``EnvironmentFault`` with backoff; the last fault is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except EnvironmentFault as error:
            if attempt == attempts:
                raise
            wait = backoff(attempt, most)
            log.warning("%s: %s; retrying in %.1f s", printable(what), error, wait)
            time.sleep(wait)
