"""Browser tests: Debian's chromium driven by Playwright against a real waitress server."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
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
# The language chromium's own parts (date fields, validation messages) speak, as on a Chinese desktop;
# it takes effect where Debian's chromium-l10n is installed.
CHROMIUM_ENV = {**os.environ, "LANGUAGE": "zh_CN"}
CHINESE_UI = Path("/usr/lib/chromium/locales/zh-CN.pak")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOAD_FAILED = "Failed to load resource: the server responded with a status of"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
REFRESH = "REFRESH_SCREENSHOTS"  # =1: the screenshot test rewrites the README's pictures instead of comparing
MISSING = ("the browser tests need Debian's chromium and a CJK font: "
           "apt-get install chromium fonts-wqy-microhei (or run `make test` as root)")
# The widths every page is checked at: a desktop window and a phone.
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def browser():
    """One chromium for the whole session."""
    if not CHROMIUM.exists() or not has_cjk_font():
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=CHROMIUM_ENV)
        yield chromium
        chromium.close()


@contextmanager
def serving(index_dir: Path):
    """A waitress server on a free localhost port serving an index; its URL."""
    import waitress

    from web import create_app

    app = create_app({"TESTING": True, "INDEX": str(index_dir)})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def server_url(bundled_index):
    """A server of the bundled corpus's index."""
    with serving(bundled_index) as url:
        yield url


@contextmanager
def open_page(browser, server_url: str, viewport: dict, **options):
    """A fresh Chinese-locale page; any console error or CSP violation fails the test."""
    context = browser.new_context(locale="zh-CN", base_url=server_url, viewport=viewport, **options)
    page = context.new_page()
    page.set_default_timeout(5000)
    problems: list[str] = []

    def console(message) -> None:
        # A page answering 404 or 400 is logged as a failed load of itself: that one is expected.
        if message.type == "error" and not (message.text.startswith(LOAD_FAILED)
                                            and message.location.get("url") == page.url):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert problems == []


@pytest.fixture()
def page(browser, server_url):
    """A page of the bundled corpus's server, 1200 pixels wide."""
    with open_page(browser, server_url, {"width": 1200, "height": 900}) as page:
        yield page


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, browser, server_url):
    """A page of the bundled corpus's server at each of WIDTHS (desktop, mobile)."""
    with open_page(browser, server_url, WIDTHS[request.param]) as page:
        yield page


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
def screenshots(tmp_path_factory):
    """Where screenshots are taken to: a temporary directory, or the README's when REFRESH_SCREENSHOTS=1."""
    if os.environ.get(REFRESH) == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


# Two images drawn on canvases in a blank page: the share of pixels whose colour differs by more
# than a rendering's anti-aliasing does (any channel by more than 48 of 255), or -1 if their sizes differ.
_DIFFERENCE = """async ([a, b]) => {
  const load = src => new Promise((ok, fail) => { const i = new Image(); i.onload = () => ok(i); i.onerror = fail; i.src = src; });
  const [x, y] = await Promise.all([load(a), load(b)]);
  if (x.width !== y.width || x.height !== y.height) return -1;
  const pixels = image => {
    const canvas = document.createElement("canvas");
    canvas.width = image.width; canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  };
  const p = pixels(x), q = pixels(y);
  let differ = 0;
  for (let i = 0; i < p.length; i += 4) {
    if (Math.abs(p[i] - q[i]) > 48 || Math.abs(p[i + 1] - q[i + 1]) > 48 || Math.abs(p[i + 2] - q[i + 2]) > 48) differ++;
  }
  return differ / (p.length / 4);
}"""


@pytest.fixture()
def image_difference(browser):
    """The share of pixels two PNG files differ in (-1: different sizes), compared in the browser."""
    def compare(first: Path, second: Path) -> float:
        context = browser.new_context()
        try:
            blank = context.new_page()
            urls = ["data:image/png;base64," + base64.b64encode(path.read_bytes()).decode() for path in (first, second)]
            return blank.evaluate(_DIFFERENCE, urls)
        finally:
            context.close()

    return compare


def has_cjk_font() -> bool:
    """Whether fontconfig knows a Chinese font, so pages show glyphs rather than boxes."""
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(listing.stdout.strip())
