"""Feed jobs to a prepare pool and commit their outcomes in batches as they arrive.

Enough jobs are in flight that the workers stay busy while the writer commits a batch (a
worker that waits for the writer halves the throughput), within a memory budget, so a backfill
of any size holds only so many files; outcomes are committed in arrival order, by the calling
thread only.
"""

from __future__ import annotations

import queue
import time

from watcher.prepare import Job


# Jobs in flight: per worker, and the bytes they may hold together. A worker must not run dry
# while the writer commits a batch (up to 32 files): at 16 it waited a fifth of its time.
JOBS_PER_WORKER = 64
BYTES_IN_FLIGHT = 64 * 1024 * 1024


def _size(job: Job) -> int:
    return len(job.data) if job.data is not None else len(job.text or "") * 3


def stream(items, pool, commit, *, batch_files: int = 32, batch_seconds: float = 0.25) -> list:
    """``items`` yields ``(context, work)``: a ``Job`` goes to the pool, anything else is already an
    outcome. ``commit(list of (context, outcome))`` returns a list of results; all are returned."""
    arrived: queue.Queue = queue.Queue()
    in_flight = max(8, JOBS_PER_WORKER * pool.capacity)
    source = iter(items)
    outstanding, exhausted, held = 0, False, 0
    ready: list = []
    results: list = []
    last_commit = time.monotonic()

    def receive(entry) -> None:
        nonlocal outstanding, held
        context, outcome, size = entry
        ready.append((context, outcome))
        outstanding -= 1
        held -= size
    while True:
        while not exhausted and outstanding < in_flight and held < BYTES_IN_FLIGHT and len(ready) < batch_files:
            item = next(source, None)
            if item is None:
                exhausted = True
                break
            context, work = item
            if isinstance(work, Job):
                outstanding += 1
                size = _size(work)
                held += size
                pool.submit(work, lambda outcome, context=context, size=size: arrived.put((context, outcome, size)))
            else:
                ready.append((context, work))
        if exhausted and not outstanding:
            break
        try:
            if outstanding:
                receive(arrived.get(timeout=batch_seconds))
            while True:
                receive(arrived.get_nowait())
        except queue.Empty:
            pass
        if ready and (len(ready) >= batch_files or time.monotonic() - last_commit >= batch_seconds):
            results += commit(ready)
            ready, last_commit = [], time.monotonic()
    if ready:
        results += commit(ready)
    return results
