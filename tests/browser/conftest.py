"""Browser tests: Debian's chromium driven by Playwright against a real waitress server."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MISSING = ("the browser tests need Debian's chromium and a CJK font: "
           "apt-get install chromium fonts-wqy-microhei (or run `make test` as root)")


@pytest.fixture(scope="session")
def browser():
    """One chromium for the whole session."""
    if not CHROMIUM.exists() or not has_cjk_font():
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server_url(bundled_index):
    """A waitress server on a free localhost port, serving the bundled corpus's index."""
    import waitress

    from web import create_app

    app = create_app({"TESTING": True, "INDEX": str(bundled_index)})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture()
def page(browser, server_url):
    """A fresh Chinese-locale page; any console error or CSP violation fails the test."""
    context = browser.new_context(locale="zh-CN", base_url=server_url,
                                  viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert problems == []


@pytest.fixture()
def outside_requests(page):
    """The URLs page tried to fetch from anywhere but this machine; each was aborted, so a test asserts none."""
    sent: list[str] = []

    def handle(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            sent.append(route.request.url)
            route.abort()

    page.context.route("**/*", handle)
    return sent


@pytest.fixture(scope="session")
def screenshots():
    """The directory screenshots are saved in (the README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def has_cjk_font() -> bool:
    """Whether fontconfig knows a Chinese font, so pages show glyphs rather than boxes."""
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(listing.stdout.strip())
