"""The Buku Register Pelayanan on screen, with filters, and its XLSX and PDF exports (reads and
files in register_book.py; URLs in register_book_urls.py, namespace "registers")."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from loket.catalog.selectors import edition_active
from loket.core.inputs import period_filters
from loket.core.nik import nik_mask
from loket.core.web import file_response, staff_required
from loket.dossiers.models import Dossier
from loket.dossiers.register_book import register_entries, register_pdf, register_xlsx
from loket.offices.roles import can_see_full_nik, staff_of
from loket.privacy.models import Access
from loket.privacy.services import access_record, access_record_lines, export_period
from loket.registers.models import RegisterBook


def _filters(request) -> tuple[dict, list[str]]:
    """The filters of the query string, and the problems of those left out (a year or date
    outside 2000–2100 or not a date at all is ignored with a message, never passed on)."""
    g = request.GET
    period, problems = period_filters(g)
    return period | {
        "service_code": g.get("layanan", "")[:40],
        "kelurahan": g.get("kelurahan", "")[:40],
        "state": g.get("status", "")[:20],
    }, problems


@staff_required
@require_GET
def book(request):
    office = staff_of(request.user).office
    f, problems = _filters(request)
    entries = register_entries(office=office, kind=RegisterBook.Kind.PELAYANAN, **f)
    page = Paginator(entries, 50).get_page(request.GET.get("hal"))
    show_nik = can_see_full_nik(request.user)
    edition = edition_active(office=office)
    rows = [(e, e.nik if show_nik else nik_mask(e.nik)) for e in page.object_list]
    if show_nik:  # each line's NIK in full: one access row per line shown
        access_record_lines(actor=request.user, office_id=office.pk, kind=Access.Kind.REGISTER,
                            purpose="Buku register pelayanan (layar)", fields="NIK",
                            lines=[(e.number_display, e.nik) for e, _ in rows if e.nik])
    query = request.GET.copy()
    query.pop("hal", None)
    return render(request, "dossiers/register_book.html", {
        "page": page, "rows": rows, "f": f, "query": query.urlencode(), "problems": problems,
        "states": Dossier.State.choices, "kelurahan": office.kelurahan.all(),
        "services": edition.services.filter(register_book="pelayanan") if edition else [],
    })


def _title(f) -> str:
    year = f["year"] or timezone.localdate().year
    return f"Buku Register Pelayanan {year}" if f["year"] else "Buku Register Pelayanan"


@staff_required
@require_GET
def export(request, fmt):
    office = staff_of(request.user).office
    f, problems = _filters(request)
    if problems:  # a file cannot carry the message: back to the screen, which shows it
        for problem in problems:
            messages.error(request, problem)
        return redirect(f"{reverse('registers:book')}?{request.GET.urlencode()}")
    entries = register_entries(office=office, kind=RegisterBook.Kind.PELAYANAN, **f)
    show_nik = can_see_full_nik(request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if show_nik:  # one row for the file, with the period it covers (privacy.Access)
        start, end = export_period(f)
        access_record(actor=request.user, office_id=office.pk, kind=Access.Kind.REGISTER,
                      purpose=f"Ekspor buku register pelayanan ({fmt.upper()})", fields="NIK, nama",
                      period_start=start, period_end=end)
    if fmt == "xlsx":
        out = register_xlsx(entries, office=office, title=_title(f), show_nik=show_nik)
        return FileResponse(
            out, as_attachment=True, filename=f"register-pelayanan-{office.slug}-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    pdf = register_pdf(entries, office=office, title=_title(f), show_nik=show_nik)
    return file_response(pdf, filename=f'register-pelayanan-{office.slug}-{stamp}.pdf')
