"""Complaints (pengaduan) end to end, driven through the public and staff pages in a real
(headless, system) Chromium, as a new office would use them, with a screenshot at each main step.

Data is set up the way ``loket setup`` sets up an office: the roles, the bundled Kartoharjo
2018 standard, the shipped holidays and the default complaint categories, plus four staff
accounts with known passwords. Everything after that happens in the browser, except one
test-only shortcut: one complaint's target date is moved into the past through the ORM so
the overdue list has something to show.

The browser's console must stay clean (no CSP violation, no script error) on every page.

Screenshots land in tests/browser/screenshots/complaint-NN-name.png (ignored by git).
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, expect, fact, login, logout, PASSWORD, Shots,
)

from loket.catalog.services import standard_load
from loket.complaints import spam
from loket.complaints.models import Complaint
from loket.complaints.services import categories_default_create
from loket.offices.calendar import holidays_load_shipped
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create


pytestmark = pytest.mark.django_db(transaction=True)

CODE = r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}"

CITIZEN = {"name": "Budi Santoso", "phone": "081298765432"}
WEB_SUBJECT = "Antrean KTP-el terlalu lama"
WEB_TEXT = ("Saya datang jam 08.00 untuk perekaman KTP-el dan baru dilayani jam 12.00. "
            "Tidak ada nomor antrean dan tidak ada petugas yang memberi tahu berapa lama harus menunggu.")
WEB_ANSWER = ("Terima kasih atas pengaduan Bapak. Mulai minggu depan kami memakai nomor antrean "
              "dan papan informasi waktu tunggu di ruang pelayanan.")
WA = {"name": "Sri Wahyuni", "phone": "085612345678"}
WA_SUBJECT = "Syarat surat keterangan ahli waris"
WA_TEXT = ("Pengadu menanyakan lewat WhatsApp syarat surat keterangan ahli waris bila salah satu ahli waris "
           "di luar negeri.")
KASI_QUESTION = "Ahli waris di luar negeri: cukup surat kuasa bermeterai, atau perlu legalisasi KBRI?"
CAMAT_DIRECTION = "Cukup surat kuasa bermeterai yang dilegalisasi KBRI; sampaikan juga bahwa bisa dikirim lewat pos."
KASI_ANSWER = ("Ahli waris yang di luar negeri cukup memberi surat kuasa bermeterai yang dilegalisasi KBRI. "
               "Surat kuasa boleh dikirim lewat pos.")
PHONE = {"name": "Pak RT 03 Klegen", "phone": "0351456789"}
PHONE_SUBJECT = "Lampu penerangan jalan mati"
PHONE_TEXT = "Lampu penerangan jalan di Jl. Klegen gang 3 mati sejak dua minggu, warga takut keluar malam."
KLEGEN_QUESTION = "Apakah perbaikan lampu di Jl. Klegen gang 3 sudah diusulkan ke Dinas Perkim?"
KLEGEN_RESULT = "Kelurahan Klegen: sudah diusulkan ke Dinas Perkim, dijadwalkan diperbaiki Jumat ini."
PHONE_ANSWER = "Menurut Kelurahan Klegen, lampu sudah diusulkan ke Dinas Perkim dan dijadwalkan diperbaiki Jumat ini."


@pytest.fixture
def kartoharjo(transactional_db, monkeypatch):
    """The Kartoharjo office as ``loket setup`` leaves it, and one account per role in the flow."""
    cache.clear()  # the public form and look-ups are rate-limited through the cache
    # The live server is a thread of this process: the form's minimum fill-in time (a spam
    # check, 3 s) is switched off here instead of waiting in the test.
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)
    roles_sync()
    office = standard_load().office
    holidays_load_shipped()
    categories_default_create(office=office)
    pem = Unit.objects.get(office=office, code="pemerintahan")
    for username, role, unit, full_name in [
        ("petugas", Role.FRONT_OFFICE, None, "Petugas Pelayanan"),
        ("kasi.pemerintahan", Role.KASI, pem, "Kasi Pemerintahan"),
        ("camat", Role.CAMAT, None, "Camat Kartoharjo"),
    ]:
        staff_create(office=office, username=username, role=role, unit=unit, password=PASSWORD, full_name=full_name)
    return office


def state(page):
    """The state badge at the top of a staff complaint page."""
    return page.locator(".lead .state")


def open_complaints(page):
    """From any staff page, the staff menu's "Pengaduan" link: the user's own worklist."""
    page.locator("nav.staffnav").get_by_role("link", name="Pengaduan", exact=True).click()
    expect(page.get_by_role("heading", name="Pengaduan saya", exact=True)).to_be_visible()


def worklist_row(page, code: str):
    """The row of ``code`` in the (first) table of the page: the user's own worklist."""
    return page.locator("section[aria-labelledby=mine-h] table.complaints tbody tr",
                        has=page.get_by_role("link", name=code, exact=True))


def open_from_worklist(page, code: str):
    row = worklist_row(page, code)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=code, exact=True).click()
    expect(page.locator("h1 .code")).to_have_text(code)


def acts(page):
    return page.locator("section.complaint-acts")


def expect_done(page, code: str, state_label: str):
    expect(page.locator(".messages")).to_contain_text(f"Pengaduan {code}: {state_label}.")
    expect(state(page)).to_have_text(state_label)


def test_complaint_from_web_form_to_report(kartoharjo, new_context, screenshots):
    shot = Shots(screenshots, prefix="complaint-")
    console = Console()  # no refusal is provoked: every page must stay clean
    slug = kartoharjo.slug

    # === 1. a citizen files a complaint on the website =========================================
    citizen = console.watch(new_context().new_page())
    citizen.goto(f"/{slug}/")
    expect(citizen.get_by_role("heading", name=f"Pelayanan {kartoharjo.name}")).to_be_visible()
    # the button near the top of the page (the same link also waits under the contacts)
    citizen.get_by_role("link", name="Sampaikan pengaduan/ saran").first.click()
    expect(citizen).to_have_url(re.compile(rf"/{slug}/pengaduan/$"))
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        "Sampaikan pengaduan, pertanyaan, saran, atau permintaan informasi")
    expect(citizen.get_by_label("Pengaduan", exact=True)).to_be_checked()  # the kind's default
    # The bots' field is not for people: off screen (not display:none, which bots skip), hidden
    # from screen readers and out of the tab order.
    honeypot = citizen.locator(f"#{spam.HONEYPOT_FIELD}")
    expect(honeypot).not_to_be_in_viewport()
    expect(honeypot).to_have_attribute("tabindex", "-1")
    expect(citizen.locator(".pengaduan-tambahan")).to_have_attribute("aria-hidden", "true")

    citizen.get_by_label("Pokok masalah (wajib)").fill(WEB_SUBJECT)
    citizen.get_by_label("Uraian (wajib)").fill(WEB_TEXT)
    citizen.get_by_label("Kelompok masalah (boleh kosong)").select_option(label="Waktu dan biaya pelayanan")
    citizen.get_by_label("Nama (wajib, kecuali tanpa nama)").fill(CITIZEN["name"])
    citizen.get_by_label("Telepon/ WhatsApp").fill(CITIZEN["phone"])
    citizen.get_by_label("Jawaban disampaikan lewat").select_option(label="WhatsApp")
    shot(citizen, "form")

    citizen.get_by_role("button", name="Kirim pengaduan").click()
    expect(citizen).to_have_url(re.compile(r"/pengaduan/lacak/[2-9A-HJ-NP-Z]{8}/$"))
    message = citizen.locator(".messages")
    expect(message).to_contain_text("Pengaduan Anda diterima. Simpan kode ini: ")
    web_code = re.search(rf"Simpan kode ini: ({CODE})", message.inner_text()).group(1)
    expect(citizen.locator(".kode-pengaduan")).to_have_text(web_code)
    expect(fact(citizen, "Kantor")).to_have_text(kartoharjo.name)
    expect(fact(citizen, "Jenis")).to_have_text("Pengaduan")
    expect(fact(citizen, "Kelompok masalah")).to_have_text("Waktu dan biaya pelayanan")
    expect(fact(citizen, "Status")).to_have_text("Ditangani loket pelayanan")
    expect(fact(citizen, "Nomor Buku Pengaduan")).not_to_be_empty()
    expect(fact(citizen, "Target penyelesaian")).to_have_text(re.compile(r"\d{2}-\d{2}-\d{4}"))
    expect(citizen.locator("ol.timeline > li > strong")).to_have_text(["Diterima dan dicatat di Buku Pengaduan"])
    expect(citizen.get_by_text("Belum ada jawaban. Jawaban akan tampil di sini.")).to_be_visible()
    body = citizen.locator("body").inner_text()
    for secret in [CITIZEN["name"], CITIZEN["phone"], WEB_TEXT[:30]]:
        assert secret not in body, f"{secret!r} shown on the public tracking page"
    shot(citizen, "tracking-received")

    # === 2. the front office: records a WhatsApp complaint, answers the web one ===============
    staff = console.watch(new_context().new_page())
    login(staff, "petugas")
    open_complaints(staff)
    expect(worklist_row(staff, web_code)).to_contain_text(WEB_SUBJECT)
    expect(worklist_row(staff, web_code)).to_contain_text("Website")
    expect(worklist_row(staff, web_code)).to_contain_text("Ditangani loket pelayanan")
    shot(staff, "front-office-worklist")

    staff.get_by_role("link", name="Catat pengaduan").click()
    expect(staff).to_have_url(re.compile(r"/staf/pengaduan/baru/$"))
    expect(staff.get_by_role("heading", name="Catat pengaduan", level=1)).to_be_visible()
    staff.get_by_label("Jenis", exact=True).select_option(label="Konsultasi/ pertanyaan")
    staff.get_by_label("Saluran masuk").select_option(label="WhatsApp")
    staff.get_by_label("Kategori permasalahan").select_option(label="— Surat keterangan dan rekomendasi")
    staff.get_by_label("Nama", exact=True).fill(WA["name"])
    staff.get_by_label("Telepon/ SMS/ WhatsApp").fill(WA["phone"])
    staff.get_by_label("Jawaban disampaikan lewat").select_option(label="WhatsApp")
    staff.get_by_label("Pokok masalah (satu baris)").fill(WA_SUBJECT)
    staff.get_by_label("Uraian, sebagaimana disampaikan pengadu").fill(WA_TEXT)
    shot(staff, "record-whatsapp")
    staff.get_by_role("button", name="Simpan di Buku Pengaduan").click()
    expect(staff).to_have_url(re.compile(r"/staf/pengaduan/[2-9A-HJ-NP-Z]{8}/$"))
    message = staff.locator(".messages")
    expect(message).to_contain_text(re.compile(rf"Pengaduan {CODE} dicatat di Buku Pengaduan nomor \S+\."))
    wa_code = staff.locator("h1 .code").inner_text()
    assert re.fullmatch(CODE, wa_code), wa_code
    assert wa_code in message.inner_text()
    expect(state(staff)).to_have_text("Ditangani loket pelayanan")
    expect(fact(staff, "Saluran")).to_have_text("WhatsApp")
    expect(fact(staff, "Nama")).to_have_text(WA["name"])
    expect(fact(staff, "Telepon/ WA")).to_contain_text(WA["phone"])
    # a WhatsApp link to the number, and the ready message that gives the caller the code
    expect(fact(staff, "Telepon/ WA").get_by_role("link", name="WhatsApp")).to_have_attribute(
        "href", "https://wa.me/62" + WA["phone"][1:])
    expect(staff.locator("#code-msg")).to_contain_text("/pengaduan/lacak/")
    expect(fact(staff, "Jawaban lewat")).to_have_text("WhatsApp")
    expect(staff.locator("ol.timeline")).to_contain_text("Petugas Pelayanan")

    # The citizen's web complaint, answered straight from its page.
    open_complaints(staff)
    open_from_worklist(staff, web_code)
    expect(state(staff)).to_have_text("Ditangani loket pelayanan")
    expect(fact(staff, "Saluran")).to_have_text("Website")
    expect(fact(staff, "Nama")).to_have_text(CITIZEN["name"])
    expect(fact(staff, "Telepon/ WA")).to_contain_text(CITIZEN["phone"])
    expect(fact(staff, "Uraian")).to_contain_text(WEB_TEXT[:40])
    expect(staff.locator("ol.timeline")).to_contain_text("Pengadu (web)")
    answer_form = staff.locator("form[action$='/answer/']")
    expect(answer_form.get_by_label("Disampaikan lewat")).to_have_value("whatsapp")  # the citizen's choice
    answer_form.get_by_label("Jawaban", exact=True).fill(WEB_ANSWER)
    shot(staff, "answer-web-complaint")
    answer_form.get_by_role("button", name="Catat jawaban yang disampaikan").click()
    expect_done(staff, web_code, "Dijawab")
    answers = staff.locator("article.answer")
    expect(answers).to_have_count(1)
    expect(answers).to_contain_text("Jawaban 1")
    expect(answers).to_contain_text(WEB_ANSWER)
    expect(answers).to_contain_text("WhatsApp · Petugas Pelayanan")
    expect(staff.locator("dl.keyfacts")).to_contain_text("Dijawab pertama")
    # Answered: the front office may now close it or record the citizen's word, no more answers.
    expect(acts(staff).get_by_role("button", name="Catat jawaban yang disampaikan")).to_have_count(0)
    expect(acts(staff).get_by_role("button", name="Catat tanggapan pengadu")).to_be_visible()

    # === 3. escalated to Kasi Pemerintahan, who asks the Camat for direction, then answers ====
    open_complaints(staff)
    open_from_worklist(staff, wa_code)
    escalate = staff.locator("form[action$='/escalate/']")
    escalate.get_by_label("Seksi (Kasi) atau Subbag yang menangani").select_option(label="Kasi Pemerintahan")
    escalate.get_by_label("Catatan (boleh kosong)").fill("Perlu kepastian syarat ahli waris di luar negeri.")
    escalate.get_by_role("button", name="Teruskan ke back office").click()
    expect_done(staff, wa_code, "Diteruskan ke back office")
    expect(fact(staff, "Unit")).to_have_text("Kasi Pemerintahan")
    expect(acts(staff)).to_have_count(0)  # nothing left for the front office to do on it
    shot(staff, "escalated-to-kasi")
    open_complaints(staff)
    expect(worklist_row(staff, wa_code)).to_have_count(0)
    logout(staff, "petugas")

    login(staff, "kasi.pemerintahan")
    open_complaints(staff)
    row = worklist_row(staff, wa_code)
    expect(row).to_contain_text("Diteruskan ke back office")
    expect(row).to_contain_text("Kasi Pemerintahan")
    expect(worklist_row(staff, web_code)).to_have_count(0)
    open_from_worklist(staff, wa_code)
    ask = staff.locator("form[action$='/direction_request/']")
    ask.get_by_label("Hal yang dimintakan arahan").fill(KASI_QUESTION)
    ask.get_by_role("button", name="Minta arahan").click()
    expect_done(staff, wa_code, "Menunggu arahan Camat/ Sekcam")
    expect(staff.locator("ol.timeline")).to_contain_text(KASI_QUESTION)
    shot(staff, "kasi-asks-direction")
    logout(staff, "kasi.pemerintahan")

    login(staff, "camat")
    open_complaints(staff)
    expect(worklist_row(staff, wa_code)).to_contain_text("Menunggu arahan Camat/ Sekcam")
    open_from_worklist(staff, wa_code)
    expect(staff.locator("ol.timeline")).to_contain_text(KASI_QUESTION)  # what the Kasi asked
    give = staff.locator("form[action$='/direction_give/']")
    give.get_by_label("Arahan", exact=True).fill(CAMAT_DIRECTION)
    give.get_by_role("button", name="Beri arahan").click()
    expect_done(staff, wa_code, "Arahan diberikan")
    expect(staff.locator("ol.timeline")).to_contain_text(CAMAT_DIRECTION)
    shot(staff, "camat-gives-direction")
    open_complaints(staff)
    expect(staff.get_by_text("Tidak ada pengaduan yang menunggu tindakan Anda.")).to_be_visible()
    logout(staff, "camat")

    login(staff, "kasi.pemerintahan")
    open_complaints(staff)
    expect(worklist_row(staff, wa_code)).to_contain_text("Arahan diberikan")
    open_from_worklist(staff, wa_code)
    expect(staff.locator("ol.timeline")).to_contain_text(CAMAT_DIRECTION)
    answer_form = staff.locator("form[action$='/answer/']")
    expect(answer_form.get_by_label("Disampaikan lewat")).to_have_value("whatsapp")
    answer_form.get_by_label("Jawaban", exact=True).fill(KASI_ANSWER)
    answer_form.get_by_role("button", name="Catat jawaban yang disampaikan").click()
    expect_done(staff, wa_code, "Dijawab")
    expect(staff.locator("article.answer")).to_contain_text(KASI_ANSWER)
    expect(staff.locator("article.answer")).to_contain_text("Kasi Pemerintahan")
    shot(staff, "kasi-answered")
    logout(staff, "kasi.pemerintahan")

    # === 4. a complaint that waits for a kelurahan ============================================
    login(staff, "petugas")
    open_complaints(staff)
    staff.get_by_role("link", name="Catat pengaduan").click()
    staff.get_by_label("Saluran masuk").select_option(label="Telepon")
    staff.get_by_label("Kategori permasalahan").select_option(label="Pembangunan dan lingkungan")
    staff.get_by_label("Nama", exact=True).fill(PHONE["name"])
    staff.get_by_label("Telepon/ SMS/ WhatsApp").fill(PHONE["phone"])
    staff.get_by_label("Jawaban disampaikan lewat").select_option(label="Telepon")
    staff.get_by_label("Pokok masalah (satu baris)").fill(PHONE_SUBJECT)
    staff.get_by_label("Uraian, sebagaimana disampaikan pengadu").fill(PHONE_TEXT)
    staff.get_by_role("button", name="Simpan di Buku Pengaduan").click()
    expect(staff.locator(".messages")).to_contain_text("dicatat di Buku Pengaduan nomor")
    phone_code = staff.locator("h1 .code").inner_text()
    expect(state(staff)).to_have_text("Ditangani loket pelayanan")
    expect(fact(staff, "Saluran")).to_have_text("Telepon")

    coordinate = staff.locator("form[action$='/coordinate/']")
    coordinate.get_by_label("Dengan", exact=True).select_option(label="Kelurahan")
    coordinate.get_by_label("Pihak (instansi/ OPD, kelurahan, atau peserta musyawarah)").fill("Kelurahan Klegen")
    coordinate.get_by_label("Hal yang ditanyakan/ agenda").fill(KLEGEN_QUESTION)
    shot(staff, "coordinate-kelurahan")
    coordinate.get_by_role("button", name="Catat koordinasi").click()
    expect_done(staff, phone_code, "Menunggu koordinasi")
    coordination = staff.locator("article.coordination")
    expect(coordination.get_by_role("heading")).to_have_text("Kelurahan: Kelurahan Klegen")
    expect(coordination).to_contain_text(KLEGEN_QUESTION)
    expect(coordination).to_contain_text("Belum ada hasil.")
    # While waiting, it cannot be answered yet; the worklist still shows it to whoever asked.
    expect(acts(staff).get_by_role("button", name="Catat jawaban yang disampaikan")).to_have_count(0)
    open_complaints(staff)
    expect(worklist_row(staff, phone_code)).to_contain_text("Menunggu koordinasi")
    open_from_worklist(staff, phone_code)

    result = staff.locator("form[action$='/coordination_result/']")
    result.get_by_label("Hasil yang diterima, atau hasil musyawarah").fill(KLEGEN_RESULT)
    result.get_by_role("button", name="Catat hasil koordinasi").click()
    expect_done(staff, phone_code, "Ditangani loket pelayanan")
    expect(coordination).to_contain_text(KLEGEN_RESULT)
    expect(coordination).not_to_contain_text("Belum ada hasil.")

    answer_form = staff.locator("form[action$='/answer/']")
    expect(answer_form.get_by_label("Disampaikan lewat")).to_have_value("telepon")
    answer_form.get_by_label("Jawaban", exact=True).fill(PHONE_ANSWER)
    answer_form.get_by_role("button", name="Catat jawaban yang disampaikan").click()
    expect_done(staff, phone_code, "Dijawab")
    expect(staff.locator("article.answer")).to_contain_text(PHONE_ANSWER)
    shot(staff, "kelurahan-answered")

    # === 5. the citizen reads the answer and is not satisfied ==================================
    citizen.goto(f"/{slug}/")
    # from the menu at the top of every public page
    citizen.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Lacak pengaduan").click()
    expect(citizen).to_have_url(re.compile(r"/pengaduan/lacak/$"))
    citizen.get_by_label("Kode pengaduan yang Anda terima saat mengirim").fill(web_code)
    citizen.get_by_role("button", name="Lacak", exact=True).click()
    expect(citizen).to_have_url(re.compile(rf"/pengaduan/lacak/{web_code.replace('-', '')}/$"))
    expect(citizen.locator(".kode-pengaduan")).to_have_text(web_code)
    expect(fact(citizen, "Status")).to_have_text("Dijawab")
    expect(citizen.locator("ol.timeline > li > strong")).to_have_text([
        "Diterima dan dicatat di Buku Pengaduan", "Jawaban disampaikan"])
    answer = citizen.locator("article.jawaban")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text(WEB_ANSWER)
    expect(answer).to_contain_text("disampaikan lewat WhatsApp")
    assert "Petugas Pelayanan" not in citizen.locator("body").inner_text()  # no staff names in public
    feedback = citizen.locator("form.tanggapan")
    expect(feedback.get_by_role("group", name="Apakah jawaban ini menjawab pengaduan Anda?")).to_be_visible()
    feedback.get_by_label("Belum puas").check()
    feedback.get_by_label("Catatan (boleh kosong)").fill("Antrean hari ini masih sama panjangnya.")
    shot(citizen, "tracking-answered")
    feedback.get_by_role("button", name="Kirim tanggapan").click()
    expect(citizen.locator(".messages")).to_have_text("Pengaduan dibuka kembali dan akan ditindaklanjuti.")
    expect(fact(citizen, "Status")).to_have_text("Dibuka kembali")
    expect(citizen.locator("ol.timeline > li > strong")).to_have_text([
        "Diterima dan dicatat di Buku Pengaduan", "Jawaban disampaikan", "Pengadu belum puas; dibuka kembali"])
    expect(citizen.locator("form.tanggapan")).to_have_count(0)  # one word per answer
    expect(answer).to_contain_text(WEB_ANSWER)  # the first answer stays readable
    shot(citizen, "tracking-reopened")

    open_complaints(staff)
    row = worklist_row(staff, web_code)
    expect(row).to_contain_text("Dibuka kembali")
    open_from_worklist(staff, web_code)
    expect(state(staff)).to_have_text("Dibuka kembali")
    expect(fact(staff, "Tanggapan pengadu")).to_have_text("Belum puas")
    expect(staff.locator("ol.timeline")).to_contain_text("Pengadu belum puas; dibuka kembali.")
    expect(staff.locator("ol.timeline")).to_contain_text("Antrean hari ini masih sama panjangnya.")
    expect(acts(staff).get_by_role("button", name="Catat jawaban yang disampaikan")).to_be_visible()  # to be answered again
    open_complaints(staff)
    shot(staff, "front-office-reopened")

    # === 6. the overdue list and the report =====================================================
    # Test setup: the reopened complaint's target date is moved into the past.
    past = timezone.localdate() - dt.timedelta(days=14)
    assert Complaint.objects.filter(code=web_code.replace("-", "")).update(due_date=past) == 1

    staff.get_by_role("link", name="Terlambat", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/staf/pengaduan/terlambat/$"))
    expect(staff.get_by_role("heading", name="Pengaduan terlambat", level=1)).to_be_visible()
    late = staff.locator("table.complaints tbody tr")
    expect(late).to_have_count(1)
    expect(late).to_contain_text(web_code)
    expect(late).to_contain_text("Dibuka kembali")
    expect(late).to_contain_text(re.compile(r"terlambat \d+ hari kerja"))
    expect(late).to_have_class(re.compile(r"\blate\b"))
    shot(staff, "overdue")

    staff.get_by_role("link", name="Laporan", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/staf/pengaduan/laporan/$"))
    expect(staff.get_by_role("heading", name="Laporan pengaduan", level=1)).to_be_visible()
    expect(staff.locator("#r-total")).to_have_text("3")
    expect(staff.locator("#r-open")).to_have_text("1")
    expect(staff.locator("#r-overdue")).to_have_text("1")
    expect(staff.locator("#r-past-legal")).to_have_text("0")
    expect(staff.locator("#r-satisfied")).to_have_text("0")
    expect(staff.locator("#r-not-satisfied")).to_have_text("1")
    expect(staff.locator("#r-median-first")).to_have_text("0")  # all answered the day they came in
    month = staff.locator(f"#r-month-{timezone.localdate():%Y-%m}")
    expect(month.locator("td")).to_have_text(["3", "3", "0", "1", "0", "—"])
    shot(staff, "report")
    logout(staff, "petugas")

    states = dict(Complaint.objects.values_list("code", "state"))
    assert states == {
        web_code.replace("-", ""): Complaint.State.REOPENED,
        wa_code.replace("-", ""): Complaint.State.ANSWERED,
        phone_code.replace("-", ""): Complaint.State.ANSWERED,
    }, states
    console.assert_clean()
