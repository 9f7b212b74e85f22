"""Plain text (.txt, .md, or anything else that decodes): the last converter tried."""

from __future__ import annotations

from watcher import __version__
from watcher.convert.base import ConversionError, Converted
from watcher.decode import DecodeError, decode

FORMAT = "txt"
NAME = "report-inbox.decode"
VERSION = __version__


def matches(probe) -> bool:
    return True


def convert(data: bytes) -> Converted:
    try:
        decoded = decode(data)
    except DecodeError as error:
        raise ConversionError(str(error)) from error
    return Converted(decoded.text, FORMAT, NAME, VERSION, encoding=decoded.encoding)
