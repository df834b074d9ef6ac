"""Reads of survey responses: the IKM of stored answers and the period report, aggregated in
the database (SUM and COUNT per element column), never by loading responses into Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from loket.dossiers.models import Dossier
from loket.catalog.models import ServiceType
from loket.offices.models import Office, Unit
from loket.surveys import ikm
from loket.surveys.models import Publication, Response, Setting
from loket.surveys.periods import Period

SUGGESTIONS_SHOWN = 200
AGE_BANDS = [(None, 19, "< 20"), (20, 29, "20–29"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 59, "50–59"),
             (60, None, "≥ 60")]
NOT_FILLED = gettext_noop("Tidak diisi")  # shown through gettext: the page's language
UNKNOWN = "Tidak diketahui"


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
    qs = (Dossier.objects.filter(office=office, received_at__date__gte=start, received_at__date__lte=end)
          .exclude(state=Dossier.State.CANCELLED))  # an intake made by mistake served nobody
    if service_code:
        qs = qs.filter(service__code=service_code)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.count()


SUM_KEYS = ["n"] + [f"{k}_{part}" for k in ikm.KEYS for part in ("sum", "n")]


def _zero() -> dict:
    return dict.fromkeys(SUM_KEYS, 0)


def _add(into: dict, row: dict) -> None:
    for k in SUM_KEYS:
        into[k] += row[k] or 0


def _groups(qs, weight: str) -> tuple[dict, list[Group], list[Group]]:
    """The totals of the whole selection (with the profile's counts), per service and per unit,
    from ONE scan grouped by (service, unit): sums and counts add up exactly, so the three need
    not each read every response. Names come from two small look-ups of the ids found."""
    total, per_service, per_unit = _zero() | dict.fromkeys(PROFILE_KEYS, 0), {}, {}
    grouped = qs.order_by().values("service_id", "unit_id").annotate(**_aggregates(), **_profile_aggregates())
    for row in grouped:
        for k in PROFILE_KEYS:
            total[k] += row[k]
        _add(total, row)
        _add(per_service.setdefault(row["service_id"], _zero()), row)
        _add(per_unit.setdefault(row["unit_id"], _zero()), row)
    services = {pk: (code, name) for pk, code, name in
                ServiceType.objects.filter(pk__in=[k for k in per_service if k]).values_list("pk", "code", "name")}
    units = {pk: (code, name) for pk, code, name in
             Unit.objects.filter(pk__in=[k for k in per_unit if k]).values_list("pk", "code", "name")}

    def listed(sums: dict, names: dict) -> list[Group]:
        out = []
        for pk, row in sums.items():
            key, name = names.get(pk, ("", UNKNOWN))
            result, error = _try(row, weight)
            out.append(Group(key, name, row["n"], result, error))
        return sorted(out, key=lambda g: (g.name == UNKNOWN, g.name))

    return total, listed(per_service, services), listed(per_unit, units)


def _trend(*, office, period: Period, weight: str, service_code, unit_code) -> list[Group]:
    """The IKM of each period of the trend from one query grouped by month: the sums and counts
    of months add up to those of quarters, semesters and years."""
    periods = period.trend()
    qs = responses(office=office, start=periods[0].start, end=periods[-1].end, service_code=service_code,
                   unit_code=unit_code)
    # Grouped by the date column itself (at most a few thousand days), not by an expression
    # computed for every row; the days are put into their periods here.
    rows = qs.order_by().values("date").annotate(**_aggregates())
    totals = {p: _zero() for p in periods}
    for row in rows:
        for p in periods:
            if p.contains(row["date"]):
                _add(totals[p], row)
                break
    out = []
    for p in periods:
        result, error = _try(totals[p], weight) if totals[p]["n"] else (None, _("Belum ada responden."))
        out.append(Group(p.slug, p.short_label, totals[p]["n"], result, error))
    return out


def _counted(qs, field: str) -> list[tuple[str, int]]:
    """Respondents per value of a free-text field, "SMA", "sma " and "Sma" being one answer.
    Grouped by the stored text (few distinct values) and merged here, rather than lowering and
    trimming every row in the database."""
    merged: dict[str, int] = {}
    for value, n in qs.order_by().values_list(field).annotate(c=Count("pk")):
        key = (value or "").strip().lower()
        merged[key] = merged.get(key, 0) + n
    return sorted(((k or _(NOT_FILLED), n) for k, n in merged.items()), key=lambda p: (-p[1], p[0]))


def _profile_aggregates() -> dict:
    """Conditional counts of sex, source, age band and suggestions written: they add up over
    groups, so they ride along in the grouped scan of _groups."""
    agg = {f"sex_{v}": Count("pk", filter=Q(sex=v)) for v in Response.Sex.values}
    agg["sex_"] = Count("pk", filter=Q(sex=""))
    agg.update({f"src_{v}": Count("pk", filter=Q(source=v)) for v in Response.Source.values})
    for i, (lo, hi, _) in enumerate(AGE_BANDS):
        cond = Q(age__isnull=False)
        if lo is not None:
            cond &= Q(age__gte=lo)
        if hi is not None:
            cond &= Q(age__lte=hi)
        agg[f"age_{i}"] = Count("pk", filter=cond)
    agg["age_none"] = Count("pk", filter=Q(age__isnull=True))
    agg["suggestions"] = Count("pk", filter=~Q(suggestion=""))
    return agg


PROFILE_KEYS = list(_profile_aggregates())


def _profile_counts(row: dict) -> dict:
    def by_count(pairs):
        return sorted(((label, n) for label, n in pairs if n), key=lambda p: (-p[1], p[0]))

    return {
        "jenis_kelamin": by_count([(label, row[f"sex_{v}"]) for v, label in Response.Sex.choices]
                                  + [(_(NOT_FILLED), row["sex_"])]),
        "umur": [(label, row[f"age_{i}"]) for i, (_, _, label) in enumerate(AGE_BANDS)]
                + [(_(NOT_FILLED), row["age_none"])],
        "sources": by_count([(label, row[f"src_{v}"]) for v, label in Response.Source.choices]),
        "suggestions": row["suggestions"],
    }


def report(*, office: Office, period: Period, weight: str | None = None, service_code: str | None = None,
           unit_code: str | None = None, suggestions_limit: int | None = SUGGESTIONS_SHOWN) -> Report:
    """Everything the SKM report of a period shows: the IKM (NRR per element), per service and
    per unit, the trend over the periods of the same kind, the respondents' profile, the
    suggestions, and the minimum sample for the population served (Krejcie–Morgan)."""
    weight = weight or weight_of(office)
    qs = responses(office=office, start=period.start, end=period.end, service_code=service_code, unit_code=unit_code)
    total, by_service, by_unit = _groups(qs, weight)
    result, error = _try(total, weight) if total["n"] else (None, _("Belum ada responden pada periode ini."))
    population = population_served(office=office, start=period.start, end=period.end, service_code=service_code,
                                   unit_code=unit_code)
    counts = _profile_counts(total)
    profile = {
        "jenis_kelamin": counts["jenis_kelamin"],
        "umur": counts["umur"],
        "pendidikan": _counted(qs, "education"),
        "pekerjaan": _counted(qs, "occupation"),
    }
    suggestions = qs.exclude(suggestion="").order_by("-date", "-pk").values("date", "suggestion", "service__name", "source")
    if suggestions_limit is not None:
        suggestions = suggestions[:suggestions_limit] if suggestions_limit else suggestions.none()
    return Report(
        office=office, period=period, weight=weight, service_code=service_code, unit_code=unit_code,
        respondents=total["n"], result=result, error=error, population=population,
        sample_min=ikm.krejcie_morgan(population), by_service=by_service, by_unit=by_unit,
        trend=_trend(office=office, period=period, weight=weight, service_code=service_code, unit_code=unit_code),
        profile=profile, sources=counts["sources"], suggestions=list(suggestions),
        suggestions_total=counts["suggestions"],
    )


# --- publications --------------------------------------------------------------------------------

def publication_latest(*, office: Office) -> Publication | None:
    return Publication.objects.filter(office=office).select_related("published_by").first()


def publications(*, office: Office):
    """The office's publications, newest first, with who published them."""
    return Publication.objects.filter(office=office).select_related("published_by")
