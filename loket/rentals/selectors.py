"""Reads of the hall: the month's board (which half-days are taken, by whom), the public
availability (taken or free only), bookings, and the retribution received."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Sum

from loket.offices.models import Office
from loket.registers.models import RegisterBook, RegisterEntry
from loket.rentals.models import Booking, Deposit, HallTreasury, Slot, Venue

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
                                                              "receipt_entry__book", "skrd_entry__book",
                                                              "deposit__register_entry__book")
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


# --- the hall's money: SKRD, receipts, deposits to the Kas Daerah -----------------------------------

def treasury(*, office: Office) -> HallTreasury:
    """The office's data for the hall's money, or the defaults (1 working day) when it has none."""
    return HallTreasury.objects.filter(office=office).first() or HallTreasury(office=office)


def deposit_deadline(paid_at, *, days: int, holidays) -> dt.date:
    """The last day to deposit a receipt: ``days`` working days after the day it was received
    (offices.calendar: weekends, national holidays and the office's own closed days skipped)."""
    from django.utils import timezone

    from loket.offices.calendar import add_working_days

    return add_working_days(timezone.localdate(paid_at), days, holidays)


@dataclass
class Pending:
    """A receipt not yet deposited, with its deadline and whether it is overdue today."""

    booking: Booking
    deadline: dt.date
    overdue: bool


def _holidays(office: Office, years) -> frozenset:
    from loket.offices.calendar import holidays_for_office

    return holidays_for_office(office.pk, years=sorted(set(years)))


def undeposited(*, office: Office, today: dt.date | None = None) -> list[Pending]:
    """Every paid receipt of the office not yet deposited, oldest first, with its deadline; the
    overdue ones (deadline passed) are what the staff screen warns about."""
    from django.utils import timezone

    today = today or timezone.localdate()
    rows = list(bookings(office=office).filter(paid_at__isnull=False, deposit__isnull=True).order_by("paid_at", "pk"))
    if not rows:
        return []
    days = treasury(office=office).deposit_working_days
    first = timezone.localdate(rows[0].paid_at).year
    holidays = _holidays(office, range(first, today.year + 2))
    out = []
    for b in rows:
        deadline = deposit_deadline(b.paid_at, days=days, holidays=holidays)
        out.append(Pending(b, deadline, today > deadline))
    return out


def deposits(*, office: Office, start: dt.date, end: dt.date):
    """The deposits (STS) dated in [start, end], with their receipts."""
    return (Deposit.objects.filter(office=office, date__range=(start, end))
            .select_related("register_entry__book", "created_by")
            .prefetch_related("receipts__receipt_entry__book", "receipts__skrd_entry__book", "receipts__venue")
            .order_by("date", "pk"))


def deposit_get(*, office: Office, number: int, year: int) -> Deposit | None:
    return (Deposit.objects.filter(office=office, register_entry__number=number, register_entry__book__year=year)
            .select_related("register_entry__book", "created_by", "office").first())


@dataclass
class BookLine:
    """One line of the Buku Penerimaan dan Penyetoran: a receipt (received) or a deposit (STS)."""

    day: dt.date
    at: object
    number: str  # kuitansi or STS number
    kind: str  # "terima" or "setor"
    text: str
    received: int
    deposited: int
    balance: int = 0
    late: bool = False


def cash_book(*, office: Office, start: dt.date, end: dt.date) -> dict:
    """Buku Penerimaan dan Penyetoran of the Bendahara Penerimaan for the days [start, end]: every
    receipt (by the day received) and every deposit (by its STS date) in date order, with the
    balance held by the Bendahara (carried from before ``start``), and the totals. A deposit made
    after the deadline of one of its receipts is marked late."""
    from django.db.models import Sum
    from django.utils import timezone

    paid = Booking.objects.filter(office=office, paid_at__isnull=False)
    before = (paid.filter(paid_at__date__lt=start).aggregate(s=Sum("paid_amount"))["s"] or 0) - (
        Deposit.objects.filter(office=office, date__lt=start).aggregate(s=Sum("amount"))["s"] or 0)
    received = list(paid.filter(paid_at__date__range=(start, end))
                    .select_related("venue", "receipt_entry__book", "skrd_entry__book").order_by("paid_at", "pk"))
    stss = list(deposits(office=office, start=start, end=end))
    days = treasury(office=office).deposit_working_days
    years = [start.year, end.year + 1] + [timezone.localdate(b.paid_at).year for d in stss for b in d.receipts.all()]
    holidays = _holidays(office, years)
    lines = []
    for b in received:
        skrd = f", SKRD {b.skrd_entry.number_display}" if b.skrd_entry_id else ""
        lines.append(BookLine(timezone.localdate(b.paid_at), b.paid_at, b.receipt_entry.number_display, "terima",
                              f"Retribusi sewa {b.venue.name}: {b.renter_name}{skrd}", b.paid_amount or 0, 0))
    for d in stss:
        receipts = list(d.receipts.all())
        late = any(d.date > deposit_deadline(b.paid_at, days=days, holidays=holidays) for b in receipts)
        numbers = ", ".join(b.receipt_entry.number_display for b in receipts)
        lines.append(BookLine(d.date, d.created_at, d.register_entry.number_display, "setor",
                              f"Setor ke Kas Daerah ({d.reference}); kuitansi {numbers}", 0, d.amount, late=late))
    lines.sort(key=lambda x: (x.day, x.kind != "terima", x.at))
    balance = before
    for line in lines:
        balance += line.received - line.deposited
        line.balance = balance
    return {"opening": before, "lines": lines, "received": sum(x.received for x in lines),
            "deposited": sum(x.deposited for x in lines), "closing": balance, "start": start, "end": end}


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return _bounds(year, month)


def reconciliation(*, office: Office, year: int, month: int) -> dict:
    """The month's reconciliation of the hall's money, two identities, each on its own basis:

    - billing (the SKRDs issued in the month): billed = collected (paid) + outstanding (unpaid,
      still open) + void (cancelled before payment);
    - cash (the receipts of the month): collected = deposited (with any STS, up to today) + not
      yet deposited;

    and the deposits made in the month (by STS date). Each identity is computed from its parts
    independently; a difference is reported as an imbalance (it would mean a paid amount differs
    from its SKRD, or a deposit from its receipts)."""
    from django.db.models import Count, Sum

    start, end = _bounds(year, month)
    zero = {"n": 0, "s": 0}

    def agg(qs, field):
        row = qs.aggregate(n=Count("pk"), s=Sum(field))
        return {"n": row["n"] or 0, "s": row["s"] or 0} if row["n"] else dict(zero)

    skrd = Booking.objects.filter(office=office, skrd_entry__isnull=False,
                                  skrd_entry__entered_at__date__range=(start, end))
    billed = agg(skrd, "skrd_amount")
    collected_of_billed = agg(skrd.filter(paid_at__isnull=False), "paid_amount")
    outstanding = agg(skrd.filter(paid_at__isnull=True).exclude(state=Booking.State.CANCELLED), "skrd_amount")
    void = agg(skrd.filter(paid_at__isnull=True, state=Booking.State.CANCELLED), "skrd_amount")
    paid = Booking.objects.filter(office=office, paid_at__isnull=False, paid_at__date__range=(start, end))
    collected = agg(paid, "paid_amount")
    deposited_of_collected = agg(paid.filter(deposit__isnull=False), "paid_amount")
    not_deposited = agg(paid.filter(deposit__isnull=True), "paid_amount")
    month_deposits = Deposit.objects.filter(office=office, date__range=(start, end)).aggregate(
        n=Count("pk"), s=Sum("amount"))
    deposited_in_month = {"n": month_deposits["n"] or 0, "s": month_deposits["s"] or 0}
    # the STS amounts against their receipts (a deposit whose amount is not its receipts' sum)
    bad_sts = list(Deposit.objects.filter(office=office, date__range=(start, end))
                   .annotate(receipts_sum=Sum("receipts__paid_amount"))
                   .exclude(amount=F("receipts_sum")).values_list("register_entry__number", flat=True))
    billing_gap = billed["s"] - (collected_of_billed["s"] + outstanding["s"] + void["s"])
    cash_gap = collected["s"] - (deposited_of_collected["s"] + not_deposited["s"])
    return {
        "year": year, "month": month, "start": start, "end": end,
        "billed": billed, "collected_of_billed": collected_of_billed, "outstanding": outstanding, "void": void,
        "collected": collected, "deposited_of_collected": deposited_of_collected, "not_deposited": not_deposited,
        "deposited_in_month": deposited_in_month, "billing_gap": billing_gap, "cash_gap": cash_gap,
        "bad_sts": bad_sts, "balanced": billing_gap == 0 and cash_gap == 0 and not bad_sts,
    }
