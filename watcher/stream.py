"""Feed jobs to a prepare pool and commit their outcomes in batches as they arrive.

At most a few jobs per worker are in flight, so a backfill of any size holds only a handful of
files in memory; outcomes are committed in arrival order, by the calling thread only.
"""

from __future__ import annotations

import queue
import time

from watcher.prepare import Job


def stream(items, pool, commit, *, batch_files: int = 32, batch_seconds: float = 0.25) -> list:
    """``items`` yields ``(context, work)``: a ``Job`` goes to the pool, anything else is already an
    outcome. ``commit(list of (context, outcome))`` returns a list of results; all are returned."""
    arrived: queue.Queue = queue.Queue()
    in_flight = max(8, 4 * pool.capacity)  # enough queued that workers keep busy while a batch commits
    source = iter(items)
    outstanding, exhausted = 0, False
    ready: list = []
    results: list = []
    last_commit = time.monotonic()
    while True:
        while not exhausted and outstanding < in_flight and len(ready) < batch_files:
            item = next(source, None)
            if item is None:
                exhausted = True
                break
            context, work = item
            if isinstance(work, Job):
                outstanding += 1
                pool.submit(work, lambda outcome, context=context: arrived.put((context, outcome)))
            else:
                ready.append((context, work))
        if exhausted and not outstanding:
            break
        try:
            if outstanding:
                ready.append(arrived.get(timeout=batch_seconds))
                outstanding -= 1
            while True:
                ready.append(arrived.get_nowait())
                outstanding -= 1
        except queue.Empty:
            pass
        if ready and (len(ready) >= batch_files or time.monotonic() - last_commit >= batch_seconds):
            results += commit(ready)
            ready, last_commit = [], time.monotonic()
    if ready:
        results += commit(ready)
    return results
