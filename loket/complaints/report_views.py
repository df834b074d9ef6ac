"""The complaint report (figures of a period, with charts) and the Buku Pengaduan of a year as
XLSX and PDF. Every staff role of the office may see them; each reads only the user's office.

The charts are inline SVG drawn on the server with plain attributes (``loket.core.charts``): the
Content-Security-Policy allows no script and no inline style.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from loket.complaints import exports, selectors
from loket.core.charts import columns, hbars
from loket.core.inputs import YEARS, InputProblem, date_parse, year_parse
from loket.core.formats import month_name
from loket.core.web import file_response, staff_required
from loket.offices.roles import staff_of
from loket.complaints.policy import can_see_contact
from loket.privacy.models import Access
from loket.privacy.services import access_record

MAX_SPAN_DAYS = 5 * 366  # a longer from/to period is refused (the per-month chart would be unreadable)
BOOK_YEARS = YEARS
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- period -----------------------------------------------------------------------------------

@dataclass
class Period:
    start: dt.date
    end: dt.date
    year: int | None = None      # the chosen year (year mode), else None
    month: int | None = None     # the chosen month in year mode, else None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    errors: list[str] = field(default_factory=list)


def _checked(parse, value: str, label: str, errors: list[str]):
    """``parse`` (core.inputs) of one query value; a bad one is reported and left out."""
    try:
        return parse(value, label=label)
    except InputProblem as exc:
        errors.append(str(exc))
        return None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)


def _period(params, today: dt.date) -> Period:
    """From the query string: dari/sampai (dates) win over tahun (+ bulan); default: this year.
    Bad values are reported and ignored."""
    errors = []
    raw_from, raw_to = params.get("dari", "").strip(), params.get("sampai", "").strip()
    date_from = _checked(date_parse, raw_from, _("Tanggal 'dari'"), errors)
    date_to = _checked(date_parse, raw_to, _("Tanggal 'sampai'"), errors)
    if date_from or date_to:
        start = date_from or dt.date((date_to or today).year, 1, 1)
        end = date_to or max(start, today)
        if end < start:
            start, end = end, start
            errors.append(_("Tanggal 'dari' sesudah 'sampai'; keduanya ditukar."))
        if (end - start).days <= MAX_SPAN_DAYS:
            return Period(start, end, date_from=start, date_to=end, errors=errors)
        errors.append(_("Rentang tanggal paling panjang 5 tahun; rentang itu diabaikan."))

    raw_year, raw_month = params.get("tahun", "").strip(), params.get("bulan", "").strip()
    year = _checked(year_parse, raw_year, _("Tahun"), errors)
    month = int(raw_month) if raw_month.isdigit() and 1 <= int(raw_month) <= 12 else None
    if raw_month and month is None:
        errors.append(_("Bulan tidak valid: %(value)s") % {"value": raw_month[:10]})
    year = year or today.year
    if month:
        return Period(dt.date(year, month, 1), _month_end(year, month), year=year, month=month, errors=errors)
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), year=year, errors=errors)


# --- charts -----------------------------------------------------------------------------------

def _columns(months: list[dict]) -> dict:
    """A column chart of complaints received per month (``core.charts.columns``); the year
    under January and the first month. A long period labels every third or sixth month and
    leaves the counts to the table."""
    return columns([{
        "label": f"{month_name(m['month'])} {m['year']}", "value": m["received"], "text": m["received"],
        "axis": month_name(m["month"])[:3], "sub": str(m["year"]) if i == 0 or m["month"] == 1 else "",
    } for i, m in enumerate(months)], show_values=len(months) <= 24)


# --- views ------------------------------------------------------------------------------------

@staff_required
@require_GET
def report(request):
    """Figures of the complaints received in a period: totals, per channel, kind, category,
    unit, state and month, with charts; links to the year's Buku Pengaduan."""
    office = staff_of(request.user).office
    today = timezone.localdate()
    period = _period(request.GET, today)
    data = selectors.report(office=office, start=period.start, end=period.end, today=today)
    months = [{**m, "label": f"{month_name(m['month'])} {m['year']}"} for m in data["months"]]
    sections = [
        ("channel", _("Menurut saluran"), _("Saluran"), data["by_channel"]),
        ("kind", _("Menurut jenis"), _("Jenis"), data["by_kind"]),
        ("category", _("Menurut kategori"), _("Kategori"), data["by_category"]),
        ("unit", _("Menurut unit"), _("Unit"), data["by_unit"]),
        ("state", _("Menurut status"), _("Status"), data["by_state"]),
    ]
    years = selectors.book_years(office=office, today=today)
    if period.year and period.year not in years:
        years = sorted({*years, period.year}, reverse=True)
    return render(request, "complaints/report.html", {
        "office": office, "period": period, "report": data, "months": months,
        "sections": [{"key": k, "title": t, "column": c, "rows": rows, "chart": hbars(rows)} for k, t, c, rows in sections],
        "month_chart": _columns(data["months"]),
        "totals": {key: sum(m[key] for m in data["months"]) for key in ("answered", "closed", "overdue")},
        "book_years": list(range(period.start.year, period.end.year + 1)),
        "year_choices": years, "month_choices": [(m, month_name(m)) for m in range(1, 13)],
    })


def _year(year: int) -> int:
    if not BOOK_YEARS[0] <= year <= BOOK_YEARS[1]:
        raise Http404("Tahun di luar jangkauan.")
    return year


@staff_required
@require_GET
def book_xlsx(request, year: int):
    """The Buku Pengaduan of a year as XLSX (the user's office only)."""
    office = staff_of(request.user).office
    rows = selectors.register_rows(office=office, year=_year(year))
    full = can_see_contact(request.user)
    if full:  # one access row for the file, with the year it covers (privacy.Access)
        access_record(actor=request.user, office_id=office.pk, kind=Access.Kind.COMPLAINT,
                      purpose="Ekspor buku pengaduan (XLSX)", fields="nama, telepon, e-mail",
                      period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31))
    out = exports.book_xlsx(rows, office=office, year=year, full_contact=full)
    return FileResponse(out, as_attachment=True, filename=f"buku-pengaduan-{year}.xlsx", content_type=XLSX_TYPE)


@staff_required
@require_GET
def book_pdf(request, year: int):
    """The Buku Pengaduan of a year as an A4 landscape PDF (the user's office only)."""
    office = staff_of(request.user).office
    rows = selectors.register_rows(office=office, year=_year(year))
    full = can_see_contact(request.user)
    if full:  # one access row for the file, with the year it covers (privacy.Access)
        access_record(actor=request.user, office_id=office.pk, kind=Access.Kind.COMPLAINT,
                      purpose="Ekspor buku pengaduan (PDF)", fields="nama, telepon, e-mail",
                      period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31))
    return file_response(exports.book_pdf(rows, office=office, year=year, full_contact=full),
                         filename=f'buku-pengaduan-{year}.pdf')
