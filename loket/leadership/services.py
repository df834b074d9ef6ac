"""The leadership's acts: publishing a month's service figures (Publication) and the follow-up
notes of internal oversight (FollowUp)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from loket.core.errors import InvalidInput
from loket.leadership import selectors
from loket.leadership.models import Assessment, FollowUp, Publication
from loket.leadership.policy import (EVALUATION_PERSON_TEXT, EVALUATION_TEXT, OVERSIGHT_TEXT, PUBLISHERS_TEXT,
                                     is_leader, may_evaluate, may_publish)
from loket.offices.models import Office
from loket.offices.roles import staff_of
from loket.surveys.periods import Period


def _group(row) -> dict:
    f = row.figures
    return {"label": row.label, "received": f.received, "returned": f.returned, "completed": f.completed,
            "on_time": f.on_time, "on_time_pct": f.on_time_pct and round(f.on_time_pct, 1),
            "median_minutes": f.median and round(f.median, 1)}


def month_over(period: Period, today: dt.date) -> bool:
    """What may be published: a month (not a quarter or a year) that has ended. The report page
    offers the button only then (views.report)."""
    return period.kind == "bulan" and period.end < today


@transaction.atomic
def performance_publish(*, office: Office, actor, year: int, month: int, today: dt.date | None = None) -> Publication:
    """Publish a month that has ended: its totals, per service and per kelurahan, as the report
    computes them now (no person, no code of a dossier)."""
    staff = staff_of(actor)
    if not may_publish(actor) or staff.office_id != office.pk:
        raise PermissionDenied(PUBLISHERS_TEXT)
    today = today or timezone.localdate()
    try:
        period = Period("bulan", int(year), int(month))
    except (ValueError, TypeError) as exc:
        raise InvalidInput({"periode": [str(exc)]}) from None
    if not month_over(period, today):
        raise InvalidInput({"periode": [f"{period.label} belum berakhir; publikasi untuk bulan yang sudah lewat."]})
    report = selectors.service_report(office=office, start=period.start, end=period.end)
    data = {
        "start": period.start.isoformat(), "end": period.end.isoformat(),
        "total": report.total.as_dict(),
        "services": [_group(r) for r in report.services if r.figures.received or r.figures.completed],
        "kelurahan": [_group(r) for r in report.kelurahan if r.figures.received or r.figures.completed],
    }
    return Publication.objects.create(office=office, year=period.year, month=period.number,
                                      period_label=period.label, data=data, published_at=timezone.now(),
                                      published_by=actor)


NOTE_MAX = 2000


@transaction.atomic
def follow_up_record(*, office: Office, actor, key: str, status: str, note: str) -> FollowUp:
    """A follow-up note on an item of the oversight list (komponen 9), by the Camat or the Sekcam:
    append-only; the newest note of an item is its status."""
    from loket.leadership.oversight import KINDS

    staff = staff_of(actor)
    if not is_leader(actor) or staff.office_id != office.pk:
        raise PermissionDenied(OVERSIGHT_TEXT)
    key, note = (key or "").strip(), (note or "").strip()
    errors: dict[str, list[str]] = {}
    if key.split(":", 1)[0] not in KINDS or ":" not in key or len(key) > 60:
        errors["key"] = ["Butir pengawasan tidak dikenal."]
    if status not in FollowUp.Status.values:
        errors["status"] = ["Pilih status tindak lanjut: " + ", ".join(str(l) for l in FollowUp.Status.labels) + "."]
    if not note:
        errors["note"] = ["Catatan tindak lanjut wajib diisi."]
    elif len(note) > NOTE_MAX:
        errors["note"] = [f"Catatan paling panjang {NOTE_MAX} karakter."]
    if errors:
        raise InvalidInput(errors)
    return FollowUp.objects.create(office=office, key=key, status=status, note=note, actor=actor, at=timezone.now())


ASSESSMENT_MAX = 4000


@transaction.atomic
def assessment_record(*, office: Office, actor, staff, period: Period, aspects: dict[str, str], assessment: str,
                      follow_up: str) -> Assessment:
    """The evaluator's assessment of ``staff`` (a Staff) for ``period`` (komponen 14): the rating
    per aspect of the standard (optional), the assessment and the follow-up (both required),
    signed by the evaluator's name; the figures as computed now are kept with it."""
    from loket.leadership import evaluation
    from loket.offices.signers import staff_name

    if not is_leader(actor) or staff_of(actor).office_id != office.pk:
        raise PermissionDenied(EVALUATION_TEXT)
    if staff is None or staff.office_id != office.pk or staff.role not in evaluation.EVALUATED:
        raise InvalidInput({"pegawai": ["Pegawai tidak dikenal di kantor ini."]})
    if not may_evaluate(actor, staff):
        raise PermissionDenied(EVALUATION_PERSON_TEXT)
    assessment, follow_up = (assessment or "").strip(), (follow_up or "").strip()
    known = evaluation.aspects_for(office)
    ratings = Assessment.Rating.values
    errors: dict[str, list[str]] = {}
    for name, value in (("penilaian", assessment), ("tindak_lanjut", follow_up)):
        if not value:
            errors[name] = [("Penilaian" if name == "penilaian" else "Tindak lanjut") + " wajib diisi."]
        elif len(value) > ASSESSMENT_MAX:
            errors[name] = [f"Paling panjang {ASSESSMENT_MAX} karakter."]
    rated = []
    for text, value in (aspects or {}).items():
        if not value:
            continue
        if text not in known:
            errors.setdefault("aspek", []).append("Aspek penilaian tidak dikenal.")
        elif value not in ratings:
            errors.setdefault("aspek", []).append(f"Nilai aspek '{text[:60]}' tidak dikenal.")
        else:
            rated.append({"aspect": text, "rating": value})
    if errors:
        raise InvalidInput(errors)
    rated.sort(key=lambda r: known.index(r["aspect"]))
    data = evaluation.staff_evaluation(office=office, start=period.start, end=period.end,
                                       include_user_id=staff.user_id)
    person = data.person(staff.user_id)
    figures = {"person": person.as_dict() if person else {},
               "role_medians": {k: selectors.rounded(v, 2) for k, v in data.role_medians.get(staff.role, {}).items()},
               "counted_to": data.counted_to.isoformat()}
    own = staff_of(actor)
    return Assessment.objects.create(
        office=office, staff=staff.user, period_kind=period.kind, period_year=period.year,
        period_number=period.number, period_label=period.label, aspects=rated, assessment=assessment,
        follow_up=follow_up, figures=figures, evaluator=actor, evaluator_name=staff_name(own),
        evaluator_position=own.position or own.get_role_display(), evaluator_nip=own.nip, at=timezone.now())

