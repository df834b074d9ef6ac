"""The breach register's pages, under /staf/privasi/kegagalan/ (UU 27/2022 Pasal 46): the list with
the 3 × 24-hour clock (open breaches first), recording a breach, a breach with its facts, clock,
history and the acts the caller may do now (``flow.acts_allowed``), and its two letters (PDF).

Only the office's data protection officer and the Camat (``policy.may_handle``); anyone else gets
403 with ``policy.HANDLER_TEXT``. A code of another office is "not found". The acts live in
``loket.privacy.breaches``; a refused act is a 403 (role) or a message (state, input)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.core import codes, flow
from loket.core.errors import InvalidInput, WrongState
from loket.core.formats import date_text
from loket.core.web import file_response, office_of, staff_required
from loket.papers.services import document_pdf
from loket.privacy import breach_papers, breaches, policy
from loket.privacy.models import Breach

FORM_FIELDS = ("title", "description", "occurred_at", "known_at", "data_affected", "subjects_affected",
               "subjects_count", "actions", "authority")
ACT_FIELDS = ("note", "at", "authority")


def _get_or_404(request, code) -> Breach:
    b = breaches.breach_get(office=office_of(request), code=code)
    if b is None:
        raise Http404(_("Catatan kegagalan pelindungan data tidak ditemukan."))
    return b


def _local_input(moment) -> str:
    """A moment as a datetime-local input's value (office time, to the minute)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


@staff_required
@require_GET
def breach_list(request):
    policy.handler_required(request.user)
    open_rows, closed_rows = breaches.breaches_of(office=office_of(request))
    return render(request, "privacy/breach_list.html", {
        "open_rows": open_rows, "closed_rows": closed_rows,
        "deadline_hours": int(breaches.DEADLINE.total_seconds() // 3600),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def breach_new(request):
    policy.handler_required(request.user)
    office = office_of(request)
    if request.method != "POST":
        values = {"known_at": _local_input(timezone.now()), "authority": breaches.DEFAULT_AUTHORITY}
        return render(request, "privacy/breach_form.html", {"v": values, "errors": {}})
    values = {f: request.POST.get(f, "") for f in FORM_FIELDS}
    try:
        b = breaches.breach_record(office=office, actor=request.user, **values)
    except InvalidInput as exc:
        messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
        return render(request, "privacy/breach_form.html", {"v": values, "errors": exc.errors}, status=400)
    messages.success(request, _("Kegagalan %(code)s dicatat. Tenggat pemberitahuan: %(due)s.") % {
        "code": codes.display(b.code), "due": date_text(breaches.clock_of(b).due, with_time=True)})
    return redirect("privacy:breach_detail", code=b.code)


@staff_required
@require_GET
def breach_detail(request, code):
    policy.handler_required(request.user)
    b = _get_or_404(request, code)
    if b.code != code:
        return redirect("privacy:breach_detail", code=b.code)
    now = timezone.now()
    return render(request, "privacy/breach_detail.html", {
        "b": b, "display_code": codes.display(b.code), "clock": breaches.clock_of(b, now),
        "steps": breaches.steps_of(b), "acts": flow.acts_allowed(policy.BREACH_ACTS, request.user, b),
        "officer": breaches.officer_of(b.office), "now_input": _local_input(now),
        "known_input": _local_input(b.known_at), "letters": breach_papers.letters_issued(b),
    })


@staff_required
@require_POST
def breach_act(request, code, act):
    if act not in breaches.RUN:
        raise Http404(_("Tindakan tidak dikenal."))
    code = _get_or_404(request, code).code
    data = {f: request.POST.get(f, "") for f in ACT_FIELDS}
    try:
        b = flow.perform(breaches.RUN, act, code=code, actor=request.user, data=data)
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except WrongState as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(code)s: %(act)s dicatat.") % {
            "code": codes.display(b.code), "act": _(policy.BREACH_ACTS[act].label)})
    return redirect("privacy:breach_detail", code=code)


def _letter(request, code, whom: str):
    """The letter as issued with its notice (numbered; signed, once the Camat signed it), else
    the draft with the number left open."""
    policy.handler_required(request.user)
    b = _get_or_404(request, code)
    name = {"subjects": "pemberitahuan-subjek-data", "authority": "pemberitahuan-lembaga"}[whom]
    issued = breach_papers.letters_issued(b).get(whom)
    if issued is not None:
        return file_response(document_pdf(issued), filename=f"{name}-{b.code}.pdf", inline=True)
    return file_response(breach_papers.letter_pdf(b, whom), filename=f"{name}-{b.code}-konsep.pdf", inline=True)


@staff_required
@require_GET
def breach_letter_subjects(request, code):
    return _letter(request, code, "subjects")


@staff_required
@require_GET
def breach_letter_authority(request, code):
    return _letter(request, code, "authority")


urlpatterns = [
    path("kegagalan/", breach_list, name="breaches"),
    path("kegagalan/baru/", breach_new, name="breach_new"),
    path("kegagalan/<str:code>/", breach_detail, name="breach_detail"),
    path("kegagalan/<str:code>/surat-subjek.pdf", breach_letter_subjects, name="breach_letter_subjects"),
    path("kegagalan/<str:code>/surat-lembaga.pdf", breach_letter_authority, name="breach_letter_authority"),
    path("kegagalan/<str:code>/<slug:act>/", breach_act, name="breach_act"),
]
