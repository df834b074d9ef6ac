"""Reads of dossiers: work lists per role, search, timeline, time against the standard,
and the public views (tracking, verification) that carry no personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from stdnum.id import nik as stdnum_nik

from loket.catalog.models import ServiceType
from loket.core.db import snapshot
from loket.core import codes
from loket.dossiers.models import Applicant, Correction, Dossier, DossierAttachment, Transition
from loket.dossiers.public import public_state
from loket.dossiers.rules import age_on, decided_requirements, is_photo_requirement, photo_note
from loket.core.nik import NikError, nik_mask, nik_parse
from loket.dossiers.templatetags.dossier_tags import mask_phone
from loket.offices.models import Office, Unit

S = Dossier.State
OPEN_STATES = [S.RECEIVED, S.FORWARDED, S.INITIALLED, S.SIGNED, S.REGISTERED]


def _base(office: Office) -> QuerySet[Dossier]:
    # The applicant's data are the dossier's own columns (applicant_*): the person record is
    # never joined to show a dossier.
    return Dossier.objects.filter(office=office).select_related("service", "unit", "register_entry__book")


def worklist_front_office(*, office: Office, day: dt.date | None = None) -> QuerySet[Dossier]:
    """Today's dossiers at the counter, and any still open from earlier days, newest first."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    # A cancelled intake (taken in by mistake) leaves the counter's list at once.
    return (_base(office).filter(Q(received_at__gte=start) | Q(state__in=OPEN_STATES)).exclude(state=S.CANCELLED)
            .order_by("-received_at"))


def counter_services_frequent(*, office: Office, services: list, limit: int = 6, days: int = 90) -> list:
    """The counter's services most asked for at this office in the last ``days`` days, most
    first (then in the standard's order), at most ``limit``: the front office's shortcuts to a
    new intake. ``services`` are the counter's services of the edition in force."""
    since = timezone.now() - dt.timedelta(days=days)
    counts = dict(Dossier.objects.filter(office=office, received_at__gte=since).values("service__code")
                  .annotate(n=Count("pk")).values_list("service__code", "n"))
    ranked = sorted(services, key=lambda s: (-counts.get(s.code, 0), s.number))
    return ranked[:limit]


def worklist_kasi(*, unit: Unit) -> QuerySet[Dossier]:
    """Waiting for my unit's paraf, oldest first."""
    return _base(unit.office).filter(unit=unit, state=S.FORWARDED).order_by("clock_started_at")


def worklist_signature(*, office: Office) -> QuerySet[Dossier]:
    """Initialled, waiting for the Camat's or Sekcam's signature, oldest first."""
    return _base(office).filter(state=S.INITIALLED).order_by("clock_started_at")


def nik_query(query: str) -> str:
    """The digits of a search that is (the start of) a NIK, cleaned as a NIK is at intake
    (spaces, dots, dashes; full-width digits); "" when the query is not digits only."""
    digits = stdnum_nik.compact(query or "")
    return digits if digits and digits.isascii() and digits.isdigit() else ""


def nik_search_refused(*, query: str, full_nik: bool) -> bool:
    """A role that sees NIKs only masked searched with a number longer than any tracking code:
    that can only be a NIK (or part of one), and it finds nothing for them (the screen says so)."""
    return not full_nik and len(nik_query(query)) > codes.TRACKING_LENGTH


def dossier_search(*, office: Office, query: str, full_nik: bool = False, limit: int = 50) -> QuerySet[Dossier]:
    """Staff search by tracking code, name, and — for roles that may read a full NIK
    (offices.roles.can_see_full_nik) — NIK: a whole NIK exactly, fewer digits as its start.
    For the other roles a NIK never matches: searching by NIK would reveal the digits their
    screens mask (UU 27/2022 on personal data: only those whose task needs it)."""
    query = (query or "").strip()
    if not query:
        return _base(office).none()
    code = codes.normalise(query)
    cond = Q(applicant_name__icontains=query)
    digits = nik_query(query)
    if digits and full_nik:
        cond |= Q(applicant_nik=digits) if len(digits) == 16 else Q(applicant_nik__startswith=digits)
    if code:
        cond |= Q(code=code)
    return _base(office).filter(cond).order_by("-received_at")[:limit]


def dossier_code_exact(*, office: Office, query: str) -> str | None:
    """The tracking code of this office's dossier whose tracking code or verification code is
    exactly ``query`` (typed any case, with dashes or spaces), or None. No query is run unless
    the query has the length of one of the codes (the staff search opens that dossier)."""
    code = codes.normalise(query)
    if len(code) not in (codes.TRACKING_LENGTH, codes.VERIFICATION_LENGTH) or set(code) - set(codes.ALPHABET):
        return None
    return (Dossier.objects.filter(Q(code=code) | Q(verification_code=code), office=office)
            .values_list("code", flat=True).first())


def dossier_get(*, office: Office, code: str, corrections: bool = False) -> Dossier | None:
    """The dossier with its checklist and transitions; with ``corrections``, its corrections
    of the applicant's data too (the screens and API that show the history)."""
    related = ["items__requirement", "transitions__actor"]
    if corrections:
        related.append(Prefetch("corrections", queryset=Correction.objects.select_related("actor")))
    with snapshot():  # the dossier, its checklist, transitions and corrections as of one moment
        return _base(office).prefetch_related(*related).filter(code=codes.normalise(code)).first()


def bound_minutes(duration_max: int, duration_unit: str) -> int:
    """An upper bound of komponen 4 in minutes (a day is 1,440)."""
    return duration_max * (1440 if duration_unit == ServiceType.DurationUnit.DAY else 1)


def standard_minutes(service: ServiceType) -> int:
    """The standard's upper bound as minutes (komponen 4)."""
    return bound_minutes(service.duration_max, service.duration_unit)


@dataclass
class Clock:
    elapsed: dt.timedelta
    limit: dt.timedelta
    running: bool

    @property
    def breached(self) -> bool:
        return self.elapsed > self.limit

    @property
    def elapsed_minutes(self) -> float:
        return self.elapsed.total_seconds() / 60


def dossier_clock(dossier: Dossier, *, now: dt.datetime | None = None) -> Clock:
    """Time since the complete dossier was accepted, against the standard's upper bound.
    The clock stops at handover; a returned dossier's clock waits for its return."""
    now = now or timezone.now()
    running = dossier.state in OPEN_STATES
    if dossier.state == S.HANDED_OVER and dossier.done_at:
        end = dossier.done_at
    elif dossier.state in (S.RETURNED, S.CANCELLED):  # waits for the citizen; or ended at the counter
        end = dossier.updated_at
    else:
        end = now
    return Clock(elapsed=max(end - dossier.clock_started_at, dt.timedelta()),
                 limit=dt.timedelta(minutes=standard_minutes(dossier.service)), running=running)


@dataclass
class Step:
    transition: Transition | None
    took: dt.timedelta | None  # time since the previous step
    correction: list[dict] | None = None  # a correction of the applicant's data (correction_rows)


def timeline(dossier: Dossier, *, full_nik: bool = False) -> list[Step]:
    """The dossier's history: its transitions, and — when the dossier was read with its
    corrections — each correction act (its rows grouped), in time order."""
    steps, previous = [], None
    for t in dossier.transitions.all():
        steps.append(Step(t, (t.at - previous) if previous else None))
        previous = t.at
    if "corrections" in getattr(dossier, "_prefetched_objects_cache", {}):
        acts: dict[tuple, list[dict]] = {}
        for row in correction_rows(dossier, full_nik=full_nik):
            acts.setdefault((row["at"], row["actor"], row["reason"]), []).append(row)
        steps += [Step(None, None, rows) for rows in acts.values()]
        steps.sort(key=lambda s: s.transition.at if s.transition else s.correction[0]["at"])
    return steps


def _shown(field: str, value: str, *, full_nik: bool) -> str:
    if not value:
        return "—"
    if not full_nik and field in ("nik", "kk_number"):
        return nik_mask(value)
    if not full_nik and field == "phone":
        return mask_phone(value)
    if field == "birth_date":
        try:
            return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    if field == "sex":
        return dict(Applicant.Sex.choices).get(value, value)
    if field == "marital_status":
        return dict(Applicant.MaritalStatus.choices).get(value, value)
    return value


def correction_rows(dossier: Dossier, *, full_nik: bool) -> list[dict]:
    """The corrections of the dossier's applicant data, oldest first, as a reader may see them:
    NIK, KK number and telephone masked unless ``full_nik`` (offices.roles.can_see_full_nik)."""
    return [
        {"at": c.at, "actor": c.actor.get_full_name() or c.actor.username, "field": c.field,
         "label": c.get_field_display(), "old": _shown(c.field, c.old_value, full_nik=full_nik),
         "new": _shown(c.field, c.new_value, full_nik=full_nik), "reason": c.reason,
         "state": c.state, "state_label": str(Dossier.State(c.state).label)}
        for c in dossier.corrections.all()
    ]


def breaches(*, office: Office, since: dt.datetime | None = None) -> dict:
    """Handed-over dossiers that took longer than the standard, counted (and the total)."""
    qs = Dossier.objects.filter(office=office, state=S.HANDED_OVER).select_related("service")
    if since:
        qs = qs.filter(done_at__gte=since)
    total = late = 0
    for d in qs.only("done_at", "clock_started_at", "service__duration_max", "service__duration_unit").iterator():
        total += 1
        late += (d.done_at - d.clock_started_at) > dt.timedelta(minutes=standard_minutes(d.service))
    return {"total": total, "late": late}


def tracking_public(*, code: str) -> dict | None:
    """What anyone holding the tracking code may see: service, state, timeline and times.
    No NIK, phone or name."""
    with snapshot():  # state and timeline must come from the same moment
        dossier = (
            Dossier.objects.select_related("service", "office", "unit")
            .prefetch_related("transitions").filter(code=codes.normalise(code)).first()
        )
    if dossier is None:
        return None
    clock = dossier_clock(dossier)
    steps = list(dossier.transitions.all())
    undone = {t.cancels_id for t in steps if t.cancels_id}
    return {
        "code": codes.display(dossier.code),
        "office": dossier.office.name,
        "service": dossier.service.name,
        "service_code": dossier.service.code,
        "state": dossier.state,
        "state_label": dossier.get_state_display(),
        "public": public_state(dossier),  # the state in plain words for the citizen (dossiers/public.py)
        "received_at": dossier.received_at,
        "done_at": dossier.done_at,
        "standard": dossier.service.duration_text,
        "elapsed_minutes": round(clock.elapsed_minutes, 1),
        "breached": clock.breached,
        # A return undone by 'Batalkan pengembalian' stays, marked cancelled, and the step that
        # undid it reads "Pengembalian dibatalkan" (Transition.label); the clerk's reason is staff-only.
        "timeline": [
            {"at": t.at, "state": t.to_state, "label": str(t.label), "missing": t.missing,
             "cancelled": t.pk in undone, "correction": bool(t.cancels_id)}
            for t in steps
        ],
        "_dossier": dossier,
    }


def mask_name(name: str) -> str:
    """"Siti Aminah" → "S*** A*****": enough to recognise one's own paper, not to learn a name."""
    return " ".join(w[0] + "*" * (len(w) - 1) for w in (name or "").split())


def verification_public(*, code: str) -> dict | None:
    """What a stranger scanning the legalised paper's QR may see. The name is the one the
    register line recorded at registration (append-only), masked."""
    dossier = (
        Dossier.objects.select_related("service", "office", "register_entry__book")
        .filter(verification_code=codes.normalise(code), register_entry__isnull=False).first()
    )
    if dossier is None:
        return None
    entry = dossier.register_entry
    return {
        "office": dossier.office.name,
        "register_number": entry.number_display,
        "registered_at": entry.entered_at,
        "service": dossier.service.name,
        "signer": entry.signer,
        "name": mask_name(entry.name),
        "state": dossier.get_state_display(),
    }


# --- the counter's intake: what the NIK already tells ------------------------------------------

RETURNING_FIELDS = ["kk_number", "name", "marital_status", "address", "rt", "rw", "kelurahan", "phone", "email"]


def applicant_last(*, office: Office, nik: str, full_nik: bool) -> dict | None:
    """A returning citizen's data as given at their last dossier at this office (the dossier's
    own applicant_* fields, never another office's), for the intake form to offer: the fields of
    RETURNING_FIELDS (kelurahan as its code), and ``code``/``received_at`` of that dossier.
    None for a first-time citizen, a NIK that is not 16 digits, or a reader whose role may not
    read personal data (``full_nik``: offices.roles.can_see_full_nik) — they get nothing."""
    digits = nik_query(nik)
    if not full_nik or len(digits) != 16:
        return None
    last = (
        Dossier.objects.filter(office=office, applicant_nik=digits).select_related("applicant_kelurahan")
        .only("code", "received_at", "applicant_kelurahan__code",
              *(f"applicant_{f}" for f in RETURNING_FIELDS if f != "kelurahan"))
        .order_by("-received_at", "-pk").first()
    )
    if last is None:
        return None
    data = {f: getattr(last, f"applicant_{f}") for f in RETURNING_FIELDS if f != "kelurahan"}
    data["kelurahan"] = last.applicant_kelurahan.code if last.applicant_kelurahan_id else ""
    return {**data, "code": last.code, "received_at": last.received_at}


def dossier_duplicates(*, office: Office, nik: str, service_code: str) -> list[Dossier]:
    """Possible duplicates of an intake: dossiers of this office for the same NIK and the same
    service (by its code, across editions) not yet handed over, newest first."""
    digits = nik_query(nik)
    if len(digits) != 16 or not service_code:
        return []
    return list(
        Dossier.objects.filter(office=office, applicant_nik=digits, service__code=service_code)
        .exclude(state=S.HANDED_OVER).only("code", "state", "received_at").order_by("-received_at")[:5]
    )


@dataclass
class IntakeFacts:
    """What the counter's intake screen shows from the NIK before anything is saved."""

    nik: str  # the NIK cleaned, "" while it is absent or wrong
    nik_error: str  # why the NIK typed is wrong ("" when absent or right)
    birth_date: dt.date | None  # the NIK's, or the one typed under "data NIK tidak sesuai"
    sex: str
    age: int | None
    overridden: bool  # birth date or sex typed with a reason instead of read from the NIK
    decided: dict  # requirement id → rules.Decision
    photo_note: str
    photo_requirement_id: int | None  # the checklist line the photo note belongs to
    last: dict | None  # applicant_last
    duplicates: list

    @property
    def sex_label(self) -> str:
        return dict(Applicant.Sex.choices).get(self.sex, "")


def intake_facts(*, office: Office, service: ServiceType, data, full_nik: bool, today: dt.date | None = None) -> IntakeFacts:
    """Read the intake form's ``data`` (nik, marital_status, and birth_date, sex and
    nik_override_reason under "data NIK tidak sesuai") as the intake will: birth date and sex
    from the NIK unless typed with a reason; the checklist lines Loket decides
    (rules.decided_requirements) and the photo note; the citizen's last data at this office
    (applicant_last, only for ``full_nik`` readers) and possible duplicates (dossier_duplicates)."""
    today = today or timezone.localdate()
    raw = str(data.get("nik") or "")
    info, error = None, ""
    if raw.strip():
        try:
            info = nik_parse(raw, today=today)
        except NikError as exc:
            error = str(exc)
    birth, sex = (info.birth_date, info.sex) if info else (None, "")
    overridden = False
    if str(data.get("nik_override_reason") or "").strip():
        try:
            typed = dt.date.fromisoformat(str(data.get("birth_date") or ""))
        except ValueError:
            typed = None
        if typed and typed <= today:
            birth, overridden = typed, overridden or typed != (info.birth_date if info else None)
        if data.get("sex") in Applicant.Sex.values:
            overridden = overridden or data.get("sex") != sex
            sex = data.get("sex")
    applicant = {"birth_date": birth, "marital_status": data.get("marital_status") or ""}
    nik = info.nik if info else ""
    return IntakeFacts(
        nik=nik, nik_error=error, birth_date=birth, sex=sex, overridden=overridden,
        age=age_on(birth, today) if birth else None,
        decided=decided_requirements(service_code=service.code, requirements=service.requirements.all(),
                                     applicant=applicant, today=today),
        photo_note=photo_note(service_code=service.code, birth_date=birth),
        photo_requirement_id=next((r.pk for r in service.requirements.all()
                                   if is_photo_requirement(service.code, r)), None),
        last=applicant_last(office=office, nik=nik, full_nik=full_nik) if nik else None,
        duplicates=dossier_duplicates(office=office, nik=nik, service_code=service.code) if nik else [],
    )
# --- scans of the papers (staff only: they carry the applicant's personal data) ----------------

def attachments_of(dossier: Dossier) -> list:
    """The dossier's scans, oldest first, with who attached them (one query)."""
    return list(DossierAttachment.objects.filter(dossier=dossier).select_related("uploaded_by").order_by("pk"))


def attachment_get(*, office: Office, code: str, pk: int):
    """One scan of a dossier of this office, or None (another office's reads like an unknown one)."""
    return (DossierAttachment.objects.select_related("dossier")
            .filter(dossier__office=office, dossier__code=codes.normalise(code), pk=pk).first())
