"""The copy of what the office holds about a person, for an access request (UU 27/2022 Pasal 32),
under /staf/privasi/subjek/<request code>/: the PDF and the JSON (the data protection officer or
the Camat, an access request received or answered: ``privacy.policy.REQUEST_ACTS`` "export"),
and the list of the NIK's records the request page shows.

Each download writes, in one transaction with the file it returns, the request's step "export"
and one access record (``privacy.requests.request_export``): the copy is itself a reading of the
person's data."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from loket.core.errors import WrongState
from loket.core.web import file_response, office_of, staff_required
from loket.papers.services import document_pdf
from loket.privacy import policy, requests as privacy_requests
from loket.subjects import export


def _request_of(request, code):
    """The request of the caller's office (another office's code: 404, before any refusal)."""
    found = privacy_requests.request_get(office=office_of(request), code=code)
    if found is None:
        raise Http404(_("Permintaan tidak ditemukan."))
    return found


def _download(request, code, fmt: str):
    office = office_of(request)
    r = _request_of(request, code)
    try:
        with transaction.atomic():
            r = privacy_requests.request_export(code=r.code, actor=request.user, fmt=fmt)
            if fmt == "pdf":  # the copy as given: issued (numbered) the first time, the same after
                issued = export.copy_issued(r) or export.copy_issue(
                    request=r, office=office, actor=request.user, data=export.subject_data(office=office, nik=r.nik))
                content = document_pdf(issued)
            else:
                content = export.subject_json(export.subject_data(office=office, nik=r.nik), request=r)
    except WrongState as exc:  # not an access request, or refused: said on the request's page
        messages.error(request, str(exc))
        return redirect("privacy:request_detail", code=r.code)
    name = f"salinan-data-pribadi-{r.code}.{fmt}"
    if fmt == "pdf":
        return file_response(content, filename=name)
    return file_response(content, filename=name, content_type="application/json; charset=utf-8")


@staff_required
@require_GET
def data_pdf(request, code):
    return _download(request, code, "pdf")


@staff_required
@require_GET
def data_json(request, code):
    return _download(request, code, "json")


@staff_required
@require_GET
def records(request, code):
    """The dossiers and deeds of the request's NIK, with links and how each is corrected (the data
    protection officer and the Camat; with htmx the list only, loaded into the request page)."""
    r = _request_of(request, code)
    policy.handler_required(request.user)
    rows = export.records_of(office=office_of(request), nik=r.nik)
    template = "subjects/_records.html" if request.headers.get("HX-Request") else "subjects/records.html"
    return render(request, template, {"r": r, "rows": rows, "nik_masked": privacy_requests.masked(r)})
