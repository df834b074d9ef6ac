"""The dossier rules as the dossier tests state them (who may do which act in which state), and
how to bring a dossier into a state through the real acts. Shared by tests/dossiers/test_matrix.py
(every act × role × state), tests/api/test_dossier_matrix.py and tests/dossiers/test_correct.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from loket.dossiers import services
from loket.dossiers.models import Dossier, DossierItem, Transition
from loket.registers.models import RegisterBook, RegisterEntry
from tests.factories import applicant_data
from loket.core.errors import WrongState

S = Dossier.State

ACTS = ["forward", "return", "initial", "sign", "register", "handover", "resubmit", "cancel_return", "cancel_intake"]
ROLES = ["front", "kasi", "kasi_other", "sekcam", "camat", "bendahara", "ppat", "admin"]
STATES = [S.RECEIVED, S.RETURNED, S.FORWARDED, S.INITIALLED, S.SIGNED, S.REGISTERED, S.HANDED_OVER, S.CANCELLED]
END_STATES = {S.HANDED_OVER, S.CANCELLED}  # nothing leaves them

# --- the rules, as the issue states them -------------------------------------------------
# (act, state the dossier must be in) -> (who may do it, the state it moves to).
# "kasi" is the Kasi of the dossier's unit (pemerintahan for 'pindah'); "kasi_other" heads
# another unit of the same office and may do nothing here.
ALLOWED: dict[tuple[str, str], tuple[set[str], str]] = {
    ("forward", S.RECEIVED): ({"front"}, S.FORWARDED),
    ("return", S.RECEIVED): ({"front"}, S.RETURNED),      # front office, before forwarding
    ("return", S.FORWARDED): ({"kasi"}, S.RETURNED),      # Kasi of the unit, at the re-check
    ("initial", S.FORWARDED): ({"kasi"}, S.INITIALLED),
    ("sign", S.INITIALLED): ({"camat", "sekcam"}, S.SIGNED),
    ("register", S.SIGNED): ({"front"}, S.REGISTERED),
    ("handover", S.REGISTERED): ({"front"}, S.HANDED_OVER),
    ("resubmit", S.RETURNED): ({"front"}, S.RECEIVED),    # complete on resubmission
    # undoing a mistake at the counter (issue 15): the front office, with a reason. A return made
    # at the counter (RETURNED here is an incomplete intake) is undone with the right checklist;
    # an intake made by mistake is cancelled while the dossier is still at the counter.
    ("cancel_return", S.RETURNED): ({"front"}, S.RECEIVED),
    ("cancel_intake", S.RECEIVED): ({"front"}, S.CANCELLED),
    ("cancel_intake", S.RETURNED): ({"front"}, S.CANCELLED),
}

# The role each act's first check asks for (see the module docstring for 'return').
ROLE_CHECKED = {
    "forward": {"front"}, "initial": {"kasi"}, "sign": {"camat", "sekcam"},
    "register": {"front"}, "handover": {"front"}, "resubmit": {"front"},
    "cancel_return": {"front"}, "cancel_intake": {"front"},
}


def role_passes(act: str, role: str, state: str) -> bool:
    if act == "return":
        return role in ("front", "kasi")
    return role in ROLE_CHECKED[act]


def expected(act: str, role: str, state: str):
    """The new state, or the exception class the act must raise."""
    rule = ALLOWED.get((act, state))
    if rule and role in rule[0]:
        return rule[1]
    if not role_passes(act, role, state):
        return PermissionDenied  # role is checked first
    return WrongState


# --- bringing a dossier into a state through the real acts ---------------------------------

# The acts (act, role) that lead from a complete intake (RECEIVED) to each state.
PATH_TO = {
    S.RECEIVED: [],
    S.FORWARDED: [("forward", "front")],
    S.INITIALLED: [("forward", "front"), ("initial", "kasi")],
    S.SIGNED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat")],
    S.REGISTERED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")],
    S.HANDED_OVER: [
        ("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front"), ("handover", "front"),
    ],
    S.CANCELLED: [("cancel_intake", "front")],
}


def act(name: str, *, code: str, actor, items=()):
    """Run one act with valid input (a reason for a return, a complete checklist for a resubmit)."""
    if name == "forward":
        return services.dossier_forward(code=code, actor=actor)
    if name == "return":
        return services.dossier_return(code=code, actor=actor, reason="Tanda tangan lurah tidak ada",
                                       missing=["Surat Pengantar RT/ RW"])
    if name == "initial":
        return services.dossier_initial(code=code, actor=actor)
    if name == "sign":
        return services.dossier_sign(code=code, actor=actor)
    if name == "register":
        return services.dossier_register(code=code, actor=actor)
    if name == "handover":
        return services.dossier_handover(code=code, actor=actor)
    if name == "resubmit":
        return services.dossier_resubmit(code=code, actor=actor, present=items, originals=items)
    if name == "cancel_return":
        return services.dossier_cancel_return(code=code, actor=actor, reason="Salah centang: KK asli ada",
                                              present=items, originals=items)
    if name == "cancel_intake":
        return services.dossier_cancel_intake(code=code, actor=actor, reason="Salah pilih layanan")
    raise AssertionError(name)


def dossier_in(state: str, *, office, people, items, service_code: str = "pindah", applicant=None) -> Dossier:
    """A fresh dossier of ``office`` in ``state``, reached only through the real acts. RETURNED is
    an incomplete intake (the counter returns it at once with what is missing)."""
    present = items[:1] if state == S.RETURNED else items
    d = services.dossier_intake(
        office=office, service_code=service_code, applicant=applicant or applicant_data(), actor=people["front"],
        present=present, originals=present,
    )
    for name, role in PATH_TO.get(state, []):
        act(name, code=d.code, actor=people[role], items=items)
    d.refresh_from_db()
    assert d.state == state
    return d


def snapshot(d: Dossier) -> dict:
    """Everything a refused act must leave untouched."""
    return {
        "state": Dossier.objects.get(pk=d.pk).state,
        "transitions": Transition.objects.filter(dossier=d).count(),
        "entries": RegisterEntry.objects.count(),
        "last_numbers": dict(RegisterBook.objects.values_list("pk", "last_number")),
        "row": Dossier.objects.filter(pk=d.pk).values().get(),
        "transition_rows": list(Transition.objects.filter(dossier=d).order_by("pk").values()),
        "items": list(DossierItem.objects.filter(dossier=d).order_by("pk").values()),
    }


def assert_nothing_changed(d: Dossier, before: dict) -> None:
    after = snapshot(d)
    assert after["state"] == before["state"]
    assert after["transitions"] == before["transitions"]
    assert after["entries"] == before["entries"]
    assert after["last_numbers"] == before["last_numbers"]
    assert after == before


@pytest.fixture
def book(office):
    """This year's register book already in use (last number 7), so that a refusal that took a
    number, or an allowed register that took the wrong one, shows."""
    year = timezone.localtime(timezone.now()).year
    return RegisterBook.objects.create(office=office, kind=RegisterBook.Kind.PELAYANAN, year=year, last_number=7)


def ktp_el_intake(office, front, *, birth, marital):
    """A KTP-el intake of a man of Kartoharjo born on ``birth`` (his NIK agrees), with ``marital``."""
    nik = f"357703{birth:%d%m%y}0001"  # a man of Kartoharjo, NIK agreeing with the birth date
    return services.dossier_intake(
        office=office, service_code="ktp-el", actor=front,
        applicant=applicant_data(nik=nik, birth_date=birth, sex="L", marital_status=marital, kelurahan=""),
    )
