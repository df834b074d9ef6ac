"""What every browser flow shares: the Playwright guard, the console watcher, numbered screenshots
that refuse an unstyled page, logging staff in and out through the login page, and reading the
papers and exports a page links to.

Import it before anything else of Playwright's: when Playwright is not installed the importing
test module is skipped (under CI=true, where CI installs it, the import error is raised). The
browser itself (Debian's /usr/bin/chromium) is launched by tests/browser/conftest.py."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from tests.support.pdf import lines_of

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect
except ImportError as exc:  # the test extra is not installed; CI installs it
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip(f"Playwright is not installed (pip install -e '.[test]'): {exc}", allow_module_level=True)

PASSWORD = "Loket-uji-2018!"


class Shots:
    """Numbered screenshots: <prefix>01-<name>.png, <prefix>02-…; a run first removes its own old ones."""

    def __init__(self, folder: Path, prefix: str = ""):
        self.folder, self.prefix, self.n = folder, prefix, 0
        for old in folder.glob(f"{prefix}[0-9][0-9]-*.png"):
            old.unlink(missing_ok=True)  # another run may be tidying the same folder

    def __call__(self, page, name: str) -> Path:
        # A page without its stylesheet still passes every text check but looks broken to a
        # person (this happened while loket.css was not served outside DEBUG): refuse it.
        try:
            page.wait_for_function(
                "[...document.styleSheets].some(s => (s.href || '').includes('/static/loket/loket.css')"
                " && s.cssRules.length > 0)", timeout=5_000)
        except PlaywrightTimeout:
            pytest.fail(f"screenshot {name!r}: loket.css is not applied on {page.url}", pytrace=False)
        self.n += 1
        path = self.folder / f"{self.prefix}{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


# Reports every Content-Security-Policy violation of the page as a console error, so that a
# violation is caught even where the browser logs it only as a warning or not at all (e.g. a
# blocked inline style). Injected by Playwright, outside the page's own policy.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
                + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


class Console:
    """Everything a flow's pages report that a person would call broken: console errors, CSP
    violations and uncaught exceptions, from every page it watches. None is expected, except
    the refusals the flow provokes on purpose: ``expected`` lists them as (HTTP status, pattern
    of the URL), e.g. ``Console(expected=[(400, r"/staf/akta/baru/$")])`` for an intake form
    sent incomplete (the browser logs "Failed to load resource: … status of 400").

        console = Console()
        page = console.watch(new_context().new_page())
        …
        console.assert_clean()
    """

    def __init__(self, expected: list[tuple[int, str]] = ()):
        self.expected = [(status, re.compile(pattern)) for status, pattern in expected]
        self.problems: list[str] = []

    def _is_expected(self, text: str, url: str) -> bool:
        return "Failed to load resource" in text and any(
            f"status of {status}" in text and pattern.search(url) for status, pattern in self.expected)

    def _console(self, page, m):
        if m.type != "error":
            return
        url = (m.location or {}).get("url", "")
        if self._is_expected(m.text, url):
            return
        self.problems.append(f"{page.url}: {m.text} ({url})")

    def watch(self, page):
        """Watch ``page`` (returned, to chain with new_page())."""
        page.add_init_script(CSP_REPORTER)
        page.on("console", lambda m: self._console(page, m))
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: uncaught {e}"))
        return page

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


def login(page, username: str, password: str = PASSWORD):
    page.goto("/masuk/")
    expect(page.get_by_role("heading", name="Masuk pegawai")).to_be_visible()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("button", name=f"Keluar ({username})")).to_be_visible()


def logout(page, username: str):
    page.get_by_role("button", name=f"Keluar ({username})").click()
    expect(page.get_by_role("link", name="Masuk pegawai")).to_be_visible()


def fact(page, term: str):
    """The <dd> of a <dt> in a facts list."""
    return page.locator(f"dl.facts dt:text-is('{term}') + dd")


# --- papers and exports fetched from a page ---------------------------------------------------

def fetch_pdf(page, link_name: str) -> bytes:
    """A paper opened inline by its link: fetched with the page's session, as the browser would."""
    href = page.get_by_role("link", name=link_name, exact=True).get_attribute("href")
    r = page.request.get(href)
    assert r.status == 200, (href, r.status)
    assert r.headers["content-type"] == "application/pdf", r.headers
    body = r.body()
    assert body.startswith(b"%PDF"), (href, body[:8])
    return body


def pdf_text(data: bytes) -> str:
    return lines_of(data)


def download(link, tmp_path: Path) -> tuple[str, bytes]:
    page = link.page
    with page.expect_download() as info:
        link.click()
    d = info.value
    assert d.failure() is None, d.failure()
    path = tmp_path / d.suggested_filename
    d.save_as(path)
    return d.suggested_filename, path.read_bytes()


def xlsx_values(data: bytes) -> list:
    """Every cell value of the workbook's first sheet, after checking the file is a real XLSX."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "xl/workbook.xml" in z.namelist(), z.namelist()
        assert z.testzip() is None
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    values = [v for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if v is not None]
    wb.close()
    return values
