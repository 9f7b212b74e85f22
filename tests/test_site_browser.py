"""A real browser on the real service: search in Chinese, follow a fact to its report, see a chart."""

import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_REPORTS, ROOT, Service, get_json

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def service(tmp_path):
    service = Service(tmp_path / "inbox", tmp_path / "reports.db")
    service.wait_until_up()
    yield service.base, service.inbox
    service.stop()


@pytest.fixture
def page():
    playwright = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def test_search_follow_a_fact_and_see_the_dashboard(service, page):
    base, inbox = service
    source = FIXTURE_REPORTS / "qingshan_2023_clean.txt"
    shutil.copy(source, inbox / source.name)
    deadline = time.monotonic() + 20
    while not get_json(f"{base}/reports/reports.json?_shape=array"):
        assert time.monotonic() < deadline, "the dropped report never appeared"
        time.sleep(0.1)

    page.goto(f"{base}/reports/reports")
    page.fill("input[name=_search]", "民生实事")
    page.press("input[name=_search]", "Enter")
    page.wait_for_load_state()
    assert "_search=" in page.url
    assert page.locator("td.col-title", has_text="凝心聚力谋发展 履职为民谱新篇").count() == 1
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    page.goto(f"{base}/reports/facts?indicator=suggestions_received")
    page.locator("table.rows-and-columns td.col-id a").first.click()
    page.wait_for_load_state()
    assert "/reports/facts/" in page.url
    page.screenshot(path=str(ARTIFACTS / "fact.png"), full_page=True)
    page.locator("a[href*='/reports/reports/']").first.click()
    page.wait_for_load_state()
    assert "/reports/reports/" in page.url
    assert page.get_by_text("青山区人大常委会").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)

    page.goto(f"{base}/-/dashboards/report-inbox")
    page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
