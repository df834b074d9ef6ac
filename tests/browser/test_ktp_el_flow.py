"""A KTP-el legalisation from intake to handover, driven through the staff and public pages
in a real (headless, system) Chromium, with a screenshot after every step.

Data is set up the way an office is: the roles, the bundled Kartoharjo 2018 standard and
three staff accounts with known passwords. Everything after that happens in the browser.
The browser's console must stay clean (no CSP violation, no script error) except for the one
unknown verification code the test looks up (HTTP 404).
Screenshots land in tests/browser/screenshots/NN-name.png (ignored by git).
"""

import re
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, expect, fact, login, logout, PASSWORD, Shots,
)

from loket.catalog.services import standard_load
from loket.dossiers.models import Dossier
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create


pytestmark = pytest.mark.django_db(transaction=True)

AGENCY = "Dinas Kependudukan dan Pencatatan Sipil Kota Madiun"
PAPERS = Path(__file__).resolve().parents[2] / "loket" / "dossiers" / "papers.py"
LEFT_OUT = "Pas Foto"  # the one requirement the applicant forgot at first

APPLICANT = {  # tests/factories.py's applicant: a woman born 5 August 1990 (NIK day 45 = 5 + 40);
    # birth date and sex are not typed: the screen reads them from the NIK
    "nik": "3577014508900001", "name": "Siti Aminah", "address": "Jl. Contoh 1", "rt_rw": "1/2",
    "phone": "081234567890",
}  # the KK number and the marital status are not asked (they may stay empty)
KK = "3577010101100002"


@pytest.fixture
def kartoharjo(transactional_db):
    """The Kartoharjo office with its 2018 standard active, and one account per role in the flow."""
    cache.clear()  # the public look-ups are rate-limited through the cache
    roles_sync()
    office = standard_load().office
    pem = Unit.objects.get(office=office, code="pemerintahan")
    for username, role, unit, full_name in [
        ("petugas", Role.FRONT_OFFICE, None, "Petugas Pelayanan"),
        ("kasi.pemerintahan", Role.KASI, pem, "Kasi Pemerintahan"),
        ("sekcam", Role.SEKCAM, None, "Sekretaris Kecamatan"),
    ]:
        staff_create(office=office, username=username, role=role, unit=unit, password=PASSWORD, full_name=full_name)
    return office


def open_from_search(page, display_code: str):
    """Find the dossier with the staff search box, as a clerk would: an exact code opens it."""
    page.get_by_placeholder("Kode / NIK / nama").fill(display_code.lower())
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("h1 .code")).to_have_text(display_code)


def test_ktp_el_from_intake_to_handover(kartoharjo, new_context, screenshots):
    shot = Shots(screenshots)
    # the one refusal the flow provokes: a verification code that matches nothing (404)
    console = Console(expected=[(404, r"/verifikasi/ZZZZZZZZZZZZ/$")])
    staff = new_context()
    page = console.watch(staff.new_page())

    # --- front office: log in ------------------------------------------------------------
    login(page, "petugas")
    expect(page).to_have_url(re.compile(r"/staf/berkas/$"))
    expect(page.get_by_role("heading", name="Berkas hari ini")).to_be_visible()
    expect(page.get_by_text("Belum ada berkas hari ini.")).to_be_visible()
    shot(page, "front-office-login")

    # --- intake: pick KTP-el ----------------------------------------------------------------
    page.locator("nav.quick-intake").get_by_role("link", name="Layanan lain…").click()
    expect(page.get_by_role("heading", name="Terima berkas: pilih layanan")).to_be_visible()
    page.get_by_label("Layanan").select_option("ktp-el")
    page.get_by_role("button", name="Lanjut").click()
    expect(page.get_by_role("heading", name="Terima berkas: KTP-el")).to_be_visible()
    expect(page.get_by_text("Diparaf oleh Kasi Pemerintahan")).to_be_visible()
    shot(page, "intake-ktp-el")

    # --- intake: applicant and checklist, all but one requirement ---------------------------
    for field, value in APPLICANT.items():
        page.locator(f"#id_{field}").fill(value)
        if field == "nik":  # leaving the NIK field: the screen shows what the NIK tells
            page.locator("#id_nik").press("Tab")
            expect(page.locator("#from-nik")).to_contain_text("Dari NIK: lahir 5 Agustus 1990")
            expect(page.locator("#from-nik")).to_contain_text("Perempuan")
    expect(page.locator("#id_birth_date")).not_to_be_visible()  # typed only under "Data NIK tidak sesuai"
    page.get_by_label("Kelurahan").select_option("35.77.01.1008")
    checklist = page.locator("#checklist")
    # decided, not ticked: the age line (from the NIK and the marital status) and the photo colour
    expect(checklist.locator(".check.decided")).to_have_count(1)
    expect(checklist.locator(".check.decided")).to_contain_text("Terpenuhi: pemohon berusia")
    expect(checklist.locator(".photo-note")).to_have_text("Latar foto harus biru: tahun lahir 1990 genap (dari NIK).")
    boxes = checklist.locator("input[name=present]")
    expect(boxes).to_have_count(4)
    # A refresh of the checklist that left before the clerk's ticks does not undo them when it
    # comes back (the request is sent, then every box ticked, in one turn of the page's script).
    page.wait_for_function("() => !document.querySelector('.htmx-request')")  # no other refresh under way
    page.evaluate("""() => {
        window.checklistSwapped = false;
        document.addEventListener("htmx:afterSettle", () => { window.checklistSwapped = true; }, {once: true});
        document.getElementById("id_marital_status").dispatchEvent(new Event("change", {bubbles: true}));
        document.querySelectorAll("#checklist input[type=checkbox]").forEach((b) => { b.checked = true; });
    }""")
    page.wait_for_function("() => window.checklistSwapped")
    expect(checklist.locator("input[type=checkbox]:not(:checked)")).to_have_count(0)
    checklist.locator("input[type=checkbox]").evaluate_all("boxes => boxes.forEach((b) => { b.checked = false; })")
    checklist.get_by_role("button", name="Lengkap semua").click()  # every line at once …
    expect(checklist.locator("input[name=present]:checked")).to_have_count(4)
    left_out = None
    for i in range(boxes.count()):  # … then the one the applicant forgot is unticked
        box = boxes.nth(i)
        label = checklist.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
        if label.startswith(LEFT_OUT):
            left_out = label
            box.uncheck()
    assert left_out, f"no requirement starting with {LEFT_OUT!r} on the checklist"
    originals = checklist.locator("input[name=original]")
    expect(originals).to_have_count(1)  # the KTP-el/KK copy: the original must be shown
    expect(originals.first).to_be_checked()
    expect(checklist.locator("input[name=present]:checked")).to_have_count(3)
    shot(page, "intake-filled")

    # Enter in a field saves and forwards (never the checklist's refresh); incomplete: asked once, nothing saved yet
    page.locator("#id_phone").press("Enter")
    confirm = page.locator("section.confirm-return")
    expect(confirm).to_contain_text("Berkas belum lengkap: simpan sebagai dikembalikan?")
    expect(confirm.locator("li")).to_have_count(1)
    expect(confirm.locator("li")).to_contain_text(LEFT_OUT)
    expect(page.locator("#id_name")).to_have_value("Siti Aminah")  # nothing typed is lost
    assert not Dossier.objects.exists()
    shot(page, "intake-confirm-return")
    confirm.get_by_role("button", name="Ya, simpan sebagai dikembalikan").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Berkas "))).to_be_visible()
    display_code = page.locator("h1 .code").inner_text()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", display_code), display_code
    code = display_code.replace("-", "")
    expect(page).to_have_url(re.compile(rf"/staf/berkas/{code}/$"))
    expect(page.locator(".messages")).to_contain_text(
        f"Berkas {display_code} belum lengkap dan dikembalikan. Cetak slip pengembalian.")
    expect(page.locator(".lead .state")).to_have_text("Dikembalikan")
    returned = page.locator("section.returned")
    expect(returned).to_contain_text("Berkas belum lengkap.")
    expect(returned.locator("li")).to_have_count(1)
    expect(returned.locator("li")).to_contain_text(LEFT_OUT)
    expect(page.locator("ul.checklist li.missing")).to_have_count(1)
    slip = page.get_by_role("link", name="Cetak slip pengembalian (PDF)")
    expect(slip).to_be_visible()
    shot(page, "returned-with-slip")

    if PAPERS.exists():
        response = page.request.get(slip.get_attribute("href"))
        assert response.status == 200, response.status
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
    # else: the papers module is not there yet; the slip link itself was checked above.

    # --- the applicant comes back with the photo: take it back complete --------------------
    resubmit = page.locator("form[action$='/resubmit/']")
    expect(resubmit.get_by_role("group", name="Diajukan kembali: centang yang sekarang lengkap")).to_be_visible()
    expect(resubmit.get_by_label(left_out)).not_to_be_checked()
    resubmit.get_by_label(left_out).check()
    expect(resubmit.locator("input[name=present]:not(:checked)")).to_have_count(0)
    expect(resubmit.locator("input[name=original]:not(:checked)")).to_have_count(0)
    # complete now: taken back and forwarded to the Kasi in one click (the form's first button)
    resubmit.get_by_role("button", name="Terima kembali & teruskan ke Kasi").click()
    expect(page.locator(".messages")).to_contain_text(f"Berkas {display_code}: Diteruskan ke Kasi.")
    expect(page.locator("ul.checklist li.missing")).to_have_count(0)
    expect(page.locator("ol.timeline")).to_contain_text("Diajukan kembali, lengkap.")
    expect(page.locator(".lead .state")).to_have_text("Diteruskan ke Kasi")
    shot(page, "forwarded-to-kasi")

    logout(page, "petugas")
    shot(page, "front-office-logged-out")

    # --- Kasi Pemerintahan: paraf from the waiting list -------------------------------------
    login(page, "kasi.pemerintahan")
    expect(page).to_have_url(re.compile(r"/staf/paraf/$"))
    expect(page.get_by_role("heading", name="Menunggu paraf — Kasi Pemerintahan")).to_be_visible()
    row = page.locator("table.worklist tbody tr", has=page.get_by_role("link", name=display_code))
    expect(row).to_contain_text("KTP-el")
    expect(row).to_contain_text("Siti Aminah")
    shot(page, "kasi-waiting-list")
    row.get_by_role("link", name=display_code).click()
    expect(page.locator(".lead .state")).to_have_text("Diteruskan ke Kasi")
    page.get_by_role("button", name="Paraf", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staf/paraf/$"))
    expect(page.locator(".messages")).to_contain_text(f"Berkas {display_code}: Diparaf.")
    expect(page.get_by_text("Tidak ada berkas yang menunggu paraf.")).to_be_visible()
    shot(page, "kasi-initialled")
    logout(page, "kasi.pemerintahan")

    # --- Sekcam: signs a.n. Camat ----------------------------------------------------------
    login(page, "sekcam")
    expect(page).to_have_url(re.compile(r"/staf/pimpinan/$"))  # the desk (issue 18): one figure links the list
    expect(page.locator("#d-waiting-signature")).to_contain_text("1")
    page.locator("#d-waiting-signature").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/staf/tanda-tangan/$"))
    expect(page.get_by_role("heading", name="Menunggu tanda tangan")).to_be_visible()
    row = page.locator("table.worklist tbody tr", has=page.get_by_role("link", name=display_code))
    expect(row).to_contain_text("Diparaf")
    shot(page, "sekcam-waiting-list")
    row.get_by_role("link", name=display_code).click()
    page.get_by_role("button", name="Tandatangani a.n. Camat").click()
    expect(page).to_have_url(re.compile(r"/staf/tanda-tangan/$"))
    expect(page.locator(".messages")).to_contain_text(f"Berkas {display_code}: Ditandatangani.")
    expect(page.get_by_text("Tidak ada berkas yang menunggu tanda tangan.")).to_be_visible()
    open_from_search(page, display_code)
    expect(page.locator(".lead .state")).to_have_text("Ditandatangani")
    expect(fact(page, "Ditandatangani")).to_have_text("Sekretaris Kecamatan a.n. Camat")
    shot(page, "sekcam-signed")
    logout(page, "sekcam")

    # --- front office: register, then hand over ----------------------------------------------
    login(page, "petugas")
    row = page.locator("table.worklist tbody tr", has=page.get_by_role("link", name=display_code))
    expect(row).to_contain_text("Ditandatangani")
    # the citizen waits: one click on the list registers and hands over (the agency from the standard)
    row.get_by_role("button", name="Register & serahkan").click()
    expect(page.locator(".messages")).to_contain_text(f"Berkas {display_code}: Diserahkan.")
    expect(page.get_by_role("heading", name="Berkas hari ini")).to_be_visible()
    row = page.locator("table.worklist tbody tr", has=page.get_by_role("link", name=display_code))
    expect(row).to_contain_text("Diserahkan")
    row.get_by_role("link", name=display_code).click()
    expect(page.locator(".lead .state")).to_have_text("Diserahkan")
    register_number = fact(page, "Nomor register").inner_text().strip()
    verification_display = fact(page, "Kode verifikasi").inner_text().strip()
    assert register_number, "no register number on the dossier page"
    assert re.fullmatch(r"([2-9A-HJ-NP-Z]{4}-){2}[2-9A-HJ-NP-Z]{4}", verification_display), verification_display
    expect(page.locator("ol.timeline")).to_contain_text(f"Nomor register {register_number}.")
    expect(page.get_by_role("link", name="Cetak label verifikasi (PDF)")).to_be_visible()
    shot(page, "registered")

    expect(fact(page, "Diteruskan ke")).to_have_text(AGENCY)
    expect(page.locator("ol.timeline > li")).to_have_count(8)
    shot(page, "handed-over")
    logout(page, "petugas")

    d = Dossier.objects.get()
    assert (d.code, d.state, d.signer_capacity) == (code, Dossier.State.HANDED_OVER, Dossier.SignerCapacity.AN_CAMAT)

    # --- anyone: public tracking and verification --------------------------------------------
    public = console.watch(new_context().new_page())
    public.goto("/lacak/")
    public.get_by_label("Kode lacak pada tanda terima").fill(display_code.lower())
    public.get_by_role("button", name="Lacak", exact=True).click()
    expect(public).to_have_url(re.compile(rf"/lacak/{code}/$"))
    expect(public.get_by_role("heading", name=display_code)).to_be_visible()
    expect(fact(public, "Status")).to_have_text("Sudah diserahkan")  # in plain words (dossiers/public.py)
    expect(fact(public, "Tahap")).to_have_text("Diserahkan")
    expect(fact(public, "Layanan")).to_contain_text("KTP-el")
    expect(fact(public, "Selesai")).to_be_visible()
    timeline = public.locator("ol.timeline > li > strong")
    expect(timeline).to_have_text([
        "Diterima", "Dikembalikan", "Diterima", "Diteruskan ke Kasi", "Diparaf", "Ditandatangani", "Diregister",
        "Diserahkan",
    ])
    expect(public.locator("ol.timeline")).to_contain_text("Yang perlu dilengkapi")
    expect(public.locator("ol.timeline")).to_contain_text(LEFT_OUT)
    body = public.locator("body").inner_text()
    for secret in ["3577014508900001", "Siti", "Aminah", "081234567890"]:
        assert secret not in body, f"{secret!r} shown on the public tracking page"
    shot(public, "public-tracking")

    response = public.goto(f"/verifikasi/{verification_display.replace('-', '')}/")
    assert response.status == 200
    # the legalisation issued at registration: its own facts, and the register line's
    expect(public.get_by_role("status")).to_have_text(
        "Naskah ini diterbitkan oleh Kecamatan Kartoharjo dan tercatat di Buku Agenda Surat Keluar.")
    expect(fact(public, "Nomor register")).to_have_text(register_number)
    expect(fact(public, "Nama pemohon")).to_have_text("S*** A*****")
    expect(fact(public, "Penandatangan")).to_contain_text("a.n. CAMAT KARTOHARJO")
    assert "Siti Aminah" not in public.locator("body").inner_text()
    shot(public, "public-verification")

    response = public.goto("/verifikasi/ZZZZZZZZZZZZ/")
    assert response.status == 404
    expect(public.get_by_role("alert")).to_contain_text("Tidak ada dokumen terdaftar dengan kode ini.")
    expect(public.locator("dl.facts")).to_have_count(0)
    shot(public, "public-verification-no-match")
    console.assert_clean()


def test_returning_citizen_taken_in_and_forwarded_in_five_inputs(kartoharjo, new_context, screenshots):
    """A citizen who had a KTP-el legalised here before comes again: after the NIK the screen
    fills in their last data, "Lengkap semua" ticks the checklist and "Simpan & teruskan ke
    Kasi" saves and forwards at once. The front office's inputs are counted: at most 5."""
    from django.contrib.auth import get_user_model

    from loket.catalog.models import Requirement
    from loket.dossiers import services

    users = {u.username: u for u in get_user_model().objects.all()}
    ids = list(Requirement.objects.filter(service__code="ktp-el", service__edition__office=kartoharjo)
               .values_list("pk", flat=True))
    earlier = services.dossier_intake(
        office=kartoharjo, service_code="ktp-el", actor=users["petugas"], present=ids, originals=ids,
        applicant={**APPLICANT, "kk_number": KK, "marital_status": "kawin", "kelurahan": "35.77.01.1008",
                   "email": "siti@example.org"})
    for act, who in [(services.dossier_forward, "petugas"), (services.dossier_initial, "kasi.pemerintahan"),
                     (services.dossier_sign, "sekcam"), (services.dossier_register, "petugas"),
                     (services.dossier_handover, "petugas")]:
        act(code=earlier.code, actor=users[who])

    shot = Shots(screenshots, prefix="returning-")
    console = Console()
    page = console.watch(new_context().new_page())
    login(page, "petugas")
    inputs = 0
    # the counter's list offers the services most asked for here: KTP-el first
    page.locator("nav.quick-intake").get_by_role("link", name="KTP-el", exact=True).click()
    inputs += 1
    expect(page.get_by_role("heading", name="Terima berkas: KTP-el")).to_be_visible()
    page.locator("#id_nik").fill(APPLICANT["nik"])
    inputs += 1
    page.locator("#id_nik").press("Tab")  # leaving the field is part of typing it
    expect(page.locator("#from-nik")).to_contain_text("Pemohon pernah mengurus berkas di kantor ini")
    for field, value in [("name", "Siti Aminah"), ("kk_number", KK), ("address", "Jl. Contoh 1"),
                         ("rt_rw", "001/002"), ("phone", "081234567890"), ("email", "siti@example.org"),
                         ("marital_status", "kawin"), ("kelurahan", "35.77.01.1008")]:
        expect(page.locator(f"#id_{field}")).to_have_value(value)
    expect(page.locator("#checklist .check.decided")).to_contain_text("Terpenuhi")
    expect(page.locator("#checklist .photo-note")).to_contain_text("biru")
    shot(page, "prefilled")
    page.locator("#checklist").get_by_role("button", name="Lengkap semua").click()
    inputs += 1
    expect(page.locator("#checklist input[type=checkbox]:not(:checked)")).to_have_count(0)
    page.get_by_role("button", name="Simpan & teruskan ke Kasi").click()
    inputs += 1
    expect(page.locator(".lead .state")).to_have_text("Diteruskan ke Kasi")
    expect(page.locator(".messages")).to_contain_text("diterima dan diteruskan ke Kasi Pemerintahan")
    shot(page, "forwarded")
    assert inputs == 4, inputs  # the goal: at most 5
    d = Dossier.objects.exclude(pk=earlier.pk).get()
    assert (d.state, d.applicant_name, d.applicant_birth_date.isoformat()) == ("forwarded", "Siti Aminah", "1990-08-05")
    console.assert_clean()
