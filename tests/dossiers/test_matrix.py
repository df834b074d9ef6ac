"""Every act on a dossier × every role × every state, against a small explicit table of who may
do what, through the real acts of loket.dossiers.services.

A refusal must change nothing: not the dossier row, not its transitions or checklist, not the
register (entries and RegisterBook.last_number). An allowed act writes the new state and
exactly one transition carrying the actor.

Order of checks (read from services.py, and encoded in ``expected`` of
tests/support/dossier_rules.py, with the table ALLOWED): every act checks
the ROLE before the STATE (require_role → _require_office → _require_state), so a wrong role
on a dossier in a wrong state gets PermissionDenied, never WrongState. The one exception to
"one fixed role per act" is dossier_return: two roles may return, each in its own state — the
front office a RECEIVED dossier (before forwarding), the Kasi of the dossier's unit a FORWARDED
one (at the re-check). Either of them in another state gets WrongState; anyone else gets
PermissionDenied. The reason is checked last, like any other input.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from loket.catalog.models import ServiceType
from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from loket.registers.models import RegisterBook, RegisterEntry
from tests.factories import applicant_data
from tests.support.dossier_rules import (  # noqa: F401  (book is a fixture)
    ACTS, ALLOWED, END_STATES, ROLES, STATES, act, assert_nothing_changed, book, dossier_in, expected, snapshot,
)
from tests.support.marks import refusal_if, refused
from tests.support.world import other  # noqa: F401  (a fixture)
from loket.core.errors import InvalidInput, WrongState

S = Dossier.State

# --- the matrix -------------------------------------------------------------------------

CASES = [
    pytest.param(a, r, s, id=f"{a}-{r}-{s}", marks=refusal_if(refused(expected(a, r, s))))
    for a in ACTS for r in ROLES for s in STATES
]


def test_the_table_covers_every_state_and_allows_only_known_roles():
    assert {s for _, s in ALLOWED} <= set(STATES)
    assert all(roles <= set(ROLES) for roles, _ in ALLOWED.values())
    # every act is allowed somewhere, and every state but the last can be left
    assert {a for a, _ in ALLOWED} == set(ACTS)
    assert {s for _, s in ALLOWED} == set(STATES) - END_STATES


@pytest.mark.parametrize("act_name,role,state", CASES)
def test_matrix(act_name, role, state, office, people, all_items, book):
    d = dossier_in(state, office=office, people=people, items=all_items)
    before = snapshot(d)
    actor = people[role]
    want = expected(act_name, role, state)

    if isinstance(want, type) and issubclass(want, Exception):
        with pytest.raises(want) as info:
            act(act_name, code=d.code, actor=actor, items=all_items)
        assert str(info.value)  # a message the clerk can read
        assert_nothing_changed(d, before)
        return

    result = act(act_name, code=d.code, actor=actor, items=all_items)
    assert result.state == want
    d.refresh_from_db()
    assert d.state == want
    new = list(Transition.objects.filter(dossier=d).order_by("pk"))[before["transitions"]:]
    assert len(new) == 1, "exactly one transition per act"
    t = new[0]
    assert (t.from_state, t.to_state, t.actor_id) == (state, want, actor.pk)
    assert t.at is not None

    if act_name == "register":
        # the register line, and the legalisation's line in the Buku Agenda Surat Keluar
        assert RegisterEntry.objects.count() == before["entries"] + 2
        assert RegisterEntry.objects.filter(book__kind="surat_keluar", reference=d.code).count() == 1
        book.refresh_from_db()
        assert book.last_number == before["last_numbers"][book.pk] + 1 == 8
        assert d.register_entry.number == 8 and d.register_entry.book_id == book.pk
        assert d.register_entry.entered_by_id == actor.pk and d.register_entry.reference == d.code
        assert d.verification_code
    else:
        assert RegisterEntry.objects.count() == before["entries"]
        assert dict(RegisterBook.objects.values_list("pk", "last_number")) == before["last_numbers"]

    if act_name == "sign":
        assert d.signed_by_id == actor.pk
        assert d.signer_capacity == (
            Dossier.SignerCapacity.CAMAT if role == "camat" else Dossier.SignerCapacity.AN_CAMAT
        )
    if act_name == "return":
        assert t.note == "Tanda tangan lurah tidak ada" and t.missing == ["Surat Pengantar RT/ RW"]
    if act_name == "resubmit":
        assert d.clock_started_at == t.at  # the clock restarts at the complete resubmission
        # only the applicable lines (F-1.35 is conditional and was not asked for): all complete now
        assert d.items.count() == d.items.filter(present=True, original_shown=True).count() == 2
    if act_name == "handover":
        assert d.done_at == t.at and d.handed_over_to == "Dinas Kependudukan dan Pencatatan Sipil Kota Contoh"
    if act_name == "cancel_return":
        undone = Transition.objects.get(pk=before["transition_rows"][-1]["id"])
        assert undone.to_state == S.RETURNED and t.cancels_id == undone.pk
        assert t.note == "Pengembalian dibatalkan: Salah centang: KK asli ada"
        # the papers were complete at intake: the clock runs from then, not from the correction
        assert d.clock_started_at == before["row"]["clock_started_at"]
        assert d.items.count() == d.items.filter(present=True, original_shown=True).count() == 2
    if act_name == "cancel_intake":
        assert t.note == "Penerimaan dibatalkan: Salah pilih layanan"
        assert d.register_entry_id is None and not d.verification_code


def test_matrix_size():
    assert len(CASES) == len(ACTS) * len(ROLES) * len(STATES) == 9 * 8 * 8


# --- details the matrix does not show -------------------------------------------------------

def test_incomplete_intake_writes_two_transitions(office, people, all_items):
    d = dossier_in(S.RETURNED, office=office, people=people, items=all_items)
    assert list(d.transitions.values_list("from_state", "to_state")) == [("", S.RECEIVED), (S.RECEIVED, S.RETURNED)]


def test_incomplete_resubmit_stays_returned_with_one_new_transition(office, people, all_items, book):
    d = dossier_in(S.RETURNED, office=office, people=people, items=all_items)
    before = snapshot(d)
    d = services.dossier_resubmit(code=d.code, actor=people["front"], present=all_items, originals=[])
    assert d.state == S.RETURNED
    new = list(Transition.objects.filter(dossier=d).order_by("pk"))[before["transitions"]:]
    assert len(new) == 1
    t = new[0]
    assert (t.from_state, t.to_state, t.actor_id) == (S.RETURNED, S.RETURNED, people["front"].pk)
    assert t.missing == ["Kartu Keluarga asli (tunjukkan yang asli)"]
    assert d.clock_started_at == before["row"]["clock_started_at"]  # the clock does not restart
    assert RegisterEntry.objects.count() == before["entries"]


def test_return_via_kasi_then_resubmit_then_forward_again(office, people, all_items):
    d = dossier_in(S.FORWARDED, office=office, people=people, items=all_items)
    act("return", code=d.code, actor=people["kasi"])
    act("resubmit", code=d.code, actor=people["front"], items=all_items)
    d = act("forward", code=d.code, actor=people["front"])
    assert d.state == S.FORWARDED
    assert [t.to_state for t in d.transitions.all()] == [S.RECEIVED, S.FORWARDED, S.RETURNED, S.RECEIVED, S.FORWARDED]


@pytest.mark.parametrize("role", ROLES)
def test_return_without_reason_is_refused_and_changes_nothing(role, office, people, all_items):
    d = dossier_in(S.FORWARDED, office=office, people=people, items=all_items)
    before = snapshot(d)
    # role → office → state → reason: only the one who may return hears about the reason
    want = {"kasi": InvalidInput, "front": WrongState}.get(role, PermissionDenied)
    with pytest.raises(want) as info:
        services.dossier_return(code=d.code, actor=people[role], reason="  ")
    if role == "kasi":
        assert "reason" in info.value.errors
    assert_nothing_changed(d, before)


def test_sekcam_may_not_sign_a_service_the_camat_signs_himself(office, people, all_items, book):
    ServiceType.objects.filter(code="pindah", edition__office=office).update(signer=ServiceType.Signer.CAMAT)
    d = dossier_in(S.INITIALLED, office=office, people=people, items=all_items)
    before = snapshot(d)
    with pytest.raises(PermissionDenied, match="Camat sendiri"):
        services.dossier_sign(code=d.code, actor=people["sekcam"])
    assert_nothing_changed(d, before)
    d = services.dossier_sign(code=d.code, actor=people["camat"])
    assert d.state == S.SIGNED and d.signer_capacity == Dossier.SignerCapacity.CAMAT


def test_unknown_code_is_does_not_exist(office, people):
    for name in ACTS:
        with pytest.raises(Dossier.DoesNotExist):
            act(name, code="ZZZZZZZZ", actor=people["front"])


@pytest.mark.parametrize("act_name,state", [(a, s) for (a, s) in ALLOWED])
def test_user_without_staff_record_is_refused(act_name, state, office, people, all_items, django_user_model):
    nobody = django_user_model.objects.create_superuser("root", "root@example.org", "x-Pass-12345")
    d = dossier_in(state, office=office, people=people, items=all_items)
    before = snapshot(d)
    with pytest.raises(PermissionDenied):
        act(act_name, code=d.code, actor=nobody, items=all_items)
    assert_nothing_changed(d, before)


# --- another office -------------------------------------------------------------------------

OTHER_OFFICE_CASES = [
    pytest.param(a, s, r, id=f"{a}-{s}-{r}") for (a, s), (roles, _) in ALLOWED.items() for r in sorted(roles)
]


@pytest.mark.parametrize("act_name,state,role", OTHER_OFFICE_CASES)
def test_act_by_staff_of_another_office_is_refused(act_name, state, role, office, people, all_items, other, book):
    _, people2, _ = other
    d = dossier_in(state, office=office, people=people, items=all_items)
    before = snapshot(d)
    with pytest.raises(PermissionDenied) as info:
        act(act_name, code=d.code, actor=people2[role], items=all_items)
    # A Kasi of the other office already fails the role check of dossier_initial and dossier_return (not the Kasi of
    # *this* unit); everyone else passes the role check and is stopped by the office check.
    wording = "unit" if (act_name, role) in {("initial", "kasi"), ("return", "kasi")} else "kantor lain"
    assert wording in str(info.value)
    assert_nothing_changed(d, before)


@pytest.mark.parametrize("act_name,state,role", OTHER_OFFICE_CASES)
def test_the_other_office_works_on_its_own_dossiers_but_not_ours(
    act_name, state, role, office, people, all_items, other, book,
):
    """Mirror image: the other office's dossier is refused to our staff, and allowed to theirs."""
    office2, people2, items2 = other
    d = dossier_in(state, office=office2, people=people2, items=items2,
                   applicant=applicant_data(kelurahan="35.77.10.1001"))
    before = snapshot(d)
    with pytest.raises(PermissionDenied):
        act(act_name, code=d.code, actor=people[role], items=items2)
    assert_nothing_changed(d, before)
    d = act(act_name, code=d.code, actor=people2[role], items=items2)
    assert d.state == ALLOWED[(act_name, state)][1]
    book.refresh_from_db()
    assert book.last_number == 7  # the other office numbers in its own book, never in ours
    if act_name == "register":
        assert d.register_entry.book.office_id == office2.pk and d.register_entry.number == 1


def test_intake_for_another_office_is_refused(office, people, all_items, other):
    office2, _, items2 = other
    with pytest.raises(PermissionDenied):
        services.dossier_intake(
            office=office2, service_code="pindah", applicant=applicant_data(kelurahan="35.77.10.1001"),
            actor=people["front"], present=items2, originals=items2,
        )
    assert not Dossier.objects.filter(office=office2).exists()
