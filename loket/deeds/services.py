"""Acts on deed cases (akta tanah, the Camat as PPAT Sementara), per the standard's procedure
for service 17:

1. Berkas diterima front office dan diverifikasi (``case_intake``; incomplete → returned,
   ``case_resubmit``); lengkap → diteruskan ke Petugas PPAT (``case_forward``).
2. The Petugas PPAT prepares the deed, records the tax proofs (``taxproof_record``), and may
   stop the clock while the applicant completes documents (``case_wait`` / ``case_resume``).
3. The Kasi Pemerintahan validates (``case_validate``; komponen 11).
4. The sidang is scheduled with the Camat, the parties and two witnesses (``signing_schedule``);
   the Camat's calendar cannot hold two at once (``Taken``).
5. The Camat signs (``case_sign``); the deed is written in the Buku Register PPAT
   (``case_register``, number/year, gap-free) and handed over for the land office
   (``case_handover``). Before signing a case can be withdrawn (``case_withdraw``).

Every act: keyword-only arguments, one transaction, a Transition with the new state.
Refusals: PermissionDenied (role), WrongState (state), InvalidInput (fields, Indonesian),
Taken (the Camat's half-hour is held by another sidang).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from loket.catalog.models import Edition, ServiceType
from loket.core import money
from loket.core.inputs import InputProblem, date_parse
from loket.deeds import fees, inputs
from loket.deeds.policy import ACTS, INTAKE_ROLES, RATE_ROLES, appointment_of
from loket.deeds.taxes import pbb_years
from loket.deeds.models import (Case, CaseItem, Cause, CertificateCheck, DeedKind, Party, Pause, PpatAppointment, Setting, Signing, SigningSlot,
                                TaxProof, TaxRule, Transition)
from loket.core import codes, flow
from loket.core import errors
from loket.core.errors import InvalidInput
from loket.offices.models import Office
from loket.offices.roles import staff_of
from loket.registers.models import RegisterBook
from loket.registers.services import register_entry_add

S = Case.State
SERVICE_CODE = "ppat"
# The thresholds loket setup enters, with their source; the office corrects them in the admin
# (its Perda may set a higher NPOPTKP). The standard's "lebih dari 60 jt" is the PPh's, never the
# BPHTB's: UU 1/2022 (HKPD) Pasal 46 sets the NPOPTKP at least Rp 80 juta, and at least Rp 300 juta
# for an inheritance or hibah wasiat in the family.
BPHTB_SOURCE = ("NPOPTKP BPHTB: UU 1/2022 (HKPD) Pasal 46 ayat (5), paling sedikit Rp 80.000.000; "
                "perolehan karena waris/ hibah wasiat dalam hubungan keluarga sedarah garis lurus paling sedikit "
                "Rp 300.000.000 (ayat tidak diverifikasi). Sesuaikan dengan Perda BPHTB daerah ini.")
PPH_SOURCE = ("PPh final pengalihan hak: PP 34/2016 Pasal 6 (dikecualikan: orang pribadi berpenghasilan di bawah PTKP "
              "dengan pengalihan kurang dari Rp 60.000.000, huruf tidak diverifikasi; waris dengan SKB, huruf d); "
              "standar pelayanan: bukti SSP untuk perolehan lebih dari 60 jt.")
SEED_RULES = {  # (tax, cause) → threshold
    ("bphtb", ""): 80_000_000, ("bphtb", "warisan"): 300_000_000,
    ("pph", ""): 60_000_000, ("pph", "warisan"): 60_000_000,
}
SEED_TAX_THRESHOLD = SEED_RULES["pph", ""]  # "untuk perolehan tanah lebih dari 60 jt": the PPh's only
SLOT = dt.timedelta(minutes=30)
# The checklist's conditions (condition_key of the edition's requirements) follow from the case.
CONDITIONS = {
    "pengurusan_waris": lambda kind, proxy, cause: cause == Cause.WARISAN,
    "jual_beli": lambda kind, proxy, cause: kind == DeedKind.JUAL_BELI,
    "penyerahan_hak_hibah": lambda kind, proxy, cause: kind in (DeedKind.HIBAH, DeedKind.PENYERAHAN),
    "dikuasakan": lambda kind, proxy, cause: proxy,
}
# The deeds by which a right is acquired (BPHTB, UU 1/2022 Pasal 44) or transferred (PPh, PP 34/2016):
# not the Hak Tanggungan and its power of attorney, nor the help with a certificate.
TRANSFERS = [k for k in DeedKind if k not in (DeedKind.SERTIFIKAT, DeedKind.HAK_TANGGUNGAN, DeedKind.SKMHT)]


class Taken(errors.Taken):
    """The Camat already has a sidang at that time (HTTP 409)."""


# --- who may act --------------------------------------------------------------------------------

def _staff(actor, office: Office, *roles: str, what: str):
    staff = staff_of(actor)
    if staff is None or staff.role not in roles:
        raise PermissionDenied(f"{what}.")
    if staff.office_id != office.pk:
        raise PermissionDenied("Petugas ini bukan petugas kantor ini.")
    return staff


# --- the office's data ----------------------------------------------------------------------------

def setting_of(office: Office) -> Setting:
    return Setting.objects.get_or_create(office=office)[0]


@transaction.atomic
def fee_rate_set(*, office: Office, actor, rate) -> Setting:
    """The Camat (as PPAT) or the admin sets the office's fee rate, at most the cap."""
    _staff(actor, office, *RATE_ROLES, what="Tarif uang jasa PPAT diatur oleh Camat atau admin")
    service = service_of(office)
    try:
        value = fees.rate_check(rate, fees.cap_percent(service))
    except fees.FeeError as exc:
        raise InvalidInput({exc.field: [str(exc)]}) from None
    setting = Setting.objects.select_for_update().get_or_create(office=office)[0]
    setting.fee_rate = value
    setting.save(update_fields=["fee_rate", "updated_at"])
    return setting


def tax_rules_default_create(*, office: Office) -> int:
    """The thresholds for every deed that transfers a right, where the office has none yet (SSB above
    the NPOPTKP of UU 1/2022 Pasal 46: Rp 80 juta, Rp 300 juta for an inheritance; SSP above the
    standard's Rp 60 juta), each with its source; the office corrects them in the admin."""
    made = 0
    for kind, cause in [(k, "") for k in TRANSFERS] + [(DeedKind.PEMBAGIAN, Cause.WARISAN)]:
        for tax in TaxRule.Tax:
            made += TaxRule.objects.get_or_create(
                office=office, deed_kind=kind, cause=cause, tax=tax,
                defaults={"above": SEED_RULES[tax, cause],
                          "source": BPHTB_SOURCE if tax == TaxRule.Tax.BPHTB else PPH_SOURCE})[1]
    setting_of(office)
    return made


def ppat_appointment_record(*, office: Office, staff, decree_number: str, decree_date: dt.date, area: str,
                            valid_from: dt.date, valid_until: dt.date | None = None) -> PpatAppointment:
    """Record an SK PPAT Sementara (the admin page does the same through the model's clean)."""
    if staff.office_id != office.pk:
        raise InvalidInput({"staff": ["Pegawai ini bukan pegawai kantor ini."]})
    if valid_until and valid_until < valid_from:
        raise InvalidInput({"valid_until": ["Tanggal akhir berlaku tidak boleh sebelum tanggal mulai."]})
    return PpatAppointment.objects.create(office=office, staff=staff, decree_number=decree_number,
                                          decree_date=decree_date, area=area, valid_from=valid_from,
                                          valid_until=valid_until)


DEMO_DECREE = "DEMO/PPATS/2026 (data demo, bukan SK resmi)"


def ppat_appointment_demo_create(*, office: Office) -> int:
    """``loket setup --demo``: an SK PPAT Sementara for each demo Camat of the office that has
    none, marked as demo data, so that the demo deeds can be signed."""
    from loket.offices.models import Staff
    from loket.offices.roles import Role

    made = 0
    for staff in Staff.objects.filter(office=office, role=Role.CAMAT, user__is_active=True):
        if not PpatAppointment.objects.filter(staff=staff).exists():
            ppat_appointment_record(office=office, staff=staff, decree_number=DEMO_DECREE,
                                    decree_date=dt.date(2026, 1, 2), area=office.name, valid_from=dt.date(2026, 1, 2))
            made += 1
    return made


def service_of(office: Office) -> ServiceType:
    service = (ServiceType.objects.filter(edition__office=office, edition__status=Edition.Status.ACTIVE,
                                          code=SERVICE_CODE).prefetch_related("requirements").first())
    if service is None:
        raise InvalidInput({"service": ["Standar pelayanan yang berlaku tidak memuat layanan akta tanah (PPAT)."]})
    return service


def _fee(*, service, office, value: int, data: dict) -> fees.FeeQuote:
    free = data.get("fee_free") in (True, "1", "on", "true")
    raw = data.get("fee")
    fee = None
    if raw not in (None, ""):
        errors: dict[str, list[str]] = {}
        fee = inputs.whole(errors, {"fee": raw}, "fee", "Uang jasa")
        if errors:
            raise InvalidInput(errors)
    try:
        cap = fees.cap_percent(service)
        # a rate set under an older edition never lifts the fee above the edition now in force
        rate = min(setting_of(office).fee_rate, cap)
        return fees.fee_quote(value=value, rate=rate, fee=fee, free=free, cap_percent=cap)
    except fees.FeeError as exc:
        raise InvalidInput({exc.field: [str(exc)]}) from None


def fee_for(*, office: Office, value, fee=None, free: bool = False) -> fees.FeeQuote:
    """The quote shown before intake (screen and API): the office's rate, the cap, the fee."""
    errors: dict[str, list[str]] = {}
    value = inputs.whole(errors, {"value": value}, "value", "Harga transaksi/ nilai perolehan")
    if errors:
        raise InvalidInput(errors)
    return _fee(service=service_of(office), office=office, value=value, data={"fee": fee, "fee_free": free})


# --- the checklist ---------------------------------------------------------------------------------

def answers_of(kind: str, proxy: bool, cause: str = "") -> dict[str, bool]:
    return {key: rule(kind, proxy, cause) for key, rule in CONDITIONS.items()}


def _applicable(service: ServiceType, answers: dict) -> list:
    return [r for r in service.requirements.all() if not r.condition_key or answers.get(r.condition_key)]


def _ids(values) -> set[int]:
    out = set()
    for v in values or ():
        try:
            out.add(int(v))
        except (TypeError, ValueError):
            raise InvalidInput({"present": ["Daftar persyaratan tidak valid."]}) from None
    return out


def _check(case: Case, present, originals) -> list[str]:
    """Tick the checklist; the texts of what is missing (an original not shown counts)."""
    present, originals = _ids(present), _ids(originals)
    missing = []
    items = list(case.items.select_related("requirement"))
    for item in items:
        item.present = item.requirement_id in present
        item.original_shown = item.requirement_id in originals
    CaseItem.objects.bulk_update(items, ["present", "original_shown"])
    for item in items:
        if not item.present:
            missing.append(item.requirement.text)
        elif item.requirement.show_original and not item.original_shown:
            missing.append(f"{item.requirement.text} (asli belum ditunjukkan)")
    return missing


# --- acts --------------------------------------------------------------------------------------------

_move = partial(flow.move, history=Transition, link="case")  # the new state and its Transition together


def _locked(code: str) -> Case:
    return flow.locked(Case.objects.select_related("office", "service"), code=codes.normalise(code),
                       missing=f"Berkas akta {code} tidak ditemukan.")


def case_intake(*, office: Office, actor, data: dict, present=(), originals=()) -> Case:
    """Penerimaan berkas at the counter: the case, its parties, land, value and fee, and the
    checklist of the edition with only the items that apply. Complete → received (the clock
    starts); incomplete → returned with what is missing."""
    _staff(actor, office, *INTAKE_ROLES, what="Berkas akta diterima oleh petugas pelayanan (front office)")
    service = service_of(office)
    now = timezone.now()

    def write(code: str) -> Case:
        # One transaction (flow.new_code's), as the act was: on a clash of codes all of it is
        # tried again (the fee reads, and may first create, the office's setting).
        c, parties = inputs.case_clean(office=office, data=data, today=timezone.localdate())
        quote = _fee(service=service, office=office, value=c["value"], data=data)
        proxy = any(p["proxy_name"] for p in parties)
        answers = answers_of(c["deed_kind"], proxy, c["cause"])
        case = Case.objects.create(
            office=office, code=code, service=service, state=S.RECEIVED, answers=answers, by_proxy=proxy,
            fee_rate=quote.rate, fee=quote.fee, fee_free=quote.free, received_at=now, received_by=actor, **c)
        Party.objects.bulk_create([
            Party(case=case, role=p["role"], name=p["name"], nik=p["nik"], address=p["address"],
                  share_num=p["share"].numerator if p.get("share") else None,
                  share_den=p["share"].denominator if p.get("share") else None,
                  proxy_name=p["proxy_name"], proxy_letter=p["proxy_letter"], order=p["order"]) for p in parties])
        CaseItem.objects.bulk_create([CaseItem(case=case, requirement=r) for r in _applicable(service, answers)])
        missing = _check(case, present, originals)
        Transition.objects.create(case=case, from_state="", to_state=S.RECEIVED, actor=actor, at=now)
        if missing:
            return _move(case, to=S.RETURNED, actor=actor, note="Berkas belum lengkap.", missing=missing)
        case.clock_started_at = now
        case.save(update_fields=["clock_started_at"])
        return case

    return flow.new_code(write)


@transaction.atomic
def case_resubmit(*, code: str, actor, present=(), originals=()) -> Case:
    """The applicant comes back with the missing documents."""
    case = _locked(code)
    flow.authorise(ACTS, "resubmit", actor, case)
    missing = _check(case, present, originals)
    if missing:
        return _move(case, to=S.RETURNED, actor=actor, note="Berkas masih belum lengkap.", missing=missing)
    if case.clock_started_at is None:
        case.clock_started_at = timezone.now()
    return _move(case, to=S.RECEIVED, actor=actor, fields=("clock_started_at",))


@transaction.atomic
def case_forward(*, code: str, actor) -> Case:
    case = _locked(code)
    flow.authorise(ACTS, "forward", actor, case)
    return _move(case, to=S.PREPARING, actor=actor)


@transaction.atomic
def taxproof_record(*, code: str, actor, kind: str, number: str, paid_on, amount, year: int | None = None) -> TaxProof:
    """The Petugas PPAT records a tax proof (a PBB receipt of a year, the SSB or the SSP); a second
    record of the same proof replaces the first until the deed is validated."""
    case = _locked(code)
    flow.authorise(ACTS, "taxproof", actor, case)
    errors: dict[str, list[str]] = {}
    if kind not in TaxProof.Kind.values:
        errors["kind"] = ["Jenis bukti pajak tidak dikenal (pbb, bphtb, pph)."]
    data = {"number": number, "amount": amount, "year": year}
    number = inputs.text(errors, data, "number", "Nomor bukti")
    amount = inputs.whole(errors, data, "amount", "Jumlah dibayar", lo=1)
    if kind == TaxProof.Kind.PBB:
        years = pbb_years(case)
        year = inputs.whole(errors, data, "year", "Tahun pajak", lo=years[0], hi=years[-1] + 1)  # the current year too
    elif year not in (None, 0, ""):
        errors["year"] = ["Tahun hanya untuk bukti pelunasan PBB."]
    else:
        year = 0
    if isinstance(paid_on, dt.datetime):
        paid_on = timezone.localtime(paid_on).date() if timezone.is_aware(paid_on) else paid_on.date()
    try:
        paid_on = date_parse(paid_on, label="Tanggal bayar", latest=timezone.localdate(),
                             after_text="Tanggal bayar tidak boleh setelah hari ini.")
    except InputProblem as exc:
        errors["paid_on"] = [str(exc)]
    else:
        if paid_on is None:
            errors["paid_on"] = ["Tanggal bayar wajib diisi (TTTT-BB-HH)."]
    if errors:
        raise InvalidInput(errors)
    proof, _ = TaxProof.objects.update_or_create(
        case=case, kind=kind, year=year,
        defaults={"number": number, "paid_on": paid_on, "amount": amount, "recorded_by": actor,
                  "recorded_at": timezone.now()})
    Transition.objects.create(case=case, from_state=case.state, to_state=case.state, actor=actor, at=timezone.now(),
                              note=f"Bukti pajak: {proof.get_kind_display()}{f' {year}' if year else ''} no. {number}")
    return proof


@transaction.atomic
def certificate_check_record(*, code: str, actor, checked_on, result: str, note: str = "") -> CertificateCheck:
    """The Petugas PPAT records the check of the certificate at the Kantor Pertanahan (date and
    result); without a passing one the Camat cannot sign (PP 24/1997 Pasal 39 ayat (1))."""
    case = _locked(code)
    flow.authorise(ACTS, "certcheck", actor, case)
    errors: dict[str, list[str]] = {}
    if result not in CertificateCheck.Result.values:
        errors["result"] = ["Hasil pengecekan: sesuai atau tidak_sesuai."]
    note = inputs.text(errors, {"note": note}, "note", "Keterangan", required=result == CertificateCheck.Result.TIDAK_SESUAI)
    try:
        checked_on = date_parse(checked_on, label="Tanggal pengecekan", latest=timezone.localdate(),
                                after_text="Tanggal pengecekan tidak boleh setelah hari ini.")
    except InputProblem as exc:
        errors["checked_on"] = [str(exc)]
    else:
        if checked_on is None:
            errors["checked_on"] = ["Tanggal pengecekan wajib diisi (TTTT-BB-HH)."]
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    check = CertificateCheck.objects.create(case=case, checked_on=checked_on, result=result, note=note,
                                            recorded_by=actor, recorded_at=now)
    Transition.objects.create(case=case, from_state=case.state, to_state=case.state, actor=actor, at=now,
                              note=f"Pengecekan sertipikat {checked_on:%d-%m-%Y}: {check.get_result_display().lower()}"
                                   + (f" ({note})" if note else ""))
    return check


@transaction.atomic
def case_wait(*, code: str, actor, reason: str) -> Case:
    """The applicant must complete documents: the clock stops until ``case_resume``."""
    case = _locked(code)
    flow.authorise(ACTS, "wait", actor, case)
    reason = inputs.text(errors := {}, {"reason": reason}, "reason", "Kekurangan yang diminta")
    if errors:
        raise InvalidInput(errors)
    Pause.objects.create(case=case, started_at=timezone.now(), reason=reason)
    return _move(case, to=S.WAITING, actor=actor, note=reason)


@transaction.atomic
def case_resume(*, code: str, actor, note: str = "") -> Case:
    case = _locked(code)
    flow.authorise(ACTS, "resume", actor, case)
    note = inputs.text(errors := {}, {"note": note}, "note", "Catatan", required=False)
    if errors:  # refused, not cut short: a note is kept whole or not at all
        raise InvalidInput(errors)
    Pause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=timezone.now())
    return _move(case, to=S.PREPARING, actor=actor, note=note)


@transaction.atomic
def case_validate(*, code: str, actor) -> Case:
    """The Kasi Pemerintahan validates the prepared deed; the tax proofs must be complete."""
    case = _locked(code)
    staff = flow.authorise(ACTS, "validate", actor, case)  # the tax proofs complete too (policy)
    case.validated_by, case.validated_at = staff.user, timezone.now()
    return _move(case, to=S.VALIDATED, actor=actor, fields=("validated_by", "validated_at"))


@transaction.atomic
def signing_schedule(*, code: str, actor, data: dict) -> Signing:
    """The Petugas PPAT schedules (or moves) the sidang; the Camat's half-hours are held so that
    two sidang never meet, also when two officers press at the same moment."""
    case = _locked(code)
    flow.authorise(ACTS, "schedule", actor, case)
    s = inputs.signing_clean(data, timezone.now(), case.office_id)
    old = Signing.objects.filter(case=case, cancelled=False).first()
    if old is not None:
        SigningSlot.objects.filter(signing=old, released=False).update(released=True)
        old.cancelled = True
        old.save(update_fields=["cancelled"])
    signing = Signing.objects.create(case=case, scheduled_by=actor, scheduled_at=timezone.now(), **s)
    slots = [SigningSlot(signing=signing, office_id=case.office_id, start=s["starts_at"] + i * SLOT)
             for i in range(s["minutes"] // 30)]
    try:
        with transaction.atomic():
            SigningSlot.objects.bulk_create(slots)
    except IntegrityError:
        raise Taken("Camat sudah dijadwalkan sidang lain pada waktu itu. Pilih waktu lain.") from None
    when = timezone.localtime(s["starts_at"])
    _move(case, to=S.SCHEDULED, actor=actor, note=f"Sidang {when:%d-%m-%Y %H:%M}, {s['place']}")
    return signing


@transaction.atomic
def case_sign(*, code: str, actor) -> Case:
    """The Camat, as PPAT Sementara, signs the deed at the sidang (not before it begins)."""
    case = _locked(code)
    staff = flow.authorise(ACTS, "sign", actor, case)  # appointed; not before the sidang begins (policy)
    now = timezone.now()
    case.signed_by, case.signed_at = staff.user, now
    case.appointment = appointment_of(staff, timezone.localdate(now))
    return _move(case, to=S.SIGNED, actor=actor, fields=("signed_by", "signed_at", "appointment"))


def _parties_text(case: Case) -> str:
    names = [p.name for p in case.parties.all()]
    return (", ".join(names[:3]) + (f" dan {len(names) - 3} lainnya" if len(names) > 3 else ""))[:250]


@transaction.atomic
def case_register(*, code: str, actor) -> Case:
    """Dicatat dalam Buku Register PPAT: the deed's number for the year (number/year), gap-free."""
    case = _locked(code)
    flow.authorise(ACTS, "register", actor, case)
    case.register_entry = register_entry_add(
        office_id=case.office_id, kind=RegisterBook.Kind.PPAT, actor=actor,
        subject=f"{case.kind_label}: {case.get_land_title_display().split(' (')[0]} "
                f"{case.land_reference}, {case.area_m2} m²",
        name=_parties_text(case), reference=case.code, kelurahan=case.kelurahan.name,
        note=f"Harga Rp {money.thousands(case.value)}; NOP {case.nop}",
    )
    return _move(case, to=S.REGISTERED, actor=actor, fields=("register_entry",))


@transaction.atomic
def case_handover(*, code: str, actor, to: str) -> Case:
    """The deed goes to the applicant, to be taken to the land office (BPN)."""
    case = _locked(code)
    flow.authorise(ACTS, "handover", actor, case)
    to = inputs.text(errors := {}, {"to": to}, "to", "Diterima oleh")
    if errors:
        raise InvalidInput(errors)
    case.handed_over_to, case.done_at = to, timezone.now()
    return _move(case, to=S.HANDED_OVER, actor=actor, note=to, fields=("handed_over_to", "done_at"))


@transaction.atomic
def case_deliver(*, code: str, actor, delivered_on, receipt: str) -> Case:
    """The Petugas PPAT records the delivery of the signed deed and its documents to the Kantor
    Pertanahan (PP 24/1997 Pasal 40 ayat (1): within 7 working days of signing): the day and the
    land office's receipt number (tanda terima). Once; the state stays."""
    case = _locked(code)
    flow.authorise(ACTS, "deliver", actor, case)
    errors: dict[str, list[str]] = {}
    receipt = inputs.text(errors, {"receipt": receipt}, "receipt", "Nomor tanda terima Kantor Pertanahan", limit=80)
    signed = timezone.localdate(case.signed_at)
    try:
        # never after today (nor before the signing day, below)
        delivered_on = date_parse(delivered_on, label="Tanggal penyampaian", latest=max(timezone.localdate(), signed),
                                  after_text="Tanggal penyampaian tidak boleh setelah hari ini.")
    except InputProblem as exc:
        errors["delivered_on"] = [str(exc)]
    else:
        if delivered_on is None:
            errors["delivered_on"] = ["Tanggal penyampaian wajib diisi (TTTT-BB-HH)."]
        elif delivered_on < signed:
            errors["delivered_on"] = [f"Tanggal penyampaian tidak boleh sebelum akta ditandatangani ({signed:%d-%m-%Y})."]
    if errors:
        raise InvalidInput(errors)
    case.delivered_on, case.delivery_receipt, case.delivered_by = delivered_on, receipt, actor
    case.save(update_fields=["delivered_on", "delivery_receipt", "delivered_by", "updated_at"])
    Transition.objects.create(case=case, from_state=case.state, to_state=case.state, actor=actor, at=timezone.now(),
                              note=f"Disampaikan ke Kantor Pertanahan {delivered_on:%d-%m-%Y}, tanda terima {receipt}")
    return case


@transaction.atomic
def case_withdraw(*, code: str, actor, reason: str) -> Case:
    """Before signing the applicant may withdraw (or the office ends a case that cannot go on);
    the sidang's half-hours are freed and the clock stops."""
    case = _locked(code)
    flow.authorise(ACTS, "withdraw", actor, case)
    reason = inputs.text(errors := {}, {"reason": reason}, "reason", "Alasan pembatalan")
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    SigningSlot.objects.filter(signing__case=case, released=False).update(released=True)
    Signing.objects.filter(case=case, cancelled=False).update(cancelled=True)
    Pause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    case.withdraw_reason, case.done_at = reason, now
    return _move(case, to=S.WITHDRAWN, actor=actor, note=reason, fields=("withdraw_reason", "done_at"))


# The act each name runs, for the screens and the API alike (core.flow.perform); the names are
# those of policy.ACTS and of the API's path.
RUN = {
    "resubmit": case_resubmit, "forward": case_forward, "taxproof": taxproof_record,
    "certcheck": certificate_check_record, "wait": case_wait,
    "resume": case_resume, "validate": case_validate, "schedule": signing_schedule, "sign": case_sign,
    "register": case_register, "handover": case_handover, "deliver": case_deliver, "withdraw": case_withdraw,
}
