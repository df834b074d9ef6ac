"""The leadership's API: the service performance report of a period (the same selector as the
page /staf/pimpinan/kinerja/). Every staff role of the office reads it (no personal data);
a period that does not exist → 400 with the reason."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema

from loket.api.auth import staff_auth, staff_office
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.core.errors import InvalidInput
from loket.leadership import selectors
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
