"""The prepare step: a file's bytes (or a stored text) in, plain picklable rows out.

Pure: no database, no filesystem writes, so it runs in worker processes on this machine or on
a Dask cluster, and everything it returns can cross a process boundary. The commit step
(``watcher.commit``) is the only writer.
"""

from __future__ import annotations

import gc
import os
import resource
import threading
import time
from dataclasses import dataclass, field

from schema.models import Extraction, Report
from schema.vocabulary import Vocabulary, _fingerprint
from watcher.originals import compress
from watcher.pipeline import ConversionError, extract_reports, extractor_version, read_document
from watcher.search import index_tokens


@dataclass(frozen=True)
class Job:
    """One unit of work: a file's bytes to read and extract, or a stored text to extract again."""

    key: str  # the file's path, or the stored document's id
    filename: str
    data: bytes | None = None  # converted when given
    text: str | None = None  # extracted when there are no bytes, or they no longer convert
    keep_original: bool = False  # new bytes: compress them here for the writer to keep (originals)


@dataclass(frozen=True)
class Prepared:
    key: str
    text: str
    encoding: str | None
    reports: list[tuple[Report, Extraction]] = field(default_factory=list)
    extractor_version: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of the process that prepared it (benchmarks tell waiting from work)
    conversion: dict = field(default_factory=dict)  # format, converter … (documents columns)
    index: dict = field(default_factory=dict)  # the search indexes' bigrams (search.index_tokens)
    original: bytes | None = None  # the job's bytes compressed, when it asked to keep them


class PrepareError(Exception):
    """The file's own fault, in words for the person who dropped it."""


def prepare(job: Job, vocabulary: Vocabulary) -> Prepared:
    clock, cpu = time.perf_counter(), time.thread_time()
    encoding, conversion = None, {}
    text = job.text
    if job.data is not None:
        try:
            read = read_document(job.data, job.filename)
        except ConversionError as error:
            if text is None:
                raise PrepareError(str(error)) from error
        else:
            text, encoding = read.text, read.encoding
            conversion = {
                "format": read.format, "converter": read.converter,
                "converter_version": read.converter_version, "title": read.title, "published_on": read.date,
            }
    try:
        reports = extract_reports(text, vocabulary)
    except MemoryError:
        raise
    except Exception as error:  # an extractor bug fails this file, never the service
        raise PrepareError(f"could not extract records: {type(error).__name__}: {error}") from error
    index = index_tokens(reports)
    original = compress(job.data) if job.keep_original and job.data is not None else None
    return Prepared(
        key=job.key, text=text, encoding=encoding, reports=reports,
        extractor_version=extractor_version(vocabulary), seconds=time.perf_counter() - clock,
        cpu_seconds=time.thread_time() - cpu,
        conversion=conversion, index=index, original=original,
    )


# -- worker processes -------------------------------------------------------------------------
# A worker process keeps what it loaded once (vocabulary, segmenter) for every file it takes.
_worker: dict = {}


def start_worker(vocabulary: Vocabulary, memory_limit_mb: int) -> None:
    """Pool initializer: load the vocabulary and segmenter once, then cap this process's memory."""
    _worker["vocabulary"] = vocabulary
    extract_reports("区人大常委会召开常委会会议3次。", vocabulary)  # loads the segmenter, compiles rules
    gc.freeze()  # what is loaded lives as long as the worker: collections need not walk it each time
    if memory_limit_mb:
        limit_memory(memory_limit_mb)


def prepare_in_worker(job: Job) -> Prepared:
    return prepare(job, _worker["vocabulary"])


def prepare_on_cluster(job: Job, vocabulary: Vocabulary) -> Prepared:
    """The Dask task: the vocabulary arrives once per worker (scattered), not with each file."""
    if _worker.get("checked") != vocabulary.fingerprint:
        if _fingerprint(vocabulary.folder) != vocabulary.fingerprint:
            raise RuntimeError(
                f"this worker's vocabulary folder {vocabulary.folder} differs from the writer's; "
                "give every worker the same report-inbox version and vocabulary"
            )
        extract_reports("区人大常委会召开常委会会议3次。", vocabulary)
        _worker["checked"] = vocabulary.fingerprint
    return prepare(job, vocabulary)


MEMORY_EXIT = 75  # a worker's exit status when it stopped itself over the memory limit


def limit_memory(megabytes: int, interval: float = 0.02) -> None:
    """Let this worker grow by ``megabytes`` over what it holds now, then stop it.

    A watching thread ends the process (status ``MEMORY_EXIT``) the moment its resident memory
    is over the limit, and the pool starts another worker. An address-space cap at twice the
    limit is the backstop for a spike between two looks: there an allocation fails instead."""
    page = os.sysconf("SC_PAGE_SIZE")

    def pages() -> tuple[int, int]:
        with open("/proc/self/statm") as statm:
            size, resident = statm.read().split()[:2]
        return int(size) * page, int(resident) * page

    try:
        size, resident = pages()
    except (OSError, ValueError):
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + 2 * limit
    resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))

    def watch() -> None:
        while True:
            time.sleep(interval)
            if pages()[1] - resident > limit:
                os._exit(MEMORY_EXIT)

    threading.Thread(target=watch, name="memory-limit", daemon=True).start()
