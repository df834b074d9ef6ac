"""Deadlines of complaints (loket.complaints.deadlines): the target in working days from the day
of receipt in Asia/Jakarta, the kind's default or the category's own target, never past the
legal limit of 60 calendar days (UU 25/2009 Pasal 50 ayat 1); and the same figures as intake
and reopening write them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from loket.complaints import deadlines, services
from loket.complaints.models import Category
from loket.offices.calendar import add_working_days, holidays_load_shipped
from loket.offices.models import Holiday
from tests.complaints.conftest import complaint_data

D = dt.date
UTC = dt.timezone.utc
WIB = dt.timezone(dt.timedelta(hours=7))
NONE: frozenset[dt.date] = frozenset()


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        def set(self, moment: dt.datetime) -> None:
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()


# --- the kind defaults and the category's target -------------------------------------------------

@pytest.mark.parametrize("kind,days", [("pengaduan", 5), ("konsultasi", 5), ("saran", 5), ("informasi", 10)])
def test_kind_defaults(kind, days):
    assert deadlines.target_days_for(kind=kind) == days
    assert deadlines.target_days_for(kind=kind, category=Category(name="x", target_days=None)) == days


def test_the_category_target_overrides_the_kind_default():
    assert deadlines.target_days_for(kind="pengaduan", category=Category(name="Ringan", target_days=2)) == 2
    assert deadlines.target_days_for(kind="informasi", category=Category(name="Ringan", target_days=2)) == 2
    assert deadlines.target_days_for(kind="pengaduan", category=Category(name="Berat", target_days=14)) == 14


def test_the_defaults_are_the_documented_figures():
    assert deadlines.DEFAULT_TARGET_DAYS == {"pengaduan": 5, "konsultasi": 5, "saran": 5, "informasi": 10}
    assert deadlines.LEGAL_LIMIT_DAYS == 60


# --- due_dates --------------------------------------------------------------------------------

def test_due_dates_counts_working_days_from_the_day_of_receipt():
    start = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)  # Friday
    assert deadlines.due_dates(office_id=0, start=start, target_days=2, holidays=NONE) == (
        D(2026, 12, 1), D(2027, 1, 26))
    assert deadlines.due_dates(office_id=0, start=start, target_days=5, holidays=NONE)[0] == D(2026, 12, 4)
    assert deadlines.due_dates(office_id=0, start=start, target_days=10, holidays=NONE)[0] == D(2026, 12, 11)


def test_the_target_is_capped_at_the_legal_limit_of_60_calendar_days():
    start = dt.datetime(2026, 11, 26, 9, 0, tzinfo=WIB)  # Thursday
    legal = D(2026, 11, 26) + dt.timedelta(days=60)
    assert legal == D(2027, 1, 25)
    # 50 working days is 10 weeks = 70 calendar days: past the legal limit, so the limit it is
    assert add_working_days(D(2026, 11, 26), 50, NONE) == D(2027, 2, 4)
    assert deadlines.due_dates(office_id=0, start=start, target_days=50, holidays=NONE) == (legal, legal)
    # 41 working days (8 weeks and a day = 57 calendar days) stays under it
    assert deadlines.due_dates(office_id=0, start=start, target_days=41, holidays=NONE) == (D(2027, 1, 22), legal)
    # 42 working days is Monday 25 January 2027 = exactly the limit; 43 would be the day after
    assert add_working_days(D(2026, 11, 26), 42, NONE) == legal
    assert deadlines.due_dates(office_id=0, start=start, target_days=42, holidays=NONE) == (legal, legal)
    assert add_working_days(D(2026, 11, 26), 43, NONE) == D(2027, 1, 26)
    assert deadlines.due_dates(office_id=0, start=start, target_days=43, holidays=NONE) == (legal, legal)
    assert deadlines.due_dates(office_id=0, start=start, target_days=44, holidays=NONE) == (legal, legal)


def test_the_legal_limit_is_calendar_days_not_working_days():
    holidays = frozenset(D(2026, 12, d) for d in range(1, 32))  # a whole month closed
    start = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    due, legal = deadlines.due_dates(office_id=0, start=start, target_days=5, holidays=holidays)
    assert legal == D(2027, 1, 29)
    assert due == D(2027, 1, 7)  # Jan 1 (Friday) is not in this set: Jan 1, 4, 5, 6, 7


@pytest.mark.parametrize("moment,day,due", [
    # 23:30 WIB Thursday = 16:30 UTC Thursday: a Thursday receipt, + 1 → Friday
    (dt.datetime(2026, 11, 26, 23, 30, tzinfo=WIB), D(2026, 11, 26), D(2026, 11, 27)),
    (dt.datetime(2026, 11, 26, 16, 30, tzinfo=UTC), D(2026, 11, 26), D(2026, 11, 27)),
    # 00:30 WIB Friday = 17:30 UTC Thursday: a Friday receipt, + 1 → Monday
    (dt.datetime(2026, 11, 27, 0, 30, tzinfo=WIB), D(2026, 11, 27), D(2026, 11, 30)),
    (dt.datetime(2026, 11, 26, 17, 30, tzinfo=UTC), D(2026, 11, 27), D(2026, 11, 30)),
    # the first moment of Friday in Jakarta
    (dt.datetime(2026, 11, 26, 17, 0, tzinfo=UTC), D(2026, 11, 27), D(2026, 11, 30)),
    (dt.datetime(2026, 11, 26, 16, 59, 59, tzinfo=UTC), D(2026, 11, 26), D(2026, 11, 27)),
])
def test_the_day_of_receipt_is_the_day_in_jakarta(moment, day, due):
    assert timezone.localtime(moment).date() == day
    assert deadlines.due_dates(office_id=0, start=moment, target_days=1, holidays=NONE) == (
        due, day + dt.timedelta(days=60))


@pytest.mark.django_db
def test_due_dates_reads_the_holiday_table_of_the_office_when_not_given(office):
    holidays_load_shipped()
    # received on Thursday 19 March 2026 (Nyepi): + 1 → Wednesday 25 March after the Idul Fitri week
    start = dt.datetime(2026, 3, 19, 10, 0, tzinfo=WIB)
    assert deadlines.due_dates(office_id=office.pk, start=start, target_days=1)[0] == D(2026, 3, 25)
    # a local holiday of this office counts, one of another office does not
    Holiday.objects.create(date=D(2026, 3, 25), kind="libur_daerah", name="Hari Jadi", office=office)
    assert deadlines.due_dates(office_id=office.pk, start=start, target_days=1)[0] == D(2026, 3, 26)
    assert deadlines.due_dates(office_id=office.pk + 1000, start=start, target_days=1)[0] == D(2026, 3, 25)


@pytest.mark.django_db
def test_year_end_with_and_without_the_next_years_table(office):
    holidays_load_shipped()
    start = dt.datetime(2026, 12, 23, 9, 0, tzinfo=WIB)  # Wednesday; 24 and 25 December closed
    # no 2027 table: New Year's Day 2027 (a Friday) counts as the fifth working day
    assert deadlines.due_dates(office_id=office.pk, start=start, target_days=5) == (D(2027, 1, 1), D(2027, 2, 21))
    # the admin enters 1 January 2027: the target moves to Monday 4 January
    Holiday.objects.create(date=D(2027, 1, 1), kind="libur_nasional", name="Tahun Baru 2027 Masehi")
    assert deadlines.due_dates(office_id=office.pk, start=start, target_days=5)[0] == D(2027, 1, 4)


# --- as intake writes them ---------------------------------------------------------------------

def test_intake_fixes_target_due_and_legal_dates(office, people, clock):
    received = dt.datetime(2026, 11, 26, 17, 30, tzinfo=UTC)  # Friday 00:30 WIB
    clock.set(received)
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    c.refresh_from_db()
    assert c.received_at == c.clock_started_at == received
    assert c.target_days == 5
    assert c.due_date == D(2026, 12, 4)  # Friday + 5 working days, not Thursday + 5
    assert c.legal_due_date == D(2027, 1, 26)

    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(kind="informasi"))
    assert (c.target_days, c.due_date) == (10, D(2026, 12, 11))


def test_intake_uses_the_category_target_and_caps_it(office, people, clock):
    clock.set(dt.datetime(2026, 11, 26, 9, 0, tzinfo=WIB))  # Thursday
    light = Category.objects.create(office=office, name="Informasi persyaratan", target_days=2)
    heavy = Category.objects.create(office=office, name="Perlu investigasi", target_days=50)
    plain = Category.objects.create(office=office, name="Lain-lain", target_days=None)

    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(category=light.pk))
    assert (c.target_days, c.due_date) == (2, D(2026, 11, 30))
    c = services.complaint_record(office=office, actor=people["front"],
                                  data=complaint_data(category=str(light.pk), kind="informasi"))
    assert (c.target_days, c.due_date) == (2, D(2026, 11, 30))
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(category=heavy.pk))
    assert c.target_days == 50
    assert c.due_date == c.legal_due_date == D(2027, 1, 25)
    c = services.complaint_record(office=office, actor=people["front"],
                                  data=complaint_data(category=plain.pk, kind="informasi"))
    assert (c.target_days, c.due_date) == (10, D(2026, 12, 10))


def test_intake_uses_the_holiday_table(office, people, clock):
    holidays_load_shipped()
    clock.set(dt.datetime(2026, 12, 23, 14, 0, tzinfo=WIB))
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    assert c.due_date == D(2027, 1, 1)  # the 2027 table is missing: see test_year_end_with_and_without…
