"""The Buku Register as a spreadsheet (XLSX) and as a printable PDF.

Both take the queryset of ``registers.selectors.register_entries`` and read it in chunks, so a
year's book of tens of thousands of lines is never held as a list of model objects. Dates are
shown in the office's time zone (Asia/Jakarta). A NIK is shown in full only when the caller
says the reader may see it (``offices.roles.can_see_full_nik``); otherwise it is masked. The
layout is the kit's (``core.tables``).
"""

from __future__ import annotations

from loket.core import codes
from loket.core.nik import nik_mask
from loket.core.tables import CHUNK, clean, local, table_pdf, table_xlsx
from loket.offices.models import Office

HEADERS = [
    "No. Register", "Tanggal", "Nama Pemohon", "NIK", "Kelurahan", "Jenis Pelayanan", "Penandatangan",
    "Kode Berkas", "Diserahkan",
]
XLSX_WIDTHS = [14, 17, 30, 20, 18, 48, 40, 13, 17]
PDF_WIDTHS_MM = [18, 25, 42, 28, 24, 50, 45, 20, 25]  # 277 mm: A4 landscape less 10 mm margins


def _reference(value: str) -> str:
    """A dossier's tracking code grouped for reading aloud (ABCD-EFGH); other references as they are."""
    value = value or ""
    if len(value) == codes.TRACKING_LENGTH and all(ch in codes.ALPHABET for ch in value):
        return codes.display(value)
    return value


def _rows(entries, *, show_nik: bool):
    """One tuple per entry, in the header's order; dates as naive local datetimes."""
    for e in entries.iterator(chunk_size=CHUNK):
        yield (
            e.number_display,
            local(e.entered_at),
            clean(e.name),
            clean(e.nik if show_nik else nik_mask(e.nik)),
            clean(e.kelurahan),
            clean(e.subject),
            clean(e.signer),
            clean(_reference(e.reference)),
            local(getattr(e, "handed_over_at", None)),
        )


def register_xlsx(entries, *, office: Office, title: str, show_nik: bool):
    """The Buku Register as XLSX (``core.tables.table_xlsx``)."""
    return table_xlsx(_rows(entries, show_nik=show_nik), office=office, title=title, sheet="Register",
                      headers=HEADERS, widths=XLSX_WIDTHS, date_columns=(1, 8))


def register_pdf(entries, *, office: Office, title: str, show_nik: bool) -> bytes:
    """The Buku Register as a PDF (``core.tables.table_pdf``)."""
    return table_pdf(_rows(entries, show_nik=show_nik), office=office, title=title, headers=HEADERS,
                     widths_mm=PDF_WIDTHS_MM, date_columns=(1, 8))
