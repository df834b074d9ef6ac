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


# --- the Buku Penerimaan dan Penyetoran (the Bendahara Penerimaan's cash book) ---------------------

CASH_HEADERS = ["Tanggal", "No. Bukti", "Uraian", "Penerimaan (Rp)", "Penyetoran (Rp)", "Saldo (Rp)", "Keterangan"]
CASH_XLSX_WIDTHS = [12, 13, 70, 16, 16, 16, 20]
CASH_PDF_WIDTHS_MM = [22, 22, 115, 28, 28, 28, 34]  # 277 mm


def cash_title(data: dict) -> str:
    start, end = data["start"], data["end"]
    when = (f"{start.day} {MONTHS[start.month - 1]} {start.year}" if start == end
            else f"{MONTHS[start.month - 1]} {start.year}")
    return f"Buku Penerimaan dan Penyetoran Retribusi Sewa Gedung \u2014 {when}"


def _cash_rows(data: dict, *, sheet: bool):
    """The opening balance, one line per receipt (penerimaan) and deposit (penyetoran, with its STS
    number) in date order with the running balance, and the totals."""
    money = int if sheet else thousands
    yield ("", "", "Saldo awal", "", "", money(data["opening"]), "")
    for x in data["lines"]:
        number = x.number if x.kind == "terima" else f"STS {x.number}"
        note = "Kuitansi" if x.kind == "terima" else ("Setor terlambat" if x.late else "Setor ke Kas Daerah")
        yield (x.day.strftime("%d-%m-%Y"), number, _clean(x.text), money(x.received) if x.received else "",
               money(x.deposited) if x.deposited else "", money(x.balance), note)
    yield ("", "", TOTAL_LABEL, money(data["received"]), money(data["deposited"]), money(data["closing"]), "")


def cash_xlsx(data: dict, *, office: Office):
    return table_xlsx(_cash_rows(data, sheet=True), office=office, title=cash_title(data), sheet="Penerimaan",
                      headers=CASH_HEADERS, widths=CASH_XLSX_WIDTHS)


def cash_pdf(data: dict, *, office: Office) -> bytes:
    return table_pdf(_cash_rows(data, sheet=False), office=office, title=cash_title(data), headers=CASH_HEADERS,
                     widths_mm=CASH_PDF_WIDTHS_MM)


# --- the month's reconciliation ------------------------------------------------------------------

RECON_HEADERS = ["Uraian", "Dasar", "Banyaknya", "Jumlah (Rp)"]
RECON_XLSX_WIDTHS = [60, 40, 12, 18]
RECON_PDF_WIDTHS_MM = [120, 92, 25, 40]  # 277 mm


def recon_title(year: int, month: int) -> str:
    return f"Rekonsiliasi Retribusi Sewa Gedung \u2014 {MONTHS[month - 1]} {year}"


def recon_lines(r: dict) -> list[tuple[str, str, int, int]]:
    """The reconciliation as lines (label, basis, count, amount), with its checks; the screen and
    the files read the same lines."""
    skrd, cash = "SKRD terbit bulan ini", "Kuitansi bulan ini"
    lines = [
        ("Ditetapkan (SKRD)", skrd, r["billed"]["n"], r["billed"]["s"]),
        ("  Sudah dibayar", skrd, r["collected_of_billed"]["n"], r["collected_of_billed"]["s"]),
        ("  Belum dibayar (piutang retribusi)", skrd, r["outstanding"]["n"], r["outstanding"]["s"]),
        ("  Batal sebelum dibayar", skrd, r["void"]["n"], r["void"]["s"]),
        ("Selisih penetapan", "ditetapkan \u2212 (dibayar + belum dibayar + batal)", 0, r["billing_gap"]),
        ("Diterima (kuitansi)", cash, r["collected"]["n"], r["collected"]["s"]),
        ("  Sudah disetor ke Kas Daerah", cash, r["deposited_of_collected"]["n"], r["deposited_of_collected"]["s"]),
        ("  Belum disetor", cash, r["not_deposited"]["n"], r["not_deposited"]["s"]),
        ("Selisih kas", "diterima \u2212 (disetor + belum disetor)", 0, r["cash_gap"]),
        ("Disetor bulan ini (STS)", "Tanggal STS bulan ini", r["deposited_in_month"]["n"], r["deposited_in_month"]["s"]),
    ]
    return lines


def _recon_rows(r: dict, *, sheet: bool):
    money = int if sheet else thousands
    for label, basis, n, amount in recon_lines(r):
        yield (label, basis, n if not label.startswith("Selisih") else "", money(amount))
    if r["bad_sts"]:
        yield ("STS yang jumlahnya tidak sama dengan kuitansinya", ", ".join(map(str, r["bad_sts"])), "", "")
    yield ("Status", "SEIMBANG" if r["balanced"] else "TIDAK SEIMBANG \u2014 periksa selisih", "", "")


def recon_xlsx(r: dict, *, office: Office):
    return table_xlsx(_recon_rows(r, sheet=True), office=office, title=recon_title(r["year"], r["month"]),
                      sheet="Rekonsiliasi", headers=RECON_HEADERS, widths=RECON_XLSX_WIDTHS)


def recon_pdf(r: dict, *, office: Office) -> bytes:
    return table_pdf(_recon_rows(r, sheet=False), office=office, title=recon_title(r["year"], r["month"]),
                     headers=RECON_HEADERS, widths_mm=RECON_PDF_WIDTHS_MM)
