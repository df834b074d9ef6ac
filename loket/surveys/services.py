"""Acts on survey responses: the import of paper forms into the database (one transaction:
every row or none), the public form a citizen fills in from the receipt of a dossier, the
kiosk at the counter, the office's choice of weight and the publication of a period's result."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from loket.catalog.models import Edition, ServiceType
from loket.core import codes
from loket.dossiers.models import Dossier
from loket.core.errors import InvalidInput, WrongState
from loket.offices.models import Office
from loket.offices.roles import Role, has_role, staff_of
from loket.surveys import selectors
from loket.surveys.ikm import KEYS, NAMES
from loket.surveys.importer import ImportRefused, Row, clean
from loket.surveys.models import Publication, Response, Setting
from loket.surveys.periods import Period

# Who collects responses (paper import, kiosk) and who decides on and publishes the result.
IMPORTERS = (Role.FRONT_OFFICE, Role.SEKCAM, Role.CAMAT, Role.ADMIN)
COLLECTORS = IMPORTERS
PUBLISHERS = (Role.CAMAT, Role.SEKCAM)
SETTERS = (Role.CAMAT, Role.SEKCAM, Role.ADMIN)


def may_publish(user) -> bool:
    """Whether this user publishes IKM results (PUBLISHERS); the report offers the button only then."""
    return has_role(user, *PUBLISHERS)


def may_set_weight(user) -> bool:
    """Whether this user sets the office's IKM weighting (SETTERS)."""
    return has_role(user, *SETTERS)
BATCH = 2000


def _authorise(*, office: Office, actor, roles, what: str):
    staff = staff_of(actor)
    if staff is None or staff.role not in roles:
        raise PermissionDenied(f"{what} hanya untuk " + ", ".join(Role(r).label for r in roles) + ".")
    if staff.office_id != office.pk:
        raise PermissionDenied("Petugas ini bukan petugas kantor ini.")
    return staff


@transaction.atomic
def responses_import(*, office: Office, actor, rows: list[Row]) -> int:
    """Store the parsed rows of paper forms (importer.parse) for the office; the service codes
    are checked against the office's editions. Any bad row refuses the whole file."""
    _authorise(office=office, actor=actor, roles=IMPORTERS, what="Impor kuesioner")
    if not rows:
        raise ImportRefused(["Berkas tidak berisi satu pun kuesioner."])
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


# --- the kiosk at the counter ------------------------------------------------------------------

def kiosk_services(*, office: Office):
    """The services a kiosk respondent may name: those of the office's active edition."""
    return ServiceType.objects.filter(edition__office=office, edition__status=Edition.Status.ACTIVE).order_by("number")


@transaction.atomic
def response_kiosk(*, office: Office, actor, service_code: str | None, data: dict) -> Response:
    """Store the answers a citizen gave on the tablet at the counter, which a clerk of the
    office opened (the clerk is recorded, never shown to the respondent); dated today."""
    _authorise(office=office, actor=actor, roles=COLLECTORS, what="Kios survei")
    service = None
    if service_code:
        service = kiosk_services(office=office).filter(code=service_code).select_related("unit").first()
        if service is None:
            raise InvalidInput({"layanan": ["Layanan tidak dikenal di kantor ini."]})
    fields = response_clean(data)
    return Response.objects.create(
        office=office, service=service, unit_id=service.unit_id if service else None, date=timezone.localdate(),
        source=Response.Source.KIOSK, created_by=actor, **fields,
    )


# --- the office's weight and the publication of a result ----------------------------------------

@transaction.atomic
def weight_set(*, office: Office, actor, weight: str) -> Setting:
    """Choose the weight of each element for the office's reports: exactly 1/9, or the rounded
    0.111 or 0.11 of its past reports. Publications keep the weight they were made with."""
    _authorise(office=office, actor=actor, roles=SETTERS, what="Pengaturan bobot IKM")
    if weight not in Setting.Weight.values:
        raise InvalidInput({"bobot": ["Bobot harus salah satu dari: " + ", ".join(Setting.Weight.labels) + "."]})
    setting, _ = Setting.objects.select_for_update().get_or_create(office=office)
    setting.weight = weight
    setting.updated_by = actor
    setting.save()
    return setting


def _snapshot(rep: selectors.Report) -> dict:
    """What the public board shows of a report, frozen at publication."""
    def group(g: selectors.Group) -> dict:
        r = g.result
        return {"key": g.key, "name": g.name, "respondents": g.respondents,
                "ikm_unit": r.as_json()["ikm_unit"] if r else None, "grade": r.grade if r else None,
                "label": r.label if r else None}
    return {
        "ikm": rep.result.as_json(), "population": rep.population, "sample_min": rep.sample_min,
        "by_service": [group(g) for g in rep.by_service], "by_unit": [group(g) for g in rep.by_unit],
    }


@transaction.atomic
def publication_publish(*, office: Office, actor, period: Period) -> Publication:
    """Publish the IKM of a period for the public board, with the office's weight. Refused when
    the period has no computable IKM (no respondents, or an element nobody answered). A period
    may be published again later (more forms came in): the newer publication is shown."""
    _authorise(office=office, actor=actor, roles=PUBLISHERS, what="Publikasi hasil IKM")
    rep = selectors.report(office=office, period=period, suggestions_limit=0)
    if rep.result is None:
        raise WrongState(f"Hasil IKM {period.label} belum dapat dipublikasikan: {rep.error}")
    result = rep.result.as_json()
    return Publication.objects.create(
        office=office, period_kind=period.kind, year=period.year, number=period.number, start=period.start,
        end=period.end, period_label=period.label, weight=rep.weight, respondents=rep.respondents,
        ikm_unit=f"{result['ikm_unit']:.2f}", grade=rep.result.grade, grade_label=rep.result.label,
        data=_snapshot(rep), published_at=timezone.now(), published_by=actor,
    )
