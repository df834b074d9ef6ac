"""The public schedule of the meeting hall (/<office>/gedung/?bulan=YYYY-MM): the venue, its
tariff from the edition in force, how to book, and a month calendar whose days say per half-day
"Kosong" or "Terisi" — never who booked, for what event, or their telephone
(``selectors.availability`` gives booleans only). Cached for visitors like the catalog's pages.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from loket.catalog import selectors as catalog
from loket.catalog.models import Tariff
from loket.core.cache import public_page
from loket.core.web import month_nav, month_parse
from loket.rentals import selectors

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
