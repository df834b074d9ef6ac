"""The Buku Register Pelayanan: its reads and its files (the screen is register_book_views.py).

``register_entries`` gives the entries of an office's book, filtered as the screen and its exports
ask, with what the dossier has become since (its state, its handover). ``register_xlsx`` and
``register_pdf`` read that queryset in chunks, so a year's book of tens of thousands of lines is
never held as a list of model objects. Dates are shown in the office's time zone
(Asia/Jakarta). A NIK is shown in full only when the caller says the reader may see it
(``offices.roles.can_see_full_nik``); otherwise it is masked. The layout is the kit's
(``core.tables``); the numbering itself is ``registers``'.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from loket.core import codes
from loket.core.nik import nik_mask
from loket.core.tables import CHUNK, clean, local, table_pdf, table_xlsx
from loket.dossiers.models import Dossier, Transition
from loket.offices.models import Kelurahan, Office
from loket.registers.models import RegisterEntry

# --- reads ---------------------------------------------------------------------------------

def _local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the office's time zone (settings.TIME_ZONE, Asia/Jakarta)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def register_entries(
    *,
    office: Office,
    kind: str,
    year: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    service_code: str = "",
    kelurahan: str = "",
    state: str = "",
) -> QuerySet[RegisterEntry]:
    """The entries of the office's books of ``kind``, newest year first, then by number as the
    book reads. Each row carries:

    - ``handed_over_at``: when the registered dossier was handed over (None if not yet);
    - ``service_code``: the code of the dossier's service ("" / None for an entry without dossier);
    - ``dossier_state``: the dossier's current state.

    Filters (each optional): the book's ``year``; ``date_from``/``date_to`` on the local
    (Asia/Jakarta) date of ``entered_at``, both inclusive; ``service_code``; ``kelurahan`` as a
    kelurahan code of this office or as the name the entry records; ``state`` of the dossier.

    One query renders any number of rows (the book is joined, the rest are annotations)."""
    handed_over = (
        Transition.objects.filter(dossier__register_entry=OuterRef("pk"), to_state=Dossier.State.HANDED_OVER)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    qs = (
        RegisterEntry.objects.filter(book__office=office, book__kind=kind)
        .select_related("book")
        .annotate(
            handed_over_at=Subquery(handed_over),
            service_code=F("dossier__service__code"),
            dossier_state=F("dossier__state"),
        )
    )
    if year:
        qs = qs.filter(book__year=year)
    # Bounds in local time keep the index on entered_at usable (no per-row date conversion).
    if date_from:
        qs = qs.filter(entered_at__gte=_local_midnight(date_from))
    if date_to:
        qs = qs.filter(entered_at__lt=_local_midnight(date_to + dt.timedelta(days=1)))
    if service_code:
        qs = qs.filter(dossier__service__code=service_code)
    if kelurahan:
        # The entry keeps the kelurahan's name as it was at registration (the applicant may
        # move later); the screen's filter sends the kelurahan's region code.
        names = Kelurahan.objects.filter(office=office, code=kelurahan).values("name")
        qs = qs.filter(Q(kelurahan__in=Subquery(names)) | Q(kelurahan__iexact=kelurahan))
    if state:
        qs = qs.filter(dossier__state=state)
    return qs.order_by("-book__year", "number", "pk")


# --- files ---------------------------------------------------------------------------------

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
