"""Staff screens of the counter flow and the public tracking/verification pages.
Views translate requests into calls of services and selectors, and errors into messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.catalog.models import ServiceType
from loket.catalog.selectors import edition_active
from loket.core.ratelimit import public_lookup_allowed
from loket.core.views import throttled
from loket.core.uploads import upload_download
from loket.core.web import file_response, office_of, public_url, staff_required
from loket.core import codes, flow
from loket.dossiers import policy, selectors, services
from loket.dossiers.forms import CorrectionForm, IntakeForm
from loket.dossiers.models import Dossier
from loket.offices.roles import can_see_full_nik, staff_of
from loket.privacy.models import Access
from loket.privacy.services import access_record, shown_fields
from loket.papers.products import letters_open
from loket.papers.selectors import documents_of
from loket.core.errors import InvalidInput, WrongState




def _counter_services(office):
    edition = edition_active(office=office)
    if edition is None:
        return []
    return list(edition.services.filter(register_book=ServiceType.RegisterBook.PELAYANAN).select_related("unit").order_by("number"))


@staff_required
@require_GET
def today(request):
    office = office_of(request)
    rows = [(d, selectors.dossier_clock(d)) for d in selectors.worklist_front_office(office=office)[:200]]
    since = timezone.make_aware(timezone.datetime.combine(timezone.localdate(), timezone.datetime.min.time()))
    return render(request, "dossiers/today.html", {
        "rows": rows, "breaches": selectors.breaches(office=office, since=since), "office": office,
        # one click to a new intake of the services most asked for here
        "quick": selectors.counter_services_frequent(office=office, services=_counter_services(office)),
        # a signed dossier whose citizen waits: register and hand over from the list itself
        "handover_ready": {d.code for d, _ in rows if policy.allowed(d, request.user, "register_handover")},
    })


def _many(request, act, *, none_chosen: str, done: str) -> None:
    """A batch act of a work list (the Kasi's paraf, the signature): the chosen codes, one
    message for those done and one per code refused, with the act's own reason."""
    chosen = request.POST.getlist("code")
    if not chosen:
        messages.error(request, none_chosen)
        return
    ok, failed = act(codes_=chosen, actor=request.user)
    if ok:
        messages.success(request, done % {"n": len(ok)})
    for code, why in failed.items():
        messages.error(request, f"{codes.display(codes.normalise(code))}: {why}")


@staff_required
@require_http_methods(["GET", "POST"])
def kasi(request):
    if request.method == "POST":
        _many(request, services.dossier_initial_many, none_chosen=_("Pilih dulu berkas yang akan diparaf."),
              done=_("%(n)s berkas diparaf."))
        return redirect("dossiers:kasi")
    staff = staff_of(request.user)
    rows = [(d, selectors.dossier_clock(d)) for d in selectors.worklist_kasi(unit=staff.unit)] if staff.unit_id else []
    return render(request, "dossiers/kasi.html", {
        "rows": rows, "unit": staff.unit})


@staff_required
@require_http_methods(["GET", "POST"])
def signature(request):
    office = office_of(request)
    if request.method == "POST":
        _many(request, services.dossier_sign_many, none_chosen=_("Pilih dulu berkas yang akan ditandatangani."),
              done=_("%(n)s berkas ditandatangani."))
        return redirect("dossiers:signature")
    rows = [(d, selectors.dossier_clock(d)) for d in selectors.worklist_signature(office=office)]
    return render(request, "dossiers/signature.html", {
        "rows": rows})


# The intake's submit buttons (name "submit"): save, save and forward to the Kasi, and the
# clerk's yes to saving an incomplete dossier as returned. The yes carries the list it answered
# ("confirmed", one field per missing text): a list that has changed since is asked again.
SAVE, SAVE_FORWARD, SAVE_RETURNED = "1", "teruskan", "kembalikan"


def _intake_context(request, office, service, form, answers, present, originals, by_proxy, proxy_name, errors=None,
                    *, confirm_missing=None, oob=False):
    conditions = services.conditions_of(service)
    applicable = services.applicable_requirements(service, {**answers, "dikuasakan": by_proxy})
    facts = selectors.intake_facts(office=office, service=service, data=form.data if form.is_bound else {},
                                   full_nik=policy.may_read_personal(request.user))
    errors = errors or {}
    last_rows = []  # the returning citizen's last data: (field, label, value, as shown)
    last = dict(facts.last or {})
    if last:  # RT and RW are one field on this form
        last["rt_rw"] = f"{last.pop('rt', '')}/{last.pop('rw', '')}"
    for name in form.fields:
        if name in last:
            value, field = last[name], form.fields[name]
            last_rows.append((name, field.label, value, dict(getattr(field, "choices", ())).get(value, value)))
    return {
        "last_rows": last_rows,
        "office": office, "service": service, "form": form, "conditions": conditions, "answers": answers,
        "requirements": applicable, "present": present, "originals": originals, "by_proxy": by_proxy,
        "proxy_name": proxy_name, "facts": facts, "decided": facts.decided,
        # the errors that belong to no field of the form, each a sentence (never the dict itself)
        "items_errors": [m for key in ("items", "service") for m in errors.get(key, [])],
        "confirm_missing": confirm_missing or [], "oob": oob,
        "services": _counter_services(office),
        # service 15: the front office picks the verifying Kasi (services.intake_units)
        "units": services.intake_units(service),
        "unit_chosen": (request.POST or request.GET).get("unit") or service.unit.code,
    }


@staff_required
def intake(request):
    """Penerimaan berkas: pick the service, fill the applicant, tick the checklist.

    Birth date and sex come from the NIK; once the NIK is typed, the screen shows what it tells
    (#from-nik: derived data, the citizen's last data here, a possible duplicate). An incomplete
    dossier is saved as returned only after the clerk confirms the list of what is missing;
    "Simpan & teruskan ke Kasi" saves and forwards a complete one at once."""
    office = office_of(request)
    services_ = _counter_services(office)
    code = request.GET.get("layanan") or request.POST.get("service", "")
    service = next((s for s in services_ if s.code == code), None)
    if service is None:
        return render(request, "dossiers/intake_pick.html", {"services": services_})
    service = ServiceType.objects.prefetch_related("requirements").select_related("unit").get(pk=service.pk)

    data = request.POST if request.method == "POST" else None
    form = IntakeForm(data, office=office)
    source = request.POST or request.GET
    answers = {k: source.get(f"cond_{k}") == "1" for k, _ in services.conditions_of(service)}
    by_proxy = source.get("by_proxy") == "1"
    proxy_name = source.get("proxy_name", "")
    present = {int(i) for i in source.getlist("present") if i.isdigit()}
    originals = {int(i) for i in source.getlist("original") if i.isdigit()}
    context = (request, office, service, form, answers, present, originals, by_proxy, proxy_name)

    action = request.POST.get("submit") if request.method == "POST" else None
    if action in (SAVE, SAVE_FORWARD, SAVE_RETURNED):
        intake_args = dict(
            office=office, service_code=service.code, actor=request.user,
            applicant={k: request.POST.get(k, "") for k in (*services.APPLICANT_FIELDS, "rt_rw")},
            present=present, originals=originals, answers=answers, by_proxy=by_proxy, proxy_name=proxy_name,
            note=request.POST.get("note", ""), nik_override_reason=request.POST.get("nik_override_reason", ""),
            unit=request.POST.get("unit", ""),
        )
        try:
            if action == SAVE_FORWARD:
                d = services.dossier_intake_forward(**intake_args)
            else:  # an incomplete dossier only once the clerk said yes to its list of what is missing
                d = services.dossier_intake(**intake_args, confirmed_missing=(
                    request.POST.getlist("confirmed") if action == SAVE_RETURNED else []))
        except services.IntakeIncomplete as exc:
            # Nothing is saved: the clerk is asked once, with the list of what is missing.
            if action == SAVE_FORWARD:
                messages.error(request, _("Berkas belum lengkap, jadi belum dapat diteruskan ke Kasi. Tidak ada yang disimpan."))
            form.is_valid()
            return render(request, "dossiers/intake.html", _intake_context(*context, confirm_missing=exc.missing))
        except InvalidInput as exc:
            form.is_valid()
            form.add_service_errors({k: v for k, v in exc.errors.items() if k not in ("items", "service")})
            messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
            return render(request, "dossiers/intake.html", _intake_context(*context, exc.errors), status=400)
        if action == SAVE_FORWARD:  # forwarded, or IntakeIncomplete above
            messages.success(request, _("Berkas %(code)s diterima dan diteruskan ke %(unit)s. Cetak tanda terima.")
                             % {"code": codes.display(d.code), "unit": d.unit.name})
        elif d.state == Dossier.State.RETURNED:
            messages.warning(request, _("Berkas %(code)s belum lengkap dan dikembalikan. Cetak slip pengembalian.")
                         % {"code": codes.display(d.code)})
        else:
            messages.success(request, _("Berkas %(code)s diterima. Cetak tanda terima.") % {"code": codes.display(d.code)})
        return redirect("dossiers:detail", code=d.code)

    if request.htmx and request.htmx.target == "from-nik":
        # what the NIK tells, and the checklist whose decided lines depend on it (out of band)
        ctx = _intake_context(*context, oob=True)
        if ctx["facts"].last:  # the returning citizen's last data, shown to fill the form
            access_record(actor=request.user, office_id=office.pk, kind=Access.Kind.DOSSIER, subject_nik=ctx["facts"].nik,
                          purpose="Data pemohon terakhir (penerimaan berkas)",
                          fields=shown_fields(nik=True, telepon=ctx["facts"].last.get("phone"), alamat=True))
        return render(request, "dossiers/_from_nik.html", ctx)
    ctx = _intake_context(*context)
    if request.htmx and request.htmx.target == "checklist":
        return render(request, "dossiers/_checklist.html", ctx)
    return render(request, "dossiers/intake.html", ctx)


def _get_or_404(request, code, *, corrections: bool = False) -> Dossier:
    d = selectors.dossier_get(office=office_of(request), code=code, corrections=corrections)
    if d is None:
        raise Http404(_("Berkas tidak ditemukan."))
    return d


@staff_required
@require_GET
def detail(request, code):
    d = _get_or_404(request, code, corrections=True)
    return render(request, "dossiers/detail.html", _detail_context(request, d))


def _detail_context(request, d: Dossier, correction_form: CorrectionForm | None = None, *,
                    act_errors: dict | None = None) -> dict:
    # Only what the act table lets this person do now (policy.acts_allowed): a button never
    # disagrees with the act's refusal.
    allowed = policy.acts_allowed(d, request.user)
    can = {name: name in allowed for name in policy.ACTS}
    if can["correct"] and correction_form is None:
        correction_form = CorrectionForm(initial=CorrectionForm.initial_of(d), office=office_of(request))
    last_return = policy.return_standing(d)  # a return undone prints no slip
    full_nik = can_see_full_nik(request.user)
    # the page shows the address to every staff member, the NIK, KK and phone to full_nik readers
    access_record(actor=request.user, office_id=d.office_id, kind=Access.Kind.DOSSIER, record=d.code,
                  subject_nik=d.applicant_nik, purpose="Halaman berkas",
                  fields=shown_fields(nik=full_nik, kk=full_nik and d.applicant_kk_number,
                                      telepon=full_nik and d.applicant_phone, alamat=True))
    return {
        "d": d, "clock": selectors.dossier_clock(d), "steps": selectors.timeline(d, full_nik=full_nik), "can": can,
        "full_nik": full_nik, "correction_form": correction_form if can["correct"] else None,
        "last_return": last_return, "display_code": codes.display(d.code),
        "tracking_url": public_url(request, reverse("track_detail", args=[d.code])),
        "requirements": services.applicable_requirements(d.service, d.answers),
        "present": {i.requirement_id for i in d.items.all() if i.present},
        "originals": {i.requirement_id for i in d.items.all() if i.original_shown},
        # scans of the papers: listed to the office's staff, opened by those who read personal data
        "attachments": selectors.attachments_of(d), "may_attach": policy.may_attach(dossier=d, actor=request.user),
        "may_open_scans": policy.may_read_personal(request.user),
        # a refused cancel/attach form shown again: its errors at its fields, what was typed kept
        "act_errors": act_errors or {}, "typed": request.POST if request.method == "POST" else {},
        "documents": (documents := list(documents_of(office_id=d.office_id, reference=d.code))),
        # the letters this service writes, once the dossier is signed, not yet issued
        "letters": letters_open(dossier=d, documents=documents) if policy.may_write_letter(dossier=d, actor=request.user)
                   else [],
    } | (_typed_checklist(request) if act_errors and "cancel_return" in act_errors else {})


def _typed_checklist(request) -> dict:
    """The ticks of a refused 'Batalkan pengembalian', shown again as the clerk left them."""
    p = request.POST
    return {"present": {int(i) for i in p.getlist("present") if i.isdigit()},
            "originals": {int(i) for i in p.getlist("original") if i.isdigit()}}


CANCEL_ACTS = ("cancel_return", "cancel_intake")


@staff_required
@require_POST
def act(request, code, action):
    p = request.POST
    user = request.user
    if action not in services.RUN:
        raise Http404(_("Tindakan tidak dikenal."))
    # What the form holds, under the acts' own names; each act takes the entries it needs.
    data = {
        "note": p.get("note", ""), "reason": p.get("reason", ""), "handed_over_to": p.get("handed_over_to", ""),
        "missing": [m.strip() for m in p.get("missing", "").splitlines()],
        "present": [i for i in p.getlist("present") if i.isdigit()],
        "originals": [i for i in p.getlist("original") if i.isdigit()],
        # the fields the form sent are the changes; the act records only those that differ
        "changes": {k: p.get(k, "") for k in services.APPLICANT_FIELDS if k in p},
        "public_base": public_url(request, "/").rstrip("/"),  # the QR on an issued paper
    }
    before = _get_or_404(request, code, corrections=action == "correct")
    try:
        d = flow.perform(services.RUN, action, code=code, actor=user, data=data)
    except InvalidInput as exc:
        if action == "correct":  # the form again, with what was typed and each error at its field
            form = CorrectionForm(p, office=office_of(request))
            form.is_valid()
            form.add_service_errors(exc.errors)
            messages.error(request, _("Koreksi belum disimpan; periksa isian yang ditandai. Tidak ada yang berubah."))
            return render(request, "dossiers/detail.html", _detail_context(request, before, form), status=400)
        if action in CANCEL_ACTS:  # the form again, each error at its field, the reason kept
            messages.error(request, _("Pembatalan belum disimpan; periksa isian yang ditandai. Tidak ada yang berubah."))
            return render(request, "dossiers/detail.html",
                          _detail_context(request, before, act_errors={action: {
                              ("checklist" if k == "items" else k): v for k, v in exc.errors.items()}}), status=400)
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except (WrongState, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        if action == "correct":
            messages.success(request, _("Data pemohon berkas %(code)s dikoreksi; koreksinya tercatat di riwayat.")
                             % {"code": codes.display(d.code)})
            return redirect("dossiers:detail", code=code)
        messages.success(request, _("Berkas %(code)s: %(state)s.") % {"code": codes.display(d.code),
                                                                  "state": d.get_state_display()})
        if action == "initial":
            return redirect("dossiers:kasi")
        if action == "sign":  # only a signer (policy.SIGNERS) got this far: back to the signature list
            return redirect("dossiers:signature")
        if p.get("back") == "today":  # an act pressed on the counter's list goes back to it
            return redirect("dossiers:today")
    return redirect("dossiers:detail", code=code)


@staff_required
@require_POST
def attach(request, code):
    """Upload a scan of the papers (scanner, or a phone's camera) to the dossier. A refusal of
    the role or state is the act's (403/409 as a message); a bad file is shown at its field."""
    before = _get_or_404(request, code, corrections=True)
    try:
        services.dossier_attach(code=code, actor=request.user, file=request.FILES.get("file"),
                                note=request.POST.get("scan_note", ""))
    except InvalidInput as exc:
        messages.error(request, _("Pindaian belum disimpan; periksa isian yang ditandai."))
        errors = {("scan_note" if k == "note" else k): v for k, v in exc.errors.items()}
        return render(request, "dossiers/detail.html", _detail_context(request, before, act_errors={"attach": errors}),
                      status=400)
    except WrongState as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Pindaian dilampirkan pada berkas %(code)s.") % {"code": codes.display(before.code)})
    return redirect("dossiers:detail", code=before.code)


@staff_required
@require_GET
def attachment(request, code, pk):
    """A scan, to staff of the dossier's office who may read personal data (it shows the NIK and
    KK in full), always as a download with the type found from its content."""
    if not policy.may_read_personal(request.user):
        raise PermissionDenied(_("Pindaian berkas memuat data pribadi; hanya untuk petugas yang berhak melihatnya."))
    att = selectors.attachment_get(office=office_of(request), code=code, pk=pk)
    if att is None:
        raise Http404(_("Pindaian tidak ditemukan."))
    access_record(actor=request.user, office_id=att.dossier.office_id, kind=Access.Kind.DOSSIER, record=att.dossier.code,
                  subject_nik=att.dossier.applicant_nik, purpose="Pindaian persyaratan", fields="NIK, nomor KK, alamat")
    return upload_download(att.file.name, kind=att.kind, filename=f"pindaian-{att.dossier.code}-{att.pk}",
                           missing="Berkas pindaian tidak ada di penyimpanan.")


@staff_required
@require_http_methods(["GET", "POST"])
def letter(request, code, template):
    """The letter a signed dossier produces (services 10, 11, 15, 16): the fields the clerk
    types (the rest come from the dossier, the office and the signer), then the numbered,
    stored PDF (papers.products.letter_issue)."""
    from loket.papers import products

    d = _get_or_404(request, code)
    if not policy.may_write_letter(dossier=d, actor=request.user):
        try:
            flow.authorise(policy.LETTER, "letter", request.user, d)  # PermissionDenied: 403
        except WrongState as exc:  # not signed yet, or cancelled
            messages.error(request, str(exc))
            return redirect("dossiers:detail", code=d.code)
    templates = dict(products.letter_templates_for(office=d.office, service_code=d.service.code))
    if template not in templates:
        raise Http404(_("Templat surat tidak ada untuk layanan ini."))
    form = products.letter_form_fields(office=d.office, code=template)
    errors: dict = {}
    typed = {f["name"]: f["default"] for f in form}
    paper_size = "A4"
    if request.method == "POST":
        typed = {f["name"]: request.POST.get(f["name"], "") for f in form}
        paper_size = request.POST.get("kertas", "A4")
        try:
            document = services.dossier_letter(code=d.code, actor=request.user, template=template, fields=typed,
                                               paper=paper_size, public_base=public_url(request, "/").rstrip("/"))
        except InvalidInput as exc:
            errors = exc.errors
            messages.error(request, _("Surat belum diterbitkan; periksa isian yang ditandai. Tidak ada nomor yang terpakai."))
        except WrongState as exc:
            messages.error(request, str(exc))
            return redirect("dossiers:detail", code=d.code)
        else:
            messages.success(request, _("Surat %(n)s diterbitkan.") % {"n": document.number})
            return redirect("papers:document", pk=document.pk)
    rows = [f | {"value": typed.get(f["name"], ""), "errors": errors.get(f["name"], [])} for f in form]
    return render(request, "papers/letter_form.html", {
        "d": d, "template": template, "title": templates[template], "rows": rows, "paper": paper_size,
        "other_errors": [m for k, v in errors.items() if k not in typed for m in v],
    }, status=400 if errors else 200)


@staff_required
@require_GET
def paper(request, code, kind):
    from loket.dossiers import papers

    d = _get_or_404(request, code)
    if kind == "tanda-terima":
        pdf = papers.receipt_pdf(dossier=d, tracking_url=public_url(request, reverse("track_detail", args=[d.code])),
                                 survey_url=public_url(request, reverse("surveys:form", args=[d.code])),
                                 privacy_url=public_url(request, reverse("privacy_public:notice", args=[d.office.slug])))
    elif kind == "slip-pengembalian":
        if policy.return_standing(d) is None:
            raise Http404(_("Berkas ini tidak punya pengembalian yang berlaku (belum pernah dikembalikan, "
                            "atau pengembaliannya dibatalkan)."))
        pdf = papers.return_slip_pdf(dossier=d, tracking_url=public_url(request, reverse("track_detail", args=[d.code])))
    elif kind == "stempel-verifikasi":
        if not d.verification_code:
            raise Http404(_("Berkas belum diregister."))
        pdf = papers.verification_stamp_pdf(
            dossier=d, verify_url=public_url(request, reverse("verify_detail", args=[d.verification_code])))
    else:
        raise Http404()
    return file_response(pdf, filename=f'{kind}-{d.code}.pdf', inline=True)


# --- public ---------------------------------------------------------------------------------

@require_GET
def track(request):
    code = request.GET.get("kode", "")
    if code:
        return redirect("track_detail", code=codes.normalise(code) or "-")
    return render(request, "dossiers/track.html", {})


@require_GET
def track_detail(request, code):
    if not public_lookup_allowed(request, "track"):
        return throttled(request)
    data = selectors.tracking_public(code=code)
    context = {"data": data, "code": code}
    if data:  # the dossier's office: its name in the header, its address and hours on the page
        context["office"] = data["_dossier"].office
    return render(request, "dossiers/track.html", context, status=200 if data else 404)


@require_http_methods(["GET", "POST"])
def verify_detail(request, code):
    """A paper by its verification code: an issued document (papers; with the PDF upload
    check), else a registered dossier's older label."""
    if not public_lookup_allowed(request, "verify"):
        return throttled(request)
    from loket.papers import selectors as paper_selectors
    from loket.papers.views import document_verify

    document = paper_selectors.document_by_code(code)
    if document is not None:
        # a legalisation shares its code with its dossier: the register line's facts show too
        return document_verify(request, document, code, case=selectors.verification_public(code=code))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    data = selectors.verification_public(code=code)
    return render(request, "dossiers/verify.html", {"data": data, "code": code}, status=200 if data else 404)
