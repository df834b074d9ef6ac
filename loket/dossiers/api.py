"""Dossier endpoints: intake and the actions for staff (token or session), tracking and
verification for the public. Wrong role → 403, wrong state → 409, bad input → 400 with
field errors, each with a message."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.core import flow
from loket.core.ratelimit import public_lookup_allowed
from loket.core.web import public_url
from loket.dossiers import policy, selectors, services
from loket.dossiers.models import Dossier
from loket.papers.selectors import documents_of
from loket.privacy.models import Access
from loket.privacy.services import access_record, shown_fields

router = Router(tags=["Berkas"])


class ApplicantIn(Schema):
    nik: str
    kk_number: str = Field("", description="Nomor KK, boleh kosong: tidak ditanyakan (KK diperiksa sebagai "
                                           "persyaratan), dicatat bila diketik.")
    name: str
    birth_date: str = Field("", description="Kosong: dibaca dari NIK. Diisi: harus sama dengan NIK, kecuali "
                                             "dengan nik_override_reason (data NIK tidak sesuai).")
    sex: str = Field("", description="L atau P. Kosong: dibaca dari NIK (tanggal lahir + 40 = perempuan).")
    marital_status: str = Field("", description="Boleh kosong: hanya bila menentukan persyaratan (KTP-el di bawah "
                                                "17 tahun).")
    address: str
    rt: str
    rw: str
    kelurahan: str = ""
    phone: str = Field("", description="Telepon/WhatsApp, boleh kosong: hanya bila pemohon ingin dihubungi (berkas siap "
                                       "diambil atau dikembalikan); persyaratan layanan tidak memerlukannya (UU 27/2022 "
                                       "Pasal 16 ayat (2) huruf a). Diisi: diperiksa, misalnya 081234567890.")
    email: str = ""


class DossierIn(Schema):
    service: str
    applicant: ApplicantIn
    present: list[int] = []
    originals: list[int] = []
    answers: dict[str, bool] = {}
    by_proxy: bool = False
    proxy_name: str = ""
    note: str = ""
    nik_override_reason: str = Field("", description="Data NIK tidak sesuai: alasan mengisi tanggal lahir/jenis "
                                                    "kelamin yang berbeda dari NIK; tercatat di riwayat berkas.")
    unit: str = Field("", description="Kode unit Kasi yang memverifikasi, hanya untuk layanan yang unitnya dipilih di "
                                      "loket (legalisasi umum lainnya); kosong: unit layanan.")


class ApplicantLastOut(Schema):
    """A returning citizen's data as given at their last dossier at this office."""

    code: str = Field(..., description="Kode lacak berkas terakhir pemohon di kantor ini.")
    received_at: dt.datetime
    kk_number: str
    name: str
    marital_status: str
    address: str
    rt: str
    rw: str
    kelurahan: str
    phone: str = Field(..., description="Kosong bila pemohon tidak memberikan nomor telepon.")
    email: str
    open_dossiers: list[str] = Field(..., description="Berkas pemohon untuk layanan 'service' (bila diberikan) "
                                                     "yang belum diserahkan: kemungkinan berkas ganda.")


class TransitionOut(Schema):
    at: dt.datetime
    from_state: str
    to_state: str
    actor: str
    note: str
    missing: list[str]
    cancels_return: bool = Field(False, description="Langkah 'Batalkan pengembalian': pengembalian sebelumnya keliru.")


class CorrectionOut(Schema):
    at: dt.datetime
    actor: str
    field: str
    label: str
    old: str
    new: str
    reason: str
    state: str


class DocumentOut(Schema):
    kind: str = Field(..., description="legalisasi, surat, penawaran, kuitansi atau akta.")
    title: str
    number: str = Field(..., description="Nomor surat dari Buku Agenda Surat Keluar.")
    issued_at: dt.datetime
    url: str = Field(..., description="PDF naskah (pegawai kantor; yang bertanda tangan elektronik bila ada).")
    verify_url: str = Field(..., description="Halaman verifikasi publik (QR pada naskah).")
    sha256: str = Field(..., description="SHA-256 PDF sebagaimana diterbitkan (sebelum tanda tangan elektronik).")
    signed: bool = Field(..., description="Sudah ditandatangani secara elektronik (PAdES).")


class DossierOut(Schema):
    code: str
    state: str
    state_label: str
    service: str
    unit: str
    applicant_name: str
    received_at: dt.datetime
    elapsed_minutes: float
    standard_minutes: int
    breached: bool
    missing: list[str]
    register_number: str | None
    verification_code: str | None
    signer_capacity: str
    handed_over_to: str
    transitions: list[TransitionOut]
    corrections: list[CorrectionOut]
    documents: list[DocumentOut] = Field(..., description="Naskah yang diterbitkan untuk berkas ini.")
    allowed_acts: list[str] = Field(..., description="Tindakan yang boleh dilakukan pemanggil sekarang "
                                                   "(nilai 'action' pada POST /dossiers/{code}/{action}/).")


class ActionIn(Schema):
    note: str = ""
    reason: str = ""
    changes: dict[str, str] = Field({}, description="correct: data pemohon yang dikoreksi (nama field → nilai baru), "
                                                   "dengan alasan di 'reason'. Tindakan lain tidak membacanya.")
    missing: list[str] = []
    handed_over_to: str = ""
    present: list[int] = Field([], description="resubmit, cancel_return: persyaratan yang ada (id), daftar periksa "
                                               "yang benar; cancel_return menolak daftar yang belum lengkap.")
    originals: list[int] = []


class TrackStep(Schema):
    at: dt.datetime
    state: str
    label: str
    missing: list[str]
    cancelled: bool = Field(False, description="Pengembalian ini kemudian dibatalkan (keliru).")
    correction: bool = Field(False, description="Langkah ini membatalkan pengembalian yang keliru.")


class PublicStateOut(Schema):
    key: str = Field(..., description="in_progress, ready (siap diambil), returned, handed_over atau cancelled.")
    label: str = Field(..., description="Status dalam kata sehari-hari untuk pemohon.")
    hint: str = Field(..., description="Apa yang perlu dilakukan pemohon.")
    missing: list[str] = Field(..., description="Yang harus dilengkapi (hanya bila dikembalikan).")


class TrackOut(Schema):
    code: str
    office: str
    service: str
    state: str
    state_label: str
    public: PublicStateOut
    received_at: dt.datetime
    done_at: dt.datetime | None
    standard: str
    elapsed_minutes: float
    breached: bool
    timeline: list[TrackStep]


class VerifyOut(Schema):
    office: str
    register_number: str
    registered_at: dt.datetime
    service: str
    signer: str
    name: str
    state: str


def dossier_out(d: Dossier, *, user) -> dict:
    """The dossier as ``user`` may see it: the corrections' NIK, KK and telephone values masked
    unless policy.may_read_personal; the acts policy.acts_allowed offers."""
    clock = selectors.dossier_clock(d)
    last = d.transitions.all()
    last_return = next((t for t in reversed(list(last)) if t.to_state == Dossier.State.RETURNED), None)
    return {
        "code": d.code, "state": d.state, "state_label": d.get_state_display(), "service": d.service.code,
        "unit": d.unit.name, "applicant_name": d.applicant_name, "received_at": d.received_at,
        "elapsed_minutes": round(clock.elapsed_minutes, 1), "standard_minutes": selectors.standard_minutes(d.service),
        "breached": clock.breached,
        "missing": last_return.missing if (last_return and d.state == Dossier.State.RETURNED) else [],
        "register_number": d.register_entry.number_display if d.register_entry_id else None,
        "verification_code": d.verification_code, "signer_capacity": d.signer_capacity,
        "handed_over_to": d.handed_over_to,
        "transitions": [
            {"at": t.at, "from_state": t.from_state, "to_state": t.to_state,
             "actor": t.actor.get_full_name() or t.actor.username, "note": t.note, "missing": t.missing,
             "cancels_return": bool(t.cancels_id)}
            for t in last
        ],
        "corrections": selectors.correction_rows(d, full_nik=policy.may_read_personal(user)),
        "documents": [
            {"kind": doc.kind, "title": doc.title, "number": doc.number, "issued_at": doc.issued_at,
             "url": reverse("papers:download", args=[doc.pk]), "verify_url": reverse("verify_detail", args=[doc.verification_code]),
             "sha256": doc.sha256, "signed": doc.signed}
            for doc in documents_of(office_id=d.office_id, reference=d.code)
        ],
        "allowed_acts": policy.acts_allowed(d, user),
    }


def _out(request, code: str) -> dict:
    return dossier_out(_read(request, code, corrections=True), user=request.user)


def _read(request, code: str, *, corrections: bool = False) -> Dossier:
    d = selectors.dossier_get(office=staff_office(request), code=code, corrections=corrections)
    if d is None:
        raise Http404(f"Berkas {code} tidak ditemukan.")
    return d


ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post("/dossiers/", auth=staff_auth, response={201: DossierOut, **ERRORS}, summary="Terima berkas baru")
@idempotent
def dossier_create(request, payload: DossierIn):
    office = staff_office(request)
    d = services.dossier_intake(
        office=office, service_code=payload.service, applicant=payload.applicant.dict(), actor=request.user,
        present=payload.present, originals=payload.originals, answers=payload.answers, by_proxy=payload.by_proxy,
        proxy_name=payload.proxy_name, note=payload.note, nik_override_reason=payload.nik_override_reason,
        unit=payload.unit,
    )
    return Status(201, _out(request, d.code))


@router.get("/applicants/{nik}/last/", auth=staff_auth, response={200: ApplicantLastOut, **ERRORS},
            summary="Data terakhir pemohon di kantor ini (untuk penerimaan berkas)")
def applicant_last(request, nik: str, service: str = ""):
    """For the intake of a returning citizen: their data at their last dossier at this office.
    Only for roles that may read personal data (403 for the others); 404 for a first-time citizen."""
    from ninja.errors import HttpError

    office = staff_office(request)
    if not policy.may_read_personal(request.user):
        raise HttpError(403, "Data pribadi pemohon hanya untuk petugas yang berwenang membacanya.")
    last = selectors.applicant_last(office=office, nik=nik, full_nik=True)
    if last is None:
        raise Http404("Belum ada berkas pemohon dengan NIK ini di kantor ini.")
    access_record(actor=request.user, office_id=office.pk, kind=Access.Kind.DOSSIER, subject_nik=last.get("nik", ""),
                  purpose="Data pemohon terakhir (API)", fields=shown_fields(nik=True, telepon=last.get("phone"), alamat=True))
    duplicates = selectors.dossier_duplicates(office=office, nik=nik, service_code=service) if service else []
    return {**last, "open_dossiers": [d.code for d in duplicates]}


@router.get("/dossiers/{code}/", auth=staff_auth, response={200: DossierOut, **ERRORS}, summary="Baca berkas")
def dossier_detail(request, code: str):
    return _out(request, code)


# --- scans of the papers (pindaian berkas) ------------------------------------------------------
# Registered before the acts' path: '/dossiers/{code}/{action}/' would take 'attachments' as an act.

class AttachmentOut(Schema):
    id: int
    original_name: str
    kind: str = Field(..., description="pdf, jpeg atau png, menurut isi berkas.")
    size: int
    note: str
    state: str = Field(..., description="Status berkas saat pindaian dilampirkan.")
    uploaded_at: dt.datetime
    uploaded_by: str
    download_url: str = Field(..., description="Unduhan untuk petugas kantor ini (sesi login).")


def attachment_out(a, *, code: str) -> dict:
    return {
        "id": a.pk, "original_name": a.original_name, "kind": a.kind, "size": a.size, "note": a.note,
        "state": a.state, "uploaded_at": a.uploaded_at,
        "uploaded_by": a.uploaded_by.get_full_name() or a.uploaded_by.username,
        "download_url": reverse("dossiers:attachment", kwargs={"code": code, "pk": a.pk}),
    }


@router.get("/dossiers/{code}/attachments/", auth=staff_auth, url_name="dossier_attachments",
            response={200: list[AttachmentOut], **ERRORS},
            summary="Daftar pindaian berkas")
def dossier_attachments(request, code: str):
    d = _read(request, code)
    return [attachment_out(a, code=d.code) for a in selectors.attachments_of(d)]


@router.post(
    "/dossiers/{code}/attachments/", auth=staff_auth, url_name="dossier_attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Lampirkan pindaian berkas",
    description="multipart/form-data: `file` (JPEG, PNG atau PDF, diperiksa dari isinya; paling besar "
                "LOKET_UPLOAD_MAX_BYTES) dan `note` (keterangan, boleh kosong). Untuk front office, selama berkas "
                "diterima, dikembalikan atau diteruskan ke Kasi (sebelum paraf).",
)
@idempotent
def dossier_attach(request, code: str, file: UploadedFile | None = File(None), note: str = Form("")):
    d = _read(request, code)  # 404 before 403 for a code of another office
    a = services.dossier_attach(code=d.code, actor=request.user, file=file, note=note)
    return Status(201, attachment_out(a, code=d.code))


Action = Literal["forward", "return", "initial", "sign", "register", "handover", "resubmit", "correct",
                 "register_handover", "cancel_return", "cancel_intake", "resubmit_forward"]


@router.post("/dossiers/{code}/{action}/", auth=staff_auth, response={200: DossierOut, **ERRORS},
             summary="Tindakan atas berkas: forward, return, initial, sign, register, handover, resubmit, correct, "
                     "register_handover (register dan serahkan sekaligus), cancel_return, cancel_intake, "
                     "resubmit_forward (ajukan kembali dan teruskan ke Kasi sekaligus)")
@idempotent
def dossier_action(request, code: str, action: Action, payload: ActionIn | None = None):
    p = payload or ActionIn()
    _read(request, code)  # 404 before 403 for a code of another office
    user = request.user
    data = p.model_dump()
    if action == "return":  # the API has always taken the reason of a return from the note too
        data["reason"] = p.reason or p.note
    data["public_base"] = public_url(request, "/").rstrip("/")  # the QR on an issued paper
    flow.perform(services.RUN, action, code=code, actor=user, data=data)
    return _out(request, code)


def _rate_limited(request, scope):
    from ninja.errors import HttpError

    if not public_lookup_allowed(request, scope):
        raise HttpError(429, "Terlalu banyak permintaan; coba lagi sebentar lagi.")


@router.get("/track/{code}/", response={200: TrackOut, 404: ErrorOut, 429: ErrorOut}, summary="Lacak berkas (publik)")
def track(request, code: str):
    _rate_limited(request, "track")
    data = selectors.tracking_public(code=code)
    if data is None:
        raise Http404("Kode lacak tidak ditemukan.")
    return data


@router.get("/verify/{code}/", response={200: VerifyOut, 404: ErrorOut, 429: ErrorOut}, summary="Verifikasi dokumen (publik)")
def verify(request, code: str):
    _rate_limited(request, "verify")
    data = selectors.verification_public(code=code)
    if data is None:
        raise Http404("Dokumen dengan kode verifikasi ini tidak terdaftar: kemungkinan palsu.")
    return data
