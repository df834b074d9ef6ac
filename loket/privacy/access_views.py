"""The record of who read what (/staf/privasi/akses/): the data protection officer and the Camat
search it by NIK, staff member, kind, record and date (UU 27/2022 Pasal 31: the controller keeps
a record of its processing; Pasal 53-54: the officer monitors it). Bad filters are reported on
the page and left out of the search, never a server error."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET

from loket.core import codes
from loket.core.nik import nik_mask
from loket.core.web import office_of, staff_required
from loket.offices.models import Staff
from loket.privacy import policy, selectors
from loket.privacy.models import Access


# the page of each kind of case, by its code (opening it from here is itself a reading, recorded)
PAGES = {Access.Kind.DOSSIER: "dossiers:detail", Access.Kind.COMPLAINT: "complaints:detail",
         Access.Kind.BOOKING: "rentals:detail", Access.Kind.DEED: "deeds:detail",
         Access.Kind.REQUEST: "privacy:request_detail"}


def _record(a: Access) -> tuple[str, str]:
    """A case's code grouped as everywhere else (ABCD-EFGH) with the link to its page; a
    register's line as stored, without a link."""
    if a.kind in PAGES and len(a.record) == 8:
        try:
            return codes.display(a.record), reverse(PAGES[a.kind], args=[a.record])
        except NoReverseMatch:
            pass
    return a.record, ""


@staff_required
@require_GET
def access_list(request):
    policy.handler_required(request.user)
    office = office_of(request)
    f, problems = selectors.access_filters(request.GET)
    searched = any(request.GET.get(k) for k in ("nik", "petugas", "jenis", "catatan", "dari", "sampai"))
    rows = selectors.access_search(office=office, f=f)
    return render(request, "privacy/access_list.html", {
        "rows": [(a, selectors.reader_label(a), nik_mask(a.subject_nik), *_record(a)) for a in rows],
        "f": f, "problems": problems, "searched": searched, "limit": selectors.ACCESS_LIMIT,
        "kinds": Access.Kind.choices,
        "staff": Staff.objects.filter(office=office).select_related("user").order_by("full_name", "user__username"),
    })


urlpatterns = [
    path("akses/", access_list, name="access"),
]
