"""SKM endpoints (Permenpan RB 14/2017): the IKM of the stored responses in the shape of
``loket skm ikm --json``, the period report, the import of paper forms, the kiosk, the office's
weight and the publication of a result for staff (token or session); the latest published
result and the survey of a handed-over dossier (the receipt's QR) for the public.

Every rule lives in loket.surveys.services/ selectors; this module only translates JSON to the
acts and the results back. Wrong role → 403, wrong state → 409, bad input → 400 with field
errors (keyed as the JSON was sent: ``answers.waktu``, ``profile.umur``), unknown dossier or
office → 404, too many public posts → 429. Public answers never carry a respondent's profile or
suggestion, nor the name of the staff member who published."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from pydantic import ConfigDict, Strict

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.catalog.selectors import office_get
from loket.core.inputs import InputProblem, date_parse
from loket.core.ratelimit import public_lookup_allowed
from loket.core.errors import InvalidInput
from loket.offices.roles import Role, has_role
from loket.surveys import ikm, periods, selectors, services
from loket.surveys.importer import ImportRefused, parse, read_cells
from loket.surveys.models import Publication, Setting

router = Router(tags=["SKM"])

Weight = Literal["exact", "0.111", "0.11"]
WEIGHT_HELP = "Bobot tiap unsur: `exact` (1/9), `0.111` atau `0.11`."
IMPORT_MAX_BYTES = settings.LOKET_UPLOAD_MAX_BYTES  # as the import screen and every other upload
SUGGESTIONS_SHOWN = selectors.SUGGESTIONS_SHOWN
TOO_MANY = "Terlalu banyak permintaan; coba lagi sebentar lagi."
# The public API form counts in the bucket of the web form /skm/<code>/ (loket.surveys.views): one
# limit per client address for both doors, as the complaint POST shares the complaint form's.
FORM_SCOPE = "skm"


def _enum(values, description: str = "") -> dict:
    """A string documented with its allowed values, checked by the service (Indonesian message)."""
    return {"json_schema_extra": {"enum": list(values)}, "description": description}


# --- shapes -------------------------------------------------------------------------------------

class ElementOut(Schema):
    key: str
    name: str
    nrr: float
    weighted: float


class IkmOut(Schema):
    respondents: int
    weight: Weight
    elements: list[ElementOut]
    ikm: float
    ikm_unit: float
    grade: Literal["A", "B", "C", "D"]
    label: str


class PeriodOut(Schema):
    kind: Literal["bulan", "triwulan", "semester", "tahun"]
    year: int
    number: int
    label: str
    start: dt.date
    end: dt.date


class GroupOut(Schema):
    key: str = Field(..., description="Kode layanan/ unit, atau periode (tren); kosong bila tidak diketahui.")
    name: str
    respondents: int
    ikm_unit: float | None = Field(..., description="Kosong bila IKM kelompok ini belum dapat dihitung.")
    grade: Literal["A", "B", "C", "D"] | None
    label: str | None


class CountOut(Schema):
    label: str
    count: int


class SuggestionOut(Schema):
    date: dt.date
    service: str | None
    text: str


class ReportOut(Schema):
    period: PeriodOut
    service: str | None
    unit: str | None
    weight: Weight
    respondents: int
    population: int = Field(..., description="Berkas yang diterima di loket pada periode itu.")
    sample_min: int = Field(..., description="Sampel minimal untuk populasi itu (Krejcie–Morgan).")
    sample_short: bool = Field(..., description="Responden kurang dari sampel minimal.")
    ikm: IkmOut | None
    error: str = Field(..., description="Mengapa IKM belum dapat dihitung (kosong bila dapat).")
    by_service: list[GroupOut]
    by_unit: list[GroupOut]
    trend: list[GroupOut]
    profile: dict[str, list[CountOut]] = Field(
        ..., description="Profil responden: jenis_kelamin, umur, pendidikan, pekerjaan.")
    sources: list[CountOut] = Field(..., description="Responden per cara pengisian (formulir web, kios, kertas).")
    suggestions: list[SuggestionOut] = Field(..., description=f"Saran terbaru, paling banyak {SUGGESTIONS_SHOWN}.")
    suggestions_total: int


class PublicationOut(Schema):
    """Hasil IKM yang dipublikasikan, seperti di papan publik (tanpa nama petugas yang mempublikasikan)."""

    id: int
    office: str = Field(..., description="Slug kantor.")
    office_name: str
    period: PeriodOut
    weight: Weight
    respondents: int
    ikm_unit: float
    grade: Literal["A", "B", "C", "D"]
    label: str
    ikm: IkmOut
    population: int
    sample_min: int
    by_service: list[GroupOut]
    by_unit: list[GroupOut]
    published_at: dt.datetime


class ImportedOut(Schema):
    imported: int


class ImportRefusedOut(Schema):
    detail: str
    problems: list[str] = Field([], description="Setiap alasan penolakan berkas, dengan nomor barisnya.")
    errors: dict[str, list[str]] = {}


class CreatedOut(Schema):
    id: int


class ThanksOut(Schema):
    detail: str


class SettingIn(Schema):
    weight: str = Field(..., **_enum(Setting.Weight.values, WEIGHT_HELP))


class SettingOut(Schema):
    weight: Weight
    label: str


class PublishIn(Schema):
    period: str = Field(..., **_enum(periods.KINDS, "Jenis periode."))
    year: int = Field(..., description="Tahun (2000–2100).")
    number: int | None = Field(None, description="Periode ke- dalam tahun: bulan 1–12, triwulan 1–4, semester 1–2; "
                                                 "tidak perlu untuk tahun.")


Answer = Annotated[int, Strict()] | None


def _answer_field(name: str):
    return Field(None, description=f"{name}: 1 (terburuk) sampai 4 (terbaik); kosong = tidak dijawab.",
                 json_schema_extra={"minimum": 1, "maximum": 4})


class AnswersIn(Schema):
    """Jawaban kesembilan unsur menurut kuncinya; unsur yang tidak dikirim (atau null) berarti
    tidak dijawab. Paling sedikit satu unsur dijawab."""

    model_config = ConfigDict(extra="forbid")

    persyaratan: Answer = _answer_field(ikm.NAMES["persyaratan"])
    prosedur: Answer = _answer_field(ikm.NAMES["prosedur"])
    waktu: Answer = _answer_field(ikm.NAMES["waktu"])
    biaya: Answer = _answer_field(ikm.NAMES["biaya"])
    produk: Answer = _answer_field(ikm.NAMES["produk"])
    kompetensi: Answer = _answer_field(ikm.NAMES["kompetensi"])
    perilaku: Answer = _answer_field(ikm.NAMES["perilaku"])
    pengaduan: Answer = _answer_field(ikm.NAMES["pengaduan"])
    sarana: Answer = _answer_field(ikm.NAMES["sarana"])


class ProfileIn(Schema):
    """Profil responden, semuanya boleh kosong; nama tidak pernah ditanyakan."""

    model_config = ConfigDict(extra="forbid")

    jenis_kelamin: str = Field("", **_enum(["", "L", "P"], "L (laki-laki) atau P (perempuan)."))
    umur: Annotated[int, Strict()] | None = Field(None, description="Umur dalam tahun (10–120).")
    pendidikan: str = Field("", description="Pendidikan terakhir (paling panjang 100 karakter).")
    pekerjaan: str = Field("", description="Pekerjaan (paling panjang 100 karakter).")
    saran: str = Field("", description="Saran (paling panjang 2000 karakter).")


class SurveyIn(Schema):
    answers: AnswersIn
    profile: ProfileIn = Field(default_factory=ProfileIn)


class KioskIn(SurveyIn):
    service: str | None = Field(None, description="Kode layanan yang diterima responden (standar yang berlaku), bila ada.")


# --- helpers ------------------------------------------------------------------------------------

def _period_out(kind: str, year: int, number: int, label: str, start: dt.date, end: dt.date) -> dict:
    return {"kind": kind, "year": year, "number": number, "label": label, "start": start, "end": end}


def _group_out(g: selectors.Group) -> dict:
    r = g.result.as_json() if g.result else None
    return {"key": g.key, "name": g.name, "respondents": g.respondents, "ikm_unit": r["ikm_unit"] if r else None,
            "grade": r["grade"] if r else None, "label": r["label"] if r else None}


def _counts(rows) -> list[dict]:
    return [{"label": label, "count": count} for label, count in rows]


def report_out(rep: selectors.Report) -> dict:
    p = rep.period
    return {
        "period": _period_out(p.kind, p.year, p.number, p.label, p.start, p.end),
        "service": rep.service_code, "unit": rep.unit_code, "weight": rep.weight,
        "respondents": rep.respondents, "population": rep.population, "sample_min": rep.sample_min,
        "sample_short": rep.sample_short, "ikm": rep.result.as_json() if rep.result else None, "error": rep.error,
        "by_service": [_group_out(g) for g in rep.by_service], "by_unit": [_group_out(g) for g in rep.by_unit],
        "trend": [_group_out(g) for g in rep.trend],
        "profile": {field: _counts(rows) for field, rows in rep.profile.items()},
        "sources": _counts(rep.sources),
        "suggestions": [{"date": s["date"], "service": s["service__name"], "text": s["suggestion"]}
                        for s in rep.suggestions],
        "suggestions_total": rep.suggestions_total,
    }


def publication_out(p: Publication) -> dict:
    data = p.data
    return {
        "id": p.pk, "office": p.office.slug, "office_name": p.office.name,
        "period": _period_out(p.period_kind, p.year, p.number, p.period_label, p.start, p.end),
        "weight": p.weight, "respondents": p.respondents, "ikm_unit": float(p.ikm_unit), "grade": p.grade,
        "label": p.grade_label, "ikm": data["ikm"], "population": data.get("population", 0),
        "sample_min": data.get("sample_min", 0), "by_service": data.get("by_service", []),
        "by_unit": data.get("by_unit", []), "published_at": p.published_at,
    }


def _period(kind: str | None, year, number) -> periods.Period:
    """The period asked for, or a field error naming the value that is wrong."""
    today = timezone.localdate()
    try:
        return periods.parse(kind, year, number, today=today)
    except periods.PeriodError as exc:
        field = "period"
        if (kind or "semester").strip().lower() in periods.KINDS:
            try:
                periods.parse(kind, year, None, today=today)
            except periods.PeriodError:
                field = "year"
            else:
                field = "number"
        raise InvalidInput({field: [str(exc)]}) from None


def _renamed(exc: InvalidInput, names: dict[str, str]) -> InvalidInput:
    """The service's field errors keyed as the JSON was sent."""
    out: dict[str, list[str]] = {}
    for key, messages in exc.errors.items():
        out.setdefault(names.get(key, key), []).extend(messages)
    return InvalidInput(out)


SURVEY_FIELDS = {
    **{k: f"answers.{k}" for k in ikm.KEYS}, "jawaban": "answers", "layanan": "service",
    **{k: f"profile.{k}" for k in ("jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran")},
}


def _survey_data(payload: SurveyIn) -> dict:
    """The flat mapping services.response_clean reads (as a web form posts it)."""
    return {**payload.answers.dict(), **payload.profile.dict()}


ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut}


# --- staff --------------------------------------------------------------------------------------

@router.get(
    "/skm/ikm/", auth=staff_auth, url_name="skm_ikm",
    response={200: IkmOut, **ERRORS, 404: ErrorOut},
    summary="IKM dari respons SKM yang tersimpan",
    description=("Per periode (`from`, `to`: TTTT-BB-HH, inklusif) dan layanan (`service`: kode). Tanpa `weight`: "
                 "bobot pilihan kantor (pengaturan SKM). 404 bila belum ada respons, atau ada unsur yang belum "
                 "dijawab sama sekali (IKM membutuhkan kesembilan unsur)."),
)
def skm_ikm(
    request,
    from_: dt.date | None = Query(None, alias="from", description="Tanggal awal (TTTT-BB-HH)."),
    to: dt.date | None = Query(None, description="Tanggal akhir (TTTT-BB-HH)."),
    service: str | None = Query(None, description="Kode layanan."),
    weight: Weight | None = Query(None, description=WEIGHT_HELP + " Bawaan: pilihan kantor."),
):
    office = staff_office(request)
    problems = {}
    for field, value in (("from", from_), ("to", to)):
        try:
            date_parse(value, label="Tanggal")  # within 2000–2100, as every date Loket takes
        except InputProblem as exc:
            problems[field] = [str(exc)]
    if problems:
        raise InvalidInput(problems)
    if from_ and to and from_ > to:
        raise InvalidInput({"from": ["Tanggal awal sesudah tanggal akhir."]})
    try:
        result = selectors.ikm_stored(office=office, start=from_, end=to, service_code=service,
                                      weight=weight or selectors.weight_of(office))
    except ikm.IkmError as exc:
        raise Http404(str(exc)) from None
    return result.as_json()


@router.get(
    "/skm/report/", auth=staff_auth, url_name="skm_report", response={200: ReportOut, **ERRORS},
    summary="Laporan SKM per periode",
    description=(
        "IKM periode itu (NRR per unsur), per layanan dan per unit, tren periode sejenis, profil responden, "
        f"saran (terbaru, paling banyak {SUGGESTIONS_SHOWN}) dan sampel minimal untuk jumlah berkas yang diterima. "
        "Periode: `period` (bulan, triwulan, semester, tahun; bawaan semester), `year`, `number` (periode ke-); "
        "yang tidak diisi berarti periode yang sedang berjalan. Tanpa `weight`: bobot pilihan kantor."
    ),
)
def skm_report(
    request,
    period: str | None = Query(None, description="bulan, triwulan, semester atau tahun (bawaan: semester)."),
    year: str | None = Query(None, description="Tahun (TTTT)."),
    number: str | None = Query(None, description="Periode ke- dalam tahun."),
    service: str | None = Query(None, description="Kode layanan."),
    unit: str | None = Query(None, description="Kode unit."),
    weight: Weight | None = Query(None, description=WEIGHT_HELP + " Bawaan: pilihan kantor."),
):
    office = staff_office(request)
    p = _period(period, year, number)
    rep = selectors.report(office=office, period=p, weight=weight, service_code=service or None,
                           unit_code=unit or None)
    return report_out(rep)


@router.post(
    "/skm/import/", auth=staff_auth, url_name="skm_import",
    response={201: ImportedOut, 400: ImportRefusedOut, 401: ErrorOut, 403: ErrorOut},
    summary="Impor kuesioner kertas (CSV atau XLSX)",
    description=(
        "multipart/form-data, kolom `file`: satu baris per responden, baris pertama judul kolom (lihat docs/skm.md). "
        f"Paling besar {IMPORT_MAX_BYTES // (1024 * 1024)} MB. Satu baris yang salah menolak seluruh berkas "
        "(400, `problems` menyebut setiap baris dan alasannya; tidak ada yang disimpan). Untuk petugas front office, "
        "Sekcam, Camat dan Admin."
    ),
)
@idempotent
def skm_import(request, file: UploadedFile | None = File(None, description="Wajib: berkas CSV (UTF-8) atau XLSX.")):
    office = staff_office(request)
    if not has_role(request.user, *services.IMPORTERS):
        raise PermissionDenied("Impor kuesioner hanya untuk " + ", ".join(Role(r).label for r in services.IMPORTERS) + ".")
    if file is None:
        raise InvalidInput({"file": ["Wajib diisi: berkas CSV atau XLSX."]})
    if file.size is None or file.size > IMPORT_MAX_BYTES:
        return _refused([f"Berkas terlalu besar: paling besar {IMPORT_MAX_BYTES // (1024 * 1024)} MB."])
    try:
        rows = parse(read_cells(file.name or "berkas", data=file.read()))
        n = services.responses_import(office=office, actor=request.user, rows=rows)
    except ImportRefused as exc:  # also any file that is not CSV or XLSX (importer.read_cells)
        return _refused(exc.problems)
    return Status(201, {"imported": n})


def _refused(problems: list[str]):
    return Status(400, {"detail": "Berkas tidak diimpor; tidak ada yang disimpan.", "problems": problems,
                        "errors": {"file": problems}})


@router.post(
    "/skm/kiosk/", auth=staff_auth, url_name="skm_kiosk", response={201: CreatedOut, **ERRORS},
    summary="Simpan jawaban dari kios/ tablet di loket",
    description=("Tablet yang dibuka petugas front office, Sekcam, Camat atau Admin kantor ini; petugas tercatat "
                 "tetapi tidak pernah ditampilkan kepada responden. Tanggal survei: hari ini (WIB)."),
)
@idempotent
def skm_kiosk(request, payload: KioskIn):
    office = staff_office(request)
    try:
        r = services.response_kiosk(office=office, actor=request.user, service_code=payload.service or None,
                                    data=_survey_data(payload))
    except InvalidInput as exc:
        raise _renamed(exc, SURVEY_FIELDS) from None
    return Status(201, {"id": r.pk})


def _setting_out(weight: str) -> dict:
    return {"weight": weight, "label": Setting.Weight(weight).label}


@router.get("/skm/setting/", auth=staff_auth, url_name="skm_setting", response={200: SettingOut, **ERRORS},
            summary="Pengaturan SKM kantor: bobot tiap unsur")
def skm_setting(request):
    return _setting_out(selectors.weight_of(staff_office(request)))


@router.put(
    "/skm/setting/", auth=staff_auth, url_name="skm_setting", response={200: SettingOut, **ERRORS},
    summary="Ubah bobot tiap unsur untuk laporan kantor",
    description=("Tepat 1/9 (`exact`, bawaan), atau 0,111/ 0,11 seperti laporan lama kantor. Untuk Camat, Sekcam "
                 "dan Admin. Hasil yang sudah dipublikasikan tetap dengan bobotnya."),
)
def skm_setting_put(request, payload: SettingIn):
    office = staff_office(request)
    try:
        setting = services.weight_set(office=office, actor=request.user, weight=payload.weight)
    except InvalidInput as exc:
        raise _renamed(exc, {"bobot": "weight"}) from None
    return _setting_out(setting.weight)


@router.post(
    "/skm/publications/", auth=staff_auth, url_name="skm_publications",
    response={201: PublicationOut, **ERRORS, 409: ErrorOut},
    summary="Publikasikan hasil IKM suatu periode",
    description=("Untuk Camat dan Sekcam. Dengan bobot pilihan kantor; hasilnya dibekukan dan tampil di papan "
                 "publik (`/<kantor>/ikm/`). 409 bila IKM periode itu belum dapat dihitung. Periode yang sama boleh "
                 "dipublikasikan lagi (yang terbaru yang tampil)."),
)
@idempotent
def skm_publish(request, payload: PublishIn):
    office = staff_office(request)
    if payload.number is None and payload.period.strip().lower() != "tahun":
        if payload.period.strip().lower() in periods.KINDS:
            raise InvalidInput({"number": ["Wajib diisi untuk bulan, triwulan dan semester."]})
    p = _period(payload.period, payload.year, payload.number)
    pub = services.publication_publish(office=office, actor=request.user, period=p)
    return Status(201, publication_out(pub))


# --- public -------------------------------------------------------------------------------------

@router.get(
    "/skm/publications/{office_slug}/latest/", url_name="skm_publication_latest",
    response={200: PublicationOut, 404: ErrorOut},
    summary="Hasil IKM terakhir yang dipublikasikan kantor (publik)",
    description="Tanpa login. 404 bila kantor tidak dikenal atau belum pernah mempublikasikan hasil IKM.",
)
def skm_publication_latest(request, office_slug: str):
    office = office_get(office_slug) if office_slug else None
    if office is None:
        raise Http404("Kantor tidak ditemukan.")
    pub = selectors.publications(office=office).select_related("office").first()
    if pub is None:
        raise Http404("Kantor ini belum mempublikasikan hasil IKM.")
    return publication_out(pub)


@router.post(
    "/skm/forms/{code}/", url_name="skm_form",
    response={201: ThanksOut, 400: FieldErrorsOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Isi survei kepuasan untuk berkas yang sudah diserahkan (publik)",
    description=(
        "Tanpa login: formulir dari QR tanda terima (`code`: kode berkas). Satu survei per berkas, hanya setelah "
        "berkas diserahkan (409), tanpa nama. Batas permintaan per alamat sama dengan halaman survei "
        "(`/skm/<kode>/`, 429)."
    ),
)
@idempotent
def skm_form(request, code: str, payload: SurveyIn):
    if not public_lookup_allowed(request, FORM_SCOPE):
        raise HttpError(429, TOO_MANY)
    try:
        services.response_submit(dossier_code=code, data=_survey_data(payload))
    except InvalidInput as exc:
        raise _renamed(exc, SURVEY_FIELDS) from None
    return Status(201, {"detail": "Terima kasih atas penilaian Anda."})
