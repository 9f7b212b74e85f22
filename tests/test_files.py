"""What a path in the inbox is, how it is named in rows and logs, and how it is moved once."""

import errno
import os
import socket
import threading

import pytest

from machine import immutable, small_disk
from watcher.errors import EnvironmentFault, FileFault, is_environmental
from watcher.files import (
    NAME_MAX, NotAFile, fitted_name, free_name, move, move_into, printable, read_regular, stored_name,
)


def test_a_name_that_is_not_utf8_becomes_storable_text():
    name = os.fsdecode(b"bad\xff\xfename.txt")
    assert stored_name(name) == "bad\\xff\\xfename.txt"
    assert stored_name(name).encode("utf-8")  # SQLite can store it
    assert stored_name("工作报告.txt") == "工作报告.txt"


def test_a_newline_in_a_name_cannot_make_a_second_log_line():
    name = "a.txt\n2026-01-01 00:00:00 INFO ingested forged.txt"
    shown = printable(name)
    assert "\n" not in shown and "\\n" in shown
    assert printable("x\r\u2028\x1b.txt") == "x\\r\\u2028\\x1b.txt"
    assert printable("常委会 报告.txt") == "常委会 报告.txt"


def test_long_names_are_shortened_to_fit_with_their_companion():
    name = "人大常委会工作报告" * 10 + ".txt"  # 274 bytes
    assert len(os.fsencode(name)) > NAME_MAX
    fitted = fitted_name(name, "", reserve=len(".error.txt"))
    assert len(os.fsencode(fitted + ".error.txt")) <= NAME_MAX
    assert fitted.endswith(".txt") and fitted.startswith("人大常委会")
    fitted.encode("utf-8")  # not cut inside a character
    other = fitted_name("人大常委会工作报告" * 10 + "二.txt", "", reserve=10)
    assert other != fitted  # the tag comes from the full name


def test_free_name_never_names_an_existing_file_or_reason(tmp_path):
    (tmp_path / "a.txt").write_text("first")
    second = free_name(tmp_path, "a.txt", "abcd1234", companion=".error.txt")
    assert second.name == "a-abcd1234.txt"
    second.write_text("second")
    third = free_name(tmp_path, "a.txt", "abcd1234", companion=".error.txt")
    assert third.name == "a-abcd1234-2.txt"
    (tmp_path / "b.txt.error.txt").write_text("an older reason")
    assert free_name(tmp_path, "b.txt", "t", companion=".error.txt").name == "b-t.txt"


def test_a_fifo_is_skipped_without_blocking(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(_try_read(fifo)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], NotAFile) and "FIFO" in str(outcome[0])


def test_a_socket_is_skipped(tmp_path):
    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert isinstance(_try_read(path), NotAFile)


def test_hard_links_are_refused_unless_allowed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("区人大常委会召开会议3次。", encoding="utf-8")
    link = tmp_path / "link.txt"
    os.link(secret, link)
    error = _try_read(link)
    assert isinstance(error, FileFault) and "hard links" in str(error)
    assert read_regular(link, max_size=1000, allow_hard_links=True) == secret.read_bytes()


def test_a_symlink_is_refused(tmp_path):
    (tmp_path / "target.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    error = _try_read(tmp_path / "link.txt")
    assert isinstance(error, FileFault) and "symbolic link" in str(error)


def _try_read(path):
    try:
        return read_regular(path, max_size=1000, allow_hard_links=False)
    except Exception as error:
        return error


def test_a_refused_move_copies_nothing(tmp_path):
    """Issue: a permission error ran the cross-filesystem fallback and left copies behind."""
    source = tmp_path / "inbox" / "r.txt"
    source.parent.mkdir()
    source.write_text("bytes")
    folder = tmp_path / "processed"
    with immutable(source):
        with pytest.raises(OSError) as raised:
            move_into(source, folder, "abcd1234")
        assert raised.value.errno == errno.EPERM and is_environmental(raised.value)
        assert list(folder.iterdir()) == []
    assert source.read_text() == "bytes"


def test_a_move_across_filesystems_copies_once(tmp_path):
    source = tmp_path / "r.txt"
    source.write_bytes(b"x" * 10_000)
    with small_disk(tmp_path / "other", "1m") as other:
        destination = move_into(source, other / "processed", "abcd1234")
        assert destination.read_bytes() == b"x" * 10_000 and not source.exists()
        assert [p.name for p in (other / "processed").iterdir()] == ["r.txt"]


def test_a_move_interrupted_after_the_copy_is_finished_without_a_second_copy(tmp_path):
    folder = tmp_path / "processed"
    folder.mkdir()
    source = tmp_path / "r.txt"
    source.write_text("same bytes")
    (folder / "r.txt").write_text("same bytes")  # the copy finished, the source was not yet removed
    assert move_into(source, folder, "abcd1234") == folder / "r.txt"
    assert not source.exists() and sorted(p.name for p in folder.iterdir()) == ["r.txt"]


def test_a_move_across_filesystems_onto_a_full_disk_keeps_the_source(tmp_path):
    source = tmp_path / "r.txt"
    source.write_bytes(os.urandom(200_000))
    with small_disk(tmp_path / "full", "100k") as full:
        with pytest.raises(OSError) as raised:
            move(source, full / "r.txt")
        assert raised.value.errno in (errno.ENOSPC, errno.EFBIG)
        assert [p.name for p in full.iterdir()] == []  # no partial copy left
    assert len(source.read_bytes()) == 200_000


def test_classification():
    import sqlite3

    assert is_environmental(sqlite3.OperationalError("database is locked"))
    assert is_environmental(sqlite3.OperationalError("database or disk is full"))
    assert is_environmental(OSError(errno.ENOSPC, "No space left on device"))
    assert is_environmental(PermissionError(errno.EACCES, "Permission denied"))
    assert is_environmental(EnvironmentFault("x"))
    assert not is_environmental(sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not is_environmental(UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed"))
    assert not is_environmental(FileFault("empty file"))
