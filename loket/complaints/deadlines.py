"""Deadlines of complaints, with their legal sources (full text and choices: docs/complaints.md).

- Target (batas waktu target), in working days from receipt, Asia/Jakarta, skipping weekends
  and the Holiday table: the category's own ``target_days`` if the office set one, otherwise
  the default of the kind below.
- Legal limit: 60 days from receipt: UU 25/2009 Pasal 50 ayat (1) ("paling lambat 60 (enam puluh)
  hari sejak berkas pengaduan dinyatakan lengkap"), repeated by Perpres 76/2013. The law says
  "hari", not "hari kerja": calendar days. A target never runs past the legal limit.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from loket.offices.calendar import add_working_days, holidays_for_office

LEGAL_LIMIT_DAYS = 60

# SP4N-LAPOR! (a complaint that came through lapor.go.id, SMS 1708 or the LAPOR! app): the report
# is verified and forwarded within 3 working days, and the agency follows it up within 5 working
# days (LAPOR!'s published procedure; the national guideline is Permenpan RB 62/2018 — article
# unverified, see docs/complaints.md). Both count from the day the report reached the office.
LAPOR_FORWARD_DAYS = 3
LAPOR_FOLLOWUP_DAYS = 5

# Default targets per kind, in working days.
DEFAULT_TARGET_DAYS = {
    # SP4N-LAPOR! practice (Permenpan RB 62/2018): the agency follows up within 5 working days.
    "pengaduan": 5,
    "konsultasi": 5,
    "saran": 5,
    # UU 14/2008 (Keterbukaan Informasi Publik) Pasal 22 ayat (7): written notice within 10 working days.
    "informasi": 10,
}


def target_days_for(*, kind: str, category=None) -> int:
    if category is not None and category.target_days:
        return category.target_days
    return DEFAULT_TARGET_DAYS[kind]


def due_dates(*, office_id: int, start: dt.datetime, target_days: int, holidays=None) -> tuple[dt.date, dt.date]:
    """(target date, legal limit date) for a clock that starts at ``start``."""
    day = timezone.localtime(start).date()
    legal = day + dt.timedelta(days=LEGAL_LIMIT_DAYS)
    if holidays is None:
        holidays = holidays_for_office(office_id, years=range(day.year, legal.year + 1))
    return min(add_working_days(day, target_days, holidays), legal), legal


def lapor_due_dates(*, office_id: int, start: dt.datetime, holidays=None) -> tuple[dt.date, dt.date]:
    """(forwarding date, follow-up date) of a LAPOR! complaint whose clock starts at ``start``,
    in working days (the same calendar as the target)."""
    day = timezone.localtime(start).date()
    if holidays is None:
        holidays = holidays_for_office(office_id, years=range(day.year, day.year + 2))
    return add_working_days(day, LAPOR_FORWARD_DAYS, holidays), add_working_days(day, LAPOR_FOLLOWUP_DAYS, holidays)
