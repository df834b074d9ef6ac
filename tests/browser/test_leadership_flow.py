"""The Camat's and the Sekcam's day with the leadership pages (issue 18), in a real (headless,
system) Chromium, with a screenshot at each main step:

1. the Camat logs in and lands on the desk (the office at a glance);
2. opens this month's Laporan kinerja pelayanan from the menu and prints it (the PDF);
3. opens the staff evaluation, the clerk's sheet for the quarter, follows a figure to the
   dossiers behind it, records an assessment and prints the signed sheet;
4. the Sekcam works through the oversight list: the complaint that names the clerk, with a
   follow-up note.

The browser's console must stay clean (no CSP violation, no script error). The dossiers are
taken in and handed over through the dossier services (their browser flow is test_ktp_el_flow.py).

Screenshots land in tests/browser/screenshots/leadership-NN-name.png (ignored by git).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, PASSWORD, Shots, expect, fetch_pdf, login, logout, pdf_text,
)

from loket.catalog.models import Edition, Requirement
from loket.catalog.services import standard_load
from loket.complaints import services as complaint_services
from loket.core import codes
from loket.dossiers import services as dossier_services
from loket.leadership.models import Assessment, FollowUp
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANT = {
    "nik": "3577014508900001", "kk_number": "", "name": "Siti Aminah", "birth_date": "1990-08-05",
    "sex": "P", "marital_status": "kawin", "address": "Jl. Contoh 1", "rt": "1", "rw": "2",
    "kelurahan": "35.77.01.1008", "phone": "081234567890", "email": "",
}


@pytest.fixture
def kartoharjo(transactional_db):
    """The Kartoharjo office with its 2018 standard; a clerk, the Kasi, the Sekcam and the Camat;
    two KTP-el dossiers handed over and one returned by the clerk; a complaint naming the clerk."""
    cache.clear()
    roles_sync()
    office = standard_load().office
    pem = Unit.objects.get(office=office, code="pemerintahan")
    for username, role, unit, full_name in [
        ("petugas", Role.FRONT_OFFICE, None, "Petugas Pelayanan"),
        ("kasi.pemerintahan", Role.KASI, pem, "Kasi Pemerintahan"),
        ("sekcam", Role.SEKCAM, None, "Sekretaris Kecamatan"),
        ("camat", Role.CAMAT, None, "Camat Kartoharjo"),
    ]:
        staff_create(office=office, username=username, role=role, unit=unit, password=PASSWORD, full_name=full_name)
    users = {u.username: u for u in get_user_model().objects.all()}
    items = list(Requirement.objects.filter(service__code="ktp-el", service__edition__office=office,
                                            service__edition__status=Edition.Status.ACTIVE).values_list("pk", flat=True))
    codes_made = []
    for _ in range(2):
        d = dossier_services.dossier_intake(office=office, service_code="ktp-el", applicant=dict(APPLICANT),
                                            actor=users["petugas"], present=items, originals=items)
        for act, who in [("forward", "petugas"), ("initial", "kasi.pemerintahan"), ("sign", "camat"),
                         ("register", "petugas"), ("handover", "petugas")]:
            getattr(dossier_services, f"dossier_{act}")(code=d.code, actor=users[who])
        codes_made.append(d.code)
    back = dossier_services.dossier_intake(office=office, service_code="ktp-el", applicant=dict(APPLICANT),
                                           actor=users["petugas"], present=[], originals=[])
    complaint = complaint_services.complaint_record(office=office, actor=users["kasi.pemerintahan"], data={
        "kind": "pengaduan", "channel": "tatap_muka", "name": "Budi", "phone": "081234567890", "reply_via": "telepon",
        "subject": "Petugas kurang ramah", "text": "Petugas loket kurang ramah ketika saya bertanya persyaratan.",
        "staff_named": str(users["petugas"].pk)})
    return {"office": office, "users": users, "handed_over": codes_made, "returned": back.code,
            "complaint": complaint.code}


def test_the_camat_and_the_sekcam_at_their_desks(new_context, screenshots, kartoharjo):
    shot = Shots(screenshots, "leadership-")
    console = Console()
    page = console.watch(new_context().new_page())

    # 1. The Camat lands on the desk.
    login(page, "camat")
    expect(page.get_by_role("heading", name="Ringkasan Kecamatan Kartoharjo")).to_be_visible()
    shot(page, "desk")

    # 2. The month's report, from the menu, and its PDF.
    page.get_by_role("link", name="Kinerja pelayanan", exact=True).click()
    expect(page.get_by_role("heading", name="Laporan kinerja pelayanan")).to_be_visible()
    expect(page.locator("#k-received")).to_have_text("3")   # two handed over, one returned (all taken in)
    expect(page.locator("#k-completed")).to_have_text("2")
    shot(page, "report")
    text = pdf_text(fetch_pdf(page, "Unduh PDF"))
    assert "LAPORAN KINERJA PELAYANAN" in text and "CAMAT KARTOHARJO" in text

    # 3. The clerk's evaluation sheet for the quarter (the default period).
    page.get_by_role("link", name="Evaluasi pelaksana", exact=True).click()
    expect(page.get_by_role("heading", name="Evaluasi kinerja pelaksana")).to_be_visible()
    expect(page.locator("#e-people")).not_to_contain_text("Camat Kartoharjo")  # not his own
    shot(page, "evaluation-list")
    page.get_by_role("link", name="Petugas Pelayanan").click()
    expect(page.get_by_role("heading", name="Petugas Pelayanan")).to_be_visible()
    taken_in = page.locator("#e-line-taken_in")
    expect(taken_in.locator("td").first).to_have_text("3")
    expect(page.locator("#e-line-returns td").first).to_have_text("1")
    shot(page, "evaluation-sheet")
    # the figure traced to the dossiers behind it
    page.locator("#e-line-returns").get_by_role("link", name="berkas").click()
    expect(page.get_by_role("heading", name="Pengembalian berkas")).to_be_visible()
    expect(page.locator("#e-trail")).to_contain_text(codes.display(kartoharjo["returned"]))
    shot(page, "evaluation-trail")
    page.go_back()
    # an assessment: an empty one is refused, then a real one is recorded
    page.get_by_role("button", name="Catat penilaian").click()  # the browser's own check stops it
    assert Assessment.objects.count() == 0
    page.locator("#aspek-0").select_option("baik")
    page.get_by_label("Penilaian", exact=True).fill("Teliti memeriksa berkas; perlu lebih ramah saat menjelaskan.")
    page.get_by_label("Tindak lanjut yang disepakati").fill("Pendampingan oleh Kasi Pemerintahan selama sebulan.")
    page.get_by_role("button", name="Catat penilaian").click()
    expect(page.get_by_text("dicatat.", exact=False).first).to_be_visible()
    expect(page.locator("#penilaian")).to_contain_text("Pendampingan oleh Kasi Pemerintahan")
    shot(page, "evaluation-assessed")
    sheet = pdf_text(fetch_pdf(page, "Cetak lembar evaluasi (PDF)"))
    for expected in ("LEMBAR EVALUASI KINERJA PELAKSANA", "Petugas Pelayanan", "Pejabat penilai",
                     "Pegawai yang dinilai", "Teliti memeriksa berkas"):
        assert expected in sheet, expected
    assert Assessment.objects.get().evaluator.username == "camat"
    logout(page, "camat")

    # 4. The Sekcam's oversight list: the complaint that names the clerk.
    login(page, "sekcam")
    page.get_by_role("link", name="Pengawasan", exact=True).click()
    expect(page.get_by_role("heading", name="Pengawasan internal")).to_be_visible()
    item = page.locator(f"#complaint{kartoharjo['complaint']}")
    expect(item).to_contain_text("Pegawai yang diadukan: Petugas Pelayanan")
    item.get_by_label("Status").select_option("ditindaklanjuti")
    item.get_by_label("Catatan tindak lanjut").fill("Dibicarakan dengan petugas; dicatat di lembar evaluasinya.")
    item.get_by_role("button", name="Catat tindak lanjut").click()
    expect(page.get_by_text("Tindak lanjut dicatat.")).to_be_visible()
    shot(page, "oversight")
    assert FollowUp.objects.get().key == f"complaint:{kartoharjo['complaint']}"
    console.assert_clean()
