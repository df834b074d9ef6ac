"""The copy of what the office holds about a person, through the API: GET
/api/v1/privacy/requests/{code}/data (JSON), for an access request (UU 27/2022 Pasal 32), with the
same rule and the same record as the page's data.json (``privacy.policy.REQUEST_ACTS`` "export":
the data protection officer or the Camat; the request's step "export" and one access record are
written with it). Unknown code or another office's → 404; wrong role → 403; not an access request,
or refused → 409.

And the retention schedule (UU 27/2022 Pasal 42-44): GET /api/v1/privacy/retention/ is the dry
run, POST carries it out; the data protection officer and the Camat only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from loket.api.auth import staff_auth, staff_office
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.privacy import policy, requests as privacy_requests
from loket.subjects import export, retention

router = Router(tags=["Pelindungan data pribadi"])


@router.get(
    "/privacy/requests/{code}/data", auth=staff_auth, url_name="privacy_request_data",
    response={200: dict, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Salinan data pribadi untuk permintaan akses (JSON)",
    description=(
        "Semua yang disimpan kantor tentang NIK pemohon (catatan pemohon, berkas, akta, catatan yang tidak terhubung "
        "dengan NIK) dan siapa yang membacanya (catatan akses dan ekspor buku yang mencakup tanggal catatannya), "
        "seperti data.json di layar staf. Hanya pejabat pelindungan data pribadi dan Camat, untuk permintaan jenis "
        "akses yang diterima atau dijawab. Setiap panggilan tercatat di riwayat permintaan dan catatan akses."
    ),
)
def subject_data(request, code: str):
    office = staff_office(request)
    r = privacy_requests.request_get(office=office, code=code)
    if r is None:
        raise Http404(f"Permintaan {code} tidak ditemukan.")
    with transaction.atomic():
        r = privacy_requests.request_export(code=r.code, actor=request.user, fmt="json")
        data = export.subject_data(office=office, nik=r.nik)
    return {**data, "request": {"code": r.code, "kind": r.kind, "received_at": r.received_at, "due_at": r.due_at}}


class RetentionLineOut(Schema):
    kind: str = Field(description="Jenis catatan (kunci tetap, mis. kontak-pemohon).")
    label: str
    action: str = Field(description="anonymise, delete, delete-file, atau keep (disimpan Loket).")
    scope: str = Field(description="kantor (catatan kantor ini) atau server (catatan instalasi).")
    months: int | None = Field(description="Masa simpan sesudah catatan selesai; null untuk keep.")
    cutoff: dt.date | None = Field(description="Catatan yang selesai sebelum hari ini terkena.")
    anonymise: int = Field(description="Baris yang (akan) dianonimkan.")
    delete: int = Field(description="Baris atau berkas yang (akan) dihapus.")


class RetentionOut(Schema):
    today: dt.date
    applied: bool = Field(description="false: uji coba, tidak ada yang diubah; true: sudah dilaksanakan.")
    run_id: int | None = Field(description="Catatan pelaksanaan (privacy.RetentionRun) bila dilaksanakan.")
    lines: list[RetentionLineOut]


def _retention_out(lines, *, today, run=None) -> dict:
    return {"today": today, "applied": run is not None, "run_id": run.pk if run else None,
            "lines": [{"kind": line.kind, "label": line.label, "action": line.action, "scope": line.scope,
                       "months": line.months, "cutoff": line.cutoff, "anonymise": line.anonymise,
                       "delete": line.delete} for line in lines]}


def _handler_office(request):
    office = staff_office(request)
    policy.handler_required(request.user)
    return office


@router.get("/privacy/retention/", auth=staff_auth, url_name="privacy_retention",
            response={200: RetentionOut, 401: ErrorOut, 403: ErrorOut},
            summary="Uji coba retensi data pribadi (pejabat pelindungan data pribadi dan Camat)")
def retention_plan(request):
    """What the retention schedule would anonymise or delete today, per record type (UU 27/2022
    Pasal 42-44); nothing is changed. The same as `loket retention` and /staf/privasi/retensi/."""
    office = _handler_office(request)
    today = timezone.localdate()
    return _retention_out(retention.plan(office=office, today=today), today=today)


@router.post("/privacy/retention/", auth=staff_auth, url_name="privacy_retention",
             response={200: RetentionOut, 401: ErrorOut, 403: ErrorOut},
             summary="Laksanakan retensi data pribadi (pejabat pelindungan data pribadi dan Camat)")
def retention_apply(request):
    """Carry out the schedule as of today and record the run (counts only). Registers, the
    applicant's data on dossiers, deeds and reports are never touched. A second call finds
    nothing more to do (and records an empty run)."""
    office = _handler_office(request)
    today = timezone.localdate()
    run = retention.apply(office=office, today=today, by=retention.runner_of(request.user) + " (API)")
    return _retention_out(retention.lines_of(run), today=today, run=run)
