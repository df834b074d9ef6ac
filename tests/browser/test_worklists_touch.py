"""The Kasi's paraf list and the signer's list on a tablet (768 px) and a phone (390 px), in the
system Chromium: nothing scrolls sideways, everything a finger taps is at least 44 px, "Pilih
semua" ticks every row (loket/worklists.js, no inline script: the console stays clean of CSP
violations) and one submit initials or signs them all."""

import pytest
from django.core.cache import cache

from tests.support.browser import Console, Shots, expect, login  # first: skips without Playwright

from loket.catalog.services import standard_load
from loket.dossiers import services
from loket.dossiers.models import Dossier
from loket.offices.services import roles_sync
from tests.conftest import MINI_STANDARD, people_make
from tests.factories import applicant_data

pytestmark = pytest.mark.django_db(transaction=True)

S = Dossier.State
PASSWORD = "x-Pass-12345"  # tests/conftest.py people_make
LONG_NAME = "Raden Ajeng Siti Aminah Kusumawardhani Purbaningrum Hadiningrat"
VIEWPORTS = {"tablet": {"width": 768, "height": 1024}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def waiting(transactional_db):
    """Three dossiers forwarded to the Kasi of Pemerintahan, with a long applicant name."""
    cache.clear()
    roles_sync()
    office = standard_load(path=MINI_STANDARD).office
    people = people_make(office)
    from loket.catalog.models import Requirement

    items = list(Requirement.objects.filter(service__code="pindah", service__edition__office=office)
                 .values_list("pk", flat=True))
    made = []
    for _ in range(3):
        d = services.dossier_intake(office=office, service_code="pindah", actor=people["front"], present=items,
                                    originals=items, applicant=applicant_data(name=LONG_NAME))
        services.dossier_forward(code=d.code, actor=people["front"])
        made.append(d)
    return made


def _fits_and_taps(page):
    """No sideways scroll; every checkbox, the select-all and the submit at least 44 × 44 px."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"scrolls sideways by {overflow} px"
    small = page.evaluate("""() => [...document.querySelectorAll(
            'form[data-worklist] input[type=checkbox], .pick-all label, .worklist-submit button')]
        .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([h, r]) => `${h}: ${Math.round(r.width)}×${Math.round(r.height)}`)""")
    assert not small, small


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_kasi_and_signer_lists_on_a_touch_screen(device, waiting, browser, live_server, settings, screenshots):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    console = Console()
    ctx = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=VIEWPORTS[device],
                              has_touch=True, is_mobile=device == "phone")
    try:
        page = console.watch(ctx.new_page())
        shot = Shots(screenshots, prefix=f"worklists-{device}-")

        login(page, "kasi.pem", PASSWORD)
        expect(page.get_by_role("heading", name="Menunggu paraf — Kasi Pemerintahan")).to_be_visible()
        pick_all = page.get_by_label("Pilih semua")
        expect(pick_all).to_be_visible()  # shown by the script
        _fits_and_taps(page)
        shot(page, "kasi-list")
        pick_all.check()
        for d in waiting:
            expect(page.locator(f'input[name="code"][value="{d.code}"]')).to_be_checked()
        page.get_by_role("button", name="Paraf yang dipilih").click()
        expect(page.locator(".messages")).to_contain_text("3 berkas diparaf.")
        expect(page.get_by_text("Tidak ada berkas yang menunggu paraf.")).to_be_visible()
        assert set(Dossier.objects.values_list("state", flat=True)) == {S.INITIALLED}
        page.get_by_role("button", name="Keluar (kasi.pem)").click()

        login(page, "sekcam", PASSWORD)
        page.locator("#d-waiting-signature").get_by_role("link").click()  # from the desk (issue 18)
        expect(page.get_by_role("heading", name="Menunggu tanda tangan")).to_be_visible()
        _fits_and_taps(page)
        shot(page, "signature-list")
        page.get_by_label("Pilih semua").check()
        page.locator(f'input[name="code"][value="{waiting[1].code}"]').uncheck()  # one left for later
        expect(page.get_by_label("Pilih semua")).not_to_be_checked()
        page.get_by_role("button", name="Tandatangani berkas terpilih").click()
        expect(page.locator(".messages")).to_contain_text("2 berkas ditandatangani.")
        states = dict(Dossier.objects.values_list("code", "state"))
        assert states == {waiting[0].code: S.SIGNED, waiting[1].code: S.INITIALLED, waiting[2].code: S.SIGNED}
        _fits_and_taps(page)
        shot(page, "signature-signed")
        console.assert_clean()
    finally:
        ctx.close()
