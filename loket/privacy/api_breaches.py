"""The breach register's API (UU 27/2022 Pasal 46), the same acts and reads as
/staf/privasi/kegagalan/: the list with the 3 × 24-hour clock, a breach with its history and
``allowed_acts``, recording one (Idempotency-Key), and its acts. Only the office's data protection
officer and the Camat (403 with ``policy.HANDLER_TEXT``); a code of another office → 404; wrong
state → 409; bad input → 400 with field errors, nothing saved. Moments are ISO 8601
(``2026-05-12T09:30``, without an offset: the office's local time, WIB)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.core import flow
from loket.privacy import breach_papers, breaches, policy
from loket.privacy.models import Breach

router = Router(tags=["Pelindungan data pribadi"])

ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
MOMENT = "Tanggal dan jam, TTTT-BB-HHTJJ:MM (tanpa zona: waktu setempat, WIB)."


class BreachIn(Schema):
    title: str = Field(..., description="Judul singkat (paling panjang 200 karakter).")
    description: str = Field(..., description="Apa yang terjadi, kapan dan bagaimana data terungkap "
                                              "(Pasal 46 ayat (2) huruf b).")
    occurred_at: str = Field("", description=f"Waktu kejadian, bila diketahui; tidak setelah known_at. {MOMENT}")
    known_at: str = Field(..., description="Waktu kantor mengetahuinya: tenggat 3 × 24 jam dihitung dari sini; "
                                           f"tidak di masa depan. {MOMENT}")
    data_affected: str = Field(..., description="Data pribadi yang terungkap (huruf a).")
    subjects_affected: str = Field(..., description="Subjek data yang terdampak (orang atau kelompok).")
    subjects_count: int | None = Field(None, description="Jumlah orang, bila diketahui.")
    actions: str = Field(..., description="Upaya penanganan dan pemulihan (huruf c).")
    authority: str = Field("", description="Alamat surat kepada lembaga; kosong: Lembaga Pelindungan Data Pribadi.")


class BreachActIn(Schema):
    note: str = Field("", description="act: tindakan (wajib); close: ringkasan penyelesaian (wajib); "
                                      "notify_*: cara penyampaian (opsional).")
    at: str = Field("", description=f"notify_*: waktu pemberitahuan disampaikan (kosong: sekarang). {MOMENT}")
    authority: str = Field("", description="act: alamat surat kepada lembaga yang baru (note: alasannya); "
                                           "upaya penanganan tidak diubah.")


class NoticeOut(Schema):
    notified_at: dt.datetime | None
    in_time: bool | None = Field(description="Disampaikan paling lambat tenggat; null bila belum.")
    late_hours: float | None = Field(description="Terlambat berapa jam (bila disampaikan setelah tenggat).")
    hours_left: float | None = Field(description="Sisa jam sampai tenggat (bila belum disampaikan).")
    overdue_hours: float | None = Field(description="Lewat tenggat berapa jam (bila belum disampaikan).")


class ClockOut(Schema):
    due_at: dt.datetime = Field(description="known_at + 72 jam (Pasal 46 ayat (1): 3 × 24 jam).")
    running: bool = Field(description="Terbuka dan masih ada pemberitahuan yang belum dicatat.")
    hours_left: float | None
    overdue_hours: float | None
    late: bool = Field(description="Ada pemberitahuan yang lewat tenggat (disampaikan terlambat atau belum).")
    subjects: NoticeOut
    authority: NoticeOut


class BreachSummaryOut(Schema):
    code: str
    state: str
    state_label: str
    title: str
    known_at: dt.datetime
    clock: ClockOut


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    at: dt.datetime
    note: str


class LetterOut(Schema):
    to: str = Field(description="subjects (subjek data) atau authority (lembaga).")
    number: str = Field(description="Nomor surat dari Buku Agenda Surat Keluar.")
    issued_at: dt.datetime
    verification_code: str


class BreachDetailOut(BreachSummaryOut):
    description: str
    occurred_at: dt.datetime | None
    data_affected: str
    subjects_affected: str
    subjects_count: int | None
    actions: str
    authority: str
    subjects_notified_at: dt.datetime | None
    authority_notified_at: dt.datetime | None
    recorded_by: str
    created_at: dt.datetime
    history: list[StepOut]
    letters: list[LetterOut] = Field(description="Surat pemberitahuan yang sudah terbit (saat pemberitahuan dicatat).")
    allowed_acts: list[str] = Field(description="Tindakan yang boleh dilakukan pemanggil sekarang.")


def _who(user) -> str:
    return user.get_full_name() or user.username


def _summary(b: Breach, clock) -> dict:
    return {"code": b.code, "state": b.state, "state_label": b.get_state_display(), "title": b.title,
            "known_at": b.known_at, "clock": clock.as_json()}


def _detail(b: Breach, user) -> dict:
    return {
        **_summary(b, breaches.clock_of(b)),
        **{f: getattr(b, f) for f in ("description", "occurred_at", "data_affected", "subjects_affected",
                                      "subjects_count", "actions", "authority", "subjects_notified_at",
                                      "authority_notified_at", "created_at")},
        "recorded_by": _who(b.recorded_by),
        "history": [{"action": s.action, "from_state": s.from_state, "to_state": s.to_state, "actor": _who(s.actor),
                     "at": s.at, "note": s.note} for s in breaches.steps_of(b)],
        "letters": [{"to": to, "number": d.number, "issued_at": d.issued_at, "verification_code": d.verification_code}
                    for to, d in breach_papers.letters_issued(b).items()],
        "allowed_acts": flow.acts_allowed(policy.BREACH_ACTS, user, b),
    }


def _read(request, code: str) -> Breach:
    """The breach of the caller's office (handlers only): 403 for anyone else, 404 for an unknown
    code and another office's."""
    office = staff_office(request)
    policy.handler_required(request.user)
    b = breaches.breach_get(office=office, code=code)
    if b is None:
        raise Http404(f"Catatan kegagalan {code} tidak ditemukan.")
    return b


@router.get("/privacy/breaches/", auth=staff_auth, url_name="privacy_breaches",
            response={200: list[BreachSummaryOut], 401: ErrorOut, 403: ErrorOut},
            summary="Register kegagalan pelindungan data pribadi (pejabat PDP, Camat)",
            description="Yang sedang ditangani dulu (tenggat terdekat dulu), lalu yang ditutup (terbaru dulu); "
                        f"paling banyak {breaches.LIST_MAX} masing-masing. Setiap baris dengan jam 3 × 24 jamnya.")
def breach_list(request):
    office = staff_office(request)
    policy.handler_required(request.user)
    open_rows, closed_rows = breaches.breaches_of(office=office)
    return [_summary(r.breach, r.clock) for r in open_rows + closed_rows]


@router.post("/privacy/breaches/", auth=staff_auth, url_name="privacy_breaches",
             response={201: BreachDetailOut, **ERRORS},
             summary="Catat kegagalan pelindungan data pribadi (pejabat PDP, Camat)",
             description="Tenggat pemberitahuan kepada subjek data dan lembaga: known_at + 3 × 24 jam (Pasal 46).")
@idempotent
def breach_create(request, payload: BreachIn):
    office = staff_office(request)
    b = breaches.breach_record(office=office, actor=request.user, **payload.dict())
    return Status(201, _detail(_read(request, b.code), request.user))


@router.get("/privacy/breaches/{code}/", auth=staff_auth, url_name="privacy_breach",
            response={200: BreachDetailOut, **ERRORS},
            summary="Baca catatan kegagalan (fakta, jam, riwayat, allowed_acts)")
def breach_detail(request, code: str):
    return _detail(_read(request, code), request.user)


Act = Literal["act", "notify_subjects", "notify_authority", "close"]


@router.post("/privacy/breaches/{code}/{act}/", auth=staff_auth, url_name="privacy_breach_act",
             response={200: BreachDetailOut, **ERRORS},
             summary="Tindakan atas catatan kegagalan",
             description="act (note; atau authority dan note: ubah alamat surat lembaga) · notify_subjects (at, note) · "
                         "notify_authority (at, note): sekali saja, tidak sebelum known_at dan tidak di masa depan · "
                         "close (note). Hanya selama terbuka (409).")
@idempotent
def breach_act(request, code: str, act: Act, payload: BreachActIn | None = None):
    p = payload or BreachActIn()
    code = _read(request, code).code
    flow.perform(breaches.RUN, act, code=code, actor=request.user, data=p.dict())
    return _detail(_read(request, code), request.user)
