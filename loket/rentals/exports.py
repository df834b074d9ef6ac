"""The hall's books as spreadsheets (XLSX) and printable PDFs, laid out like the Buku Register
(``core.tables.table_xlsx``/``table_pdf``: the office heading, the print date, a bold
header row repeated on every page, A4 landscape):

- the monthly report of the retribution received (Laporan Penerimaan Retribusi Sewa Gedung):
  the paid bookings of ``selectors.retribution`` with a subtotal per renter type and the total
  in figures and words;
- the Buku Register Penyewa of a year: every entry of the office's PENYEWA book in number order
  with what the booking has become since. The book holds what was written at booking (renter,
  subject, booking code, note); the renter's telephone is not in it.

The files are official papers of the office and stay in Indonesian whatever the screen's
language.
"""

from __future__ import annotations

import datetime as dt

from loket.core.formats import MONTHS, indonesian
from loket.offices.models import Office
from loket.core.tables import CHUNK, DATETIME_FORMAT, table_pdf, table_xlsx
from loket.core.tables import clean as _clean, local as _local
from loket.rentals.models import Booking
from loket.core.money import terbilang, thousands

# --- the retribution of a month ------------------------------------------------------------

RETRIBUTION_HEADERS = [
    "No.", "No. Kuitansi", "Tanggal Bayar", "Penyewa", "Jenis Penyewa", "Acara", "Tanggal Pemakaian", "Sesi",
    "Jumlah (Rp)",
]
RETRIBUTION_DATES = (2,)
RETRIBUTION_XLSX_WIDTHS = [6, 13, 17, 36, 24, 40, 24, 26, 15]
RETRIBUTION_PDF_WIDTHS_MM = [10, 20, 25, 45, 30, 55, 32, 35, 25]  # 277 mm
TOTAL_LABEL = "JUMLAH"


def retribution_title(year: int, month: int) -> str:
    return f"Laporan Penerimaan Retribusi Sewa Gedung \u2014 {MONTHS[month - 1]} {year}"


def use_dates(b: Booking) -> str:
    """10-12-2026, or 10-12-2026 s.d. 12-12-2026 for several days."""
    if b.days > 1:
        return f"{b.date:%d-%m-%Y} s.d. {b.date + dt.timedelta(days=b.days - 1):%d-%m-%Y}"
    return f"{b.date:%d-%m-%Y}"


def renter(b: Booking) -> str:
    return f"{b.renter_name} ({b.organisation})" if b.organisation else b.renter_name


def _retribution_rows(data: dict, *, sheet: bool):
    """The paid bookings (in the order paid), a subtotal per renter type that has any, the total
    with the amount in words. For the spreadsheet (``sheet``) amounts are numbers and the paid
    date a date cell; for the PDF both are text (a total row has no date, not a dash)."""
    money = int if sheet else thousands
    for i, b in enumerate(data["rows"], start=1):
        paid = _local(b.paid_at)
        yield (
            i, b.receipt_entry.number_display if b.receipt_entry_id else "",
            paid if sheet or paid is None else paid.strftime(DATETIME_FORMAT),
            _clean(renter(b)), _clean(b.get_renter_type_display()), _clean(b.event), use_dates(b),
            _clean(b.get_session_display()), money(b.paid_amount or 0),
        )
    no_date = None if sheet else ""
    for label, n, amount in data["by_type"]:
        if n:
            yield ("", "", no_date, f"Subjumlah {label}", f"{n} pembayaran", "", "", "", money(amount))
    yield ("", "", no_date, TOTAL_LABEL, f"{data['count']} pembayaran", f"Terbilang: {terbilang(data['total'])}",
           "", "", money(data["total"]))




def retribution_xlsx(data: dict, *, office: Office, year: int, month: int):
    return table_xlsx(_retribution_rows(data, sheet=True), office=office, title=retribution_title(year, month),
                      sheet="Retribusi", headers=RETRIBUTION_HEADERS, widths=RETRIBUTION_XLSX_WIDTHS,
                      date_columns=RETRIBUTION_DATES)


def retribution_pdf(data: dict, *, office: Office, year: int, month: int) -> bytes:
    return table_pdf(_retribution_rows(data, sheet=False), office=office, title=retribution_title(year, month),
                     headers=RETRIBUTION_HEADERS, widths_mm=RETRIBUTION_PDF_WIDTHS_MM,
                     empty_text="Tidak ada pembayaran.")


# --- the Buku Register Penyewa ------------------------------------------------------------

REGISTER_HEADERS = [
    "No. Register", "Tanggal Dicatat", "Nama Penyewa", "Perihal", "Kode Pesanan", "Keterangan", "Status Pesanan",
]
REGISTER_DATES = (1,)
REGISTER_XLSX_WIDTHS = [13, 17, 30, 50, 13, 60, 16]
REGISTER_PDF_WIDTHS_MM = [20, 25, 40, 62, 20, 85, 25]  # 277 mm
STATES = dict(Booking.State.choices)


def register_title(year: int) -> str:
    return f"Buku Register Penyewa {year}"


def _register_rows(entries):
    """One tuple per entry of the book; ``entries`` carries ``booking_state`` (annotated)."""
    for e in entries.iterator(chunk_size=CHUNK):
        yield (
            e.number_display, _local(e.entered_at), _clean(e.name), _clean(e.subject), _clean(e.reference),
            _clean(e.note), indonesian(STATES.get(getattr(e, "booking_state", None) or "", "")),
        )


def register_xlsx(entries, *, office: Office, year: int):
    return table_xlsx(_register_rows(entries), office=office, title=register_title(year), sheet="Register Penyewa",
                      headers=REGISTER_HEADERS, widths=REGISTER_XLSX_WIDTHS, date_columns=REGISTER_DATES)


def register_pdf(entries, *, office: Office, year: int) -> bytes:
    return table_pdf(_register_rows(entries), office=office, title=register_title(year), headers=REGISTER_HEADERS,
                     widths_mm=REGISTER_PDF_WIDTHS_MM, date_columns=REGISTER_DATES, empty_text="Tidak ada penyewa.")
