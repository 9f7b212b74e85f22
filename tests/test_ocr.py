"""Scans: a page we render ourselves, screenshotted, read back by OCR."""

import io
import re

import pytest

from conftest import FIXTURE_REPORTS
from render import CHROMIUM, paragraphs, scan_html, screenshot
from watcher.convert import ConversionError, ocr, read_document

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(ocr.tesseract_version() is None, reason="tesseract-ocr-chi-sim is not installed"),
]
PAGE = paragraphs((FIXTURE_REPORTS / "qingshan_2023_clean.txt").read_text(encoding="utf-8"))[:8]


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def character_error_rate(found: str, truth: str) -> float:
    def squeeze(s):
        return re.sub(r"\s", "", s.replace('"', "“"))

    return edit_distance(squeeze(found), squeeze(truth)) / len(squeeze(truth))


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    return screenshot(scan_html(PAGE), tmp_path_factory.mktemp("scan") / "page.png", 1000, 1400).read_bytes()


def test_screenshot_is_read_with_few_errors_and_its_figures_found(scan):
    converted = read_document(scan, "page.png")
    assert converted.format == "image" and converted.converter == "tesseract"
    cer = character_error_rate(converted.text, "".join(PAGE))
    print(f"character error rate {cer:.2%}")
    assert cer < 0.06
    for figure in ("党组会议16次", "主任会议18次", "常委会会议11次", "48人次"):
        assert figure in converted.text


def test_pdf_without_a_text_layer_is_read_by_ocr(scan, tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(scan)).convert("RGB").save(buffer, format="PDF", resolution=150)
    converted = read_document(buffer.getvalue(), "scanned.pdf")
    assert converted.format == "pdf" and converted.converter == "pdfminer.six+tesseract"
    assert "常委会会议11次" in converted.text


def test_image_without_text_fails_with_a_reason():
    from PIL import Image, ImageDraw

    image = Image.new("L", (800, 600), "white")
    ImageDraw.Draw(image).ellipse((200, 150, 600, 450), fill="grey")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    with pytest.raises(ConversionError, match="no text"):
        read_document(buffer.getvalue(), "photo.png")
