"""Progress of a long run (ingest, reprocess, a watcher backfill): files done, MB/s, time left.

A tqdm bar when the output is a terminal, otherwise a log line every few seconds.
"""

from __future__ import annotations

import logging
import sys
import time

log = logging.getLogger("report_inbox")


class Progress:
    def __init__(self, label: str, files: int, size: int, *, every: float = 5.0, bar: bool | None = None):
        self.label = label
        self.files = files
        self.size = size
        self.done = 0
        self.done_bytes = 0
        self.every = every
        self.started = time.monotonic()
        self._last_line = self.started
        if bar is None:
            bar = sys.stderr.isatty()
        self._bar = None
        if bar:
            from tqdm import tqdm

            self._bar = tqdm(total=size, unit="B", unit_scale=True, unit_divisor=1000, desc=label)

    def advance(self, size: int, files: int = 1) -> None:
        self.done += files
        self.done_bytes += size
        if self._bar is not None:
            self._bar.update(size)
            self._bar.set_postfix_str(f"{self.done}/{self.files} files", refresh=False)
            return
        now = time.monotonic()
        if now - self._last_line >= self.every:
            self._last_line = now
            log.info("%s", self.line())

    @property
    def rate(self) -> float:
        """Megabytes per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done_bytes / 1e6 / elapsed if elapsed > 0 else 0.0

    def seconds_left(self) -> float | None:
        if not self.done_bytes:
            return None
        elapsed = time.monotonic() - self.started
        return max(0.0, (self.size - self.done_bytes) * elapsed / self.done_bytes)

    def line(self) -> str:
        left = self.seconds_left()
        eta = "unknown" if left is None else _duration(left)
        return (
            f"{self.label}: {self.done}/{self.files} files, {self.done_bytes / 1e6:.1f}/{self.size / 1e6:.1f} MB, "
            f"{self.rate:.2f} MB/s, {eta} left"
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.done:
            log.info("%s", self.line())


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
