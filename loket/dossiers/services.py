"""Acts on dossiers (berkas). Every change of state goes through a function here.

Each act checks the actor's role and the dossier's state, then writes the new state and its
transition row through ``_move`` in one transaction. Nothing is deleted; a correction is a
new transition.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.db import transaction
from django.utils import timezone

from loket.catalog.models import Edition, ServiceType
from loket.core.errors import InvalidInput, WrongState
from loket.core.inputs import LINE_MAX, LINES_MAX, NOTE_MAX, InputProblem, lines_bounded, text_bounded
from loket.core import codes, flow
from loket.dossiers.models import Applicant, Correction, Dossier, DossierAttachment, DossierItem, Transition
from loket.dossiers.measure import measure_store
from loket.dossiers.policy import ACTS, ATTACH, LETTER, last_return
from loket.core.uploads import UploadRefused, stored_name, upload_check
from loket.core.nik import NikError, kk_parse, nik_check_against, nik_parse
from loket.dossiers.rules import decided_requirements, service_rules_check
from loket.offices.models import Kelurahan, Office, Unit
from loket.offices.roles import Role, require_role, staff_of
from loket.papers.products import legalisation_issue, letter_issue, needs_legalisation
from loket.registers.services import register_entry_add

log = logging.getLogger(__name__)
S = Dossier.State


# --- applicant --------------------------------------------------------------------------

APPLICANT_FIELDS = [
    "nik", "kk_number", "name", "birth_date", "sex", "marital_status", "address", "rt", "rw",
    "kelurahan", "phone", "email",
]


def snapshot_fields(cleaned: dict) -> dict:
    """Cleaned applicant data (applicant_clean) → the dossier's applicant_* fields."""
    return {f"applicant_{field}": cleaned[field] for field in APPLICANT_FIELDS}


def snapshot_of(dossier: Dossier) -> dict:
    """The dossier's applicant data in the shape applicant_clean takes (kelurahan as its code)."""
    data = {field: getattr(dossier, f"applicant_{field}") for field in APPLICANT_FIELDS if field != "kelurahan"}
    data["kelurahan"] = dossier.applicant_kelurahan.code if dossier.applicant_kelurahan_id else ""
    return data


def applicant_clean(*, office: Office, data: dict, today: dt.date | None = None, nik_override: bool = False) -> dict:
    """Validate the applicant's data; return cleaned values or raise InvalidInput with every
    bad field. ``kelurahan`` is a region code of this office, or empty for someone from elsewhere.

    Birth date and sex are read from the NIK (core.nik): left empty, they are taken from it, so
    the clerk types neither. Given, they must agree with it, unless ``nik_override`` (the
    counter's "data NIK tidak sesuai", with its reason recorded by the act): then what was
    typed stands, e.g. a NIK issued before the person's data were corrected."""
    from django.core.validators import validate_email
    from django.core.exceptions import ValidationError

    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def err(field, message):
        errors.setdefault(field, []).append(message)

    def text(field, label, max_len, required=True):
        value = str(data.get(field) or "").strip()
        if required and not value:
            err(field, f"{label} wajib diisi.")
        elif len(value) > max_len:
            err(field, f"{label} paling panjang {max_len} karakter.")
        out[field] = value
        return value

    nik_info = None
    try:
        nik_info = nik_parse(str(data.get("nik") or ""), today=today)
        out["nik"] = nik_info.nik
    except NikError as exc:
        err("nik", str(exc))

    # The KK number is kept when typed (checked as a KK number) but not asked for: the KK itself is
    # a paper of the checklist where a service needs it, and what the office does not need it does
    # not collect (UU 27/2022 Pasal 16 ayat (2) huruf a: collection "terbatas dan spesifik").
    out["kk_number"] = ""
    if str(data.get("kk_number") or "").strip():
        try:
            out["kk_number"] = kk_parse(data.get("kk_number"))
        except NikError as exc:
            err("kk_number", str(exc))

    text("name", "Nama", 150)
    raw_birth = data.get("birth_date")
    birth = None
    if isinstance(raw_birth, dt.date):
        birth = raw_birth
    elif raw_birth:
        try:
            birth = dt.date.fromisoformat(str(raw_birth))
        except ValueError:
            err("birth_date", "Tanggal lahir tidak valid; gunakan format TTTT-BB-HH.")
    elif nik_info:
        birth = nik_info.birth_date  # read from the NIK: nothing to type
    elif "nik" not in errors:
        err("birth_date", "Tanggal lahir wajib diisi.")
    # (a bad NIK with no birth date typed: the NIK's own message says what to fix)
    if birth and birth > today:
        err("birth_date", "Tanggal lahir tidak boleh di masa depan.")
        birth = None
    out["birth_date"] = birth

    sex = str(data.get("sex") or "")
    if not sex and nik_info:
        sex = nik_info.sex
    if sex not in Applicant.Sex.values and (sex or "nik" not in errors):
        err("sex", "Pilih jenis kelamin: L (laki-laki) atau P (perempuan).")
    out["sex"] = sex
    # Asked only where a rule needs it (KTP-el under 17: dossiers.rules); empty otherwise.
    marital = str(data.get("marital_status") or "")
    if marital and marital not in Applicant.MaritalStatus.values:
        err("marital_status", "Pilih status perkawinan dari daftar.")
    out["marital_status"] = marital

    if nik_info and not nik_override and "birth_date" not in errors and "sex" not in errors:
        for field, message in nik_check_against(nik_info, birth_date=birth, sex=sex).items():
            err(field, message)

    text("address", "Alamat", 250)
    rt_rw = str(data.get("rt_rw") or "").strip()
    if rt_rw and not (data.get("rt") or data.get("rw")):
        # The counter types RT/RW as on the KTP, in one field: "003/005", "3/5", "3 5" or "3-5".
        parts = [p for p in re.split(r"[\s/\-.,]+", rt_rw) if p]
        if len(parts) == 2 and all(p.isdigit() and len(p) <= 3 for p in parts):
            data = {**data, "rt": parts[0], "rw": parts[1]}
        else:
            err("rt_rw", "RT/RW ditulis seperti pada KTP: dua angka, masing-masing paling banyak 3 digit, mis. 003/005.")
    for field in ("rt", "rw"):
        value = str(data.get(field) or "").strip()
        if "rt_rw" in errors:
            out[field] = value
            continue
        if not value.isdigit() or len(value) > 3:
            err("rt_rw" if rt_rw else field, f"{field.upper()} harus angka, paling banyak 3 digit.")
        out[field] = value.zfill(3) if value.isdigit() else value

    code = str(data.get("kelurahan") or "").strip()
    out["kelurahan"] = None
    if code:
        kel = Kelurahan.objects.filter(office=office, code=code).first()
        if kel is None:
            err("kelurahan", "Kelurahan tidak dikenal di kecamatan ini.")
        out["kelurahan"] = kel

    # The telephone, like the KK number, is kept when typed (checked as a number) but not required:
    # no requirement of the standard needs it, and it serves only a citizen who wants to be
    # contacted (the dossier is ready, or returned) — UU 27/2022 Pasal 16 ayat (2) huruf a.
    # Something typed that holds no number ("-", "tidak ada") is refused, not taken for empty.
    raw_phone = str(data.get("phone") or "").strip()
    phone = "".join(ch for ch in raw_phone if ch.isdigit() or ch == "+")
    digits = phone.lstrip("+")
    if raw_phone and not (digits and phone.startswith(("08", "+62", "62", "0")) and 9 <= len(digits) <= 15):
        err("phone", "Nomor telepon tidak valid; contoh 081234567890.")
    out["phone"] = phone

    email = str(data.get("email") or "").strip()
    if len(email) > 254:
        err("email", "Alamat email paling panjang 254 karakter.")
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            err("email", "Alamat email tidak valid.")
    out["email"] = email

    if errors:
        raise InvalidInput(errors)
    return out


# --- checklist ----------------------------------------------------------------------------

@dataclass
class ChecklistLine:
    requirement_id: int
    text: str
    present: bool
    original_shown: bool
    show_original: bool

    @property
    def complete(self) -> bool:
        return self.present and (self.original_shown or not self.show_original)

    @property
    def missing_text(self) -> str:
        if not self.present:
            return self.text
        return f"{self.text} (tunjukkan yang asli)"


def applicable_requirements(service: ServiceType, answers: dict) -> list:
    """The requirements that apply: unconditional ones and those whose condition was answered yes."""
    return [r for r in service.requirements.all() if not r.condition_key or answers.get(r.condition_key)]


def conditions_of(service: ServiceType) -> list[tuple[str, str]]:
    """The questions to ask at intake: (condition_key, condition wording), in order, once each."""
    seen: dict[str, str] = {}
    for r in service.requirements.all():
        if r.condition_key and r.condition_key not in seen:
            seen[r.condition_key] = r.condition
    return list(seen.items())


def _checklist(service: ServiceType, answers: dict, present: set[int], originals: set[int]) -> list[ChecklistLine]:
    return [
        ChecklistLine(r.pk, r.text, r.pk in present, r.pk in originals, r.show_original)
        for r in applicable_requirements(service, answers)
    ]


def _clean_answers(service: ServiceType, answers: dict | None, by_proxy: bool) -> dict:
    keys = {k for k, _ in conditions_of(service)}
    out = {k: bool(v) for k, v in (answers or {}).items() if k in keys}
    if "dikuasakan" in keys:
        out["dikuasakan"] = bool(by_proxy)
    return out


def _check_ids(service: ServiceType, ids) -> set[int]:
    valid = {r.pk for r in service.requirements.all()}  # prefetched by the callers
    try:
        chosen = {int(i) for i in (ids or [])}
    except (TypeError, ValueError):
        raise InvalidInput({"items": ["Daftar persyaratan tidak valid."]}) from None
    unknown = chosen - valid
    if unknown:
        raise InvalidInput({"items": [f"Persyaratan {sorted(unknown)} bukan milik layanan ini."]})
    return chosen


# --- the one write path --------------------------------------------------------------------

def _move(
    dossier: Dossier, *, to: str, actor, note: str = "", missing: list[str] | None = None, at=None,
    changed: tuple[str, ...] = (), cancels: Transition | None = None, clock_from=None,
) -> Dossier:
    """New state and its transition row, together (core.flow.move); a dossier received again
    restarts its clock (from ``clock_from`` when given: a cancelled return restarts it from when
    the papers really were complete). ``changed`` names the other fields the act set on the
    dossier; ``cancels`` the return a 'Batalkan pengembalian' undoes."""
    at = at or timezone.now()
    if to == S.RECEIVED:
        dossier.clock_started_at = clock_from or at
        changed = (*changed, "clock_started_at")
    return flow.move(dossier, to, actor=actor, history=Transition, link="dossier", note=note, at=at, fields=changed,
                     missing=missing or [], cancels=cancels)


# The long texts of the standard (lists of regulations, facilities, complaint handling …) are
# never needed to move a dossier; loading and decoding them on every act was most of its cost.
SERVICE_TEXTS = [
    "legal_basis", "facilities", "competence", "complaint_handling", "performance_evaluation",
    "internal_oversight", "staffing", "service_guarantee", "security_guarantee", "fee_notes", "fee_text",
]
# What the acts read of a dossier's service and unit; anything else loads on first use.
_LOCK_RELATED = [
    "service__code", "service__name", "service__register_book", "service__signer", "service__forwarded_to",
    "service__duration_max", "service__duration_unit", "service__edition_id", "service__unit_id",
    "unit__name", "unit__code", "unit__office_id",
]


def _locked(code: str) -> Dossier:
    # get(), not first(): the code is unique, and first() would add an ORDER BY to every act.
    # Few columns: building the SQL for four whole joined tables cost more than running it.
    return flow.locked(
        Dossier.objects.select_related("service", "unit").only(
            *(f.name for f in Dossier._meta.concrete_fields), *_LOCK_RELATED),
        code=codes.normalise(code), missing=f"Berkas {code} tidak ditemukan.")


def _note(value, *, field: str = "note", label: str = "Catatan", required: bool = False) -> str:
    """A note or reason of an act, at most NOTE_MAX characters (core.inputs); InvalidInput otherwise."""
    try:
        return text_bounded(value, label=label, max_len=NOTE_MAX, required=required)
    except InputProblem as exc:
        raise InvalidInput({field: [str(exc)]}) from None


# --- acts -------------------------------------------------------------------------------

@transaction.atomic
def dossier_intake(
    *, office: Office, service_code: str, applicant: dict, actor, present=(), originals=(), answers=None,
    by_proxy: bool = False, proxy_name: str = "", note: str = "", nik_override_reason: str = "",
    confirmed_missing: list[str] | None = None, unit: str = "",
) -> Dossier:
    """Penerimaan berkas at the counter (procedure step 1–2). Complete → received; incomplete →
    returned at once, with the list of what is missing (the return slip prints it).

    ``confirmed_missing``: the counter asks before it saves an incomplete dossier as returned.
    Given (a list), an incomplete dossier is saved only if it is exactly the list of what is
    missing that the clerk confirmed; otherwise IntakeIncomplete names it and nothing is written.

    Birth date and sex come from the NIK unless typed with ``nik_override_reason`` ("data NIK
    tidak sesuai"): the reason is recorded in the note of the intake's transition. Lines of the
    checklist that Loket decides itself (rules.decided_requirements) are recorded as present
    when met.

    ``unit``: the code of the verifying unit, for a service whose unit is chosen at intake
    (``ServiceType.unit_chosen_at_intake``, service 15: "Kasi-Kasi Kecamatan yang terkait"); one
    of the office's Kasi, empty for the service's own unit. The dossier keeps it: the Kasi list,
    the paraf and the return follow the dossier's unit."""
    prep = _intake_prepare(
        office=office, service_code=service_code, applicant=applicant, actor=actor, present=present,
        originals=originals, answers=answers, by_proxy=by_proxy, proxy_name=proxy_name, note=note,
        nik_override_reason=nik_override_reason, unit=unit,
    )
    service, cleaned, lines = prep.service, prep.cleaned, prep.lines
    if prep.missing and confirmed_missing is not None and sorted(confirmed_missing) != sorted(prep.missing):
        raise IntakeIncomplete(prep.missing)
    # The person record is refreshed for looking people up; the dossier keeps its own copy below.
    applicant_obj, _ = Applicant.objects.update_or_create(office=office, nik=cleaned["nik"], defaults=cleaned)
    now = timezone.now()
    dossier = flow.new_code(lambda code: Dossier.objects.create(
        office=office, code=code, service=service, unit=prep.unit,
        applicant=applicant_obj, **snapshot_fields(cleaned), state="", answers=prep.answers, by_proxy=by_proxy,
        proxy_name=proxy_name.strip(), received_at=now, received_by=actor, clock_started_at=now,
    ))
    DossierItem.objects.bulk_create(
        DossierItem(dossier=dossier, requirement_id=l.requirement_id, present=l.present, original_shown=l.original_shown)
        for l in lines
    )
    _move(dossier, to=S.RECEIVED, actor=actor, note=prep.note, at=now)
    if prep.missing:
        _move(dossier, to=S.RETURNED, actor=actor, note="Berkas belum lengkap.", missing=prep.missing, at=now)
    log.info("dossier %s taken in for service %s, state %s", dossier.code, service.code, dossier.state)
    return dossier


NIK_OVERRIDE_MAX = 300
_NIK_FIELDS = {"birth_date": "tanggal lahir", "sex": "jenis kelamin"}


@dataclass
class IntakePrepared:
    """An intake checked whole, nothing written: what dossier_intake saves."""

    service: ServiceType
    cleaned: dict
    answers: dict
    lines: list[ChecklistLine]
    note: str
    unit: Unit

    @property
    def missing(self) -> list[str]:
        return [l.missing_text for l in self.lines if not l.complete]


def _intake_prepare(
    *, office: Office, service_code: str, applicant: dict, actor, present=(), originals=(), answers=None,
    by_proxy: bool = False, proxy_name: str = "", note: str = "", nik_override_reason: str = "", unit: str = "",
) -> IntakePrepared:
    """Every check of an intake (role, office, service, applicant, rules, checklist), no write;
    InvalidInput with every bad field."""
    require_role(actor, Role.FRONT_OFFICE)
    if staff_of(actor).office_id != office.pk:
        raise PermissionDenied("Petugas ini bukan petugas kantor ini.")
    # The service of the edition in force, in one query (at most one row: one active edition
    # per office, codes unique per edition), with its checklist.
    found = list(
        ServiceType.objects.filter(
            edition__office=office, edition__status=Edition.Status.ACTIVE,
            code=service_code, register_book=ServiceType.RegisterBook.PELAYANAN,
        ).select_related("unit").prefetch_related("requirements").defer(*SERVICE_TEXTS)[:1]
    )
    service = found[0] if found else None
    if service is None:
        raise InvalidInput({"service": [f"Layanan '{service_code}' tidak ada di loket berkas standar yang berlaku."]})
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    override = str(nik_override_reason or "").strip()
    if len(override) > NIK_OVERRIDE_MAX:
        errors.setdefault("nik_override_reason", []).append(
            f"Alasan data NIK tidak sesuai paling panjang {NIK_OVERRIDE_MAX} karakter.")
    try:
        cleaned = applicant_clean(office=office, data=applicant, today=today, nik_override=bool(override))
    except InvalidInput as exc:
        errors.update(exc.errors)
        cleaned = None
    differs: list[str] = []
    if cleaned and override:
        info = nik_parse(cleaned["nik"], today=today)
        differs = [label for field, label in _NIK_FIELDS.items()
                   if cleaned[field] != (info.birth_date if field == "birth_date" else info.sex)]
        if not differs:
            errors.setdefault("nik_override_reason", []).append(
                "Tanggal lahir dan jenis kelamin yang diisi sama dengan NIK: isi data yang benar, "
                "atau kosongkan alasan data NIK tidak sesuai.")
    if cleaned:
        for field, message in service_rules_check(service_code=service.code, applicant=cleaned, today=today).items():
            errors.setdefault(field, []).append(message)
    if by_proxy and not proxy_name.strip():
        errors.setdefault("proxy_name", []).append("Nama penerima kuasa wajib diisi bila berkas dikuasakan.")
    elif len(proxy_name.strip()) > 150:
        errors.setdefault("proxy_name", []).append("Nama penerima kuasa paling panjang 150 karakter.")
    try:
        note = text_bounded(note, label="Catatan", max_len=NOTE_MAX)
    except InputProblem as exc:
        errors.setdefault("note", []).append(str(exc))
    present_ids = _check_ids(service, present)
    original_ids = _check_ids(service, originals)
    chosen, why = _intake_unit(service, str(unit or "").strip())
    if why:
        errors.setdefault("unit", []).append(why)
    if errors:
        raise InvalidInput(errors)

    answers = _clean_answers(service, answers, by_proxy)
    decided = decided_requirements(service_code=service.code, requirements=service.requirements.all(),
                                   applicant=cleaned, today=today)
    present_ids |= {pk for pk, d in decided.items() if d.met}
    if differs:  # the reason is part of the history: the intake's transition says it
        said = f"Data NIK tidak sesuai ({' dan '.join(differs)} diisi petugas, bukan dari NIK): {override}"
        note = f"{said}\n{note}" if note else said
    return IntakePrepared(service=service, cleaned=cleaned, answers=answers,
                          lines=_checklist(service, answers, present_ids, original_ids), note=note, unit=chosen)


def intake_units(service: ServiceType) -> list[Unit]:
    """The units the front office may pick at intake: the office's Kasi, for a service whose
    unit is chosen at intake (service 15, "Kasi-Kasi Kecamatan yang terkait"); none otherwise."""
    if not service.unit_chosen_at_intake:
        return []
    return list(Unit.objects.filter(office_id=service.unit.office_id, kind=Unit.Kind.KASI).order_by("order", "name"))


def _intake_unit(service: ServiceType, code: str) -> tuple[Unit, str]:
    """(the dossier's unit, "") or (the service's unit, why the chosen one is refused)."""
    if not code or code == service.unit.code:
        return service.unit, ""
    if not service.unit_chosen_at_intake:
        return service.unit, (f"Layanan {service.short_name} diverifikasi oleh {service.unit.name}; "
                              "unitnya tidak dipilih di loket.")
    units = intake_units(service)
    chosen = next((u for u in units if u.code == code), None)
    if chosen is None:
        names = ", ".join(u.name for u in units)
        return service.unit, f"Unit '{code[:40]}' bukan Kasi kantor ini; pilih salah satu: {names}."
    return chosen, ""


def nik_disagrees(data: dict) -> bool:
    """Whether applicant data (as snapshot_of gives them) hold a birth date or sex other than
    their NIK's: taken in under "data NIK tidak sesuai", with the reason in the intake's
    transition. A correction of such a dossier keeps accepting them (dossier_correct)."""
    try:
        info = nik_parse(str(data.get("nik") or ""))
    except NikError:
        return False
    return bool(nik_check_against(info, birth_date=data.get("birth_date"), sex=data.get("sex")))


class IntakeIncomplete(Exception):
    """An intake the clerk has not confirmed as incomplete: ``missing`` names what is missing
    (the texts the return slip would print). Nothing was written."""

    def __init__(self, missing: list[str]):
        super().__init__("Berkas belum lengkap. Belum ada: " + "; ".join(missing) + ".")
        self.missing = missing


@transaction.atomic
def dossier_intake_forward(**intake) -> Dossier:
    """"Simpan & teruskan ke Kasi": the intake and the forwarding in one transaction, through
    dossier_intake and dossier_forward (and so the act table). An incomplete dossier is neither
    forwarded nor saved: IntakeIncomplete names what is missing."""
    dossier = dossier_intake(**intake, confirmed_missing=[])
    return dossier_forward(code=dossier.code, actor=intake["actor"])


def _checklist_write(dossier: Dossier, lines) -> None:
    """The checklist is the state of the paper now; its rows are updated, its history is in the
    transitions (a resubmission, a cancelled return)."""
    DossierItem.objects.filter(dossier=dossier).exclude(requirement_id__in=[l.requirement_id for l in lines]).delete()
    existing = {i.requirement_id: i for i in DossierItem.objects.filter(dossier=dossier)}
    changed, new = [], []
    for l in lines:
        item = existing.get(l.requirement_id)
        if item is None:
            new.append(DossierItem(dossier=dossier, requirement_id=l.requirement_id,
                                   present=l.present, original_shown=l.original_shown))
        elif (item.present, item.original_shown) != (l.present, l.original_shown):
            item.present, item.original_shown = l.present, l.original_shown
            changed.append(item)
    # Two statements at most, however long the checklist.
    DossierItem.objects.bulk_update(changed, ["present", "original_shown"])
    DossierItem.objects.bulk_create(new)


@transaction.atomic
def dossier_resubmit(*, code: str, actor, present=(), originals=(), answers=None, note: str = "") -> Dossier:
    """A returned dossier comes back to the counter. Complete → received (the clock restarts);
    still incomplete → stays returned with a new list of what is missing.

    Only the checklist changes here, never the applicant's data: a different name or address
    at the second visit is a correction (dossier_correct, with its reason), not a side effect."""
    dossier = _locked(code)
    flow.authorise(ACTS, "resubmit", actor, dossier)
    note = _note(note)
    service = dossier.service
    prefetch_related_objects([service], "requirements")
    answers = _clean_answers(service, answers if answers is not None else dossier.answers, dossier.by_proxy)
    present_ids, original_ids = _check_ids(service, present), _check_ids(service, originals)
    lines = _checklist(service, answers, present_ids, original_ids)
    dossier.answers = answers
    _checklist_write(dossier, lines)
    missing = [l.missing_text for l in lines if not l.complete]
    if missing:
        return _move(dossier, to=S.RETURNED, actor=actor, note=note or "Masih belum lengkap.", missing=missing,
                     changed=("answers",))
    return _move(dossier, to=S.RECEIVED, actor=actor, note=note or "Diajukan kembali, lengkap.", changed=("answers",))


@transaction.atomic
def dossier_forward(*, code: str, actor, note: str = "") -> Dossier:
    """Front office forwards a complete dossier to the Kasi of the service's unit (step 3)."""
    dossier = _locked(code)
    flow.authorise(ACTS, "forward", actor, dossier)
    note = _note(note)
    return _move(dossier, to=S.FORWARDED, actor=actor, note=note or f"Diteruskan ke {dossier.unit.name}.")


@transaction.atomic
def dossier_return(*, code: str, actor, reason: str, missing: list[str] | None = None) -> Dossier:
    """Return to the applicant with a reason: by the front office before forwarding, or by the
    Kasi of the unit at the re-check ("jika kurang lengkap/ tidak benar dikembalikan")."""
    dossier = _locked(code)
    flow.authorise(ACTS, "return", actor, dossier)  # as in every act: role, then office, then state, then the input
    if not str(reason or "").strip():
        raise InvalidInput({"reason": ["Alasan pengembalian wajib diisi."]})
    reason = _note(reason, field="reason", label="Alasan pengembalian")
    try:
        missing = lines_bounded(missing, label="Daftar kekurangan", max_lines=LINES_MAX, max_len=LINE_MAX)
    except InputProblem as exc:
        raise InvalidInput({"missing": [str(exc)]}) from None
    return _move(dossier, to=S.RETURNED, actor=actor, note=reason, missing=missing)


@transaction.atomic
def dossier_initial(*, code: str, actor, note: str = "") -> Dossier:
    """Paraf: the Kasi of the dossier's unit confirms the re-check (step 5)."""
    dossier = _locked(code)
    flow.authorise(ACTS, "initial", actor, dossier)
    note = _note(note)
    return _move(dossier, to=S.INITIALLED, actor=actor, note=note)


@transaction.atomic
def dossier_sign(*, code: str, actor, note: str = "") -> Dossier:
    """Signature by the Camat, or by the Sekcam a.n. Camat (step 6); the capacity is recorded."""
    dossier = _locked(code)
    staff = flow.authorise(ACTS, "sign", actor, dossier)  # the Camat alone where the standard says so (policy)
    note = _note(note)
    capacity = Dossier.SignerCapacity.CAMAT if staff.role == Role.CAMAT else Dossier.SignerCapacity.AN_CAMAT
    dossier.signed_by = actor
    dossier.signer_capacity = capacity
    return _move(dossier, to=S.SIGNED, actor=actor, note=note or Dossier.SignerCapacity(capacity).label,
                 changed=("signed_by", "signer_capacity"))


def _each(act, *, codes_: list[str], actor, note: str) -> tuple[list[Dossier], dict[str, str]]:
    """Run ``act`` on several dossiers; each is its own transaction, failures reported per code
    (the others still go through). The note is checked once for all: a bad note does none."""
    note = _note(note)
    done, failed = [], {}
    staff = staff_of(actor)
    mine = set(
        Dossier.objects.filter(office_id=getattr(staff, "office_id", None),
                               code__in=[codes.normalise(c) for c in codes_]).values_list("code", flat=True)
    )
    for code in dict.fromkeys(codes_):  # a code sent twice is done once
        if codes.normalise(code) not in mine:
            # Another office's code reads exactly like an unknown one: nothing to learn here.
            failed[code] = f"Berkas {code} tidak ditemukan."
            continue
        try:
            done.append(act(code=code, actor=actor, note=note))
        except (WrongState, PermissionDenied, Dossier.DoesNotExist) as exc:
            failed[code] = str(exc)
    return done, failed


def dossier_sign_many(*, codes_: list[str], actor, note: str = "") -> tuple[list[Dossier], dict[str, str]]:
    """Sign several dossiers at once; each is its own transaction, and failures are reported per code."""
    return _each(dossier_sign, codes_=codes_, actor=actor, note=note)


def dossier_initial_many(*, codes_: list[str], actor, note: str = "") -> tuple[list[Dossier], dict[str, str]]:
    """Paraf on several dossiers at once (the Kasi's list): each its own transaction through
    dossier_initial, failures reported per code (another unit's, already initialled, …)."""
    return _each(dossier_initial, codes_=codes_, actor=actor, note=note)


def _signer_text(dossier: Dossier) -> str:
    """As the register book writes it: "Sekretaris Kecamatan a.n. Camat (name)" or "Camat (name)";
    the name is left out when the account's name is only the position (e.g. demo accounts)."""
    user = dossier.signed_by
    name = user.get_full_name() or user.username
    position = "Sekretaris Kecamatan a.n. Camat" if dossier.signer_capacity == Dossier.SignerCapacity.AN_CAMAT else "Camat"
    if name.strip().lower() in position.lower():
        return position
    return f"{position} ({name})"


@transaction.atomic
def dossier_register(*, code: str, actor, note: str = "", public_base: str = "") -> Dossier:
    """Record the signed act in the Buku Register Kecamatan (step 7): the next number of the
    office's book for the year, and a verification code for the paper, in the same transaction.
    A service whose product is a legalised document also gets its legalisation issued (a
    number in the Buku Agenda Surat Keluar, the endorsement PDF; papers.products), whose code
    is the dossier's verification code. ``public_base`` is the site's public address for the
    QR code (core.web.public_url)."""
    dossier = _locked(code)
    flow.authorise(ACTS, "register", actor, dossier)
    note = _note(note)
    now = timezone.now()
    # The line records the dossier's own applicant data (as taken in, or as corrected before
    # signature), never the person record, which a later intake may have changed.
    dossier.register_entry = register_entry_add(
        office_id=dossier.office_id, kind=dossier.service.register_book, actor=actor, at=now,
        subject=dossier.service.name, name=dossier.applicant_name, nik=dossier.applicant_nik,
        kelurahan=dossier.applicant_kelurahan.name if dossier.applicant_kelurahan_id else "",
        signer=_signer_text(dossier), reference=dossier.code,
    )
    if needs_legalisation(dossier.service):
        document = legalisation_issue(dossier=dossier, actor=actor, public_base=public_base, at=now)
        dossier.verification_code = document.verification_code
    else:
        dossier.verification_code = codes.new_verification_code()
    return _move(dossier, to=S.REGISTERED, actor=actor, note=note or f"Nomor register {dossier.register_entry.number_display}.", at=now,
                 changed=("register_entry", "verification_code"))


@transaction.atomic
def dossier_letter(*, code: str, actor, template: str, fields: dict, paper: str = "A4", public_base: str = ""):
    """Write and number the letter a signed dossier produces (papers.products.letter_issue), by
    the front office or the Kasi of its unit (policy.LETTER)."""
    dossier = _locked(code)
    flow.authorise(LETTER, "letter", actor, dossier)
    return letter_issue(dossier=dossier, actor=actor, template_code=template, fields=fields, paper=paper,
                        public_base=public_base)


@transaction.atomic
def dossier_handover(*, code: str, actor, handed_over_to: str = "", note: str = "") -> Dossier:
    """Hand the legalised dossier to the applicant for the agency named in the standard (step 8)."""
    dossier = _locked(code)
    flow.authorise(ACTS, "handover", actor, dossier)
    agency = (handed_over_to or dossier.service.forwarded_to).strip()
    if len(agency) > 250:
        raise InvalidInput({"handed_over_to": ["Instansi tujuan paling panjang 250 karakter."]})
    note = _note(note)
    now = timezone.now()
    dossier.handed_over_to = agency
    dossier.done_at = now
    dossier = _move(dossier, to=S.HANDED_OVER, actor=actor, note=note or f"Untuk diteruskan ke {dossier.handed_over_to}.",
                    at=now, changed=("handed_over_to", "done_at"))
    measure_store(dossier)  # its time against the standard, for the reports (docs/service-report.md)
    return dossier


@transaction.atomic
def dossier_register_handover(*, code: str, actor, handed_over_to: str = "", note: str = "",
                              public_base: str = "") -> Dossier:
    """The citizen waits for the signed paper: register it (dossier_register) and hand it over
    (dossier_handover) in one transaction. Two transitions, as if done one after the other; if
    the handover is refused (e.g. the agency is too long), the register number is not taken."""
    dossier = _locked(code)
    flow.authorise(ACTS, "register_handover", actor, dossier)
    dossier_register(code=code, actor=actor, public_base=public_base)
    return dossier_handover(code=code, actor=actor, handed_over_to=handed_over_to, note=note)


@transaction.atomic
def dossier_resubmit_forward(*, code: str, actor, present=(), originals=(), answers=None, note: str = "") -> Dossier:
    """The citizen comes back with what was missing: take the dossier back (dossier_resubmit) and,
    now complete, forward it to the Kasi (dossier_forward) in one transaction. Still incomplete,
    it stays returned with its new list of what is missing, as a resubmission would."""
    dossier = _locked(code)
    flow.authorise(ACTS, "resubmit_forward", actor, dossier)
    dossier = dossier_resubmit(code=code, actor=actor, present=present, originals=originals, answers=answers,
                               note=note)
    if dossier.state != S.RECEIVED:
        return dossier
    return dossier_forward(code=code, actor=actor)


# --- correction of the applicant's data (koreksi data pemohon) ------------------------------

REASON_MAX = 500


def _stored(field: str, value) -> str:
    """A value of the applicant's data as the correction record keeps it."""
    if value is None:
        return ""
    if field == "kelurahan":
        return f"{value.name} ({value.code})"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def dossier_correct(*, code: str, actor, changes: dict, reason: str) -> Dossier:
    """Koreksi data pemohon: change the applicant's data kept on the dossier, before signature,
    with a reason. ``changes`` maps fields of APPLICANT_FIELDS to their new values (as at
    intake; fields left out stay as they are). The whole data set must still pass the intake's
    checks (applicant_clean, the service's rules as on the day of intake). One Correction row
    per field that really changes, and the dossier's fields, in one transaction."""
    dossier = _locked(code)
    flow.authorise(ACTS, "correct", actor, dossier)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Alasan koreksi wajib diisi (misalnya: nama sesuai KK, salah ketik saat penerimaan)."]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [f"Alasan koreksi paling panjang {REASON_MAX} karakter."]
    if not isinstance(changes, dict):
        changes = {}
    unknown = sorted(str(k) for k in changes if k not in APPLICANT_FIELDS)
    if unknown:
        errors["changes"] = [f"Data ini tidak ada pada data pemohon: {', '.join(unknown)}."]
    asked = [f for f in APPLICANT_FIELDS if f in changes]
    current = snapshot_of(dossier)
    cleaned = None
    try:
        cleaned = applicant_clean(office=dossier.office, data={**current, **{f: changes[f] for f in asked}},
                                  nik_override=nik_disagrees(current))
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            errors.setdefault(field, []).extend(messages)
    if cleaned:
        intake_day = timezone.localdate(dossier.received_at)
        for field, message in service_rules_check(service_code=dossier.service.code, applicant=cleaned,
                                                  today=intake_day).items():
            errors.setdefault(field, []).append(message)
    if errors:
        raise InvalidInput(errors)

    before = {f: getattr(dossier, f"applicant_{f}") for f in APPLICANT_FIELDS}
    changed = [f for f in asked if _stored(f, cleaned[f]) != _stored(f, before[f])]
    if not changed:
        raise InvalidInput({"changes": ["Tidak ada data yang berubah; ubah isian yang salah, lalu simpan."]})
    now = timezone.now()
    Correction.objects.bulk_create(
        Correction(dossier=dossier, field=f, old_value=_stored(f, before[f]), new_value=_stored(f, cleaned[f]),
                   reason=reason, state=dossier.state, actor=actor, at=now)
        for f in changed
    )
    for f in changed:
        setattr(dossier, f"applicant_{f}", cleaned[f])
    fields = [f"applicant_{f}" for f in changed]
    if "nik" in changed:
        # The dossier belongs to the person of the right NIK; their record is found or started
        # from this dossier's data (an existing record is not overwritten by a correction).
        dossier.applicant, _ = Applicant.objects.get_or_create(
            office_id=dossier.office_id, nik=cleaned["nik"], defaults={k: v for k, v in cleaned.items() if k != "nik"},
        )
        fields.append("applicant")
    # Not updated_at: a returned dossier's clock reads it (selectors.dossier_clock).
    dossier.save(update_fields=fields)
    log.info("dossier %s: applicant data corrected (%s)", dossier.code, ", ".join(changed))  # names, never values
    return dossier


# --- undoing a mistake at the counter (issue 15) ------------------------------------------------
# Append-only like every act: the mistaken return or intake stays in the history, and the act
# that undoes it says so, with the clerk's reason, on the staff and the public history.


def _reason(value, *, label: str) -> str:
    if not str(value or "").strip():
        raise InvalidInput({"reason": [f"{label} wajib diisi: tulis mengapa (misalnya: salah centang, salah layanan)."]})
    return _note(value, field="reason", label=label)


@transaction.atomic
def dossier_cancel_return(*, code: str, actor, reason: str, present=(), originals=()) -> Dossier:
    """Batalkan pengembalian: the clerk ticked wrongly and returned a dossier that was complete.
    The front office, while the dossier is returned from the counter (policy: not a Kasi's return),
    gives the reason and the corrected checklist (what is there now), which must be complete;
    the dossier is received again as if never returned, its clock running from when the papers
    really were complete (not from now: the citizen has waited since). The return stays in the
    history, and this step names it (Transition.cancels): "Pengembalian dibatalkan: <alasan>"."""
    dossier = _locked(code)
    flow.authorise(ACTS, "cancel_return", actor, dossier)
    reason = _reason(reason, label="Alasan pembatalan")
    service = dossier.service
    prefetch_related_objects([service], "requirements")
    lines = _checklist(service, dossier.answers, _check_ids(service, present), _check_ids(service, originals))
    missing = [l.missing_text for l in lines if not l.complete]
    if missing:
        raise InvalidInput({"items": [
            "Berkas masih belum lengkap, jadi pengembaliannya benar: " + "; ".join(missing) + ". "
            "Centang yang memang ada; bila pemohon melengkapi nanti, gunakan 'Ajukan kembali'."]})
    undone = last_return(dossier)
    # A return at intake or before forwarding: the papers were complete since the dossier was
    # received (its clock). A resubmission judged incomplete by mistake: since that resubmission.
    clock_from = dossier.clock_started_at if undone.from_state == S.RECEIVED else undone.at
    _checklist_write(dossier, lines)
    return _move(dossier, to=S.RECEIVED, actor=actor, note=f"{Transition.CANCELLED_RETURN}: {reason}",
                 cancels=undone, clock_from=clock_from)


@transaction.atomic
def dossier_cancel_intake(*, code: str, actor, reason: str) -> Dossier:
    """Batalkan penerimaan: a dossier taken in by mistake (another service, a duplicate, the
    citizen withdrew) is cancelled by the front office with a reason while it is still at the
    counter (received or returned). It ends there: no work list or count shows it again; it
    never took a register number, so the book has no gap. The history keeps the intake and
    shows "Penerimaan dibatalkan: <alasan>"."""
    dossier = _locked(code)
    flow.authorise(ACTS, "cancel_intake", actor, dossier)
    reason = _reason(reason, label="Alasan pembatalan")
    return _move(dossier, to=S.CANCELLED, actor=actor, note=f"Penerimaan dibatalkan: {reason}")


# --- scans of the papers (pindaian berkas) -----------------------------------------------------

SCAN_NOTE_MAX = 200
SCANS_MAX = 20  # per dossier: a dossier has a handful of papers; more is a mistake or an abuse


@transaction.atomic
def dossier_attach(*, code: str, actor, file, note: str = "") -> DossierAttachment:
    """Attach a scan of the papers (scanner or phone camera: JPEG, PNG or PDF, judged by its
    content, at most settings.LOKET_UPLOAD_MAX_BYTES) to a dossier: the front office, from intake
    until the Kasi initials (policy.ATTACH). Role → office → state → input, like every act;
    the file is stored under a random name, and removed again if the row is not written."""
    dossier = _locked(code)
    flow.authorise(ATTACH, "attach", actor, dossier)
    errors: dict[str, list[str]] = {}
    try:
        note = text_bounded(note, label="Keterangan", max_len=SCAN_NOTE_MAX)
    except InputProblem as exc:
        errors["note"] = [str(exc)]
    kind = None
    if not file:
        errors["file"] = ["Pilih berkas pindaian (foto atau PDF) terlebih dahulu."]
    else:
        try:
            kind = upload_check(file)
        except UploadRefused as exc:
            errors["file"] = [exc.message]
    if not errors and DossierAttachment.objects.filter(dossier=dossier).count() >= SCANS_MAX:
        errors["file"] = [f"Pindaian paling banyak {SCANS_MAX} per berkas."]
    if errors:
        raise InvalidInput(errors)
    att = DossierAttachment(dossier=dossier, original_name=str(getattr(file, "name", "") or "pindaian")[-200:],
                            kind=kind, size=getattr(file, "size", 0) or 0, note=note, state=dossier.state,
                            uploaded_at=timezone.now(), uploaded_by=actor)
    att.file.save(stored_name(kind), file, save=False)
    try:
        att.save()
    except BaseException:
        att.file.storage.delete(att.file.name)
        raise
    log.info("dossier %s: scan %s attached (%s, %d bytes)", dossier.code, att.pk, kind, att.size)
    return att


# The act each name runs, for the screens and the API alike (core.flow.perform); the names are
# those of policy.ACTS and of the API's path.
RUN = {
    "forward": dossier_forward, "return": dossier_return, "initial": dossier_initial, "sign": dossier_sign,
    "register": dossier_register, "handover": dossier_handover, "resubmit": dossier_resubmit,
    "correct": dossier_correct,
    "register_handover": dossier_register_handover,
    "cancel_return": dossier_cancel_return, "cancel_intake": dossier_cancel_intake,
    "resubmit_forward": dossier_resubmit_forward,
}
