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


def test_researchers_walk(service, page, tmp_path):
    """Drop the reports; see the inspected laws, a place's indicator charts, a report's facts with
    marked evidence, site-wide search results; download the database and open it."""
    import sqlite3
    from urllib.parse import quote

    from conftest import sample_files

    base, inbox = service
    # the real samples when they are beside the checkout, and always our own fixture reports
    files = sample_files() + sorted(FIXTURE_REPORTS.glob("*.txt"))
    for source in files:
        shutil.copy(source, inbox / source.name)
    deadline = time.monotonic() + 60
    while len(get_json(f"{base}/reports/documents.json?_shape=array&_col=filename")) < len(files):
        assert time.monotonic() < deadline, "the dropped reports never all appeared"
        time.sleep(0.2)

    page.goto(f"{base}/reports/laws_inspected")
    laws = page.locator("table.rows-and-columns td.col-title")
    assert laws.count() >= 1, "no inspected law"
    assert all(text.strip() for text in laws.all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "walk-1-laws-inspected.png"), full_page=True)

    page.goto(f"{base}/reports/reports")
    page.locator("table.rows-and-columns td.col-district a").first.click()
    page.wait_for_load_state()
    assert "/-/place/" in page.url
    page.wait_for_selector("svg.chart circle")
    assert page.locator("figure.indicator-chart").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "walk-2-place.png"), full_page=True)

    page.locator("table.rows-and-columns a[href^='/-/report/']").first.click()
    page.wait_for_load_state()
    assert "/-/report/" in page.url
    marked = page.locator("table.site-facts td.evidence mark")
    assert marked.count() >= 3 and marked.first.is_visible()
    first_value = page.locator("table.site-facts td.num").first.inner_text()
    assert first_value and ".0" not in first_value
    page.screenshot(path=str(ARTIFACTS / "walk-3-report.png"), full_page=True)

    page.goto(f"{base}/-/search?q={quote('民生实事')}")
    page.wait_for_selector("ol.search-hits li", timeout=20_000)
    hits = page.locator("ol.search-hits li")
    assert hits.count() >= 1
    assert hits.first.locator("a").inner_text().strip()  # a title
    assert hits.first.locator("mark", has_text="民生实事").count() >= 1  # an excerpt with the hit marked
    page.screenshot(path=str(ARTIFACTS / "walk-4-search.png"), full_page=True)

    page.goto(f"{base}/")
    with page.expect_download() as download_info:
        page.locator("a[href='/-/download']").first.click()
    saved = tmp_path / "downloaded.db"
    download_info.value.save_as(saved)
    if shutil.which("sqlite3"):  # the command-line shell a reader would open it with
        import subprocess

        shell = subprocess.run(["sqlite3", str(saved), "select count(*) from documents"], capture_output=True, text=True)
        assert shell.stdout.strip() == str(len(files)), shell.stderr
    conn = sqlite3.connect(saved)
    assert conn.execute("select count(*) from documents").fetchone()[0] == len(files)
    assert conn.execute("select count(*) from facts where indicator is not null").fetchone()[0] > 0
    conn.close()
    page.screenshot(path=str(ARTIFACTS / "walk-5-home.png"), full_page=True)
