"""Every public page fits a phone: at 360 and 390 px wide no page scrolls sideways
(document.documentElement.scrollWidth <= clientWidth), and no page logs an error.

The pages: the office's home, the service list (with a search), each of the 18 services of the
bundled Kartoharjo 2018 standard, dossier tracking (form and one dossier), verification, the SKM
form of a handed-over dossier, the complaint form and a complaint's tracking, the hall's public
availability, the public IKM board, the list of offices and the staff login.

The world (the standard, one account per role, one dossier handed over, one complaint) is built
once: the live server needs a transactional database, emptied after each test, so the module is
one test that visits every page at both widths and reports every page that overflows at once.
"""

import pytest

from tests.support.browser import Console, expect  # first: skips the module when Playwright is not installed

from loket.catalog.models import Requirement, ServiceType
from loket.catalog.services import standard_load
from loket.complaints import services as complaint_services
from loket.dossiers import services as dossier_services
from loket.dossiers.models import Dossier
from loket.offices.services import roles_sync
from loket.rentals.services import venues_default_create
from loket.surveys import services as survey_services
from loket.surveys.periods import Period

from tests.conftest import people_make
from tests.factories import applicant_data
from tests.support.surveys import import_lines, line

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (360, 390)

# What overflows: the widest elements whose right edge passes the viewport, for the failure message.
OVERFLOW = """() => {
  const root = document.documentElement, w = root.clientWidth;
  if (root.scrollWidth <= w) return null;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > w + 0.5)
    .filter(e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return false; } return true; })
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w + 0.5))
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : ''}`
              + ` (${Math.round(e.getBoundingClientRect().right)}px): ${(e.textContent || '').trim().slice(0, 50)}`);
  return {scroll: root.scrollWidth, client: w, wide};
}"""


def world():
    """The office as `loket setup` leaves it, a dossier handed over, a complaint filed, IKM published."""
    roles_sync()
    office = standard_load().office
    venues_default_create(office=office)
    people = people_make(office)
    items = list(Requirement.objects.filter(service__code="pindah", service__edition__office=office)
                 .values_list("pk", flat=True))
    d = dossier_services.dossier_intake(
        office=office, service_code="pindah", actor=people["front"], present=items, originals=items,
        applicant=applicant_data(kelurahan="35.77.01.1008",
                                 address="Jalan Panglima Sudirman Gang Melati Nomor 123A Kelurahan Kartoharjo"))
    for act, role in [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front"),
                      ("handover", "front")]:
        getattr(dossier_services, f"dossier_{act}")(code=d.code, actor=people[role])
    d = Dossier.objects.get(pk=d.pk)
    complaint = complaint_services.complaint_file_public(office=office, data={
        "kind": "pengaduan", "name": "Budi Santoso", "phone": "081234567890", "reply_via": "whatsapp",
        "subject": "Antrean loket KTP-el", "text": "Antrean di loket KTP-el sangat panjang setiap Senin pagi "
        "https://contoh.example/sebuah/alamat/yang/sangat/panjang/tanpa/spasi/sama/sekali/0123456789",
    })
    # the public IKM board with two publications (the latest and an earlier one)
    import_lines(office, people["front"], [
        line([4] * 9, "2025-02-10", "ktp-el"), line([3] * 9, "2025-08-10", "penelitian"),
        line([2] * 9, "2025-09-10", "legalisasi-umum"), line([3] * 9, "2025-10-10", ""),
    ])
    survey_services.publication_publish(office=office, actor=people["camat"], period=Period("semester", 2025, 1))
    survey_services.publication_publish(office=office, actor=people["camat"], period=Period("semester", 2025, 2))
    codes = list(ServiceType.objects.filter(edition__office=office).order_by("number").values_list("code", flat=True))
    assert len(codes) == 18
    slug = office.slug
    return [
        "/?semua=1", f"/{slug}/", f"/{slug}/layanan/", f"/{slug}/layanan/?q=akte",
        *[f"/{slug}/layanan/{code}/" for code in codes],
        "/lacak/", f"/lacak/{d.code}/", f"/verifikasi/{d.verification_code}/", f"/skm/{d.code}/",
        f"/{slug}/pengaduan/", "/pengaduan/lacak/", f"/pengaduan/lacak/{complaint.code}/",
        f"/{slug}/gedung/", f"/{slug}/ikm/", "/masuk/",
    ]


def test_no_public_page_scrolls_sideways_on_a_phone(browser, live_server, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    paths = world()
    console = Console()
    wide: list[str] = []
    for width in WIDTHS:
        ctx = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 800},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
        try:
            page = console.watch(ctx.new_page())
            for path in paths:
                response = page.goto(path)
                assert response is not None and response.status == 200, (path, response and response.status)
                expect(page.locator("main, body").first).to_be_visible()
                if path.endswith("/ikm/"):  # the board with its tables, not the empty one
                    expect(page.get_by_role("heading", name="Nilai per unsur pelayanan")).to_be_visible()
                overflow = page.evaluate(OVERFLOW)
                if overflow:
                    wide.append(f"{width}px {path}: scrollWidth {overflow['scroll']} > {overflow['client']}; "
                                + " | ".join(overflow["wide"]))
        finally:
            ctx.close()
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)
    console.assert_clean()
