"""Optical character recognition with Debian's Tesseract and its Simplified Chinese model.

The model ships in the ``tesseract-ocr-chi-sim`` package (the Makefile installs it with
``tesseract-ocr``); nothing is downloaded at run time. Without it, scans fail with a reason
saying how to enable OCR.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess

from watcher.convert.base import MAX_PIXELS, OCR_SECONDS, ConversionError

LANGUAGES = "chi_sim"  # its model reads digits and Latin letters too; adding eng doubles the time
SMALL = 1600  # images narrower than this (screenshots, low-dpi scans) are enlarged twofold first
HOW_TO_ENABLE = (
    "OCR is not installed, so scanned pages cannot be read: install the Debian packages "
    "tesseract-ocr and tesseract-ocr-chi-sim (as root: `make ocr`, or "
    "`apt-get install tesseract-ocr tesseract-ocr-chi-sim`), then drop the file in again"
)


@functools.cache
def tesseract_version() -> str | None:
    """The installed Tesseract's version, or None when it (or its Chinese model) is missing."""
    binary = shutil.which("tesseract")
    if not binary:
        return None
    try:
        languages = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
        version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    if "chi_sim" not in languages.split():
        return None
    return version.split()[1] if version.split()[1:] else "unknown"


def check_pixels(width: int, height: int, what: str = "the image") -> None:
    if width * height > MAX_PIXELS:
        raise ConversionError(
            f"{what} is {width}×{height} pixels, over the limit of {MAX_PIXELS:,}: "
            "scale it down (300 dpi is plenty for OCR) and drop it in again"
        )


def recognise(image) -> str:
    """Text of a PIL image, one line per printed line, blank lines between blocks."""
    if tesseract_version() is None:
        raise ConversionError(HOW_TO_ENABLE)
    check_pixels(*image.size)
    image = image.convert("L")
    if image.width < SMALL and image.width * image.height * 4 <= MAX_PIXELS:
        from PIL import Image

        image = image.resize((image.width * 2, image.height * 2), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGUAGES, "--psm", "3"],
            input=buffer.getvalue(), capture_output=True, timeout=OCR_SECONDS,
            # one thread per page: OpenMP threads only contend with the pipeline's own workers
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as error:
        raise ConversionError(f"OCR took longer than {OCR_SECONDS} s on one page and was stopped") from error
    if result.returncode != 0:
        raise ConversionError(f"OCR failed: {result.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return result.stdout.decode("utf-8", "replace")
