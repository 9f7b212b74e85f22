"""Scanned pages and screenshots (PNG, JPEG, TIFF, BMP, WebP): text by OCR."""

from __future__ import annotations

import io

from watcher.convert import ocr
from watcher.convert.base import ConversionError, Converted

FORMAT = "image"
NAME = "tesseract"
MIMES = {"image/png", "image/jpeg", "image/tiff", "image/bmp", "image/webp"}


def __getattr__(name: str):
    if name == "VERSION":  # asked only when needed: finding it runs the binary
        return ocr.tesseract_version() or "not installed"
    raise AttributeError(name)


def matches(probe) -> bool:
    return probe.mime in MIMES


def convert(data: bytes) -> Converted:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # our own limit, with our own message, is checked below
    try:
        image = Image.open(io.BytesIO(data))
        ocr.check_pixels(*image.size)
        image.load()
    except ConversionError:
        raise
    except Exception as error:
        raise ConversionError(f"the image is damaged and cannot be read ({error})") from error
    text = ocr.recognise(image)
    if not text.strip():
        raise ConversionError("OCR found no text in the image (is it a photo rather than a page?)")
    return Converted(text, FORMAT, NAME, ocr.tesseract_version() or "unknown", pages=1)
