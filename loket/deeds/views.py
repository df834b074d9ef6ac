"""Staff screens of the deeds (akta tanah, the Camat as PPAT Sementara), under /staf/akta/:
the work list with the overdue cases, intake at the counter, a case with its acts, and the
Camat's calendar of sidang. Every act is a service call (loket.deeds.services); these views
only read the form and show the service's answer."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.core import inputs
from loket.core.inputs import date_parse
from loket.deeds.inputs import MAX_PARTIES
from loket.deeds import fees, policy, selectors, services
from loket.deeds.models import Case, Cause, CertificateCheck, DeedKind, PartyRole, TaxProof
from loket.core import codes, flow
from loket.core.nik import nik_mask
from loket.core.web import staff_required
from loket.offices.models import Kelurahan
from loket.offices.roles import staff_of
from loket.deeds.taxes import pbb_years, taxes_missing, taxes_needed
from loket.core.errors import InvalidInput, WrongState
from loket.privacy.models import Access
from loket.privacy.services import access_record_lines, shown_fields

S = Case.State
PARTY_FIELDS = ("role", "name", "nik", "address", "share", "proxy_name", "proxy_letter")
CASE_FIELDS = ("deed_kind", "cause", "land_title", "land_reference", "kelurahan", "land_address", "area_m2", "nop", "njop",
               "value", "fee", "fee_free", "note")
ROWS_DEFAULT, ROWS_MAX = 4, MAX_PARTIES
FEE, SAVE, MORE = "uang-jasa", "simpan", "tambah-pihak"


def _office(request):
    return staff_of(request.user).office


def _get_or_404(request, code) -> Case:
    case = (selectors.cases(office=_office(request)).select_related("received_by", "validated_by", "signed_by")
            .filter(code=codes.normalise(code)).first())
    if case is None:
        raise Http404(_("Berkas akta tidak ditemukan."))
    return case


# --- the list ---------------------------------------------------------------------------------------

@staff_required
@require_GET
def case_list(request):
    office = _office(request)
    now = timezone.now()
    state = request.GET.get("status", "")
    all_cases = selectors.cases(office=office, states=[state] if state in S.values else None)[:100]
    rows = [(c, selectors.clock(c, now=now)) for c in all_cases]
    mine = [(c, selectors.clock(c, now=now)) for c in selectors.worklist(user=request.user)]
    return render(request, "deeds/list.html", {
        "rows": rows, "mine": mine, "overdue": selectors.overdue(office=office, now=now), "now": now,
        "undelivered": selectors.delivery_overdue(office=office, today=timezone.localdate(now)),
        "states": S.choices, "state": state, "can_intake": policy.may_intake(request.user),
        "rate": fees.rate_text(services.setting_of(office).fee_rate),
        "can_set_rate": policy.may_set_rate(request.user),
    })


@staff_required
@require_POST
def fee_rate(request):
    """The Camat (as PPAT) or the admin sets the office's fee rate, within the 1 % cap."""
    try:
        setting = services.fee_rate_set(office=_office(request), actor=request.user,
                                        rate=request.POST.get("fee_rate", ""))
    except InvalidInput as exc:
        messages.error(request, _("Tarif tidak diubah: %(why)s") % {
            "why": " ".join(m for ms in exc.errors.values() for m in ms)})
    else:
        messages.success(request, _("Tarif uang jasa PPAT kantor ini sekarang %(rate)s dari harga transaksi.") % {
            "rate": fees.rate_text(setting.fee_rate)})
    return redirect("deeds:list")


# --- intake -----------------------------------------------------------------------------------------

def _rows(post_or_get) -> int:
    try:
        n = int(post_or_get.get("pihak", ROWS_DEFAULT))
    except (TypeError, ValueError):
        n = ROWS_DEFAULT
    return max(2, min(n, ROWS_MAX))


def _posted(post) -> tuple[dict, int]:
    n = _rows(post)
    data = {k: post.get(k, "").strip() for k in CASE_FIELDS}
    data["fee_free"] = bool(post.get("fee_free"))
    parties = []
    for i in range(n):
        row = {f: post.get(f"p{i}-{f}", "").strip() for f in PARTY_FIELDS}
        if any(row[f] for f in ("name", "nik")):  # an empty row is no party
            parties.append(row)
    data["parties"] = parties
    return data, n


def _form_context(office, data: dict, rows: int, *, errors=None, quote=None, present=(), originals=()) -> dict:
    service = services.service_of(office)
    errors = errors or {}
    parties = list(data.get("parties") or [])
    # Show the posted parties at their own indexes so that "parties[i].field" errors land on them.
    shown = parties + [{}] * max(rows - len(parties), 0)
    return {
        "v": data, "errors": errors, "quote": quote, "rows": len(shown),
        "parties": [(i, p, {f: errors.get(f"parties[{i}].{f}", []) for f in PARTY_FIELDS}) for i, p in enumerate(shown)],
        "party_errors": errors.get("parties", []),
        "other_errors": [m for k, ms in errors.items()
                         if k not in CASE_FIELDS and k != "parties" and not k.startswith("parties[") for m in ms],
        "kinds": DeedKind.choices, "causes": Cause.choices, "titles": Case.LandTitle.choices, "roles": PartyRole.choices,
        "kelurahan": Kelurahan.objects.filter(office=office).order_by("name"),
        "requirements": list(service.requirements.all()), "present": {str(x) for x in present},
        "originals": {str(x) for x in originals}, "rate": fees.rate_text(services.setting_of(office).fee_rate),
        "service": service,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """Penerimaan berkas akta at the counter. "Hitung uang jasa" shows the fee and saves nothing;
    "Tambah baris pihak" gives more party rows, keeping what was typed."""
    if not policy.may_intake(request.user):
        raise PermissionDenied(_("Berkas akta diterima oleh petugas pelayanan (front office)."))
    office = _office(request)
    if request.method != "POST":
        return render(request, "deeds/new.html", _form_context(office, {"deed_kind": request.GET.get("jenis", "")},
                                                               _rows(request.GET)))
    data, rows = _posted(request.POST)
    present, originals = request.POST.getlist("present"), request.POST.getlist("original")
    action = request.POST.get("aksi", SAVE)
    ctx = {"present": present, "originals": originals}
    try:
        if action == MORE:
            return render(request, "deeds/new.html", _form_context(office, data, min(rows + 2, ROWS_MAX), **ctx))
        if action == FEE:
            quote = services.fee_for(office=office, value=data["value"], fee=data["fee"] or None,
                                     free=data["fee_free"])
            return render(request, "deeds/new.html", _form_context(office, data, rows, quote=quote, **ctx))
        case = services.case_intake(office=office, actor=request.user, data=data, present=present,
                                    originals=originals)
    except InvalidInput as exc:
        messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
        return render(request, "deeds/new.html", _form_context(office, data, rows, errors=exc.errors, **ctx),
                      status=400)
    if case.state == S.RETURNED:
        messages.warning(request, _("Berkas %(code)s belum lengkap dan dikembalikan ke pemohon; cetak tanda "
                                    "terima berisi kekurangannya.") % {"code": codes.display(case.code)})
    else:
        messages.success(request, _("Berkas %(code)s diterima. Teruskan ke Petugas PPAT.") % {
            "code": codes.display(case.code)})
    return redirect("deeds:detail", code=case.code)


# --- a case -----------------------------------------------------------------------------------------

@staff_required
@require_GET
def detail(request, code):
    case = _get_or_404(request, code)
    if case.code != code:
        return redirect("deeds:detail", code=case.code)
    personal = policy.may_read_personal(request.user)
    parties = [(p, p.nik if personal else nik_mask(p.nik)) for p in case.parties.all()]
    # every party's address to the office's staff, the NIK in full to those who read personal data
    access_record_lines(actor=request.user, office_id=case.office_id, kind=Access.Kind.DEED, purpose="Halaman akta",
                        fields=shown_fields(nik=personal, alamat=True), lines=[(case.code, p.nik) for p, _ in parties])
    signing = case.signings.filter(cancelled=False).first()
    acts = policy.acts_allowed(case, request.user)
    waiting = policy.acts_waiting(case, request.user)
    now = timezone.now()
    return render(request, "deeds/detail.html", {
        "case": case, "display_code": codes.display(case.code), "parties": parties, "acts": acts,
        "items": list(case.items.select_related("requirement")), "proofs": list(case.tax_proofs.all()),
        "checks": list(case.certificate_checks.all()), "check_results": CertificateCheck.Result.choices,
        "taxes_missing": taxes_missing(case), "pbb_years": pbb_years(case),
        "taxes_needed": taxes_needed(case), "signing": signing, "clock": selectors.clock(case, now=now),
        "now": now, "transitions": list(case.transitions.select_related("actor")),
        "pauses": list(case.pauses.all()), "rate": fees.rate_text(case.fee_rate), "proof_kinds": TaxProof.Kind.choices,
        "cap": fees.quote_of(case).cap, "cap_rate": fees.rate_text(fees.cap_percent(case.service)),
        "min_start": _next_half_hour(now),
        "has_cover": case.register_entry_id is not None,
        "sign_later": "sign" in waiting and signing is not None,
        "validate_waiting": "validate" in waiting,
        "staff_names": selectors.witness_names(office_id=case.office_id),
        "ppat_missing": policy.ppat_missing(case, request.user),
        "delivery_due": selectors.delivery_due(case),
    })


def _next_half_hour(now: dt.datetime) -> str:
    """The earliest start the sidang form offers: the next half hour (the service checks the rest)."""
    local = timezone.localtime(now).replace(second=0, microsecond=0)
    local += dt.timedelta(minutes=30 - local.minute % 30)
    return local.strftime("%Y-%m-%dT%H:%M")


def _do(action: str, code: str, user, p):
    """Run the act: what the form holds, under the acts' own names (services.RUN); each act takes
    the entries it needs."""
    if action not in services.RUN:
        raise Http404(_("Tindakan tidak dikenal."))
    data = {
        "present": p.getlist("present"), "originals": p.getlist("original"),
        "kind": p.get("kind", ""), "year": p.get("year") or None, "number": p.get("number", ""),
        "paid_on": p.get("paid_on", ""), "amount": p.get("amount", ""),
        "checked_on": p.get("checked_on", ""), "result": p.get("result", ""),
        "delivered_on": p.get("delivered_on", ""), "receipt": p.get("receipt", ""),
        "reason": p.get("reason", ""), "note": p.get("note", ""), "to": p.get("to", ""),
        "data": {  # the sidang form
            "starts_at": p.get("starts_at", "").replace("T", " "), "minutes": p.get("minutes", "60"),
            "place": p.get("place", ""), "witness_1": p.get("witness_1", ""), "witness_2": p.get("witness_2", "")},
    }
    return flow.perform(services.RUN, action, code=code, actor=user, data=data)


DONE = {
    "resubmit": gettext_lazy("Berkas lengkap dan diterima."), "forward": gettext_lazy("Berkas diteruskan ke Petugas PPAT."),
    "taxproof": gettext_lazy("Bukti pajak dicatat."),
    "certcheck": gettext_lazy("Pengecekan sertipikat dicatat."),
    "deliver": gettext_lazy("Penyampaian akta ke Kantor Pertanahan dicatat."),
    "wait": gettext_lazy("Berkas menunggu kelengkapan; waktu layanan berhenti."),
    "resume": gettext_lazy("Berkas dilanjutkan; waktu layanan berjalan lagi."),
    "validate": gettext_lazy("Akta divalidasi."), "schedule": gettext_lazy("Sidang dijadwalkan."),
    "sign": gettext_lazy("Akta ditandatangani."), "handover": gettext_lazy("Akta diserahkan."),
    "withdraw": gettext_lazy("Berkas dibatalkan."),
}


@staff_required
@require_POST
def act(request, code, action):
    code = _get_or_404(request, code).code
    if action == "taxproof" and request.POST.get("kind") != TaxProof.Kind.PBB:
        request.POST = request.POST.copy()
        request.POST["year"] = ""
    try:
        result = _do(action, code, request.user, request.POST)
    except InvalidInput as exc:
        messages.error(request, _("Tidak disimpan: %(why)s") % {
            "why": " ".join(m for ms in exc.errors.values() for m in ms)})
    except (WrongState, services.Taken) as exc:
        messages.error(request, str(exc))
    except Case.DoesNotExist:
        raise Http404(_("Berkas akta tidak ditemukan.")) from None
    else:
        case = Case.objects.select_related("register_entry__book").get(code=code)
        text = str(DONE.get(action, ""))
        if action == "register":
            text = _("Akta dicatat di Buku Register PPAT nomor %(number)s.") % {
                "number": case.register_entry.number_display}
        elif action == "resubmit" and case.state == S.RETURNED:
            text = _("Berkas masih belum lengkap.")
        messages.success(request, text)
        del result
    return redirect("deeds:detail", code=code)


# --- the Camat's calendar -----------------------------------------------------------------------------

@staff_required
@require_GET
def calendar(request):
    """Two weeks of sidang from ?dari=YYYY-MM-DD (today when absent or malformed)."""
    today = timezone.localdate()
    try:
        # Two weeks from the start must stay inside the window too.
        start = date_parse(request.GET.get("dari", ""), label=_("Tanggal 'dari'"),
                           latest=inputs.LATEST - dt.timedelta(days=13)) or today
    except inputs.InputProblem as exc:
        messages.warning(request, _("%(problem)s Ditampilkan mulai hari ini.") % {"problem": exc})
        start = today
    end = start + dt.timedelta(days=13)
    signings = selectors.calendar(office=_office(request), start=start, end=end)
    days = []
    for i in range(14):
        d = start + dt.timedelta(days=i)
        days.append((d, [s for s in signings if timezone.localtime(s.starts_at).date() == d]))
    return render(request, "deeds/calendar.html", {
        "days": days, "start": start, "end": end, "prev": start - dt.timedelta(days=14),
        "next": end + dt.timedelta(days=1), "today": today,
    })
