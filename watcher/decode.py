"""Bytes to text: pick the encoding, refuse what is not text, normalise line ends.

Strict UTF-8 first (most files), then byte-order marks, then charset-normalizer to choose
among the Chinese legacy encodings. The error messages are shown to the person who dropped
the file, so they say what is wrong in plain words.
"""

from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

import numpy as np
from charset_normalizer import from_bytes

# What a binary file looks like at its start, to say so in the error.
SIGNATURES = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.xlsx document)",
    b"\xd0\xcf\x11\xe0": "a Microsoft Office document",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
}
CANDIDATES = ["gb18030", "big5", "utf_16", "utf_8"]
SAMPLE = 20000  # characters looked at for control and unreadable ones


class DecodeError(Exception):
    """The bytes are not readable text; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            raise DecodeError(f"this is binary data, not text: it looks like {kind}")
    text, encoding = _decode(data)
    if not text or text.isspace():
        raise DecodeError("the file is empty" if not data else "the file holds no text, only white space")
    sample = text[:SAMPLE]
    codes = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    rare = {chr(c) for c in np.unique(codes[~_plain()[np.minimum(codes, 0xFFFF)]]).tolist()}
    if "\x00" in text or _share(sample, rare, _is_control) > 0.01:
        raise DecodeError("this is binary data, not text (it holds control characters)")
    if _share(sample, rare, _is_unreadable) > 0.02:
        raise DecodeError(f"the text does not decode sensibly in any supported encoding (best guess: {encoding})")
    return Decoded(text=normalise_line_ends(text), encoding=encoding)


def normalise_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> tuple[str, str]:
    if not data:
        raise DecodeError("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise DecodeError("this is binary data, not text (it holds NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise DecodeError(
            "the bytes are in no supported encoding (UTF-8, UTF-16 with BOM, GB18030/GBK, Big5)"
        )
    encoding = {"utf_8": "utf-8", "utf_16": "utf-16"}.get(best.encoding, best.encoding)
    return str(best), encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(f"the file starts with a {encoding} byte-order mark but is not valid {encoding}: {error.reason}") from None


def _share(sample: str, rare: set[str], predicate) -> float:
    """The share of the sample's characters for which ``predicate`` holds, asked only of its
    ``rare`` characters (those not in ``_plain``), once each."""
    return sum(sample.count(c) for c in rare if predicate(c)) / max(1, len(sample))


@lru_cache(maxsize=1)
def _plain() -> np.ndarray:
    """ASCII, CJK punctuation, full-width forms and the common CJK ideographs that are neither
    control nor unreadable characters (most of any report, so no test is needed for them), as
    a table over the Basic Multilingual Plane; U+FFFF, where anything beyond it is looked up,
    is not plain."""
    table = np.zeros(0x10000, dtype=bool)
    blocks = [(0x20, 0x7F), (0x3000, 0x3040), (0x4E00, 0xA000), (0xFF00, 0xFFF0)]
    candidates = "\n\r\t\x0c" + "".join(chr(c) for start, end in blocks for c in range(start, end))
    table[[ord(c) for c in candidates if not _is_control(c) and not _is_unreadable(c)]] = True
    return table


def _is_control(c: str) -> bool:
    return unicodedata.category(c) == "Cc" and c not in "\n\r\t\x0c"


def _is_unreadable(c: str) -> bool:
    return c == "\ufffd" or unicodedata.category(c) in ("Co", "Cn", "Cs")
