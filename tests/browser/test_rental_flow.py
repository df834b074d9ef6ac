"""Sewa gedung pertemuan (issue 7) end to end, driven through the public and staff pages in a
real (headless, system) Chromium, with a screenshot at each main step:

1. a caller asks about next month: anyone opens the hall's public schedule from the office's
   page, moves to next month and reads the free sessions and the tariff (no renter shown);
2. the Bendahara Penerimaan opens the Papan Penyewa, moves to next month, clicks a free
   half-day and takes the order that came by letter: Sehari for an OPD (50 % of the hall's
   tariff) with cleaning and parking staff; the quote is shown before saving, the booking gets
   its number in the Buku Register Penyewa;
3. she prints the quote (Surat penawaran/ tagihan, PDF);
4. she records the payment: a wrong amount first (refused in Indonesian, still booked), then
   the right one; a numbered kuitansi is given and printed (PDF);
5. a second order for the same day (Siang) is refused with a clear message; nothing is saved;
6. the board shows the day taken; the public schedule shows it taken without the renter's
   name, organisation, telephone or event;
7. the retribution report of the month the payment was recorded (from the board's link), as
   XLSX and PDF, and the year's Buku Register Penyewa, as XLSX and PDF;
8. a Kasi of another unit sees the board and the booking but may not take orders or act.

The browser's console must stay clean (no CSP violation, no script error) except for the one
refusal the test provokes (the 409 of the double booking).

Data is set up the way ``loket setup`` sets up an office: the roles, the bundled Kartoharjo
2018 standard (with the hall's tariff) and the venue it describes, plus one staff account per
role in the flow. Everything after that happens in the browser.

Screenshots land in tests/browser/screenshots/rental-NN-name.png (ignored by git).
"""

import calendar
import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, download, expect, fact, fetch_pdf, login, logout, PASSWORD, pdf_text, Shots, xlsx_values,
)

from loket.catalog.services import standard_load
from loket.core.formats import MONTHS
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.registers.models import RegisterEntry
from loket.rentals.models import Booking, Slot, Venue
from loket.rentals.services import venues_default_create


pytestmark = pytest.mark.django_db(transaction=True)

HALL = "Gedung Pertemuan Karto Praja"
SEHARI = "Sehari (siang – malam) (Jam: 07.00 – 20.00 wib)"
SIANG = "Siang hari/ per hari (Jam: 07.00 – 15.00 wib/ 8 jam)"
ORDER = {  # the letter of the Dinas Pendidikan, as the Bendahara types it in
    "renter_name": "Drs. Bambang Wijaya", "organisation": "Dinas Pendidikan Kota Madiun",
    "phone": "081234567890", "event": "Rapat koordinasi kepala sekolah", "attendance": "150",
}
SECOND = {  # a caller who wants the same day
    "renter_name": "Sri Rahayu", "organisation": "", "phone": "085612345678",
    "event": "Resepsi pernikahan", "attendance": "300",
}
WORDS = "satu juta tiga ratus lima puluh ribu rupiah"
DISPLAY_CODE = r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}"


@pytest.fixture
def kartoharjo(transactional_db):
    """The Kartoharjo office as ``loket setup`` leaves it (with its hall), and one account per role in the flow."""
    caches["pages"].clear()  # the public schedule is cached for visitors
    roles_sync()
    office = standard_load().office
    assert venues_default_create(office=office) == 1
    umum = Unit.objects.get(office=office, code="umum")
    pem = Unit.objects.get(office=office, code="pemerintahan")
    for username, role, unit, full_name in [
        ("bendahara", Role.BENDAHARA, umum, "Bendahara Penerimaan"),
        ("kasi.pemerintahan", Role.KASI, pem, "Kasi Pemerintahan"),
    ]:
        staff_create(office=office, username=username, role=role, unit=unit, password=PASSWORD, full_name=full_name)
    return office


def next_month_day(day: int = 10) -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=day)


def month_label(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def public_half(page, venue: str, day: dt.date, half: str):
    """The state ("Kosong"/"Terisi") of a half-day ("Siang"/"Malam") in the public calendar."""
    cell = page.locator(f"td#{venue}-{day.isoformat()}")
    return cell.locator("span.half", has=page.locator("span.half-name", has_text=half)).locator(".half-state")


def board_day(page, day: dt.date):
    return page.locator(f"table.rental-month td[data-date='{day.isoformat()}']")


def messages(page):
    return page.locator(".messages")


def state(page):
    """The state badge at the top of a booking's page."""
    return page.locator(".lead .state")


def expect_quote(section):
    """The quote of the OPD's Sehari with cleaning and parking: the hall at 50 %, the staff in full."""
    rows = section.locator("table.quote tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td")).to_have_text(
        [f"{SEHARI}, Pemerintah Daerah 50 %", "1", "Rp 1.000.000", "Rp 1.000.000"])
    expect(rows.nth(1).locator("td")).to_have_text(["Petugas Kebersihan (4 orang)", "4", "Rp 70.000", "Rp 280.000"])
    expect(rows.nth(2).locator("td")).to_have_text(["Petugas Parkir (1 orang)", "1", "Rp 70.000", "Rp 70.000"])
    expect(section.locator("table.quote tfoot td")).to_have_text("Rp 1.350.000")
    # the template capitalises the first letter of quote.terbilang's words
    expect(section.locator("p.terbilang em")).to_have_text(WORDS[0].upper() + WORDS[1:])


def fill_order(page, who: dict):
    page.get_by_label("Perkiraan jumlah peserta").fill(who["attendance"])
    page.get_by_label("Nama acara").fill(who["event"])
    page.get_by_label("Nama pemesan", exact=True).fill(who["renter_name"])
    page.get_by_label("Instansi/ organisasi (boleh kosong)").fill(who["organisation"])
    page.get_by_label("Telepon/ WhatsApp").fill(who["phone"])


def test_hall_rental_from_the_public_schedule_to_the_register(kartoharjo, new_context, screenshots, tmp_path):
    shot = Shots(screenshots, prefix="rental-")
    console = Console(expected=[(409, r"/staf/gedung/baru/(\?.*)?$")])  # the double booking refused on the order form
    slug = kartoharjo.slug
    venue = Venue.objects.get(office=kartoharjo)
    today = timezone.localdate()
    day = next_month_day(10)
    next_label = month_label(day)
    halves_next_month = 2 * calendar.monthrange(day.year, day.month)[1]

    # === 1. a caller asks about next month: the public schedule ==================================
    public = console.watch(new_context().new_page())
    public.goto(f"/{slug}/")
    public.get_by_role("link", name="Jadwal gedung pertemuan").click()
    expect(public).to_have_url(re.compile(rf"/{slug}/gedung/$"))
    expect(public.get_by_role("heading", name="Jadwal gedung pertemuan", level=1)).to_be_visible()
    expect(public.locator("#bulan-ini")).to_have_text(month_label(today))
    public.get_by_role("link", name=f"{next_label} ›").click()
    expect(public).to_have_url(re.compile(rf"/{slug}/gedung/\?bulan={day:%Y-%m}$"))
    expect(public.locator("#bulan-ini")).to_have_text(next_label)
    expect(public.get_by_role("heading", name=HALL, level=2)).to_be_visible()
    expect(public.locator(f"#sisa-{venue.code}")).to_have_text(str(halves_next_month))
    expect(public_half(public, venue.code, day, "Siang")).to_have_text("Kosong")
    expect(public_half(public, venue.code, day, "Malam")).to_have_text("Kosong")
    expect(public.locator("table.rental-month span.half.taken")).to_have_count(0)
    tariff = public.locator("table.table", has=public.get_by_role("columnheader", name="Tarif per hari"))
    sehari_row = tariff.locator("tbody tr", has_text=SEHARI)
    expect(sehari_row.locator("td")).to_have_text([SEHARI, "07.00–20.00 WIB", "Rp 2.000.000", "Rp 1.000.000"])
    expect(tariff.get_by_role("columnheader", name="Pemerintah Daerah (50 %)")).to_be_visible()
    expect(public.locator("#aturan-pemda")).to_contain_text("Pemakaian oleh Pemerintah Daerah (OPD) dikenakan 50 %")
    expect(public.get_by_text("Petugas Kebersihan: 4 orang × Rp 70.000 = Rp 280.000")).to_be_visible()
    expect(public.get_by_role("button", name=re.compile(r"^Keluar"))).to_have_count(0)
    shot(public, "public-next-month")

    # === 2. the Bendahara takes the order, from a free half-day of the board ======================
    staff = console.watch(new_context().new_page())
    login(staff, "bendahara")
    staff.locator("nav.staffnav").get_by_role("link", name="Sewa gedung", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/staf/gedung/$"))
    expect(staff.get_by_role("heading", name=f"Papan Penyewa — {HALL}", level=1)).to_be_visible()
    staff.get_by_role("link", name="Bulan berikutnya →").click()
    expect(staff).to_have_url(re.compile(rf"/staf/gedung/\?bulan={day:%Y-%m}$"))
    expect(staff.locator(".rental-bar .pager strong")).to_have_text(next_label)
    expect(staff.get_by_text("Belum ada pesanan bulan ini.")).to_be_visible()
    cell = board_day(staff, day)
    expect(cell.locator("a.half.free")).to_have_count(2)
    shot(staff, "board-next-month")

    cell.get_by_role("link", name="Siang kosong — catat pesanan").click()
    expect(staff).to_have_url(re.compile(rf"/staf/gedung/baru/\?tanggal={day.isoformat()}&sesi=siang$"))
    expect(staff.get_by_role("heading", name="Catat pesanan sewa gedung", level=1)).to_be_visible()
    expect(staff.get_by_label("Tanggal pemakaian (hari pertama)")).to_have_value(day.isoformat())
    expect(staff.get_by_label("Sesi", exact=True)).to_have_value("siang")  # prefilled from the board
    expect(staff.get_by_label("Jumlah hari berturut-turut")).to_have_value("1")
    expect(staff.get_by_label("Cara memesan")).to_have_value("surat")  # a letter is the default

    staff.get_by_label("Sesi", exact=True).select_option(label=f"{SEHARI} — Rp 2.000.000")
    fill_order(staff, ORDER)
    staff.get_by_label("Cara memesan").select_option(label="Surat pesanan")
    staff.get_by_label("Jenis pemesan").select_option(label="OPD (Pemerintah Daerah)")
    staff.get_by_label("Petugas Kebersihan (4 orang × Rp 70.000 per hari)").check()
    staff.get_by_label("Petugas Parkir (1 orang × Rp 70.000 per hari)").check()
    expect(staff.get_by_label("Petugas Keamanan (1 orang × Rp 70.000 per hari)")).not_to_be_checked()

    # the price first, saving nothing
    staff.get_by_role("button", name="Hitung harga").click()
    preview = staff.locator("section.quote-preview")
    expect(preview.get_by_role("heading", name="Perkiraan harga (belum disimpan)")).to_be_visible()
    expect_quote(preview)
    expect(staff.get_by_label("Sesi", exact=True)).to_have_value("sehari")  # the form kept what was typed
    expect(staff.get_by_label("Petugas Parkir (1 orang × Rp 70.000 per hari)")).to_be_checked()
    shot(staff, "order-quote")
    assert Booking.objects.count() == 0

    staff.get_by_role("button", name="Pesan", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/staf/gedung/[2-9A-HJ-NP-Z]{8}/$"))
    b = Booking.objects.get()
    register_no = b.register_entry.number_display
    assert register_no == f"1/{today.year}"
    code = staff.locator("h1 .code").inner_text()
    assert re.fullmatch(DISPLAY_CODE, code), code
    expect(messages(staff)).to_have_text(f"Pesanan {code} dicatat di Buku Register Penyewa nomor {register_no}.")
    expect(state(staff)).to_have_text("Dipesan")
    expect(staff.locator("dl.keyfacts div", has_text="Sesi")).to_contain_text("Sehari (07.00–20.00 WIB)")
    expect(staff.locator("dl.keyfacts div", has_text="Jumlah tagihan")).to_contain_text("Rp 1.350.000")
    expect(staff.locator("dl.keyfacts div", has_text="Buku Register Penyewa")).to_contain_text(f"Nomor {register_no}")
    expect(fact(staff, "Pemesan")).to_have_text(ORDER["renter_name"])
    expect(fact(staff, "Jenis pemesan")).to_have_text("OPD (Pemerintah Daerah)")
    expect(fact(staff, "Cara memesan")).to_have_text("Surat pesanan")
    expect_quote(staff.locator("section", has=staff.get_by_role("heading", name="Rincian harga")))
    shot(staff, "booked")
    assert (b.state, b.session, b.government, b.cleaning, b.parking, b.security, b.total) == (
        Booking.State.BOOKED, "sehari", True, True, True, False, 1_350_000)
    assert b.quote["total_words"] == WORDS

    # === 3. the quote on paper =====================================================================
    text = pdf_text(fetch_pdf(staff, "Surat penawaran/ tagihan (PDF)"))
    assert "1.350.000" in text and ORDER["event"] in text, text
    assert ORDER["phone"] not in text  # no paper carries the renter's telephone

    # === 4. the payment: a wrong amount, then the right one; the kuitansi ==========================
    acts = staff.locator("section.rental-acts")
    amount = acts.get_by_label("Jumlah diterima (rupiah)")
    expect(amount).to_have_value("1350000")  # the bill, prefilled
    expect(acts.locator("#pay-hint")).to_have_text("Harus sama dengan tagihan: Rp 1.350.000. Kuitansi bernomor dibuat.")
    expect(staff.get_by_role("link", name="Kuitansi (PDF)")).to_have_count(0)
    amount.fill("1.000.000")
    acts.get_by_role("button", name="Catat pembayaran").click()
    expect(messages(staff)).to_have_text(re.compile(r"^Jumlah dibayar harus sama dengan tagihan: Rp 1\.350\.000 \(SKRD \d+/\d{4}\)\.$"))
    expect(messages(staff).locator("li")).to_have_class("msg-error")
    expect(state(staff)).to_have_text("Dipesan")
    shot(staff, "pay-wrong-amount")
    b.refresh_from_db()
    assert (b.state, b.paid_amount, b.receipt_entry_id) == (Booking.State.BOOKED, None, None)

    amount.fill("Rp 1.350.000")  # as written on the bill
    acts.get_by_role("button", name="Catat pembayaran").click()
    b.refresh_from_db()
    assert b.state == Booking.State.PAID, b.state
    receipt_no = b.receipt_entry.number_display
    assert receipt_no == f"1/{today.year}"
    expect(messages(staff)).to_have_text(f"Pesanan {code}: Lunas. Kuitansi nomor {receipt_no}.")
    expect(state(staff)).to_have_text("Lunas")
    expect(staff.locator("dl.keyfacts div", has_text="Kuitansi")).to_contain_text(f"Nomor {receipt_no}")
    expect(acts.get_by_role("button", name="Catat pembayaran")).to_have_count(0)
    expect(staff.locator("ol.timeline li")).to_have_count(2)  # Dipesan, Lunas
    shot(staff, "paid")
    text = pdf_text(fetch_pdf(staff, "Kuitansi (PDF)"))
    assert "1.350.000" in text and receipt_no in text, text

    # === 5. a second order for the same day is refused; nothing is saved ===========================
    counts = (Booking.objects.count(), Slot.objects.count(), RegisterEntry.objects.count())
    staff.get_by_role("link", name="Papan Penyewa", exact=True).click()
    expect(staff).to_have_url(re.compile(rf"/staf/gedung/\?bulan={day:%Y-%m}"))
    staff.get_by_role("link", name="Catat pesanan", exact=True).click()
    expect(staff.get_by_role("heading", name="Catat pesanan sewa gedung", level=1)).to_be_visible()
    staff.get_by_label("Tanggal pemakaian (hari pertama)").fill(day.isoformat())
    staff.get_by_label("Sesi", exact=True).select_option(label=f"{SIANG} — Rp 1.000.000")
    fill_order(staff, SECOND)
    staff.get_by_label("Cara memesan").select_option(label="Telepon")
    staff.get_by_label("Jenis pemesan").select_option(label="Masyarakat")
    staff.get_by_role("button", name="Pesan", exact=True).click()
    expect(messages(staff)).to_have_text("Sesi yang diminta sudah dipesan. Tidak ada yang disimpan.")
    expect(staff.locator("#session-error")).to_have_text(
        f"Sesi itu sudah dipesan ({day:%d-%m-%Y}, siang: {ORDER['event']}). Pilih tanggal atau sesi lain.")
    expect(staff.get_by_label("Sesi", exact=True)).to_have_attribute("aria-describedby", "session-error")
    expect(staff.get_by_label("Nama pemesan", exact=True)).to_have_value(SECOND["renter_name"])  # nothing lost
    expect(staff).to_have_url(re.compile(r"/staf/gedung/baru/$"))
    shot(staff, "double-booking-refused")
    assert (Booking.objects.count(), Slot.objects.count(), RegisterEntry.objects.count()) == counts

    # === 6. the board shows the day taken; the public schedule too, without who =====================
    staff.get_by_role("link", name="← Papan Penyewa").click()
    expect(staff).to_have_url(re.compile(rf"/staf/gedung/\?bulan={day:%Y-%m}$"))
    cell = board_day(staff, day)
    expect(cell.locator("a.half.free")).to_have_count(0)
    taken = cell.locator("a.half.taken")
    expect(taken).to_have_count(2)
    for half in range(2):
        expect(taken.nth(half)).to_contain_text(ORDER["event"])
        expect(taken.nth(half).locator(".half-state")).to_have_text("Lunas")
    rows = staff.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td")).to_have_text([
        code, f"{day.day} {MONTHS[day.month - 1]} {day.year}", "Sehari (07.00–20.00 WIB)",
        re.compile(re.escape(ORDER["renter_name"])), ORDER["event"], "Lunas", "Rp 1.350.000"])
    shot(staff, "board-taken")

    # the public page is kept a minute for visitors ("diperbarui paling lambat satu menit"): not waited for
    caches["pages"].clear()
    public.reload()
    expect(public.locator("#bulan-ini")).to_have_text(next_label)
    expect(public_half(public, venue.code, day, "Siang")).to_have_text("Terisi")
    expect(public_half(public, venue.code, day, "Malam")).to_have_text("Terisi")
    expect(public.locator(f"#sisa-{venue.code}")).to_have_text(str(halves_next_month - 2))
    body = public.locator("body").inner_text()
    html = public.content()
    for secret in [ORDER["renter_name"], ORDER["organisation"], ORDER["phone"], ORDER["event"], code]:
        assert secret not in body and secret not in html, f"{secret!r} shown on the public schedule"
    shot(public, "public-taken")

    # === 7. the retribution report of the month paid, and the year's Buku Register Penyewa ==========
    # The board's link opens the report of the month shown (next month, the month of use); the
    # report counts a payment in the month it was recorded: today's.
    staff.get_by_role("link", name=f"Laporan retribusi {next_label}").click()
    expect(staff).to_have_url(re.compile(rf"/staf/gedung/laporan/\?bulan={day:%Y-%m}$"))
    expect(staff.get_by_role("heading", name="Laporan Penerimaan Retribusi Sewa Gedung", level=1)).to_be_visible()
    expect(staff.locator("#r-month")).to_have_text(next_label)
    expect(staff.get_by_text("Tidak ada pembayaran pada bulan ini.")).to_be_visible()
    staff.get_by_role("link", name=f"‹ {month_label(today)}").click()
    expect(staff).to_have_url(re.compile(rf"/staf/gedung/laporan/\?bulan={today:%Y-%m}$"))
    expect(staff.locator("#r-month")).to_have_text(month_label(today))
    report_rows = staff.locator("#r-rows tbody tr")
    expect(report_rows).to_have_count(1)
    expect(report_rows).to_contain_text(receipt_no)
    expect(report_rows).to_contain_text(ORDER["organisation"])
    expect(report_rows).to_contain_text("Rp 1.350.000")
    expect(staff.locator("#r-total")).to_have_text("Rp 1.350.000")
    expect(staff.locator("#r-words")).to_have_text(WORDS)
    expect(staff.locator("#r-count")).to_have_text("1")
    expect(staff.locator("#r-types tbody tr", has_text="OPD (Pemerintah Daerah)").locator("td")).to_have_text(
        ["OPD (Pemerintah Daerah)", "1", "Rp 1.350.000"])
    shot(staff, "retribution-report")

    report = staff.locator("p.downloads", has_text=f"Laporan {month_label(today)}")
    name, data = download(report.get_by_role("link", name="Unduh XLSX"), tmp_path)
    assert name == f"retribusi-sewa-gedung-{today:%Y-%m}.xlsx", name
    values = xlsx_values(data)
    assert 1_350_000 in values and receipt_no in values, values
    name, data = download(report.get_by_role("link", name="Unduh PDF"), tmp_path)
    assert name == f"retribusi-sewa-gedung-{today:%Y-%m}.pdf" and data.startswith(b"%PDF"), (name, data[:8])
    assert "1.350.000" in pdf_text(data)

    book = staff.locator("p.downloads", has_text=f"Buku Register Penyewa {today.year}")
    name, data = download(book.get_by_role("link", name="Unduh XLSX"), tmp_path)
    assert name == f"buku-register-penyewa-{today.year}.xlsx", name
    values = xlsx_values(data)
    assert register_no in values and b.code in values and "Lunas" in values, values
    assert ORDER["phone"] not in " ".join(map(str, values))  # the book holds no telephone
    name, data = download(book.get_by_role("link", name="Unduh PDF"), tmp_path)
    assert name == f"buku-register-penyewa-{today.year}.pdf" and data.startswith(b"%PDF"), (name, data[:8])
    assert b.code in pdf_text(data)
    logout(staff, "bendahara")

    # === 8. a Kasi of another unit: looks, but takes no order and acts on nothing ===================
    login(staff, "kasi.pemerintahan")
    staff.goto(f"/staf/gedung/?bulan={day:%Y-%m}")
    expect(staff.get_by_role("heading", name=f"Papan Penyewa — {HALL}", level=1)).to_be_visible()
    expect(staff.get_by_role("link", name="Catat pesanan", exact=True)).to_have_count(0)
    expect(staff.locator("table.rental-month a.half.free")).to_have_count(0)  # free halves are no links
    board_day(staff, day).locator("a.half.taken").first.click()
    expect(staff.locator("h1 .code")).to_have_text(code)
    expect(state(staff)).to_have_text("Lunas")
    expect(staff.locator("section.rental-acts")).to_have_count(0)
    expect(staff.get_by_role("button", name=re.compile("Catat pembayaran|Batalkan pesanan|Catat sudah dipakai"))
           ).to_have_count(0)
    shot(staff, "kasi-read-only")
    logout(staff, "kasi.pemerintahan")

    console.assert_clean()
