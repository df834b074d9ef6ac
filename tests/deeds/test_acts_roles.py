"""Every act × role × state of the land deeds (issue 8), against a table written by hand from the
rules of loket/deeds/services.py (the standard's procedure for service 17):

- The front office takes the case in: resubmit (returned → received, complete), forward
  (received → preparing), and may withdraw.
- The Petugas PPAT prepares: taxproof (in preparing or waiting; the state stays), wait
  (preparing → waiting), resume (waiting → preparing), schedule (validated or scheduled →
  scheduled; a second time moves the sidang), register (signed → registered), handover
  (registered → handed_over), and may withdraw.
- Only the Kasi Pemerintahan validates (preparing → validated; another Kasi may not); only the
  Camat signs (scheduled → signed).
- withdraw: received, returned, preparing, waiting, validated or scheduled → withdrawn (before
  signing), by the front office or the Petugas PPAT.
- Every other role (Sekcam, Bendahara, admin, a Kasi of another unit) and a Petugas PPAT of
  another office may do nothing. A wrong role is PermissionDenied whatever the state (the role is
  checked before the state); a wrong state for a right role is WrongState. A refusal changes
  nothing.

Every case of the table is built so that its acts can succeed: 'preparing' and 'waiting' have
every tax proof recorded (validate needs them), and the tests run at the moment the 'scheduled'
case's sidang begins (sign needs it), so that only role and state decide. The two rules of time
and proofs are tested apart at the end.

Speed: the office (the whole bundled standard), its officials and one case in each state are built
once per module through the services, inside an outer transaction rolled back at the end; each test
runs in its own savepoint (pytest-django's ``db``), so every test starts from the same ten cases.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings

from loket.catalog.services import standard_load
from loket.deeds import services
from loket.deeds.models import Case, CaseItem, Pause, Signing, SigningSlot, TaxProof, Transition
from loket.core import codes
from loket.core.errors import WrongState
from loket.offices.models import Office, Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.registers.models import RegisterEntry
from tests.deeds.conftest import SIDANG, WIB, Travel, appoint, build, office_rate_one_percent, checklist, inheritance, sale, signing_data
from loket.deeds.policy import acts_allowed
from loket.deeds.taxes import taxes_missing
from tests.support.marks import refusal_if

S = Case.State
STATES = ("received", "returned", "preparing", "waiting", "validated", "scheduled", "signed", "registered",
          "handed_over", "withdrawn")
ACTS = ("resubmit", "forward", "taxproof", "certcheck", "wait", "resume", "validate", "schedule", "sign", "register", "handover", "deliver",
        "withdraw")
# The roles of the officials fixture (tests/deeds/conftest.py), and a Petugas PPAT of another office.
OFFICIALS = ("front", "ppat", "kasi_pem", "kasi_other", "sekcam", "camat", "bendahara", "admin")
ROLES = (*OFFICIALS, "other_ppat")

# --- the table, by hand from the rules above ------------------------------------------------------
# ok: the act is done; role: PermissionDenied; state: WrongState.
R10 = " ".join(["role"] * 10)
# fmt: off
TABLE = {
    #                    received returned preparing waiting validated scheduled signed registered handed_over withdrawn
    "resubmit": {
        "front":        "state    ok       state     state   state     state     state  state      state       state",
    },
    "forward": {
        "front":        "ok       state    state     state   state     state     state  state      state       state",
    },
    "taxproof": {
        "ppat":         "state    state    ok        ok      state     state     state  state      state       state",
    },
    "certcheck": {
        "ppat":         "state    state    ok        ok      ok        ok        state  state      state       state",
    },
    "wait": {
        "ppat":         "state    state    ok        state   state     state     state  state      state       state",
    },
    "resume": {
        "ppat":         "state    state    state     ok      state     state     state  state      state       state",
    },
    "validate": {
        "kasi_pem":     "state    state    ok        state   state     state     state  state      state       state",
    },
    "schedule": {
        "ppat":         "state    state    state     state   ok        ok        state  state      state       state",
    },
    "sign": {
        "camat":        "state    state    state     state   state     ok        state  state      state       state",
    },
    "register": {
        "ppat":         "state    state    state     state   state     state     ok     state      state       state",
    },
    "handover": {
        "ppat":         "state    state    state     state   state     state     state  ok         state       state",
    },
    "deliver": {
        "ppat":         "state    state    state     state   state     state     state  ok         ok          state",
    },
    "withdraw": {
        "front":        "ok       ok       ok        ok      ok        ok        state  state      state       state",
        "ppat":         "ok       ok       ok        ok      ok        ok        state  state      state       state",
    },
}
# fmt: on
# every row not written above is "role" in every state
TABLE = {act: {role: rows.get(role, R10) for role in ROLES} for act, rows in TABLE.items()}
EXPECTED = {(act, role, state): outcome
            for act, rows in TABLE.items() for role, row in rows.items()
            for state, outcome in zip(STATES, row.split(), strict=True)}
TO = {"resubmit": S.RECEIVED, "forward": S.PREPARING, "taxproof": None, "certcheck": None, "deliver": None, "wait": S.WAITING, "resume": S.PREPARING,
      "validate": S.VALIDATED, "schedule": S.SCHEDULED, "sign": S.SIGNED, "register": S.REGISTERED,
      "handover": S.HANDED_OVER, "withdraw": S.WITHDRAWN}  # taxproof: the state stays
# The words of the services' WrongState message per act ("Berkas ABCD-EFGH berstatus …; <act> tidak dapat dilakukan.").
ACT_WORDS = {"resubmit": "penerimaan ulang", "forward": "penerusan ke Petugas PPAT",
             "taxproof": "pencatatan bukti pajak", "certcheck": "pencatatan pengecekan sertipikat",
             "deliver": "pencatatan penyampaian ke Kantor Pertanahan", "wait": "penundaan", "resume": "melanjutkan berkas",
             "validate": "validasi", "schedule": "penjadwalan sidang", "sign": "penandatanganan",
             "register": "pencatatan di Buku Register PPAT", "handover": "penyerahan", "withdraw": "pembatalan"}
ALL_CASES = [(a, r, s) for a in ACTS for r in ROLES for s in STATES]

NOW = SIDANG  # the tests run when the 'scheduled' case's sidang begins (Tuesday 10 March 2026, 09:00)
MOVE_TO = dt.datetime(2026, 3, 11, 9, 0, tzinfo=WIB)  # where "schedule" puts the sidang
REASON = "Para pihak membatalkan"
PROOF_NUMBER = "STTS 2025 ganti"


def ok_set(role: str, state: str) -> set[str]:
    return {a for a in ACTS if EXPECTED[a, role, state] == "ok"}


def test_the_table_is_whole():
    assert len(EXPECTED) == len(ACTS) * len(ROLES) * len(STATES) == 1170
    assert set(EXPECTED.values()) == {"ok", "role", "state"}
    assert set(TABLE) == set(ACTS) and all(set(rows) == set(ROLES) for rows in TABLE.values())
    # one role per act, except withdraw (two); and nobody outside the flow has anything
    assert {a: sorted({r for (a2, r, _), o in EXPECTED.items() if a2 == a and o != "role"}) for a in ACTS} == {
        "resubmit": ["front"], "forward": ["front"], "taxproof": ["ppat"], "certcheck": ["ppat"], "deliver": ["ppat"], "wait": ["ppat"], "resume": ["ppat"],
        "validate": ["kasi_pem"], "schedule": ["ppat"], "sign": ["camat"], "register": ["ppat"],
        "handover": ["ppat"], "withdraw": ["front", "ppat"]}


# --- one office and ten cases for the module ---------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The office as ``loket setup`` leaves it for deeds, the officials exactly as
    tests/deeds/conftest.py makes them, a Petugas PPAT of a second office, and one case in each
    state, built through the services; rolled back at the end."""
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    mp = pytest.MonkeyPatch()
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=md5):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            travel = Travel(mp)
            roles_sync()
            office = standard_load().office
            services.tax_rules_default_create(office=office)
            office_rate_one_percent(office)

            def unit(code):
                return Unit.objects.get(office=office, code=code)

            def make(username, role, unit_=None, at=office):
                return staff_create(office=at, username=username, role=role, unit=unit_,
                                    password="x-Pass-12345", full_name=username.title()).user

            users = {
                "front": make("petugas", Role.FRONT_OFFICE),
                "ppat": make("ppat", Role.PPAT_OFFICER, unit("ppat")),
                "kasi_pem": make("kasi.pemerintahan", Role.KASI, unit("pemerintahan")),
                "kasi_other": make("kasi.kesos", Role.KASI, unit("kesos")),
                "sekcam": make("sekcam", Role.SEKCAM),
                "camat": make("camat", Role.CAMAT),
                "bendahara": make("bendahara", Role.BENDAHARA, unit("umum")),
                "admin": make("admin", Role.ADMIN),
            }
            appoint(office, users["camat"])
            other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota")
            users["other_ppat"] = make("ppat.lain", Role.PPAT_OFFICER, at=other)
            monday = dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB)
            sidang = {"scheduled": NOW, "signed": monday, "registered": monday.replace(hour=10),
                      "handed_over": monday.replace(hour=11)}
            cases = {state: build(office, users, state, inheritance() if i % 2 else sale(), travel=travel,
                                  sidang=sidang.get(state, NOW))
                     for i, state in enumerate(STATES)}
            travel.to(NOW)
            yield SimpleNamespace(office=office, other=other, users=users, cases=cases, travel=travel)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            mp.undo()


@pytest.fixture
def w(world, db):
    """The module's office, each test in its own savepoint, at NOW."""
    world.travel.to(NOW)
    return world


def test_the_cases_are_as_the_table_needs(w):
    c = w.cases
    assert {s: c[s].state for s in STATES} == {s: s for s in STATES}
    assert taxes_missing(c["preparing"]) == [] == taxes_missing(c["waiting"])
    assert Pause.objects.get(case=c["waiting"]).ended_at is None
    assert Signing.objects.get(case=c["scheduled"], cancelled=False).starts_at == NOW
    assert c["returned"].clock_started_at is None


def call(act: str, case: Case, user, office):
    code = case.code
    if act == "resubmit":
        present, originals = checklist(office)
        return services.case_resubmit(code=code, actor=user, present=present, originals=originals)
    if act == "forward":
        return services.case_forward(code=code, actor=user)
    if act == "taxproof":
        return services.taxproof_record(code=code, actor=user, kind="pbb", year=2025, number=PROOF_NUMBER,
                                        paid_on="2026-03-09", amount=130_000)
    if act == "certcheck":
        return services.certificate_check_record(code=code, actor=user, checked_on="2026-03-09", result="sesuai")
    if act == "deliver":
        return services.case_deliver(code=code, actor=user, delivered_on="2026-03-10", receipt="TT-BPN/123")
    if act == "wait":
        return services.case_wait(code=code, actor=user, reason="Menunggu surat kematian asli")
    if act == "resume":
        return services.case_resume(code=code, actor=user, note="Sudah lengkap")
    if act == "validate":
        return services.case_validate(code=code, actor=user)
    if act == "schedule":
        return services.signing_schedule(code=code, actor=user, data=signing_data(MOVE_TO))
    if act == "sign":
        return services.case_sign(code=code, actor=user)
    if act == "register":
        return services.case_register(code=code, actor=user)
    if act == "handover":
        return services.case_handover(code=code, actor=user, to="Sumini")
    return services.case_withdraw(code=code, actor=user, reason=REASON)


def snapshot(case: Case) -> dict:
    """Everything an act may change."""
    c = Case.objects.get(pk=case.pk)
    return {
        "state": c.state, "updated_at": c.updated_at,
        "fields": (c.clock_started_at, c.validated_by_id, c.validated_at, c.signed_by_id, c.signed_at,
                   c.register_entry_id, c.handed_over_to, c.done_at, c.withdraw_reason),
        "transitions": list(Transition.objects.filter(case=c).order_by("pk")
                            .values_list("pk", "from_state", "to_state", "actor_id")),
        "all_transitions": Transition.objects.count(),
        "items": sorted(CaseItem.objects.filter(case=c).values_list("pk", "present", "original_shown")),
        "proofs": sorted(TaxProof.objects.filter(case=c).values_list("pk", "kind", "year", "number")),
        "pauses": sorted(Pause.objects.filter(case=c).values_list("pk", "started_at", "ended_at")),
        "signings": sorted(Signing.objects.values_list("pk", "case_id", "starts_at", "cancelled")),
        "slots": sorted(SigningSlot.objects.values_list("pk", "signing_id", "start", "released")),
        "entries": sorted(RegisterEntry.objects.values_list("pk", "book__kind", "number")),
    }


def assert_done(case: Case, before: dict, act: str, state: str, user) -> None:
    """The act was done: the new state, one Transition more (from, to, actor) and its own effects."""
    after = snapshot(case)
    to = TO[act] or state
    assert after["state"] == to
    assert after["transitions"][:-1] == before["transitions"]
    assert after["transitions"][-1][1:] == (state, to, user.pk)
    assert after["all_transitions"] == before["all_transitions"] + 1
    c = Case.objects.get(pk=case.pk)
    live = lambda snap: sorted(s[2] for s in snap["slots"] if not s[3] and s[1] in mine)  # noqa: E731
    mine = set(Signing.objects.filter(case=c).values_list("pk", flat=True))
    new_entries = [e for e in after["entries"] if e not in before["entries"]]
    assert new_entries == ([] if act != "register" else new_entries)
    if act != "schedule":
        assert after["signings"] == before["signings"] or act == "withdraw"
    if act == "resubmit":
        assert c.clock_started_at == NOW and all(p for _, p, _ in after["items"])
    elif act == "forward":
        assert after["fields"] == before["fields"]
    elif act == "taxproof":
        assert (TaxProof.objects.get(case=c, kind="pbb", year=2025).number, len(after["proofs"])) == (
            PROOF_NUMBER, len(before["proofs"]))
    elif act == "certcheck":
        assert c.certificate_checks.order_by("pk").last().result == "sesuai"
    elif act == "deliver":
        assert (c.delivered_on, c.delivery_receipt) == (dt.date(2026, 3, 10), "TT-BPN/123")
    elif act == "wait":
        assert Pause.objects.get(case=c, ended_at__isnull=True).started_at == NOW
        assert len(after["pauses"]) == len(before["pauses"]) + 1
    elif act == "resume":
        assert not Pause.objects.filter(case=c, ended_at__isnull=True).exists()
        assert Pause.objects.get(case=c).ended_at == NOW
    elif act == "validate":
        assert (c.validated_by, c.validated_at) == (user, NOW)
    elif act == "schedule":
        assert live(after) == [MOVE_TO, MOVE_TO + dt.timedelta(minutes=30)]
        assert Signing.objects.filter(case=c, cancelled=False).get().starts_at == MOVE_TO
        if state == S.SCHEDULED:  # moved: the old sidang is cancelled and its half hours released
            assert Signing.objects.filter(case=c, cancelled=True).count() == 1
    elif act == "sign":
        assert (c.signed_by, c.signed_at) == (user, NOW)
    elif act == "register":
        assert [e[1] for e in new_entries] == ["ppat"] and c.register_entry_id == new_entries[0][0]
        assert c.register_entry.number == max(n for _, k, n in before["entries"] if k == "ppat") + 1
    elif act == "handover":
        assert (c.handed_over_to, c.done_at) == ("Sumini", NOW)
    else:  # withdraw
        assert (c.withdraw_reason, c.done_at) == (REASON, NOW)
        assert live(after) == [] and not Signing.objects.filter(case=c, cancelled=False).exists()
        assert not Pause.objects.filter(case=c, ended_at__isnull=True).exists()
        assert len(after["slots"]) == len(before["slots"])  # released, kept as history


def _id(case) -> str:
    return "-".join(case)


# The table's refusals are marked (tests/support/marks.py): decided before any write, run once.
MARKED_CASES = [pytest.param(*c, id=_id(c), marks=refusal_if(EXPECTED[c] != "ok")) for c in ALL_CASES]


# --- 1. the services: the whole table --------------------------------------------------------------

@pytest.mark.parametrize("act, role, state", MARKED_CASES)
def test_the_service_does_or_refuses_as_the_table_says(w, act, role, state):
    case = w.cases[state]
    before = snapshot(case)
    user = w.users[role]
    expected = EXPECTED[act, role, state]
    if expected == "ok":
        call(act, case, user, w.office)
        assert_done(case, before, act, state, user)
        return
    with pytest.raises((PermissionDenied, WrongState)) as exc:
        call(act, case, user, w.office)
    assert type(exc.value) is (PermissionDenied if expected == "role" else WrongState), exc.value
    if expected == "state":
        assert str(exc.value) == (f"Berkas {codes.display(case.code)} berstatus {case.get_state_display().lower()}; "
                                  f"{ACT_WORDS[act]} tidak dapat dilakukan.")
    assert snapshot(case) == before


# --- 2. acts_allowed: every role × state --------------------------------------------------------------

@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_acts_allowed_is_the_tables_ok_set(w, role, state):
    assert acts_allowed(w.cases[state], w.users[role]) == ok_set(role, state)


# --- 3. time and proofs: the two rules besides role and state ----------------------------------------------

def test_the_camat_may_not_sign_before_the_sidang_begins(w):
    case = w.cases["scheduled"]
    w.travel.to(NOW - dt.timedelta(minutes=1))
    before = snapshot(case)
    with pytest.raises(WrongState, match="Sidang baru dimulai 10-03-2026 09:00"):
        services.case_sign(code=case.code, actor=w.users["camat"])
    assert snapshot(case) == before


def test_the_kasi_may_not_validate_without_every_tax_proof(w):
    case = w.cases["preparing"]
    TaxProof.objects.filter(case=case, kind="pph").delete()
    before = snapshot(case)
    with pytest.raises(WrongState, match=r"^Bukti pajak belum lengkap: SSP PPh\.$"):
        services.case_validate(code=case.code, actor=w.users["kasi_pem"])
    assert snapshot(case) == before


def test_sign_is_not_offered_before_the_sidang_begins(w):
    w.travel.to(NOW - dt.timedelta(days=1))
    assert acts_allowed(w.cases["scheduled"], w.users["camat"]) == set()


def test_validate_is_not_offered_while_a_tax_proof_is_missing(w):
    case = w.cases["preparing"]
    TaxProof.objects.filter(case=case, kind="pph").delete()
    assert acts_allowed(case, w.users["kasi_pem"]) == set()
