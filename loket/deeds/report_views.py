"""The deeds' papers and the PPAT's monthly report for staff, under /staf/akta/: the receipt
(tanda terima berkas) and the cover sheet (sampul akta) of a case, the monthly report of the
deeds made, and the register of their delivery to the land office (each a page, XLSX and PDF).
Every staff role of the office may see them; each reads only the user's office.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from loket.deeds import exports, papers
from loket.deeds.models import Case
from loket.core import codes
from loket.core.web import file_response, month_nav, month_parse, staff_required
from loket.offices.roles import staff_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAPERS = ("tanda-terima", "sampul")


def _month(request, *, strict: bool) -> tuple[int, int, str]:
    """The month of ?bulan=YYYY-MM (this month when absent). A file (``strict``) of a bad month
    is a 404; the page says what was wrong and shows this month."""
    year, month, error = month_parse(request.GET.get("bulan", ""), timezone.localdate())
    if error and strict:
        raise Http404("Bulan tidak valid.")
    return year, month, error


def _data(request, *, strict: bool):
    office = staff_of(request.user).office
    year, month, error = _month(request, strict=strict)
    return office, year, month, error, exports.month_report(office=office, year=year, month=month)


@staff_required
@require_GET
def report(request):
    """Laporan Bulanan PPAT: the deeds registered in a month, their totals, the files."""
    office, year, month, error, data = _data(request, strict=False)
    return render(request, "deeds/report.html", {
        "office": office, "report": data, "month": month_nav(year, month), "year": year, "error": error,
        "title": exports.title(year, month), "ppat": papers.ppat_title(office),
    })


@staff_required
@require_GET
def report_xlsx(request):
    office, year, month, _, data = _data(request, strict=True)
    out = exports.report_xlsx(data, office=office, year=year, month=month)
    return FileResponse(out, as_attachment=True, filename=exports.filename(year, month, "xlsx"),
                        content_type=XLSX_TYPE)


@staff_required
@require_GET
def report_pdf(request):
    office, year, month, _, data = _data(request, strict=True)
    return file_response(exports.report_pdf(data, office=office, year=year, month=month),
                         filename=exports.filename(year, month, "pdf"))


def _delivery_data(request, *, strict: bool):
    office = staff_of(request.user).office
    year, month, error = _month(request, strict=strict)
    return office, year, month, error, exports.delivery_register(office=office, year=year, month=month)


@staff_required
@require_GET
def delivery(request):
    """Buku Register Penyampaian Akta ke Kantor Pertanahan: the deeds signed in a month, when each
    was due at the land office (PP 24/1997 Pasal 40 ayat (1)) and when it was delivered; the files."""
    office, year, month, error, data = _delivery_data(request, strict=False)
    return render(request, "deeds/delivery.html", {
        "office": office, "register": data, "month": month_nav(year, month), "year": year, "error": error,
        "title": exports.delivery_title(year, month),
    })


@staff_required
@require_GET
def delivery_xlsx(request):
    office, year, month, _, data = _delivery_data(request, strict=True)
    out = exports.delivery_xlsx(data, office=office, year=year, month=month)
    return FileResponse(out, as_attachment=True, filename=exports.delivery_filename(year, month, "xlsx"),
                        content_type=XLSX_TYPE)


@staff_required
@require_GET
def delivery_pdf(request):
    office, year, month, _, data = _delivery_data(request, strict=True)
    return file_response(exports.delivery_pdf(data, office=office, year=year, month=month),
                         filename=exports.delivery_filename(year, month, "pdf"))


@staff_required
@require_GET
def paper(request, code, paper):
    """The receipt ("tanda-terima") of any case of the office; the cover ("sampul") once the deed
    is written in the Buku Register PPAT. 404 for another office's case or an unknown paper."""
    if paper not in PAPERS:
        raise Http404("Kertas tidak dikenal.")
    case = (Case.objects.filter(office=staff_of(request.user).office, code=codes.normalise(code))
            .select_related("office", "service", "kelurahan", "received_by", "signed_by", "register_entry__book",
                            "appointment")
            .prefetch_related("parties").first())
    if case is None:
        raise Http404("Berkas akta tidak ditemukan.")
    if paper == "tanda-terima":
        pdf = papers.receipt_pdf(case)
    else:
        if case.state not in papers.COVER_STATES or case.register_entry_id is None:
            raise Http404("Akta belum dicatat di Buku Register PPAT.")
        pdf = papers.cover_pdf(case)
    return file_response(pdf, filename=f'{paper}-{case.code}.pdf', inline=True)
