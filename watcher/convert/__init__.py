"""Bytes in, text out: decide what a file is from its content and convert it to plain text.

Each format is one module exposing ``FORMAT``, ``NAME``, ``VERSION``, ``matches(probe)`` and
``convert(data) -> Converted``. ``CONVERTERS`` lists them in the order they are tried; the first
whose ``matches`` accepts the bytes converts them. Adding a format means one new module and one
line in that table. The file's extension is only a hint (see ``sniff.Probe``).
"""

from __future__ import annotations

from dataclasses import replace

from watcher.convert import docx, html, image, mhtml, office, pdf, text
from watcher.convert.base import ConversionError, Converted
from watcher.convert.sniff import Probe
from watcher.normalize import repair

# Tried in order; text is the last resort and refuses what is not text with a reason.
CONVERTERS = [pdf, docx, office, image, mhtml, html, text]

# The names people give such files. The content decides a file's format; these only tell the
# watcher that a folder called ``report.pdf`` looks like a file.
EXTENSIONS = frozenset(
    ".txt .md .html .htm .shtml .mhtml .mht .pdf .docx .doc .png .jpg .jpeg .tif .tiff .bmp .webp".split()
)

__all__ = ["CONVERTERS", "EXTENSIONS", "ConversionError", "Converted", "converter_for", "read_document"]


def converter_for(data: bytes, filename: str = ""):
    probe = Probe.of(data, filename)
    for module in CONVERTERS:
        if module.matches(probe):
            return module
    return text


def read_document(data: bytes, filename: str = "") -> Converted:
    """Convert and repair; raises ``ConversionError`` whose message says what is wrong and what to do."""
    converted = converter_for(data, filename).convert(data)
    body = converted.text
    if converted.title and converted.title not in body[: len(converted.title) + 200]:
        body = f"{converted.title}\n\n{body}"
    repaired = repair(body)
    if not repaired.strip():
        raise ConversionError(f"the {converted.format} file holds no text")
    return replace(converted, text=repaired)
