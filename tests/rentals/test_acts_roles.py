"""Every act × role × state of the hall rental (issue 7), against a table written by hand from
the seed standard (service 18: "Pesanan … diterima oleh Bendahara Penerimaan/ Kasubbag Umum dan
Keuangan"; the Bendahara records the payment):

- confirm: inquiry → booked; pay: booked → paid (Bendahara only, the whole total);
  use: paid → used (from the first day on); cancel: inquiry/ booked/ paid → cancelled (reason).
- The Bendahara Penerimaan and the Kasubbag Umum dan Keuangan (a Kasi whose unit is a SUBBAG)
  confirm, use and cancel; only the Bendahara pays. Every other role, and a Bendahara of another
  office, may do nothing.
- A wrong role is PermissionDenied whatever the state (the services check the role first); a
  wrong state for a right role is WrongState. A refusal changes nothing.

The table is exercised through the services (the whole table), acts_allowed (every role ×
state), the staff API (the whole table; status and ``allowed_acts``) and the staff screens' act
endpoint (every role × the booked state, and the handlers in every state).

Every booking of the table is for today (a date the services accept for a new booking), so
that "use" of a paid booking is allowed by the date; the date rules are tested apart at the end.

Speed: the office (the whole bundled standard), its clerks and their API tokens are built once
per module inside an outer transaction that is rolled back at the end; each test runs in its
own savepoint (pytest-django's ``db``), so every case starts from the same clean office.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from loket.api.models import ApiToken
from loket.catalog.services import standard_load
from loket.core import codes
from loket.core.errors import WrongState
from loket.offices.models import Office, Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.registers.models import RegisterEntry
from loket.rentals import services
from loket.rentals.models import Booking, Slot, Transition
from tests.rentals.conftest import next_month, order
from loket.rentals.policy import acts_allowed, may_handle
from tests.support.marks import refusal_if

S = Booking.State
STATES = ("inquiry", "booked", "paid", "used", "cancelled")
ACTS = ("confirm", "pay", "use", "cancel")
# The roles of the clerks fixture (tests/rentals/conftest.py), and a Bendahara of another office.
CLERKS = ("bendahara", "kasubbag", "kasi", "front", "sekcam", "camat", "ppat", "admin")
ROLES = (*CLERKS, "other_bendahara")
HANDLERS = ("bendahara", "kasubbag")
REASON = "Acara diundur oleh pemesan"

# --- the table, by hand from the rules above ------------------------------------------------------
# ok: the act is done; role: PermissionDenied; state: WrongState.
# fmt: off
TABLE = {
    #                          inquiry  booked  paid    used    cancelled
    "confirm": {
        "bendahara":          "ok       state   state   state   state",
        "kasubbag":           "ok       state   state   state   state",
        "kasi":               "role     role    role    role    role",
        "front":              "role     role    role    role    role",
        "sekcam":             "role     role    role    role    role",
        "camat":              "role     role    role    role    role",
        "ppat":               "role     role    role    role    role",
        "admin":              "role     role    role    role    role",
        "other_bendahara":    "role     role    role    role    role",
    },
    "pay": {
        "bendahara":          "state    ok      state   state   state",
        "kasubbag":           "role     role    role    role    role",
        "kasi":               "role     role    role    role    role",
        "front":              "role     role    role    role    role",
        "sekcam":             "role     role    role    role    role",
        "camat":              "role     role    role    role    role",
        "ppat":               "role     role    role    role    role",
        "admin":              "role     role    role    role    role",
        "other_bendahara":    "role     role    role    role    role",
    },
    "use": {
        "bendahara":          "state    state   ok      state   state",
        "kasubbag":           "state    state   ok      state   state",
        "kasi":               "role     role    role    role    role",
        "front":              "role     role    role    role    role",
        "sekcam":             "role     role    role    role    role",
        "camat":              "role     role    role    role    role",
        "ppat":               "role     role    role    role    role",
        "admin":              "role     role    role    role    role",
        "other_bendahara":    "role     role    role    role    role",
    },
    "cancel": {
        "bendahara":          "ok       ok      ok      state   state",
        "kasubbag":           "ok       ok      ok      state   state",
        "kasi":               "role     role    role    role    role",
        "front":              "role     role    role    role    role",
        "sekcam":             "role     role    role    role    role",
        "camat":              "role     role    role    role    role",
        "ppat":               "role     role    role    role    role",
        "admin":              "role     role    role    role    role",
        "other_bendahara":    "role     role    role    role    role",
    },
}
# fmt: on
EXPECTED = {(act, role, state): outcome
            for act, rows in TABLE.items() for role, row in rows.items()
            for state, outcome in zip(STATES, row.split(), strict=True)}
TO = {"confirm": S.BOOKED, "pay": S.PAID, "use": S.USED, "cancel": S.CANCELLED}
# The words of the services' WrongState message per act ("Pesanan X berstatus …; <act> tidak dapat dilakukan.").
ACT_WORDS = {"confirm": "pemesanan", "pay": "pembayaran", "use": "pencatatan pemakaian", "cancel": "pembatalan"}
ALL_CASES = [(a, r, s) for a in ACTS for r in ROLES for s in STATES]


def ok_set(role: str, state: str) -> set[str]:
    return {a for a in ACTS if EXPECTED[a, role, state] == "ok"}


def test_the_table_is_whole_and_covers_every_clerk_of_the_fixture(request, db):
    assert len(EXPECTED) == len(ACTS) * len(ROLES) * len(STATES) == 180
    assert set(EXPECTED.values()) == {"ok", "role", "state"}
    assert set(TABLE) == set(ACTS) and all(set(rows) == set(ROLES) for rows in TABLE.values())
    # the clerks fixture has exactly these roles (checked against the fixture itself when this
    # test runs before the module's shared office exists, as it does in file order)
    if not _WORLD:
        assert set(request.getfixturevalue("clerks")) == set(CLERKS)


# --- one office for the module -------------------------------------------------------------------

_WORLD: list = []  # set while the module's office exists (its transaction is open)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The office as ``loket setup`` leaves it and the clerks exactly as tests/rentals/conftest.py
    makes them, plus a Bendahara of a second office; built once, rolled back at the end."""
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=md5):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            roles_sync()
            office = standard_load().office
            assert services.venues_default_create(office=office) == 1
            umum = Unit.objects.get(office=office, code="umum")
            pem = Unit.objects.get(office=office, code="pemerintahan")
            assert (umum.kind, pem.kind) == (Unit.Kind.SUBBAG, Unit.Kind.KASI)

            def make(username, role, unit=None, at=office):
                return staff_create(office=at, username=username, role=role, unit=unit,
                                    password="x-Pass-12345", full_name=username.title()).user

            users = {
                "bendahara": make("bendahara", Role.BENDAHARA, umum),
                "kasubbag": make("kasubbag.umum", Role.KASI, umum),
                "kasi": make("kasi.pem", Role.KASI, pem),
                "front": make("petugas", Role.FRONT_OFFICE),
                "sekcam": make("sekcam", Role.SEKCAM),
                "camat": make("camat", Role.CAMAT),
                "ppat": make("ppat", Role.PPAT_OFFICER),
                "admin": make("admin", Role.ADMIN),
            }
            other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota")
            users["other_bendahara"] = make("bendahara.lain", Role.BENDAHARA, at=other)
            tokens = {role: {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=u, name='tes')[1]}"}
                      for role, u in users.items()}
            _WORLD.append(True)
            yield SimpleNamespace(office=office, other=other, users=users, tokens=tokens)
        finally:
            _WORLD.clear()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def w(world, db):
    """The module's office, each test in its own savepoint."""
    return world


def build(w, state: str, *, day: dt.date | None = None) -> Booking:
    """A booking (for today, unless ``day``) brought to ``state`` through the services by the Bendahara."""
    clerk = w.users["bendahara"]
    day = day or timezone.localdate()
    b = services.booking_create(office=w.office, actor=clerk, data=order(date=day.isoformat()),
                                inquiry=state == S.INQUIRY)
    if state in (S.PAID, S.USED):
        services.booking_pay(code=b.code, actor=clerk, amount=b.total)
    if state == S.USED:
        services.booking_use(code=b.code, actor=clerk)
    if state == S.CANCELLED:
        services.booking_cancel(code=b.code, actor=clerk, reason="Pemesan membatalkan")
    b.refresh_from_db()
    assert b.state == state
    return b


def call(act: str, b: Booking, user):
    if act == "confirm":
        return services.booking_confirm(code=b.code, actor=user)
    if act == "pay":
        return services.booking_pay(code=b.code, actor=user, amount=b.total)
    if act == "use":
        return services.booking_use(code=b.code, actor=user)
    return services.booking_cancel(code=b.code, actor=user, reason=REASON)


def snapshot(b: Booking) -> dict:
    """Everything an act may change."""
    b = Booking.objects.get(pk=b.pk)
    return {
        "state": b.state, "updated_at": b.updated_at,
        "transitions": list(Transition.objects.filter(booking=b).order_by("pk")
                            .values_list("pk", "from_state", "to_state", "actor_id")),
        "all_transitions": Transition.objects.count(),
        "entries": sorted(RegisterEntry.objects.values_list("pk", "book__kind", "number")),
        "slots": sorted(Slot.objects.values_list("pk", "booking_id", "date", "half", "released")),
        "register_entry": b.register_entry_id, "receipt_entry": b.receipt_entry_id,
        "paid": (b.paid_amount, b.paid_at), "cancel_reason": b.cancel_reason,
    }


def assert_done(b: Booking, before: dict, act: str, state: str, user) -> None:
    """The act was done: the new state, one Transition more (from, to, actor) and its own effects."""
    after = snapshot(b)
    assert after["state"] == TO[act]
    assert after["transitions"][:-1] == before["transitions"]
    assert after["transitions"][-1][1:] == (state, TO[act], user.pk)
    assert after["all_transitions"] == before["all_transitions"] + 1
    new_entries = [e for e in after["entries"] if e not in before["entries"]]
    live = lambda snap: sorted(s[2:4] for s in snap["slots"] if s[1] == b.pk and not s[4])  # noqa: E731
    if act == "confirm":
        # its line in the Buku Register Penyewa, the quote's line in the Buku Agenda Surat Keluar, its SKRD
        assert sorted(e[1] for e in new_entries) == ["penyewa", "skrd", "surat_keluar"]
        assert after["register_entry"] == next(e[0] for e in new_entries if e[1] == "penyewa")
        assert live(after) == [(b.date, "malam"), (b.date, "siang")] and live(before) == []
    elif act == "pay":
        assert [e[1] for e in new_entries] == ["kuitansi"] and after["receipt_entry"] == new_entries[0][0]
        assert after["paid"][0] == b.total and after["paid"][1] is not None and after["slots"] == before["slots"]
    elif act == "use":
        assert new_entries == [] and after["slots"] == before["slots"] and after["paid"] == before["paid"]
    else:
        assert new_entries == [] and after["cancel_reason"] == REASON and after["paid"] == before["paid"]
        assert live(after) == [] and len(after["slots"]) == len(before["slots"])  # released, kept as history
    if act != "confirm":
        assert after["register_entry"] == before["register_entry"]
    if act != "pay":
        assert after["receipt_entry"] == before["receipt_entry"]


def _id(case) -> str:
    return "-".join(case)


# The table's refusals are marked (tests/support/marks.py): decided before any write, run once.
MARKED_CASES = [pytest.param(*c, id=_id(c), marks=refusal_if(EXPECTED[c] != "ok")) for c in ALL_CASES]


# --- 1. the services: the whole table --------------------------------------------------------------

@pytest.mark.parametrize("act, role, state", MARKED_CASES)
def test_the_service_does_or_refuses_as_the_table_says(w, act, role, state):
    b = build(w, state)
    before = snapshot(b)
    user = w.users[role]
    expected = EXPECTED[act, role, state]
    if expected == "ok":
        result = call(act, b, user)
        assert result.state == TO[act]
        assert_done(b, before, act, state, user)
        return
    with pytest.raises((PermissionDenied, WrongState)) as exc:
        call(act, b, user)
    assert type(exc.value) is (PermissionDenied if expected == "role" else WrongState), exc.value
    if expected == "state":
        assert str(exc.value) == (f"Pesanan {b.code} berstatus {b.get_state_display().lower()}; "
                                  f"{ACT_WORDS[act]} tidak dapat dilakukan.")
    assert snapshot(b) == before


# --- 2. acts_allowed: every role × state --------------------------------------------------------------

@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_acts_allowed_is_the_tables_ok_set(w, role, state):
    b = build(w, state)
    assert acts_allowed(b, w.users[role]) == ok_set(role, state)
    assert may_handle(w.users[role]) == (role in (*HANDLERS, "other_bendahara"))


# --- 3. the staff API: the whole table ----------------------------------------------------------------

API = "/api/v1/rental/bookings/"
API_STATUS = {"ok": 200, "role": 403, "state": 409}
API_BODY = {"reason": REASON}  # plus the amount (the booking's total) for every act: each reads its own field


@pytest.mark.parametrize("act, role, state", MARKED_CASES)
def test_the_api_does_or_refuses_as_the_table_says(client, w, act, role, state):
    b = build(w, state)
    headers = w.tokens[role]
    expected = EXPECTED[act, role, state]
    # another office's booking is not found there (404 before 403, loket/rentals/api.py _read)
    status = 404 if role == "other_bendahara" else API_STATUS[expected]
    r = client.get(f"{API}{b.code}/", **headers)
    assert r.status_code == (404 if role == "other_bendahara" else 200), r.content
    if r.status_code == 200:
        assert r.json()["allowed_acts"] == sorted(ok_set(role, state))
    before = snapshot(b)
    r = client.post(f"{API}{b.code}/{act}/", {**API_BODY, "amount": b.total}, content_type="application/json",
                    **headers)
    assert r.status_code == status, r.content
    if expected == "ok" and status == 200:
        body = r.json()
        assert body["state"] == TO[act]
        assert (body["history"][-1]["from_state"], body["history"][-1]["to_state"]) == (state, TO[act])
        assert body["history"][-1]["actor"] == w.users[role].get_full_name()
        assert_done(b, before, act, state, w.users[role])
        return
    if status == 409:
        assert "tidak dapat dilakukan" in r.json()["detail"]
    elif status == 403:
        assert "Bendahara Penerimaan" in r.json()["detail"]
    assert snapshot(b) == before


# --- 4. the staff screens' act endpoint: a slice ------------------------------------------------------

WEB = "/staf/gedung/"
WEB_CASES = ([(a, r, S.BOOKED) for a in ACTS for r in ROLES]
             + [(a, r, s) for a in ACTS for r in HANDLERS for s in STATES if s != S.BOOKED])


def _messages(r) -> list[str]:
    return [str(m) for m in r.context["messages"]] if r.context else []


@pytest.mark.parametrize("act, role, state", WEB_CASES, ids=map(_id, WEB_CASES))
def test_the_screens_do_or_refuse_as_the_table_says(client, w, act, role, state):
    b = build(w, state)
    user = w.users[role]
    expected = EXPECTED[act, role, state]
    client.force_login(user)
    if role != "other_bendahara":
        # the booking's page offers exactly the acts of the table
        page = client.get(f"{WEB}{b.code}/").content.decode()
        offered = {a for a in ACTS if f'action="{WEB}{b.code}/{a}/"' in page}
        assert offered == ok_set(role, state)
    before = snapshot(b)
    r = client.post(f"{WEB}{b.code}/{act}/", {"amount": str(b.total), "reason": REASON}, follow=True)
    if role == "other_bendahara":
        assert r.status_code == 404  # another office's code is "not found" on the screens
    elif expected == "role":
        assert r.status_code == 403
    else:
        assert r.status_code == 200 and r.redirect_chain == [(f"{WEB}{b.code}/", 302)]
        shown = _messages(r)
        if expected == "ok":
            assert any(m.startswith(f"Pesanan {codes.display(b.code)}: ") for m in shown), shown
            assert_done(b, before, act, state, user)
            return
        assert (f"Pesanan {b.code} berstatus {b.get_state_display().lower()}; "
                f"{ACT_WORDS[act]} tidak dapat dilakukan.") in shown, shown
    assert snapshot(b) == before


# --- 5. the date: use from the first day on; an inquiry is confirmed only for a day to come ---------

@pytest.mark.parametrize("role", HANDLERS)
def test_a_paid_booking_is_used_only_from_its_first_day(w, role):
    b = build(w, S.PAID, day=next_month())
    before = snapshot(b)
    with pytest.raises(WrongState, match="baru dipakai"):
        services.booking_use(code=b.code, actor=w.users[role])
    assert snapshot(b) == before
    # "use" is not offered before the day (the API's allowed_acts means "now"); the screen says
    # from when it can be recorded instead.
    assert acts_allowed(b, w.users[role]) == ok_set(role, S.PAID) - {"use"}


def test_the_screen_shows_when_use_may_be_recorded(client, w):
    b = build(w, S.PAID, day=next_month())
    client.force_login(w.users["kasubbag"])
    page = client.get(f"{WEB}{b.code}/").content.decode()
    assert "Dapat dicatat mulai" in page and "Catat sudah dipakai" not in page


def test_a_past_inquiry_is_offered_only_cancelling_on_the_screen_and_the_api(client, w):
    b = build(w, S.INQUIRY)
    Booking.objects.filter(pk=b.pk).update(date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(w.users["kasubbag"])
    page = client.get(f"{WEB}{b.code}/").content.decode()
    assert {a for a in ACTS if f'action="{WEB}{b.code}/{a}/"' in page} == {"cancel"}
    assert client.get(f"{API}{b.code}/", **w.tokens["bendahara"]).json()["allowed_acts"] == ["cancel"]


@pytest.mark.parametrize("role", HANDLERS)
def test_an_inquiry_whose_day_has_passed_cannot_be_confirmed(w, role):
    b = build(w, S.INQUIRY)
    Booking.objects.filter(pk=b.pk).update(date=timezone.localdate() - dt.timedelta(days=1))  # holds no slot
    b.refresh_from_db()
    assert acts_allowed(b, w.users[role]) == {"cancel"}  # not offered: it would always be refused
    before = snapshot(b)
    with pytest.raises(WrongState, match="sudah lewat"):
        services.booking_confirm(code=b.code, actor=w.users[role])
    assert snapshot(b) == before
    services.booking_cancel(code=b.code, actor=w.users[role], reason=REASON)  # it can still be cancelled
