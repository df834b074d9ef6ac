"""Reads of survey responses: the IKM of stored answers, aggregated in the database."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum

from loket.offices.models import Office
from loket.surveys import ikm
from loket.surveys.models import Response


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


def ikm_stored(*, office: Office, start=None, end=None, service_code=None, unit_code=None,
               weight: str = "exact") -> ikm.IkmResult:
    """The IKM of the stored responses in one aggregate query: per element the sum and the
    count of its answers (COUNT of a column skips NULL: "not answered"), and the respondents."""
    agg = {"n": Count("pk")}
    for k in ikm.KEYS:
        agg[f"{k}_sum"] = Sum(k)
        agg[f"{k}_n"] = Count(k)
    row = responses(office=office, start=start, end=end, service_code=service_code, unit_code=unit_code).aggregate(**agg)
    totals = {k: (row[f"{k}_sum"] or 0, row[f"{k}_n"]) for k in ikm.KEYS}
    return ikm.ikm_from_totals(respondents=row["n"], totals=totals, weight=weight)
