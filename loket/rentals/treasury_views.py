"""The hall's money for staff, under /staf/gedung/kas/: the receipts not yet deposited (the
overdue ones first in the eye), recording a deposit to the Kas Daerah with its STS, the Buku
Penerimaan dan Penyetoran of a day or a month, and the month's reconciliation (page, XLSX, PDF).

Every staff role of the office may look (like the retribution report); recording a deposit is
the Bendahara Penerimaan's (policy.TREASURY; the service checks again). Each reads only the
user's office."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from loket.core.errors import InvalidInput, WrongState
from loket.core.inputs import InputProblem, date_parse
from loket.core.money import AmountError, rupiah_parse, terbilang
from loket.core.web import file_response, month_nav, month_parse, staff_required
from loket.offices.roles import staff_of
from loket.rentals import exports, policy, selectors, services
from loket.rentals.report_views import XLSX_TYPE


def _office(request):
    return staff_of(request.user).office


def _form(post) -> dict:
    return {"receipts": post.getlist("receipts"), "date": post.get("date", "").strip(),
            "reference": post.get("reference", "").strip(), "amount": post.get("amount", "").strip(),
            "note": post.get("note", "").strip()}


@staff_required
@require_http_methods(["GET", "POST"])
def deposits(request):
    """Kas retribusi: the receipts waiting to be deposited with their deadline, the form of a
    deposit (STS) for the Bendahara Penerimaan, and the month's deposits."""
    office = _office(request)
    today = timezone.localdate()
    values = {"date": today.isoformat(), "receipts": [], "reference": "", "amount": "", "note": ""}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        if not policy.may_deposit(request.user):
            raise PermissionDenied(policy.TREASURER_TEXT)
        values = _form(request.POST)
        data = dict(values)
        try:
            data["amount"] = rupiah_parse(values["amount"])
        except AmountError as why:
            errors["amount"] = [str(why)]
            data["amount"] = None
        try:
            if errors:
                raise InvalidInput(errors)
            d = services.deposit_record(office=office, actor=request.user, **data)
        except InvalidInput as exc:
            errors = {**exc.errors, **errors}
            messages.error(request, _("Setoran belum dicatat; periksa isian yang ditandai."))
            status = 400
        except WrongState as exc:
            messages.error(request, str(exc))
            status = 409
        else:
            messages.success(request, _("Setoran dicatat dengan STS nomor %(number)s.") % {
                "number": d.register_entry.number_display})
            return redirect("rentals:deposits")
    year, month, error = month_parse(request.GET.get("bulan", ""), today)
    start, end = selectors.month_bounds(year, month)
    pending = selectors.undeposited(office=office, today=today)
    return render(request, "rentals/deposits.html", {
        "office": office, "pending": pending, "overdue": [p for p in pending if p.overdue],
        "deposits": list(selectors.deposits(office=office, start=start, end=end)), "month": month_nav(year, month),
        "error": error, "may_deposit": policy.may_deposit(request.user), "v": values,
        "chosen": set(values["receipts"]), "errors": errors, "treasury": selectors.treasury(office=office),
        "other_errors": [m for k, ms in errors.items() if k not in ("receipts", "date", "reference", "amount", "note")
                         for m in ms],
    }, status=status)


@staff_required
@require_GET
def sts_pdf(request, year: int, number: int):
    """The STS as issued (the stored paper)."""
    from loket.papers.models import Document
    from loket.papers.services import document_pdf

    office = _office(request)
    d = selectors.deposit_get(office=office, number=number, year=year)
    if d is None:
        raise Http404(_("STS tidak ditemukan."))
    issued = Document.objects.filter(office=office, kind=Document.Kind.STS,
                                     number=d.register_entry.number_display).order_by("-issued_at", "-pk").first()
    if issued is None:
        raise Http404(_("STS tidak ditemukan."))
    return file_response(document_pdf(issued), filename=f'sts-{number}-{year}.pdf', inline=True)


# --- the Buku Penerimaan dan Penyetoran ------------------------------------------------------------

def _span(request, *, strict: bool) -> tuple[dt.date, dt.date, str, dict]:
    """?tanggal=YYYY-MM-DD (one day) or ?bulan=YYYY-MM (a month; this month when neither). A file
    (``strict``) of a bad day or month is a 404; the page says what was wrong."""
    today = timezone.localdate()
    raw_day = request.GET.get("tanggal", "").strip()
    if raw_day:
        try:
            day = date_parse(raw_day, label=_("Tanggal"), latest=today + dt.timedelta(days=366))
        except InputProblem as exc:
            if strict:
                raise Http404(str(exc)) from None
            error = str(exc)
        else:
            return day, day, "", month_nav(day.year, day.month)
    else:
        error = ""
    year, month, month_error = month_parse(request.GET.get("bulan", ""), today)
    if month_error and strict:
        raise Http404(month_error)
    start, end = selectors.month_bounds(year, month)
    return start, end, error or month_error, month_nav(year, month)


@staff_required
@require_GET
def cash_book(request):
    office = _office(request)
    start, end, error, nav = _span(request, strict=False)
    return render(request, "rentals/cash_book.html", {
        "office": office, "book": selectors.cash_book(office=office, start=start, end=end), "month": nav,
        "error": error, "day": start if start == end else None, "query": request.GET.urlencode(),
    })


def _cash_file(request):
    office = _office(request)
    start, end, _error, _nav = _span(request, strict=True)
    name = f"buku-penerimaan-penyetoran-{start:%Y-%m-%d}" if start == end else f"buku-penerimaan-penyetoran-{start:%Y-%m}"
    return office, selectors.cash_book(office=office, start=start, end=end), name


@staff_required
@require_GET
def cash_book_xlsx(request):
    office, data, name = _cash_file(request)
    return FileResponse(exports.cash_xlsx(data, office=office), as_attachment=True, filename=f"{name}.xlsx",
                        content_type=XLSX_TYPE)


@staff_required
@require_GET
def cash_book_pdf(request):
    office, data, name = _cash_file(request)
    return file_response(exports.cash_pdf(data, office=office), filename=f'{name}.pdf')


# --- the reconciliation ----------------------------------------------------------------------------

@staff_required
@require_GET
def reconciliation(request):
    office = _office(request)
    year, month, error = month_parse(request.GET.get("bulan", ""), timezone.localdate())
    r = selectors.reconciliation(office=office, year=year, month=month)
    return render(request, "rentals/reconciliation.html", {
        "office": office, "r": r, "lines": exports.recon_lines(r), "month": month_nav(year, month), "error": error,
        "words": terbilang(r["collected"]["s"]),
    })


def _recon_file(request):
    office = _office(request)
    year, month, error = month_parse(request.GET.get("bulan", ""), timezone.localdate())
    if error:
        raise Http404(error)
    return office, selectors.reconciliation(office=office, year=year, month=month), f"rekonsiliasi-sewa-gedung-{year}-{month:02d}"


@staff_required
@require_GET
def reconciliation_xlsx(request):
    office, r, name = _recon_file(request)
    return FileResponse(exports.recon_xlsx(r, office=office), as_attachment=True, filename=f"{name}.xlsx",
                        content_type=XLSX_TYPE)


@staff_required
@require_GET
def reconciliation_pdf(request):
    office, r, name = _recon_file(request)
    return file_response(exports.recon_pdf(r, office=office), filename=f'{name}.pdf')
