"""Data-subject requests through the API (UU 27/2022 Pasal 30, 32, 41, 42-44, 10): the list with
each request's legal clock, one request with its history and ``allowed_acts``, recording a request
(idempotent), and the acts answer and refuse (idempotent). The same functions as the pages
(loket.privacy.requests); the copy of the data itself is GET /privacy/requests/{code}/data
(loket.subjects.api).

Who: the front office, the Sekcam, the Camat and the data protection officer read and record;
the officer and the Camat answer and refuse. The NIK is answered masked; the contact in full to
those who answer. Unknown code or another office's → 404; wrong role → 403; wrong state → 409;
bad input → 400 with field errors, nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.core import flow
from loket.privacy import policy, requests
from loket.privacy.models import Request

router = Router(tags=["Pelindungan data pribadi"])

ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _enum(values, description: str = "") -> dict:
    """A string documented with its allowed values; the act checks it and answers a wrong one with
    an Indonesian field error."""
    return {"json_schema_extra": {"enum": list(values)}, "description": description}


class RequestIn(Schema):
    kind: str = Field(..., **_enum(Request.Kind.values, "Jenis: akses, pembetulan, penghapusan, pembatasan, keberatan."))
    nik: str = Field(..., description="NIK subjek data (16 angka).")
    name: str = Field(..., description="Nama subjek data.")
    contact: str = Field("", description="Telepon atau e-mail untuk jawaban (boleh kosong).")
    identity: str = Field(..., **_enum(Request.Identity.values, "Bagaimana identitas pemohon diperiksa (wajib)."))
    identity_note: str = Field("", description="Wajib untuk kuasa (nama penerima dan surat kuasa) dan pejabat (alasan).")
    details: str = Field(..., description="Isi permintaan, dengan kata-kata pemohon.")
    received_at: dt.datetime | None = Field(None, description="Waktu diterima (bawaan: sekarang); tidak boleh di masa depan.")


class RequestActIn(Schema):
    answer: str = Field("", description="answer: jawaban kepada pemohon.")
    ground: str = Field("", description="refuse: dasar penolakan, salah satu kunci GROUNDS untuk jenis permintaan ini "
                                        "(akses/pembetulan: pasal33a, pasal33b, pasal33c; pembatasan: pasal41a, pasal41b, "
                                        "pasal41c; penghapusan: arsip, pasal33b; keberatan: pasal10).")
    reason: str = Field("", description="refuse: penjelasan kepada pemohon.")


class RequestSummaryOut(Schema):
    code: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    name: str
    nik_masked: str = Field(..., description="NIK dengan 10 digit terakhir disamarkan.")
    received_at: dt.datetime
    due_at: dt.datetime | None = Field(..., description="Batas waktu menurut undang-undang; kosong bila tidak ditetapkan.")
    deadline_basis: str = Field(..., description="Pasal yang menetapkan batas waktu, atau yang tidak menetapkannya.")
    hours_left: int | None = Field(..., description="Selama belum dijawab dan ada batas waktu: sisa jam (negatif: terlambat).")
    overdue: bool


class RequestStepOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor: str = Field(..., description="Nama dan jabatan pegawai.")
    note: str


class RequestDetailOut(RequestSummaryOut):
    contact: str = Field(..., description="Lengkap bagi yang menjawab; disamarkan bagi yang lain.")
    identity: str
    identity_note: str
    details: str
    answer: str
    answered_at: dt.datetime | None
    answered_by: str
    recorded_by: str
    steps: list[RequestStepOut]
    allowed_acts: list[str] = Field(..., description="Tindakan yang boleh dilakukan pemanggil sekarang "
                                                     "(answer, refuse, export: GET /privacy/requests/{code}/data).")


def summary_out(r: Request) -> dict:
    c = requests.clock(r)
    return {"code": r.code, "kind": r.kind, "kind_label": r.get_kind_display(), "state": r.state,
            "state_label": r.get_state_display(), "name": r.name, "nik_masked": requests.masked(r),
            "received_at": r.received_at, "due_at": r.due_at, "deadline_basis": c.basis, "hours_left": c.hours_left,
            "overdue": c.overdue}


def detail_out(r: Request, user) -> dict:
    handler = policy.may_handle(user)
    return {
        **summary_out(r), "contact": r.contact if handler else requests.contact_masked(r.contact),
        "identity": r.identity, "identity_note": r.identity_note, "details": r.details, "answer": r.answer,
        "answered_at": r.answered_at, "answered_by": requests.person_text(r.answered_by) if r.answered_by_id else "",
        "recorded_by": requests.person_text(r.recorded_by),
        "steps": [{"at": s.at, "action": s.action, "from_state": s.from_state, "to_state": s.to_state,
                   "actor": requests.person_text(s.actor), "note": s.note} for s in requests.steps_of(r)],
        "allowed_acts": flow.acts_allowed(policy.REQUEST_ACTS, user, r),
    }


def _readers_only(request) -> None:
    if not requests.may_see(request.user):
        raise PermissionDenied(policy.RECORDER_TEXT)


def _read(request, code: str) -> Request:
    """The request in the caller's office: 404 for an unknown code and another office's (before 403)."""
    r = requests.request_get(office=staff_office(request), code=code)
    if r is None:
        raise Http404(f"Permintaan {code} tidak ditemukan.")
    return r


@router.get("/privacy/requests/", auth=staff_auth, url_name="privacy_requests",
            response={200: list[RequestSummaryOut], 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
            summary="Daftar permintaan subjek data (terbaru dulu, paling banyak 200)")
def request_list(
    request,
    state: str | None = Query(None, description="diterima, dijawab atau ditolak."),
    kind: str | None = Query(None, description="akses, pembetulan, penghapusan, pembatasan atau keberatan."),
    overdue: bool = Query(False, description="Hanya yang belum dijawab dan lewat batas waktu."),
    q: str = Query("", description="Kode atau NIK."),
):
    office = staff_office(request)
    _readers_only(request)
    rows = requests.request_list(office=office, state=state or "", kind=kind or "", overdue=overdue, q=q)
    return [summary_out(r) for r in rows]


@router.post("/privacy/requests/", auth=staff_auth, url_name="privacy_requests",
             response={201: RequestDetailOut, **ERRORS},
             summary="Catat permintaan subjek data",
             description="Untuk petugas pelayanan, Sekcam, Camat dan pejabat pelindungan data pribadi, sesudah "
                         "identitas pemohon diperiksa. Batas waktu dihitung menurut jenisnya (akses, pembetulan, "
                         "pembatasan: 3 × 24 jam; penghapusan dan keberatan: tidak ditetapkan undang-undang).")
@idempotent
def request_record(request, payload: RequestIn):
    office = staff_office(request)
    r = requests.request_record(office=office, actor=request.user, **payload.dict())
    return Status(201, detail_out(_read(request, r.code), request.user))


@router.get("/privacy/requests/{code}/", auth=staff_auth, url_name="privacy_request_detail",
            response={200: RequestDetailOut, **ERRORS}, summary="Baca permintaan subjek data")
def request_detail(request, code: str):
    r = _read(request, code)
    _readers_only(request)
    return detail_out(r, request.user)


Action = Literal["answer", "refuse"]


@router.post("/privacy/requests/{code}/{action}/", auth=staff_auth, url_name="privacy_request_act",
             response={200: RequestDetailOut, **ERRORS}, summary="Jawab atau tolak permintaan subjek data",
             description="answer (answer) · refuse (ground, reason). Hanya pejabat pelindungan data pribadi dan Camat, "
                         "untuk permintaan yang masih diterima.")
@idempotent
def request_act(request, code: str, action: Action, payload: RequestActIn | None = None):
    r = _read(request, code)
    p = payload or RequestActIn()
    flow.perform(requests.RUN, action, code=r.code, actor=request.user, data=p.dict())
    return detail_out(_read(request, r.code), request.user)
