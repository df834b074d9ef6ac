"""Working time (waktu kerja): how much of the office's working hours on working days lies between
two moments. The standard time of a counter service (komponen 4: "5 – 10 menit") is measured in
it, so a dossier taken in on Friday at 16.25 and handed over on Monday at 07.36 took 11 minutes
of the office's time (16.25–16.30 and 07.30–07.36), not a weekend (docs/service-report.md).

Working days are offices.calendar's (Monday–Friday minus the Holiday table); the hours of a
weekday are the office's WorkingHours rows, or DEFAULT_HOURS: Perpres 21/2023 Pasal 4 gives
37 jam 30 menit a week without the rest, from 07.30 local time, with 60 minutes' rest (90 on
Friday): 07.30–16.00 Monday to Thursday and 07.30–16.30 on Friday. The rest is counted as
working time (the counter is expected to be served through it; a measure that left it out
would hide a citizen's wait). Times are Asia/Jakarta (settings.TIME_ZONE).

Pure functions over an explicit hours table and holiday set; ``hours_for_office`` loads an
office's table once.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from loket.offices.calendar import ONE_DAY

Hours = dict[int, tuple[dt.time, dt.time]]  # weekday (Monday 0) → (opens, closes)

DEFAULT_HOURS: Hours = {
    **{day: (dt.time(7, 30), dt.time(16, 0)) for day in range(4)},
    4: (dt.time(7, 30), dt.time(16, 30)),
}


def office_hours(office_id: int | None) -> Hours:
    """The office's own working hours per weekday (its WorkingHours rows); {} when it has none."""
    from loket.offices.models import WorkingHours

    rows = WorkingHours.objects.filter(office_id=office_id).values_list("weekday", "opens", "closes")
    return {weekday: (opens, closes) for weekday, opens, closes in rows}


def hours_for_office(office_id: int | None) -> Hours:
    """The office's working hours per weekday, or DEFAULT_HOURS when it has entered none."""
    return office_hours(office_id) or dict(DEFAULT_HOURS)


def working_time(start: dt.datetime, end: dt.datetime, *, hours: Hours, holidays) -> dt.timedelta:
    """The part of [start, end] that falls in working hours on working days (a day in
    ``holidays``, or a weekday without hours, counts nothing). Zero when end <= start."""
    if end <= start:
        return dt.timedelta()
    tz = timezone.get_default_timezone()
    start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    total = dt.timedelta()
    day = start.date()
    while day <= end.date():
        span = hours.get(day.weekday())
        if span and day not in holidays:
            opens = dt.datetime.combine(day, span[0], tzinfo=tz)
            closes = dt.datetime.combine(day, span[1], tzinfo=tz)
            lo, hi = max(start, opens), min(end, closes)
            if hi > lo:
                total += hi - lo
        day += ONE_DAY
    return total


def working_minutes(start: dt.datetime, end: dt.datetime, *, hours: Hours, holidays) -> float:
    return working_time(start, end, hours=hours, holidays=holidays).total_seconds() / 60
