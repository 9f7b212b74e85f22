"""Office files that cannot be read: legacy binary Word/Excel and password-protected documents.

Both are OLE compound files; an encrypted .docx is one too (its package is a stream named
EncryptedPackage). This converter only says what to do.
"""

from __future__ import annotations

from watcher import __version__
from watcher.convert.base import ConversionError, Converted

FORMAT = "office"
NAME = "report-inbox"
VERSION = __version__
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def matches(probe) -> bool:
    return probe.head.startswith(OLE)


def convert(data: bytes) -> Converted:
    # Directory entries hold UTF-16 stream names and may sit anywhere in the file.
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ConversionError(
            "the document is password-protected: open it, remove the password "
            "(Word: File > Info > Protect Document > Encrypt with Password, clear it), save, and drop it in again"
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise ConversionError(
            "this is a legacy Word .doc file, which cannot be read: open it in Word, WPS or LibreOffice, "
            "save it as .docx (or export it as PDF), and drop that file in"
        )
    raise ConversionError(
        "this is a legacy Microsoft Office file (not a Word document we can read): "
        "save it as .docx or PDF and drop that file in"
    )
