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
from loket.surveys.ikm import ELEMENTS, KEYS
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


# --- the public form (the QR of the dossier's receipt) ------------------------------------------

NOT_YET = "Survei dapat diisi setelah berkas diserahkan."
ALREADY = "Survei untuk berkas ini sudah diisi. Terima kasih."
SEXES = {"L", "P"}
AGE_MIN, AGE_MAX = 10, 120
TEXT_MAX = 100
SUGGESTION_MAX = 2000
PROFILE_TEXTS = {"pendidikan": "Pendidikan", "pekerjaan": "Pekerjaan"}


def _text(data, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def response_clean(data) -> dict:
    """The answers and profile of a form post as Response fields; InvalidInput with every bad
    field (keyed as posted; "jawaban" when nothing was answered)."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    for key, name, _ in ELEMENTS:
        value = _text(data, key)
        if value in ("1", "2", "3", "4"):
            out[key] = int(value)
        elif value == "":
            out[key] = None
        else:
            errors[key] = [f"Jawaban unsur {name} harus salah satu dari empat pilihan (1–4)."]
    if not errors and all(out[k] is None for k in KEYS):
        errors["jawaban"] = ["Isi paling sedikit satu unsur survei."]
    sex = _text(data, "jenis_kelamin").upper()
    if sex and sex not in SEXES:
        errors["jenis_kelamin"] = ["Jenis kelamin harus L (laki-laki) atau P (perempuan), atau dikosongkan."]
    out["sex"] = sex
    age = _text(data, "umur")
    out["age"] = None
    if age:
        if age.isdigit() and AGE_MIN <= int(age) <= AGE_MAX:
            out["age"] = int(age)
        else:
            errors["umur"] = [f"Umur harus bilangan bulat {AGE_MIN}–{AGE_MAX} tahun, atau dikosongkan."]
    for key, label in PROFILE_TEXTS.items():
        value = _text(data, key)
        if len(value) > TEXT_MAX:
            errors[key] = [f"{label} paling panjang {TEXT_MAX} karakter; yang diisi {len(value)}."]
        out[{"pendidikan": "education", "pekerjaan": "occupation"}[key]] = value
    suggestion = _text(data, "saran")
    if len(suggestion) > SUGGESTION_MAX:
        errors["saran"] = [f"Saran paling panjang {SUGGESTION_MAX} karakter; yang diisi {len(suggestion)}."]
    out["suggestion"] = suggestion
    if errors:
        raise InvalidInput(errors)
    return out


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
