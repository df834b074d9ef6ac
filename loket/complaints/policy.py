"""Who may do what on a complaint, and who reads the complainant's contact (the act table of
the complaints flow; the services authorise from it, the screens and the API offer only what
``acts_allowed`` returns, so the two can never disagree).

Who holds a complaint, per state (the seed's flowcharts):

    received, reopened       front office (Petugas pelayanan/ staf kecamatan)
    escalated                back office: the Kasi/ Kasubbag of the complaint's unit
    direction_requested      Camat or Sekretaris Kecamatan (arahan)
    directed                 whoever asked for the direction (back office, or the front office
                             when it asked directly: the indirect-complaint flowchart)
    coordinating             whoever held it before, when the result comes in
    answered                 front office (closes it or records the complainant's word)

Front office, back office and who gives direction are the general flowchart's unless the
complaint's service carries its own routing (``Routing``): the PPAT and the hall do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from loket.catalog.models import ServiceType
from loket.complaints.models import Complaint, Coordination
from loket.core import codes, flow
from loket.offices.models import Unit
from loket.offices.roles import Role, has_role, staff_of

S = Complaint.State

# Who may write down a complaint that came in by any channel: the front office first of all,
# and the officials whose own numbers the standard publishes for SMS/WA (Camat, Sekcam, Kasi).
RECORDERS = (Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT)


def may_record(user) -> bool:
    """Whether this user records complaints that come in by visit, telephone or letter (RECORDERS):
    the screens offer the form's button only then; the act checks again."""
    return has_role(user, *RECORDERS)


# --- routing: whose complaint it is, per service ------------------------------------------------

@dataclass(frozen=True)
class Routing:
    """Who is the front office, the back office and who gives direction for a complaint. The
    general flowchart is the default; a service whose own complaint flowchart differs carries
    its routing in the standard (``complaint_handling.routing`` of loket/catalog/standard_file.py):
    the PPAT (back office: Petugas administrasi PPAT; direction: the Camat as PPAT only) and the
    hall (front office: Bendahara Penerimaan; back office: Kasubbag. Umum dan Keuangan).
    ``units``: the units an escalation may go to (empty: any Kasi or the Subbag Umum). A Kasi in
    the back office holds only the complaints of its own unit."""

    front: tuple[str, ...] = (Role.FRONT_OFFICE,)
    back: tuple[str, ...] = (Role.KASI,)
    direction: tuple[str, ...] = (Role.CAMAT, Role.SEKCAM)
    units: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict | None) -> "Routing":
        if not data:
            return DEFAULT_ROUTING
        return cls(front=tuple(data.get("front_office") or cls.front), back=tuple(data.get("back_office") or cls.back),
                   direction=tuple(data.get("direction") or cls.direction), units=tuple(data.get("units") or ()))


DEFAULT_ROUTING = Routing()


def routing_of(c: Complaint) -> Routing:
    """The routing of this complaint: its service's, else the general flowchart's (read once
    per complaint object)."""
    cached = getattr(c, "_routing", None)
    if cached is None:
        data = None
        if c.service_id:
            if Complaint.service.is_cached(c):
                handling = c.service.complaint_handling
            else:  # only the one field, not the service's long texts
                handling = ServiceType.objects.filter(pk=c.service_id).values_list("complaint_handling", flat=True).first()
            data = (handling or {}).get("routing")
        cached = c._routing = Routing.from_data(data)
    return cached


def routed_services(office_id: int) -> dict[int, Routing]:
    """Service id → routing, for the services of this office that carry their own (the work
    lists filter by it)."""
    rows = ServiceType.objects.filter(edition__office_id=office_id, complaint_handling__has_key="routing").values_list(
        "pk", "complaint_handling")
    return {pk: Routing.from_data(data.get("routing")) for pk, data in rows if data.get("routing")}


def escalation_units(c: Complaint):
    """The units this complaint may be escalated to: its routing's, else any Kasi or the Subbag Umum."""
    allowed = routing_of(c).units
    units = Unit.objects.filter(office_id=c.office_id)
    return units.filter(code__in=allowed) if allowed else units.filter(kind__in=[Unit.Kind.KASI, Unit.Kind.SUBBAG])


def _names(roles) -> str:
    return " atau ".join(Role(r).label for r in roles)


# --- who holds what --------------------------------------------------------------------------

def _is_front(staff, c: Complaint) -> bool:
    return staff.role in routing_of(c).front


def _is_back(staff, c: Complaint) -> bool:
    """The back office: a Kasi of the complaint's unit, or another role the routing names."""
    if staff.role not in routing_of(c).back:
        return False
    return staff.role != Role.KASI or (c.unit_id is not None and staff.unit_id == c.unit_id)


def _is_leader(staff, c: Complaint) -> bool:
    return staff.role in routing_of(c).direction


def _directed_holder(staff, c: Complaint) -> bool:
    """After direction, the one who asked for it: the front office when it asked directly."""
    return _is_front(staff, c) if c.direction_to_front else _is_back(staff, c)


HOLDERS: dict[str, Callable] = {
    S.RECEIVED: _is_front, S.REOPENED: _is_front,
    S.ESCALATED: _is_back, S.DIRECTED: _directed_holder,
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


def _front_or_back(staff, c: Complaint) -> bool:
    return _is_front(staff, c) or _is_back(staff, c)


# Scopes: the roles this complaint's routing gives the act (checked with the role, before the
# office and the state, like a wrong role).
def _in_front(staff, c) -> bool:
    return staff.role in routing_of(c).front


def _in_back(staff, c) -> bool:
    return staff.role in routing_of(c).back


def _in_front_or_back(staff, c) -> bool:
    r = routing_of(c)
    return staff.role in r.front or staff.role in r.back


def _in_direction(staff, c) -> bool:
    return staff.role in routing_of(c).direction


_REFUSED = {
    _in_front: lambda c: _names(routing_of(c).front),
    _in_back: lambda c: _names(routing_of(c).back),
    _in_front_or_back: lambda c: _names(dict.fromkeys(routing_of(c).front + routing_of(c).back)),
    _in_direction: lambda c: _names(routing_of(c).direction),
}


def _wrong_state(c: Complaint, act: flow.Act, staff) -> str:
    return f"Pengaduan {codes.display(c.code)} berstatus {c.get_state_display()}; tidak bisa: {act.label.lower()}."


def _act(label, scope, states, who, who_text) -> flow.Act:
    return flow.Act(label, STAFF_ROLES, states, who=who, scope=scope,
                    who_text=f"Tindakan '{label}' pada tahap ini hanya untuk {who_text}.",
                    refused=lambda c: f"Tindakan '{label}' pada pengaduan ini hanya untuk {_REFUSED[scope](c)}.")


# --- the staff member a complaint names ----------------------------------------------------------

# Who records, changes and reads which staff member a complaint is about ("Pegawai yang
# diadukan"): the office's leadership, who evaluate the staff. Nobody else sees it, not even
# who recorded it at the counter (UU 27/2022: only those whose task needs it).
STAFF_NAMED_ROLES = (Role.CAMAT, Role.SEKCAM)
NAME_STAFF_LABEL = "Catat pegawai yang diadukan"
# The history's action of that act (and of an intake that named someone): its steps are shown
# only to STAFF_NAMED_ROLES, and never on the tracking page.
NAME_STAFF_ACTION = "name_staff"


def may_see_staff_named(user) -> bool:
    """Whether this user reads which staff member a complaint names (the detail page, the staff
    API, the name_staff steps of the history): the Camat and the Sekcam only."""
    return has_role(user, *STAFF_NAMED_ROLES)


def _only_complaints(c: Complaint) -> str:
    if c.kind == Complaint.Kind.COMPLAINT:
        return ""
    return (f"Pegawai yang diadukan hanya dicatat pada pengaduan; {codes.display(c.code)} berjenis "
            f"{Complaint.Kind(c.kind).label.lower()}.")


# Every role a routing may name; the scope narrows it per complaint.
STAFF_ROLES = (Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT, Role.BENDAHARA, Role.PPAT_OFFICER)
FRONT_STATES = (S.RECEIVED, S.REOPENED)
HELD_STATES = (S.RECEIVED, S.REOPENED, S.ESCALATED, S.DIRECTED)
ACTS = flow.Table(acts={
    "escalate": _act("Teruskan ke back office", _in_front, FRONT_STATES, _holds, "petugas front office"),
    # The indirect-complaint flowchart draws the front office straight to "ARAHAN DARI CAMAT/ SEKCAM".
    "direction_direct": _act("Minta arahan Camat/ Sekcam langsung", _in_front, (*FRONT_STATES, S.DIRECTED), _holds,
                             "petugas front office yang memegang pengaduan"),
    "direction_request": _act("Minta arahan Camat/ Sekcam", _in_back, (S.ESCALATED, S.DIRECTED), _holds,
                              "back office yang menangani"),
    "direction_give": _act("Beri arahan", _in_direction, (S.DIRECTION_REQUESTED,), _is_leader,
                           "pemberi arahan pengaduan ini"),
    "coordinate": _act("Koordinasi/ musyawarah", _in_front_or_back, HELD_STATES, _holds, "pemegang pengaduan saat ini"),
    "coordination_result": _act("Catat hasil koordinasi", _in_front_or_back, (S.COORDINATING,), _holds,
                                "pemegang pengaduan saat ini"),
    "answer": _act("Catat jawaban", _in_front_or_back, HELD_STATES, _holds, "pemegang pengaduan saat ini"),
    "correct": _act("Koreksi jawaban", _in_front_or_back, (S.ANSWERED, S.CLOSED), _front_or_back,
                    "petugas front office atau back office-nya"),
    "feedback": _act("Catat tanggapan pengadu", _in_front, (S.ANSWERED,), _is_front, "petugas front office"),
    "close": _act("Tutup", _in_front, (S.ANSWERED,), _is_front, "petugas front office"),
    # Oversight, not a step of the flow: the Camat and the Sekcam record (or change, or clear) which
    # staff member a complaint is about, in any state, whoever holds it (UU 25/2009 Pasal 40 ayat (3)
    # huruf b, Pasal 41 ayat (2): the pelaksana's superior acts on it). Only on a complaint proper.
    "name_staff": flow.Act(
        NAME_STAFF_LABEL, STAFF_NAMED_ROLES, tuple(S.values), ready=_only_complaints,
        refused=f"Tindakan '{NAME_STAFF_LABEL}' hanya untuk {_names(STAFF_NAMED_ROLES)}.",
    ),
}, wrong_state=_wrong_state, other_office="Pengaduan ini milik kantor lain.", not_staff="Hanya untuk pegawai kantor.")


def acts_allowed(complaint: Complaint, user) -> list[str]:
    """The acts this user may do on this complaint now (for buttons; the acts check it again)."""
    return flow.acts_allowed(ACTS, user, complaint)


# --- the complainant's contact details --------------------------------------------------------

# Who reads a complainant's name and contact in full: those who record and answer complaints,
# and the admin (UU 27/2022 on personal data: only those whose task needs it). The Bendahara
# and the PPAT officer see the complaint masked, unless its routing makes them its front or
# back office (can_see_contact_of).
CONTACT_ROLES = {Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT, Role.ADMIN}


def can_see_contact(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in CONTACT_ROLES


def can_see_contact_of(c: Complaint, user) -> bool:
    """CONTACT_ROLES, and the roles this complaint's routing makes its front or back office (the
    Bendahara answers a hall complaint, the PPAT officer a PPAT one: their task needs it)."""
    staff = staff_of(user)
    if staff is None:
        return False
    r = routing_of(c)
    return staff.role in CONTACT_ROLES or staff.role in r.front or staff.role in r.back
