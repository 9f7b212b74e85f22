"""What every converter returns, the error it raises, and the limits it works within."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

# Bounds on one conversion, so a hostile or huge file fails with a reason instead of
# exhausting the machine. The pipeline also runs each file under a time limit.
MAX_PAGES = 500  # PDF pages read for text
MAX_OCR_PAGES = 20  # PDF pages without text sent to OCR (about a minute each on a dense A3 page)
MAX_PIXELS = 60_000_000  # an image (or a rendered page) larger than this is refused
MAX_UNZIPPED = 200 * 1024 * 1024  # total uncompressed size of a DOCX
MAX_ZIP_RATIO = 200  # uncompressed/compressed ratio of any large DOCX member
OCR_SECONDS = 180  # per image or page (a dense A3 newspaper page takes about a minute)


class ConversionError(Exception):
    """The file cannot be converted; the message is shown to the person who dropped it."""


@dataclass(frozen=True)
class Converted:
    text: str
    format: str  # txt, html, mhtml, pdf, docx, image
    converter: str  # library that did the work, e.g. trafilatura
    converter_version: str
    encoding: str | None = None  # for formats read as text
    title: str | None = None
    date: str | None = None  # ISO date the file states it was published, when it says so
    pages: int | None = None


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
