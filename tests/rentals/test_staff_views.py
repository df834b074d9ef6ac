"""Staff screens of the hall (/staf/gedung/): the Papan Penyewa, taking an order, a booking
with its acts, and its papers, driven through the browser's requests."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from loket.offices.models import Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterEntry
from loket.rentals import services
from loket.rentals.models import Booking, Slot, Venue
from tests.rentals.conftest import next_month, order
from tests.support.forms import hall_form as _form
from tests.support.http import inline_code as _inline_code

S = Booking.State
BASE = "/staf/gedung/"
ROLES = ["bendahara", "kasubbag", "kasi", "front", "sekcam", "camat", "ppat", "admin"]
HANDLERS = {"bendahara", "kasubbag"}


def _book(clerks, who="bendahara", inquiry=False, **over) -> Booking:
    return services.booking_create(office=clerks[who].staff.office, actor=clerks[who], data=order(**over),
                                   inquiry=inquiry)


def _day_cell(page: str, day) -> str:
    m = re.search(rf'<td class="day[^"]*" data-date="{day.isoformat()}">(.*?)</td>', page, re.S)
    assert m, day
    return m.group(1)


def _half(cell: str, half: str) -> str:
    m = re.search(rf'<(a|span) class="half (taken|free)[^"]*" data-half="{half}"[^>]*>(.*?)</\1>', cell, re.S)
    assert m, (half, cell)
    return m.group(2) + " " + m.group(3)


def _messages(r) -> list[str]:
    return [str(m) for m in r.context["messages"]] if r.context else []


def _counts():
    return Booking.objects.count(), Slot.objects.count(), RegisterEntry.objects.count()


@pytest.fixture
def other_front(hall_office):
    """The front office of a second kecamatan."""
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota")
    return staff_create(office=other, username="petugas.lain", role=Role.FRONT_OFFICE, password="x-Pass-12345").user


# --- the board -----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ROLES)
def test_the_board_renders_for_every_role(client, clerks, who):
    b = _book(clerks)
    client.force_login(clerks[who])
    r = client.get(BASE, {"bulan": f"{b.date:%Y-%m}"})
    assert r.status_code == 200
    page = r.content.decode()
    assert _inline_code(page) == []
    assert "loket/rentals.css" in page and "Papan Penyewa" in page and "Gedung Pertemuan Karto Praja" in page
    assert f'href="{BASE}"' in page  # the staff menu's link "Sewa gedung"
    assert f'href="{BASE}{b.code}/"' in page and b.event in page
    assert ("Catat pesanan" in page) == (who in HANDLERS)
    assert ('href="/staf/gedung/baru/?tanggal=' in page) == (who in HANDLERS)  # free halves link to a new order


def test_every_staff_page_links_to_the_board(client, clerks):
    client.force_login(clerks["camat"])
    assert 'href="/staf/gedung/">Sewa gedung</a>' in client.get("/staf/pengaduan/").content.decode()


def test_the_board_needs_a_login(client, hall_office):
    r = client.get(BASE)
    assert r.status_code == 302 and "/masuk/" in r["Location"]


def test_the_calendar_has_monday_first_and_every_day(client, clerks):
    day = next_month(1)
    client.force_login(clerks["front"])
    page = client.get(BASE, {"bulan": f"{day:%Y-%m}"}).content.decode()
    heads = re.findall(r'<th scope="col">(\w+)</th>', page)[:7]
    assert heads == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    assert len(re.findall(r'data-date="' + f"{day:%Y-%m}" + r'-\d\d"', page)) >= 28
    # the first day sits in its weekday's column: as many empty cells before it
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.count('class="day outside"') == day.weekday()


def test_a_sehari_booking_takes_both_halves(client, clerks):
    b = _book(clerks, session="sehari")
    client.force_login(clerks["front"])
    page = client.get(BASE, {"bulan": f"{b.date:%Y-%m}"}).content.decode()
    cell = _day_cell(page, b.date)
    for half in ("siang", "malam"):
        text = _half(cell, half)
        assert text.startswith("taken") and b.event in text and "Dinas Pendidikan Kota Madiun" in text
        assert "Dipesan" in text


def test_a_siang_booking_leaves_malam_free(client, clerks):
    b = _book(clerks, session="siang", organisation="Karang Taruna")
    client.force_login(clerks["bendahara"])
    page = client.get(BASE, {"bulan": f"{b.date:%Y-%m}"}).content.decode()
    cell = _day_cell(page, b.date)
    assert _half(cell, "siang").startswith("taken")
    malam = _half(cell, "malam")
    assert malam.startswith("free") and b.event not in malam
    assert f'href="/staf/gedung/baru/?tanggal={b.date.isoformat()}&amp;sesi=malam"' in cell


def test_paid_and_multi_day_bookings_show_on_each_day_and_inquiries_hold_nothing(client, clerks):
    b = _book(clerks, session="malam", days="2")
    services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
    q = _book(clerks, inquiry=True, date=next_month(20).isoformat(), event="Pertanyaan saja")
    client.force_login(clerks["sekcam"])
    page = client.get(BASE, {"bulan": f"{b.date:%Y-%m}"}).content.decode()
    for day in (b.date, next_month(11)):
        assert "Lunas" in _half(_day_cell(page, day), "malam")
        assert _half(_day_cell(page, day), "siang").startswith("free")
    assert _half(_day_cell(page, q.date), "siang").startswith("free")
    # but the month's table lists the inquiry too, with its state
    table = page.split('id="list-h"')[1]
    assert "Pertanyaan saja" in table and "Pertanyaan" in table and "Rp 1.420.000" not in table
    assert table.index(b.event) < table.index("Pertanyaan saja")


def test_the_months_table_lists_code_date_session_renter_event_state_total(client, clerks):
    b = _book(clerks)
    later = _book(clerks, date=next_month(10).replace(year=next_month().year + 1).isoformat(), event="Tahun depan")
    client.force_login(clerks["kasi"])
    page = client.get(BASE, {"bulan": f"{b.date:%Y-%m}"}).content.decode()
    table = page.split('id="list-h"')[1]
    for text in [f"{b.code[:4]}-{b.code[4:]}", "Sehari (07.00–20.00 WIB)", "Drs. Bambang", b.event, "Dipesan",
                 "Rp 1.350.000"]:
        assert text in table, text
    assert later.event not in page


def test_the_month_links_and_a_bad_month(client, clerks):
    client.force_login(clerks["front"])
    r = client.get(BASE, {"bulan": "2026-02"})
    page = r.content.decode()
    assert "Februari 2026" in page and "?bulan=2026-01" in page and "?bulan=2026-03" in page
    assert "?bulan=2025-12" in client.get(BASE, {"bulan": "2026-01"}).content.decode()
    today = timezone.localdate()
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]
    for bad in ["2026-13", "kemarin", "99999-01", "2026-1"]:
        r = client.get(BASE, {"bulan": bad})
        assert r.status_code == 200
        assert any("tidak dikenal" in m for m in _messages(r)), bad
        assert f"{months[today.month - 1]} {today.year}" in r.content.decode()


def test_a_second_venue_gets_a_select(client, clerks, hall_office):
    hall = Venue.objects.get(office=hall_office)
    Venue.objects.create(office=hall_office, code="aula", name="Aula Kecil", capacity=80, order=5)
    b = _book(clerks)
    client.force_login(clerks["bendahara"])
    page = client.get(BASE, {"bulan": f"{b.date:%Y-%m}"}).content.decode()
    assert 'name="gedung"' in page and "Aula Kecil" in page and b.event in page
    page = client.get(BASE, {"bulan": f"{b.date:%Y-%m}", "gedung": "aula"}).content.decode()
    assert b.event not in page and _half(_day_cell(page, b.date), "siang").startswith("free")
    assert "gedung=aula" in page and hall.name in page  # the month links keep the venue


# --- taking an order ---------------------------------------------------------------------------

@pytest.mark.parametrize("who", sorted(set(ROLES) - HANDLERS))
def test_only_the_bendahara_and_the_kasubbag_take_orders(client, clerks, who):
    client.force_login(clerks[who])
    assert client.get(BASE + "baru/").status_code == 403
    assert client.post(BASE + "baru/", _form()).status_code == 403
    assert _counts()[0] == 0


def test_the_form_is_prefilled_from_the_board(client, clerks):
    client.force_login(clerks["kasubbag"])
    day = next_month(15)
    r = client.get(BASE + "baru/", {"tanggal": day.isoformat(), "sesi": "malam"})
    page = r.content.decode()
    assert r.status_code == 200 and _inline_code(page) == []
    assert f'value="{day.isoformat()}"' in page
    assert '<option value="malam" selected>' in page
    # the session select carries the tariff's labels and prices
    assert "Sehari (siang – malam) (Jam: 07.00 – 20.00 wib) — Rp 2.000.000" in page
    assert "Petugas Kebersihan (4 orang × Rp 70.000 per hari)" in page
    for text in ["Pesan", "Catat sebagai pertanyaan", "Hitung harga"]:
        assert text in page
    # a past or malformed date is not prefilled
    assert 'name="date" type="date" value=""' in client.get(BASE + "baru/", {"tanggal": "2020-01-01"}).content.decode()


def test_an_order_is_saved_registered_and_shown(client, clerks):
    client.force_login(clerks["bendahara"])
    r = client.post(BASE + "baru/", _form())
    b = Booking.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{BASE}{b.code}/"
    assert b.state == S.BOOKED and b.total == 1_350_000 and b.cleaning and b.parking and not b.security
    r = client.get(r["Location"])
    assert any(b.register_entry.number_display in m for m in _messages(r))


def test_an_inquiry_is_noted_without_holding(client, clerks):
    client.force_login(clerks["kasubbag"])
    r = client.post(BASE + "baru/", _form(aksi="tanya"))
    b = Booking.objects.get()
    assert r.status_code == 302 and b.state == S.INQUIRY and not Slot.objects.exists() and b.register_entry is None


def test_the_quote_is_computed_without_saving(client, clerks):
    client.force_login(clerks["bendahara"])
    r = client.post(BASE + "baru/", _form(aksi="hitung"))
    page = r.content.decode()
    assert r.status_code == 200 and _counts() == (0, 0, 0)
    assert "Rp 1.350.000" in page and "Satu juta tiga ratus lima puluh ribu rupiah" in page
    assert 'value="Drs. Bambang"' in page  # the form stays filled in


def test_bad_input_is_shown_per_field_and_nothing_is_saved(client, clerks):
    client.force_login(clerks["bendahara"])
    r = client.post(BASE + "baru/", _form(phone="12", attendance="500", renter_name="", event="Syukuran <b>RW</b>"))
    page = r.content.decode()
    assert r.status_code == 400 and _counts() == (0, 0, 0)
    assert 'id="phone-error"' in page and "Nomor telepon tidak valid" in page
    assert 'id="attendance-error"' in page and "melebihi kapasitas" in page
    assert 'id="renter_name-error"' in page and "Nama pemesan wajib diisi" in page
    assert 'value="Syukuran &lt;b&gt;RW&lt;/b&gt;"' in page and "<b>RW" not in page  # kept, escaped
    assert 'value="500"' in page and "Tidak ada yang disimpan" in page


def test_a_staff_line_the_edition_does_not_price_is_shown_at_its_checkbox(client, clerks, hall_office):
    from loket.catalog.models import Tariff

    Tariff.objects.filter(service__edition__office=hall_office, code="parkir").delete()
    client.force_login(clerks["bendahara"])
    for action in ("pesan", "hitung"):
        r = client.post(BASE + "baru/", _form(aksi=action))
        page = r.content.decode()
        assert r.status_code == 400 and _counts() == (0, 0, 0)
        assert 'id="parking-error"' in page and "parkir" in page.split('id="parking-error"')[1][:200]


def test_a_taken_session_is_refused_with_409(client, clerks):
    first = _book(clerks, session="siang")
    before = _counts()
    client.force_login(clerks["kasubbag"])
    r = client.post(BASE + "baru/", _form(session="sehari", event="Resepsi"))
    page = r.content.decode()
    assert r.status_code == 409 and _counts() == before
    assert "sudah dipesan" in page and first.event in page and 'value="Resepsi"' in page


# --- a booking -----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ROLES)
def test_the_detail_shows_facts_quote_and_words(client, clerks, who):
    b = _book(clerks)
    client.force_login(clerks[who])
    r = client.get(f"{BASE}{b.code}/")
    page = r.content.decode()
    assert r.status_code == 200 and _inline_code(page) == []
    for text in ["Rapat koordinasi kepala sekolah", "Drs. Bambang", "Dinas Pendidikan Kota Madiun",
                 "Rp 1.350.000", "Satu juta tiga ratus lima puluh ribu rupiah", "Petugas Kebersihan",
                 "Pemerintah Daerah 50 %", f"Nomor {b.register_entry.number_display}", "Riwayat", "Dipesan",
                 f"{BASE}{b.code}/kertas/penawaran.pdf"]:
        assert text in page, text
    assert "/kertas/kuitansi.pdf" not in page
    assert ('action="/staf/gedung/' + b.code + '/pay/"' in page) == (who == "bendahara")
    assert ('action="/staf/gedung/' + b.code + '/cancel/"' in page) == (who in HANDLERS)


def test_the_pay_form_has_the_total(client, clerks):
    b = _book(clerks)
    client.force_login(clerks["bendahara"])
    assert 'name="amount" inputmode="numeric" value="1350000"' in client.get(f"{BASE}{b.code}/").content.decode()


def test_another_offices_booking_is_not_found(client, clerks, other_front):
    b = _book(clerks)
    client.force_login(other_front)
    for url in [f"{BASE}{b.code}/", f"{BASE}{b.code}/kertas/penawaran.pdf"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"{BASE}{b.code}/cancel/", {"reason": "x"}).status_code == 404
    assert client.get(BASE).status_code == 200  # a board without venue
    assert b.event not in client.get(BASE).content.decode()


def test_a_code_as_read_aloud_finds_the_booking(client, clerks):
    b = _book(clerks)
    client.force_login(clerks["front"])
    r = client.get(f"{BASE}{b.code[:4].lower()}-{b.code[4:].lower()}/")
    assert r.status_code == 302 and r["Location"] == f"{BASE}{b.code}/"


# --- the acts ------------------------------------------------------------------------------------

def _act(client, b, action, **data):
    return client.post(f"{BASE}{b.code}/{action}/", data, follow=True)


def test_confirm_pay_use_by_the_right_roles(client, clerks):
    b = _book(clerks, "kasubbag", inquiry=True, date=timezone.localdate().isoformat())
    client.force_login(clerks["kasubbag"])
    r = _act(client, b, "confirm")
    b.refresh_from_db()
    assert b.state == S.BOOKED and any("Buku Register Penyewa nomor" in m for m in _messages(r))
    assert r.redirect_chain[-1][0] == f"{BASE}{b.code}/"
    client.force_login(clerks["bendahara"])
    r = _act(client, b, "pay", amount="Rp 1.350.000")
    b.refresh_from_db()
    assert b.state == S.PAID and b.paid_amount == 1_350_000
    assert any(f"Kuitansi nomor {b.receipt_entry.number_display}" in m for m in _messages(r))
    assert "/kertas/kuitansi.pdf" in r.content.decode()
    client.force_login(clerks["kasubbag"])
    r = _act(client, b, "use")
    b.refresh_from_db()
    assert b.state == S.USED and any("Sudah dipakai" in m for m in _messages(r))


@pytest.mark.parametrize("who, hint", [("kasubbag", True), ("bendahara", True), ("front", False), ("camat", False)])
def test_a_paid_booking_before_its_day_says_from_when_its_use_can_be_recorded(client, clerks, who, hint):
    b = _book(clerks)  # next month
    services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
    client.force_login(clerks[who])
    page = client.get(f"{BASE}{b.code}/").content.decode()
    assert f"/{b.code}/use/" not in page  # not offered before the day (the act refuses it too)
    assert ("Dapat dicatat mulai" in page) is hint
    assert "/kertas/kuitansi.pdf" in page  # paid: the kuitansi is there for everyone who reads the booking


def test_cancel_needs_a_reason_and_frees_the_session(client, clerks):
    b = _book(clerks)
    client.force_login(clerks["kasubbag"])
    r = _act(client, b, "cancel", reason=" ")
    assert any("Alasan pembatalan wajib diisi" in m for m in _messages(r))
    b.refresh_from_db()
    assert b.state == S.BOOKED
    r = _act(client, b, "cancel", reason="Acara diundur")
    b.refresh_from_db()
    assert b.state == S.CANCELLED and not Slot.objects.filter(released=False).exists()
    assert "Acara diundur" in r.content.decode()


@pytest.mark.parametrize("who, action", [
    ("kasubbag", "pay"), ("kasi", "pay"), ("front", "confirm"), ("camat", "cancel"), ("sekcam", "use"),
    ("admin", "cancel"), ("ppat", "pay"),
])
def test_the_wrong_role_is_refused_with_403(client, clerks, who, action):
    b = _book(clerks)
    client.force_login(clerks[who])
    r = client.post(f"{BASE}{b.code}/{action}/", {"reason": "x", "amount": str(b.total)})
    assert r.status_code == 403
    b.refresh_from_db()
    assert b.state == S.BOOKED


def test_the_wrong_state_is_a_message(client, clerks):
    b = _book(clerks)
    client.force_login(clerks["bendahara"])
    r = _act(client, b, "use")
    assert r.status_code == 200 and any("berstatus dipesan" in m for m in _messages(r))
    r = _act(client, b, "confirm")
    assert any("tidak dapat dilakukan" in m for m in _messages(r))
    _act(client, b, "pay", amount=str(b.total))
    r = _act(client, b, "use")  # paid, but its day has not come
    assert any("baru dipakai" in m for m in _messages(r))
    r = _act(client, b, "pay", amount=str(b.total))
    assert any("berstatus lunas" in m for m in _messages(r))
    b.refresh_from_db()
    assert b.state == S.PAID and RegisterEntry.objects.filter(book__kind="kuitansi").count() == 1


def test_a_wrong_amount_and_a_taken_confirmation_are_messages(client, clerks):
    b = _book(clerks)
    client.force_login(clerks["bendahara"])
    for amount in ["1000000", "satu juta", ""]:
        r = _act(client, b, "pay", amount=amount)
        assert any("harus sama dengan tagihan: Rp 1.350.000" in m for m in _messages(r)), amount
    q = _book(clerks, inquiry=True, session="malam", event="Arisan")
    r = _act(client, q, "confirm")
    q.refresh_from_db()
    assert q.state == S.INQUIRY and any("sudah dipesan" in m for m in _messages(r))


def test_unknown_action_and_get_are_refused(client, clerks):
    b = _book(clerks)
    client.force_login(clerks["bendahara"])
    assert client.post(f"{BASE}{b.code}/hapus/").status_code == 404
    assert client.get(f"{BASE}{b.code}/cancel/").status_code == 405


# --- papers over HTTP ---------------------------------------------------------------------------

def test_the_papers_are_served_and_the_receipt_waits_for_payment(client, clerks):
    b = _book(clerks)
    client.force_login(clerks["front"])
    r = client.get(f"{BASE}{b.code}/kertas/penawaran.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert client.get(f"{BASE}{b.code}/kertas/kuitansi.pdf").status_code == 404
    assert client.get(f"{BASE}{b.code}/kertas/lain.pdf").status_code == 404
    services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
    r = client.get(f"{BASE}{b.code}/kertas/kuitansi.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    services.booking_cancel(code=b.code, actor=clerks["bendahara"], reason="Batal, uang dikembalikan")
    assert client.get(f"{BASE}{b.code}/kertas/kuitansi.pdf").status_code == 404


# --- queries ------------------------------------------------------------------------------------

def test_board_and_detail_queries_do_not_grow_with_bookings(client, clerks, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _book(clerks, session="siang")
    client.force_login(clerks["bendahara"])
    url = f"{BASE}?bulan={first.date:%Y-%m}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{BASE}{first.code}/")
    for day in range(11, 25):
        b = _book(clerks, date=next_month(day).isoformat(), session="sehari")
        services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"{BASE}{b.code}/")
    print(f"board {len(few.captured_queries)} queries, detail {len(one.captured_queries)} queries")


@pytest.mark.parametrize("amount", ["1.5", "1.350.000,00", "13.500.00", "1,35 juta"])
def test_an_amount_that_is_no_whole_rupiah_is_refused_and_changes_nothing(client, clerks, amount):
    """The hall's pay form once read "1.5" as 15 and "13.500.00" as 1.350.000 (every dot dropped)."""
    b = _book(clerks)
    client.force_login(clerks["bendahara"])
    before = _counts()
    r = _act(client, b, "pay", amount=amount)
    assert r.status_code == 200
    text = " ".join(_messages(r))
    assert "bukan bilangan bulat rupiah" in text and "harus sama dengan tagihan: Rp 1.350.000" in text, text
    b.refresh_from_db()
    assert b.state == S.BOOKED and b.paid_amount is None and _counts() == before
