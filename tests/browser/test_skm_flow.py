"""The SKM (Survei Kepuasan Masyarakat, Permenpan RB 14/2017) end to end, driven through the
public and staff pages in a real (headless, system) Chromium, with a screenshot at each main step:

1. a citizen whose dossier was handed over answers on a phone, from the receipt's QR;
2. respondents answer on the kiosk, a tablet at the counter opened by the front office;
3. the front office imports last year's paper forms (a bad file first, then the shipped example);
4. the Camat reads the report of 2025, downloads it (PDF, XLSX; the semester PDF too) and
   publishes it;
5. the current semester's report counts the phone and kiosk responses;
6. anyone reads the published result on the public board.

The staff reach the kiosk and the import from the SKM report's links (staff menu "SKM").
The browser's console must stay clean (no CSP violation, no script error).

Data is set up the way ``loket setup`` sets up an office: the roles, the bundled Kartoharjo
2018 standard and one staff account per role in the flow. The one dossier is taken in and
handed over through the dossier services (its browser flow is test_ktp_el_flow.py).

Screenshots land in tests/browser/screenshots/skm-NN-name.png (ignored by git).
"""

import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, expect, fact, login, logout, PASSWORD, Shots,
)

from loket.catalog.models import Edition, Requirement
from loket.catalog.services import standard_load
from loket.complaints import spam
from loket.core import codes
from loket.dossiers import services as dossier_services
from loket.dossiers.models import Dossier
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.surveys.ikm import ELEMENTS
from loket.surveys.models import Publication, Response

from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "skm-kuesioner-kertas-2025.csv"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}

APPLICANT = {  # as in test_ktp_el_flow.py: a woman born 5 August 1990 in Kelurahan Kartoharjo
    "nik": "3577014508900001", "kk_number": "3577010101100002", "name": "Siti Aminah", "birth_date": "1990-08-05",
    "sex": "P", "marital_status": "kawin", "address": "Jl. Contoh 1", "rt": "1", "rw": "2",
    "kelurahan": "35.77.01.1008", "phone": "081234567890", "email": "",
}
KTP_EL = "LEGALISASI PELAYANAN PENGURUSAN KTP-Elektronik (KTP-el)"
KK = "LEGALISASI PELAYANAN PENGURUSAN KARTU KELUARGA (KK) BARU/ PERUBAHAN KARTU KELUARGA"

# Answers 1–4 by element key; None: the element is skipped.
PHONE_ANSWERS = dict(zip([k for k, _n, _l in ELEMENTS], [4, 3, 3, 4, 3, 4, 4, 3, 3]))
KIOSK_FIRST = dict(zip([k for k, _n, _l in ELEMENTS], [3, 3, 2, 4, 3, 3, 4, 2, 3]))
KIOSK_SECOND = dict(zip([k for k, _n, _l in ELEMENTS], [4, 4, 4, 4, None, 4, 4, None, 4]))

BAD_CSV = (
    "persyaratan,prosedur,waktu,biaya,produk,kompetensi,perilaku,pengaduan,sarana,tanggal,layanan\n"
    "4,3,3,4,3,4,4,3,3,2025-03-03,ktp-el\n"
    "3,3,3,4,3,3,3,3,3,2025-03-04,kk\n"
    "4,4,5,4,4,4,4,4,4,2025-03-05,pindah\n"
)


@pytest.fixture
def kartoharjo(transactional_db, monkeypatch):
    """The Kartoharjo office with its 2018 standard active, and one account per role in the flow."""
    cache.clear()  # the public form is rate-limited through the cache
    # The live server is a thread of this process: the form's minimum fill-in time (a spam
    # check) is switched off here instead of waiting in the test.
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)
    roles_sync()
    office = standard_load().office
    pem = Unit.objects.get(office=office, code="pemerintahan")
    for username, role, unit, full_name in [
        ("petugas", Role.FRONT_OFFICE, None, "Petugas Pelayanan"),
        ("kasi.pemerintahan", Role.KASI, pem, "Kasi Pemerintahan"),
        ("camat", Role.CAMAT, None, "Camat Kartoharjo"),
    ]:
        staff_create(office=office, username=username, role=role, unit=unit, password=PASSWORD, full_name=full_name)
    return office


@pytest.fixture
def device(browser, live_server, new_context):
    """Factory of browser contexts of a given screen (a phone, a tablet), touch enabled.
    ``new_context`` is requested for its settings (cookies without Secure on plain HTTP)."""
    made = []

    def make(viewport, *, mobile=False):
        ctx = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=viewport,
                                  is_mobile=mobile, has_touch=True, device_scale_factor=2 if mobile else 1)
        ctx.set_default_timeout(TIMEOUT_MS)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def handed_over_dossier(office) -> Dossier:
    """A KTP-el dossier taken in complete, initialled, signed by the Camat, registered and handed over."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["petugas", "kasi.pemerintahan", "camat"])}
    items = list(Requirement.objects.filter(
        service__code="ktp-el", service__edition__office=office, service__edition__status=Edition.Status.ACTIVE,
    ).values_list("pk", flat=True))
    assert items, "the bundled standard has no KTP-el requirements"
    d = dossier_services.dossier_intake(office=office, service_code="ktp-el", applicant=dict(APPLICANT),
                                        actor=users["petugas"],
                                        present=items, originals=items)
    for act, who in [("forward", "petugas"), ("initial", "kasi.pemerintahan"), ("sign", "camat"),
                     ("register", "petugas"), ("handover", "petugas")]:
        getattr(dossier_services, f"dossier_{act}")(code=d.code, actor=users[who])
    d.refresh_from_db()
    assert d.state == Dossier.State.HANDED_OVER
    return d


def element(page, n: int, name: str):
    """The fieldset of the n-th element (its legend "n. Name")."""
    return page.get_by_role("group", name=f"{n}. {name}", exact=True)


def answer(page, answers: dict, *, tap: bool):
    """Choose the answers by their labels, as a respondent does (tap on a touch screen)."""
    for n, (key, name, labels) in enumerate(ELEMENTS, 1):
        value = answers.get(key)
        if value is None:
            continue
        group = element(page, n, name)
        option = group.locator("label.skm-option", has_text=re.compile(rf"^\s*{re.escape(labels[value - 1])}\s*$"))
        expect(option).to_have_count(1)
        if tap:
            option.tap()
        else:
            option.click()
        # the label is the radio's: choosing it checked this answer
        expect(group.get_by_label(labels[value - 1], exact=True)).to_be_checked()
        expect(group.locator("input[type=radio]:checked")).to_have_count(1)


def expect_blank(page):
    form = page.locator("form.skm-form")
    expect(form.locator("input[type=radio]:checked")).to_have_count(0)
    for label in ["Jenis kelamin", "Umur (tahun)", "Pendidikan terakhir", "Pekerjaan", "Saran dan masukan"]:
        expect(form.get_by_label(label, exact=True)).to_have_value("")


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url}: the page is {width}px wide on a {viewport}px screen"


def open_skm(page):
    """From any staff page, the staff menu's "SKM" link: the report of this semester."""
    page.locator("nav.staffnav").get_by_role("link", name="SKM", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staf/skm/$"))
    expect(page.get_by_role("heading", name="Laporan Survei Kepuasan Masyarakat (SKM)", level=1)).to_be_visible()


def choose_period(page, kind: str, year: int, number: int = 1):
    form = page.get_by_role("form", name="Pilih periode")
    form.get_by_label("Jenis periode").select_option(label=kind)
    form.get_by_label("Tahun", exact=True).fill(str(year))
    form.get_by_label("Periode ke").select_option(str(number))
    form.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(re.compile(rf"/staf/skm/\?jenis={kind.lower()}&tahun={year}&ke={number}"))


def download(page, link_name: str, tmp_path: Path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    d = info.value
    assert d.failure() is None, d.failure()
    path = tmp_path / d.suggested_filename
    d.save_as(path)
    return d.suggested_filename, path.read_bytes()


def test_skm_from_the_receipt_qr_to_the_public_board(kartoharjo, new_context, device, screenshots, tmp_path):
    shot = Shots(screenshots, prefix="skm-")
    console = Console(expected=[(400, r"/staf/skm/(kios|impor)/$")])  # the kiosk's and the import's refusals
    slug = kartoharjo.slug
    dossier = handed_over_dossier(kartoharjo)
    display = codes.display(dossier.code)

    # === 1. a citizen answers on a phone, from the receipt's QR =================================
    phone = console.watch(device(PHONE, mobile=True).new_page())
    phone.goto(f"/skm/{dossier.code}/")
    expect(phone.get_by_role("heading", name="Survei Kepuasan Masyarakat", level=1)).to_be_visible()
    expect(fact(phone, "Kantor")).to_have_text(kartoharjo.name)
    expect(fact(phone, "Layanan")).to_have_text(KTP_EL)
    expect(fact(phone, "Kode berkas")).to_have_text(display)
    expect(phone.locator("fieldset.skm-element")).to_have_count(9)
    body = phone.locator("body").inner_text()
    for secret in [APPLICANT["name"], APPLICANT["nik"], APPLICANT["phone"]]:
        assert secret not in body, f"{secret!r} shown on the public survey form"
    honeypot = phone.locator(f"#{spam.HONEYPOT_FIELD}")
    expect(honeypot).not_to_be_in_viewport()
    expect(honeypot).to_have_attribute("tabindex", "-1")
    no_sideways_scroll(phone)
    shot(phone, "phone-form")

    answer(phone, PHONE_ANSWERS, tap=True)
    phone.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    phone.get_by_label("Umur (tahun)").fill("34")
    phone.get_by_label("Pendidikan terakhir").fill("SMA")
    phone.get_by_label("Pekerjaan").fill("Wiraswasta")
    phone.get_by_label("Saran dan masukan").fill("Antrean sudah cepat, ruang tunggu kurang kursi.")
    no_sideways_scroll(phone)
    shot(phone, "phone-answered")
    phone.get_by_role("button", name="Kirim survei").tap()
    thanks = phone.get_by_role("status")
    expect(thanks).to_contain_text("Terima kasih! Jawaban Anda sudah kami terima")
    expect(phone.get_by_role("link", name="lihat hasil IKM")).to_have_attribute("href", "/kartoharjo/ikm/")
    expect(phone.locator("form.skm-form")).to_have_count(0)
    shot(phone, "phone-thanks")

    phone.goto(f"/skm/{display}/")  # the code as printed also works; opened again: already filled
    expect(phone.get_by_role("status")).to_have_text("Survei untuk berkas ini sudah diisi. Terima kasih.")
    expect(phone.get_by_role("button", name="Kirim survei")).to_have_count(0)
    shot(phone, "phone-already-filled")

    r = Response.objects.get()
    assert (r.dossier_id, r.source, r.sex, r.age, r.education, r.occupation) == (
        dossier.pk, Response.Source.FORM, "P", 34, "SMA", "Wiraswasta")
    assert {k: getattr(r, k) for k in PHONE_ANSWERS} == PHONE_ANSWERS

    # === 2. the kiosk: a tablet at the counter ===================================================
    tablet_ctx = device(TABLET)
    tablet = console.watch(tablet_ctx.new_page())
    login(tablet, "petugas")
    tablet.clock.install()  # kiosk.js's timers (the thank-you gives way after 8 s) run on demand
    open_skm(tablet)
    tablet.get_by_role("link", name="Buka kios survei (tablet)").click()
    expect(tablet).to_have_url(re.compile(r"/staf/skm/kios/$"))
    expect(tablet.get_by_role("heading", name="Survei Kepuasan Masyarakat", level=1)).to_be_visible()
    expect(tablet.locator("nav.staffnav")).to_have_count(0)  # no way out of the survey
    expect(tablet.get_by_role("button", name=re.compile(r"^Keluar"))).to_have_count(0)  # no clerk's name
    expect(tablet.get_by_role("status")).to_have_count(0)
    service = tablet.get_by_label("Layanan yang Anda terima (boleh dikosongkan)")
    expect(service).to_have_value("")
    no_sideways_scroll(tablet)
    shot(tablet, "kiosk")

    service.select_option(label=KTP_EL)
    answer(tablet, KIOSK_FIRST, tap=True)
    tablet.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    tablet.get_by_label("Umur (tahun)").fill("52")
    tablet.get_by_label("Pekerjaan").fill("Petani")
    shot(tablet, "kiosk-first-answered")
    tablet.get_by_role("button", name="Kirim", exact=True).tap()
    expect(tablet).to_have_url(re.compile(r"/staf/skm/kios/\?terima-kasih=1$"))
    thanks = tablet.get_by_role("status")
    expect(thanks).to_contain_text("Terima kasih!")
    expect(thanks).to_contain_text("Jawaban Anda sudah kami terima.")
    expect(tablet.get_by_role("link", name="Responden berikutnya")).to_be_visible()
    expect_blank(tablet)
    expect(service).to_have_value("")
    shot(tablet, "kiosk-thanks")
    assert Response.objects.filter(source=Response.Source.KIOSK).count() == 1

    # the thank-you gives way to the blank form by itself (kiosk.js)
    tablet.clock.run_for(9_000)
    expect(thanks).to_be_hidden()
    expect(tablet).to_have_url(re.compile(r"/staf/skm/kios/$"))

    service.select_option(label=KK)
    answer(tablet, KIOSK_SECOND, tap=True)
    tablet.get_by_label("Saran dan masukan").fill("Petugas ramah.")
    tablet.get_by_role("button", name="Kirim", exact=True).tap()
    expect(tablet.get_by_role("status")).to_contain_text("Terima kasih!")
    expect_blank(tablet)
    assert Response.objects.filter(source=Response.Source.KIOSK).count() == 2

    # a third respondent sends nothing: refused in Indonesian, nothing saved
    tablet.get_by_role("link", name="Responden berikutnya").tap()
    expect(tablet.get_by_role("status")).to_have_count(0)
    tablet.get_by_role("button", name="Kirim", exact=True).tap()
    alert = tablet.get_by_role("alert")
    expect(alert).to_have_text("Jawaban belum benar; periksa isian yang ditandai. Tidak ada yang disimpan.")
    expect(tablet.get_by_text("Isi paling sedikit satu unsur survei.")).to_be_visible()
    expect(tablet.get_by_role("status")).to_have_count(0)
    shot(tablet, "kiosk-nothing-answered")
    assert Response.objects.filter(source=Response.Source.KIOSK).count() == 2
    assert Response.objects.count() == 3

    # === 3. the front office imports last year's paper forms ====================================
    staff = console.watch(new_context().new_page())
    login(staff, "petugas")
    open_skm(staff)
    staff.get_by_role("link", name="Impor kuesioner kertas").click()
    expect(staff).to_have_url(re.compile(r"/staf/skm/impor/$"))
    expect(staff.get_by_role("heading", name="Impor kuesioner SKM (kertas)", level=1)).to_be_visible()
    shot(staff, "import")

    bad = tmp_path / "kuesioner-salah.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    staff.get_by_label("Berkas CSV atau XLSX").set_input_files(bad)
    staff.get_by_role("button", name="Impor", exact=True).click()
    refused = staff.get_by_role("alert")
    expect(refused).to_contain_text("Berkas ditolak: 1 masalah ditemukan.")
    expect(refused.locator("ul.import-problems li")).to_have_text(["Baris 4: waktu harus 1, 2, 3 atau 4 (bukan '5')."])
    expect(refused).to_contain_text("Tidak ada yang diimpor.")
    shot(staff, "import-refused")
    assert Response.objects.count() == 3

    staff.get_by_label("Berkas CSV atau XLSX").set_input_files(EXAMPLE)
    staff.get_by_role("button", name="Impor", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/staf/skm/impor/$"))
    expect(staff.locator(".messages")).to_have_text("120 kuesioner diimpor.")
    expect(staff.get_by_role("alert")).to_have_count(0)
    shot(staff, "imported")
    assert Response.objects.filter(source=Response.Source.PAPER).count() == 120
    logout(staff, "petugas")

    # === 4. the Camat: the report of 2025, its files, the publication ============================
    login(staff, "camat")
    open_skm(staff)

    choose_period(staff, "Tahun", 2025)
    expect(staff.locator("#r-period")).to_contain_text("Tahun 2025")
    expect(staff.locator("#r-respondents")).to_have_text("120")
    expect(staff.locator("#r-ikm-unit")).to_have_text("83,77")
    expect(staff.locator("#r-grade")).to_have_text("B")
    expect(staff.locator("#r-label")).to_have_text("Baik")
    expect(staff.locator("#r-elements tbody tr")).to_have_count(9)
    expect(staff.get_by_role("alert")).to_have_count(0)
    shot(staff, "report-2025")

    name, pdf = download(staff, "Unduh PDF", tmp_path)
    assert name == "ikm-2025.pdf" and pdf.startswith(b"%PDF"), (name, pdf[:8])
    name, xlsx = download(staff, "Unduh XLSX", tmp_path)
    assert name == "ikm-2025.xlsx" and xlsx.startswith(b"PK"), (name, xlsx[:8])
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / name, read_only=True)
    assert "IKM" in wb.sheetnames, wb.sheetnames
    wb.close()
    with zipfile.ZipFile(tmp_path / name) as z:
        assert z.testzip() is None

    # the Camat prints the semester report
    choose_period(staff, "Semester", 2025, 1)
    expect(staff.locator("#r-period")).to_contain_text("Semester I 2025")
    expect(staff.locator("#r-respondents")).to_have_text("55")
    shot(staff, "report-2025-semester-1")
    name, pdf = download(staff, "Unduh PDF", tmp_path)
    assert name == "ikm-2025-semester-1.pdf" and pdf.startswith(b"%PDF"), (name, pdf[:8])

    choose_period(staff, "Tahun", 2025)
    expect(staff.get_by_text("Belum ada hasil yang dipublikasikan.")).to_be_visible()
    publish = staff.locator("form#r-publish")
    expect(publish).to_contain_text("Hasil IKM Tahun 2025 seluruh kantor diumumkan di papan publik")
    publish.get_by_role("button", name="Publikasikan hasil periode ini").click()
    expect(staff).to_have_url(re.compile(r"/staf/skm/\?jenis=tahun&tahun=2025&ke=1$"))
    expect(staff.locator(".messages")).to_have_text("Hasil IKM Tahun 2025 dipublikasikan: 83,77 (mutu B, Baik).")
    published = staff.locator("#r-publications tbody tr")
    expect(published).to_have_count(1)
    expect(published).to_contain_text("Tahun 2025")
    expect(published).to_contain_text("83,77")
    expect(published).to_contain_text("B (Baik)")
    shot(staff, "published")
    pub = Publication.objects.get()
    assert (pub.period_label, str(pub.ikm_unit), pub.grade, pub.respondents) == ("Tahun 2025", "83.77", "B", 120)

    # === 5. this semester's report: the phone response and the two kiosk responses ===============
    open_skm(staff)
    today = timezone.localdate()
    expect(staff.locator("#r-period")).to_contain_text(f"Semester {'I' if today.month <= 6 else 'II'} {today.year}")
    expect(staff.locator("#r-respondents")).to_have_text("3")
    expect(staff.locator("#r-population")).to_have_text("1")  # the one dossier taken in
    expect(staff.locator("#r-ikm-unit")).to_have_text(re.compile(r"^\d{2,3},\d{2}$"))
    sources = staff.locator("#r-profile-sumber tbody tr")
    expect(sources).to_have_count(2)
    expect(sources.filter(has_text="Kios/ tablet di loket").locator("td").nth(1)).to_have_text("2")
    expect(sources.filter(has_text="Formulir web (QR tanda terima)").locator("td").nth(1)).to_have_text("1")
    expect(staff.locator("#r-suggestions")).to_contain_text("Petugas ramah.")
    expect(staff.locator("#r-suggestions")).to_contain_text("Antrean sudah cepat, ruang tunggu kurang kursi.")
    shot(staff, "report-this-semester")
    board_link = staff.get_by_role("link", name="Papan hasil IKM (publik)")
    expect(board_link).to_have_attribute("href", f"/{slug}/ikm/")
    logout(staff, "camat")

    # === 6. anyone: the public board =============================================================
    public = console.watch(new_context().new_page())
    public.goto(f"/{slug}/ikm/")
    expect(public.get_by_role("heading", name="Hasil Indeks Kepuasan Masyarakat", level=1)).to_be_visible()
    expect(public.locator(".skm-board-value")).to_have_text("83,77")
    expect(public.locator(".skm-board-grade strong")).to_have_text("B")
    expect(public.locator(".skm-board")).to_contain_text("Baik")
    expect(public.locator(".skm-board")).to_contain_text("120")
    expect(public.locator(".lead")).to_contain_text("Tahun 2025")
    expect(fact(public, "Periode survei")).to_have_text("Tahun 2025")
    expect(public.get_by_role("button", name=re.compile(r"^Keluar"))).to_have_count(0)
    shot(public, "public-board")

    console.assert_clean()
