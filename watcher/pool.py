"""Where prepare steps run: worker processes on this machine, or a Dask cluster.

Both pools take a ``Job`` and later call ``done(outcome)`` from a background thread, with a
``Prepared`` or a ``Failed`` carrying a plain reason; they never raise for one file's fault. A
worker that runs past the time limit is killed and replaced, one that dies (over the memory
limit, a crash) is replaced, and the other files go on.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import CancelledError, TimeoutError
from dataclasses import dataclass

from schema.vocabulary import Vocabulary
from watcher.config import Settings
from watcher.prepare import MEMORY_EXIT, Job, PrepareError, prepare_in_worker, prepare_on_cluster, start_worker


@dataclass(frozen=True)
class Failed:
    key: str
    reason: str


def make_pool(settings: Settings, vocabulary: Vocabulary):
    if settings.scheduler:
        return ClusterPool(settings.scheduler, vocabulary, time_limit=settings.time_limit)
    return LocalPool(
        vocabulary, jobs=settings.jobs, time_limit=settings.time_limit,
        memory_limit=settings.memory_limit,
    )


def _reason(error: BaseException, time_limit: float, memory_limit: int) -> str:
    from pebble import ProcessExpired

    if isinstance(error, TimeoutError):
        return f"took longer than {time_limit:g} s"
    if isinstance(error, MemoryError):
        return f"needed more than the memory limit of {memory_limit} MB"
    if isinstance(error, ProcessExpired) and error.exitcode == MEMORY_EXIT:
        return f"needed more than the memory limit of {memory_limit} MB"
    if isinstance(error, ProcessExpired):
        hint = f" (over the memory limit of {memory_limit} MB?)" if memory_limit else ""
        return f"the worker taking it stopped unexpectedly, exit code {error.exitcode}{hint}"
    if isinstance(error, PrepareError):
        return str(error)
    if isinstance(error, CancelledError):
        return "cancelled before it was prepared"
    return f"could not prepare it: {type(error).__name__}: {error}"


class LocalPool:
    """A pebble process pool: per-task time limits that kill a stuck worker and start a new one."""

    def __init__(self, vocabulary, *, jobs: int, time_limit: float, memory_limit: int):
        from pebble import ProcessPool

        self.jobs = jobs
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        # forkserver: workers start from a clean process that has the segmenter loaded already,
        # never from a fork of the threaded service.
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["watcher.preload"])
        else:
            context = multiprocessing.get_context("spawn")
        self._pool = ProcessPool(
            max_workers=jobs, initializer=start_worker, initargs=(vocabulary, memory_limit),
            context=context,
        )

    @property
    def capacity(self) -> int:
        return self.jobs

    def submit(self, job: Job, done) -> None:
        future = self._pool.schedule(
            prepare_in_worker, args=(job,), timeout=self.time_limit or None
        )

        def finished(future):
            try:
                outcome = future.result()
            except BaseException as error:  # noqa: BLE001 - every failure becomes the file's reason
                outcome = Failed(job.key, _reason(error, self.time_limit, self.memory_limit))
            done(outcome)

        future.add_done_callback(finished)

    def close(self, wait: float = 5.0) -> None:
        """Let workers finish what they hold for ``wait`` seconds, then stop them."""
        self._pool.close()
        try:
            self._pool.join(timeout=wait)
        except TimeoutError:
            self._pool.stop()
            self._pool.join()


class ClusterPool:
    """Prepare steps on a Dask cluster; outcomes stream back to this process, the only writer.

    Dask cannot interrupt a running task: past the time limit the file fails here and its
    task is cancelled, but a worker thread already running it finishes in the background."""

    def __init__(self, address: str, vocabulary, *, time_limit: float):
        from distributed import Client

        self.time_limit = time_limit
        self.client = Client(address, timeout="30s")
        [self._vocabulary] = self.client.scatter([vocabulary], broadcast=True, hash=False)

    @property
    def capacity(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, job: Job, done) -> None:
        future = self.client.submit(prepare_on_cluster, job, self._vocabulary, pure=False)
        once = threading.Lock()

        def report(outcome):
            if once.acquire(blocking=False):
                done(outcome)

        timer = None
        if self.time_limit:
            def expire():
                report(Failed(job.key, _reason(TimeoutError(), self.time_limit, 0)))
                future.cancel()

            timer = threading.Timer(self.time_limit, expire)
            timer.daemon = True
            timer.start()

        def finished(future):
            if timer is not None:
                timer.cancel()
            if future.cancelled():
                return report(Failed(job.key, _reason(CancelledError(), 0, 0)))
            error = future.exception()
            report(future.result() if error is None else Failed(job.key, _reason(error, self.time_limit, 0)))

        future.add_done_callback(finished)

    def close(self) -> None:
        self.client.close()


