"""The public SKM form (Permenpan RB 14/2017), reached from the QR of a dossier's receipt; no
login. It shows the dossier's office and service only, never the applicant's name or NIK, and
is not cached: it carries a CSRF token and a fresh signed timestamp (loket.complaints.spam)."""

from __future__ import annotations

import logging

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from loket.complaints import spam
from loket.core.ratelimit import public_lookup_allowed
from loket.core.views import throttled
from loket.core import codes
from loket.dossiers.models import Dossier
from loket.core.errors import InvalidInput, WrongState
from loket.surveys import services
from loket.surveys import importer
from loket.surveys.ikm import ELEMENTS
from loket.surveys.models import Response

log = logging.getLogger(__name__)

PROFILE_FIELDS = ("jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran")
TEMPLATE = "surveys/form.html"
THANKS_PARAM = "terima-kasih"


def _dossier(code: str) -> Dossier | None:
    # get(), not first(): the code is unique, and first() would add an ORDER BY.
    try:
        return Dossier.objects.select_related("office", "service").get(code=codes.normalise(code))
    except Dossier.DoesNotExist:
        return None


def questions(*, data=None, errors=None) -> dict:
    """The context of surveys/_questions.html (the nine elements as answer options and the
    optional profile), shared by the public form and the kiosk: ``data`` is what was posted
    (re-shown after an error), ``errors`` the messages per field (services.response_clean)."""
    data = data or {}
    errors = errors or {}
    elements = [{
        "key": key, "name": name, "errors": errors.get(key, []),
        "options": [{"value": str(i), "label": label, "checked": str(data.get(key, "")) == str(i)}
                    for i, label in enumerate(labels, 1)],
    } for key, name, labels in ELEMENTS]
    return {
        "elements": elements, "errors": errors,
        "data": {k: data.get(k, "") for k in PROFILE_FIELDS},
        "sexes": Response.Sex.choices,
        "text_max": importer.TEXT_MAX["pendidikan"], "occupation_max": importer.TEXT_MAX["pekerjaan"],
        "suggestion_max": importer.TEXT_MAX["saran"],
        "age_min": importer.AGE_MIN, "age_max": importer.AGE_MAX,
    }


def _page(request, dossier, *, closed: str = "", data=None, errors=None, stamp=None, status=200):
    return render(request, TEMPLATE, {
        "dossier": dossier, "office": dossier.office if dossier else None,
        "code": codes.display(dossier.code) if dossier else "",
        "closed": closed, **questions(data=data, errors=errors),
        "stamp": stamp or spam.stamp_new(), "stamp_field": spam.STAMP_FIELD, "honeypot_field": spam.HONEYPOT_FIELD,
    }, status=status)


def _closed(dossier: Dossier) -> str:
    """Why the form cannot be filled for this dossier ("" when it can)."""
    if dossier.state != Dossier.State.HANDED_OVER:
        return "not_yet"
    if Response.objects.filter(dossier_id=dossier.pk).exists():
        return "answered"
    return ""


@require_http_methods(["GET", "POST"])
def form(request, code):
    if not public_lookup_allowed(request, "skm"):
        return throttled(request)
    dossier = _dossier(code)
    if dossier is None:
        return render(request, TEMPLATE, {"unknown": True}, status=404)
    if request.method == "GET":
        closed = _closed(dossier)
        # Just sent (the redirect below): thank the respondent rather than say "already filled".
        if closed == "answered" and request.GET.get(THANKS_PARAM) == "1":
            closed = "thanks"
        return _page(request, dossier, closed=closed)

    # The complaint form's checks against robots (loket.complaints.spam), with the survey's words.
    if spam.honeypot_filled(request.POST):
        log.info("public survey form refused (honeypot)")
        return _page(request, dossier, errors={"form": [_("Survei tidak dapat diterima.")]}, status=400)
    if not spam.stamp_ok(request.POST.get(spam.STAMP_FIELD)):
        log.info("public survey form refused (stamp)")
        return _page(request, dossier, data=request.POST, status=400, errors={"form": [_(
            "Formulir kedaluwarsa atau terkirim terlalu cepat. Jawaban Anda masih ada: periksa, lalu tekan Kirim survei lagi."
        )]})
    try:
        services.response_submit(dossier_code=dossier.code, data=request.POST)
    except WrongState as exc:
        return _page(request, dossier, closed=_closed(dossier) or "not_yet", errors={"form": [str(exc)]}, status=409)
    except InvalidInput as exc:
        errors = {**exc.errors, "form": [_("Jawaban belum benar; periksa isian yang ditandai. Tidak ada yang disimpan.")]}
        return _page(request, dossier, data=request.POST, errors=errors,
                     stamp=request.POST.get(spam.STAMP_FIELD), status=400)
    except Dossier.DoesNotExist:
        return render(request, TEMPLATE, {"unknown": True}, status=404)
    return redirect(f"{reverse('surveys:form', kwargs={'code': dossier.code})}?{THANKS_PARAM}=1")
