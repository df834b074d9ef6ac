"""The leadership's desk (/staf/pimpinan/): the office at a glance for the Camat and the Sekcam,
and the same for one unit for its Kasi. Every figure is a bounded query (counts grouped in the
database; only open dossiers, a few dozen, are measured in Python), so the page stays as cheap
with five years of dossiers as with five (tests/leadership/budget_cases.py).

Each figure names the list behind it; the template links it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.core.cache import cache
from django.utils import timezone

from loket.complaints import selectors as complaint_selectors
from loket.deeds import selectors as deed_selectors
from loket.dossiers.models import Dossier, Measure, Transition
from loket.dossiers.selectors import OPEN_STATES, bound_minutes, standard_minutes
from loket.offices.calendar import holidays_for_office
from loket.offices.hours import hours_for_office, working_minutes
from loket.offices.models import Office, Staff, Unit
from loket.offices.roles import Role
from loket.offices.signers import staff_name
from loket.rentals.models import Booking
from loket.surveys.models import Publication

S = Dossier.State
TREND_MONTHS = 12
TREND_CACHE_SECONDS = 6 * 60 * 60  # the months before this one: a late correction shows within six hours
LATE_SHOWN = 10


@dataclass
class Waiting:
    unit_id: int
    unit: str
    people: str          # the Kasi of the unit, by name
    count: int
    oldest: dt.datetime | None


@dataclass
class Late:
    dossier: Dossier
    minutes: float       # working minutes since the complete dossier was accepted
    limit: int


@dataclass
class Desk:
    today: dt.date
    unit: Unit | None
    received_today: int = 0
    received_month: int = 0
    returned_month: int = 0
    completed_month: int = 0
    late_month: int = 0
    at_counter: int = 0
    waiting_kasi: list[Waiting] = field(default_factory=list)
    waiting_signature: int = 0
    waiting_handover: int = 0
    late_now: list[Late] = field(default_factory=list)
    late_now_count: int = 0
    months: list[dict] = field(default_factory=list)      # received, completed, on_time per month
    by_service: list[tuple[str, int]] = field(default_factory=list)
    by_kelurahan: list[tuple[str, int]] = field(default_factory=list)
    complaints_open: int = 0
    complaints_overdue: int = 0
    publications: list[Publication] = field(default_factory=list)  # latest first
    hall_week: list[Booking] = field(default_factory=list)
    deeds_open: int = 0
    deeds_overdue: int = 0
    deeds_delivery_overdue: int = 0

    @property
    def waiting_kasi_total(self) -> int:
        return sum(w.count for w in self.waiting_kasi)

    @property
    def on_time_month_pct(self) -> float | None:
        return 100 * (self.completed_month - self.late_month) / self.completed_month if self.completed_month else None

    @property
    def ikm(self) -> Publication | None:
        return self.publications[0] if self.publications else None


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    month = day.year * 12 + day.month - 1 - back
    return dt.date(month // 12, month % 12 + 1, 1)


def desk(*, office: Office, unit: Unit | None = None, now: dt.datetime | None = None) -> Desk:
    """The figures of the desk: the whole office, or one unit (a Kasi's desk: its dossiers only,
    and the complaints waiting for that Kasi are their own work list)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    month, day = _day_start(_month_start(today)), _day_start(today)
    month_end = _day_start(_month_start(today, -1))
    out = Desk(today=today, unit=unit)
    dossiers = Dossier.objects.filter(office=office)
    # The same scope as a join from a dossier's history or measure (a join on the dossier lets
    # PostgreSQL use its (office, done_at) index; "dossier IN (subquery)" made it scan).
    scope = {"dossier__office": office}
    if unit is not None:
        dossiers = dossiers.filter(unit=unit)
        scope["dossier__unit"] = unit

    # What waits now, per state (the index on office, state), and this month's intake (office, received_at).
    waiting = dict(dossiers.filter(state__in=(S.RECEIVED, S.INITIALLED, S.SIGNED, S.REGISTERED))
                   .values("state").annotate(n=Count("pk")).values_list("state", "n"))
    out.at_counter, out.waiting_signature = waiting.get(S.RECEIVED, 0), waiting.get(S.INITIALLED, 0)
    out.waiting_handover = waiting.get(S.SIGNED, 0) + waiting.get(S.REGISTERED, 0)
    intake = (dossiers.filter(received_at__gte=month, received_at__lt=month_end).exclude(state=S.CANCELLED)
              .aggregate(today=Count("pk", filter=Q(received_at__gte=day, received_at__lt=day + dt.timedelta(days=1))),
                         month=Count("pk")))
    out.received_today, out.received_month = intake["today"], intake["month"]
    undone = Transition.objects.filter(dossier__office=office, cancels__isnull=False).values("cancels_id")
    out.returned_month = (Transition.objects.filter(**scope, to_state=S.RETURNED, at__gte=month,
                                                    at__lt=month_end)
                          .exclude(pk__in=undone).count())
    measured = Measure.objects.filter(**scope, dossier__done_at__gte=month,
                                      dossier__done_at__lt=month_end).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(on_time=False)))
    out.completed_month, out.late_month = measured["n"], measured["late"]

    # Waiting for the Kasi, per unit, with who the Kasi are.
    kasi: dict[int, list[str]] = {}
    for s in Staff.objects.filter(office=office, role=Role.KASI, user__is_active=True).select_related("user"):
        kasi.setdefault(s.unit_id, []).append(staff_name(s))
    out.waiting_kasi = [
        Waiting(unit_id=row["unit"], unit=row["unit__name"], people=", ".join(kasi.get(row["unit"], [])) or "—", count=row["n"],
                oldest=row["oldest"])
        for row in dossiers.filter(state=S.FORWARDED).values("unit", "unit__name")
        .annotate(n=Count("pk"), oldest=Min("clock_started_at")).order_by("unit__name")
    ]

    # Open dossiers already past the standard time, in working time.
    late = late_now(office=office, unit=unit, now=now, limit=LATE_SHOWN)
    out.late_now_count, out.late_now = len(late), late[:LATE_SHOWN]

    # Trend: the last twelve months. This month's figures are the ones above; the eleven before
    # it change only by a late correction, so they are kept in the cache for a few hours.
    past = cache.get_or_set(
        f"leadership:trend:{office.pk}:{unit.pk if unit else 0}:{_month_start(today):%Y-%m}",
        lambda: trend_months(dossiers, scope, start=_day_start(_month_start(today, TREND_MONTHS - 1)), end=month),
        TREND_CACHE_SECONDS)
    for back in range(TREND_MONTHS - 1, 0, -1):
        first = _month_start(today, back)
        received, completed, on_time = past.get(first, (0, 0, 0))
        out.months.append({"month": first, "received": received, "completed": completed, "on_time": on_time})
    out.months.append({"month": _month_start(today), "received": out.received_month, "completed": out.completed_month,
                       "on_time": out.completed_month - out.late_month})

    # This month per service and per kelurahan.
    this_month = dossiers.filter(received_at__gte=month, received_at__lt=month_end).exclude(state=S.CANCELLED)
    out.by_service = [(f"{r['service__number']}. {r['service__short_name']}", r["n"]) for r in
                      this_month.values("service__number", "service__short_name").annotate(n=Count("pk"))
                      .order_by("-n", "service__number")]
    out.by_kelurahan = [(r["applicant_kelurahan__name"] or "Luar kecamatan / tidak tercatat", r["n"]) for r in
                        this_month.values("applicant_kelurahan__name").annotate(n=Count("pk"))
                        .order_by("-n", "applicant_kelurahan__name")]

    out.publications = list(Publication.objects.filter(office=office).order_by("-published_at", "-pk")[:6])
    if unit is None:
        out.complaints_open, out.complaints_overdue = complaint_selectors.open_and_overdue(office=office, today=today)
        monday = today - dt.timedelta(days=today.weekday())
        out.hall_week = list(Booking.objects.filter(office=office, date__gte=monday, date__lte=monday + dt.timedelta(days=6))
                             .exclude(state=Booking.State.CANCELLED).select_related("venue").order_by("date", "pk"))
        out.deeds_open = deed_selectors.cases(office=office, states=deed_selectors.OPEN).count()
        out.deeds_overdue = len(deed_selectors.overdue(office=office, now=now))
        out.deeds_delivery_overdue = len(deed_selectors.delivery_overdue(office=office, today=today))
    else:
        out.complaints_open, out.complaints_overdue = complaint_selectors.open_and_overdue(office=office, today=today,
                                                                                           unit=unit)
    return out


def trend_months(dossiers, scope: dict, *, start: dt.datetime, end: dt.datetime) -> dict[dt.date, tuple[int, int, int]]:
    """Per month in [start, end): dossiers received (not cancelled), completed, completed on time."""
    tz = timezone.get_default_timezone()
    first = lambda k: k.date() if isinstance(k, dt.datetime) else k  # noqa: E731 (TruncMonth: a datetime on PG)
    received = {first(m): n for m, n in dossiers.filter(received_at__gte=start, received_at__lt=end)
                .exclude(state=S.CANCELLED).annotate(m=TruncMonth("received_at", tzinfo=tz)).values("m")
                .annotate(n=Count("pk")).values_list("m", "n")}
    done = {first(r["m"]): r for r in Measure.objects.filter(**scope, dossier__done_at__gte=start,
                                                            dossier__done_at__lt=end)
            .annotate(m=TruncMonth("dossier__done_at", tzinfo=tz)).values("m")
            .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))}
    return {m: (received.get(m, 0), done.get(m, {}).get("n", 0), done.get(m, {}).get("on_time", 0))
            for m in set(received) | set(done)}


def late_now(*, office: Office, unit: Unit | None = None, now: dt.datetime | None = None,
             limit: int | None = None) -> list[Late]:
    """Every open dossier past the standard time now, the furthest past first (the list behind
    the desk's figure); with ``limit``, the count stays whole (``len``) but only the first
    ``limit`` carry their dossier (the others None). Measured from plain values: an office with a
    thousand open dossiers builds no thousand model objects (bench/desk.py)."""
    now = now or timezone.now()
    rows = Dossier.objects.filter(office=office, state__in=OPEN_STATES)
    if unit is not None:
        rows = rows.filter(unit=unit)
    hours, holidays = hours_for_office(office.pk), holidays_for_office(office.pk)
    late = []
    for pk, started, dmax, dunit in rows.values_list("pk", "clock_started_at", "service__duration_max",
                                                     "service__duration_unit"):
        limit_minutes = bound_minutes(dmax, dunit)
        minutes = working_minutes(started, now, hours=hours, holidays=holidays)
        if minutes > limit_minutes:
            late.append((minutes / limit_minutes, pk, minutes, limit_minutes))
    late.sort(key=lambda x: -x[0])
    shown = late if limit is None else late[:limit]
    objects = Dossier.objects.filter(pk__in=[x[1] for x in shown]).select_related("service", "unit").in_bulk()
    return [Late(objects.get(pk) if pk in objects else None, minutes, limit_minutes)
            for _ratio, pk, minutes, limit_minutes in late]


WAITING_LIMIT = 500


def unit_of(*, office: Office, pk) -> Unit | None:
    return Unit.objects.filter(office=office, pk=pk).first() if str(pk).isdigit() else None


def state_label(state: str) -> str:
    return str(Dossier.State(state).label)


def waiting_list(*, office: Office, state: str, unit: Unit | None = None) -> list[tuple[Dossier, float]]:
    """Open dossiers in ``state`` (of one unit), oldest first, each with its working minutes so
    far (at most WAITING_LIMIT)."""
    # "signed" lists what waits for the front office after the signature: signed and registered.
    states = (S.SIGNED, S.REGISTERED) if state == S.SIGNED else (state,)
    qs = Dossier.objects.filter(office=office, state__in=states).select_related("service", "unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    now = timezone.now()
    hours, holidays = hours_for_office(office.pk), holidays_for_office(office.pk)
    return [(d, working_minutes(d.clock_started_at, now, hours=hours, holidays=holidays), standard_minutes(d.service))
            for d in qs.order_by("clock_started_at", "pk")[:WAITING_LIMIT]]
