"""Acts on survey responses: the import of paper forms into the database (one transaction:
every row or none), and the public form a citizen fills in from the receipt of a dossier."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from loket.catalog.models import Edition, ServiceType
from loket.dossiers import codes
from loket.dossiers.models import Dossier
from loket.dossiers.services import InvalidInput, WrongState
from loket.offices.models import Office
from loket.offices.roles import Role, staff_of
from loket.surveys.ikm import KEYS, NAMES
from loket.surveys.importer import ImportRefused, Row, clean
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


# --- the public form (the QR of the dossier's receipt) ------------------------------------------

NOT_YET = "Survei dapat diisi setelah berkas diserahkan."
ALREADY = "Survei untuk berkas ini sudah diisi. Terima kasih."
def response_clean(data) -> dict:
    """The answers and profile of a form post as Response fields, checked by the same rules as
    a paper form's row (importer.clean); InvalidInput with every bad field (keyed as posted;
    "jawaban" when nothing was answered)."""
    answers, profile, bad = clean(lambda key: data.get(key) if key != "tanggal" else None)
    errors: dict[str, list[str]] = {}
    for key, reason in bad.items():
        if key in NAMES:
            errors[key] = [f"Jawaban unsur {NAMES[key]} harus salah satu dari empat pilihan (1–4)."]
        elif key == "jawaban":
            errors[key] = ["Isi paling sedikit satu unsur survei."]
        else:
            errors[key] = [reason[:1].upper() + reason[1:] + "."]
    if errors:
        raise InvalidInput(errors)
    return {
        **answers, "sex": profile.get("jenis_kelamin", ""), "age": profile.get("umur"),
        "education": profile.get("pendidikan", ""), "occupation": profile.get("pekerjaan", ""),
        "suggestion": profile.get("saran", ""),
    }


@transaction.atomic
def response_submit(*, dossier_code: str, data: dict) -> Response:
    """Store the survey a citizen filled in from the receipt of a handed-over dossier: one per
    dossier, attached to the dossier's office, service and unit, dated today (Asia/Jakarta)."""
    try:
        # Locked: two submits of one dossier wait for each other (PostgreSQL; SQLite writes one at a time).
        dossier = (Dossier.objects.select_for_update()
                   .only("id", "code", "state", "office_id", "service_id", "unit_id")
                   .get(code=codes.normalise(dossier_code)))
    except Dossier.DoesNotExist:
        raise Dossier.DoesNotExist(f"Berkas {dossier_code} tidak ditemukan.") from None
    if dossier.state != Dossier.State.HANDED_OVER:
        raise WrongState(NOT_YET)
    if Response.objects.filter(dossier=dossier).exists():
        raise WrongState(ALREADY)
    fields = response_clean(data)
    try:
        with transaction.atomic():
            return Response.objects.create(
                office_id=dossier.office_id, service_id=dossier.service_id, unit_id=dossier.unit_id, dossier=dossier,
                date=timezone.localdate(), source=Response.Source.FORM, **fields,
            )
    except IntegrityError:  # a concurrent submit of the same dossier got there first
        raise WrongState(ALREADY) from None
