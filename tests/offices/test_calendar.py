"""Working days of an office (loket.offices.calendar): counting with explicit holiday sets, a
brute-force cross-check of the fast count, and the holiday table (reading the shipped CSV,
loading it once, and the years without any national holiday)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from loket.offices.calendar import (
    DATA,
    HolidayFileError,
    add_working_days,
    holidays_for_office,
    holidays_load_shipped,
    holidays_read,
    is_working_day,
    working_days_between,
    years_without_holidays,
)
from loket.offices.models import Holiday, Office

D = dt.date
NONE: frozenset[dt.date] = frozenset()

# The 2026 table of the SKB 3 Menteri (No. 1497, 2 and 5 Tahun 2025), as shipped.
IDUL_FITRI_WEEK = frozenset({D(2026, 3, 18), D(2026, 3, 19), D(2026, 3, 20), D(2026, 3, 21), D(2026, 3, 22),
                             D(2026, 3, 23), D(2026, 3, 24)})
CHRISTMAS_2026 = frozenset({D(2026, 12, 24), D(2026, 12, 25)})


def shipped_2026() -> frozenset[dt.date]:
    return frozenset(d for d, _, _ in holidays_read(DATA / "hari-libur-2026.csv"))


def count_day_by_day(start: dt.date, end: dt.date, holidays) -> int:
    """The obvious definition: working days in (start, end]."""
    n, day = 0, start + dt.timedelta(days=1)
    while day <= end:
        n += day.weekday() < 5 and day not in holidays
        day += dt.timedelta(days=1)
    return n


# --- add_working_days -----------------------------------------------------------------------

def test_the_dates_used_below_fall_on_the_weekdays_they_are_named_after():
    assert D(2026, 11, 27).strftime("%A") == "Friday"
    assert D(2026, 3, 19).strftime("%A") == "Thursday"
    assert D(2026, 12, 23).strftime("%A") == "Wednesday"
    assert D(2027, 1, 1).strftime("%A") == "Friday"


@pytest.mark.parametrize("start,n,due", [
    (D(2026, 11, 27), 2, D(2026, 12, 1)),   # Friday + 2 → Tuesday
    (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday + 1 → Monday
    (D(2026, 11, 23), 4, D(2026, 11, 27)),  # Monday + 4 → Friday (same week)
    (D(2026, 11, 23), 5, D(2026, 11, 30)),  # Monday + 5 → next Monday
    (D(2026, 11, 28), 1, D(2026, 11, 30)),  # Saturday + 1 → Monday (the weekend is not day 1)
    (D(2026, 11, 29), 1, D(2026, 11, 30)),  # Sunday + 1 → Monday
    (D(2026, 11, 28), 5, D(2026, 12, 4)),   # Saturday + 5 → Friday
    (D(2026, 11, 23), 10, D(2026, 12, 7)),
    (D(2026, 11, 23), 0, D(2026, 11, 23)),  # 0: the day itself when it is a working day
    (D(2026, 11, 28), 0, D(2026, 11, 30)),  # 0 on a Saturday: the next working day
])
def test_add_working_days_without_holidays(start, n, due):
    assert add_working_days(start, n, NONE) == due


def test_a_holiday_in_between_is_skipped():
    # Friday 14 Aug 2026 + 2: Monday 17 Aug (Proklamasi) is closed → Wednesday 19 Aug
    assert add_working_days(D(2026, 8, 14), 2, {D(2026, 8, 17)}) == D(2026, 8, 19)
    assert add_working_days(D(2026, 8, 14), 2, NONE) == D(2026, 8, 18)
    # a holiday on a Saturday changes nothing
    assert add_working_days(D(2026, 8, 14), 2, {D(2026, 8, 15)}) == D(2026, 8, 18)
    # a holiday on the day of receipt changes nothing either: counting starts the next day
    assert add_working_days(D(2026, 8, 14), 1, {D(2026, 8, 14)}) == D(2026, 8, 17)
    # n = 0 on a holiday gives the next working day
    assert add_working_days(D(2026, 8, 17), 0, {D(2026, 8, 17)}) == D(2026, 8, 18)


def test_idul_fitri_2026_week():
    # 18–24 March 2026 are all closed (Nyepi, cuti bersama, Idul Fitri, the weekend, cuti bersama)
    holidays = shipped_2026()
    assert IDUL_FITRI_WEEK <= holidays
    assert not any(is_working_day(D(2026, 3, d), holidays) for d in range(18, 25))
    # received on Thursday 19 March (a holiday itself) + 1 → Wednesday 25 March
    assert add_working_days(D(2026, 3, 19), 1, holidays) == D(2026, 3, 25)
    assert add_working_days(D(2026, 3, 19), 1, IDUL_FITRI_WEEK) == D(2026, 3, 25)
    # received on Tuesday 17 March, the last day before the break, + 1 → also 25 March
    assert add_working_days(D(2026, 3, 17), 1, holidays) == D(2026, 3, 25)
    assert add_working_days(D(2026, 3, 19), 5, holidays) == D(2026, 3, 31)
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 25), holidays) == 1


def test_year_end_2026_to_2027():
    # received Wednesday 23 Dec 2026; 24 and 25 Dec closed; weekend 26–27.
    holidays = shipped_2026()
    assert CHRISTMAS_2026 <= holidays
    # Mon 28 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), Fri 1 Jan 2027 (5): with no 2027 row in the
    # table, New Year's Day 2027 counts as a working day …
    assert add_working_days(D(2026, 12, 23), 5, holidays) == D(2027, 1, 1)
    assert add_working_days(D(2026, 12, 23), 4, holidays) == D(2026, 12, 31)
    # … and once the 2027 table has 1 January, the fifth working day is Monday 4 January 2027.
    assert add_working_days(D(2026, 12, 23), 5, holidays | {D(2027, 1, 1)}) == D(2027, 1, 4)
    assert working_days_between(D(2026, 12, 23), D(2027, 1, 4), holidays | {D(2027, 1, 1)}) == 5
    assert working_days_between(D(2026, 12, 23), D(2027, 1, 4), holidays) == 6


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 23), -1, NONE)


def test_holidays_may_be_any_collection():
    for coll in ({D(2026, 8, 17)}, frozenset({D(2026, 8, 17)}), [D(2026, 8, 17)], (D(2026, 8, 17),)):
        assert add_working_days(D(2026, 8, 14), 1, coll) == D(2026, 8, 18)
        assert working_days_between(D(2026, 8, 14), D(2026, 8, 18), coll) == 1


# --- working_days_between -----------------------------------------------------------------------

@pytest.mark.parametrize("start,end,n", [
    (D(2026, 11, 27), D(2026, 12, 1), 2),   # Friday → Tuesday
    (D(2026, 11, 27), D(2026, 11, 27), 0),  # same day
    (D(2026, 11, 27), D(2026, 11, 29), 0),  # Friday → Sunday: nothing has passed
    (D(2026, 11, 28), D(2026, 11, 30), 1),  # Saturday → Monday
    (D(2026, 11, 23), D(2026, 11, 30), 5),  # a whole week
    (D(2026, 11, 23), D(2026, 12, 21), 20),  # four whole weeks
    (D(2026, 11, 24), D(2026, 11, 23), 0),  # end before start
    (D(2026, 12, 1), D(2026, 11, 1), 0),
])
def test_working_days_between_without_holidays(start, end, n):
    assert working_days_between(start, end, NONE) == n


def test_holidays_in_the_range_only_count_when_they_are_weekdays_inside_it():
    start, end = D(2026, 8, 14), D(2026, 8, 21)  # Friday → next Friday: 5
    assert working_days_between(start, end, NONE) == 5
    assert working_days_between(start, end, {D(2026, 8, 17)}) == 4           # Monday holiday
    assert working_days_between(start, end, {D(2026, 8, 15), D(2026, 8, 16)}) == 5  # weekend "holidays"
    assert working_days_between(start, end, {start}) == 5                    # the start is not in the range
    assert working_days_between(start, end, {end}) == 4                      # the end is
    assert working_days_between(start, end, {D(2026, 8, 24), D(2026, 8, 10)}) == 5  # outside


@pytest.mark.parametrize("start", [D(2026, 11, 23) + dt.timedelta(days=i) for i in range(7)],
                         ids=lambda d: d.strftime("%a"))
@pytest.mark.parametrize("n", [1, 2, 5, 10, 14, 60])
def test_working_days_between_undoes_add_working_days(start, n):
    holidays = shipped_2026() | CHRISTMAS_2026
    for first in (start, start.replace(month=3, day=16 + start.weekday())):
        due = add_working_days(first, n, holidays)
        assert working_days_between(first, due, holidays) == n
        assert working_days_between(first, due - dt.timedelta(days=1), holidays) == n - 1
        assert is_working_day(due, holidays)


def test_working_days_between_agrees_with_a_day_by_day_count_over_random_ranges():
    rng = random.Random(20260319)
    base = D(2025, 12, 1)
    holidays = shipped_2026() | {base + dt.timedelta(days=rng.randrange(0, 500)) for _ in range(30)}
    for _ in range(3000):
        start = base + dt.timedelta(days=rng.randrange(0, 450))
        end = start + dt.timedelta(days=rng.randrange(-10, 120))
        want = count_day_by_day(start, end, holidays)
        assert working_days_between(start, end, holidays) == want, (start, end)
        assert working_days_between(start, end, NONE) == count_day_by_day(start, end, NONE), (start, end)
        if end > start and want:
            # and add_working_days agrees: the want-th working day after start is on or before end
            assert add_working_days(start, want, holidays) <= end < add_working_days(start, want + 1, holidays)


# --- the holiday table -------------------------------------------------------------------------

def test_holidays_read_reads_the_shipped_2026_table():
    rows = holidays_read(DATA / "hari-libur-2026.csv")
    assert len(rows) == 25
    kinds = [k for _, k, _ in rows]
    assert kinds.count("libur_nasional") == 17 and kinds.count("cuti_bersama") == 8
    assert all(d.year == 2026 for d, _, _ in rows)
    assert len({d for d, _, _ in rows}) == 25
    assert (D(2026, 3, 21), "libur_nasional", "Idul Fitri 1447 Hijriah") in rows


def test_holidays_read_refuses_bad_lines_naming_each_line(tmp_path):
    path = tmp_path / "hari-libur-2027.csv"
    path.write_text(
        "tanggal,jenis,keterangan\n"
        "2027-01-01,libur_nasional,Tahun Baru\n"   # line 2: fine
        "01-02-2027,libur_nasional,Salah format\n"  # line 3: bad date
        "2027-02-30,libur_nasional,Tidak ada\n"     # line 4: no such day
        "2027-03-01,libur,Jenis salah\n"            # line 5: bad kind
        "2027-03-02,libur_daerah,Hari jadi kota\n",  # line 6: fine
        encoding="utf-8",
    )
    with pytest.raises(HolidayFileError) as info:
        holidays_read(path)
    message = str(info.value)
    assert "baris 3" in message and "01-02-2027" in message
    assert "baris 4" in message and "2027-02-30" in message
    assert "baris 5" in message and "libur" in message
    assert "baris 2" not in message and "baris 6" not in message


def test_holidays_read_refuses_missing_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("tanggal,keterangan\n2027-01-01,Tahun Baru\n", encoding="utf-8")
    with pytest.raises(HolidayFileError, match="tanggal,jenis,keterangan"):
        holidays_read(path)
    empty = tmp_path / "kosong.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(HolidayFileError):
        holidays_read(empty)


@pytest.mark.django_db
def test_holidays_load_shipped_loads_25_days_for_2026_and_is_idempotent():
    shipped = sum(len(holidays_read(p)) for p in DATA.glob("hari-libur-*.csv"))
    assert holidays_load_shipped() == shipped
    days_2026 = Holiday.objects.filter(date__year=2026)
    assert days_2026.count() == 25
    assert days_2026.filter(office__isnull=True).count() == 25
    assert set(days_2026.values_list("date", flat=True)) == shipped_2026()
    before = list(Holiday.objects.order_by("date").values())

    assert holidays_load_shipped() == 0
    assert list(Holiday.objects.order_by("date").values()) == before

    # a name the admin corrected stays, and a deleted day comes back
    Holiday.objects.filter(date=D(2026, 8, 17)).update(name="HUT RI ke-81")
    Holiday.objects.filter(date=D(2026, 1, 1)).delete()
    assert holidays_load_shipped() == 1
    assert Holiday.objects.get(date=D(2026, 8, 17)).name == "HUT RI ke-81"
    assert Holiday.objects.filter(date__year=2026).count() == 25


@pytest.mark.django_db
def test_holidays_for_office_are_the_national_days_and_its_own():
    a = Office.objects.create(slug="a", region_code="35.77.01", name="Kecamatan A", city="Kota")
    b = Office.objects.create(slug="b", region_code="35.77.02", name="Kecamatan B", city="Kota")
    holidays_load_shipped()
    Holiday.objects.create(date=D(2026, 6, 20), kind="libur_daerah", name="Hari Jadi", office=a)
    assert D(2026, 6, 20) in holidays_for_office(a.pk)
    assert D(2026, 6, 20) not in holidays_for_office(b.pk)
    assert holidays_for_office(b.pk) == shipped_2026()
    assert holidays_for_office(a.pk, years=[2027]) == frozenset()
    assert holidays_for_office(a.pk, years=range(2026, 2028)) == shipped_2026() | {D(2026, 6, 20)}


@pytest.mark.django_db
def test_years_without_holidays():
    assert years_without_holidays(range(2025, 2028)) == [2025, 2026, 2027]
    holidays_load_shipped()
    assert years_without_holidays(range(2025, 2028)) == [2025, 2027]
    assert years_without_holidays([2026]) == []
    assert years_without_holidays([]) == []
    # a local holiday of one office does not make a year's national table complete
    a = Office.objects.create(slug="a", region_code="35.77.01", name="Kecamatan A", city="Kota")
    Holiday.objects.create(date=D(2027, 6, 20), kind="libur_daerah", name="Hari Jadi", office=a)
    assert years_without_holidays([2026, 2027]) == [2027]
    Holiday.objects.create(date=D(2027, 1, 1), kind="libur_nasional", name="Tahun Baru 2027 Masehi")
    assert years_without_holidays([2026, 2027]) == []


# --- holidays_read: line numbers, missing columns, duplicates ---------------------------------------

def test_line_numbers_stay_right_after_a_blank_line(tmp_path):
    path = tmp_path / "hari-libur-2027.csv"
    path.write_text("tanggal,jenis,keterangan\n2027-01-01,libur_nasional,Tahun Baru\n\n2027-13-01,libur_nasional,X\n",
                    encoding="utf-8")
    with pytest.raises(HolidayFileError, match="baris 4"):
        holidays_read(path)


def test_a_line_with_missing_columns_is_reported_with_its_number(tmp_path):
    path = tmp_path / "hari-libur-2027.csv"
    path.write_text("tanggal,jenis,keterangan\n2027-01-01,libur_nasional\n", encoding="utf-8")
    with pytest.raises(HolidayFileError, match="baris 2"):
        holidays_read(path)


def test_a_date_given_twice_is_reported(tmp_path):
    path = tmp_path / "hari-libur-2027.csv"
    path.write_text("tanggal,jenis,keterangan\n2027-01-01,libur_nasional,A\n2027-01-01,cuti_bersama,B\n",
                    encoding="utf-8")
    with pytest.raises(HolidayFileError, match="baris 3"):
        holidays_read(path)
