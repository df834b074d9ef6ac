"""Reads of deed cases: the clock of a case, the work list of a role, the overdue ones, the
Camat's calendar of sidang and the deeds registered in a month."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from loket.deeds.clock import Clock, clock_of
from loket.deeds.models import Case, Pause, Signing, SigningSlot
from loket.deeds.policy import is_validator
from loket.offices.models import Office
from loket.offices.roles import Role, staff_of

S = Case.State
OPEN = (S.RECEIVED, S.PREPARING, S.WAITING, S.VALIDATED, S.SCHEDULED, S.SIGNED, S.REGISTERED)


def clock(case: Case, *, now: dt.datetime | None = None) -> Clock | None:
    """The case's standard-time clock (None while it was never complete at the counter). Uses
    ``case.pauses`` (prefetch it for lists)."""
    if case.clock_started_at is None:
        return None
    return clock_of(received_at=case.clock_started_at,
                    pauses=[(p.started_at, p.ended_at) for p in case.pauses.all()],
                    target_days=case.service.duration_min, limit_days=case.service.duration_max,
                    now=now or timezone.now(), stopped_at=case.done_at)


def cases(*, office: Office, states=None):
    qs = (Case.objects.filter(office=office).select_related("service", "kelurahan", "register_entry__book")
          .prefetch_related(Prefetch("pauses", queryset=Pause.objects.order_by("started_at")), "parties"))
    if states:
        qs = qs.filter(state__in=states)
    return qs


def worklist(*, user) -> list[Case]:
    """The cases waiting for this user's role: front office (received, returned), Petugas PPAT
    (preparing to registered), Kasi Pemerintahan (preparing, to validate), Camat (scheduled)."""
    staff = staff_of(user)
    if staff is None:
        return []
    states = {
        Role.FRONT_OFFICE: (S.RECEIVED, S.RETURNED),
        Role.PPAT_OFFICER: (S.PREPARING, S.WAITING, S.VALIDATED, S.SCHEDULED, S.SIGNED, S.REGISTERED),
        Role.CAMAT: (S.SCHEDULED,),
    }.get(staff.role, ())
    if is_validator(user):
        states = (S.PREPARING,)
    if not states:
        return []
    return list(cases(office=staff.office, states=states).order_by("received_at", "pk"))


def overdue(*, office: Office, now: dt.datetime | None = None) -> list[tuple[Case, Clock]]:
    """Open cases past their target (14 days) or limit (60 days), the most overdue first."""
    now = now or timezone.now()
    out = []
    for case in cases(office=office, states=OPEN).exclude(clock_started_at__isnull=True):
        c = clock(case, now=now)
        if c.state(now) != "ok":
            out.append((case, c))
    return sorted(out, key=lambda pair: pair[1].target_at)


DELIVERY_WORKING_DAYS = 7  # PP 24/1997 Pasal 40 ayat (1): at the latest 7 working days after signing


def delivery_due(case: Case) -> dt.date | None:
    """The last day to deliver the signed deed to the Kantor Pertanahan: the 7th working day after
    the day of signing (offices.calendar: weekends and the office's holidays are not counted)."""
    if case.signed_at is None:
        return None
    from loket.offices.calendar import add_working_days, holidays_for_office

    signed = timezone.localtime(case.signed_at).date()
    holidays = holidays_for_office(case.office_id, years=[signed.year, signed.year + 1])
    return add_working_days(signed, DELIVERY_WORKING_DAYS, holidays)


def delivery_overdue(*, office: Office, today: dt.date | None = None) -> list[tuple[Case, dt.date]]:
    """Signed deeds not yet delivered to the Kantor Pertanahan whose 7 working days have passed,
    the oldest first, with the last day they were due."""
    from loket.offices.calendar import add_working_days, holidays_for_office

    today = today or timezone.localdate()
    rows = list(cases(office=office, states=(S.SIGNED, S.REGISTERED, S.HANDED_OVER))
                .filter(delivered_on__isnull=True).order_by("signed_at"))
    years = {timezone.localtime(c.signed_at).year for c in rows}
    holidays = holidays_for_office(office.pk, years=years | {y + 1 for y in years}) if rows else frozenset()
    out = []
    for c in rows:
        due = add_working_days(timezone.localtime(c.signed_at).date(), DELIVERY_WORKING_DAYS, holidays)
        if today > due:
            out.append((c, due))
    return out


def signed_of_month(*, office: Office, year: int, month: int) -> list[tuple[Case, dt.date]]:
    """Buku Register Penyampaian Akta ke Kantor Pertanahan: every deed signed in the month
    (Asia/Jakarta), in signing order, with the last day to deliver it (PP 24/1997 Pasal 40 ayat (1):
    the 7th working day after signing; one holiday look-up for all of them)."""
    from loket.offices.calendar import add_working_days, holidays_for_office

    tz = timezone.get_default_timezone()
    lo = timezone.make_aware(dt.datetime(year, month, 1), tz)
    hi = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1), tz)
    rows = list(Case.objects.filter(office=office, signed_at__gte=lo, signed_at__lt=hi)
                .exclude(state=S.WITHDRAWN)
                .select_related("register_entry__book").prefetch_related("parties").order_by("signed_at", "pk"))
    holidays = holidays_for_office(office.pk, years=[year, year + 1]) if rows else frozenset()
    return [(c, add_working_days(timezone.localtime(c.signed_at).date(), DELIVERY_WORKING_DAYS, holidays))
            for c in rows]


def calendar(*, office: Office, start: dt.date, end: dt.date) -> list[Signing]:
    """The live sidang from ``start`` to ``end`` (local dates, inclusive)."""
    tz = timezone.get_default_timezone()
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    return list(Signing.objects.filter(case__office=office, cancelled=False, starts_at__gte=lo, starts_at__lt=hi)
                .select_related("case").order_by("starts_at"))


def camat_busy(*, office: Office, start: dt.datetime, end: dt.datetime) -> bool:
    return SigningSlot.objects.filter(office=office, released=False, start__gte=start, start__lt=end).exists()


def deeds_of_month(*, office: Office, year: int, month: int):
    """The deeds registered in a month (by register date, Asia/Jakarta): the PPAT's monthly
    report to the land office and the tax office."""
    tz = timezone.get_default_timezone()
    lo = timezone.make_aware(dt.datetime(year, month, 1), tz)
    hi = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1), tz)
    return (Case.objects.filter(office=office, register_entry__entered_at__gte=lo, register_entry__entered_at__lt=hi)
            .select_related("register_entry__book", "kelurahan").prefetch_related("parties")
            .order_by("register_entry__number"))


def witness_names(*, office_id: int) -> list[str]:
    """Staff of the office offered as sidang witnesses (PP 24/1997 Pasal 38: two witnesses); the
    Camat signs and is no witness."""
    from loket.offices.models import Staff

    return [s.user.get_full_name() or s.user.username
            for s in Staff.objects.filter(office_id=office_id, user__is_active=True).select_related("user")
            .exclude(role__in=[Role.CAMAT, Role.ADMIN])[:30]]
