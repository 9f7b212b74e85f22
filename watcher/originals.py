"""The bytes of every stored document, kept so ``reprocess`` can convert them again.

Content-addressed gzip files in a folder beside the database (``reports.db`` →
``reports-originals/ab/abcdef….gz``), not a table: the published database stays small (the
site's downloads and every reader's page cache are spared megabytes of PDF), a large original
never holds SQLite's single writer, and a file named by its own sha256 is written once and
never changes, so it needs no transaction: it is written before the rows that refer to it, and
one left behind by a failed write is harmless (the same bytes dropped again reuse it).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path


class Originals:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @classmethod
    def beside(cls, db: Path) -> Originals:
        db = Path(db)
        return cls(db.parent / f"{db.stem}-originals")

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.gz"

    def put(self, sha256: str, data: bytes, compressed: bytes | None = None) -> Path:
        """Keep ``data`` (``compressed``: the same bytes through ``compress``, done elsewhere)."""
        path = self.path(sha256)
        if path.exists():
            return path
        # A name of this process's own, then an atomic rename: a reader never sees half a file.
        partial = path.parent / f".{path.name}.{os.getpid()}.tmp"
        try:
            handle = open(partial, "wb")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(partial, "wb")
        with handle:
            handle.write(compressed if compressed is not None else compress(data))
        os.replace(partial, path)
        return path

    def get(self, sha256: str) -> bytes | None:
        try:
            return gzip.decompress(self.path(sha256).read_bytes())
        except FileNotFoundError:
            return None

    def size(self) -> tuple[int, int]:
        """(files, bytes on disk)."""
        sizes = [p.stat().st_size for p in self.folder.glob("*/*.gz")]
        return len(sizes), sum(sizes)


def compress(data: bytes) -> bytes:
    """An original as it is kept: gzip, with no timestamp, so equal bytes give equal files."""
    return gzip.compress(data, compresslevel=6, mtime=0)
