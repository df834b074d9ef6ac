"""The Buku Pengaduan of a year as a spreadsheet (XLSX) and as a printable PDF; and, for a
complaint that came through SP4N-LAPOR!, what the LAPOR! operator enters on lapor.go.id.

Both take the queryset of ``complaints.selectors.register_rows`` (number order, the answers
prefetched) and read it in chunks. They follow the Buku Register Pelayanan exports
(``core.tables``) and use its helpers: control characters removed, dates in the office's
time zone, the office heading, Helvetica, the page number at the foot.

The file is for the office's staff: it carries the complainant's name and contact, never the
complaint's full text or internal notes. An anonymous complainant is "Anonim" (nothing that
identifies them is kept anyway).
"""

from __future__ import annotations

from loket.complaints.models import Complaint
from loket.offices.models import Office
from loket.core.tables import CHUNK, PDF_LEADING, table_pdf, table_xlsx
from loket.core.tables import clean as _clean, local as _local
from loket.core.formats import indonesian

HEADERS = [
    "No.", "Tanggal Diterima", "Pengadu", "Kontak", "Saluran", "Jenis", "Kategori", "Pokok Masalah", "Unit",
    "Tindak Lanjut", "Tanggal Dijawab", "Status", "Keterangan",
]
DATE_COLUMNS = (1, 10)
XLSX_WIDTHS = [11, 17, 24, 28, 16, 16, 34, 40, 24, 60, 17, 20, 12]
PDF_WIDTHS_MM = [14, 22, 22, 22, 16, 16, 24, 30, 18, 39, 22, 16, 16]  # 277 mm: A4 landscape less the margins
PDF_SIZE = 7
FOLLOW_UP_PDF_MAX = 180  # characters of the latest answer in the PDF; the XLSX has it whole
ANONYMOUS = "Anonim"
CORRECTION = "[Koreksi]"
SATISFIED = {True: "Puas", False: "Tidak puas", None: ""}


def title(year: int) -> str:
    return f"Buku Pengaduan {year}"


def _follow_up(c: Complaint) -> str:
    answers = list(c.answers.all())  # prefetched, oldest first
    if not answers:
        return ""
    last = answers[-1]
    return f"{CORRECTION} {last.text}" if last.corrects_id else last.text


def _rows(complaints, full_contact: bool):
    """One tuple per line of the book, in the header's order; dates as naive local datetimes.
    Name and contact are masked for roles outside selectors.CONTACT_ROLES."""
    from loket.complaints.selectors import _mask

    def shown(field, value):
        return value if full_contact else _mask(field, value)

    for c in complaints.iterator(chunk_size=CHUNK):
        yield (
            c.register_entry.number_display,
            _local(c.received_at),
            _clean(ANONYMOUS if c.anonymous or not c.name else shown("name", c.name)),
            _clean(", ".join(shown(f, v) for f, v in (("phone", c.phone), ("email", c.email), ("account", c.account)) if v)),
            _clean(c.get_channel_display()),
            _clean(c.get_kind_display()),
            _clean(str(c.category) if c.category_id else ""),
            _clean(c.subject),
            _clean(c.unit.name if c.unit_id else ""),
            _clean(_follow_up(c)),
            _local(c.first_answered_at),
            _clean(indonesian(Complaint.State(c.state).label)),
            SATISFIED[c.satisfied],
        )


# --- XLSX ----------------------------------------------------------------------------------

def book_xlsx(complaints, *, office: Office, year: int, full_contact: bool = True):
    """The book as XLSX, laid out like the Buku Register (``core.tables.table_xlsx``)."""
    return table_xlsx(_rows(complaints, full_contact), office=office, title=title(year), sheet="Buku Pengaduan",
                      headers=HEADERS, widths=XLSX_WIDTHS, date_columns=DATE_COLUMNS)


# --- PDF -----------------------------------------------------------------------------------

def book_pdf(complaints, *, office: Office, year: int, full_contact: bool = True) -> bytes:
    """The book as an A4 landscape PDF, laid out like the Buku Register (``core.tables.table_pdf``);
    the follow-up is cut to FOLLOW_UP_PDF_MAX characters."""
    return table_pdf(
        _rows(complaints, full_contact), office=office, title=title(year), headers=HEADERS,
        widths_mm=PDF_WIDTHS_MM, date_columns=DATE_COLUMNS, empty_text="Tidak ada pengaduan.",
        size=PDF_SIZE, leading=PDF_LEADING - 0.5, shorten={HEADERS.index("Tindak Lanjut"): FOLLOW_UP_PDF_MAX},
    )


# --- SP4N-LAPOR! ------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAPOR_HEADERS = ["Nomor Tracking LAPOR!", "Kode Loket", "Status", "Status untuk LAPOR!", "Tindak Lanjut",
                 "Tanggal", "Petugas", "Keterangan"]
LAPOR_WIDTHS = [20, 12, 22, 20, 70, 17, 26, 16]
# Loket's state → the word the operator picks on LAPOR! (Loket's reading; LAPOR!'s own list of
# statuses is not published as a rule: docs/complaints.md).
LAPOR_STATUS = {
    Complaint.State.RECEIVED: "Diterima", Complaint.State.ESCALATED: "Diproses",
    Complaint.State.DIRECTION_REQUESTED: "Diproses", Complaint.State.DIRECTED: "Diproses",
    Complaint.State.COORDINATING: "Diproses", Complaint.State.REOPENED: "Diproses",
    Complaint.State.ANSWERED: "Ditindaklanjuti", Complaint.State.CLOSED: "Selesai",
}


def _lapor_rows(c: Complaint):
    """One line per answer sent (the follow-ups, oldest first; a correction says so), or one line
    without follow-up while there is none. No personal data of the complainant."""
    state = _clean(indonesian(Complaint.State(c.state).label))
    status = LAPOR_STATUS[c.state]
    answers = list(c.answers.select_related("sent_by").order_by("sent_at", "pk"))
    if not answers:
        yield (c.lapor_number, c.code, state, status, "", None, "", "")
    for a in answers:
        officer = a.sent_by.get_full_name() or a.sent_by.get_username()
        yield (c.lapor_number, c.code, state, status, _clean(a.text), _local(a.sent_at), _clean(officer),
               CORRECTION if a.corrects_id else "")


def lapor_xlsx(c: Complaint, *, office: Office):
    """The follow-up of one LAPOR! complaint as the operator enters it (tracking number, status,
    follow-up text, date, officer), laid out like the books (``core.tables.table_xlsx``)."""
    return table_xlsx(_lapor_rows(c), office=office, title=f"Tindak lanjut SP4N-LAPOR! {c.lapor_number}",
                      sheet="LAPOR", headers=LAPOR_HEADERS, widths=LAPOR_WIDTHS, date_columns=(5,))
