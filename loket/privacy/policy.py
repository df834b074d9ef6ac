"""Who handles personal-data protection in an office, and the act tables of its two flows.

The data protection officer (UU 27/2022 Pasal 53; ``privacy.Officer.user``, appointed per
office by its admin) and the Camat, as head of the controller, handle data-subject requests,
breaches and the record of who read what. Any staff member who meets the citizen may record a
request (the front office, the Sekcam, the Camat, the officer), after checking the identity.

The services authorise from these tables; the screens and the API offer only what
``flow.acts_allowed`` returns."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

from loket.core import codes, flow
from loket.offices.roles import Role, staff_of
from loket.privacy.models import Breach, Officer, Request

HANDLER_TEXT = "Hanya pejabat pelindungan data pribadi kantor ini dan Camat."
RECORDER_TEXT = "Permintaan subjek data dicatat oleh petugas pelayanan, Sekcam, Camat atau pejabat pelindungan data pribadi."

# UU 27/2022 Pasal 46 ayat (1): a breach is notified "paling lambat 3 x 24 (tiga kali dua puluh
# empat) jam", counted here from the moment the office knew of it (Breach.known_at).
DEADLINE = dt.timedelta(hours=3 * 24)

ALL_ROLES = tuple(Role)
RECORDER_ROLES = (Role.FRONT_OFFICE, Role.SEKCAM, Role.CAMAT)


def is_officer(staff) -> bool:
    """Whether this staff record is its office's data protection officer (one query, kept on
    the record for the rest of the request)."""
    if staff is None:
        return False
    cached = getattr(staff, "_privacy_officer", None)
    if cached is None:
        cached = Officer.objects.filter(office_id=staff.office_id, user_id=staff.user_id).exists()
        staff._privacy_officer = cached
    return cached


def _handler(staff, obj=None) -> bool:
    return staff is not None and (staff.role == Role.CAMAT or is_officer(staff))


def officer_of(office) -> Officer | None:
    """The office's data protection officer (Pasal 53), whose contact the letters and the notice give."""
    return Officer.objects.filter(office=office).first()


def may_handle(user) -> bool:
    """The officer and the Camat: the breach register, answering requests, the access record."""
    return _handler(staff_of(user))


def handler_required(user) -> None:
    """Refuse (403, ``HANDLER_TEXT``) whoever is neither the officer nor the Camat: the pages and
    API of the access record, breaches, the data-subject copy and retention."""
    if not may_handle(user):
        raise PermissionDenied(HANDLER_TEXT)


def may_record_request(user) -> bool:
    staff = staff_of(user)
    return staff is not None and (staff.role in RECORDER_ROLES or is_officer(staff))


def _wrong_state(obj, act: flow.Act, staff) -> str:
    return (f"{codes.display(obj.code)} berstatus {obj.get_state_display()}; "
            f"{act.doing_for(getattr(staff, 'role', None))} tidak dapat dilakukan.")


R = Request.State
REQUEST_ACTS = flow.Table(acts={
    "answer": flow.Act("Jawab permintaan", ALL_ROLES, (R.RECEIVED,), scope=_handler, refused=HANDLER_TEXT,
                       doing="menjawab"),
    "refuse": flow.Act("Tolak permintaan", ALL_ROLES, (R.RECEIVED,), scope=_handler, refused=HANDLER_TEXT,
                       doing="menolak"),
    "export": flow.Act("Unduh data subjek", ALL_ROLES, (R.RECEIVED, R.ANSWERED), scope=_handler,
                       refused=HANDLER_TEXT, doing="mengunduh data",
                       ready=lambda r: "" if r.kind == Request.Kind.ACCESS else
                       "Salinan data hanya untuk permintaan akses."),
}, wrong_state=_wrong_state)

B = Breach.State
BREACH_ACTS = flow.Table(acts={
    "act": flow.Act("Catat tindakan", ALL_ROLES, (B.OPEN,), scope=_handler, refused=HANDLER_TEXT,
                    doing="mencatat tindakan"),
    "notify_subjects": flow.Act("Catat pemberitahuan kepada subjek data", ALL_ROLES, (B.OPEN,), scope=_handler,
                                refused=HANDLER_TEXT, doing="mencatat pemberitahuan",
                                ready=lambda b: "Pemberitahuan kepada subjek data sudah dicatat."
                                if b.subjects_notified_at else ""),
    "notify_authority": flow.Act("Catat pemberitahuan kepada lembaga", ALL_ROLES, (B.OPEN,), scope=_handler,
                                 refused=HANDLER_TEXT, doing="mencatat pemberitahuan",
                                 ready=lambda b: "Pemberitahuan kepada lembaga sudah dicatat."
                                 if b.authority_notified_at else ""),
    "close": flow.Act("Tutup", ALL_ROLES, (B.OPEN,), scope=_handler, refused=HANDLER_TEXT, doing="menutup"),
}, wrong_state=_wrong_state)
