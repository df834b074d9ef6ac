"""Data-subject requests (permintaan subjek data pribadi; UU 27/2022 Bab IV and V): the acts that
record a request, answer or refuse it and log each copy of the data given, and the reads of the
requests with their legal clock.

What the law asks of the office per kind of request, as enacted (docs/privacy.md says where the
text was read):

- **akses** (Pasal 32 ayat (1)-(2)): give the subject access to the data processed and the
  record of their processing, *at the latest 3 × 24 hours* after the request is received;
- **pembetulan** (Pasal 30 ayat (1)-(2)): update or correct inaccurate data *at the latest
  3 × 24 hours* after the request, and tell the subject the result;
- **pembatasan** (Pasal 41 ayat (1)-(3)): delay or restrict processing, in part or in whole, *at
  the latest 3 × 24 hours* after the request, except where (2) a law requires the processing,
  it may endanger someone else, or a written agreement forbids it; tell the subject;
- **penghapusan** (Pasal 42-44): end processing, delete, destroy; each "dilakukan sesuai dengan
  ketentuan peraturan perundang-undangan" (Pasal 42 ayat (2), 43 ayat (2)); destruction when the
  retention under the jadwal retensi arsip has passed (Pasal 44 ayat (1) huruf a). **No
  deadline** is set: ``due_at`` stays empty and the screens say so. Most of Loket is a public
  register kept under a legal obligation and the archive law (UU 43/2009 tentang Kearsipan and
  the office's JRA), so such a request is answered by explaining what is kept and until when;
- **keberatan** (Pasal 10 ayat (1)): an objection to a decision taken *only* by automated
  processing, profiling included. **No deadline** is set. Loket takes no such decision (every
  act is a person's), which the answer says.

Refusals (Pasal 33: the controller *must* refuse access or change where it (a) endangers the
security, physical or mental health of the subject or someone else, (b) discloses another
person's data, (c) is against national defence and security; Pasal 41 ayat (2) for a
restriction; the archive law for a deletion): ``request_refuse`` takes the ground as one of
``GROUNDS`` of the request's kind, and the explanation.

Who: ``policy.may_record_request`` records (front office, Sekcam, Camat, the officer) after
checking the requester's identity (``Request.Identity``; no copy of the ID is kept); the
officer and the Camat answer, refuse and export (``policy.REQUEST_ACTS``). A correction itself
is done by the record's own act (a dossier's ``dossier_correct``, append-only ``Correction``
rows), never here; the answer says what was corrected.

Acts take keyword arguments, run in one transaction with the request row locked, and write a
``RequestStep`` through ``flow.move``. Bad input → ``InvalidInput`` (nothing saved); wrong role →
PermissionDenied; wrong state → WrongState. NIK and contact never reach the log.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core import codes, flow
from loket.core.errors import InvalidInput
from loket.core.inputs import EARLIEST, NOTE_MAX, TEXT_MAX, InputProblem, text_bounded
from loket.core.nik import NikError, nik_mask, nik_parse
from loket.offices.models import Office
from loket.offices.roles import staff_of
from loket.privacy import policy
from loket.privacy.models import Access, Request, RequestStep

log = logging.getLogger(__name__)

K, S, I = Request.Kind, Request.State, Request.Identity
LIST_MAX = 200
NAME_MAX = Request._meta.get_field("name").max_length
CONTACT_MAX = Request._meta.get_field("contact").max_length
IDENTITY_NOTE_MAX = Request._meta.get_field("identity_note").max_length

# The legal clock per kind: (hours, where the law sets it). None: the law sets no deadline.
THREE_DAYS = 3 * 24
DEADLINES: dict[str, tuple[int | None, str]] = {
    K.ACCESS: (THREE_DAYS, "UU 27/2022 Pasal 32 ayat (2): paling lambat 3 × 24 jam sejak permintaan akses diterima."),
    K.CORRECTION: (THREE_DAYS, "UU 27/2022 Pasal 30 ayat (1): paling lambat 3 × 24 jam sejak permintaan pembaruan "
                               "dan/atau perbaikan diterima."),
    K.RESTRICTION: (THREE_DAYS, "UU 27/2022 Pasal 41 ayat (1): paling lambat 3 × 24 jam sejak permintaan penundaan "
                                "dan pembatasan diterima."),
    K.DELETION: (None, "UU 27/2022 Pasal 42-44 tidak menetapkan batas waktu: pengakhiran, penghapusan dan "
                       "pemusnahan dilakukan sesuai dengan peraturan perundang-undangan (Pasal 42 ayat (2), "
                       "Pasal 43 ayat (2)) dan jadwal retensi arsip (Pasal 44 ayat (1) huruf a)."),
    K.OBJECTION: (None, "UU 27/2022 Pasal 10 tidak menetapkan batas waktu untuk menjawab keberatan."),
}

# What the recording screen says of a deletion request, and the answer offered for it.
DELETION_NOTE = (
    "Sebagian besar data di Loket adalah arsip kantor yang wajib disimpan: buku register, berkas layanan, akta dan "
    "naskah yang terbit dibuat untuk tugas pelayanan publik dan kewajiban hukum. Data itu tidak dapat dihapus begitu "
    "saja: penghapusan dilakukan sesuai dengan peraturan perundang-undangan (UU 27/2022 Pasal 43 ayat (2)), yaitu "
    "UU 43/2009 tentang Kearsipan dan jadwal retensi arsip kantor; sesudah masa retensinya data dimusnahkan "
    "(Pasal 44 ayat (1) huruf a). Yang dapat dihapus atau dihentikan lebih awal: data yang tidak diwajibkan, "
    "misalnya nomor telepon yang dicatat hanya untuk menghubungi pemohon."
)
OBJECTION_NOTE = (
    "Keberatan menurut UU 27/2022 Pasal 10 ayat (1) menyangkut keputusan yang hanya didasarkan pada pemrosesan "
    "otomatis, termasuk pemrofilan. Loket tidak mengambil keputusan seperti itu: setiap tindakan atas berkas "
    "dilakukan dan dicatat oleh pegawai. Keberatan lain atas pelayanan dapat dicatat sebagai pengaduan."
)

# Grounds of a refusal, per kind: key → the words printed in the answer.
_PASAL_33 = {
    "pasal33a": "UU 27/2022 Pasal 33 huruf a: membahayakan keamanan, kesehatan fisik, atau kesehatan mental subjek data "
                "pribadi dan/atau orang lain",
    "pasal33b": "UU 27/2022 Pasal 33 huruf b: berdampak pada pengungkapan data pribadi milik orang lain",
    "pasal33c": "UU 27/2022 Pasal 33 huruf c: bertentangan dengan kepentingan pertahanan dan keamanan nasional",
}
_PASAL_41 = {
    "pasal41a": "UU 27/2022 Pasal 41 ayat (2) huruf a: peraturan perundang-undangan mengharuskan pemrosesan",
    "pasal41b": "UU 27/2022 Pasal 41 ayat (2) huruf b: dapat membahayakan keselamatan pihak lain",
    "pasal41c": "UU 27/2022 Pasal 41 ayat (2) huruf c: subjek data terikat perjanjian tertulis yang tidak "
                "memperbolehkan penundaan dan pembatasan",
}
_ARCHIVE = {
    "arsip": "UU 27/2022 Pasal 42 ayat (2) dan Pasal 43 ayat (2): dilakukan sesuai dengan peraturan perundang-undangan; "
             "data ini arsip yang wajib disimpan menurut UU 43/2009 tentang Kearsipan dan jadwal retensi arsip "
             "kantor sampai masa retensinya habis",
}
GROUNDS: dict[str, dict[str, str]] = {
    K.ACCESS: _PASAL_33,
    K.CORRECTION: _PASAL_33,
    K.RESTRICTION: _PASAL_41,
    K.DELETION: {**_ARCHIVE, "pasal33b": _PASAL_33["pasal33b"]},
    K.OBJECTION: {"pasal10": "UU 27/2022 Pasal 10 ayat (1): tidak ada keputusan yang hanya didasarkan pada "
                             "pemrosesan otomatis, termasuk pemrofilan"},
}

EXPORT_FORMATS = {"pdf": "PDF", "json": "JSON"}

_move = partial(flow.move, history=RequestStep, link="request")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")


# --- reading what was typed ---------------------------------------------------------------------

def _received_at(value, now: dt.datetime) -> dt.datetime:
    """When the office received the request: now by default; a moment typed (a letter that came
    in earlier) as TTTT-BB-HH JJ:MM in office time, or an ISO date-time; never in the future."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return now
    moment = value if isinstance(value, dt.datetime) else None
    if moment is None and isinstance(value, str) and _MOMENT.fullmatch(value.strip()):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace(" ", "T").replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        raise InputProblem("Waktu diterima harus berupa tanggal dan jam, TTTT-BB-HH JJ:MM (mis. 2026-05-12 09:30).")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + dt.timedelta(minutes=5):
        raise InputProblem("Waktu diterima tidak boleh di masa depan.")
    if moment.date() < EARLIEST:
        raise InputProblem(f"Waktu diterima tidak boleh sebelum {EARLIEST:%d-%m-%Y}.")
    return moment


def _clean(*, kind, nik, name, contact, identity, identity_note, details, received_at, now) -> dict:
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def take(field, fn):
        try:
            out[field] = fn()
        except (InputProblem, NikError) as exc:
            errors.setdefault(field, []).append(str(exc))

    kind = str(kind or "").strip()
    if kind not in K.values:
        errors["kind"] = ["Pilih jenis permintaan: " + ", ".join(K.values) + "."]
    else:
        out["kind"] = kind
    take("nik", lambda: nik_parse(str(nik or ""), today=timezone.localdate(now)).nik)
    take("name", lambda: text_bounded(name, label="Nama subjek data", max_len=NAME_MAX, required=True))
    take("contact", lambda: text_bounded(contact, label="Kontak untuk jawaban", max_len=CONTACT_MAX))
    identity = str(identity or "").strip()
    if identity not in I.values:
        errors["identity"] = ["Catat bagaimana identitas pemohon diperiksa (KTP-el asli, KK, surat kuasa, atau "
                              "dikenal langsung oleh pejabat). Permintaan tanpa pemeriksaan identitas tidak dicatat."]
    else:
        out["identity"] = identity
    take("identity_note", lambda: text_bounded(identity_note, label="Keterangan identitas", max_len=IDENTITY_NOTE_MAX))
    if identity in (I.PROXY, I.OFFICER) and not out.get("identity_note") and "identity_note" not in errors:
        errors["identity_note"] = [
            "Tulis nama penerima kuasa dan nomor surat kuasa." if identity == I.PROXY
            else "Tulis siapa pejabat yang mengenal pemohon dan dari mana."]
    take("details", lambda: text_bounded(details, label="Isi permintaan", max_len=TEXT_MAX, required=True))
    take("received_at", lambda: _received_at(received_at, now))
    if errors:
        raise InvalidInput(errors)
    return out


def due_for(kind: str, received_at: dt.datetime) -> dt.datetime | None:
    """The legal deadline of a request of ``kind`` received at ``received_at`` (None: the law sets none)."""
    hours = DEADLINES[kind][0]
    return received_at + dt.timedelta(hours=hours) if hours else None


# --- acts -------------------------------------------------------------------------------------------

def _locked(code: str) -> Request:
    return flow.locked(Request, code=codes.normalise(code), missing=f"Permintaan {code} tidak ditemukan.")


def request_record(*, office: Office, actor, kind, nik, name, contact, identity, identity_note, details,
                   received_at=None) -> Request:
    """Catat permintaan subjek data: the request as the requester put it, after the identity check,
    with its legal deadline (``due_for``) and a new code; its first step "record"."""
    staff = staff_of(actor)
    if not policy.may_record_request(actor):
        raise PermissionDenied(policy.RECORDER_TEXT)
    if staff.office_id != office.pk:
        raise PermissionDenied("Petugas ini bukan petugas kantor ini.")
    now = timezone.now()
    data = _clean(kind=kind, nik=nik, name=name, contact=contact, identity=identity, identity_note=identity_note,
                  details=details, received_at=received_at, now=now)
    due = due_for(data["kind"], data["received_at"])

    def write(code: str) -> Request:
        r = Request.objects.create(office=office, code=code, state="", due_at=due, recorded_by=actor, **data)
        _move(r, to=S.RECEIVED, action="record", actor=actor, at=now,
              note=f"Dicatat. Identitas: {I(r.identity).label}.")
        return r

    with transaction.atomic():
        r = flow.new_code(write)
    log.info("privacy request %s recorded (%s)", r.code, r.kind)
    return r


def request_answer(*, code: str, actor, answer) -> Request:
    """Jawab: the answer given to the requester (what was done, or what the office keeps and why);
    the request is then "dijawab"."""
    with transaction.atomic():
        r = _locked(code)
        flow.authorise(policy.REQUEST_ACTS, "answer", actor, r)
        try:
            text = text_bounded(answer, label="Jawaban", max_len=TEXT_MAX, required=True)
        except InputProblem as exc:
            raise InvalidInput({"answer": [str(exc)]}) from None
        now = timezone.now()
        r.answer, r.answered_at, r.answered_by = text, now, actor
        _move(r, to=S.ANSWERED, action="answer", actor=actor, at=now, note="Jawaban disampaikan.",
              fields=("answer", "answered_at", "answered_by"))
    log.info("privacy request %s answered", r.code)
    return r


def request_refuse(*, code: str, actor, ground, reason) -> Request:
    """Tolak: the request is refused on one of the law's grounds for its kind (``GROUNDS``), with
    the explanation given to the requester; stored as the answer ("Ditolak: <ground>. <reason>")."""
    with transaction.atomic():
        r = _locked(code)
        flow.authorise(policy.REQUEST_ACTS, "refuse", actor, r)
        grounds = GROUNDS[r.kind]
        errors: dict[str, list[str]] = {}
        ground = str(ground or "").strip()
        if ground not in grounds:
            errors["ground"] = ["Pilih dasar penolakan menurut undang-undang: " + "; ".join(grounds.values()) + "."]
        try:
            text = text_bounded(reason, label="Penjelasan penolakan", max_len=NOTE_MAX, required=True)
        except InputProblem as exc:
            errors["reason"] = [str(exc)]
        if errors:
            raise InvalidInput(errors)
        now = timezone.now()
        r.answer, r.answered_at, r.answered_by = f"Ditolak: {grounds[ground]}. {text}", now, actor
        _move(r, to=S.REFUSED, action="refuse", actor=actor, at=now, note=f"Ditolak ({grounds[ground]}).",
              fields=("answer", "answered_at", "answered_by"))
    log.info("privacy request %s refused (%s)", r.code, ground)
    return r


RUN = {"answer": request_answer, "refuse": request_refuse}


def request_export(*, code: str, actor, fmt: str) -> Request:
    """The copy of the data of an access request (PDF or JSON) produced for ``actor``: a step
    "export" (the state stays) and one access record (kind "permintaan", the subject's NIK), in
    the caller's transaction together with the file it produces (loket.subjects)."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput({"format": ["Format salinan: " + ", ".join(EXPORT_FORMATS) + "."]})
    with transaction.atomic():
        r = _locked(code)
        flow.authorise(policy.REQUEST_ACTS, "export", actor, r)
        now = timezone.now()
        purpose = f"Salinan data subjek ({EXPORT_FORMATS[fmt]})"
        Access.objects.create(office_id=r.office_id, actor=actor, at=now, kind=Access.Kind.REQUEST, record=r.code,
                              subject_nik=r.nik, fields="NIK, KK, nama, alamat, telepon, e-mail", purpose=purpose)
        _move(r, to=r.state, action="export", actor=actor, at=now, note=f"{purpose} dibuat.")
    log.info("privacy request %s: data exported (%s)", r.code, fmt)
    return r


# --- reads ------------------------------------------------------------------------------------------

def may_see(user) -> bool:
    """Who reads the requests of the office: those who record them and those who answer them."""
    return policy.may_record_request(user) or policy.may_handle(user)


@dataclass(frozen=True)
class Clock:
    due_at: dt.datetime | None
    basis: str                    # the article that sets the deadline, or says there is none
    open: bool                    # still waiting for an answer
    hours_left: int | None        # while open and with a deadline: whole hours left (negative: late)
    overdue: bool                 # open past the deadline
    answered_late: bool           # answered or refused after the deadline

    @property
    def hours_over(self) -> int:
        return -self.hours_left if self.overdue and self.hours_left is not None else 0

    @property
    def text(self) -> str:
        """The clock in words: "sisa 71 jam", "terlambat 8 jam", "" when closed or without deadline."""
        if not (self.open and self.due_at):
            return ""
        if self.overdue:
            return (_("terlambat %(h)s jam") % {"h": self.hours_over} if self.hours_over
                    else _("terlambat kurang dari 1 jam"))
        return _("sisa %(h)s jam") % {"h": self.hours_left} if self.hours_left else _("sisa kurang dari 1 jam")


def clock(r: Request, now: dt.datetime | None = None) -> Clock:
    now = now or timezone.now()
    is_open = r.state == S.RECEIVED
    left = None
    if is_open and r.due_at:
        left = math.trunc((r.due_at - now).total_seconds() / 3600)
    return Clock(
        due_at=r.due_at, basis=DEADLINES[r.kind][1], open=is_open, hours_left=left,
        overdue=bool(is_open and r.due_at and now > r.due_at),
        answered_late=bool(not is_open and r.due_at and r.answered_at and r.answered_at > r.due_at),
    )


def request_list(*, office: Office, state: str = "", kind: str = "", overdue: bool = False, q: str = "") -> list[Request]:
    """The office's requests, newest first (at most LIST_MAX); ``q`` finds a code or a NIK."""
    qs = Request.objects.filter(office=office)
    if state in S.values:
        qs = qs.filter(state=state)
    if kind in K.values:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(state=S.RECEIVED, due_at__lt=timezone.now())
    q = (q or "").strip()[:40]
    if q:
        digits = re.sub(r"\D", "", q)
        cond = Q(code=codes.normalise(q))
        if len(digits) == 16:
            cond |= Q(nik=digits)
        qs = qs.filter(cond)
    return list(qs.order_by("-received_at", "-pk")[:LIST_MAX])


def code_in_office(*, office: Office, code: str) -> str | None:
    """The normalised code when it is a request of ``office`` (another office's: None, a 404)."""
    found = codes.normalise(code)
    return found if Request.objects.filter(office=office, code=found).exists() else None


def request_get(*, office: Office, code: str) -> Request | None:
    """One request of the office, with whoever recorded and answered it (their staff records)."""
    return (Request.objects.select_related("recorded_by__staff", "answered_by__staff")
            .filter(office=office, code=codes.normalise(code)).first())


def steps_of(r: Request) -> list[RequestStep]:
    return list(r.steps.select_related("actor__staff").order_by("at", "pk"))


def person(user) -> dict:
    """A staff member as a citizen is told who acted: the name as printed and the position (never the
    account's username)."""
    if user is None:
        return {"name": "", "position": ""}
    staff = getattr(user, "staff", None)
    name = (getattr(staff, "full_name", "") or user.get_full_name()).strip()
    if staff is None:
        return {"name": name or "Pegawai (nama tidak tercatat)", "position": ""}
    position = staff.position or staff.get_role_display()
    return {"name": name or "Pegawai (nama tidak tercatat)", "position": position}


def person_text(user) -> str:
    p = person(user)
    return f"{p['name']}, {p['position']}" if p["position"] else p["name"]


def masked(r: Request) -> str:
    return nik_mask(r.nik)


def contact_masked(contact: str) -> str:
    """A telephone or e-mail shown to those who do not answer the request: enough to recognise it,
    not to use it (0812****90, s***@example.id)."""
    text = (contact or "").strip()
    if not text:
        return ""
    if "@" in text:
        local, _at, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    return text[:4] + "*" * max(0, len(text) - 6) + text[-2:] if len(text) > 6 else "*" * len(text)
