"""What every browser test does: numbered screenshots that refuse an unstyled page, and
logging staff in and out through the login page. Imported after the test's own Playwright
guard (the module skips when Playwright is not installed)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

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
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


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
