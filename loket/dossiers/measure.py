"""How long a handed-over dossier took, in working time (offices.hours), as a whole and per step
of the standard's procedure (komponen 3), against its upper bound (komponen 4): a pure function
over the dossier's transitions (``measure``), and its stored form (``measure_store``, written with
the handover; ``measures_rebuild`` for ``loket measures``). The report, the dashboard and the
staff evaluation read the stored figures (docs/service-report.md).

The steps of the last complete round (the clock restarts when a returned dossier is accepted
again: Dossier.clock_started_at):

- ``counter``: from the complete dossier's acceptance to its forwarding to the Kasi;
- ``kasi``: forwarded, waiting for the Kasi's check and paraf;
- ``signer``: initialled, waiting for the Camat's or Sekcam's signature;
- ``closing``: signed, until registered and handed over.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from django.utils import timezone

from loket.offices.calendar import holidays_for_office, working_days_between
from loket.offices.hours import Hours, hours_for_office, working_minutes

STEPS = ("counter", "kasi", "signer", "closing")
# The state that ends each step (the step begins where the one before ended).
STEP_ENDS = {"counter": "forwarded", "kasi": "initialled", "signer": "signed", "closing": "handed_over"}


@dataclass
class Result:
    minutes: float                     # working minutes from acceptance to handover
    on_time: bool                      # within the standard's upper bound (komponen 4)
    steps: dict[str, float]            # step → working minutes (a step not found is left out)


def standard_met(*, minutes: float, start: dt.datetime, end: dt.datetime, duration_max: int, duration_unit: str,
                 holidays) -> bool:
    """Within the standard's upper bound: minutes of working time for a service measured in
    minutes, working days (offices.calendar, counted from the day after acceptance) for one
    measured in days."""
    if duration_unit == "day":
        return working_days_between(timezone.localdate(start), timezone.localdate(end), holidays) <= duration_max
    return minutes <= duration_max


def measure(*, clock_started_at: dt.datetime, done_at: dt.datetime, transitions, duration_max: int,
            duration_unit: str, hours: Hours, holidays) -> Result:
    """``transitions``: (to_state, at) of the dossier in time order."""
    minutes = working_minutes(clock_started_at, done_at, hours=hours, holidays=holidays)
    steps: dict[str, float] = {}
    begin = clock_started_at
    rest = [(state, at) for state, at in transitions if at >= clock_started_at]
    for step in STEPS:
        end_state = STEP_ENDS[step]
        end = done_at if step == "closing" else next((at for state, at in rest if state == end_state and at >= begin), None)
        if end is None:
            break
        steps[step] = working_minutes(begin, end, hours=hours, holidays=holidays)
        begin = end
    return Result(minutes=minutes, steps=steps,
                  on_time=standard_met(minutes=minutes, start=clock_started_at, end=done_at,
                                       duration_max=duration_max, duration_unit=duration_unit, holidays=holidays))


def _row(model, dossier_id: int, result: Result, now):
    return model(dossier_id=dossier_id, minutes=result.minutes, on_time=result.on_time, measured_at=now,
                 **{f"{s}_minutes": result.steps.get(s) for s in STEPS})


def measure_store(dossier) -> None:
    """Measure a dossier just handed over and store it (inside the handover's transaction)."""
    from loket.dossiers.models import Measure, Transition

    steps = list(Transition.objects.filter(dossier=dossier).order_by("at", "pk").values_list("to_state", "at"))
    result = measure(clock_started_at=dossier.clock_started_at, done_at=dossier.done_at, transitions=steps,
                     duration_max=dossier.service.duration_max, duration_unit=dossier.service.duration_unit,
                     hours=hours_for_office(dossier.office_id), holidays=holidays_for_office(dossier.office_id))
    # Handed over is an end state: a dossier is measured here once (``loket measures`` replaces).
    _row(Measure, dossier.pk, result, timezone.now()).save(force_insert=True)


def measures_rebuild(*, dossiers, transitions, measures, hours_of, holidays_of, chunk: int = 2000) -> int:
    """Measure every handed-over dossier of ``dossiers`` (a queryset) again, ``chunk`` at a time:
    ``loket measures`` and the migration that measured the dossiers handed over before measures
    were stored. ``transitions`` and ``measures`` are the Transition and Measure models (the
    migration passes its historical ones); ``hours_of``/``holidays_of`` give an office's hours and
    holidays. Returns the number measured."""
    now, done = timezone.now(), 0
    cache: dict[int, tuple] = {}
    rows = (dossiers.filter(state="handed_over", done_at__isnull=False).order_by("pk")
            .values_list("pk", "office_id", "clock_started_at", "done_at", "service__duration_max",
                         "service__duration_unit"))
    batch: list = []

    def flush():
        nonlocal done
        ids = [r[0] for r in batch]
        steps: dict[int, list] = {}
        for pk, state, at in (transitions.objects.filter(dossier_id__in=ids).order_by("dossier_id", "at", "pk")
                              .values_list("dossier_id", "to_state", "at")):
            steps.setdefault(pk, []).append((state, at))
        made = []
        for pk, office_id, started, done_at, dmax, dunit in batch:
            if office_id not in cache:
                cache[office_id] = (hours_of(office_id), holidays_of(office_id))
            hours, holidays = cache[office_id]
            made.append(_row(measures, pk, measure(clock_started_at=started, done_at=done_at,
                                                   transitions=steps.get(pk, []), duration_max=dmax,
                                                   duration_unit=dunit, hours=hours, holidays=holidays), now))
        measures.objects.filter(dossier_id__in=ids).delete()
        measures.objects.bulk_create(made)
        done += len(made)
        batch.clear()

    for row in rows.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) == chunk:
            flush()
    if batch:
        flush()
    return done


def median(values) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    return statistics.median(values) if values else None


def percentile(values, share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at
    or below it (p90 of 10 values is the 9th smallest). None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def measures_rebuild_for(*, office=None) -> int:
    """Measure again every handed-over dossier (of one office, or of all): after the office's
    working hours or holidays of a past period were corrected (``loket measures``)."""
    from loket.dossiers.models import Dossier, Measure, Transition

    dossiers = Dossier.objects.all() if office is None else Dossier.objects.filter(office=office)
    return measures_rebuild(dossiers=dossiers, transitions=Transition, measures=Measure,
                            hours_of=hours_for_office, holidays_of=holidays_for_office)
