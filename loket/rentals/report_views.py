"""The hall's reports for staff, under /staf/gedung/: the retribution received in a month (a
page, XLSX and PDF) and the Buku Register Penyewa of a year (XLSX and PDF). Every staff role of
the office may see them (like the complaint report); each reads only the user's office.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from loket.core.money import terbilang
from loket.core.web import YEARS, file_response, month_nav, month_parse, staff_required
from loket.offices.roles import staff_of
from loket.rentals import exports, selectors

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request, *, strict: bool) -> tuple[int, int, str]:
    """The month of ?bulan=YYYY-MM (this month when absent). A file (``strict``) of a bad month
    is a 404; the page says what was wrong and shows this month."""
    year, month, error = month_parse(request.GET.get("bulan", ""), timezone.localdate())
    if error and strict:
        raise Http404("Bulan tidak valid.")
    return year, month, error


def _year(year: int) -> int:
    if not YEARS[0] <= year <= YEARS[1]:
        raise Http404("Tahun di luar jangkauan.")
    return year


@staff_required
@require_GET
def retribution(request):
    """The paid bookings of a month, the total per renter type, the total in figures and words."""
    office = staff_of(request.user).office
    year, month, error = _month(request, strict=False)
    data = selectors.retribution(office=office, year=year, month=month)
    return render(request, "rentals/retribution.html", {
        "office": office, "report": data, "total_words": terbilang(data["total"]), "month": month_nav(year, month),
        "year": year, "error": error,
    })


@staff_required
@require_GET
def retribution_xlsx(request):
    office = staff_of(request.user).office
    year, month, _ = _month(request, strict=True)
    data = selectors.retribution(office=office, year=year, month=month)
    out = exports.retribution_xlsx(data, office=office, year=year, month=month)
    return FileResponse(out, as_attachment=True, filename=f"retribusi-sewa-gedung-{year}-{month:02d}.xlsx",
                        content_type=XLSX_TYPE)


@staff_required
@require_GET
def retribution_pdf(request):
    office = staff_of(request.user).office
    year, month, _ = _month(request, strict=True)
    data = selectors.retribution(office=office, year=year, month=month)
    return file_response(exports.retribution_pdf(data, office=office, year=year, month=month),
                         filename=f'retribusi-sewa-gedung-{year}-{month:02d}.pdf')


def _register(office, year: int):
    """The office's Buku Register Penyewa of ``year`` in number order, with each booking's state."""
    return selectors.register(office=office, year=_year(year))


@staff_required
@require_GET
def register_xlsx(request, year: int):
    office = staff_of(request.user).office
    out = exports.register_xlsx(_register(office, year), office=office, year=year)
    return FileResponse(out, as_attachment=True, filename=f"buku-register-penyewa-{year}.xlsx", content_type=XLSX_TYPE)


@staff_required
@require_GET
def register_pdf(request, year: int):
    office = staff_of(request.user).office
    return file_response(exports.register_pdf(_register(office, year), office=office, year=year),
                         filename=f'buku-register-penyewa-{year}.pdf')
