"""The data-subject requests' pages, under /staf/privasi/permintaan/ (UU 27/2022 Pasal 30, 32, 41,
42-44, 10): the list with each request's legal clock, recording a request at the counter (after the
identity check), a request with its clock, history, the NIK's records and the acts the caller may
do now (``flow.acts_allowed``), and the answer and refusal forms.

Who: those who record requests and those who answer them (``requests.may_see``: the front office,
the Sekcam, the Camat, the data protection officer) read them; the officer and the Camat answer,
refuse and download the copy of the data (``policy.REQUEST_ACTS``). Anyone else: 403. A code of
another office is "not found". The acts live in ``loket.privacy.requests``; a role refused is a
403, a wrong state a message, bad input the form again (400) with nothing saved."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from loket.core import codes, flow
from loket.core.errors import InvalidInput, WrongState
from loket.core.formats import date_text
from loket.core.web import office_of, staff_required
from loket.privacy import policy, requests
from loket.privacy.models import Request

FORM_FIELDS = ("kind", "nik", "name", "contact", "identity", "identity_note", "details", "received_at")
K = Request.Kind


def _readers_only(request) -> None:
    if not requests.may_see(request.user):
        raise PermissionDenied(policy.RECORDER_TEXT)


def _get_or_404(request, code) -> Request:
    r = requests.request_get(office=office_of(request), code=code)
    if r is None:
        raise Http404(_("Permintaan tidak ditemukan."))
    return r


def _choices(choices) -> list[tuple[str, str]]:
    return [(value, _(label)) for value, label in choices]


def _kinds() -> list[dict]:
    """Each kind with its deadline as the form and the list explain it."""
    return [{"value": value, "label": _(label), "hours": requests.DEADLINES[value][0],
             "basis": requests.DEADLINES[value][1]} for value, label in K.choices]


@staff_required
@require_GET
def request_list(request):
    _readers_only(request)
    p = request.GET
    rows = requests.request_list(office=office_of(request), state=p.get("status", ""), kind=p.get("jenis", ""),
                                 overdue=p.get("terlambat") == "1", q=p.get("q", ""))
    now = timezone.now()
    return render(request, "privacy/request_list.html", {
        "rows": [(r, requests.clock(r, now), requests.masked(r)) for r in rows],
        "states": _choices(Request.State.choices), "kinds": _kinds(), "f": p, "limit": requests.LIST_MAX,
        "can_record": policy.may_record_request(request.user),
    })


def _form_context(values, errors=None) -> dict:
    return {"v": values, "errors": errors or {}, "kinds": _kinds(), "identities": _choices(Request.Identity.choices),
            "deletion_note": requests.DELETION_NOTE, "objection_note": requests.OBJECTION_NOTE}


@staff_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    _readers_only(request)
    if request.method != "POST":
        return render(request, "privacy/request_form.html", _form_context({"kind": request.GET.get("jenis", K.ACCESS)}))
    values = {f: request.POST.get(f, "") for f in FORM_FIELDS}
    try:
        r = requests.request_record(office=office_of(request), actor=request.user, **values)
    except InvalidInput as exc:
        messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
        return render(request, "privacy/request_form.html", _form_context(values, exc.errors), status=400)
    due = (_("batas waktu %(due)s") % {"due": date_text(r.due_at, with_time=True)} if r.due_at
           else _("undang-undang tidak menetapkan batas waktu"))
    messages.success(request, _("Permintaan %(code)s dicatat; %(due)s.") % {"code": codes.display(r.code), "due": due})
    return redirect("privacy:request_detail", code=r.code)


@staff_required
@require_GET
def request_detail(request, code):
    _readers_only(request)
    r = _get_or_404(request, code)
    if r.code != code:
        return redirect("privacy:request_detail", code=r.code)
    handler = policy.may_handle(request.user)
    return render(request, "privacy/request_detail.html", {
        **_detail_context(request, r), "handler": handler,
        "acts": flow.acts_allowed(policy.REQUEST_ACTS, request.user, r),
        "waiting": flow.acts_waiting(policy.REQUEST_ACTS, request.user, r),
    })


def _detail_context(request, r: Request) -> dict:
    handler = policy.may_handle(request.user)
    return {
        "r": r, "display_code": codes.display(r.code), "clock": requests.clock(r), "nik_masked": requests.masked(r),
        "contact": r.contact if handler else requests.contact_masked(r.contact),
        "steps": [(s, requests.person_text(s.actor)) for s in requests.steps_of(r)],
        "recorded_by": requests.person_text(r.recorded_by),
        "answered_by": requests.person_text(r.answered_by) if r.answered_by_id else "",
        "deletion_note": requests.DELETION_NOTE, "objection_note": requests.OBJECTION_NOTE,
    }


def _act_page(request, code, act: str):
    """The answer or refusal form (GET), and the act (POST): the officer and the Camat."""
    policy.handler_required(request.user)
    r = _get_or_404(request, code)
    context = {**_detail_context(request, r), "act": act, "grounds": list(requests.GROUNDS[r.kind].items())}
    if request.method != "POST":
        if not flow.allowed(policy.REQUEST_ACTS, act, request.user, r):
            messages.error(request, _("Permintaan %(code)s berstatus %(state)s: tidak dapat dijawab atau ditolak lagi.")
                           % {"code": codes.display(r.code), "state": r.get_state_display()})
            return redirect("privacy:request_detail", code=r.code)
        return render(request, "privacy/request_act.html", {**context, "v": {}, "errors": {}})
    values = {f: request.POST.get(f, "") for f in ("answer", "ground", "reason")}
    try:
        flow.perform(requests.RUN, act, code=r.code, actor=request.user, data=values)
    except InvalidInput as exc:
        messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
        return render(request, "privacy/request_act.html", {**context, "v": values, "errors": exc.errors}, status=400)
    except WrongState as exc:
        messages.error(request, str(exc))
        return redirect("privacy:request_detail", code=r.code)
    r.refresh_from_db(fields=["state"])
    messages.success(request, _("Permintaan %(code)s: %(state)s.") % {
        "code": codes.display(r.code), "state": r.get_state_display()})
    return redirect("privacy:request_detail", code=r.code)


@staff_required
@require_http_methods(["GET", "POST"])
def request_answer(request, code):
    return _act_page(request, code, "answer")


@staff_required
@require_http_methods(["GET", "POST"])
def request_refuse(request, code):
    return _act_page(request, code, "refuse")


urlpatterns = [
    path("permintaan/", request_list, name="requests"),
    path("permintaan/baru/", request_new, name="request_new"),
    path("permintaan/<str:code>/", request_detail, name="request_detail"),
    path("permintaan/<str:code>/jawab/", request_answer, name="request_answer"),
    path("permintaan/<str:code>/tolak/", request_refuse, name="request_refuse"),
]
