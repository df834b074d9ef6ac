"""Acts on complaints (pengaduan). Every change of state goes through a function here.

Each act checks, in this order, the actor's role, the office, the state, then the input; it
writes the new state and its ``Step`` row through ``_move`` in one transaction. Answers and
steps are append-only: an answer once sent is never edited, a correction is a new answer.

Who holds a complaint, per state (the seed's flowcharts):

    received, reopened       front office (Petugas pelayanan/ staf kecamatan)
    escalated                back office: the Kasi/ Kasubbag of the complaint's unit
    direction_requested      Camat or Sekretaris Kecamatan (arahan)
    directed                 whoever asked for it (back office, or front office: direction_direct)
    coordinating             whoever held it before, when the result comes in
    answered                 front office (closes it or records the complainant's word)

(the general flowchart; a service with its own routing in the standard, the PPAT and the
hall, names other roles: policy.Routing)

``ACTS`` is that table in code: the services check it, and the screens and the API ask
``acts_allowed`` which buttons to show, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from loket.complaints import deadlines, inputs
from loket.complaints.models import Answer, Attachment, Category, Complaint, Coordination, Step
from loket.complaints.policy import (
    ACTS, NAME_STAFF_ACTION, RECORDERS, escalation_units, pending_coordination, routing_of,
)
from loket.complaints.selectors import contact_of, staff_label
from loket.core.inputs import InputProblem
from loket.core import codes, flow
from loket.core.errors import InvalidInput, WrongState
from loket.offices.models import Office, Staff, Unit
from loket.offices.roles import Role, staff_of
from loket.privacy.models import Access
from loket.privacy.services import access_record, shown_fields
from loket.registers.models import RegisterBook
from loket.registers.services import register_entry_add

log = logging.getLogger(__name__)
S = Complaint.State
C = Complaint.Channel
R = Complaint.ReplyVia

# --- the one write path ----------------------------------------------------------------------

_move = partial(flow.move, history=Step, link="complaint")


def _locked(code: str) -> Complaint:
    return flow.locked(Complaint, code=codes.normalise(code), missing=f"Pengaduan {code} tidak ditemukan.")


# --- acts -------------------------------------------------------------------------------------

def _files_delete(paths: list[str]) -> None:
    from django.core.files.storage import default_storage

    for path in paths:
        default_storage.delete(path)
    paths.clear()


def _intake(*, office: Office, cleaned: dict, files, actor, note: str) -> Complaint:
    checked = inputs.files_check(files)
    now = timezone.now()
    target = deadlines.target_days_for(kind=cleaned["kind"], category=cleaned["category"])
    due, legal = deadlines.due_dates(office_id=office.pk, start=now, target_days=target)
    if cleaned["channel"] == C.LAPOR:
        cleaned["lapor_forward_due"], cleaned["lapor_followup_due"] = deadlines.lapor_due_dates(
            office_id=office.pk, start=now)
    unit_id = cleaned.pop("unit_id_from_service", None)
    named = cleaned.get("staff_named")  # a user, with its Staff row (inputs.staff_named_clean)
    saved_paths: list[str] = []

    def write(code: str) -> Complaint:
        # The Buku Pengaduan line and the complaint commit together, or neither does; on a
        # clash of codes both are tried again with another code (flow.new_code).
        _files_delete(saved_paths)  # of an attempt that clashed
        entry = register_entry_add(
            office_id=office.pk, kind=RegisterBook.Kind.PENGADUAN, actor=actor, at=now,
            subject=f"{Complaint.Kind(cleaned['kind']).label}: {cleaned['subject']}"[:400],
            name=cleaned["name"] or "Anonim", reference=code,
            note=C(cleaned["channel"]).label + (f" {cleaned['lapor_number']}" if cleaned.get("lapor_number") else ""),
        )
        complaint = Complaint.objects.create(
            office=office, code=code, register_entry=entry, state="", received_at=now, received_by=actor,
            clock_started_at=now, target_days=target, due_date=due, legal_due_date=legal,
            **({"unit_id": unit_id} if unit_id else {}), **cleaned,
        )
        for f, kind, size in checked:
            att = Attachment(complaint=complaint, original_name=str(getattr(f, "name", "lampiran"))[-200:],
                             kind=kind, size=size, uploaded_at=now, uploaded_by=actor)
            # Stored under a random name: the sender's file name never becomes a path.
            att.file.save(f"{uuid.uuid4().hex}.{'jpg' if kind == 'jpeg' else kind}", f, save=False)
            saved_paths.append(att.file.name)
            att.save()
        _move(complaint, to=S.RECEIVED, action="intake", actor=actor, at=now,
              note=note or f"Diterima lewat {C(cleaned['channel']).label}; Buku Pengaduan nomor {entry.number_display}.")
        if named is not None:
            # a step of its own, so the intake's note (read by every staff role) never names them
            _move(complaint, to=S.RECEIVED, action=NAME_STAFF_ACTION, actor=actor, at=now,
                  note=f"Pegawai yang diadukan dicatat saat pencatatan: {staff_label(named.staff)}.")
        return complaint

    try:
        complaint = flow.new_code(write)
    except IntegrityError:
        _files_delete(saved_paths)
        number = cleaned.get("lapor_number")
        # two clerks recording the same LAPOR! report at once: the unique key decides
        if number and Complaint.objects.filter(office=office, lapor_number=number).exists():
            raise InvalidInput({"lapor_number": [f"Nomor tracking LAPOR! {number} baru saja dicatat."]}) from None
        raise
    except BaseException:
        _files_delete(saved_paths)  # the rows are gone with the transaction; the files go too
        raise
    log.info("complaint %s received via %s", complaint.code, complaint.channel)
    return complaint


def complaint_file_public(*, office: Office, data: dict, files=()) -> Complaint:
    """A citizen files on the website (no login). Spam is held off by the caller (honeypot,
    form age, rate limit); this checks the content like any other intake."""
    cleaned = inputs.complaint_clean(office=office, data=data, public=True)
    return _intake(office=office, cleaned=cleaned, files=files, actor=None, note="")


def complaint_record(*, office: Office, actor, data: dict, files=(), note: str = "") -> Complaint:
    """Staff write down a complaint that came by any channel (the flowchart's "FO mencatat dan
    meregister")."""
    staff = staff_of(actor)
    if staff is None or staff.role not in RECORDERS:
        raise PermissionDenied("Pencatatan pengaduan hanya untuk " + ", ".join(Role(r).label for r in RECORDERS) + ".")
    if staff.office_id != office.pk:
        raise PermissionDenied("Petugas ini bukan petugas kantor ini.")
    cleaned = inputs.complaint_clean(office=office, data=data, public=False)
    if len(note or "") > inputs.NOTE_MAX:
        raise InvalidInput({"note": [f"Catatan paling panjang {inputs.NOTE_MAX} karakter."]})
    return _intake(office=office, cleaned=cleaned, files=files, actor=actor, note=(note or "").strip())


@transaction.atomic
def complaint_escalate(*, code: str, actor, unit_code: str = "", note: str = "") -> Complaint:
    """Front office passes it to the back office: "jika tidak paham/ kurang jelas disalurkan ke Back Office".
    The unit is one the complaint's routing allows (policy.Routing.units: the PPAT, the Subbag Umum
    for the hall), chosen by itself when there is only one; otherwise any Kasi or the Subbag Umum."""
    c = _locked(code)
    flow.authorise(ACTS, "escalate", actor, c)
    allowed = routing_of(c).units
    units = escalation_units(c)
    wanted = (unit_code or "").strip()
    if not wanted and len(allowed) == 1:
        wanted = allowed[0]
    unit = units.filter(code=wanted).first() if wanted else None
    if unit is None:
        if not allowed:
            raise InvalidInput({"unit": ["Pilih seksi (Kasi) atau Subbag Umum yang menangani."]})
        names = ", ".join(units.values_list("name", flat=True))
        raise InvalidInput({"unit": [f"Pengaduan atas layanan ini diteruskan ke: {names}."]})
    if len(note or "") > inputs.NOTE_MAX:
        raise InvalidInput({"note": [f"Catatan paling panjang {inputs.NOTE_MAX} karakter."]})
    c.unit = unit
    return _move(c, to=S.ESCALATED, action="escalate", actor=actor,
                 note=(note or "").strip() or f"Diteruskan ke {unit.name}.", fields=("unit",))


@transaction.atomic
def complaint_direction_request(*, code: str, actor, question: str) -> Complaint:
    """The back office asks the Camat/Sekcam for direction (ARAHAN DARI CAMAT/ SEKCAM)."""
    c = _locked(code)
    flow.authorise(ACTS, "direction_request", actor, c)
    question = inputs.required_note(question, "question", "Hal yang dimintakan arahan")
    c.direction_to_front = False
    return _move(c, to=S.DIRECTION_REQUESTED, action="direction_request", actor=actor, note=question,
                 fields=("direction_to_front",))


@transaction.atomic
def complaint_direction_direct(*, code: str, actor, question: str) -> Complaint:
    """The front office asks the Camat/Sekcam for direction itself, without the back office: the
    indirect-complaint flowchart draws "FRONT OFFICE" straight to "ARAHAN DARI CAMAT/ SEKCAM"
    ("melaporkan ke BO atau Pimpinan"). The direction comes back to the front office."""
    c = _locked(code)
    flow.authorise(ACTS, "direction_direct", actor, c)
    question = inputs.required_note(question, "question", "Hal yang dimintakan arahan")
    c.direction_to_front = True
    return _move(c, to=S.DIRECTION_REQUESTED, action="direction_direct", actor=actor, note=question,
                 fields=("direction_to_front",))


@transaction.atomic
def complaint_direction_give(*, code: str, actor, direction: str) -> Complaint:
    """The Camat or Sekcam gives direction; the back office answers with it."""
    c = _locked(code)
    flow.authorise(ACTS, "direction_give", actor, c)
    direction = inputs.required_note(direction, "direction", "Arahan")
    return _move(c, to=S.DIRECTED, action="direction_give", actor=actor, note=direction)


@transaction.atomic
def complaint_coordinate(
    *, code: str, actor, kind: str, party: str, question: str, meeting_date: dt.date | str | None = None,
) -> Coordination:
    """Wait for consultation/ coordination/ confirmation with another agency, OPD or kelurahan,
    or take it to a musyawarah, before answering."""
    c = _locked(code)
    flow.authorise(ACTS, "coordinate", actor, c)
    errors = inputs.Errors()
    if kind not in Coordination.Kind.values:
        errors.add("kind", "Pilih: instansi/ OPD lain, kelurahan, atau musyawarah.")
    party = (party or "").strip()
    if not party:
        errors.add("party", "Dengan siapa koordinasi dilakukan wajib diisi.")
    elif len(party) > 200:
        errors.add("party", "Pihak paling panjang 200 karakter.")
    question = (question or "").strip()
    if not question:
        errors.add("question", "Hal yang ditanyakan/ agenda wajib diisi.")
    elif len(question) > inputs.NOTE_MAX:
        errors.add("question", f"Hal yang ditanyakan paling panjang {inputs.NOTE_MAX} karakter.")
    day = None
    if meeting_date not in (None, ""):
        try:
            day = inputs.day(meeting_date)
        except InputProblem as exc:
            errors.add("meeting_date", str(exc))
    elif kind == Coordination.Kind.MEETING:
        errors.add("meeting_date", "Tanggal musyawarah wajib diisi.")
    if errors:
        raise InvalidInput(dict(errors))
    now = timezone.now()
    coordination = Coordination.objects.create(
        complaint=c, kind=kind, party=party, question=question, meeting_date=day, asked_at=now, asked_by=actor,
        resume_state=c.state,
    )
    _move(c, to=S.COORDINATING, action="coordinate", actor=actor, at=now,
          note=f"{Coordination.Kind(kind).label}: {party}. {question}")
    return coordination


@transaction.atomic
def complaint_coordination_result(*, code: str, actor, result: str, meeting_date: dt.date | str | None = None) -> Complaint:
    """The result of the coordination (or the musyawarah's outcome) is in; the complaint goes
    back to whoever held it."""
    c = _locked(code)
    flow.authorise(ACTS, "coordination_result", actor, c)
    pending = pending_coordination(c)
    result = inputs.required_note(result, "result", "Hasil koordinasi/ musyawarah")
    now = timezone.now()
    fields = {"answered_at": now, "answered_by": actor, "result": result}
    if meeting_date not in (None, ""):
        try:
            fields["meeting_date"] = inputs.day(meeting_date)
        except InputProblem as exc:
            raise InvalidInput({"meeting_date": [str(exc)]}) from None
    # Written once: the filter on answered_at makes a second result impossible.
    if not Coordination.objects.filter(pk=pending.pk, answered_at__isnull=True).update(**fields):
        raise WrongState("Hasil koordinasi ini sudah dicatat.")
    return _move(c, to=pending.resume_state, action="coordination_result", actor=actor, at=now,
                 note=f"Hasil {Coordination.Kind(pending.kind).label.lower()} ({pending.party}): {result}")


def _reply_via(c: Complaint, reply_via: str | None) -> str:
    value = reply_via or c.reply_via
    if value not in R.values:
        raise InvalidInput({"reply_via": ["Pilih cara jawaban disampaikan."]})
    if c.anonymous and value not in inputs.ANONYMOUS_REPLIES:
        raise InvalidInput({"reply_via": ["Pengadu tanpa nama hanya bisa dijawab lewat halaman lacak atau secara langsung."]})
    needed = inputs.CONTACT_FOR.get(value)
    if needed and not getattr(c, needed):
        raise InvalidInput({"reply_via": [f"Pengadu tidak meninggalkan kontak untuk jawaban lewat {R(value).label}."]})
    return value


@transaction.atomic
def complaint_answer(*, code: str, actor, text: str, reply_via: str | None = None) -> Answer:
    """Send the answer by the complainant's channel, recording who sent it, when and how.
    The text is shown on the public tracking page: it is written for the complainant."""
    c = _locked(code)
    flow.authorise(ACTS, "answer", actor, c)
    text = inputs.required_note(text, "text", "Jawaban", inputs.TEXT_MAX)
    via = _reply_via(c, reply_via)
    now = timezone.now()
    answer = Answer.objects.create(complaint=c, text=text, reply_via=via, sent_by=actor, sent_at=now)
    changed = ()
    if c.first_answered_at is None:
        c.first_answered_at = now
        changed = ("first_answered_at",)
    _move(c, to=S.ANSWERED, action="answer", actor=actor, at=now, note=f"Jawaban disampaikan lewat {R(via).label}.",
          fields=changed)
    return answer


@transaction.atomic
def complaint_answer_correct(*, code: str, actor, text: str, reason: str, reply_via: str | None = None) -> Answer:
    """A correction of a sent answer: a new answer naming the one it corrects; the old one stays."""
    c = _locked(code)
    flow.authorise(ACTS, "correct", actor, c)
    reason = inputs.required_note(reason, "reason", "Alasan koreksi")
    text = inputs.required_note(text, "text", "Jawaban koreksi", inputs.TEXT_MAX)
    via = _reply_via(c, reply_via)
    last = c.answers.order_by("-sent_at", "-pk").first()
    now = timezone.now()
    answer = Answer.objects.create(complaint=c, text=text, reply_via=via, sent_by=actor, sent_at=now, corrects=last)
    _move(c, to=c.state, action="correct", actor=actor, at=now, note=f"Koreksi jawaban: {reason}")
    return answer


@transaction.atomic
def complaint_feedback(*, code: str, satisfied: bool, note: str = "", actor=None) -> Complaint:
    """The complainant's word on the answer: satisfied closes it, not satisfied reopens it with
    a fresh target. ``actor`` None: the complainant on the tracking page (the code is the key);
    otherwise the front office writing down what was said by telephone or at the counter."""
    c = _locked(code)
    if actor is not None:
        flow.authorise(ACTS, "feedback", actor, c)
    elif c.state not in ACTS["feedback"].states:
        raise WrongState("Tanggapan hanya dapat diberikan setelah jawaban dikirim dan sebelum pengaduan ditutup.")
    note = (note or "").strip()
    if len(note) > inputs.NOTE_MAX:
        raise InvalidInput({"note": [f"Catatan paling panjang {inputs.NOTE_MAX} karakter."]})
    if not isinstance(satisfied, bool):
        raise InvalidInput({"satisfied": ["Pilih puas atau belum puas."]})
    now = timezone.now()
    c.satisfied = satisfied
    if satisfied:
        c.closed_at = now
        return _move(c, to=S.CLOSED, action="feedback", actor=actor, at=now,
                     note="Pengadu puas." + (f" {note}" if note else ""), fields=("satisfied", "closed_at"))
    c.clock_started_at = now
    c.due_date, c.legal_due_date = deadlines.due_dates(office_id=c.office_id, start=now, target_days=c.target_days)
    fields = ("satisfied", "clock_started_at", "due_date", "legal_due_date")
    if c.channel == C.LAPOR:  # a new follow-up is due; the forwarding was done the first time
        c.lapor_followup_due = deadlines.lapor_due_dates(office_id=c.office_id, start=now)[1]
        fields = (*fields, "lapor_followup_due")
    return _move(c, to=S.REOPENED, action="feedback", actor=actor, at=now,
                 note="Pengadu belum puas; dibuka kembali." + (f" {note}" if note else ""), fields=fields)


@transaction.atomic
def complaint_close(*, code: str, actor, note: str) -> Complaint:
    """Close an answered complaint without the complainant's word (e.g. no reply after the
    answer, or a suggestion acknowledged); the reason is required."""
    c = _locked(code)
    flow.authorise(ACTS, "close", actor, c)
    note = inputs.required_note(note, "note", "Alasan penutupan")
    c.closed_at = timezone.now()
    return _move(c, to=S.CLOSED, action="close", actor=actor, at=c.closed_at, note=note, fields=("closed_at",))


@transaction.atomic
def complaint_name_staff(*, code: str, actor, staff_named=None) -> Complaint:
    """The Camat or the Sekcam records which staff member of the office the complaint is about
    (``staff_named``: a user id of an active staff member), changes it, or clears it (empty), in
    any state: oversight, not a step of the flow, so the state stays and one Step says who was
    recorded (shown only to them: policy.may_see_staff_named). Only on a complaint proper."""
    c = _locked(code)
    flow.authorise(ACTS, "name_staff", actor, c)
    errors = inputs.Errors()
    staff = inputs.staff_named_clean(errors, c.office_id, staff_named)
    if errors:
        raise InvalidInput(dict(errors))
    new_id = staff.user_id if staff is not None else None
    if new_id == c.staff_named_id:
        raise InvalidInput({"staff_named": [
            "Pegawai itu sudah tercatat sebagai pegawai yang diadukan; tidak ada yang diubah." if new_id else
            "Belum ada pegawai yang diadukan; tidak ada yang dihapus."]})
    before = None
    if c.staff_named_id is not None:
        before = Staff.objects.filter(user_id=c.staff_named_id).select_related("user").first()
    was = f" (sebelumnya: {staff_label(before)})" if before is not None else ""
    if staff is not None:
        note = f"Pegawai yang diadukan dicatat: {staff_label(staff)}{was}."
    else:
        note = f"Pegawai yang diadukan dihapus{was}."
    c.staff_named_id = new_id
    return _move(c, to=c.state, action=NAME_STAFF_ACTION, actor=actor, note=note, fields=("staff_named",))


# --- categories -------------------------------------------------------------------------------

# The default grouping "sesuai dengan permasalahannya", from the 14 components the complaints
# are about; the admin changes it in the admin site. (name, target working days or None, children)
DEFAULT_CATEGORIES = [
    ("Informasi persyaratan/ prosedur", 2, []),
    ("Pelayanan administrasi", None, [
        ("Administrasi kependudukan (KTP-el, KK, pindah, akta)", None),
        ("Surat keterangan dan rekomendasi", None),
        ("Perizinan keramaian dan penutupan jalan", None),
    ]),
    ("Waktu dan biaya pelayanan", None, []),
    ("Perilaku dan kompetensi petugas", None, []),
    ("Sarana dan prasarana kantor", None, []),
    ("Permasalahan kelurahan/ masyarakat", 14, []),
    ("Ketenteraman dan ketertiban umum", None, []),
    ("Pembangunan dan lingkungan", 14, []),
    ("Lain-lain", None, []),
]


@transaction.atomic
def categories_default_create(*, office: Office) -> int:
    """Create the default category tree for an office that has none yet; returns how many were made."""
    if Category.objects.filter(office=office).exists():
        return 0
    made = 0
    for order, (name, target, children) in enumerate(DEFAULT_CATEGORIES, start=1):
        parent = Category.objects.create(office=office, name=name, target_days=target, order=order)
        made += 1
        for child_order, (child, child_target) in enumerate(children, start=1):
            Category.objects.create(office=office, parent=parent, name=child, target_days=child_target, order=child_order)
            made += 1
    return made


# The act each name runs, for the screens and the API alike (core.flow.perform); the names are
# those of policy.ACTS and of the API's path.
RUN = {
    "escalate": complaint_escalate, "direction_direct": complaint_direction_direct,
    "direction_request": complaint_direction_request,
    "direction_give": complaint_direction_give, "coordinate": complaint_coordinate,
    "coordination_result": complaint_coordination_result, "answer": complaint_answer,
    "correct": complaint_answer_correct, "feedback": complaint_feedback, "close": complaint_close,
    "name_staff": complaint_name_staff,
}


def contact_read(c: Complaint, user, *, purpose: str) -> dict:
    """The complainant's name and contact as ``user`` may read them (selectors.contact_of), and,
    when they are shown in full, the record that this person read them (privacy.Access; UU
    27/2022 Pasal 31): the screen or export is ``purpose``."""
    contact = contact_of(c, user)
    if not contact["masked"] and (c.phone or c.email or c.address or c.account):
        access_record(actor=user, office_id=c.office_id, kind=Access.Kind.COMPLAINT, record=c.code, purpose=purpose,
                      fields=shown_fields(telepon=c.phone, alamat=c.address, email=c.email, akun=c.account))
    return contact
