"""Who may do what on a complaint, and who reads the complainant's contact (the act table of
the complaints flow; the services authorise from it, the screens and the API offer only what
``acts_allowed`` returns, so the two can never disagree).

Who holds a complaint, per state (the seed's flowcharts):

    received, reopened       front office (Petugas pelayanan/ staf kecamatan)
    escalated, directed      back office: the Kasi/ Kasubbag of the complaint's unit
    direction_requested      Camat or Sekretaris Kecamatan (arahan)
    coordinating             whoever held it before, when the result comes in
    answered                 front office (closes it or records the complainant's word)
"""

from __future__ import annotations

from typing import Callable

from loket.complaints.models import Complaint, Coordination
from loket.core import codes, flow
from loket.offices.roles import Role, has_role, staff_of

S = Complaint.State

# Who may write down a complaint that came in by any channel: the front office first of all,
# and the officials whose own numbers the standard publishes for SMS/WA (Camat, Sekcam, Kasi).
RECORDERS = (Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT)


def may_record(user) -> bool:
    """Whether this user records complaints that come in by visit, telephone or letter (RECORDERS):
    the screens offer the form's button only then; the act checks again."""
    return has_role(user, *RECORDERS)


# --- who holds what --------------------------------------------------------------------------

def _is_front(staff, c: Complaint) -> bool:
    return staff.role == Role.FRONT_OFFICE


def _is_unit_head(staff, c: Complaint) -> bool:
    return staff.role == Role.KASI and c.unit_id is not None and staff.unit_id == c.unit_id


def _is_leader(staff, c: Complaint) -> bool:
    return staff.role in (Role.CAMAT, Role.SEKCAM)


HOLDERS: dict[str, Callable] = {
    S.RECEIVED: _is_front, S.REOPENED: _is_front,
    S.ESCALATED: _is_unit_head, S.DIRECTED: _is_unit_head,
    S.DIRECTION_REQUESTED: _is_leader,
    S.ANSWERED: _is_front,
}


def pending_coordination(c: Complaint) -> Coordination | None:
    """The coordination still waiting for its result (read once per complaint object)."""
    cache = getattr(c, "_pending", None)
    if cache is None:
        cache = c.coordinations.filter(answered_at__isnull=True).order_by("-asked_at", "-pk").first()
        c._pending = cache or False
    return cache or None


def _holds(staff, c: Complaint, state: str | None = None) -> bool:
    state = state or c.state
    if state == S.COORDINATING:
        pending = pending_coordination(c)
        return pending is not None and _holds(staff, c, pending.resume_state)
    check = HOLDERS.get(state)
    return bool(check and check(staff, c))


def _front_or_unit(staff, c: Complaint) -> bool:
    return _is_front(staff, c) or _is_unit_head(staff, c)


def _wrong_state(c: Complaint, act: flow.Act, staff) -> str:
    return f"Pengaduan {codes.display(c.code)} berstatus {c.get_state_display()}; tidak bisa: {act.label.lower()}."


def _act(label, roles, states, who, who_text) -> flow.Act:
    return flow.Act(label, roles, states, who=who, who_text=f"Tindakan '{label}' pada tahap ini hanya untuk {who_text}.")


FO, KASI, LEADERS = (Role.FRONT_OFFICE,), (Role.KASI,), (Role.CAMAT, Role.SEKCAM)
ACTS = flow.Table(acts={
    "escalate": _act("Teruskan ke back office", FO, (S.RECEIVED, S.REOPENED), _is_front, "petugas front office"),
    "direction_request": _act("Minta arahan Camat/ Sekcam", KASI, (S.ESCALATED, S.DIRECTED), _is_unit_head,
                              "Kasi/ Kasubbag unit yang menangani"),
    "direction_give": _act("Beri arahan", LEADERS, (S.DIRECTION_REQUESTED,), _is_leader,
                           "Camat atau Sekretaris Kecamatan"),
    "coordinate": _act("Koordinasi/ musyawarah", FO + KASI, (S.RECEIVED, S.REOPENED, S.ESCALATED, S.DIRECTED), _holds,
                       "pemegang pengaduan saat ini"),
    "coordination_result": _act("Catat hasil koordinasi", FO + KASI, (S.COORDINATING,), _holds,
                                "pemegang pengaduan saat ini"),
    "answer": _act("Catat jawaban", FO + KASI, (S.RECEIVED, S.REOPENED, S.ESCALATED, S.DIRECTED), _holds,
                   "pemegang pengaduan saat ini"),
    "correct": _act("Koreksi jawaban", FO + KASI, (S.ANSWERED, S.CLOSED), _front_or_unit,
                    "petugas front office atau Kasi unitnya"),
    "feedback": _act("Catat tanggapan pengadu", FO, (S.ANSWERED,), _is_front, "petugas front office"),
    "close": _act("Tutup", FO, (S.ANSWERED,), _is_front, "petugas front office"),
}, wrong_state=_wrong_state, other_office="Pengaduan ini milik kantor lain.", not_staff="Hanya untuk pegawai kantor.")


def acts_allowed(complaint: Complaint, user) -> list[str]:
    """The acts this user may do on this complaint now (for buttons; the acts check it again)."""
    return flow.acts_allowed(ACTS, user, complaint)


# --- the complainant's contact details --------------------------------------------------------

# Who reads a complainant's name and contact in full: those who record and answer complaints,
# and the admin (UU 27/2022 on personal data: only those whose task needs it). The Bendahara
# and the PPAT officer see the complaint, masked.
CONTACT_ROLES = {Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT, Role.ADMIN}


def can_see_contact(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in CONTACT_ROLES
