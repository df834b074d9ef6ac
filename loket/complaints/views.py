"""Staff screens of complaints (pengaduan), under /staf/pengaduan/.

The views translate requests into calls of services and selectors, and their errors into
messages; who may do what is decided by ``policy.ACTS`` alone (the detail page shows the
forms of ``policy.acts_allowed``, and the acts check it again)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.catalog.selectors import edition_active
from loket.complaints import exports, inputs, policy, selectors, services
from loket.complaints.models import Complaint, Coordination
from loket.core.uploads import upload_download
from loket.core import codes, flow
from loket.core.web import public_url, staff_required
from loket.offices.calendar import holidays_for_office, years_without_holidays
from loket.offices.models import Kelurahan
from loket.offices.roles import staff_of
from loket.core.errors import InvalidInput, WrongState

# The fields of the record form, as complaint_clean reads them.
RECORD_FIELDS = ("kind", "channel", "lapor_number", "category", "service", "unit", "staff_named", "anonymous", "name",
                 "phone", "email", "address", "account", "reply_via", "subject", "text")
# Fields whose messages the form shows next to the input; any other key goes on top.
FIELD_ERRORS = RECORD_FIELDS + ("note", "attachments")
LIST_LIMIT = 200


def shown(choices) -> list[tuple[str, str]]:
    """Choices whose labels are plain Indonesian (kept so in the book), in the page's language."""
    return [(value, _(label)) for value, label in choices]


def _office(request):
    return staff_of(request.user).office


def _get_or_404(request, code) -> Complaint:
    # Looked up within the user's own office: a code of another office is "not found", not "forbidden".
    c = selectors.complaint_get(office=_office(request), code=code)
    if c is None:
        raise Http404(_("Pengaduan tidak ditemukan."))
    return c


def _rows(complaints, office, holidays=None) -> list[tuple]:
    """(complaint, ageing, |days left|) per row: the template cannot take an absolute value."""
    return [(c, a, abs(a.days_left))
            for c, a in selectors.with_ageing(complaints, office_id=office.pk, holidays=holidays)]


def _missing_holidays(*row_lists) -> list[int]:
    """Years shown (this one and those of the target dates on screen) that have no holiday
    table. The legal limit counts calendar days, so its year needs none."""
    years = {timezone.localdate().year}
    for rows in row_lists:
        years.update(a.due_date.year for _c, a, _left in rows)
    return years_without_holidays(years)


def _list_context(request, **extra) -> dict:
    return {"can_record": policy.may_record(request.user), **extra}


@staff_required
@require_GET
def worklist(request):
    office = _office(request)
    holidays = holidays_for_office(office.pk)  # read once for both lists
    mine = _rows(selectors.worklist(user=request.user), office, holidays)
    late = _rows(selectors.overdue(office=office), office, holidays)
    return render(request, "complaints/staff_worklist.html", _list_context(
        request, rows=mine, late_rows=late, missing_years=_missing_holidays(mine, late)))


def _filter_choices(office) -> dict:
    return {
        "states": Complaint.State.choices, "kinds": shown(Complaint.Kind.choices), "channels": shown(Complaint.Channel.choices),
        "categories": selectors.categories_for(office=office), "units": list(office.units.all()),
    }


@staff_required
@require_GET
def complaint_list(request):
    office = _office(request)
    g = request.GET
    f = {key: g.get(key, "").strip()[:40] for key in (*selectors.FILTERS, "overdue", "open")}
    query = g.get("q", "").strip()[:100]
    rows = _rows(selectors.complaint_list(office=office, filters=f, query=query, limit=LIST_LIMIT), office)
    return render(request, "complaints/staff_list.html", _list_context(
        request, rows=rows, f=f, query=query, limit=LIST_LIMIT, truncated=len(rows) >= LIST_LIMIT,
        missing_years=_missing_holidays(rows), **_filter_choices(office)))


@staff_required
@require_GET
def overdue_list(request):
    office = _office(request)
    rows = _rows(selectors.overdue(office=office), office)
    return render(request, "complaints/staff_overdue.html", _list_context(
        request, rows=rows, missing_years=_missing_holidays(rows)))


def _record_context(request, office, values, errors=None) -> dict:
    edition = edition_active(office=office)
    errors = errors or {}
    return {
        "can_record": policy.may_record(request.user), "v": values, "errors": errors,
        "other_errors": [m for k, ms in errors.items() if k not in FIELD_ERRORS for m in ms],
        "kinds": shown(Complaint.Kind.choices), "channels": shown(Complaint.Channel.choices),
        "replies": shown(Complaint.ReplyVia.choices), "categories": selectors.categories_for(office=office),
        "services": list(edition.services.order_by("number")) if edition else [],
        "units": list(office.units.all()), "max_attachments": inputs.MAX_ATTACHMENTS,
        "text_max": inputs.TEXT_MAX, "staff_choices": selectors.staff_choices(office=office),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def record(request):
    """A complaint that came in by any channel, written down by the staff (Buku Pengaduan)."""
    office = _office(request)
    if request.method != "POST":
        # Every role may look at the form; a role that may not record is told so, and the act
        # itself refuses its POST (403).
        initial = {"kind": Complaint.Kind.COMPLAINT, "channel": Complaint.Channel.FACE_TO_FACE}
        return render(request, "complaints/staff_record.html", _record_context(request, office, initial))
    p = request.POST
    try:
        c = services.complaint_record(
            office=office, actor=request.user, data={k: p.get(k, "") for k in RECORD_FIELDS},
            files=request.FILES.getlist("attachments"), note=p.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
        return render(request, "complaints/staff_record.html", _record_context(request, office, p, exc.errors), status=400)
    messages.success(request, _("Pengaduan %(code)s dicatat di Buku Pengaduan nomor %(number)s.") % {
        "code": codes.display(c.code), "number": c.register_entry.number_display})
    return redirect("complaints:detail", code=c.code)


@staff_required
@require_GET
def detail(request, code):
    c = _get_or_404(request, code)
    answers = list(c.answers.all())
    steps = selectors.steps_for(c, request.user)  # without the naming of a staff member, for most
    acts = set(policy.acts_allowed(c, request.user))
    number = {a.pk: n for n, a in enumerate(answers, start=1)}
    replies = shown(Complaint.ReplyVia.choices)
    if c.anonymous:  # the only ways an anonymous complainant can be reached (inputs.ANONYMOUS_REPLIES)
        replies = [(v, label) for v, label in replies if v in inputs.ANONYMOUS_REPLIES]
    return render(request, "complaints/staff_detail.html", {
        "c": c, "display_code": codes.display(c.code), "ageing": selectors.ageing(c),
        "contact": services.contact_read(c, request.user, purpose="Halaman pengaduan"),
        "acts": acts,
        "steps": steps,
        # the Camat's/Sekcam's last direction, shown beside the answer form
        "direction": next((s for s in reversed(steps) if s.action == "direction_give"), None),
        "answers": [(number[a.pk], a, number.get(a.corrects_id)) for a in answers],
        "coordinations": list(c.coordinations.all()),
        "attachments": list(c.attachments.all()),
        "escalate_units": list(policy.escalation_units(c)) if "escalate" in acts else [],
        "coordination_kinds": Coordination.Kind.choices, "replies": replies,
        "kelurahan": list(Kelurahan.objects.filter(office_id=c.office_id)) if "coordinate" in acts else [],
        # "Pegawai yang diadukan": the Camat's and the Sekcam's only (policy.may_see_staff_named)
        "staff_named": selectors.staff_named_of(c, request.user),
        "staff_choices": selectors.staff_choices(office=_office(request)) if "name_staff" in acts else [],
        "tracking_url": public_url(request, reverse("complaints_public:track_detail", args=[c.code])),
    })


def _meeting_date(p):
    return p.get("meeting_date", "").strip() or None


def _form_data(p) -> dict:
    """What an act form holds, under the acts' own names (services.RUN); each act takes the
    entries it needs."""
    return {
        "unit_code": p.get("unit", ""), "note": p.get("note", ""), "question": p.get("question", ""),
        "direction": p.get("direction", ""), "kind": p.get("kind", ""), "party": p.get("party", ""),
        "meeting_date": _meeting_date(p), "result": p.get("result", ""), "text": p.get("text", ""),
        "reply_via": p.get("reply_via") or None, "reason": p.get("reason", ""),
        "staff_named": p.get("staff_named", ""),
        # Anything but "1"/"0" is passed as None, which the act refuses with its own message.
        "satisfied": {"1": True, "0": False}.get(p.get("satisfied")),
    }


@staff_required
@require_POST
def act(request, code, action):
    if action not in services.RUN:
        raise Http404(_("Tindakan tidak dikenal."))
    code = selectors.code_in_office(office=_office(request), code=code)
    if code is None:
        raise Http404(_("Pengaduan tidak ditemukan."))
    try:
        result = flow.perform(services.RUN, action, code=code, actor=request.user, data=_form_data(request.POST))
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except (WrongState, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        # The acts return the complaint, or the answer/ coordination that holds it.
        c = result if isinstance(result, Complaint) else result.complaint
        messages.success(request, _("Pengaduan %(code)s: %(state)s.") % {
            "code": codes.display(code), "state": c.get_state_display()})
    return redirect("complaints:detail", code=code)


@staff_required
@require_GET
def lapor_xlsx(request, code):
    """What the LAPOR! operator enters on lapor.go.id for this complaint (exports.lapor_xlsx);
    only for a complaint that came through SP4N-LAPOR!."""
    c = _get_or_404(request, code)
    if not c.lapor_number:
        raise Http404(_("Pengaduan ini tidak masuk lewat SP4N-LAPOR!."))
    services.contact_read(c, request.user, purpose="Ekspor SP4N-LAPOR! (XLSX)")
    return FileResponse(exports.lapor_xlsx(c, office=c.office), as_attachment=True,
                        filename=f"lapor-{c.lapor_number}.xlsx", content_type=exports.XLSX_TYPE)


@staff_required
@require_GET
def attachment(request, code, pk):
    """A lampiran, to staff of the complaint's office only, always as a download with the type
    found from its content (see loket.core.uploads)."""
    att = selectors.attachment_get(office=_office(request), code=code, pk=pk)
    if att is None:
        raise Http404(_("Lampiran tidak ditemukan."))
    return upload_download(att.file.name, kind=att.kind, filename=f"lampiran-{att.pk}",
                           missing=_("Berkas lampiran tidak ada di penyimpanan."))
