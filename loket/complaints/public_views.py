"""Public complaint pages (no login): the web form of an office, tracking by code, and the
complainant's feedback on the answer.

The tracking page shows only ``selectors.tracking_public``: never a name, contact, the
complaint's text, internal notes or staff names. None of these pages is cached with
``public_page``: the form and the tracking page carry a CSRF token and one-time messages,
and the form a fresh signed timestamp.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.catalog.selectors import edition_active, office_get, service_rows
from loket.complaints import inputs, selectors, services, spam
from loket.complaints.models import Complaint
from loket.core.ratelimit import public_lookup_allowed
from loket.core.views import throttled
from loket.core import codes
from loket.core.errors import InvalidInput, WrongState

log = logging.getLogger(__name__)

# Fields the form puts back when it is shown again; attachments cannot be (browsers forbid it).
FORM_FIELDS = ("kind", "category", "service", "anonymous", "name", "phone", "email", "address", "account",
               "reply_via", "subject", "text")
INITIAL = {"kind": Complaint.Kind.COMPLAINT, "reply_via": Complaint.ReplyVia.WEBSITE}


def _form_page(request, office, *, data=None, errors=None, stamp=None, status=200):
    edition = edition_active(office=office)
    return render(request, "complaints/public_form.html", {
        "office": office,
        "data": {k: (data or INITIAL).get(k, "") for k in FORM_FIELDS},
        "errors": errors or {},
        "kinds": Complaint.Kind.choices,
        # a web complaint has no LAPOR! number: the operator's follow-up there is not its way back
        "reply_choices": [(v, label) for v, label in Complaint.ReplyVia.choices if v != Complaint.ReplyVia.LAPOR],
        "categories": selectors.categories_for(office=office),
        "services": service_rows(edition=edition) if edition else [],
        "stamp": stamp or spam.stamp_new(),
        "stamp_field": spam.STAMP_FIELD,
        "honeypot_field": spam.HONEYPOT_FIELD,
        "max_attachments": inputs.MAX_ATTACHMENTS,
        "text_max": inputs.TEXT_MAX,
    }, status=status)


@require_http_methods(["GET", "POST"])
def form(request, office):
    office = office_get(office)
    if request.method == "GET":
        return _form_page(request, office)

    refused = spam.refusal(request)
    if refused is None:
        try:
            # Only an accepted filing keeps its place in the address's limit (spam.submission_slot).
            with spam.submission_slot(request):
                c = services.complaint_file_public(office=office, data=request.POST,
                                                   files=request.FILES.getlist("attachments"))
        except spam.TooMany:
            refused = spam.too_many()
        except InvalidInput as exc:
            messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
            return _form_page(request, office, data=request.POST, errors=exc.errors,
                              stamp=request.POST.get(spam.STAMP_FIELD), status=400)
    if refused is not None:
        log.info("public complaint form refused (%s)", refused.reason)
        messages.error(request, refused.message)
        # What was typed is kept, so a person who was refused loses nothing; a fresh stamp lets them send again.
        return _form_page(request, office, data=request.POST, status=refused.status)
    messages.success(
        request,
        _("Pengaduan Anda diterima. Simpan kode ini: %(code)s — hanya dengan kode ini Anda dapat melihat "
          "perkembangan dan jawabannya di halaman ini.") % {"code": codes.display(c.code)},
        extra_tags="kode-baru",
    )
    return redirect("complaints_public:track_detail", code=c.code)


@require_GET
def track(request):
    code = request.GET.get("kode", "")
    if code:
        return redirect("complaints_public:track_detail", code=codes.normalise(code) or "-")
    return render(request, "complaints/public_track.html", {})


@require_GET
def track_detail(request, code):
    if not public_lookup_allowed(request, "complaint_track"):
        return throttled(request)
    data = selectors.tracking_public(code=code)
    return render(request, "complaints/public_track.html", {"data": data, "code": code}, status=200 if data else 404)


FEEDBACK_CHOICES = {"1": True, "0": False}


@require_POST
def feedback(request, code):
    if not public_lookup_allowed(request, "complaint_feedback"):
        return throttled(request)
    # Anything but "1"/"0" goes in as None: the act still answers an unknown code (404) or the
    # wrong state first, and then refuses the missing choice.
    satisfied = FEEDBACK_CHOICES.get(request.POST.get("satisfied", ""))
    try:
        c = services.complaint_feedback(code=code, satisfied=satisfied, note=request.POST.get("note", ""), actor=None)
    except Complaint.DoesNotExist:
        return render(request, "complaints/public_track.html", {"data": None, "code": code}, status=404)
    except WrongState as exc:
        messages.error(request, str(exc))
    except InvalidInput as exc:
        for problems in exc.errors.values():
            for p in problems:
                messages.error(request, p)
    else:
        if c.state == Complaint.State.CLOSED:
            messages.success(request, _("Terima kasih; pengaduan ditutup."))
        else:
            messages.success(request, _("Pengaduan dibuka kembali dan akan ditindaklanjuti."))
    return redirect("complaints_public:track_detail", code=codes.normalise(code))
