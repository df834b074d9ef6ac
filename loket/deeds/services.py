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
import re
from fractions import Fraction
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from loket.catalog.models import Edition, ServiceType
from loket.core import money
from loket.core.inputs import InputProblem, date_parse
from loket.deeds import fees
from loket.deeds.policy import (ACTS, INTAKE_ROLES, RATE_ROLES, VALIDATOR_UNIT, WITHDRAWABLE, acts_allowed, is_validator,  # noqa: F401
                                may_read_personal)  # (screens, API and tests read them here)
from loket.deeds.taxes import PBB_YEARS, pbb_years, taxes_missing, taxes_needed  # noqa: F401
from loket.deeds.models import (Case, CaseItem, DeedKind, Party, PartyRole, Pause, Setting, Signing, SigningSlot,
                                TaxProof, TaxRule, Transition)
from loket.core import codes, flow
from loket.core.nik import NikError, nik_parse
from loket.core import errors
from loket.core.errors import InvalidInput, WrongState
from loket.offices.calendar import holidays_for_office, is_working_day
from loket.offices.models import Kelurahan, Office
from loket.offices.roles import Role, staff_of
from loket.registers.models import RegisterBook
from loket.registers.services import register_entry_add

S = Case.State
SERVICE_CODE = "ppat"
SEED_TAX_THRESHOLD = 60_000_000  # "untuk perolehan tanah lebih dari 60 jt"
SLOT = dt.timedelta(minutes=30)
SIGNING_AHEAD_DAYS = 366  # a sidang further ahead is a typing error
SIGNING_MINUTES = (30, 60, 90, 120)
SIGNING_HOURS = (dt.time(7, 30), dt.time(15, 30))  # a sidang lies within these (Asia/Jakarta)
MAX_PARTIES = 40
MAX_AREA_M2 = 100_000_000  # 10 000 ha: a larger number is a typing error
TEXT_MAX = {"name": 150, "address": 250, "proxy_name": 150, "proxy_letter": 120, "land_reference": 80,
            "land_address": 250, "note": 2000, "reason": 2000, "place": 150, "witness": 150, "to": 150,
            "number": 60}

# Who takes part in each deed, and which roles must be there (at least one each).
ROLES = {
    DeedKind.JUAL_BELI: ((PartyRole.PENJUAL, PartyRole.PEMBELI), (PartyRole.PENJUAL, PartyRole.PEMBELI)),
    DeedKind.HIBAH: ((PartyRole.PEMBERI_HIBAH, PartyRole.PENERIMA_HIBAH),
                     (PartyRole.PEMBERI_HIBAH, PartyRole.PENERIMA_HIBAH)),
    DeedKind.WARIS: ((PartyRole.PEWARIS, PartyRole.AHLI_WARIS), (PartyRole.PEWARIS, PartyRole.AHLI_WARIS)),
    DeedKind.PEMBAGIAN: ((PartyRole.PEMEGANG_HAK,), (PartyRole.PEMEGANG_HAK,)),
    DeedKind.PENYERAHAN: ((PartyRole.PENYERAH_HAK, PartyRole.PENERIMA_HAK),
                          (PartyRole.PENYERAH_HAK, PartyRole.PENERIMA_HAK)),
    DeedKind.SERTIFIKAT: ((PartyRole.PEMOHON,), (PartyRole.PEMOHON,)),
}
SHARED = {DeedKind.WARIS: PartyRole.AHLI_WARIS, DeedKind.PEMBAGIAN: PartyRole.PEMEGANG_HAK}  # shares add up to 1
# The checklist's conditions (condition_key of the edition's requirements) follow from the case.
CONDITIONS = {
    "pengurusan_waris": lambda kind, proxy: kind == DeedKind.WARIS,
    "jual_beli": lambda kind, proxy: kind == DeedKind.JUAL_BELI,
    "penyerahan_hak_hibah": lambda kind, proxy: kind in (DeedKind.HIBAH, DeedKind.PENYERAHAN),
    "dikuasakan": lambda kind, proxy: proxy,
}
TRANSFERS = [k for k in DeedKind if k != DeedKind.SERTIFIKAT]


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
    """The standard's thresholds (SSB and SSP above Rp 60 juta) for every deed that transfers a
    right, where the office has none yet; the office corrects them in the admin."""
    made = 0
    for kind in TRANSFERS:
        for tax in TaxRule.Tax:
            made += TaxRule.objects.get_or_create(office=office, deed_kind=kind, tax=tax,
                                                  defaults={"above": SEED_TAX_THRESHOLD})[1]
    setting_of(office)
    return made


def service_of(office: Office) -> ServiceType:
    service = (ServiceType.objects.filter(edition__office=office, edition__status=Edition.Status.ACTIVE,
                                          code=SERVICE_CODE).prefetch_related("requirements").first())
    if service is None:
        raise InvalidInput({"service": ["Standar pelayanan yang berlaku tidak memuat layanan akta tanah (PPAT)."]})
    return service


# --- checking what was typed ------------------------------------------------------------------------

def _text(errors, data, field, label, *, required=True, limit=None) -> str:
    value = str(data.get(field) or "").strip()
    limit = limit or TEXT_MAX.get(field, 250)
    if required and not value:
        errors.setdefault(field, []).append(f"{label} wajib diisi.")
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"{label} paling panjang {limit} karakter.")
    return value


def _int(errors, data, field, label, *, lo=0, hi=fees.MAX_VALUE) -> int | None:
    raw = data.get(field)
    if isinstance(raw, str):
        try:  # 150000000 or 150.000.000 (1.5 is no rupiah amount); the label's message below otherwise
            raw = money.rupiah_parse(raw)
        except money.AmountError:
            pass
    if isinstance(raw, bool) or not isinstance(raw, int):
        errors.setdefault(field, []).append(f"{label} harus berupa bilangan bulat.")
        return None
    if not lo <= raw <= hi:
        errors.setdefault(field, []).append(f"{label} harus antara {money.thousands(lo)} dan {money.thousands(hi)}.")
        return None
    return raw


def _share(raw) -> Fraction | None | str:
    text = str(raw or "").strip().replace(" ", "")
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,6})/(\d{1,6})", text)
    if not m or int(m[1]) < 1 or int(m[2]) < 1 or int(m[1]) > int(m[2]):
        return "error"
    return Fraction(int(m[1]), int(m[2]))


def parties_clean(kind: str, raw: list, today: dt.date) -> tuple[list[dict], dict[str, list[str]]]:
    """The parties as typed → rows for Party, and field errors keyed ``parties[i].field``."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, list) or not raw:
        return [], {"parties": ["Para pihak wajib diisi."]}
    if len(raw) > MAX_PARTIES:
        return [], {"parties": [f"Paling banyak {MAX_PARTIES} pihak dalam satu akta."]}
    allowed, needed = ROLES[DeedKind(kind)]
    rows = []
    for i, p in enumerate(raw):
        p = p if isinstance(p, dict) else {}
        e: dict[str, list[str]] = {}
        role = str(p.get("role") or "")
        if role not in allowed:
            names = ", ".join(PartyRole(r).label.lower() for r in allowed)
            e.setdefault("role", []).append(f"Peran pihak pada {DeedKind(kind).label} hanya: {names}.")
        row = {"role": role, "order": i,
               "name": _text(e, p, "name", "Nama"), "address": _text(e, p, "address", "Alamat", required=False),
               "proxy_name": _text(e, p, "proxy_name", "Nama penerima kuasa", required=False),
               "proxy_letter": _text(e, p, "proxy_letter", "Surat kuasa", required=False)}
        try:
            row["nik"] = nik_parse(str(p.get("nik") or ""), today=today).nik
        except NikError as exc:
            e.setdefault("nik", []).append(str(exc))
        if bool(row["proxy_name"]) != bool(row["proxy_letter"]):
            e.setdefault("proxy_letter", []).append("Kuasa diisi bersama surat kuasanya (nomor dan tanggal).")
        if role == PartyRole.PEWARIS and row["proxy_name"]:
            e.setdefault("proxy_name", []).append("Pewaris telah meninggal; kuasa tidak berlaku.")
        share = _share(p.get("share"))
        if share == "error":
            e.setdefault("share", []).append("Bagian ditulis sebagai pecahan, mis. 1/3.")
        elif share is not None and SHARED.get(kind) != role:
            e.setdefault("share", []).append("Bagian hanya untuk ahli waris atau pemegang hak bersama.")
        elif share is None and SHARED.get(kind) == role:
            e.setdefault("share", []).append("Bagian wajib diisi, mis. 1/3.")
        else:
            row["share"] = share
        for field, msgs in e.items():
            errors[f"parties[{i}].{field}"] = msgs
        rows.append(row)
    present = {r["role"] for r in rows}
    for role in needed:
        if role not in present:
            errors.setdefault("parties", []).append(f"{DeedKind(kind).label} memerlukan {PartyRole(role).label.lower()}.")
    if kind == DeedKind.WARIS and sum(r["role"] == PartyRole.PEWARIS for r in rows) > 1:
        errors.setdefault("parties", []).append("Satu akta waris untuk satu pewaris.")
    if kind == DeedKind.PEMBAGIAN and sum(r["role"] == PartyRole.PEMEGANG_HAK for r in rows) < 2:
        errors.setdefault("parties", []).append("Pembagian hak bersama memerlukan paling sedikit dua pemegang hak.")
    shared = [r["share"] for r in rows if isinstance(r.get("share"), Fraction)]
    if kind in SHARED and shared and not errors and sum(shared) != 1:
        errors.setdefault("parties", []).append(f"Jumlah bagian harus 1; yang diisi {sum(shared)}.")
    niks = [r.get("nik") for r in rows if r.get("nik")]
    if len(niks) != len(set(niks)):
        errors.setdefault("parties", []).append("Satu NIK hanya boleh muncul sekali.")
    return rows, errors


def case_clean(*, office: Office, data: dict, today: dt.date) -> tuple[dict, list[dict]]:
    """Check the case as typed; InvalidInput with every problem at once."""
    errors: dict[str, list[str]] = {}
    kind = str(data.get("deed_kind") or "")
    if kind not in DeedKind.values:
        errors["deed_kind"] = ["Jenis akta tidak dikenal."]
    c = {"deed_kind": kind}
    title = str(data.get("land_title") or "")
    if title not in Case.LandTitle.values:
        errors["land_title"] = ["Alas hak tidak dikenal (Letter C/ persil atau jenis sertifikat)."]
    c["land_title"] = title
    c["land_reference"] = _text(errors, data, "land_reference", "Nomor Letter C/ persil atau sertifikat")
    c["land_address"] = _text(errors, data, "land_address", "Letak tanah", required=False)
    kel = str(data.get("kelurahan") or "").strip()
    c["kelurahan"] = Kelurahan.objects.filter(office=office, code=kel).first() if kel else None
    if c["kelurahan"] is None:
        errors["kelurahan"] = ["Kelurahan letak tanah harus salah satu kelurahan kecamatan ini."]
    c["area_m2"] = _int(errors, data, "area_m2", "Luas tanah (m²)", lo=1, hi=MAX_AREA_M2)
    nop = re.sub(r"[.\-\s]", "", str(data.get("nop") or ""))
    if not re.fullmatch(r"\d{18}", nop):
        errors["nop"] = ["NOP PBB harus 18 angka, mis. 35.77.010.001.001-0001.0."]
    c["nop"] = nop
    c["njop"] = _int(errors, data, "njop", "NJOP")
    c["value"] = _int(errors, data, "value", "Harga transaksi/ nilai perolehan")
    if kind == DeedKind.JUAL_BELI and c["value"] == 0:
        # A sale has a price (KUHPerdata Pasal 1457: jual beli is a transfer "untuk membayar harga");
        # 0 is a typing error, and would also make the fee and the SSB/SSP thresholds meaningless.
        errors.setdefault("value", []).append("Harga jual beli wajib diisi dan lebih dari 0.")
    c["note"] = _text(errors, data, "note", "Catatan", required=False)
    parties = []
    if kind in DeedKind.values:
        parties, party_errors = parties_clean(kind, data.get("parties"), today)
        errors.update(party_errors)
    if errors:
        raise InvalidInput(errors)
    return c, parties


def _fee(*, service, office, value: int, data: dict) -> fees.FeeQuote:
    free = data.get("fee_free") in (True, "1", "on", "true")
    raw = data.get("fee")
    fee = None
    if raw not in (None, ""):
        errors: dict[str, list[str]] = {}
        fee = _int(errors, {"fee": raw}, "fee", "Uang jasa")
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
    value = _int(errors, {"value": value}, "value", "Harga transaksi/ nilai perolehan")
    if errors:
        raise InvalidInput(errors)
    return _fee(service=service_of(office), office=office, value=value, data={"fee": fee, "fee_free": free})


# --- the checklist ---------------------------------------------------------------------------------

def answers_of(kind: str, proxy: bool) -> dict[str, bool]:
    return {key: rule(kind, proxy) for key, rule in CONDITIONS.items()}


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
        c, parties = case_clean(office=office, data=data, today=timezone.localdate())
        quote = _fee(service=service, office=office, value=c["value"], data=data)
        proxy = any(p["proxy_name"] for p in parties)
        answers = answers_of(c["deed_kind"], proxy)
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
    number = _text(errors, data, "number", "Nomor bukti")
    amount = _int(errors, data, "amount", "Jumlah dibayar", lo=1)
    if kind == TaxProof.Kind.PBB:
        years = pbb_years(case)
        year = _int(errors, data, "year", "Tahun pajak", lo=years[0], hi=years[-1] + 1)  # the current year too
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
def case_wait(*, code: str, actor, reason: str) -> Case:
    """The applicant must complete documents: the clock stops until ``case_resume``."""
    case = _locked(code)
    flow.authorise(ACTS, "wait", actor, case)
    reason = _text(errors := {}, {"reason": reason}, "reason", "Kekurangan yang diminta")
    if errors:
        raise InvalidInput(errors)
    Pause.objects.create(case=case, started_at=timezone.now(), reason=reason)
    return _move(case, to=S.WAITING, actor=actor, note=reason)


@transaction.atomic
def case_resume(*, code: str, actor, note: str = "") -> Case:
    case = _locked(code)
    flow.authorise(ACTS, "resume", actor, case)
    note = _text(errors := {}, {"note": note}, "note", "Catatan", required=False)
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


def _signing_clean(data: dict, now: dt.datetime, office_id: int) -> dict:
    errors: dict[str, list[str]] = {}
    out = {"place": _text(errors, data, "place", "Tempat sidang"),
           "witness_1": _text(errors, data, "witness_1", "Saksi pertama", limit=TEXT_MAX["witness"]),
           "witness_2": _text(errors, data, "witness_2", "Saksi kedua", limit=TEXT_MAX["witness"])}
    if out["witness_1"] and out["witness_1"].casefold() == out["witness_2"].casefold():
        errors.setdefault("witness_2", []).append("Dua saksi harus dua orang yang berbeda.")
    minutes = data.get("minutes", 60)
    if isinstance(minutes, str) and minutes.strip().isdigit():
        minutes = int(minutes.strip())
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        minutes = None
    if minutes not in SIGNING_MINUTES:
        errors["minutes"] = ["Lama sidang 30, 60, 90 atau 120 menit."]
    raw = data.get("starts_at")
    starts = None
    if isinstance(raw, dt.datetime):
        starts = raw
    elif isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", raw.strip()):
        try:
            starts = dt.datetime.fromisoformat(raw.strip().replace(" ", "T"))
        except ValueError:
            starts = None
    if starts is None:
        errors["starts_at"] = ["Waktu sidang harus berupa tanggal dan jam, YYYY-MM-DD HH:MM."]
    else:
        if timezone.is_naive(starts):
            starts = timezone.make_aware(starts, timezone.get_default_timezone())
        local = timezone.localtime(starts)
        if local.minute % 30 or local.second or local.microsecond:
            errors["starts_at"] = ["Sidang dimulai pada jam atau setengah jam (mis. 09:00, 09:30)."]
        elif starts <= now:
            errors["starts_at"] = ["Waktu sidang harus setelah sekarang."]
        elif starts > now + dt.timedelta(days=SIGNING_AHEAD_DAYS):
            errors["starts_at"] = ["Sidang dijadwalkan paling lama satu tahun ke depan."]
        elif minutes in SIGNING_MINUTES and not (
                SIGNING_HOURS[0] <= local.time() and (local + dt.timedelta(minutes=minutes)).time() <= SIGNING_HOURS[1]
                and (local + dt.timedelta(minutes=minutes)).date() == local.date()):
            errors["starts_at"] = ["Sidang berlangsung dalam jam kerja, 07.30–15.30."]
        elif not is_working_day(local.date(), holidays_for_office(office_id, years=[local.year])):
            errors["starts_at"] = ["Sidang diadakan pada hari kerja (Senin–Jumat, bukan hari libur)."]
    if errors:
        raise InvalidInput(errors)
    out.update(starts_at=starts, minutes=minutes)
    return out


@transaction.atomic
def signing_schedule(*, code: str, actor, data: dict) -> Signing:
    """The Petugas PPAT schedules (or moves) the sidang; the Camat's half-hours are held so that
    two sidang never meet, also when two officers press at the same moment."""
    case = _locked(code)
    flow.authorise(ACTS, "schedule", actor, case)
    s = _signing_clean(data, timezone.now(), case.office_id)
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
    staff = flow.authorise(ACTS, "sign", actor, case)  # not before the sidang begins (policy)
    now = timezone.now()
    case.signed_by, case.signed_at = staff.user, now
    return _move(case, to=S.SIGNED, actor=actor, fields=("signed_by", "signed_at"))


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
        subject=f"{case.get_deed_kind_display()}: {case.get_land_title_display().split(' (')[0]} "
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
    to = _text(errors := {}, {"to": to}, "to", "Diterima oleh")
    if errors:
        raise InvalidInput(errors)
    case.handed_over_to, case.done_at = to, timezone.now()
    return _move(case, to=S.HANDED_OVER, actor=actor, note=to, fields=("handed_over_to", "done_at"))


@transaction.atomic
def case_withdraw(*, code: str, actor, reason: str) -> Case:
    """Before signing the applicant may withdraw (or the office ends a case that cannot go on);
    the sidang's half-hours are freed and the clock stops."""
    case = _locked(code)
    flow.authorise(ACTS, "withdraw", actor, case)
    reason = _text(errors := {}, {"reason": reason}, "reason", "Alasan pembatalan")
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
    "resubmit": case_resubmit, "forward": case_forward, "taxproof": taxproof_record, "wait": case_wait,
    "resume": case_resume, "validate": case_validate, "schedule": signing_schedule, "sign": case_sign,
    "register": case_register, "handover": case_handover, "withdraw": case_withdraw,
}
