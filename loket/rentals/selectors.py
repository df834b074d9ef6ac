"""Reads of the hall: the month's board (which half-days are taken, by whom), the public
availability (taken or free only), bookings, and the retribution received."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Sum

from loket.offices.models import Office
from loket.registers.models import RegisterBook, RegisterEntry
from loket.rentals.models import Booking, Slot, Venue

HALF_NAMES = ("siang", "malam")


def venues(*, office: Office):
    return Venue.objects.filter(office=office, active=True)


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def _bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    # a range on the date column, which the (venue, date, half) key can use; no EXTRACT per row
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class Day:
    date: dt.date
    # per half ("siang", "malam"): the booking holding it, or None when free
    halves: dict[str, Booking | None] = field(default_factory=dict)

    @property
    def free(self) -> list[str]:
        return [h for h in HALF_NAMES if self.halves.get(h) is None]


def board(*, venue: Venue, year: int, month: int) -> list[Day]:
    """Every day of the month with the booking holding each half (booked, paid or used), in
    one query."""
    days = {d: Day(d, dict.fromkeys(HALF_NAMES)) for d in month_days(year, month)}
    slots = (Slot.objects.filter(venue=venue, released=False, date__range=_bounds(year, month))
             .select_related("booking"))
    for s in slots:
        days[s.date].halves[s.half] = s.booking
    return list(days.values())


def availability(*, venue: Venue, year: int, month: int) -> list[dict]:
    """The public view of the board: per day and session, free or taken; never who (only the
    taken half-days are read, not the bookings)."""
    taken = set(Slot.objects.filter(venue=venue, released=False, date__range=_bounds(year, month))
                .values_list("date", "half"))
    out = []
    for d in month_days(year, month):
        siang, malam = (d, "siang") not in taken, (d, "malam") not in taken
        out.append({"date": d, "siang": siang, "malam": malam, "sehari": siang and malam})
    return out


def bookings(*, office: Office, state: str | None = None, start: dt.date | None = None, end: dt.date | None = None):
    qs = Booking.objects.filter(office=office).select_related("venue", "register_entry__book",
                                                              "receipt_entry__book")
    if state:
        qs = qs.filter(state=state)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


def booking_get(*, office: Office, code: str) -> Booking | None:
    from loket.core import codes

    return (bookings(office=office).select_related("created_by").prefetch_related("transitions__actor", "slots")
            .filter(code=codes.normalise(code)).first())


def register(*, office: Office, year: int):
    """The office's Buku Register Penyewa of ``year`` in number order, each line with its
    booking's current state (``booking_state``), in one query."""
    return (RegisterEntry.objects.filter(book__office=office, book__kind=RegisterBook.Kind.PENYEWA, book__year=year)
            .select_related("book").annotate(booking_state=F("booking__state")).order_by("number", "pk"))


def retribution(*, office: Office, year: int, month: int) -> dict:
    """The retribution received in a month (by the day the Bendahara recorded the payment,
    Asia/Jakarta): the paid bookings and their total, and per renter type."""
    paid = (Booking.objects.filter(office=office, paid_at__isnull=False, paid_at__date__year=year,
                                   paid_at__date__month=month)
            .select_related("venue", "receipt_entry__book").order_by("paid_at", "pk"))
    per_type = {row["renter_type"]: (row["n"], row["amount"]) for row in
                paid.order_by().values("renter_type").annotate(n=Count("pk"), amount=Sum("paid_amount"))}
    return {
        "rows": list(paid), "total": sum(a for _, a in per_type.values()),
        "count": sum(n for n, _ in per_type.values()),
        "by_type": [(label, *per_type.get(value, (0, 0))) for value, label in Booking.RenterType.choices],
    }
