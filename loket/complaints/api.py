"""Complaint (pengaduan) endpoints: filing and tracking for the public, the work of the office
for staff (token or session). Every rule lives in loket.complaints.services/ selectors; this
module only translates JSON to the acts and the results back.

Public answers hold exactly the fields of ``selectors.tracking_public`` that the schema below
names (no name, contact, complaint text, internal notes or staff names). Wrong role → 403,
wrong state → 409, bad input → 400 with field errors, unknown code (or another office's code,
for staff) → 404, too many public requests → 429."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.catalog.selectors import office_get
from loket.complaints import policy, selectors, services, spam
from loket.complaints.models import Complaint, Coordination
from loket.core import flow
from loket.core.web import public_url
from loket.core.ratelimit import public_lookup_allowed

router = Router(tags=["Pengaduan"])

# Filing is heavier than a look-up (a register line, a number): at most this many complaints
# per client address and window.
# One limit for the web form and this door (loket.complaints.spam), counted in one bucket.
POSTS_PER_WINDOW = spam.SUBMISSIONS_LIMIT
POST_WINDOW_SECONDS = spam.SUBMISSIONS_WINDOW

TOO_MANY = "Terlalu banyak permintaan; coba lagi sebentar lagi."


def _enum(values, description: str = "") -> dict:
    """A string documented with its allowed values. The value itself is checked by the
    service, which answers a wrong one with a field error in Indonesian (a Literal would give
    pydantic's English message)."""
    return {"json_schema_extra": {"enum": list(values)}, "description": description}


def _values(choices) -> str:
    return "Salah satu dari: " + ", ".join(choices.values) + "."


# --- input --------------------------------------------------------------------------------------

class ComplaintIn(Schema):
    kind: str = Field(..., **_enum(Complaint.Kind.values, "Jenis: pengaduan, konsultasi, saran, informasi."))
    category: int | None = Field(None, description="Id kategori aktif kantor ini (opsional).")
    service: str = Field("", description="Kode layanan dari standar pelayanan yang berlaku (opsional).")
    anonymous: bool = Field(False, description="Rahasiakan identitas: nama dan kontak tidak disimpan.")
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    account: str = Field("", description="Akun media sosial, untuk jawaban lewat Messenger/ Instagram/ Facebook.")
    reply_via: str = Field(..., **_enum(Complaint.ReplyVia.values, "Cara jawaban disampaikan."))
    subject: str = Field(..., description="Pokok masalah, satu baris (paling panjang 200 karakter).")
    text: str = Field(..., description="Uraian (10–5000 karakter).")


class ComplaintRecordIn(ComplaintIn):
    channel: str = Field(..., **_enum(Complaint.Channel.values, "Saluran masuknya pengaduan."))
    lapor_number: str = Field("", description="Nomor tracking SP4N-LAPOR! (5–12 angka, boleh diawali #): wajib untuk "
                                              "saluran lapor, kosong untuk saluran lain; unik per kantor.")
    unit: str = Field("", description="Kode unit yang bersangkutan (opsional).")
    staff_named: int | None = Field(
        None, description="Pegawai yang diadukan (bila ada): id pengguna seorang pegawai aktif kantor ini; hanya untuk "
                          "jenis pengaduan. Hanya Camat dan Sekcam yang membacanya kembali.")
    note: str = Field("", description="Catatan internal (tidak tampil di halaman lacak).")


class ComplaintActIn(Schema):
    """One body for every act; each act reads only its own fields (see the operation's description)."""

    unit: str = Field("", description="escalate: kode seksi (Kasi) atau Subbag Umum; boleh kosong bila layanan hanya punya satu unit back office.")
    note: str = Field("", description="escalate, feedback: catatan; close: alasan penutupan (wajib).")
    question: str = Field("", description="direction_request, direction_direct: hal yang dimintakan arahan; coordinate: hal yang ditanyakan/ agenda.")
    direction: str = Field("", description="direction_give: arahan.")
    # "" (the default, for the other acts) is part of the enum: a default outside it breaks the schema.
    kind: str = Field("", **_enum(["", *Coordination.Kind.values],
                                  "coordinate: instansi, kelurahan atau musyawarah; kosong untuk tindakan lain."))
    party: str = Field("", description="coordinate: dengan siapa.")
    meeting_date: dt.date | None = Field(None, description="coordinate, coordination_result: tanggal musyawarah.")
    result: str = Field("", description="coordination_result: hasil koordinasi/ musyawarah.")
    text: str = Field("", description="answer, correct: teks jawaban (tampil di halaman lacak).")
    reason: str = Field("", description="correct: alasan koreksi.")
    reply_via: str | None = Field(None, description="answer, correct: cara kirim; kosong = pilihan pengadu.")
    satisfied: bool | None = Field(None, description="feedback: pengadu puas (true) atau tidak (false).")
    staff_named: int | None = Field(None, description="name_staff: id pengguna pegawai aktif kantor ini yang diadukan; "
                                                      "null untuk menghapus.")


class ComplaintFeedbackIn(Schema):
    satisfied: bool
    note: str = ""


# --- public output ------------------------------------------------------------------------------

class ComplaintFiledOut(Schema):
    code: str
    register_number: str
    tracking_url: str


class ComplaintTrackStepOut(Schema):
    at: dt.datetime
    state: str
    state_label: str
    label: str


class ComplaintTrackAnswerOut(Schema):
    at: dt.datetime
    text: str
    via: str
    correction: bool


class ComplaintTrackOut(Schema):
    """What anyone holding the code sees. Named field by field so that nothing else leaks."""

    code: str
    office: str
    kind: str
    kind_label: str
    category: str
    channel_label: str
    state: str
    state_label: str
    received_at: dt.datetime
    register_number: str
    due_date: dt.date
    closed_at: dt.datetime | None
    can_give_feedback: bool
    satisfied: bool | None
    timeline: list[ComplaintTrackStepOut]
    answers: list[ComplaintTrackAnswerOut]


# --- staff output -------------------------------------------------------------------------------

class ComplaintSummaryOut(Schema):
    code: str
    kind: str
    channel: str
    state: str
    state_label: str
    subject: str
    unit: str | None
    received_at: dt.datetime
    due_date: dt.date
    legal_due_date: dt.date
    overdue: bool = Field(..., description="Terbuka dan melewati batas waktu target.")
    ageing_days: int = Field(..., description="Hari kerja sejak jam mulai (penerimaan atau pembukaan kembali).")
    register_number: str
    lapor_number: str = Field("", description="Nomor tracking SP4N-LAPOR! (kosong bila bukan dari LAPOR!).")
    lapor_forward_due: dt.date | None = Field(None, description="LAPOR!: batas telaah dan penerusan (3 hari kerja).")
    lapor_followup_due: dt.date | None = Field(None, description="LAPOR!: batas tindak lanjut (5 hari kerja).")
    lapor_overdue: bool = Field(False, description="LAPOR!: melewati batas penerusan atau tindak lanjut.")


class ComplaintStepOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor: str | None = Field(..., description="Kosong bila pengadu sendiri (formulir web, tanggapan di halaman lacak).")
    note: str


class ComplaintAnswerOut(Schema):
    id: int
    at: dt.datetime
    text: str
    reply_via: str
    sent_by: str
    corrects: int | None = Field(..., description="Id jawaban yang dikoreksi.")


class ComplaintCoordinationOut(Schema):
    kind: str
    party: str
    question: str
    meeting_date: dt.date | None
    asked_at: dt.datetime
    asked_by: str
    answered_at: dt.datetime | None
    answered_by: str | None
    result: str


class ComplaintAttachmentOut(Schema):
    id: int
    original_name: str
    kind: str
    size: int


class ComplaintStaffNamedOut(Schema):
    id: int = Field(..., description="Id pengguna pegawai.")
    name: str
    position: str = Field(..., description="Jabatan, atau peran bila jabatan kosong.")


class ComplaintDetailOut(ComplaintSummaryOut):
    anonymous: bool
    name: str
    phone: str
    email: str
    address: str
    account: str
    reply_via: str
    text: str
    category: str = Field(..., description="Nama kategori (induk › anak), kosong bila tanpa kategori.")
    category_id: int | None
    service: str | None = Field(..., description="Kode layanan yang diadukan, bila ada.")
    satisfied: bool | None
    closed_at: dt.datetime | None
    steps: list[ComplaintStepOut]
    answers: list[ComplaintAnswerOut]
    coordinations: list[ComplaintCoordinationOut]
    attachments: list[ComplaintAttachmentOut]
    staff_named: ComplaintStaffNamedOut | None = Field(
        None, description="Pegawai yang diadukan: hanya untuk Camat dan Sekcam (null bagi peran lain, dan bila tidak ada).")
    allowed_acts: list[str] = Field(..., description="Tindakan yang boleh dilakukan pemanggil sekarang.")


# --- helpers ------------------------------------------------------------------------------------

def _who(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def summary_out(c: Complaint, age: selectors.Ageing) -> dict:
    return {
        "code": c.code, "kind": c.kind, "channel": c.channel, "state": c.state, "state_label": c.get_state_display(),
        "subject": c.subject, "unit": c.unit.code if c.unit_id else None, "received_at": c.received_at,
        "due_date": c.due_date, "legal_due_date": c.legal_due_date, "overdue": age.overdue, "ageing_days": age.days,
        "register_number": c.register_entry.number_display,
        "lapor_number": c.lapor_number, "lapor_forward_due": age.lapor_forward_due,
        "lapor_followup_due": age.lapor_followup_due, "lapor_overdue": age.lapor_forward_late or age.lapor_followup_late,
    }


def detail_out(c: Complaint, user) -> dict:
    age = selectors.ageing(c)
    return {
        **summary_out(c, age),
        "anonymous": c.anonymous,
        **{k: v for k, v in services.contact_read(c, user, purpose="API pengaduan").items() if k != "masked"},
        "reply_via": c.reply_via, "text": c.text,
        "category": str(c.category) if c.category_id else "", "category_id": c.category_id,
        "service": c.service.code if c.service_id else None, "satisfied": c.satisfied, "closed_at": c.closed_at,
        "steps": [
            {"at": s.at, "action": s.action, "from_state": s.from_state, "to_state": s.to_state,
             "actor": _who(s.actor), "note": s.note}
            for s in selectors.steps_for(c, user)  # the naming of a staff member: the Camat's and the Sekcam's only
        ],
        "answers": [
            {"id": a.pk, "at": a.sent_at, "text": a.text, "reply_via": a.reply_via, "sent_by": _who(a.sent_by),
             "corrects": a.corrects_id}
            for a in c.answers.all()
        ],
        "coordinations": [
            {"kind": k.kind, "party": k.party, "question": k.question, "meeting_date": k.meeting_date,
             "asked_at": k.asked_at, "asked_by": _who(k.asked_by), "answered_at": k.answered_at,
             "answered_by": _who(k.answered_by), "result": k.result}
            for k in c.coordinations.all()
        ],
        "attachments": [
            {"id": f.pk, "original_name": f.original_name, "kind": f.kind, "size": f.size} for f in c.attachments.all()
        ],
        "staff_named": selectors.staff_named_of(c, user),
        "allowed_acts": policy.acts_allowed(c, user),
    }


def _read(request, code: str) -> Complaint:
    """The complaint in the caller's office: 404 for an unknown code and for another office's."""
    c = selectors.complaint_get(office=staff_office(request), code=code)
    if c is None:
        raise Http404(f"Pengaduan {code} tidak ditemukan.")
    return c


def _rate_limited(request, scope: str) -> None:
    if not public_lookup_allowed(request, scope):
        raise HttpError(429, TOO_MANY)


def _tracking(code: str) -> dict:
    data = selectors.tracking_public(code=code)
    if data is None:
        raise Http404("Kode lacak pengaduan tidak ditemukan.")
    return data


ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
PUBLIC_ERRORS = {404: ErrorOut, 429: ErrorOut}


# --- public -------------------------------------------------------------------------------------

@router.post(
    "/complaints/", response={201: ComplaintFiledOut, 400: FieldErrorsOut, 404: ErrorOut, 429: ErrorOut},
    summary="Sampaikan pengaduan, pertanyaan, saran atau permintaan informasi (publik)",
    description=(
        "Tanpa login; saluran tercatat sebagai *website*. Hanya JSON: lampiran (foto/ PDF) disampaikan lewat "
        "formulir pengaduan di website atau kepada petugas. `office` adalah slug kantor (bawaan: kantor utama "
        f"instalasi ini). Paling banyak {POSTS_PER_WINDOW} pengaduan yang diterima per alamat dalam "
        f"{POST_WINDOW_SECONDS // 60} menit (429; permintaan yang ditolak tidak dihitung). Simpan `code`: dengan "
        "kode itu pengaduan dilacak dan tanggapan diberikan."
    ),
)
@idempotent
def complaint_file(request, payload: ComplaintIn, office: str | None = None):
    try:
        # Only an accepted filing keeps its place in the address's limit (spam.submission_slot).
        with spam.submission_slot(request):
            c = services.complaint_file_public(office=office_get(office), data=payload.dict())
    except spam.TooMany:
        raise HttpError(429, TOO_MANY) from None
    url = public_url(request, reverse("complaints_public:track_detail", args=[c.code]))
    return Status(201, {"code": c.code, "register_number": c.register_entry.number_display, "tracking_url": url})


@router.get("/complaints/{code}/", response={200: ComplaintTrackOut, **PUBLIC_ERRORS},
            summary="Lacak pengaduan (publik, tanpa data pribadi)")
def complaint_track(request, code: str):
    _rate_limited(request, "complaint_track")
    return _tracking(code)


@router.post(
    "/complaints/{code}/feedback/", response={200: ComplaintTrackOut, 400: FieldErrorsOut, 409: ErrorOut, **PUBLIC_ERRORS},
    summary="Tanggapan pengadu atas jawaban (publik)",
    description="Puas menutup pengaduan; tidak puas membukanya kembali dengan target baru. Hanya setelah dijawab (409).",
)
@idempotent
def complaint_feedback_public(request, code: str, payload: ComplaintFeedbackIn):
    _rate_limited(request, "complaint_feedback")
    services.complaint_feedback(code=code, satisfied=payload.satisfied, note=payload.note)
    return _tracking(code)


# --- staff --------------------------------------------------------------------------------------

@router.get("/staff/complaints/", auth=staff_auth, url_name="staff_complaints",
            response={200: list[ComplaintSummaryOut], 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
            summary="Daftar pengaduan kantor (terbaru dulu, paling banyak 200)")
def complaint_list(
    request,
    state: str | None = Query(None, description=_values(Complaint.State)),
    kind: str | None = Query(None, description=_values(Complaint.Kind)),
    channel: str | None = Query(None, description=_values(Complaint.Channel)),
    category: int | None = Query(None, description="Id kategori; termasuk sub-kategorinya."),
    unit: str | None = Query(None, description="Kode unit."),
    overdue: bool = Query(False, description="Hanya yang terbuka dan lewat target."),
    open: bool = Query(False, description="Hanya yang masih terbuka."),
    q: str = Query("", description="Cari kode, pokok masalah atau nama."),
):
    office = staff_office(request)
    filters = {"state": state, "kind": kind, "channel": channel, "category": category, "unit": unit,
               "overdue": "1" if overdue else "", "open": "1" if open else ""}
    rows = selectors.complaint_list(office=office, filters=filters, query=q)
    return [summary_out(c, age) for c, age in selectors.with_ageing(rows, office_id=office.pk)]


@router.post("/staff/complaints/", auth=staff_auth, url_name="staff_complaints", response={201: ComplaintDetailOut, **ERRORS},
             summary="Catat pengaduan yang masuk lewat saluran mana pun",
             description="Untuk petugas front office, Kasi, Sekcam dan Camat (403 untuk peran lain). Lampiran lewat layar staf.")
@idempotent
def complaint_record(request, payload: ComplaintRecordIn):
    office = staff_office(request)
    data = payload.dict()
    note = data.pop("note")
    c = services.complaint_record(office=office, actor=request.user, data=data, note=note)
    return Status(201, detail_out(_read(request, c.code), request.user))


@router.get("/staff/complaints/{code}/", auth=staff_auth, response={200: ComplaintDetailOut, **ERRORS},
            summary="Baca pengaduan (lengkap, dengan data pengadu)")
def complaint_detail(request, code: str):
    return detail_out(_read(request, code), request.user)


Action = Literal["escalate", "direction_direct", "direction_request", "direction_give", "coordinate", "coordination_result",
                 "answer", "correct", "feedback", "close", "name_staff"]


@router.post(
    "/staff/complaints/{code}/{action}/", auth=staff_auth, response={200: ComplaintDetailOut, **ERRORS},
    summary="Tindakan atas pengaduan",
    description=(
        "escalate (unit, note) · direction_direct (question) · direction_request (question) · direction_give (direction) · "
        "coordinate (kind, party, question, meeting_date) · coordination_result (result, meeting_date) · "
        "answer (text, reply_via) · correct (text, reason, reply_via) · feedback (satisfied, note) · close (note) · "
        "name_staff (staff_named; Camat dan Sekcam, pada status apa pun, hanya jenis pengaduan). "
        "`allowed_acts` pada detail menyebut tindakan yang boleh dilakukan pemanggil sekarang."
    ),
)
@idempotent
def complaint_act(request, code: str, action: Action, payload: ComplaintActIn | None = None):
    p = payload or ComplaintActIn()
    found = selectors.code_in_office(office=staff_office(request), code=code)
    if found is None:  # 404 before 403 for a code of another office
        raise Http404(f"Pengaduan {code} tidak ditemukan.")
    code = found
    user = request.user
    flow.perform(services.RUN, action, code=code, actor=user, data={**p.model_dump(), "unit_code": p.unit})
    return detail_out(_read(request, code), user)
