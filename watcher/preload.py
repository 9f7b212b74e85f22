"""Imported once by the forkserver that starts prepare workers: the default vocabulary's
segmenter and tables are loaded here, so each worker forked from it starts with them in
shared (copy-on-write) memory instead of spending seconds loading its own."""

try:
    from watcher.lean import without

    without(["sqlite_utils"])  # the search module imports it; pandas is no use to a worker
    from schema.vocabulary import Vocabulary
    from watcher.pipeline import extract_reports

    extract_reports("区人大常委会召开常委会会议3次。", Vocabulary.load())
except Exception:  # noqa: BLE001 - a worker then loads what it needs itself
    pass
