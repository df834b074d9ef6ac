"""The staff's page of personal-data protection (/staf/privasi/): who the office's data
protection officer is and how to reach them, what this person may do here (record a citizen's
request; for the officer and the Camat: the breach register and the record of who read what),
the retention periods and the last retention run. Every staff member sees it, so that anyone a
citizen asks knows where the request goes."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from loket.core.web import office_of, staff_required
from loket.privacy import policy
from loket.privacy.models import Officer, RetentionPeriod, RetentionRun
from loket.privacy.retention_defaults import kind_of


@staff_required
@require_GET
def index(request):
    office = office_of(request)
    handle = policy.may_handle(request.user)
    return render(request, "privacy/index.html", {
        "officer": Officer.objects.filter(office=office).first(),
        "may_record": handle or policy.may_record_request(request.user), "may_handle": handle,
        "periods": [(p, getattr(kind_of(p.kind), "label", p.kind))
                    for p in RetentionPeriod.objects.filter(office=office).order_by("kind")] if handle else [],
        "last_run": RetentionRun.objects.filter(office=office).first() if handle else None,
    })


urlpatterns = [
    path("", index, name="index"),
]
