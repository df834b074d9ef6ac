"""Staff screens of the counter flow and the public tracking/verification pages.
Views translate requests into calls of services and selectors, and errors into messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from loket.catalog.models import ServiceType
from loket.catalog.selectors import edition_active
from loket.core.ratelimit import public_lookup_allowed
from loket.core.views import throttled
from loket.core.web import office_of, public_url, staff_required
from loket.core import codes, flow
from loket.dossiers import policy, selectors, services
from loket.dossiers.forms import ApplicantForm, CorrectionForm
from loket.dossiers.models import Dossier
from loket.dossiers.rules import clerk_notes
from loket.offices.roles import can_see_full_nik, staff_of
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
    })


@staff_required
@require_GET
def kasi(request):
    staff = staff_of(request.user)
    rows = [(d, selectors.dossier_clock(d)) for d in selectors.worklist_kasi(unit=staff.unit)] if staff.unit_id else []
    return render(request, "dossiers/kasi.html", {
        "rows": rows, "unit": staff.unit})


@staff_required
def signature(request):
    office = office_of(request)
    if request.method == "POST":
        chosen = request.POST.getlist("code")
        if not chosen:
            messages.error(request, "Pilih dulu berkas yang akan ditandatangani.")
        else:
            signed, failed = services.dossier_sign_many(codes_=chosen, actor=request.user)
            if signed:
                messages.success(request, f"{len(signed)} berkas ditandatangani.")
            for code, why in failed.items():
                messages.error(request, f"{codes.display(code)}: {why}")
        return redirect("dossiers:signature")
    rows = [(d, selectors.dossier_clock(d)) for d in selectors.worklist_signature(office=office)]
    return render(request, "dossiers/signature.html", {
        "rows": rows})


def _intake_context(request, office, service, form, answers, present, originals, by_proxy, proxy_name, errors=None):
    conditions = services.conditions_of(service)
    applicable = services.applicable_requirements(service, {**answers, "dikuasakan": by_proxy})
    birth = None
    try:
        import datetime as dt

        birth = dt.date.fromisoformat(form.data.get("birth_date", "")) if form.is_bound else None
    except ValueError:
        birth = None
    return {
        "office": office, "service": service, "form": form, "conditions": conditions, "answers": answers,
        "requirements": applicable, "present": present, "originals": originals, "by_proxy": by_proxy,
        "proxy_name": proxy_name, "errors": errors or {},
        "notes": clerk_notes(service_code=service.code, applicant={"birth_date": birth}),
        "services": _counter_services(office),
    }


@staff_required
def intake(request):
    """Penerimaan berkas: pick the service, fill the applicant, tick the checklist."""
    office = office_of(request)
    services_ = _counter_services(office)
    code = request.GET.get("layanan") or request.POST.get("service", "")
    service = next((s for s in services_ if s.code == code), None)
    if service is None:
        return render(request, "dossiers/intake_pick.html", {"services": services_})
    service = ServiceType.objects.prefetch_related("requirements").select_related("unit").get(pk=service.pk)

    data = request.POST if request.method == "POST" else None
    form = ApplicantForm(data, office=office)
    answers = {k: (request.POST or request.GET).get(f"cond_{k}") == "1" for k, _ in services.conditions_of(service)}
    by_proxy = (request.POST or request.GET).get("by_proxy") == "1"
    proxy_name = (request.POST or request.GET).get("proxy_name", "")
    present = {int(i) for i in (request.POST or request.GET).getlist("present") if i.isdigit()}
    originals = {int(i) for i in (request.POST or request.GET).getlist("original") if i.isdigit()}

    if request.method == "POST" and request.POST.get("submit") == "1":
        try:
            d = services.dossier_intake(
                office=office, service_code=service.code, applicant={k: request.POST.get(k, "") for k in services.APPLICANT_FIELDS},
                actor=request.user, present=present, originals=originals, answers=answers, by_proxy=by_proxy,
                proxy_name=proxy_name, note=request.POST.get("note", ""),
            )
        except InvalidInput as exc:
            form.is_valid()
            form.add_service_errors(exc.errors)
            messages.error(request, "Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan.")
            ctx = _intake_context(request, office, service, form, answers, present, originals, by_proxy, proxy_name, exc.errors)
            return render(request, "dossiers/intake.html", ctx, status=400)
        if d.state == Dossier.State.RETURNED:
            messages.warning(request, f"Berkas {codes.display(d.code)} belum lengkap dan dikembalikan. Cetak slip pengembalian.")
        else:
            messages.success(request, f"Berkas {codes.display(d.code)} diterima. Cetak tanda terima.")
        return redirect("dossiers:detail", code=d.code)

    ctx = _intake_context(request, office, service, form, answers, present, originals, by_proxy, proxy_name)
    if request.htmx and request.htmx.target == "checklist":
        return render(request, "dossiers/_checklist.html", ctx)
    return render(request, "dossiers/intake.html", ctx)


def _get_or_404(request, code, *, corrections: bool = False) -> Dossier:
    d = selectors.dossier_get(office=office_of(request), code=code, corrections=corrections)
    if d is None:
        raise Http404("Berkas tidak ditemukan.")
    return d


@staff_required
@require_GET
def detail(request, code):
    d = _get_or_404(request, code, corrections=True)
    return render(request, "dossiers/detail.html", _detail_context(request, d))


def _detail_context(request, d: Dossier, correction_form: CorrectionForm | None = None) -> dict:
    S = Dossier.State
    # Only what the act table lets this person do now (policy.acts_allowed): a button never
    # disagrees with the act's refusal.
    allowed = policy.acts_allowed(d, request.user)
    can = {name: name in allowed for name in policy.ACTS}
    if can["correct"] and correction_form is None:
        correction_form = CorrectionForm(initial=CorrectionForm.initial_of(d), office=office_of(request))
    last_return = next((t for t in reversed(list(d.transitions.all())) if t.to_state == S.RETURNED), None)
    full_nik = can_see_full_nik(request.user)
    return {
        "d": d, "clock": selectors.dossier_clock(d), "steps": selectors.timeline(d, full_nik=full_nik), "can": can,
        "full_nik": full_nik, "correction_form": correction_form if can["correct"] else None,
        "last_return": last_return, "display_code": codes.display(d.code),
        "tracking_url": public_url(request, reverse("track_detail", args=[d.code])),
        "requirements": services.applicable_requirements(d.service, d.answers),
        "present": {i.requirement_id for i in d.items.all() if i.present},
        "originals": {i.requirement_id for i in d.items.all() if i.original_shown},
    }


@staff_required
@require_POST
def act(request, code, action):
    p = request.POST
    user = request.user
    if action not in services.RUN:
        raise Http404("Tindakan tidak dikenal.")
    # What the form holds, under the acts' own names; each act takes the entries it needs.
    data = {
        "note": p.get("note", ""), "reason": p.get("reason", ""), "handed_over_to": p.get("handed_over_to", ""),
        "missing": [m.strip() for m in p.get("missing", "").splitlines()],
        "present": [i for i in p.getlist("present") if i.isdigit()],
        "originals": [i for i in p.getlist("original") if i.isdigit()],
        # the fields the form sent are the changes; the act records only those that differ
        "changes": {k: p.get(k, "") for k in services.APPLICANT_FIELDS if k in p},
    }
    before = _get_or_404(request, code, corrections=action == "correct")
    try:
        d = flow.perform(services.RUN, action, code=code, actor=user, data=data)
    except InvalidInput as exc:
        if action == "correct":  # the form again, with what was typed and each error at its field
            form = CorrectionForm(p, office=office_of(request))
            form.is_valid()
            form.add_service_errors(exc.errors)
            messages.error(request, "Koreksi belum disimpan; periksa isian yang ditandai. Tidak ada yang berubah.")
            return render(request, "dossiers/detail.html", _detail_context(request, before, form), status=400)
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except (WrongState, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        if action == "correct":
            messages.success(request, f"Data pemohon berkas {codes.display(d.code)} dikoreksi; koreksinya tercatat di riwayat.")
            return redirect("dossiers:detail", code=code)
        messages.success(request, f"Berkas {codes.display(d.code)}: {d.get_state_display()}.")
        if action == "initial":
            return redirect("dossiers:kasi")
        if action == "sign":  # only a signer (policy.SIGNERS) got this far: back to the signature list
            return redirect("dossiers:signature")
    return redirect("dossiers:detail", code=code)


@staff_required
@require_GET
def paper(request, code, kind):
    from loket.dossiers import papers

    d = _get_or_404(request, code)
    if kind == "tanda-terima":
        pdf = papers.receipt_pdf(dossier=d, tracking_url=public_url(request, reverse("track_detail", args=[d.code])),
                                 survey_url=public_url(request, reverse("surveys:form", args=[d.code])))
    elif kind == "slip-pengembalian":
        if not d.transitions.filter(to_state=Dossier.State.RETURNED).exists():
            raise Http404("Berkas ini belum pernah dikembalikan.")
        pdf = papers.return_slip_pdf(dossier=d, tracking_url=public_url(request, reverse("track_detail", args=[d.code])))
    elif kind == "stempel-verifikasi":
        if not d.verification_code:
            raise Http404("Berkas belum diregister.")
        pdf = papers.verification_stamp_pdf(
            dossier=d, verify_url=public_url(request, reverse("verify_detail", args=[d.verification_code])))
    else:
        raise Http404()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{d.code}.pdf"'
    return response


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


@require_GET
def verify_detail(request, code):
    if not public_lookup_allowed(request, "verify"):
        return throttled(request)
    data = selectors.verification_public(code=code)
    return render(request, "dossiers/verify.html", {"data": data, "code": code}, status=200 if data else 404)
