"""Akta tanah (issue 8, the Camat as PPAT Sementara) end to end, driven through the staff pages
in a real (headless, system) Chromium, with a screenshot at each main step: "an inheritance case
and a sale case go from intake to a registered deed handed over, with the fee quoted within the
cap, taxes checked and the signing session on the calendar; the month's report prints."

1. the front office takes in an inheritance (an akta pembagian hak bersama, cause: pewarisan;
   PP 37/1998 has no akta waris): the late Sarno and three heirs (1/2, 1/4,
   1/4), one heir through a proxy with a surat kuasa. More party rows keep what was typed; the
   fee is quoted before saving (Rp 90 juta at the 1 % the office set → Rp 900.000); shares that do not
   add up to 1 are refused in Indonesian with nothing saved and everything kept; with one
   checklist item missing the case is returned naming it; the applicant comes back with it and
   the case is received. The receipt (tanda terima) prints, NIKs masked;
2. the front office takes in a sale (jual beli, Rp 150 juta): a fee typed above the 1 % cap is
   refused with the cap in the message and nothing saved; with the office's rate it is received.
   Both go to the Petugas PPAT;
3. the Petugas PPAT stops the sale's clock while the applicant completes a document, then goes
   on; the Kasi Pemerintahan is not offered validation while tax proofs are missing (the page
   lists them; a forced request is refused with the list); the officer records them (PBB of
   the three years before the year of receipt, SSB BPHTB for the sale only: the inheritance is
   under its Rp 300 juta NPOPTKP; SSP PPh), and the Kasi validates both; the officer records
   the certificate check at the land office;
4. the officer schedules the two sidang on the next weekday: the same witness twice is refused,
   the Camat's busy hour is refused for the second deed, an hour later is taken; the Camat's
   calendar shows both;
5. the Camat may not sign before the sidang begins (no button; a forced request is refused);
   the app's clock is moved to the sidang (the live server runs in this process, so patching
   ``django.utils.timezone.now`` reaches it), and the Camat signs each deed from its start; the
   officer writes both in the Buku Register PPAT (1/YYYY, 2/YYYY), hands them over and records
   their delivery to the Kantor Pertanahan with its receipt number (the Camat's SK PPAT
   Sementara is on record);
6. the cover (sampul) of a deed carries its number; the monthly report of the month of
   registration lists both deeds, as a page, XLSX and PDF;
7. the Bendahara (who does not handle deeds) reads a case with the NIKs masked and no acts.

The browser's console must stay clean (no CSP violation, no script error) except for the
refusals the test provokes on the intake form (HTTP 400).

Data is set up the way ``loket setup`` sets up an office: the roles, the bundled Kartoharjo
2018 standard (with service 17), the default tax rules (SSB above Rp 80 juta, Rp 300 juta for an
inheritance; SSP above Rp 60 juta), the office's fee rate set to 1 %, the Camat's SK, plus one
staff account per role in the flow. Everything after that happens in the browser.

Screenshots land in tests/browser/screenshots/deed-NN-name.png (ignored by git).
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, download, expect, fact, fetch_pdf, login, PASSWORD, pdf_text, Shots, xlsx_values,
)

from loket.catalog.services import standard_load
from loket.core.formats import MONTHS, tanggal
from loket.deeds import services
from loket.deeds.models import Case, CaseItem, Party, Pause, Signing, SigningSlot, TaxProof
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.registers.models import RegisterEntry


pytestmark = pytest.mark.django_db(transaction=True)

S = Case.State
CODE = r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}"
NIKS = ["3577015708900001", "3577011203850002", "3577014101700003", "3577012505950004", "3577016606920005",
        "3577010707880006"]
# The late Sarno leaves a certified parcel in Klegen to his widow and two children; Wati is
# represented by her brother Joko with a surat kuasa.
HEIRS = [
    {"role": "Pewaris (almarhum/ almarhumah)", "name": "Sarno (alm.)", "nik": NIKS[2], "address": "Jl. Wilis 7"},
    {"role": "Ahli waris", "name": "Sumini", "nik": NIKS[3], "address": "Jl. Wilis 7", "share": "1/2"},
    {"role": "Ahli waris", "name": "Joko Prasetyo", "nik": NIKS[4], "address": "Jl. Kenari 3", "share": "1/4"},
    {"role": "Ahli waris", "name": "Wati Lestari", "nik": NIKS[5], "address": "Jl. Merak 12", "share": "1/4",
     "proxy_name": "Joko Prasetyo", "proxy_letter": "Surat kuasa 12 November 2026"},
]
SALE = [
    {"role": "Penjual", "name": "Siti Aminah", "nik": NIKS[0], "address": "Jl. Salak III/5"},
    {"role": "Pembeli", "name": "Budi Santoso", "nik": NIKS[1], "address": "Jl. Apel 2"},
]
# The checklist of service 17, as the standard words it.
RT_RW = "Surat Pengantar RT/ RW"
AHLI_WARIS = "Surat Pernyataan Ahli Waris yang bermaterai 6000 yang dibuat oleh Pemohon bila ada Pengurusan Waris"
DEATH = "Foto copy Surat Kematian dan menunjukkan aslinya"
KK = "Foto copy KK masing-masing Ahli Waris yang telah dilegalisir"
KTP = "Foto copy KTP masing-masing Ahli Waris yang telah dilegalisir"
MARRIAGE = "Foto copy surat nikah Pewaris/ Almarhum/ Almarhumah"
LETTER_C = "Foto copy Petok Persil/ Letter C"
SPPT = "Foto copy SPPT PBB dan Pelunasan PBB 3 tahun terakhir"
PROXY = "Surat Kuasa bila dikuasakan bermaterai 6000,-"
TAXES = ("Bukti SSB dari Pajak BPHTB dari Badan Pendapatan Daerah, bukti SSP/ PPH untuk perolehan tanah lebih dari "
         "60 jt (waris)")
KUITANSI = "Kuitansi jual beli jika perolehan dari jual beli tanah"
OTHER = "Data dukung lainnya yang dibutuhkan"
WARIS_KIND = "Akta Pembagian Hak Bersama (karena pewarisan)"  # no "akta waris" (PP 37/1998 Pasal 2)
WARIS_ITEMS = [RT_RW, AHLI_WARIS, DEATH, KK, KTP, MARRIAGE, LETTER_C, SPPT, PROXY, TAXES, OTHER]
SALE_ITEMS = [RT_RW, LETTER_C, SPPT, TAXES, KUITANSI, OTHER]


@pytest.fixture
def kartoharjo(transactional_db):
    """The Kartoharjo office as ``loket setup`` leaves it for deeds, and one account per role in the flow."""
    roles_sync()
    office = standard_load().office
    # SSB and SSP for the seven transfers and the pembagian hak bersama of an inheritance
    assert services.tax_rules_default_create(office=office) == 16
    unit = {u.code: u for u in Unit.objects.filter(office=office)}
    for username, role, unit_code, full_name in [
        ("petugas", Role.FRONT_OFFICE, None, "Rina Petugas Loket"),
        ("ppat", Role.PPAT_OFFICER, "ppat", "Hadi Susanto"),
        ("kasi.pemerintahan", Role.KASI, "pemerintahan", "Kasi Pemerintahan"),
        ("camat", Role.CAMAT, None, "Drs. Camat Kartoharjo"),
        ("bendahara", Role.BENDAHARA, "umum", "Bendahara Penerimaan"),
    ]:
        made = staff_create(office=office, username=username, role=role, unit=unit.get(unit_code), password=PASSWORD,
                            full_name=full_name)
        if role == Role.CAMAT:  # the SK PPAT Sementara a deed cannot be signed without
            services.ppat_appointment_record(office=office, staff=made, decree_number="590/12/401.101/2024",
                                             decree_date=dt.date(2024, 1, 2), area=office.name,
                                             valid_from=dt.date(2024, 1, 2))
    services.setting_of(office).__class__.objects.filter(office=office).update(fee_rate=1)  # the office's own 1 %
    return office


class AppClock:
    """The application's clock. The live server runs in this process (threads), so patching
    ``django.utils.timezone.now`` (the module the deed services call as ``timezone.now``) moves
    the time the server sees; the clock keeps running from the moment set."""

    def __init__(self):
        self.real = timezone.now
        self.patch = pytest.MonkeyPatch()
        self.offset = dt.timedelta(0)

    def to(self, moment: dt.datetime) -> None:
        self.offset = moment - self.real()
        self.patch.setattr(services.timezone, "now", lambda: self.real() + self.offset)

    def reset(self) -> None:
        self.patch.undo()
        self.offset = dt.timedelta(0)


@pytest.fixture
def app_clock(settings):
    # Sessions are stored with an expiry of the idle time plus an hour on the application's
    # clock; a clock moved days ahead would end them. The idle check itself reads the real
    # time (loket/core/sessions.py), so this only keeps the moved clock from logging people out.
    settings.SESSION_COOKIE_AGE = 60 * 24 * 60 * 60
    clock = AppClock()
    yield clock
    clock.reset()


def messages(page):
    return page.locator(".messages")


def state(page):
    """The state badge at the top of a case's page."""
    return page.locator(".lead .state")


def keyfact(page, term: str):
    return page.locator("dl.keyfacts div", has=page.locator(f"dt:text-is('{term}')")).locator("dd")


def section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def act_form(page, heading: str):
    """An act of the case's page: its form, or the note that stands for it while it must wait."""
    return page.locator(".act-form", has=page.get_by_role("heading", name=heading, exact=True, level=3))


def post_act(page, action: str) -> str:
    """What a stale page or a second tab would send: the act posted for the case open in ``page``
    (with the page's session and CSRF token), whether or not the page offers it; the page the
    server answers with (its message)."""
    assert re.search(r"/staf/akta/[2-9A-HJ-NP-Z]{8}/$", page.url), page.url
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    r = page.request.post(f"{page.url}{action}/", form={"csrfmiddlewaretoken": token},
                          headers={"Referer": page.url})
    assert r.ok and r.url == page.url, (r.status, r.url)
    return r.text()


def counts():
    return (Case.objects.count(), Party.objects.count(), CaseItem.objects.count(), RegisterEntry.objects.count())


def fill_party(page, n: int, p: dict):
    """Party row n (1-based, as the hidden labels count) of the intake form."""
    page.get_by_label(f"Peran {n}", exact=True).select_option(label=p["role"])
    page.get_by_label(f"Nama {n}", exact=True).fill(p["name"])
    page.get_by_label(f"NIK {n}", exact=True).fill(p["nik"])
    page.get_by_label(f"Alamat {n}", exact=True).fill(p.get("address", ""))
    page.get_by_label(f"Bagian {n}", exact=True).fill(p.get("share", ""))
    page.get_by_label(f"Nama penerima kuasa {n}", exact=True).fill(p.get("proxy_name", ""))
    page.get_by_label(f"Surat kuasa {n}", exact=True).fill(p.get("proxy_letter", ""))


def expect_party(page, n: int, p: dict):
    expect(page.get_by_label(f"Peran {n}", exact=True).locator("option:checked")).to_have_text(p["role"])
    expect(page.get_by_label(f"Nama {n}", exact=True)).to_have_value(p["name"])
    expect(page.get_by_label(f"NIK {n}", exact=True)).to_have_value(p["nik"])
    expect(page.get_by_label(f"Bagian {n}", exact=True)).to_have_value(p.get("share", ""))
    expect(page.get_by_label(f"Surat kuasa {n}", exact=True)).to_have_value(p.get("proxy_letter", ""))


def fill_land(page, *, kind, title, reference, kelurahan, address, area, nop, njop, value):
    page.get_by_label("Jenis akta", exact=True).select_option(label=kind)
    page.get_by_label("Alas hak", exact=True).select_option(label=title)
    page.get_by_label("Nomor Letter C/ persil atau sertifikat").fill(reference)
    page.get_by_label("Kelurahan letak tanah").select_option(label=kelurahan)
    page.get_by_label("Letak (jalan, RT/RW; boleh kosong)").fill(address)
    page.get_by_label("Luas tanah (m²)").fill(area)
    page.get_by_label("NOP PBB").fill(nop)
    page.get_by_label("NJOP pada SPPT (Rp)").fill(njop)
    page.get_by_label("Harga transaksi/ nilai perolehan (Rp)").fill(value)


def tick(page, items, *, original=True):
    for text in items:
        page.get_by_label(text, exact=True).check()
    if original:
        page.get_by_label("asli ditunjukkan", exact=True).check()


def fee_input(page):
    return page.get_by_label(re.compile(r"^Uang jasa \(Rp; kosong = tarif kantor"))


def open_case(page, display_code: str, where: str = "Menunggu tindakan Anda"):
    """From the deeds' list: the case's link in a section of the list."""
    page.locator("nav.staffnav").get_by_role("link", name="Akta tanah", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staf/akta/$"))
    section(page, where).get_by_role("link", name=display_code, exact=True).click()
    expect(page.locator("h1 .code")).to_have_text(display_code)


def next_weekday(after: dt.date) -> dt.date:
    """The earliest weekday at least one day after ``after``: the sidang's day."""
    d = after + dt.timedelta(days=1)
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def record_proof(page, *, kind: str, number: str, paid_on: dt.date, amount: str, year: int | None = None):
    form = act_form(page, "Catat bukti pajak")
    form.get_by_label("Bukti", exact=True).select_option(label=kind)
    if year is not None:
        form.get_by_label("Tahun pajak (untuk PBB)").select_option(str(year))
    form.get_by_label("Nomor bukti (STTS/ NTPD/ NTPN)").fill(number)
    form.get_by_label("Tanggal bayar").fill(paid_on.isoformat())
    form.get_by_label("Jumlah (Rp)").fill(amount)
    form.get_by_role("button", name="Catat bukti").click()
    expect(messages(page)).to_have_text("Bukti pajak dicatat.")


def schedule(page, starts: dt.datetime, w1: str, w2: str):
    form = act_form(page, "Jadwalkan sidang dengan Camat")
    form.get_by_label("Mulai (jam atau setengah jam, 07.30–15.30)").fill(f"{starts:%Y-%m-%dT%H:%M}")
    expect(form.get_by_label("Lama", exact=True)).to_have_value("60")
    expect(form.get_by_label("Tempat", exact=True)).to_have_value("Ruang Camat")
    form.get_by_label("Saksi pertama").fill(w1)
    form.get_by_label("Saksi kedua").fill(w2)
    form.get_by_role("button", name="Jadwalkan").click()


def test_inheritance_and_sale_from_intake_to_the_deeds_handed_over(kartoharjo, new_context, screenshots, tmp_path,
                                                                   app_clock):
    shot = Shots(screenshots, prefix="deed-")
    console = Console(expected=[(400, r"/staf/akta/baru/$")])  # the incomplete intakes refused on the form
    today = timezone.localdate()
    pbb_years = [today.year - 3, today.year - 2, today.year - 1]
    paid_on = today - dt.timedelta(days=2)

    # === 1. the front office takes in the inheritance ==============================================
    front = console.watch(new_context().new_page())
    login(front, "petugas")
    front.locator("nav.staffnav").get_by_role("link", name="Akta tanah", exact=True).click()
    expect(front.get_by_role("heading", name="Akta tanah (Camat selaku PPAT)", level=1)).to_be_visible()
    expect(section(front, "Menunggu tindakan Anda")).to_contain_text("Tidak ada berkas akta yang menunggu Anda.")
    front.get_by_role("link", name="Terima berkas akta").click()
    expect(front).to_have_url(re.compile(r"/staf/akta/baru/$"))
    expect(front.get_by_role("heading", name="Terima berkas akta tanah", level=1)).to_be_visible()
    expect(front.locator(".lead")).to_contain_text("2 minggu/ 60 (enam puluh) hari")
    expect(front.locator("table.parties tbody tr")).to_have_count(4)  # four party rows to start with

    fill_land(front, kind="Akta Pembagian Hak Bersama", title="Sertifikat Hak Milik", reference="SHM No. 789/Klegen",
              kelurahan="Klegen", address="Jl. Wilis 7, RT 02/ RW 03", area="180", nop="35.77.010.003.002-0003.0",
              njop="85.000.000", value="90.000.000")
    front.get_by_label("Sebab perolehan", exact=True).select_option(label="Pewarisan")
    wrong = dict(HEIRS[3], share="1/3")  # 1/2 + 1/4 + 1/3 = 13/12
    for n, p in enumerate(HEIRS[:3] + [wrong], start=1):
        fill_party(front, n, p)
    for text in WARIS_ITEMS:
        if text != MARRIAGE:  # the applicant forgot the deceased's marriage certificate
            front.get_by_label(text, exact=True).check()
    front.get_by_label("asli ditunjukkan", exact=True).check()

    # four rows are full: two more rows, keeping what was typed
    front.get_by_role("button", name="Tambah baris pihak").click()
    expect(front.locator("table.parties tbody tr")).to_have_count(6)
    for n, p in enumerate(HEIRS[:3] + [wrong], start=1):
        expect_party(front, n, p)
    expect(front.get_by_label("Nama 5", exact=True)).to_have_value("")
    expect(front.get_by_label(DEATH, exact=True)).to_be_checked()
    expect(front.get_by_label(MARRIAGE, exact=True)).not_to_be_checked()
    expect(front.get_by_label("Harga transaksi/ nilai perolehan (Rp)")).to_have_value("90.000.000")

    # the fee first, saving nothing
    front.get_by_role("button", name="Hitung uang jasa").click()
    quote = section(front, "Uang jasa PPAT (belum disimpan)")
    expect(quote.locator("#fee-amount")).to_have_text("Rp 900.000")
    expect(quote.locator("dl.facts dt:text-is('Batas 1%') + dd")).to_have_text("Rp 900.000")
    expect(quote.locator("dl.facts dt:text-is('Harga transaksi') + dd")).to_have_text("Rp 90.000.000")
    expect(quote).to_contain_text("Uang jasa 1% dari harga transaksi, termasuk uang jasa saksi")
    expect(front.get_by_label("Jenis akta", exact=True)).to_have_value("pembagian")
    expect_party(front, 4, wrong)
    shot(front, "waris-fee-quoted")
    assert counts() == (0, 0, 0, 0)

    # shares that do not add up: refused, nothing saved, nothing lost
    front.get_by_role("button", name="Terima berkas").click()
    expect(messages(front)).to_have_text("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan.")
    expect(messages(front).locator("li")).to_have_class("msg-error")
    party_fields = front.locator("fieldset", has=front.locator("legend", has_text="Para pihak"))
    expect(party_fields.get_by_role("alert")).to_have_text("Jumlah bagian harus 1; yang diisi 13/12.")
    expect(front).to_have_url(re.compile(r"/staf/akta/baru/$"))
    for n, p in enumerate(HEIRS[:3] + [wrong], start=1):
        expect_party(front, n, p)
    expect(front.get_by_label(KK, exact=True)).to_be_checked()
    expect(front.get_by_label("Kelurahan letak tanah").locator("option:checked")).to_have_text("Klegen")
    shot(front, "waris-shares-refused")
    assert counts() == (0, 0, 0, 0)

    # the shares right, the marriage certificate still missing: returned, naming it
    front.get_by_label("Bagian 4", exact=True).fill("1/4")
    front.get_by_role("button", name="Terima berkas").click()
    expect(front).to_have_url(re.compile(r"/staf/akta/[2-9A-HJ-NP-Z]{8}/$"))
    waris_code = front.locator("h1 .code").inner_text()
    assert re.fullmatch(CODE, waris_code), waris_code
    expect(messages(front)).to_have_text(
        f"Berkas {waris_code} belum lengkap dan dikembalikan ke pemohon; cetak tanda terima berisi kekurangannya.")
    expect(state(front)).to_have_text("Dikembalikan ke pemohon")
    expect(front.get_by_role("heading", name="Akta Pembagian Hak Bersama (karena pewarisan)", level=1)).to_be_visible()
    expect(front.locator("ol.timeline li").last).to_contain_text(f"Kurang: {MARRIAGE}")
    expect(keyfact(front, "Target / batas waktu")).to_have_text("belum berjalan (berkas belum lengkap)")
    waris = Case.objects.get()
    assert (waris.state, waris.deed_kind, waris.value, waris.fee, waris.by_proxy) == (
        S.RETURNED, "pembagian", 90_000_000, 900_000, True)
    assert waris.clock_started_at is None
    assert [(p.name, p.share_display, p.proxy_name) for p in waris.parties.all()] == [
        ("Sarno (alm.)", "", ""), ("Sumini", "1/2", ""), ("Joko Prasetyo", "1/4", ""),
        ("Wati Lestari", "1/4", "Joko Prasetyo")]
    assert sorted(waris.items.filter(present=False).values_list("requirement__text", flat=True)) == [MARRIAGE]
    assert waris.items.count() == len(WARIS_ITEMS)  # only the items that apply to a waris by proxy
    expect(section(front, "Persyaratan").locator("li", has_text=MARRIAGE).locator(".missing")).to_have_text("✗")
    text = pdf_text(fetch_pdf(front, "Tanda terima berkas (PDF)"))  # the slip says what to bring
    assert waris_code in text and "surat nikah" in text and "Dikembalikan ke pemohon" in text, text
    shot(front, "waris-returned")

    # the applicant comes back with it
    resubmit = act_form(front, "Pemohon membawa kekurangan")
    expect(resubmit.get_by_label(DEATH, exact=True)).to_be_checked()  # what was there stays ticked
    expect(resubmit.get_by_label(MARRIAGE, exact=True)).not_to_be_checked()
    expect(resubmit.get_by_label(KUITANSI, exact=True)).to_have_count(0)  # no sale's item on a waris
    resubmit.get_by_label(MARRIAGE, exact=True).check()
    resubmit.get_by_role("button", name="Periksa ulang").click()
    expect(messages(front)).to_have_text("Berkas lengkap dan diterima.")
    expect(state(front)).to_have_text("Diterima front office")
    expect(keyfact(front, "Uang jasa PPAT")).to_contain_text("Rp 900.000")
    expect(keyfact(front, "Uang jasa PPAT")).to_contain_text("tarif 1%, batas 1% = Rp 900.000")
    expect(keyfact(front, "Harga transaksi")).to_have_text("Rp 90.000.000")
    parties = section(front, "Para pihak").locator("tbody tr")
    expect(parties).to_have_count(4)
    expect(parties.nth(3).locator("td")).to_have_text([
        "Ahli waris", "Wati Lestari dikuasakan kepada Joko Prasetyo (Surat kuasa 12 November 2026)", NIKS[5], "1/4"],
        use_inner_text=True)
    expect(parties.nth(0).locator("td").nth(2)).to_have_text(NIKS[2])  # the front office reads NIKs in full
    waris.refresh_from_db()
    assert waris.state == S.RECEIVED and waris.clock_started_at is not None
    shot(front, "waris-received")

    text = pdf_text(fetch_pdf(front, "Tanda terima berkas (PDF)"))
    assert waris_code in text and "900.000" in text and "Pembagian Hak Bersama" in text, text
    assert not any(nik in text for nik in NIKS[2:]), text  # the receipt goes home with the applicant: NIKs masked

    # === 2. the front office takes in the sale ======================================================
    front.locator("nav.staffnav").get_by_role("link", name="Akta tanah", exact=True).click()
    expect(front).to_have_url(re.compile(r"/staf/akta/$"))
    front.get_by_role("link", name="Terima berkas akta").click()
    fill_land(front, kind="Akta Jual Beli", title="Letter C/ Petok D/ persil (belum bersertifikat)",
              reference="Letter C No. 1234 Persil 56", kelurahan="Oro-oro Ombo", address="Jl. Salak III",
              area="250", nop="357701000100100010", njop="120.000.000", value="150.000.000")
    for n, p in enumerate(SALE, start=1):
        fill_party(front, n, p)
    tick(front, SALE_ITEMS, original=False)
    fee_input(front).fill("1.500.001")  # one rupiah above 1 % of Rp 150 juta
    before = counts()
    front.get_by_role("button", name="Terima berkas").click()
    expect(messages(front)).to_have_text("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan.")
    # the cap in figures and its law (the wording "melebihi batas dari harga transaksi" lacks the "1%": not pinned)
    fee_error = front.locator("#fee-error")
    expect(fee_error).to_contain_text("Uang jasa Rp 1.500.001 melebihi batas")
    expect(fee_error).to_contain_text("(paling banyak Rp 1.500.000; PP 24/2016 Pasal 32 ayat (1)).")
    expect(fee_input(front)).to_have_value("1.500.001")
    expect_party(front, 2, SALE[1])
    shot(front, "sale-fee-above-cap-refused")
    assert counts() == before

    fee_input(front).fill("")  # the office's rate
    front.get_by_role("button", name="Terima berkas").click()
    expect(front).to_have_url(re.compile(r"/staf/akta/[2-9A-HJ-NP-Z]{8}/$"))
    sale_code = front.locator("h1 .code").inner_text()
    expect(messages(front)).to_have_text(f"Berkas {sale_code} diterima. Teruskan ke Petugas PPAT.")
    expect(state(front)).to_have_text("Diterima front office")
    expect(keyfact(front, "Uang jasa PPAT")).to_contain_text("Rp 1.500.000")
    sale = Case.objects.get(code=sale_code.replace("-", ""))
    assert (sale.state, sale.deed_kind, sale.value, sale.fee, sale.by_proxy) == (
        S.RECEIVED, "jual_beli", 150_000_000, 1_500_000, False)
    assert sale.fee * 100 <= sale.value

    # both to the Petugas PPAT
    act_form(front, "Teruskan ke Petugas PPAT").get_by_role("button", name="Teruskan").click()
    expect(messages(front)).to_have_text("Berkas diteruskan ke Petugas PPAT.")
    expect(state(front)).to_have_text("Disiapkan petugas PPAT")
    open_case(front, waris_code)
    act_form(front, "Teruskan ke Petugas PPAT").get_by_role("button", name="Teruskan").click()
    expect(messages(front)).to_have_text("Berkas diteruskan ke Petugas PPAT.")
    expect(state(front)).to_have_text("Disiapkan petugas PPAT")
    # the counter may still withdraw the case (before signing), nothing else
    expect(front.locator(".act-form h3")).to_have_text(["Batalkan berkas"])
    assert set(Case.objects.values_list("state", flat=True)) == {S.PREPARING}
    shot(front, "waris-forwarded")

    # === 3. the Petugas PPAT: a pause, the tax proofs; the Kasi Pemerintahan validates ============
    ppat = console.watch(new_context().new_page())
    login(ppat, "ppat")
    ppat.locator("nav.staffnav").get_by_role("link", name="Akta tanah", exact=True).click()
    expect(section(ppat, "Menunggu tindakan Anda").locator("tbody tr")).to_have_count(2)
    open_case(ppat, sale_code)
    wait = act_form(ppat, "Minta pemohon melengkapi")
    expect(wait).to_contain_text("Waktu layanan berhenti sampai berkas dilanjutkan.")
    wait.get_by_label("Yang diminta").fill("Fotokopi SPPT PBB tahun berjalan belum dibawa")
    wait.get_by_role("button", name="Tunda berkas").click()
    expect(messages(ppat)).to_have_text("Berkas menunggu kelengkapan; waktu layanan berhenti.")
    expect(state(ppat)).to_have_text("Menunggu kelengkapan pemohon")
    expect(keyfact(ppat, "Target / batas waktu")).to_contain_text("waktu berhenti (menunggu pemohon)")
    expect(section(ppat, "Riwayat")).to_contain_text(
        "Waktu berhenti: " + f"{today:%d-%m-%Y}–sekarang (Fotokopi SPPT PBB tahun berjalan belum dibawa)")
    assert Pause.objects.filter(case=sale, ended_at__isnull=True).count() == 1
    shot(ppat, "sale-waiting")

    resume = act_form(ppat, "Kelengkapan sudah dibawa")
    resume.get_by_label("Catatan (boleh kosong)").fill("SPPT sudah diserahkan")
    resume.get_by_role("button", name="Lanjutkan berkas").click()
    expect(messages(ppat)).to_have_text("Berkas dilanjutkan; waktu layanan berjalan lagi.")
    expect(state(ppat)).to_have_text("Disiapkan petugas PPAT")
    expect(keyfact(ppat, "Target / batas waktu")).not_to_contain_text("waktu berhenti")
    assert Pause.objects.filter(case=sale, ended_at__isnull=True).count() == 0
    assert Pause.objects.filter(case=sale).count() == 1

    # the Kasi Pemerintahan: no validation while a proof is missing
    kasi = console.watch(new_context().new_page())
    login(kasi, "kasi.pemerintahan")
    open_case(kasi, waris_code)
    missing = "; ".join([f"Pelunasan PBB tahun {y}" for y in pbb_years] + ["SSB BPHTB", "SSP PPh"])
    # the inheritance (Rp 90 juta) is under its BPHTB NPOPTKP of Rp 300 juta (UU 1/2022 Pasal 46): no SSB
    missing_waris = "; ".join([f"Pelunasan PBB tahun {y}" for y in pbb_years] + ["SSP PPh"])
    validate = act_form(kasi, "Validasi Kasi Pemerintahan")
    expect(validate.locator("p.missing")).to_have_text(f"Menunggu bukti pajak dari Petugas PPAT: {missing_waris}.")
    expect(validate.get_by_role("button", name="Validasi akta")).to_have_count(0)  # not offered yet
    expect(state(kasi)).to_have_text("Disiapkan petugas PPAT")
    shot(kasi, "kasi-validation-waits-for-taxes")
    # forced anyway (as from a page left open): refused with the list, nothing changes
    answer = post_act(kasi, "validate")
    assert f'<li class="msg-error">Bukti pajak belum lengkap: {missing_waris}.</li>' in answer, answer
    waris.refresh_from_db()
    assert waris.state == S.PREPARING and waris.validated_by_id is None

    # the officer records the proofs of both cases
    for code in (sale_code, waris_code):
        if code == waris_code:
            open_case(ppat, waris_code)
        tax = section(ppat, "Bukti pajak")
        expect(tax.locator("p.missing")).to_have_text(f"Belum ada: {missing_waris if code == waris_code else missing}.")
        expect(act_form(ppat, "Catat bukti pajak").get_by_label("Tahun pajak (untuk PBB)").locator("option")
               ).to_have_text([str(y) for y in pbb_years])
        for y in pbb_years:
            record_proof(ppat, kind="Pelunasan PBB", year=y, number=f"STTS-{y}-{code[:4]}", paid_on=paid_on,
                         amount="150.000")
        if code == sale_code:
            record_proof(ppat, kind="SSB BPHTB", number=f"NTPD-{code[:4]}", paid_on=paid_on, amount="2.500.000")
        record_proof(ppat, kind="SSP PPh", number=f"NTPN-{code[:4]}", paid_on=paid_on, amount="3.750.000")
        expect(tax.locator("p.ok")).to_have_text("Bukti pajak lengkap.")
        expect(tax.locator("tbody tr")).to_have_count(5 if code == sale_code else 4)
        if code == sale_code:
            expect(tax.locator("tbody tr", has_text="SSB BPHTB").locator("td")).to_have_text(
                ["SSB BPHTB", f"NTPD-{code[:4]}", f"{paid_on:%d-%m-%Y}", "Rp 2.500.000"])
    shot(ppat, "waris-tax-proofs")
    assert TaxProof.objects.count() == 9
    assert set(TaxProof.objects.filter(kind="pbb").values_list("year", flat=True)) == set(pbb_years)
    assert set(TaxProof.objects.exclude(kind="pbb").values_list("year", flat=True)) == {0}

    for code in (waris_code, sale_code):
        open_case(kasi, code)
        validate = act_form(kasi, "Validasi Kasi Pemerintahan")
        expect(validate.locator("p.missing")).to_have_count(0)
        validate.get_by_role("button", name="Validasi akta").click()
        expect(messages(kasi)).to_have_text("Akta divalidasi.")
        expect(state(kasi)).to_have_text("Divalidasi Kasi Pemerintahan")
    assert set(Case.objects.values_list("state", "validated_by__username")) == {(S.VALIDATED, "kasi.pemerintahan")}

    # the officer records the certificate check at the Kantor Pertanahan (PP 24/1997 Pasal 39)
    for code in (waris_code, sale_code):
        open_case(ppat, code)
        check = act_form(ppat, "Catat pengecekan sertipikat")
        check.get_by_label("Tanggal pengecekan").fill(f"{today:%Y-%m-%d}")
        check.get_by_role("button", name="Catat").click()
        expect(messages(ppat)).to_have_text("Pengecekan sertipikat dicatat.")

    # === 4. the sidang, on the next weekday; the Camat's calendar =================================
    day = next_weekday(today)
    nine = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    ten = nine + dt.timedelta(hours=1)
    open_case(ppat, waris_code)
    schedule(ppat, nine, "Hadi Susanto", "hadi susanto")
    expect(messages(ppat)).to_have_text("Tidak disimpan: Dua saksi harus dua orang yang berbeda.")
    expect(state(ppat)).to_have_text("Divalidasi Kasi Pemerintahan")
    assert Signing.objects.count() == 0
    schedule(ppat, nine, "Hadi Susanto", "Sri Wahyuni")
    expect(messages(ppat)).to_have_text("Sidang dijadwalkan.")
    expect(state(ppat)).to_have_text("Sidang dijadwalkan")
    sidang = section(ppat, "Sidang penandatanganan")
    expect(sidang.locator("dt:text-is('Tempat') + dd")).to_have_text("Ruang Camat")
    expect(sidang.locator("dt:text-is('Saksi') + dd")).to_have_text("Hadi Susanto; Sri Wahyuni")
    expect(sidang.locator("dt:text-is('Waktu') + dd")).to_contain_text(f"{day:%d-%m-%Y} 09:00–10:00")
    expect(act_form(ppat, "Pindah jadwal sidang")).to_be_visible()  # it can still be moved

    open_case(ppat, sale_code)
    schedule(ppat, nine, "Hadi Susanto", "Sri Wahyuni")  # the Camat is busy then
    expect(messages(ppat)).to_have_text("Camat sudah dijadwalkan sidang lain pada waktu itu. Pilih waktu lain.")
    expect(messages(ppat).locator("li")).to_have_class("msg-error")
    expect(state(ppat)).to_have_text("Divalidasi Kasi Pemerintahan")
    shot(ppat, "sale-sidang-refused")
    assert Signing.objects.filter(case=sale).count() == 0
    schedule(ppat, ten, "Hadi Susanto", "Sri Wahyuni")
    expect(messages(ppat)).to_have_text("Sidang dijadwalkan.")
    expect(state(ppat)).to_have_text("Sidang dijadwalkan")
    assert list(Signing.objects.filter(cancelled=False).order_by("starts_at").values_list("case__code", "starts_at")
                ) == [(waris.code, nine), (sale.code, ten)]
    assert SigningSlot.objects.filter(released=False).count() == 4  # two hours of the Camat's time

    camat = console.watch(new_context().new_page())
    login(camat, "camat")
    camat.locator("nav.staffnav").get_by_role("link", name="Akta tanah", exact=True).click()
    expect(section(camat, "Menunggu tindakan Anda").locator("tbody tr")).to_have_count(2)
    camat.get_by_role("link", name="Kalender sidang Camat").click()
    expect(camat).to_have_url(re.compile(r"/staf/akta/kalender/$"))
    expect(camat.get_by_role("heading", name="Kalender sidang Camat (PPAT)", level=1)).to_be_visible()
    sidang_day = camat.locator(".calendar-day", has=camat.get_by_role(
        "heading", name=re.compile(rf", {re.escape(tanggal(day))}$"), level=3))
    expect(sidang_day.locator("li")).to_have_text([
        f"09:00–10:00 · Akta Pembagian Hak Bersama (karena pewarisan) {waris_code} · Ruang Camat",
        f"10:00–11:00 · Akta Jual Beli {sale_code} · Ruang Camat"])
    expect(camat.locator(".calendar-day li")).to_have_count(2)
    shot(camat, "camat-calendar")

    # === 5. the Camat signs from the sidang's start; the register; the hand-over ==================
    sidang_day.get_by_role("link", name=f"Akta Pembagian Hak Bersama (karena pewarisan) {waris_code}").click()
    expect(camat.locator("h1 .code")).to_have_text(waris_code)
    sign = act_form(camat, "Tanda tangan Camat selaku PPAT")
    expect(sign.locator("p.hint")).to_have_text(f"Dapat ditandatangani mulai sidang, {day:%d-%m-%Y} 09:00.")
    expect(sign.get_by_role("button", name="Tandatangani akta")).to_have_count(0)  # not before the sidang
    answer = post_act(camat, "sign")  # forced anyway: refused
    assert f'<li class="msg-error">Sidang baru dimulai {day:%d-%m-%Y} 09:00.</li>' in answer, answer
    expect(state(camat)).to_have_text("Sidang dijadwalkan")
    assert Case.objects.get(pk=waris.pk).signed_at is None

    # The sidang's morning: the server's clock moves to five past nine of that day.
    app_clock.to(nine + dt.timedelta(minutes=5))
    camat.reload()
    expect(sign.locator("p.hint")).to_have_count(0)  # the live server reads the moved clock
    expect(sign.get_by_role("button", name="Tandatangani akta")).to_be_visible()
    sign.get_by_role("button", name="Tandatangani akta").click()
    expect(messages(camat)).to_have_text("Akta ditandatangani.")
    expect(state(camat)).to_have_text("Ditandatangani Camat selaku PPAT")

    open_case(camat, sale_code)
    sign = act_form(camat, "Tanda tangan Camat selaku PPAT")
    expect(sign.locator("p.hint")).to_have_text(f"Dapat ditandatangani mulai sidang, {day:%d-%m-%Y} 10:00.")
    app_clock.to(ten + dt.timedelta(minutes=5))
    camat.reload()
    expect(sign.locator("p.hint")).to_have_count(0)
    expect(sign.get_by_role("button", name="Tandatangani akta")).to_be_visible()
    sign.get_by_role("button", name="Tandatangani akta").click()
    expect(messages(camat)).to_have_text("Akta ditandatangani.")
    expect(state(camat)).to_have_text("Ditandatangani Camat selaku PPAT")
    shot(camat, "sale-signed")
    signed = dict(Case.objects.values_list("code", "signed_at"))
    assert nine < signed[waris.code] < ten < signed[sale.code], signed

    year = timezone.localtime(timezone.now()).year  # the register's year: the (moved) clock's
    registered = {}
    for n, (code, kind) in enumerate([(waris_code, WARIS_KIND), (sale_code, "Akta Jual Beli")], start=1):
        open_case(ppat, code)
        expect(state(ppat)).to_have_text("Ditandatangani Camat selaku PPAT")
        expect(ppat.get_by_role("link", name="Sampul akta (PDF)")).to_have_count(0)
        act_form(ppat, "Catat di Buku Register PPAT").get_by_role("button", name="Beri nomor akta").click()
        expect(messages(ppat)).to_have_text(f"Akta dicatat di Buku Register PPAT nomor {n}/{year}.")
        expect(state(ppat)).to_have_text("Dicatat di Buku Register PPAT")
        expect(keyfact(ppat, "Buku Register PPAT")).to_have_text(f"Nomor {n}/{year}")
        handover = act_form(ppat, "Serahkan ke pemohon (untuk BPN)")
        handover.get_by_label("Diterima oleh").fill("Sumini" if kind == WARIS_KIND else "Budi Santoso")
        handover.get_by_role("button", name="Serahkan").click()
        expect(messages(ppat)).to_have_text("Akta diserahkan.")
        expect(state(ppat)).to_have_text("Diserahkan ke pemohon")
        expect(ppat.locator("ol.timeline li").last).to_contain_text("Diserahkan ke pemohon")
        deliver = act_form(ppat, "Catat penyampaian ke Kantor Pertanahan")
        deliver.get_by_label("Tanggal penyampaian").fill(f"{day:%Y-%m-%d}")
        deliver.get_by_label("Nomor tanda terima Kantor Pertanahan").fill(f"TT-{n}/BPN/{year}")
        deliver.get_by_role("button", name="Catat").click()
        expect(messages(ppat)).to_have_text("Penyampaian akta ke Kantor Pertanahan dicatat.")
        expect(ppat.get_by_role("heading", name="Tindakan")).to_have_count(0)  # delivered once: nothing left
        registered[code] = f"{n}/{year}"
    shot(ppat, "sale-handed-over")
    month = timezone.localtime(Case.objects.get(pk=waris.pk).register_entry.entered_at).date().replace(day=1)
    app_clock.reset()  # back to the real time: the papers and the report do not depend on it

    rows = {c.code: c for c in Case.objects.select_related("register_entry")}
    assert {(c.state, c.register_entry.number_display, c.handed_over_to) for c in rows.values()} == {
        (S.HANDED_OVER, f"1/{year}", "Sumini"), (S.HANDED_OVER, f"2/{year}", "Budi Santoso")}
    assert rows[waris.code].register_entry.number_display == f"1/{year}"

    # === 6. the cover of a deed; the monthly report =================================================
    text = pdf_text(fetch_pdf(ppat, "Sampul akta (PDF)"))  # the sale's page
    assert f"Nomor: 2/{year}" in text and "AKTA JUAL BELI" in text and sale_code in text, text

    ppat.locator("nav.staffnav").get_by_role("link", name="Akta tanah", exact=True).click()
    ppat.get_by_role("link", name="Laporan bulanan PPAT").click()
    expect(ppat).to_have_url(re.compile(r"/staf/akta/laporan/$"))
    expect(ppat.get_by_role("heading", name="Laporan Bulanan PPAT: daftar akta yang dibuat", level=1)).to_be_visible()
    ppat.get_by_label("Bulan", exact=True).fill(f"{month:%Y-%m}")
    ppat.get_by_role("button", name="Tampilkan").click()
    expect(ppat).to_have_url(re.compile(rf"/staf/akta/laporan/\?bulan={month:%Y-%m}$"))
    label = f"{MONTHS[month.month - 1]} {month.year}"
    expect(ppat.locator("#r-month")).to_have_text(label)
    report = ppat.locator("#r-rows tbody tr")
    expect(report).to_have_count(2)
    expect(report.nth(0).locator("td").nth(1)).to_have_text(f"1/{year}")
    expect(report.nth(0).locator("td").nth(3)).to_have_text(WARIS_KIND)
    expect(report.nth(0)).to_contain_text("Sarno (alm.)")
    expect(report.nth(1).locator("td").nth(1)).to_have_text(f"2/{year}")
    expect(report.nth(1).locator("td").nth(3)).to_have_text("Akta Jual Beli")
    expect(report.nth(1)).to_contain_text("Siti Aminah")
    expect(ppat.locator("#r-count")).to_have_text("2")
    expect(ppat.locator("#r-total")).to_have_text("Rp 240.000.000")
    expect(ppat.locator("#r-bphtb")).to_have_text("Rp 2.500.000")  # the sale only: the inheritance is under its NPOPTKP
    expect(ppat.locator("#r-pph")).to_have_text("Rp 7.500.000")
    html = ppat.content()
    assert not any(nik in html for nik in NIKS), "the report carries no NIK"
    shot(ppat, "monthly-report")

    downloads = ppat.locator("p.downloads", has_text=f"Laporan {label}")
    name, data = download(downloads.get_by_role("link", name="Unduh XLSX"), tmp_path)
    assert name == f"laporan-bulanan-ppat-{month:%Y-%m}.xlsx", name
    values = xlsx_values(data)
    assert f"1/{year}" in values and f"2/{year}" in values and 150_000_000 in values, values
    name, data = download(downloads.get_by_role("link", name="Unduh PDF"), tmp_path)
    assert name == f"laporan-bulanan-ppat-{month:%Y-%m}.pdf" and data.startswith(b"%PDF"), (name, data[:8])
    text = pdf_text(data)
    assert f"1/{year}" in text and f"2/{year}" in text, text

    # === 7. the Bendahara: the case, NIKs masked, no acts ============================================
    bendahara = console.watch(new_context().new_page())
    login(bendahara, "bendahara")
    bendahara.locator("nav.staffnav").get_by_role("link", name="Akta tanah", exact=True).click()
    expect(bendahara.get_by_role("link", name="Terima berkas akta")).to_have_count(0)
    open_case(bendahara, waris_code, where="Semua berkas akta")
    expect(state(bendahara)).to_have_text("Diserahkan ke pemohon")
    parties = section(bendahara, "Para pihak").locator("tbody tr")
    expect(parties).to_have_count(4)
    for i, p in enumerate(HEIRS):
        expect(parties.nth(i).locator("td").nth(2)).to_have_text(p["nik"][:6] + "*" * 10)
    html = bendahara.content()
    assert not any(nik in html for nik in NIKS), "a full NIK shown to the Bendahara"
    expect(bendahara.get_by_role("heading", name="Tindakan")).to_have_count(0)
    expect(bendahara.locator(".act-form")).to_have_count(0)
    expect(fact(bendahara, "Luas")).to_have_text("180 m²")
    shot(bendahara, "bendahara-masked")

    console.assert_clean()
