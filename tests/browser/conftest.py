"""Browser tests: Playwright's sync API driving the system Chromium against pytest-django's
live server.

The browser is Debian's ``chromium`` package at /usr/bin/chromium; Playwright's own browser
downloads are never used. Without that binary the browser tests are skipped, except under
CI=true, where CI's scripts install it and its absence is an error.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test's thread; Django then refuses
# ORM calls from that thread unless told that this is deliberate (the calls are not async).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def browser():
    """One headless system Chromium for the whole run."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} not found: browser tests need Debian's chromium package "
            "(apt-get install -y chromium); Playwright's own browsers are not used."
        )
        if _in_ci():
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # the test extra was not installed
        if _in_ci():
            pytest.fail(f"CI=true but Playwright is not installed: {exc}", pytrace=False)
        pytest.skip(f"Playwright is not installed (pip install -e '.[test]'): {exc}")

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.fixture
def screenshots():
    """Folder for this run's screenshots (ignored by git)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def new_context(browser, live_server, settings):
    """Factory of fresh browser contexts (own cookies: one per person at the counter) on the live server."""
    # The live server speaks plain HTTP; cookies marked Secure would depend on the browser's
    # exceptions for localhost. The live server thread shares these settings.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    made = []

    def make():
        ctx = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(TIMEOUT_MS)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()
