"""Report periods of the SKM: month, quarter (triwulan), semester and year.

Permenpan RB 14/2017 asks for the survey at least once a year; offices publish per semester or
per quarter too. A period is (kind, year, number within the year); its trend is the run of
periods of the same kind that ends with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from loket.core.formats import MONTHS

# kind → months per period
KINDS = {"bulan": 1, "triwulan": 3, "semester": 6, "tahun": 12}


def gettext_noop(text: str) -> str:
    """Marks a text for the catalogue (makemessages knows the name) without Django: the importer
    reads files in a process without settings (tests/surveys/test_hostile_files.py)."""
    return text


# Marked for the catalogue (pages show them through gettext); the labels stored with a
# publication and printed on the papers stay Indonesian.
KIND_LABELS = {"bulan": gettext_noop("Bulan"), "triwulan": gettext_noop("Triwulan"),
               "semester": gettext_noop("Semester"), "tahun": gettext_noop("Tahun")}
ROMAN = ["I", "II", "III", "IV"]
YEARS = (2000, 2100)
TREND_LENGTH = {"bulan": 12, "triwulan": 4, "semester": 4, "tahun": 5}


class PeriodError(ValueError):
    """A period that does not exist; the message says why (Indonesian)."""


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int
    number: int  # 1-based within the year: month 1–12, triwulan 1–4, semester 1–2, tahun 1

    def __post_init__(self):
        if self.kind not in KINDS:
            raise PeriodError(f"Jenis periode '{self.kind}' tidak dikenal; pilih: {', '.join(KINDS)}.")
        if not YEARS[0] <= self.year <= YEARS[1]:
            raise PeriodError(f"Tahun harus antara {YEARS[0]} dan {YEARS[1]}.")
        if not 1 <= self.number <= 12 // KINDS[self.kind]:
            raise PeriodError(f"{KIND_LABELS[self.kind]} ke-{self.number} tidak ada dalam setahun.")

    @property
    def months(self) -> int:
        return KINDS[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = self.number * self.months
        nxt = dt.date(self.year + 1, 1, 1) if last_month == 12 else dt.date(self.year, last_month + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "bulan":
            return f"{MONTHS[self.number - 1]} {self.year}"
        if self.kind == "tahun":
            return f"Tahun {self.year}"
        return f"{KIND_LABELS[self.kind]} {ROMAN[self.number - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        """For chart axes: "Jan 2026", "TW I 2026", "Sem II 2026", "2026"."""
        if self.kind == "bulan":
            return f"{MONTHS[self.number - 1][:3]} {self.year}"
        if self.kind == "tahun":
            return str(self.year)
        prefix = "TW" if self.kind == "triwulan" else "Sem"
        return f"{prefix} {ROMAN[self.number - 1]} {self.year}"

    @property
    def slug(self) -> str:
        """For file names: 2026-bulan-03, 2026-semester-1, 2026."""
        if self.kind == "tahun":
            return str(self.year)
        return f"{self.year}-{self.kind}-{self.number:02d}" if self.kind == "bulan" else f"{self.year}-{self.kind}-{self.number}"

    def previous(self) -> Period:
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, 12 // self.months)

    def trend(self, length: int | None = None) -> list[Period]:
        """The periods of this kind ending with this one, oldest first (not before year 2000)."""
        out = [self]
        for _ in range((length or TREND_LENGTH[self.kind]) - 1):
            try:
                out.append(out[-1].previous())
            except PeriodError:
                break
        return out[::-1]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def containing(kind: str, day: dt.date) -> Period:
    months = KINDS.get(kind)
    if months is None:
        raise PeriodError(f"Jenis periode '{kind}' tidak dikenal; pilih: {', '.join(KINDS)}.")
    return Period(kind, day.year, (day.month - 1) // months + 1)


def parse(kind: str | None, year: str | int | None, number: str | int | None, *, today: dt.date) -> Period:
    """A period from request values (jenis, tahun, ke); missing values mean the period of that
    kind containing today (default kind: semester). PeriodError with the reason otherwise."""
    kind = (kind or "semester").strip().lower()
    if kind not in KINDS:
        raise PeriodError(f"Jenis periode '{kind[:20]}' tidak dikenal; pilih: {', '.join(KINDS)}.")
    current = containing(kind, today)

    def whole(value, name):
        if value in (None, ""):
            return None
        text = str(value).strip()
        if not text.isdigit() or len(text) > 4:
            raise PeriodError(f"{name} harus bilangan bulat, bukan '{text[:10]}'.")
        return int(text)

    y = whole(year, "Tahun")
    n = whole(number, "Periode ke")
    if kind == "tahun":
        n = 1
    return Period(kind, current.year if y is None else y, (current.number if y is None else 1) if n is None else n)
