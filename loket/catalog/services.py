"""Acts on the catalog: loading a standard file, copying and activating editions.

Every function is one transaction: a malformed or conflicting standard leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from loket.catalog.archive import archive_code_check
from loket.catalog import policy
from loket.catalog.models import Edition, ProcedureStep, Requirement, ReviewNote, ServiceType, Tariff
from loket.catalog.standard_file import (
    DEFAULT_STANDARD, StandardFile, StandardFileError, notes_path_for, parse_notes_file, parse_standard_file, parse_time,
)
from loket.offices.models import Kelurahan, Office, Unit


class EditionError(ValidationError):
    """An edition act that the rules refuse (wrong status, year taken …)."""


@dataclass
class LoadReport:
    office: Office
    edition: Edition
    created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


@transaction.atomic
def standard_load(
    *, path: Path | str = DEFAULT_STANDARD, activate: bool = True, data: StandardFile | None = None,
) -> LoadReport:
    """Load a standard data file: its office, units and kelurahan (created when missing, never
    overwritten: after the first load the admin owns them) and its edition.

    An edition already present for that office and year is left as it is, so loading the same
    file twice changes nothing. A new edition becomes active when ``activate`` is set and the
    office has no active edition yet; otherwise it stays a draft. ``data`` is a standard already
    read from ``path`` and adapted (e.g. the bundled one copied for a demo office)."""
    if data is None:
        data = parse_standard_file(path)
    report = _load(data, source=Path(path).name, activate=activate)
    notes = notes_path_for(path)
    if notes.exists():
        added = review_notes_load(edition=report.edition, path=notes)
        if added:
            report.created.append(f"{added} catatan evaluasi")
    return report


def review_notes_load(*, edition: Edition, path: Path | str) -> int:
    """Add the review notes of ``path`` (``<standard>.notes.yaml``) that ``edition`` does not have
    yet (by key) and return how many were added. Notes are about the edition, not part of it, so
    an active edition gets them too; a note already there (and the office's decision on it) is
    left alone. A notes file for another year adds nothing; one naming a service the edition does
    not have is refused whole."""
    data = parse_notes_file(path)
    if data.edition != edition.year:
        return 0
    services = {s.code: s for s in edition.services.all()}
    have = set(edition.review_notes.values_list("key", flat=True))
    rows = []
    for n in data.notes:
        unknown = [code for code in n.services if code not in services]
        if unknown:
            raise StandardFileError(path, [f"catatan {n.key}: jenis pelayanan {', '.join(unknown)} tidak ada pada edisi {edition.year}"])
        for code in n.services or [None]:
            key = f"{n.key}-{code}" if code and len(n.services) > 1 else n.key
            if key in have:
                continue
            rows.append(ReviewNote(
                edition=edition, key=key[:60], service=services.get(code), component=n.component, kind=n.kind,
                quote=n.quote, text=n.text, source=n.source, verified=n.verified,
            ))
    start = (edition.review_notes.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    for i, row in enumerate(rows):
        row.order = start + i
    ReviewNote.objects.bulk_create(rows)
    return len(rows)


def _load(data: StandardFile, *, source: str, activate: bool) -> LoadReport:
    o = data.office
    office, made = Office.objects.get_or_create(
        slug=o.slug,
        defaults=dict(
            region_code=o.region_code, name=o.name, city=o.city, province=o.province, address=o.address,
            government=o.government, postal_code=o.postal_code,
            telephone=o.telephone, fax=o.fax, email=o.email, website=o.website, opening_hours=o.opening_hours,
            social=[s.model_dump() for s in o.social], sms_wa=[n.model_dump() for n in o.sms_wa],
            head_title=o.head.title, head_name=o.head.name, head_rank=o.head.rank, head_nip=o.head.nip,
            maklumat=o.maklumat,
        ),
    )
    report = LoadReport(office=office, edition=None)  # type: ignore[arg-type]
    if made:
        report.created.append(f"kantor {office.name}")
    for i, u in enumerate(data.units):
        _, made = Unit.objects.get_or_create(office=office, code=u.code, defaults=dict(name=u.name, kind=u.kind, order=i))
        if made:
            report.created.append(f"unit {u.name}")
    for k in data.kelurahan:
        _, made = Kelurahan.objects.get_or_create(office=office, code=k.code, defaults=dict(name=k.name))
        if made:
            report.created.append(f"kelurahan {k.name}")

    existing = Edition.objects.filter(office=office, year=data.edition.year).first()
    if existing:
        report.edition = existing
        return report

    e = data.edition
    edition = Edition.objects.create(
        office=office, year=e.year, title=e.title, signed_on=e.signed_on, signed_place_date=e.signed_place_date,
        signer_title=e.signer.title, signer_name=e.signer.name, signer_rank=e.signer.rank, signer_nip=e.signer.nip,
        source=source,
    )
    units = {u.code: u for u in office.units.all()}
    for s in data.services:
        service = ServiceType.objects.create(
            edition=edition, number=s.number, code=s.code, name=s.name, short_name=s.short_name,
            unit=units[s.unit], unit_chosen_at_intake=s.unit_chosen_at_intake, signer=s.signer, register_book=s.register_book, product=s.product,
            forwarded_to=s.forwarded_to, legal_basis=s.legal_basis,
            duration_min=s.duration.min, duration_max=s.duration.max, duration_unit=s.duration.unit,
            duration_text=s.duration.text, fee_kind=s.fee.kind, fee_text=s.fee.text,
            fee_percent_cap=s.fee.percent, fee_government_discount_percent=s.fee.government_discount_percent,
            fee_notes=s.fee.notes, facilities=s.facilities, competence=s.competence,
            internal_oversight=s.internal_oversight, complaint_handling=s.complaint_handling.model_dump(exclude_none=True),
            staffing=s.staffing, service_guarantee=s.service_guarantee, security_guarantee=s.security_guarantee,
            performance_evaluation=s.performance_evaluation,
            # Checked again here: ``data`` may come from code, not only from a parsed file.
            archive_code=archive_code_check(code=s.archive_code, service=f"{s.code} ({s.short_name})"),
        )
        Requirement.objects.bulk_create(
            Requirement(service=service, order=i, **r.model_dump()) for i, r in enumerate(s.requirements, 1)
        )
        ProcedureStep.objects.bulk_create(
            ProcedureStep(service=service, order=i, text=t) for i, t in enumerate(s.procedure, 1)
        )
        Tariff.objects.bulk_create(
            Tariff(
                service=service, order=i, code=t.code, label=t.label, kind=t.kind, start=parse_time(t.start),
                end=parse_time(t.end), quantity=t.quantity, unit=t.unit, unit_price=t.unit_price,
            )
            for i, t in enumerate(s.fee.tariffs, 1)
        )
    report.created.append(f"edisi {edition.year} dengan {len(data.services)} jenis pelayanan")
    if activate and not Edition.objects.filter(office=office, status=Edition.Status.ACTIVE).exists():
        _set_status(edition, Edition.Status.ACTIVE)
    report.edition = edition
    return report


def _set_status(edition: Edition, status: str) -> None:
    # The one place an edition's status changes; Edition.save() refuses to touch a locked edition.
    now = timezone.now()
    stamp = {Edition.Status.ACTIVE: {"activated_at": now}, Edition.Status.ARCHIVED: {"archived_at": now}}
    Edition.objects.filter(pk=edition.pk).update(status=status, **stamp.get(status, {}))
    edition.refresh_from_db()


@transaction.atomic
def edition_copy(*, edition: Edition, year: int, title: str = "") -> Edition:
    """Start the next edition as a draft copy of this one (every service and its parts)."""
    if Edition.objects.filter(office_id=edition.office_id, year=year).exists():
        raise EditionError(f"Edisi tahun {year} sudah ada untuk kantor ini.")
    if year <= 1945 or year > 2100:
        raise EditionError(f"Tahun {year} tidak masuk akal.")
    new = Edition.objects.create(
        office_id=edition.office_id, year=year, based_on=edition,
        title=title or edition.title.replace(str(edition.year), str(year)),
        signer_title=edition.signer_title, signer_name=edition.signer_name, signer_rank=edition.signer_rank,
        signer_nip=edition.signer_nip,
    )
    for service in edition.services.prefetch_related("requirements", "procedure_steps", "tariffs"):
        parts = (list(service.requirements.all()), list(service.procedure_steps.all()), list(service.tariffs.all()))
        service.pk, service.id, service.edition = None, None, new
        service._state.adding = True
        service.save()
        for rows in parts:
            for row in rows:
                row.pk, row.id, row.service = None, None, service
                row._state.adding = True
            if rows:
                type(rows[0]).objects.bulk_create(rows)
    # The review notes go along, undecided: the office decides each on this draft.
    services = {s.code: s for s in new.services.all()}
    ReviewNote.objects.bulk_create(
        ReviewNote(
            edition=new, key=n.key, order=n.order, service=services.get(n.service.code) if n.service_id else None,
            services_text=n.services_text, component=n.component, kind=n.kind, quote=n.quote, text=n.text,
            source=n.source, verified=n.verified,
        )
        for n in edition.review_notes.select_related("service")
    )
    return new


@transaction.atomic
def review_note_decide(*, note_id: int, office, actor, status: str, decision_note: str = "") -> ReviewNote:
    """Decide a review note of a draft edition: applied (diterapkan) or rejected (ditolak), with
    the reason; back to undecided is allowed while the edition is a draft. The Camat or the
    office's Admin (policy.ACTS["decide"]); a note of an active or archived edition is read-only.
    A refused input is an EditionError whose ``code`` names the field (status, decision_note)."""
    note = ReviewNote.objects.select_related("edition").select_for_update(of=("self",)).filter(
        pk=note_id, edition__office=office).first()
    if note is None:
        raise ReviewNote.DoesNotExist("Catatan evaluasi tidak ditemukan.")
    staff = policy.authorise("decide", actor, note)
    if status not in ReviewNote.Status.values:
        raise EditionError("Pilih keputusan: belum diputuskan, diterapkan atau ditolak.", code="status")
    decision_note = (decision_note or "").strip()
    if status == ReviewNote.Status.REJECTED and not decision_note:
        raise EditionError("Tulis alasan penolakan catatan ini.", code="decision_note")
    if len(decision_note) > 2000:
        raise EditionError("Alasan keputusan paling panjang 2000 huruf.", code="decision_note")
    note.status, note.decision_note = status, decision_note
    undecided = status == ReviewNote.Status.UNDECIDED
    note.decided_by = None if undecided else staff.user
    note.decided_at = None if undecided else timezone.now()
    note.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    return note


@transaction.atomic
def edition_activate(*, edition: Edition) -> Edition:
    """Put a draft edition in force; the edition in force until now is archived."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != Edition.Status.DRAFT:
        raise EditionError(f"Hanya edisi draf yang dapat diberlakukan; edisi {edition.year} berstatus {edition.get_status_display()}.")
    if not edition.services.exists():
        raise EditionError(f"Edisi {edition.year} belum mempunyai jenis pelayanan.")
    for current in Edition.objects.select_for_update().filter(office_id=edition.office_id, status=Edition.Status.ACTIVE):
        _set_status(current, Edition.Status.ARCHIVED)
    _set_status(edition, Edition.Status.ACTIVE)
    return edition
