"""The public schedule of the meeting hall (/<office>/gedung/?bulan=YYYY-MM): the venue, its
tariff from the edition in force, how to book, and a month calendar whose days say per half-day
"Kosong" or "Terisi" — never who booked, for what event, or their telephone
(``selectors.availability`` gives booleans only). Cached for visitors like the catalog's pages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from loket.catalog import selectors as catalog
from loket.catalog.models import Tariff
from loket.core.cache import public_page
from loket.core.formats import MONTHS
from loket.rentals import selectors

YEARS = (2000, 2100)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_parse(value: str, today: dt.date) -> tuple[int, int, str]:
    """``YYYY-MM`` of the query string → (year, month, ""); empty → this month; anything else →
    this month and the reason, to be shown."""
    value = (value or "").strip()
    if not value:
        return today.year, today.month, ""
    m = _MONTH.match(value)
    if m and YEARS[0] <= int(m[1]) <= YEARS[1] and 1 <= int(m[2]) <= 12:
        return int(m[1]), int(m[2]), ""
    return today.year, today.month, _("Bulan tidak valid: %(value)s. Ditampilkan bulan ini.") % {"value": value[:20]}


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def month_step(year: int, month: int, step: int) -> tuple[int, int] | None:
    """The month ``step`` (±1) away, or None beyond the years offered."""
    n = year * 12 + month - 1 + step
    y, m = divmod(n, 12)
    return (y, m + 1) if YEARS[0] <= y <= YEARS[1] else None


def month_nav(year: int, month: int) -> dict:
    def link(step):
        ym = month_step(year, month, step)
        return {"value": f"{ym[0]:04d}-{ym[1]:02d}", "label": month_label(*ym)} if ym else None

    return {"value": f"{year:04d}-{month:02d}", "label": month_label(year, month), "prev": link(-1), "next": link(1)}


def weekdays() -> list[str]:
    return [_("Senin"), _("Selasa"), _("Rabu"), _("Kamis"), _("Jumat"), _("Sabtu"), _("Minggu")]


def _weeks(days: list[dict], year: int, month: int, today: dt.date) -> list[list[dict | None]]:
    """Monday-first weeks of the month; None for the days of the neighbouring months."""
    by_date, names = {d["date"]: d for d in days}, weekdays()
    weeks = []
    for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month):
        weeks.append([{**by_date[d], "past": d < today, "today": d == today, "weekday": names[d.weekday()]}
                      if d.month == month else None for d in week])
    return weeks


def _tariff(service) -> dict | None:
    """What the page tells of the hall's tariff: the sessions (with the regional government's
    price), the staff on request, the percentage rule."""
    if service is None:
        return None
    percent = service.fee_government_discount_percent
    sessions, staff = [], []
    for t in service.tariffs.all():
        if t.kind == Tariff.Kind.SESSION:
            sessions.append({"label": t.label, "start": t.start, "end": t.end, "price": t.unit_price,
                             "government": t.unit_price * percent // 100 if percent else None})
        elif t.kind == Tariff.Kind.STAFF:
            staff.append({"label": t.label, "quantity": t.quantity, "unit": t.unit or _("orang"),
                          "price": t.unit_price, "amount": t.amount})
    return {"service": service, "sessions": sessions, "staff": staff,
            "percent": percent if percent not in (None, 100) else None}


@require_GET
@public_page
def availability(request, office):
    """The hall's month: free and taken half-days, the venue, the tariff, how to book."""
    office = catalog.office_get(office)
    today = timezone.localdate()
    year, month, error = month_parse(request.GET.get("bulan", ""), today)
    venues = list(selectors.venues(office=office))
    edition = catalog.edition_active(office=office) if venues else None
    services = {}
    if edition is not None:
        services = {s.code: s for s in catalog.services_of(edition=edition).filter(
            code__in={v.service_code for v in venues})}
    halls = []
    for venue in venues:
        days = selectors.availability(venue=venue, year=year, month=month)
        halls.append({
            "venue": venue, "facilities": venue.facility_list(), "weeks": _weeks(days, year, month, today),
            "free": sum(d["siang"] + d["malam"] for d in days if d["date"] >= today),
            "tariff": _tariff(services.get(venue.service_code)),
        })
    return render(request, "rentals/public_availability.html", {
        "office": office, "edition": edition, "halls": halls, "month": month_nav(year, month), "error": error,
        "weekdays": weekdays(), "today": today,
    })
