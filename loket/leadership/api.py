"""The leadership's API: the service performance report of a period (the same selector as the
page /staf/pimpinan/kinerja/; every staff role of the office reads it, no personal data), and
the staff evaluation (komponen 14; the Camat and the Sekcam only, the same selectors and act as
/staf/pimpinan/evaluasi/). A period that does not exist → 400 with the reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.core.errors import InvalidInput
from loket.leadership import evaluation, policy, selectors, services
from loket.dossiers.measure import STEPS
from loket.surveys.periods import PeriodError, parse

router = Router(tags=["Kinerja pelayanan"])


class StepOut(Schema):
    median_minutes: float | None = Field(description="Median menit kerja tahap ini (berkas selesai).")
    p90_minutes: float | None = Field(description="Persentil 90 (peringkat terdekat).")
    count: int


class ReasonOut(Schema):
    requirement: str
    count: int


class FiguresOut(Schema):
    received: int = Field(description="Berkas diterima pada periode (tanpa penerimaan yang dibatalkan).")
    cancelled: int = Field(description="Penerimaan yang dibatalkan di loket.")
    returned: int = Field(description="Pengembalian pada periode (yang dibatalkan tidak dihitung).")
    completed: int = Field(description="Berkas diserahkan pada periode.")
    on_time: int
    late: int
    on_time_pct: float | None
    median_minutes: float | None = Field(description="Median menit kerja sejak berkas lengkap sampai diserahkan.")
    p90_minutes: float | None
    steps: dict[str, StepOut] = Field(description=f"Per tahap: {', '.join(STEPS)}.")
    top_reasons: list[ReasonOut]


class GroupOut(FiguresOut):
    key: str = Field(description="Kode layanan, atau id kelurahan ('' untuk luar kecamatan).")
    label: str = Field(description="Nama singkat, mis. '1. KTP-el'.")
    name: str = Field(description="Nama lengkap menurut Standar Pelayanan (kelurahan: namanya).")


class PeriodOut(Schema):
    kind: str
    year: int
    number: int
    label: str
    start: dt.date
    end: dt.date


class ReportOut(Schema):
    period: PeriodOut
    hours_default: bool = Field(description="Kantor belum mengisi jam kerjanya: dipakai Perpres 21/2023.")
    total: FiguresOut
    services: list[GroupOut]
    kelurahan: list[GroupOut]


@router.get("/staff/performance/", auth=staff_auth, url_name="staff_performance",
            response={200: ReportOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
            summary="Laporan kinerja pelayanan satu periode",
            description="`jenis`: bulan, triwulan, semester atau tahun (bawaan: bulan); `tahun`, `ke`: bawaan periode "
                        "yang memuat hari ini. Waktu dalam menit kerja (docs/service-report.md).")
def performance(request, jenis: str = "bulan", tahun: int | None = None, ke: int | None = None):
    office = staff_office(request)
    try:
        period = parse(jenis, tahun, ke, today=timezone.localdate())
    except PeriodError as exc:
        raise InvalidInput({"jenis": [str(exc)]}) from None
    report = selectors.service_report(office=office, start=period.start, end=period.end)

    def group(rows):
        return [{"key": r.key, "label": r.label, "name": r.full_name, **r.figures.as_dict()} for r in rows]

    return {
        "period": {"kind": period.kind, "year": period.year, "number": period.number, "label": period.label,
                   "start": period.start, "end": period.end},
        "hours_default": report.hours_default, "total": report.total.as_dict(),
        "services": group(report.services), "kelurahan": group(report.kelurahan),
    }


# --- evaluasi kinerja pelaksana (komponen 14): the Camat and the Sekcam only -------------------

class StaffStepOut(Schema):
    count: int = Field(description="Tahap yang diselesaikan pegawai ini (berkas yang diserahkan pada periode).")
    median_minutes: float | None


class SkmOut(Schema):
    responses: int
    index: float | None = Field(description="Rata-rata jawaban × 25 (skala 25–100, Permenpan RB 14/2017).")


class PersonOut(Schema):
    user_id: int
    name: str
    role: str
    position: str
    unit: str
    working_days: int = Field(description="Hari kerja kantor pada periode sampai hari ini.")
    absent_days: int = Field(description="Hari kerja yang tercatat cuti, sakit, dinas luar, diklat atau izin.")
    present_days: int
    taken_in: int = Field(description="Berkas diterima di loket (tanpa penerimaan yang dibatalkan).")
    cancelled: int
    taken_in_per_day: float | None
    returns: int = Field(description="Pengembalian yang dibuat pegawai ini, termasuk yang kemudian dibatalkan.")
    undone: int = Field(description="Pengembalian yang dibatalkan karena berkas ternyata lengkap.")
    undone_pct: float | None
    returns_per_day: float | None
    steps: dict[str, StaffStepOut] = Field(description=f"Per tahap: {', '.join(STEPS)}.")
    late_attributed: int = Field(description="Berkas terlambat yang tahap terlamanya diselesaikan pegawai ini.")
    late_pct: float | None
    complaints_answered: int
    complaints_answered_on_time: int
    complaints_named: int = Field(description="Pengaduan pada periode yang menyebut pegawai ini.")
    skm: dict[str, SkmOut] = Field(description="Unsur kompetensi dan perilaku pelaksana.")


class EvaluationOut(Schema):
    period: PeriodOut
    counted_to: dt.date
    people: list[PersonOut] = Field(description="Pegawai yang boleh dinilai pemanggil, urut peran dan nama.")
    role_medians: dict[str, dict[str, float | None]] = Field(description="Median kantor per peran untuk setiap angka.")
    unattributed_late: int


class AssessmentIn(Schema):
    jenis: str = "triwulan"
    tahun: int
    ke: int
    aspects: dict[str, str] = Field(default_factory=dict,
                                    description="Aspek (teks Standar Pelayanan) → baik, cukup atau perlu_perbaikan.")
    assessment: str = Field(description="Penilaian.")
    follow_up: str = Field(description="Tindak lanjut yang disepakati.")


class AssessmentOut(Schema):
    id: int
    staff_id: int = Field(description="user_id pegawai yang dinilai.")
    period_label: str
    aspects: list[dict]
    assessment: str
    follow_up: str
    evaluator_name: str
    evaluator_position: str
    at: dt.datetime


def _period(jenis, tahun, ke):
    try:
        return parse(jenis, tahun, ke, today=timezone.localdate())
    except PeriodError as exc:
        raise InvalidInput({"jenis": [str(exc)]}) from None


def _period_out(period) -> dict:
    return {"kind": period.kind, "year": period.year, "number": period.number, "label": period.label,
            "start": period.start, "end": period.end}


@router.get("/staff/evaluation/", auth=staff_auth, url_name="staff_evaluation",
            response={200: EvaluationOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
            summary="Evaluasi kinerja pelaksana satu periode (Camat, Sekcam)",
            description="Angka kerja setiap pegawai yang boleh dinilai pemanggil dan median kantor per peran "
                        "(docs/evaluation.md). Bawaan: triwulan yang memuat hari ini. 403 untuk peran lain.")
def evaluation_figures(request, jenis: str = "triwulan", tahun: int | None = None, ke: int | None = None):
    office = staff_office(request)
    if not policy.is_leader(request.user):
        raise PermissionDenied(policy.EVALUATION_TEXT)
    period = _period(jenis, tahun, ke)
    data, people = evaluation.evaluation_for(office=office, user=request.user, start=period.start, end=period.end)
    roles = {p.role for p in people}
    return {"period": _period_out(period), "counted_to": data.counted_to,
            "people": [p.as_dict() for p in people],
            "role_medians": {r: {k: selectors.rounded(v, 2) for k, v in data.role_medians[r].items()}
                             for r in roles},
            "unattributed_late": data.unattributed_late}


@router.post("/staff/evaluation/{user_id}/assessments/", auth=staff_auth, url_name="staff_evaluation_assess",
             response={201: AssessmentOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="Catat penilaian dan tindak lanjut satu pegawai untuk satu periode (Camat, Sekcam)",
             description="Append-only: penilaian baru untuk periode yang sama menjadi yang berlaku.")
@idempotent
def evaluation_assess(request, user_id: int, payload: AssessmentIn):
    office = staff_office(request)
    if not policy.is_leader(request.user):
        raise PermissionDenied(policy.EVALUATION_TEXT)
    staff = evaluation.staff_get(office=office, user_id=user_id)
    if staff is None:
        raise Http404("Pegawai tidak ditemukan.")
    period = _period(payload.jenis, payload.tahun, payload.ke)
    a = services.assessment_record(office=office, actor=request.user, staff=staff, period=period,
                                   aspects=payload.aspects, assessment=payload.assessment, follow_up=payload.follow_up)
    return Status(201, {"id": a.pk, "staff_id": a.staff_id, "period_label": a.period_label, "aspects": a.aspects,
                        "assessment": a.assessment, "follow_up": a.follow_up, "evaluator_name": a.evaluator_name,
                        "evaluator_position": a.evaluator_position, "at": a.at})
