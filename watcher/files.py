"""The inbox's files as the operating system sees them: what a path is, how to read it without
blocking or following links, how to name it in logs and rows, how to move it exactly once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import unicodedata
from pathlib import Path

from watcher.errors import FileFault

NAME_MAX = 255  # bytes in one path component on Linux, macOS and Windows filesystems
PARTIAL_PREFIX = "."  # a cross-filesystem copy in progress is hidden until complete


class NotAFile(Exception):
    """A FIFO, socket, device or folder where a report was expected: skipped, never opened."""

    def __init__(self, kind: str):
        super().__init__(f"a {kind}, not a regular file: skipped")
        self.kind = kind


# -- names -----------------------------------------------------------------------------------


def stored_name(name: str | os.PathLike) -> str:
    """Text that SQLite can store: bytes that are not UTF-8 become ``\\xNN`` escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def printable(name: str | os.PathLike) -> str:
    """A name for one log line: control characters and line separators escaped, so a file
    name cannot break a line or forge another entry."""
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in stored_name(name)
    )


def _cut(data: bytes, limit: int) -> bytes:
    """At most ``limit`` bytes, not ending inside a UTF-8 sequence."""
    data = data[: max(limit, 0)]
    end = len(data)
    while end and (data[end - 1] & 0xC0) == 0x80:
        end -= 1
    if end and data[end - 1] >= 0xC0:
        lead = data[end - 1]
        need = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if len(data) - (end - 1) < need:
            return data[: end - 1]
    return data


def fitted_name(name: str, tag: str, *, reserve: int = 0) -> str:
    """``name`` with ``-tag`` before its suffix (when ``tag``), shortened so that it plus
    ``reserve`` bytes fits one path component; a shortened name always carries a tag made from
    the full name, so two long names never shorten to the same one."""
    raw = os.fsencode(name)
    limit = NAME_MAX - reserve
    if not tag and len(raw) <= limit:
        return name
    stem, dot, suffix = raw.rpartition(b".")
    if not dot or not stem or len(suffix) > 16:
        stem, suffix = raw, b""
    else:
        suffix = b"." + suffix
    label = os.fsencode(tag)
    if len(stem) + len(b"-" + label if label else b"") + len(suffix) > limit:
        label = (label + b"-" if label else b"") + hashlib.sha256(raw).hexdigest()[:8].encode()
    tail = (b"-" + label if label else b"") + suffix
    return os.fsdecode(_cut(stem, limit - len(tail)) + tail)


def free_name(folder: Path, name: str, tag: str, *, companion: str = "") -> Path:
    """A path in ``folder`` that names nothing yet (nor does its ``companion`` file): the name
    itself when free, else the name tagged, then tagged and numbered."""
    reserve = len(os.fsencode(companion))
    for attempt in range(10_000):
        label = "" if attempt == 0 else tag if attempt == 1 else f"{tag}-{attempt}"
        candidate = folder / fitted_name(name, label, reserve=reserve)
        if not os.path.lexists(candidate) and not (companion and os.path.lexists(f"{candidate}{companion}")):
            return candidate
    raise FileExistsError(errno.EEXIST, "no free name left", str(folder / name))


# -- inspection ------------------------------------------------------------------------------


def kind_of(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def check(st: os.stat_result, *, allow_hard_links: bool) -> None:
    """Raise ``FileFault`` for links (quarantined) and ``NotAFile`` for anything else that is
    not a regular file (skipped)."""
    kind = kind_of(st.st_mode)
    if kind == "symbolic link":
        raise FileFault("the file is a symbolic link; links are never followed, copy the file itself")
    if kind != "file":
        raise NotAFile(kind)
    if st.st_nlink > 1 and not allow_hard_links:
        raise FileFault(
            f"the file has {st.st_nlink} hard links, so its bytes live elsewhere too; copy the file "
            "itself, or set REPORT_INBOX_ALLOW_HARD_LINKS=1 to take hard links"
        )


def read_regular(path: Path, *, max_size: int, allow_hard_links: bool) -> bytes:
    """The bytes of a regular file, without following a link or blocking on a FIFO: the type is
    checked before the open and again on the open descriptor."""
    check(os.lstat(path), allow_hard_links=allow_hard_links)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:  # replaced by a link since the check
            raise FileFault("the file is a symbolic link; links are never followed, copy the file itself") from error
        raise
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        check(st, allow_hard_links=allow_hard_links)
        if st.st_size > max_size:
            raise FileFault(f"the file is {st.st_size:,} bytes, over the limit of {max_size:,} bytes")
        return handle.read(max_size + 1)


# -- moving ----------------------------------------------------------------------------------


def same_bytes(a: Path, b: Path) -> bool:
    try:
        if os.lstat(a).st_size != os.lstat(b).st_size:
            return False
        return _digest(a) == _digest(b)
    except OSError:
        return False


def _digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def move(source: Path, destination: Path) -> None:
    """Rename; only when the destination is on another filesystem (EXDEV), copy then remove.
    Any other error (permission, immutable file, full disk) propagates with the source intact."""
    try:
        os.replace(source, destination)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    partial = destination.with_name(PARTIAL_PREFIX + fitted_name(destination.name, "", reserve=9) + ".partial")
    try:
        if os.path.islink(source):  # a refused link is moved as a link, never as its target
            partial.unlink(missing_ok=True)
            os.symlink(os.readlink(source), partial)
            os.replace(partial, destination)
            os.unlink(source)
            return
        with open(source, "rb") as reader, open(partial, "wb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.unlink(source)


def move_into(source: Path, folder: Path, tag: str) -> Path:
    """Move ``source`` into ``folder`` once: if an interrupted earlier move already left the same
    bytes there under its name, only the source is removed."""
    folder.mkdir(parents=True, exist_ok=True)
    earlier = folder / fitted_name(source.name, "")
    regular = stat.S_ISREG(os.lstat(source).st_mode)
    if regular and os.path.lexists(earlier) and not os.path.islink(earlier) and same_bytes(source, earlier):
        os.unlink(source)
        return earlier
    destination = free_name(folder, source.name, tag)
    move(source, destination)
    return destination
