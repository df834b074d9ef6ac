"""Who may do what in the catalog (the act table of the standard's evaluation): the services
authorise from it, the screens ask it what to offer.

The periodic evaluation of the standard (Permenpan RB 15/2014; docs/standard-notes.md,
"Evaluasi Standar Pelayanan") is the head of the office's: the Camat, and the office's Admin
who keeps the standard's data. A review note is decided while its edition is a draft; the
notes of an active or archived edition are read-only.
"""

from __future__ import annotations

from loket.core import flow
from loket.offices.roles import Role, staff_of

# The page lists the notes to the people who evaluate the standard.
READERS = (Role.CAMAT, Role.ADMIN)
READERS_TEXT = "Evaluasi Standar Pelayanan hanya untuk Camat dan Admin kantor."


def _wrong_state(note, act: flow.Act, staff) -> str:
    return (f"Catatan pada edisi {note.edition.year} (berstatus {note.edition.get_status_display()}) hanya dapat "
            "dibaca; salin edisi menjadi draf untuk memutuskannya.")


ACTS = flow.Table(acts={
    "decide": flow.Act("Putuskan", READERS, ("draft",), refused="Catatan evaluasi diputuskan hanya oleh Camat "
                                                                "atau Admin kantor.", doing="keputusan"),
}, wrong_state=_wrong_state, not_staff=READERS_TEXT)


def authorise(act: str, actor, note):
    return flow.authorise(ACTS, act, actor, note)


def may_read(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in READERS


def acts_allowed(note, user) -> set[str]:
    return set(flow.acts_allowed(ACTS, user, note))
