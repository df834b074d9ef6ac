"""Reads of the leadership's desk: the service performance report (Laporan kinerja pelayanan) of
the counter services for a period, per service and per kelurahan (docs/service-report.md).

What each figure counts, for a period of local dates [start, end]:

- received: dossiers taken in (received_at) in the period; an intake cancelled at the counter
  (taken in by mistake) is counted apart as ``cancelled`` and nowhere else;
- returned: returns made in the period (a return undone by 'Batalkan pengembalian' does not
  count), with the requirements most often missing;
- completed: dossiers handed over (done_at) in the period, measured in working time
  (dossiers.measure, stored at handover): on time against the standard, median and 90th percentile, per step.

A dossier received in one period and handed over in the next counts as received in the first
and completed in the second, as an office's book would count it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from loket.catalog.models import ServiceType
from loket.dossiers.models import Dossier, Measure, Transition
from loket.dossiers.measure import STEPS, median, percentile
from loket.offices.hours import office_hours
from loket.offices.models import Kelurahan, Office

S = Dossier.State
TOP_REASONS = 5
OUTSIDE = "Luar kecamatan / tidak tercatat"


@dataclass
class Figures:
    """The figures of one row of the report (a service, a kelurahan, or the whole office)."""

    received: int = 0
    cancelled: int = 0
    returned: int = 0
    completed: int = 0
    on_time: int = 0
    minutes: list = field(default_factory=list)
    steps: dict = field(default_factory=lambda: {s: [] for s in STEPS})
    reasons: Counter = field(default_factory=Counter)

    @property
    def on_time_pct(self) -> float | None:
        return 100 * self.on_time / self.completed if self.completed else None

    @property
    def late(self) -> int:
        return self.completed - self.on_time

    @property
    def median(self) -> float | None:
        return median(self.minutes)

    @property
    def p90(self) -> float | None:
        return percentile(self.minutes, 0.9)

    def step_median(self, step: str) -> float | None:
        return median(self.steps[step])

    def step_p90(self, step: str) -> float | None:
        return percentile(self.steps[step], 0.9)

    def top_reasons(self, n: int = TOP_REASONS) -> list[tuple[str, int]]:
        return self.reasons.most_common(n)

    def as_dict(self) -> dict:
        return {
            "received": self.received, "cancelled": self.cancelled, "returned": self.returned,
            "completed": self.completed, "on_time": self.on_time, "late": self.late,
            "on_time_pct": rounded(self.on_time_pct), "median_minutes": rounded(self.median),
            "p90_minutes": rounded(self.p90),
            "steps": {s: {"median_minutes": rounded(self.step_median(s)), "p90_minutes": rounded(self.step_p90(s)),
                          "count": len(self.steps[s])} for s in STEPS},
            "top_reasons": [{"requirement": text, "count": n} for text, n in self.top_reasons()],
        }


def rounded(value: float | None, places: int = 1) -> float | None:
    """A figure for the files and the API: rounded, None kept (nothing to measure)."""
    return None if value is None else round(value, places)


# The steps' names, printed in Indonesian on the files; the pages show them through gettext.
STEP_LABELS = {
    "counter": gettext_noop("Di loket (diterima s.d. diteruskan)"),
    "kasi": gettext_noop("Menunggu paraf Kasi"),
    "signer": gettext_noop("Menunggu tanda tangan"),
    "closing": gettext_noop("Register s.d. diserahkan"),
}


@dataclass
class Row:
    key: str
    label: str  # on screen: "1. KTP-el"
    figures: Figures
    name: str = ""  # in the files: the standard's own wording of the service ("" : the label)

    @property
    def full_name(self) -> str:
        return self.name or self.label


@dataclass
class Report:
    start: dt.date
    end: dt.date
    total: Figures
    services: list[Row]
    kelurahan: list[Row]
    hours_default: bool  # the office has no working hours of its own (Perpres 21/2023's are used)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def counter_services(office: Office) -> list[ServiceType]:
    """The counter services (the dossiers' services) of every edition the office has, newest
    edition first: a period may span an edition change; a service is known by its code."""
    return list(ServiceType.objects.filter(edition__office=office, register_book=ServiceType.RegisterBook.PELAYANAN)
                .order_by("number", "-edition__year", "-pk"))


def service_report(*, office: Office, start: dt.date, end: dt.date) -> Report:
    """The Laporan kinerja pelayanan of the counter services for [start, end] (local dates)."""
    lo, hi = _bounds(start, end)
    services: dict[str, Row] = {}
    for s in counter_services(office):
        services.setdefault(s.code, Row(s.code, f"{s.number}. {s.short_name}", Figures(), f"{s.number}. {s.name}"))
    kelurahan = {str(k.pk): Row(str(k.pk), k.name, Figures())
                 for k in Kelurahan.objects.filter(office=office).order_by("name")}
    total = Figures()

    def rows_of(code: str, kel_id) -> list[Figures]:
        key = str(kel_id) if kel_id else ""
        if key not in kelurahan:
            kelurahan[key] = Row(key, OUTSIDE, Figures())
        if code not in services:
            services[code] = Row(code, code, Figures())
        return [total, services[code].figures, kelurahan[key].figures]

    # Received and cancelled: one grouped query.
    received = (Dossier.objects.filter(office=office, received_at__gte=lo, received_at__lt=hi)
                .values("service__code", "applicant_kelurahan")
                .annotate(n=Count("pk"), cancelled=Count("pk", filter=Q(state=S.CANCELLED))))
    for r in received:
        for f in rows_of(r["service__code"], r["applicant_kelurahan"]):
            f.received += r["n"] - r["cancelled"]
            f.cancelled += r["cancelled"]

    # Returns made in the period that were not undone, with what was missing.
    undone = Transition.objects.filter(dossier__office=office, cancels__isnull=False).values("cancels_id")
    returns = (Transition.objects.filter(dossier__office=office, to_state=S.RETURNED, at__gte=lo, at__lt=hi)
               .exclude(pk__in=undone)
               .values_list("dossier__service__code", "dossier__applicant_kelurahan", "missing"))
    for code, kel, missing in returns.iterator(chunk_size=2000):
        for f in rows_of(code, kel):
            f.returned += 1
            f.reasons.update(str(m) for m in (missing or []))

    # Completed: their stored measures (dossiers.Measure, written with the handover), gathered
    # per (service, kelurahan) first and then added to the three rows in whole lists (a year of a
    # busy office is some 200,000 rows; bench/desk.py).
    own_hours = office_hours(office.pk)
    groups: dict[tuple, list] = {}
    done = (Measure.objects.filter(dossier__office=office, dossier__done_at__gte=lo, dossier__done_at__lt=hi)
            .values_list("dossier__service__code", "dossier__applicant_kelurahan", "minutes", "on_time",
                         *(f"{step}_minutes" for step in STEPS)))
    for code, kel, *values in done.iterator(chunk_size=5000):
        group = groups.get((code, kel))
        if group is None:
            group = groups[(code, kel)] = [[] for _ in range(2 + len(STEPS))]
        for column, value in zip(group, values):
            if value is not None:
                column.append(value)
    for (code, kel), (minutes, on_time, *steps) in groups.items():
        for f in rows_of(code, kel):
            f.completed += len(minutes)
            f.on_time += sum(on_time)
            f.minutes.extend(minutes)
            for step, values in zip(STEPS, steps):
                f.steps[step].extend(values)

    return Report(
        start=start, end=end, total=total,
        services=list(services.values()),
        kelurahan=sorted(kelurahan.values(), key=lambda r: (r.key == "", r.label)),
        hours_default=not own_hours,
    )


LATE_LIMIT = 500


def late_completed(*, office: Office, start: dt.date, end: dt.date, service_code: str = "") -> list[Measure]:
    """The dossiers handed over in [start, end] beyond the standard time, the longest first (at
    most LATE_LIMIT): the dossiers behind the report's "terlambat" figures, with their measures."""
    lo, hi = _bounds(start, end)
    rows = (Measure.objects.filter(dossier__office=office, dossier__done_at__gte=lo, dossier__done_at__lt=hi,
                                   on_time=False)
            .select_related("dossier__service", "dossier__unit"))
    if service_code:
        rows = rows.filter(dossier__service__code=service_code)
    return list(rows.order_by("-minutes", "dossier_id")[:LATE_LIMIT])
