"""The monthly retribution report of the hall (page, XLSX, PDF) and the Buku Register Penyewa
of a year (XLSX, PDF).

The bookings are taken and paid through the real acts; the payment times are then placed in
March 2026 (and one in the first minutes of April in Jakarta, still March in UTC) with a
queryset update, so every figure can be worked out by hand from the standard's tariff."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from loket.offices.models import Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterBook, RegisterEntry
from loket.rentals import services
from loket.rentals.models import Booking, Venue
from tests.rentals.conftest import next_month, order
from tests.support.http import inline_code as _inline_code

JKT = ZoneInfo("Asia/Jakarta")
MARCH = "2026-03"
# By hand, from the tariff of the standard (docs/rental.md):
OPD = 1_000_000 + 4 * 70_000 + 70_000   # Sehari 2.000.000 at 50 %, cleaning 4 × 70.000, parking 70.000
SWASTA = 1_500_000 + 70_000             # Malam in full, security 1 × 70.000
TOTAL = OPD + SWASTA                    # 2.920.000
TOTAL_WORDS = "dua juta sembilan ratus dua puluh ribu rupiah"
PHONE = "081277775555"


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JKT)


def paid_at(b: Booking, when: dt.datetime) -> None:
    Booking.objects.filter(pk=b.pk).update(paid_at=when)


@pytest.fixture
def known(hall_office, clerks):
    """Two payments in March 2026 (an OPD at 50 %, a private renter in full), one booking not
    paid, one paid at 00:30 on 1 April in Jakarta, one cancelled; the register numbers 1–5."""
    bendahara = clerks["bendahara"]

    def book(day, **over):
        return services.booking_create(office=hall_office, actor=bendahara,
                                       data=order(date=next_month(day).isoformat(), phone=PHONE, **over))

    def pay(b):
        return services.booking_pay(code=b.code, actor=bendahara, amount=b.total)

    b = {
        "opd": book(10),
        "swasta": book(12, session="malam", renter_type="swasta", renter_name="Budi Santoso", organisation="",
                       event="Resepsi pernikahan", cleaning=False, parking=False, security=True, attendance="300"),
        "unpaid": book(14, session="siang", renter_type="masyarakat", renter_name="Karang Taruna RW 03",
                       event="Rapat belum dibayar", organisation=""),
        "april": book(16, session="siang", renter_type="instansi", renter_name="Kantor Pajak",
                      event="Sosialisasi dibayar April", organisation="KPP Madiun", cleaning=False, parking=False),
        "cancelled": book(18, renter_type="swasta", event="Acara yang batal"),
    }
    assert (b["opd"].total, b["swasta"].total) == (OPD, SWASTA)
    for key in ("opd", "swasta", "april"):
        b[key] = pay(b[key])
    paid_at(b["opd"], local(2026, 3, 2, 9, 15))
    paid_at(b["swasta"], local(2026, 3, 31, 23, 30))
    paid_at(b["april"], local(2026, 4, 1, 0, 30))  # 31 March 17:30 UTC: April in Jakarta
    services.booking_cancel(code=b["cancelled"].code, actor=bendahara, reason="Batal")
    for key in b:
        b[key].refresh_from_db()
    return b


@pytest.fixture
def other(hall_office, known):
    """Another office with its own clerk, hall, one payment in March 2026 and a register line."""
    from django.db import transaction
    from loket.registers.services import register_entry_add

    office = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Lain")
    clerk = staff_create(office=office, username="bendahara.lain", role=Role.BENDAHARA, password="x-Pass-12345",
                         full_name="Bendahara Lain").user
    venue = Venue.objects.create(office=office, code="balai", name="Balai Lain", capacity=50)
    with transaction.atomic():
        entry = register_entry_add(office_id=office.pk, kind=RegisterBook.Kind.PENYEWA, actor=clerk,
                                   subject="Sewa Balai Lain: Rahasia kantor lain", name="Penyewa Lain",
                                   reference="LAINLAIN")
    Booking.objects.create(
        office=office, venue=venue, code="LAINLAIN", state=Booking.State.PAID, channel="surat", renter_type="swasta",
        renter_name="Penyewa Lain", phone="081200000000", event="Rahasia kantor lain", date=next_month(10),
        session="siang", attendance=10, quote={}, total=999_000, paid_amount=999_000,
        paid_at=local(2026, 3, 10, 10, 0), created_at=timezone.now(), created_by=clerk, register_entry=entry,
    )
    return {"office": office, "clerk": clerk}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(_body(response))).active


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)


def _report(client, bulan=MARCH):
    return client.get(reverse("rentals:retribution"), {"bulan": bulan})


# --- the page ----------------------------------------------------------------------------------

def test_the_month_counted_by_hand(client, clerks, known):
    client.force_login(clerks["front"])
    r = _report(client)
    assert r.status_code == 200
    report = r.context["report"]
    assert (report["count"], report["total"]) == (2, TOTAL)
    assert [b.code for b in report["rows"]] == [known["opd"].code, known["swasta"].code]  # in the order paid
    by_type = {label: (n, amount) for label, n, amount in report["by_type"]}
    assert by_type == {"OPD (Pemerintah Daerah)": (1, OPD), "Instansi lain": (0, 0), "Swasta": (1, SWASTA),
                       "Masyarakat": (0, 0)}
    page = r.content.decode()
    assert re.search(r'id="r-total">Rp 2\.920\.000<', page)
    assert f'id="r-words">{TOTAL_WORDS}<' in page
    assert 'id="r-count">2<' in page and 'id="r-month">Maret 2026<' in page
    row = re.search(rf'<tr id="r-booking-{known["opd"].code}">(.*?)</tr>', page, re.S).group(1)
    for text in (known["opd"].receipt_entry.number_display, "2 Maret 2026", "Drs. Bambang", "Dinas Pendidikan",
                 "Rapat koordinasi kepala sekolah", "Sehari (07.00–20.00 WIB)", "Rp 1.350.000"):
        assert text in row, text
    assert "31 Maret 2026" in page and "Rp 1.570.000" in page
    for excluded in ("Rapat belum dibayar", "Sosialisasi dibayar April", "Acara yang batal"):
        assert excluded not in page, excluded
    assert _inline_code(page) == []


def test_the_payment_at_midnight_counts_in_april(client, clerks, known):
    client.force_login(clerks["bendahara"])
    report = _report(client, "2026-04").context["report"]
    assert [b.code for b in report["rows"]] == [known["april"].code]
    assert report["total"] == 1_000_000 and "satu juta rupiah" in _report(client, "2026-04").content.decode()


def test_the_page_links_to_the_files(client, clerks, known):
    client.force_login(clerks["front"])
    page = _report(client).content.decode()
    assert f'href="{reverse("rentals:retribution_xlsx")}?bulan=2026-03"' in page
    assert f'href="{reverse("rentals:retribution_pdf")}?bulan=2026-03"' in page
    assert f'href="{reverse("rentals:register_xlsx", args=[2026])}"' in page
    assert f'href="{reverse("rentals:register_pdf", args=[2026])}"' in page
    assert 'href="?bulan=2026-02" rel="prev"' in page and 'href="?bulan=2026-04" rel="next"' in page


def test_an_empty_month(client, clerks, known):
    client.force_login(clerks["front"])
    r = _report(client, "2025-01")
    page = r.content.decode()
    assert r.context["report"]["total"] == 0 and "Tidak ada pembayaran pada bulan ini." in page
    assert 'id="r-words">nol rupiah<' in page


def test_a_bad_month_is_said_and_this_month_shown(client, clerks, known):
    client.force_login(clerks["front"])
    r = _report(client, "2026-13")
    assert r.status_code == 200 and "Bulan tidak valid" in r.content.decode()
    today = timezone.localdate()
    assert f'?bulan={today:%Y-%m}"' in r.content.decode()
    assert client.get(reverse("rentals:retribution")).status_code == 200  # no month: this month
    assert client.get(reverse("rentals:retribution_xlsx"), {"bulan": "maret"}).status_code == 404
    assert client.get(reverse("rentals:retribution_pdf"), {"bulan": "2026-00"}).status_code == 404


def test_the_query_count_does_not_grow_with_payments(client, clerks, known, django_assert_max_num_queries):
    client.force_login(clerks["front"])
    # Session, user, staff, office, the paid bookings (with receipt numbers), the totals per type.
    with django_assert_max_num_queries(6) as few:
        _report(client)
    for day in (20, 22, 24):
        b = services.booking_create(office=known["opd"].office, actor=clerks["bendahara"],
                                    data=order(date=next_month(day).isoformat()))
        b = services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
        paid_at(b, local(2026, 3, 15, 10, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _report(client).context["report"]["count"] == 5


# --- the files of the month ----------------------------------------------------------------------

def test_the_month_as_xlsx(client, clerks, known):
    client.force_login(clerks["bendahara"])
    r = client.get(reverse("rentals:retribution_xlsx"), {"bulan": MARCH})
    assert r.status_code == 200 and 'filename="retribusi-sewa-gedung-2026-03.xlsx"' in r["Content-Disposition"]
    ws = _sheet(r)
    assert ws["A1"].value == ("Kecamatan Kartoharjo, Kota Madiun — "
                              "Laporan Penerimaan Retribusi Sewa Gedung — Maret 2026")
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][:4] == ("No.", "No. Kuitansi", "Tanggal Bayar", "Penyewa") and rows[0][-1] == "Jumlah (Rp)"
    opd, swasta = rows[1], rows[2]
    assert opd == (1, known["opd"].receipt_entry.number_display, dt.datetime(2026, 3, 2, 9, 15),
                   "Drs. Bambang (Dinas Pendidikan Kota Madiun)", "OPD (Pemerintah Daerah)",
                   "Rapat koordinasi kepala sekolah", f"{next_month(10):%d-%m-%Y}", "Sehari (07.00–20.00 WIB)", OPD)
    assert swasta[0] == 2 and swasta[2] == dt.datetime(2026, 3, 31, 23, 30) and swasta[3] == "Budi Santoso"
    assert swasta[-1] == SWASTA
    assert rows[3][3:5] == ("Subjumlah OPD (Pemerintah Daerah)", "1 pembayaran") and rows[3][-1] == OPD
    assert rows[4][3:5] == ("Subjumlah Swasta", "1 pembayaran") and rows[4][-1] == SWASTA
    total = rows[5]
    assert total[3:6] == ("JUMLAH", "2 pembayaran", f"Terbilang: {TOTAL_WORDS}") and total[-1] == TOTAL
    assert len(rows) == 6
    everything = " ".join(str(v) for row in rows for v in row)
    for excluded in ("belum dibayar", "April", "batal", PHONE, "Rahasia kantor lain"):
        assert excluded not in everything, excluded


def test_the_month_as_pdf(client, clerks, known):
    client.force_login(clerks["bendahara"])
    r = client.get(reverse("rentals:retribution_pdf"), {"bulan": MARCH})
    assert r.status_code == 200 and 'filename="retribusi-sewa-gedung-2026-03.pdf"' in r["Content-Disposition"]
    text = _pdf_text(r)
    assert "Laporan Penerimaan Retribusi Sewa Gedung — Maret 2026" in text
    assert "JUMLAH" in text and "2.920.000" in text and "1.350.000" in text and "1.570.000" in text
    assert TOTAL_WORDS in text
    assert "Rapat belum dibayar" not in text and PHONE not in text


# --- the Buku Register Penyewa --------------------------------------------------------------------

def test_the_register_as_xlsx_in_number_order(client, clerks, known, other):
    year = known["opd"].register_entry.book.year
    client.force_login(clerks["sekcam"])
    r = client.get(reverse("rentals:register_xlsx", args=[year]))
    assert r.status_code == 200 and f'filename="buku-register-penyewa-{year}.xlsx"' in r["Content-Disposition"]
    ws = _sheet(r)
    assert ws["A1"].value == f"Kecamatan Kartoharjo, Kota Madiun — Buku Register Penyewa {year}"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("No. Register", "Tanggal Dicatat", "Nama Penyewa", "Perihal", "Kode Pesanan", "Keterangan",
                       "Status Pesanan")
    lines = rows[1:]
    assert [row[0] for row in lines] == [f"{n}/{year}" for n in range(1, 6)]
    assert [row[4] for row in lines] == [known[k].code for k in ("opd", "swasta", "unpaid", "april", "cancelled")]
    assert [row[6] for row in lines] == ["Lunas", "Lunas", "Dipesan", "Lunas", "Dibatalkan"]
    assert lines[0][2] == "Drs. Bambang" and lines[0][3] == "Sewa Gedung Pertemuan Karto Praja: Rapat koordinasi kepala sekolah"
    assert "Dinas Pendidikan Kota Madiun" in lines[0][5] and "Rp 1.350.000" in lines[0][5]
    assert isinstance(lines[0][1], dt.datetime)
    everything = " ".join(str(v) for row in rows for v in row)
    assert PHONE not in everything and "Rahasia kantor lain" not in everything


def test_the_register_as_pdf_in_number_order(client, clerks, known):
    year = known["opd"].register_entry.book.year
    client.force_login(clerks["camat"])
    r = client.get(reverse("rentals:register_pdf", args=[year]))
    assert r.status_code == 200 and f'filename="buku-register-penyewa-{year}.pdf"' in r["Content-Disposition"]
    text = _pdf_text(r)
    assert f"Buku Register Penyewa {year}" in text
    positions = [text.index(f"{n}/{year}") for n in range(1, 6)]
    assert positions == sorted(positions)
    assert "Dibatalkan" in text and PHONE not in text


def test_an_empty_register_and_years_out_of_range(client, clerks, known):
    client.force_login(clerks["front"])
    r = client.get(reverse("rentals:register_pdf", args=[2001]))
    assert r.status_code == 200 and "Tidak ada penyewa." in _pdf_text(r)
    assert list(_sheet(client.get(reverse("rentals:register_xlsx", args=[2001]))).iter_rows(min_row=4)) == []
    for year in (1999, 2101, 0):
        assert client.get(reverse("rentals:register_xlsx", args=[year])).status_code == 404
        assert client.get(reverse("rentals:register_pdf", args=[year])).status_code == 404


# --- who may see them --------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["bendahara", "kasubbag", "kasi", "front", "sekcam", "camat", "ppat", "admin"])
def test_every_staff_role_sees_the_report_and_the_files(client, clerks, known, role):
    client.force_login(clerks[role])
    assert _report(client).status_code == 200
    assert client.get(reverse("rentals:retribution_xlsx"), {"bulan": MARCH}).status_code == 200
    assert client.get(reverse("rentals:retribution_pdf"), {"bulan": MARCH}).status_code == 200
    assert client.get(reverse("rentals:register_xlsx", args=[2026])).status_code == 200
    assert client.get(reverse("rentals:register_pdf", args=[2026])).status_code == 200


def test_anonymous_and_non_staff_are_refused(client, django_user_model, known):
    urls = [reverse("rentals:retribution"), reverse("rentals:retribution_xlsx"), reverse("rentals:retribution_pdf"),
            reverse("rentals:register_xlsx", args=[2026]), reverse("rentals:register_pdf", args=[2026])]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 302 and "/masuk/" in r["Location"], url
    client.force_login(django_user_model.objects.create_user(username="warga", password="x-Pass-12345"))
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_another_offices_staff_see_only_their_own(client, known, other):
    client.force_login(other["clerk"])
    r = _report(client)
    assert r.context["report"]["total"] == 999_000 and r.context["report"]["count"] == 1
    page = r.content.decode()
    assert "Rahasia kantor lain" in page and "Drs. Bambang" not in page and "Budi Santoso" not in page
    rows = list(_sheet(client.get(reverse("rentals:retribution_xlsx"), {"bulan": MARCH})).iter_rows(
        min_row=4, values_only=True))
    assert rows[0][5] == "Rahasia kantor lain" and rows[-1][-1] == 999_000 and len(rows) == 3
    year = timezone.localdate().year
    lines = list(_sheet(client.get(reverse("rentals:register_xlsx", args=[year]))).iter_rows(min_row=4,
                                                                                               values_only=True))
    assert [(row[0], row[4], row[6]) for row in lines] == [(f"1/{year}", "LAINLAIN", "Lunas")]
    assert "Drs. Bambang" not in _pdf_text(client.get(reverse("rentals:retribution_pdf"), {"bulan": MARCH}))


def test_a_register_line_without_booking_keeps_its_place(client, clerks, known):
    """A line written in the book by other means still shows, in its place, without a state."""
    from django.db import transaction
    from loket.registers.services import register_entry_add

    year = known["opd"].register_entry.book.year
    with transaction.atomic():
        register_entry_add(office_id=known["opd"].office_id, kind=RegisterBook.Kind.PENYEWA, actor=clerks["bendahara"],
                           subject="Koreksi: pesanan 2 dipindah", name="Budi Santoso")
    client.force_login(clerks["front"])
    lines = list(_sheet(client.get(reverse("rentals:register_xlsx", args=[year]))).iter_rows(min_row=4,
                                                                                               values_only=True))
    assert [row[0] for row in lines] == [f"{n}/{year}" for n in range(1, 7)]
    assert lines[-1][3] == "Koreksi: pesanan 2 dipindah" and lines[-1][6] in ("", None)
