"""The service's page at ``/`` in a real browser: paste an article, see the report.

Headless Chromium from Debian's ``chromium`` package, driven by Playwright (``.ci/run`` installs
it); the page talks to a real ``verifier serve`` on a loopback port.
"""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.paths import SEED_000
from tests.helpers.service import Server

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")
KEY = "browser-test-key-7"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-service")
    s = Server(tmp, VERIFIER_API_KEYS=KEY)
    try:
        s.wait_ready()
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def test_pasting_an_article_shows_its_report_with_exact_highlights(server, page):
    text = SEED_000.read_text("utf-8")
    page.goto(server.url + "/")
    page.fill("#key", KEY)
    page.fill("#text", text)
    page.click("#go")
    frame_element = page.wait_for_selector("#report:not([hidden])", timeout=60_000)
    frame = frame_element.content_frame()
    frame.wait_for_selector("[data-start]", timeout=30_000)
    marks = frame.eval_on_selector_all(
        "[data-start]", "els => els.map(e => [+e.dataset.start, +e.dataset.end, e.textContent])")
    assert len(marks) >= 5
    assert all(text[start:end] == shown for start, end, shown in marks)
    assert page.inner_text("#status") == ""


def test_the_page_reports_a_missing_key_and_an_empty_paste(server, page):
    page.goto(server.url + "/")
    page.click("#go")
    assert "Paste a text" in page.inner_text("#status")
    page.fill("#text", "Le maire a dit qu'il viendrait.")
    page.fill("#key", "")
    page.click("#go")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('401')", timeout=10_000)
    assert "API key" in page.inner_text("#status")
