"""Acts on survey responses: the import of paper forms into the database (one transaction:
every row or none)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from loket.catalog.models import Edition, ServiceType
from loket.offices.models import Office
from loket.offices.roles import Role, staff_of
from loket.surveys.ikm import KEYS
from loket.surveys.importer import ImportRefused, Row
from loket.surveys.models import Response

IMPORTERS = (Role.FRONT_OFFICE, Role.SEKCAM, Role.CAMAT, Role.ADMIN)
BATCH = 2000


@transaction.atomic
def responses_import(*, office: Office, actor, rows: list[Row]) -> int:
    """Store the parsed rows of paper forms (importer.parse) for the office; the service codes
    are checked against the office's editions. Any bad row refuses the whole file."""
    staff = staff_of(actor)
    if staff is None or staff.role not in IMPORTERS:
        raise PermissionDenied("Impor kuesioner hanya untuk " + ", ".join(Role(r).label for r in IMPORTERS) + ".")
    if staff.office_id != office.pk:
        raise PermissionDenied("Petugas ini bukan petugas kantor ini.")
    codes = {r.profile["layanan"] for r in rows if r.profile.get("layanan")}
    # A form of last year may name a service of the edition then in force: any edition of the office.
    services = {}
    for s in ServiceType.objects.filter(edition__office=office, code__in=codes).select_related("edition").order_by(
        "-edition__status", "-edition__year"
    ):
        if s.code not in services or s.edition.status == Edition.Status.ACTIVE:
            services[s.code] = s
    problems = [f"Baris {r.number}: layanan '{r.profile['layanan']}' tidak dikenal di kantor ini."
                for r in rows if r.profile.get("layanan") and r.profile["layanan"] not in services]
    if problems:
        raise ImportRefused(problems)
    today = timezone.localdate()
    objs = []
    for r in rows:
        p = r.profile
        service = services.get(p.get("layanan"))
        objs.append(Response(
            office=office, service=service, unit_id=service.unit_id if service else None,
            date=p.get("tanggal") or today, source=Response.Source.PAPER, sex=p.get("jenis_kelamin", ""),
            age=p.get("umur"), education=p.get("pendidikan", ""), occupation=p.get("pekerjaan", ""),
            suggestion=p.get("saran", ""), created_by=actor, **{k: r.answers[k] for k in KEYS},
        ))
    Response.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)
