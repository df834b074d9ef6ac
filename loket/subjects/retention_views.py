"""The retention schedule on the staff site (/staf/privasi/retensi/): the data protection officer
and the Camat see what the schedule would anonymise or delete today (the dry run of ``loket
retention``, nothing changed), carry it out with one button, and read the last runs (UU 27/2022
Pasal 42-44; loket/subjects/retention.py). Everyone else: 403 with the reason."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from loket.core.web import office_of, staff_required
from loket.privacy import policy
from loket.privacy.models import RetentionRun
from loket.subjects import retention

RUNS_SHOWN = 10


@staff_required
@require_http_methods(["GET", "POST"])
def retention_page(request):
    policy.handler_required(request.user)
    office = office_of(request)
    today = timezone.localdate()
    if request.method == "POST":
        run = retention.apply(office=office, today=today, by=retention.runner_of(request.user))
        lines = retention.lines_of(run)
        messages.success(request, _("Retensi dilaksanakan: %(a)s baris dianonimkan, %(d)s dihapus.") % {
            "a": sum(line.anonymise for line in lines), "d": sum(line.delete for line in lines)})
        return redirect("retention:page")
    lines = retention.plan(office=office, today=today)
    due = [line for line in lines if not line.kept]
    return render(request, "subjects/retention.html", {
        "today": today, "due": due, "kept": [line for line in lines if line.kept],
        "total_anonymise": sum(line.anonymise for line in due), "total_delete": sum(line.delete for line in due),
        "runs": [(run, sum(c.get("anonymised", 0) for c in run.counts.values()),
                  sum(c.get("deleted", 0) for c in run.counts.values()))
                 for run in RetentionRun.objects.filter(office=office).order_by("-at", "-pk")[:RUNS_SHOWN]],
    })


app_name = "retention"
urlpatterns = [
    path("", retention_page, name="page"),
]
