"""The copy of what the office holds about a person, through the API: GET
/api/v1/privacy/requests/{code}/data (JSON), for an access request (UU 27/2022 Pasal 32), with the
same rule and the same record as the page's data.json (``privacy.policy.REQUEST_ACTS`` "export":
the data protection officer or the Camat; the request's step "export" and one access record are
written with it). Unknown code or another office's → 404; wrong role → 403; not an access request,
or refused → 409."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from ninja import Router

from loket.api.auth import staff_auth, staff_office
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.privacy import requests as privacy_requests
from loket.subjects import export

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
