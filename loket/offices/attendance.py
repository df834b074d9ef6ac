"""Kehadiran: how many of the office's working days in a period each staff member was present.

The staff evaluation of the service (Permenpan RB 15/2014, komponen 14 "evaluasi kinerja
pelaksana"; issue 18) counts "hari kerja hadir": the office's working days in the period
(offices.calendar: Monday to Friday minus the national holidays, cuti bersama and the office's
own holidays) less the days an ``Absence`` row covers (cuti, sakit, dinas luar, diklat, izin).
A weekend or holiday inside an absence is no working day, so it is not counted as absent; two
absences of one person on the same day count that day once.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from loket.offices.calendar import ONE_DAY, holidays_for_office, is_working_day
from loket.offices.models import Absence


@dataclass(frozen=True)
class Presence:
    working_days: int  # working days of the office in [start, end]
    absent_days: int  # of those, the days covered by an absence

    @property
    def present_days(self) -> int:
        return self.working_days - self.absent_days


def working_days_in(start: dt.date, end: dt.date, holidays) -> list[dt.date]:
    """The working days in [start, end] (both included), in order; [] when end < start."""
    days, day = [], start
    while day <= end:
        if is_working_day(day, holidays):
            days.append(day)
        day += ONE_DAY
    return days


def presence(*, office_id: int, start: dt.date, end: dt.date, staff_ids: Iterable[int]) -> dict[int, Presence]:
    """Working days, absent days and present days in [start, end] (both included) of each staff
    member in ``staff_ids`` (every id given is a key; one without an absence has absent_days 0).
    Only the office's absences count (an absence is recorded in the staff member's own office).
    Two queries: the office's holidays of those years and the absences overlapping the period;
    none when the period is empty (end < start: all zeros) or no staff id is given."""
    ids = list(dict.fromkeys(staff_ids))
    if end < start or not ids:
        return {staff_id: Presence(working_days=0, absent_days=0) for staff_id in ids}
    holidays = holidays_for_office(office_id, years=range(start.year, end.year + 1))
    working = working_days_in(start, end, holidays)
    absent: dict[int, set[int]] = {staff_id: set() for staff_id in ids}  # indexes into ``working``
    rows = Absence.objects.filter(office_id=office_id, staff_id__in=ids, start__lte=end, end__gte=start)
    for staff_id, first, last in rows.values_list("staff_id", "start", "end"):
        lo, hi = bisect.bisect_left(working, first), bisect.bisect_right(working, last)
        absent[staff_id].update(range(lo, hi))
    return {
        staff_id: Presence(working_days=len(working), absent_days=len(absent[staff_id])) for staff_id in ids
    }
