"""Reads of survey responses: the IKM of stored answers and the period report, aggregated in
the database (SUM and COUNT per element column), never by loading responses into Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, Lower, Trim

from loket.dossiers.models import Dossier
from loket.offices.models import Office
from loket.surveys import ikm
from loket.surveys.models import Publication, Response, Setting
from loket.surveys.periods import Period

SUGGESTIONS_SHOWN = 200
AGE_BANDS = [(None, 19, "< 20"), (20, 29, "20–29"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 59, "50–59"),
             (60, None, "≥ 60")]
NOT_FILLED = "Tidak diisi"


def weight_of(office: Office) -> str:
    """The office's chosen weight (Setting), "exact" when it never chose."""
    return Setting.objects.filter(office=office).values_list("weight", flat=True).first() or Setting.Weight.EXACT


def responses(*, office: Office, start: dt.date | None = None, end: dt.date | None = None,
              service_code: str | None = None, unit_code: str | None = None):
    qs = Response.objects.filter(office=office)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if service_code:
        qs = qs.filter(service__code=service_code)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs


def _aggregates() -> dict:
    # COUNT of a column skips NULL: "not answered".
    agg = {"n": Count("pk")}
    for k in ikm.KEYS:
        agg[f"{k}_sum"] = Sum(k)
        agg[f"{k}_n"] = Count(k)
    return agg


def _result(row: dict, weight: str) -> ikm.IkmResult:
    totals = {k: (row[f"{k}_sum"] or 0, row[f"{k}_n"]) for k in ikm.KEYS}
    return ikm.ikm_from_totals(respondents=row["n"], totals=totals, weight=weight)


def _try(row: dict, weight: str) -> tuple[ikm.IkmResult | None, str]:
    try:
        return _result(row, weight), ""
    except ikm.IkmError as exc:
        return None, str(exc)


def ikm_stored(*, office: Office, start=None, end=None, service_code=None, unit_code=None,
               weight: str = "exact") -> ikm.IkmResult:
    """The IKM of the stored responses in one aggregate query: per element the sum and the
    count of its answers, and the respondents. IkmError when there is none to compute."""
    row = responses(office=office, start=start, end=end, service_code=service_code,
                    unit_code=unit_code).aggregate(**_aggregates())
    return _result(row, weight)


# --- the period report -------------------------------------------------------------------------

@dataclass
class Group:
    """The IKM of one service, unit or period within the report."""
    key: str
    name: str
    respondents: int
    result: ikm.IkmResult | None
    error: str = ""


@dataclass
class Report:
    office: Office
    period: Period
    weight: str
    service_code: str | None
    unit_code: str | None
    respondents: int
    result: ikm.IkmResult | None
    error: str
    population: int
    sample_min: int
    by_service: list[Group]
    by_unit: list[Group]
    trend: list[Group]
    profile: dict[str, list[tuple[str, int]]]
    sources: list[tuple[str, int]]
    suggestions: list[dict]
    suggestions_total: int
    filters: dict = field(default_factory=dict)

    @property
    def sample_short(self) -> bool:
        """Fewer respondents than the minimum sample for the population served."""
        return self.respondents < self.sample_min


def population_served(*, office: Office, start: dt.date, end: dt.date, service_code=None, unit_code=None) -> int:
    """The population of the survey: the dossiers received at the counter in the period (first
    intake, Asia/Jakarta days), for the service or unit when one is chosen."""
    # __date converts to the current time zone (Asia/Jakarta) before taking the day.
    qs = Dossier.objects.filter(office=office, received_at__date__gte=start, received_at__date__lte=end)
    if service_code:
        qs = qs.filter(service__code=service_code)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.count()


def _grouped(qs, key: str, name: str, weight: str) -> list[Group]:
    rows = qs.order_by().values(key, name).annotate(**_aggregates()).order_by(name)
    out = []
    for row in rows:
        result, error = _try(row, weight)
        out.append(Group(row[key] or "", row[name] or "Tidak diketahui", row["n"], result, error))
    return out


def _trend(*, office, period: Period, weight: str, service_code, unit_code) -> list[Group]:
    """The IKM of each period of the trend from one query grouped by month: the sums and counts
    of months add up to those of quarters, semesters and years."""
    periods = period.trend()
    qs = responses(office=office, start=periods[0].start, end=periods[-1].end, service_code=service_code,
                   unit_code=unit_code)
    rows = (qs.order_by().annotate(y=ExtractYear("date"), m=ExtractMonth("date")).values("y", "m")
            .annotate(**_aggregates()))
    keys = ["n"] + [f"{k}_{s}" for k in ikm.KEYS for s in ("sum", "n")]
    totals = {p: dict.fromkeys(keys, 0) for p in periods}
    for row in rows:
        day = dt.date(row["y"], row["m"], 1)
        for p in periods:
            if p.contains(day):
                for k in keys:
                    totals[p][k] += row[k] or 0
    out = []
    for p in periods:
        result, error = _try(totals[p], weight) if totals[p]["n"] else (None, "Belum ada responden.")
        out.append(Group(p.slug, p.short_label, totals[p]["n"], result, error))
    return out


def _counted(qs, expression, labels: dict | None = None) -> list[tuple[str, int]]:
    rows = qs.order_by().annotate(v=expression).values("v").annotate(c=Count("pk")).order_by("-c", "v")
    out = []
    for row in rows:
        value = row["v"] or ""
        out.append(((labels or {}).get(value, value) if value else NOT_FILLED, row["c"]))
    return out


def _age_bands(qs) -> list[tuple[str, int]]:
    agg = {}
    for i, (lo, hi, _) in enumerate(AGE_BANDS):
        cond = Q()
        if lo is not None:
            cond &= Q(age__gte=lo)
        if hi is not None:
            cond &= Q(age__lte=hi)
        agg[f"b{i}"] = Count("pk", filter=cond & Q(age__isnull=False))
    agg["none"] = Count("pk", filter=Q(age__isnull=True))
    row = qs.order_by().aggregate(**agg)
    return [(label, row[f"b{i}"]) for i, (_, _, label) in enumerate(AGE_BANDS)] + [(NOT_FILLED, row["none"])]


def report(*, office: Office, period: Period, weight: str | None = None, service_code: str | None = None,
           unit_code: str | None = None, suggestions_limit: int | None = SUGGESTIONS_SHOWN) -> Report:
    """Everything the SKM report of a period shows: the IKM (NRR per element), per service and
    per unit, the trend over the periods of the same kind, the respondents' profile, the
    suggestions, and the minimum sample for the population served (Krejcie–Morgan)."""
    weight = weight or weight_of(office)
    qs = responses(office=office, start=period.start, end=period.end, service_code=service_code, unit_code=unit_code)
    total = qs.order_by().aggregate(**_aggregates())
    result, error = _try(total, weight) if total["n"] else (None, "Belum ada responden pada periode ini.")
    population = population_served(office=office, start=period.start, end=period.end, service_code=service_code,
                                   unit_code=unit_code)
    text = lambda f: Lower(Trim(f))  # noqa: E731 — "SMA", "sma " are one answer
    profile = {
        "jenis_kelamin": _counted(qs, Trim("sex"), dict(Response.Sex.choices)),
        "umur": _age_bands(qs),
        "pendidikan": _counted(qs, text("education")),
        "pekerjaan": _counted(qs, text("occupation")),
    }
    with_text = qs.exclude(suggestion="")
    suggestions = with_text.order_by("-date", "-pk").values("date", "suggestion", "service__name", "source")
    if suggestions_limit is not None:
        suggestions = suggestions[:suggestions_limit]
    return Report(
        office=office, period=period, weight=weight, service_code=service_code, unit_code=unit_code,
        respondents=total["n"], result=result, error=error, population=population,
        sample_min=ikm.krejcie_morgan(population),
        by_service=_grouped(qs, "service__code", "service__name", weight),
        by_unit=_grouped(qs, "unit__code", "unit__name", weight),
        trend=_trend(office=office, period=period, weight=weight, service_code=service_code, unit_code=unit_code),
        profile=profile, sources=_counted(qs, Trim("source"), dict(Response.Source.choices)),
        suggestions=list(suggestions), suggestions_total=with_text.count(),
    )


# --- publications --------------------------------------------------------------------------------

def publication_latest(*, office: Office) -> Publication | None:
    return Publication.objects.filter(office=office).select_related("published_by").first()


def publications(*, office: Office):
    """The office's publications, newest first, with who published them."""
    return Publication.objects.filter(office=office).select_related("published_by")
