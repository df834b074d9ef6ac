"""Working time (offices.hours): the office's hours on working days, weekends and holidays left
out, Perpres 21/2023's hours when the office has entered none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from loket.offices.hours import DEFAULT_HOURS, hours_for_office, working_minutes
from loket.offices.models import WorkingHours

WIB = dt.timezone(dt.timedelta(hours=7))
H = DEFAULT_HOURS
NONE: frozenset = frozenset()


def at(day: int, hour: int, minute: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


def test_the_default_hours_are_perpres_21_2023s_week_of_37_and_a_half_hours_with_rest():
    # 07.30–16.00 Monday–Thursday (8.5 h, 1 h rest) and 07.30–16.30 on Friday (9 h, 1.5 h rest).
    week = sum((dt.datetime.combine(dt.date.min, c) - dt.datetime.combine(dt.date.min, o)).seconds for o, c in H.values())
    rest = 4 * 60 * 60 + 90 * 60
    assert (week - rest) / 3600 == 37.5
    assert set(H) == {0, 1, 2, 3, 4} and all(o == dt.time(7, 30) for o, _ in H.values())


@pytest.mark.parametrize("start,end,minutes", [
    (at(2, 8, 0), at(2, 8, 9), 9),                 # Monday, within the hours
    (at(6, 16, 25), at(9, 7, 36), 11),            # Friday 16.25 to Monday 07.36: 5 + 6, not the weekend
    (at(2, 15, 58), at(3, 7, 32), 4),             # overnight: 2 before closing, 2 after opening
    (at(7, 10, 0), at(7, 11, 0), 0),              # Saturday: no hours
    (at(2, 6, 0), at(2, 7, 40), 10),              # before opening counts from 07.30
    (at(2, 8, 0), at(2, 8, 0), 0),
    (at(2, 9, 0), at(2, 8, 0), 0),                # an end before the start is no time
    (at(2, 7, 30), at(9, 7, 30), 5 * 8.5 * 60 - 8.5 * 60 + 9 * 60),  # one whole week, Monday to Monday
])
def test_working_minutes(start, end, minutes):
    assert working_minutes(start, end, hours=H, holidays=NONE) == minutes


def test_a_holiday_counts_nothing():
    # Wednesday 15.58 to Friday 07.35 with Thursday a holiday: 2 + 5 minutes.
    holiday = frozenset({dt.date(2026, 11, 12)})
    assert working_minutes(at(11, 15, 58), at(13, 7, 35), hours=H, holidays=holiday) == 7
    assert working_minutes(at(11, 15, 58), at(13, 7, 35), hours=H, holidays=NONE) == 7 + 8.5 * 60


def test_a_span_given_in_utc_is_counted_in_jakarta_time():
    utc = dt.timezone.utc
    start = dt.datetime(2026, 11, 2, 1, 0, tzinfo=utc)  # 08.00 WIB
    assert working_minutes(start, start + dt.timedelta(minutes=9), hours=H, holidays=NONE) == 9


@pytest.mark.django_db
def test_an_office_without_hours_has_the_default_and_its_own_rows_replace_it(office):
    assert hours_for_office(office.pk) == DEFAULT_HOURS
    WorkingHours.objects.create(office=office, weekday=0, opens=dt.time(8, 0), closes=dt.time(12, 0))
    WorkingHours.objects.create(office=office, weekday=5, opens=dt.time(8, 0), closes=dt.time(10, 0))
    hours = hours_for_office(office.pk)
    assert hours == {0: (dt.time(8, 0), dt.time(12, 0)), 5: (dt.time(8, 0), dt.time(10, 0))}
    # Saturday now counts; Tuesday (no row) does not.
    assert working_minutes(at(7, 9, 0), at(7, 11, 0), hours=hours, holidays=NONE) == 60
    assert working_minutes(at(3, 9, 0), at(3, 11, 0), hours=hours, holidays=NONE) == 0


@pytest.mark.django_db
def test_closing_before_opening_and_a_second_row_for_a_weekday_are_refused(office):
    WorkingHours.objects.create(office=office, weekday=0, opens=dt.time(8, 0), closes=dt.time(12, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingHours.objects.create(office=office, weekday=0, opens=dt.time(9, 0), closes=dt.time(13, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingHours.objects.create(office=office, weekday=1, opens=dt.time(12, 0), closes=dt.time(8, 0))
    assert WorkingHours.objects.filter(office=office).count() == 1
