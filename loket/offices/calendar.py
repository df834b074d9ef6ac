"""Working days (hari kerja) of an office in Asia/Jakarta: Monday to Friday, minus the national
holidays, cuti bersama and the office's own holidays in the ``Holiday`` table.

Deadlines "paling lambat N hari kerja sejak diterima" count from the day after receipt: a
complaint received on Friday with a 2-working-day target is due on Tuesday. A day received on a
weekend or holiday starts counting at the next working day all the same (it was not a working
day, so it cannot be day 1).

The functions take the set of holiday dates explicitly, so they are pure and testable; the
``*_for_office`` helpers load the set once from the database.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).parent / "data"

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date, holidays: frozenset[dt.date] | set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, n: int, holidays) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself is not counted). n = 0 gives
    ``start`` when it is a working day, else the next working day."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    if n == 0:
        while not is_working_day(day, holidays):
            day += ONE_DAY
        return day
    counted = 0
    while counted < n:
        day += ONE_DAY
        if is_working_day(day, holidays):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays) -> int:
    """Working days in (start, end]: how many working days have passed since ``start`` by the end
    of ``end``. 0 when end <= start."""
    if end <= start:
        return 0
    count = 0
    day = start + ONE_DAY
    # Whole weeks at once, then the rest day by day (ageing lists call this for every row).
    span = (end - start).days
    weeks, rest = divmod(span, 7)
    count += weeks * 5
    day = start + dt.timedelta(days=weeks * 7 + 1)
    for _ in range(rest):
        if day.weekday() < 5:
            count += 1
        day += ONE_DAY
    count -= sum(1 for h in holidays if start < h <= end and h.weekday() < 5)
    return count


def holidays_for_office(office_id: int | None, *, years: Iterable[int] | None = None) -> frozenset[dt.date]:
    """The office's closed days (national ones and its own), optionally only of some years."""
    from django.db.models import Q

    from loket.offices.models import Holiday

    rows = Holiday.objects.filter(Q(office__isnull=True) | Q(office_id=office_id))
    if years is not None:
        rows = rows.filter(date__year__in=list(years))
    return frozenset(rows.values_list("date", flat=True))


def years_without_holidays(years: Iterable[int]) -> list[int]:
    """Years for which no national holiday is entered: deadlines in them count weekends only,
    and the screens say so, so that the admin enters the new SKB."""
    from loket.offices.models import Holiday

    wanted = set(years)
    have = {d.year for d in Holiday.objects.filter(office__isnull=True, date__year__in=wanted).dates("date", "year")}
    return sorted(wanted - have)


class HolidayFileError(ValueError):
    pass


def holidays_read(path: Path) -> list[tuple[dt.date, str, str]]:
    """Read a holiday table (CSV: tanggal,jenis,keterangan). Every bad line is reported."""
    from loket.offices.models import Holiday

    rows, problems, seen = [], [], {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"tanggal", "jenis", "keterangan"} <= set(reader.fieldnames):
            raise HolidayFileError(f"{path}: kolom harus tanggal,jenis,keterangan")
        for row in reader:
            n = reader.line_num  # the file's own line (blank lines are skipped by the reader)
            raw_day, kind, name = ((row.get(k) or "").strip() for k in ("tanggal", "jenis", "keterangan"))
            if not (raw_day and kind and name):
                problems.append(f"baris {n}: tanggal, jenis dan keterangan wajib diisi")
                continue
            try:
                day = dt.date.fromisoformat(raw_day)
            except ValueError:
                problems.append(f"baris {n}: tanggal '{raw_day}' bukan TTTT-BB-HH")
                continue
            if kind not in Holiday.Kind.values:
                problems.append(f"baris {n}: jenis '{kind}' tidak dikenal ({', '.join(Holiday.Kind.values)})")
                continue
            if day in seen:
                problems.append(f"baris {n}: tanggal {day} sudah ada di baris {seen[day]}")
                continue
            seen[day] = n
            rows.append((day, kind, name))
    if problems:
        raise HolidayFileError("; ".join(problems))
    return rows


def holidays_load_shipped() -> int:
    """Load the national tables shipped in loket/offices/data (hari-libur-YYYY.csv) that are
    not in the database yet; returns the number of days added. Existing days are left alone
    (the admin may have corrected a name)."""
    from loket.offices.models import Holiday

    added = 0
    for path in sorted(DATA.glob("hari-libur-*.csv")):
        rows = holidays_read(path)
        have = set(Holiday.objects.filter(office__isnull=True, date__in=[r[0] for r in rows]).values_list("date", flat=True))
        new = [Holiday(date=d, kind=k, name=name) for d, k, name in rows if d not in have]
        Holiday.objects.bulk_create(new)
        added += len(new)
    return added
