"""A newspaper PDF dropped into the inbox of the running service shows up as a report on the site."""

import time

import pytest

from conftest import FIXTURE_REPORTS, ROOT, Service, get_json
from render import CHROMIUM, write_pdf

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


def test_dropped_pdf_is_found_on_the_site(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    rendered = write_pdf((FIXTURE_REPORTS / "qingshan_2023_clean.txt").read_text(encoding="utf-8"),
                         tmp_path / "qingshan-epaper.pdf")
    service = Service(tmp_path / "inbox", tmp_path / "reports.db")
    try:
        service.wait_until_up()
        partial = service.inbox / "qingshan-epaper.pdf.part"
        partial.write_bytes(rendered.read_bytes())
        partial.rename(service.inbox / "qingshan-epaper.pdf")
        deadline = time.monotonic() + 60
        while not get_json(f"{service.base}/reports/reports.json?_shape=array"):
            assert time.monotonic() < deadline, "the dropped PDF never became a report"
            time.sleep(0.2)
        ARTIFACTS.mkdir(exist_ok=True)
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{service.base}/reports/documents?format=pdf")
            assert page.locator("td.col-filename", has_text="qingshan-epaper.pdf").count() == 1
            assert page.locator("td.col-converter", has_text="pdfminer.six").count() == 1
            page.goto(f"{service.base}/reports/reports")
            page.fill("input[name=_search]", "民生实事")
            page.press("input[name=_search]", "Enter")
            page.wait_for_load_state()
            row = page.locator("tr", has=page.locator("td.col-title", has_text="凝心聚力谋发展"))
            assert row.count() == 1
            assert row.locator("td.col-district", has_text="青山区").count() == 1
            assert row.locator("td.col-year", has_text="2023").count() == 1
            page.screenshot(path=str(ARTIFACTS / "pdf-report.png"), full_page=True)
            browser.close()
    finally:
        assert service.stop() == 0
    assert (service.inbox / "processed" / "qingshan-epaper.pdf").exists()
