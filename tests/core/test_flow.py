"""The flow kit (loket/core/flow.py): the act table, authorise, acts_allowed, expect, locked,
move and new_code, each on its own (the apps' tables are tested in tests/<app>/test_policy.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from loket.core import flow
from loket.core.errors import WrongState
from loket.offices.models import Office, Unit
from loket.offices.roles import Role


def user(role, *, office_id=1, unit_id=None):
    return SimpleNamespace(is_authenticated=True, staff=SimpleNamespace(role=role, office_id=office_id, unit_id=unit_id))


def thing(state, *, office_id=1, unit_id=7, ready=""):
    return SimpleNamespace(state=state, office_id=office_id, unit_id=unit_id, code="ABCD2345", why=ready,
                           get_state_display=lambda: state.upper())


TABLE = flow.Table(acts={
    "open": flow.Act("Buka", (Role.FRONT_OFFICE,), ("new",)),
    "check": flow.Act("Periksa", (Role.KASI,), ("open",), scope=lambda s, o: s.unit_id == o.unit_id,
                      refused=lambda o: f"Hanya Kasi unit {o.unit_id}."),
    "sign": flow.Act("Tanda tangan", (Role.CAMAT, Role.SEKCAM), ("checked",),
                     who=lambda s, o: s.role == Role.CAMAT, who_text="Hanya Camat sendiri.",
                     ready=lambda o: o.why),
    "undo": flow.Act("Batal", (Role.FRONT_OFFICE, Role.KASI), {Role.FRONT_OFFICE: ("new",), Role.KASI: ("open",)},
                     doing={Role.KASI: "pembatalan oleh Kasi"}),
}, other_office="Milik kantor lain.")


def test_authorise_lets_the_right_person_through_and_returns_the_staff_record():
    u = user(Role.FRONT_OFFICE)
    assert flow.authorise(TABLE, "open", u, thing("new")) is u.staff


@pytest.mark.parametrize("act, who, obj, error, message", [
    ("open", None, thing("new"), PermissionDenied, "Tindakan 'Buka' hanya untuk Petugas"),
    ("open", user(Role.KASI), thing("open"), PermissionDenied, "Tindakan 'Buka' hanya untuk"),  # role before state
    ("check", user(Role.KASI, unit_id=8), thing("new"), PermissionDenied, "Hanya Kasi unit 7."),  # scope as the role
    ("open", user(Role.FRONT_OFFICE, office_id=2), thing("open"), PermissionDenied, "Milik kantor lain."),
    ("open", user(Role.FRONT_OFFICE), thing("open"), WrongState, "ABCD-2345 berstatus OPEN; buka tidak dapat dilakukan."),
    ("sign", user(Role.SEKCAM), thing("open"), WrongState, "berstatus OPEN"),  # state before who holds it
    ("sign", user(Role.SEKCAM), thing("checked"), PermissionDenied, "Hanya Camat sendiri."),
    ("sign", user(Role.CAMAT), thing("checked", ready="Belum waktunya."), WrongState, "Belum waktunya."),
])
def test_authorise_refuses_in_the_order_role_office_state_holder_ready(act, who, obj, error, message):
    with pytest.raises(error, match=message):
        flow.authorise(TABLE, act, who, obj)


def test_states_and_wrong_state_words_per_role():
    flow.authorise(TABLE, "undo", user(Role.FRONT_OFFICE), thing("new"))
    flow.authorise(TABLE, "undo", user(Role.KASI), thing("open"))
    with pytest.raises(WrongState, match="pembatalan oleh Kasi tidak dapat"):
        flow.authorise(TABLE, "undo", user(Role.KASI), thing("new"))


def test_a_table_can_name_its_own_refusal_for_someone_without_an_office():
    table = flow.Table(acts=TABLE.acts, not_staff="Hanya untuk pegawai kantor.")
    with pytest.raises(PermissionDenied, match="Hanya untuk pegawai kantor."):
        flow.authorise(table, "open", SimpleNamespace(is_authenticated=False), thing("new"))


@pytest.mark.parametrize("who, obj", [
    (None, thing("new")), (user(Role.FRONT_OFFICE), thing("new")), (user(Role.FRONT_OFFICE, office_id=2), thing("new")),
    (user(Role.KASI), thing("open")), (user(Role.KASI, unit_id=7), thing("open")), (user(Role.SEKCAM), thing("checked")),
    (user(Role.CAMAT), thing("checked")), (user(Role.CAMAT), thing("checked", ready="Belum.")),
])
def test_acts_allowed_is_exactly_what_authorise_lets_through(who, obj):
    def passes(act):
        try:
            flow.authorise(TABLE, act, who, obj)
        except (PermissionDenied, WrongState):
            return False
        return True

    assert flow.acts_allowed(TABLE, who, obj) == [a for a in TABLE if passes(a)]


def test_acts_allowed_keeps_the_order_of_the_table():
    assert flow.acts_allowed(TABLE, user(Role.FRONT_OFFICE), thing("new")) == ["open", "undo"]
    assert flow.acts_allowed(TABLE, user(Role.KASI, unit_id=7), thing("open")) == ["check", "undo"]


def test_expect():
    flow.expect(thing("a"), "a", "b")
    with pytest.raises(WrongState, match="ABCD-2345 berstatus B."):
        flow.expect(thing("b"), "a")
    with pytest.raises(WrongState, match="^Tidak bisa.$"):
        flow.expect(thing("b"), "a", message="Tidak bisa.")


def test_move_writes_the_history_row_and_the_state_together():
    rows, saved = [], []
    history = SimpleNamespace(objects=SimpleNamespace(create=lambda **kw: rows.append(kw)))
    obj = SimpleNamespace(state="", save=lambda update_fields: saved.append(update_fields))
    assert flow.move(obj, "received", actor="u", history=history, link="case", note="n", at="t",
                     fields=("x",), missing=["m"]) is obj
    assert rows == [{"case": obj, "from_state": "", "to_state": "received", "actor": "u", "at": "t", "note": "n",
                     "missing": ["m"]}]
    assert obj.state == "received" and saved == [{"state", "updated_at", "x"}]


@pytest.mark.django_db
def test_locked_finds_the_row_or_says_what_is_missing(office):
    assert flow.locked(Office, pk=office.pk, missing="x") == office
    assert flow.locked(Unit.objects.select_related("office"), office=office, code="umum", missing="x").code == "umum"
    with pytest.raises(Office.DoesNotExist, match="^Kantor 0 tidak ditemukan.$"):
        flow.locked(Office, pk=0, missing="Kantor 0 tidak ditemukan.")


@pytest.mark.django_db
def test_new_code_retries_a_clash_of_codes_and_the_transaction_stays_usable(office):
    Unit.objects.create(office=office, code="taken", name="Taken", kind=Unit.Kind.KASI)
    offered = iter(["taken", "taken", "free"])
    tried = []

    def create(code):
        tried.append(code)
        return Unit.objects.create(office=office, code=code, name=code, kind=Unit.Kind.KASI)

    unit = flow.new_code(create, generate=lambda: next(offered))
    assert unit.code == "free" and tried == ["taken", "taken", "free"]
    assert Unit.objects.filter(office=office, code__in=["taken", "free"]).count() == 2  # a clash leaves no trace


@pytest.mark.django_db
def test_new_code_gives_up_after_its_tries(office):
    Unit.objects.create(office=office, code="taken", name="Taken", kind=Unit.Kind.KASI)
    tried = []

    def create(code):
        tried.append(code)
        return Unit.objects.create(office=office, code=code, name=code, kind=Unit.Kind.KASI)

    with pytest.raises(IntegrityError):
        flow.new_code(create, generate=lambda: "taken", tries=3)
    assert tried == ["taken"] * 3
    assert Unit.objects.filter(office=office).count() > 0  # still usable after the failed savepoints


@pytest.mark.django_db
def test_new_code_uses_tracking_codes_by_default(office):
    unit = flow.new_code(lambda code: Unit.objects.create(office=office, code=code.lower(), name=code,
                                                          kind=Unit.Kind.KASI))
    assert len(unit.code) == 8


@pytest.mark.parametrize("who, obj", [
    (None, thing("new")), (user(Role.FRONT_OFFICE), thing("new")), (user(Role.FRONT_OFFICE, office_id=2), thing("new")),
    (user(Role.KASI, unit_id=7), thing("open")), (user(Role.CAMAT), thing("checked", ready="Belum.")),
])
def test_allowed_answers_for_one_act_as_acts_allowed_does(who, obj):
    assert [a for a in TABLE if flow.allowed(TABLE, a, who, obj)] == flow.acts_allowed(TABLE, who, obj)


@pytest.mark.parametrize("who, obj, waiting", [
    (user(Role.CAMAT), thing("checked", ready="Sidang belum dimulai."), {"sign": "Sidang belum dimulai."}),
    (user(Role.CAMAT), thing("checked"), {}),  # ready: offered, not waiting
    (user(Role.SEKCAM), thing("checked", ready="Belum."), {}),  # not the one who holds it
    (user(Role.CAMAT, office_id=2), thing("checked", ready="Belum."), {}),  # another office
    (user(Role.CAMAT), thing("open", ready="Belum."), {}),  # not in a state where it is ever done
    (user(Role.FRONT_OFFICE), thing("checked", ready="Belum."), {}),  # the wrong role
    (None, thing("checked", ready="Belum."), {}),
])
def test_acts_waiting_names_what_this_user_will_be_offered_once_ready_and_why(who, obj, waiting):
    assert flow.acts_waiting(TABLE, who, obj) == waiting
    assert not set(waiting) & set(flow.acts_allowed(TABLE, who, obj))
