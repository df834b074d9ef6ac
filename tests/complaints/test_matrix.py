"""Every act on a complaint × every role × every state, against an explicit table of who may do
what (written from the issue's rules, not read from policy.ACTS), through the real acts of
loket.complaints.services.

An allowed act writes the new state and exactly one Step carrying the actor. A refusal changes
nothing: not the complaint row, not its steps, answers, coordinations or attachments, not the
Buku Pengaduan (entries and RegisterBook.last_number).

Order of checks, read from services._authorise and encoded in ``expected`` below:

1. no Staff record                      → PermissionDenied
2. ROLE: the actor's role can never do this act, in any state (e.g. the Bendahara, the PPAT
   officer, the admin; the Camat for "escalate")             → PermissionDenied
3. OFFICE: staff of another office                            → PermissionDenied
4. STATE: the act is not possible in the complaint's state   → WrongState
5. HOLDER: the role could do it, but this person does not hold the complaint now (the front
   office on an escalated complaint, the Kasi of another unit, the Kasi of the unit on a
   received one)                                              → PermissionDenied

So a wrong role in a wrong state is PermissionDenied, a Kasi of another unit in a wrong state is
WrongState (the role "Kasi" passes step 2, the state fails step 4 before the holder is asked).

Every complaint of the matrix is recorded with unit "pemerintahan" (the unit of ``kasi``) so that
"the Kasi of the complaint's unit" means something in every state, including received, answered
and closed; ``kasi_other`` heads "umum" and never holds it.
"""

from __future__ import annotations


import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from loket.complaints import services
from loket.complaints.models import Answer, Attachment, Complaint, Coordination, Step
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterBook, RegisterEntry
from tests.complaints.conftest import complaint_data
from tests.support.world import second_office_load
from loket.complaints import policy
from loket.complaints.policy import acts_allowed
from loket.core.errors import WrongState
from tests.support.marks import refusal_if, refused

S = Complaint.State

ACTS = ["escalate", "direction_direct", "direction_request", "direction_give", "coordinate", "coordination_result", "answer",
        "correct", "feedback", "close", "name_staff"]
ROLES = ["front", "kasi", "kasi_other", "sekcam", "camat", "bendahara", "ppat", "admin"]
STATES = list(S.values)

F, K = "front", "kasi"

# --- the rules, as the issue states them ---------------------------------------------------
# (act, state the complaint is in) -> (who may do it, the state it moves to). "kasi" is the Kasi
# of the complaint's unit. The matrix's COORDINATING complaint was escalated first and then sent
# to coordination by the Kasi (conftest.PATHS), so its previous holder is the Kasi and the result
# takes it back to ESCALATED; the other previous holders are covered by
# test_coordination_result_goes_to_whoever_held_it_before below.
ALLOWED: dict[tuple[str, str], tuple[set[str], str]] = {
    ("escalate", S.RECEIVED): ({F}, S.ESCALATED),
    ("escalate", S.REOPENED): ({F}, S.ESCALATED),
    ("direction_direct", S.RECEIVED): ({F}, S.DIRECTION_REQUESTED),
    ("direction_direct", S.REOPENED): ({F}, S.DIRECTION_REQUESTED),
    ("direction_request", S.ESCALATED): ({K}, S.DIRECTION_REQUESTED),
    ("direction_request", S.DIRECTED): ({K}, S.DIRECTION_REQUESTED),
    ("direction_give", S.DIRECTION_REQUESTED): ({"camat", "sekcam"}, S.DIRECTED),
    ("coordinate", S.RECEIVED): ({F}, S.COORDINATING),
    ("coordinate", S.REOPENED): ({F}, S.COORDINATING),
    ("coordinate", S.ESCALATED): ({K}, S.COORDINATING),
    ("coordinate", S.DIRECTED): ({K}, S.COORDINATING),
    ("coordination_result", S.COORDINATING): ({K}, S.ESCALATED),
    ("answer", S.RECEIVED): ({F}, S.ANSWERED),
    ("answer", S.REOPENED): ({F}, S.ANSWERED),
    ("answer", S.ESCALATED): ({K}, S.ANSWERED),
    ("answer", S.DIRECTED): ({K}, S.ANSWERED),
    ("correct", S.ANSWERED): ({F, K}, S.ANSWERED),  # the state does not change
    ("correct", S.CLOSED): ({F, K}, S.CLOSED),
    ("feedback", S.ANSWERED): ({F}, S.CLOSED),  # the matrix records "satisfied"
    ("close", S.ANSWERED): ({F}, S.CLOSED),
    # the staff member a complaint names: the Camat and the Sekcam, in every state; the state stays
    **{("name_staff", s): ({"camat", "sekcam"}, s) for s in S.values},
}


# Step 2 of the checks: the roles that can do the act in some state, whoever holds the complaint
# (the issue's rules again: coordination_result belongs to whoever held it before, which may be
# the front office, although the matrix's coordinating complaint is held by the Kasi).
ROLES_EVER: dict[str, set[str]] = {
    "escalate": {F},
    "direction_direct": {F},
    "direction_request": {K},
    "direction_give": {"camat", "sekcam"},
    "coordinate": {F, K},
    "coordination_result": {F, K},
    "answer": {F, K},
    "correct": {F, K},
    "feedback": {F},
    "close": {F},
    "name_staff": {"camat", "sekcam"},
}


def role_may_ever(act: str, role: str) -> bool:
    """A Kasi of another unit has the role Kasi and passes this step."""
    roles = set(ROLES_EVER[act])
    if K in roles:
        roles.add("kasi_other")
    return role in roles


# States where an act is possible but the matrix's complaint is held by someone else: the front
# office asks for direction again after a direction it asked for itself (test_flow.py), while the
# matrix's directed complaint was asked for by the Kasi.
HELD_ELSEWHERE = {"direction_direct": {S.DIRECTED}}


def states_of(act: str) -> set[str]:
    return {s for (a, s) in ALLOWED if a == act} | HELD_ELSEWHERE.get(act, set())


def expected(act: str, role: str, state: str):
    """The new state, or the exception class the act must raise (see the module docstring)."""
    rule = ALLOWED.get((act, state))
    if rule and role in rule[0]:
        return rule[1]
    if not role_may_ever(act, role):
        return PermissionDenied
    if state not in states_of(act):
        return WrongState
    return PermissionDenied


def allowed_acts(role: str, state: str) -> set[str]:
    return {a for (a, s), (who, _) in ALLOWED.items() if s == state and role in who}


# --- running one act with valid input --------------------------------------------------------

def act(name: str, *, code: str, actor):
    if name == "escalate":
        return services.complaint_escalate(code=code, actor=actor, unit_code="pemerintahan")
    if name == "direction_direct":
        return services.complaint_direction_direct(code=code, actor=actor, question="Mohon arahan langsung.")
    if name == "direction_request":
        return services.complaint_direction_request(code=code, actor=actor, question="Mohon arahan Bapak.")
    if name == "direction_give":
        return services.complaint_direction_give(code=code, actor=actor, direction="Cek data di kelurahan.")
    if name == "coordinate":
        return services.complaint_coordinate(code=code, actor=actor, kind="instansi", party="Dinas Dukcapil",
                                             question="Apakah blangko KTP-el tersedia?")
    if name == "coordination_result":
        return services.complaint_coordination_result(code=code, actor=actor, result="Blangko tersedia minggu depan.")
    if name == "answer":
        return services.complaint_answer(code=code, actor=actor, text="KTP-el Anda dapat diambil hari Senin.")
    if name == "correct":
        return services.complaint_answer_correct(code=code, actor=actor, text="KTP-el dapat diambil hari Selasa.",
                                                 reason="Salah hari.")
    if name == "feedback":
        return services.complaint_feedback(code=code, actor=actor, satisfied=True, note="Pengadu puas lewat telepon.")
    if name == "close":
        return services.complaint_close(code=code, actor=actor, note="Tidak ada tanggapan pengadu.")
    if name == "name_staff":
        return services.complaint_name_staff(code=code, actor=actor, staff_named=_front_id())
    raise AssertionError(name)


def _front_id() -> int:
    """The user id of the office's front-office clerk ("petugas"): the staff member named."""
    from loket.offices.models import Staff

    return Staff.objects.filter(user__username="petugas").values_list("user_id", flat=True).get()


def snapshot(c: Complaint) -> dict:
    """Everything a refused act must leave untouched."""
    return {
        "row": Complaint.objects.filter(pk=c.pk).values().get(),
        "steps": list(Step.objects.filter(complaint=c).order_by("pk").values()),
        "answers": list(Answer.objects.filter(complaint=c).order_by("pk").values()),
        "coordinations": list(Coordination.objects.filter(complaint=c).order_by("pk").values()),
        "attachments": Attachment.objects.count(),
        "complaints": Complaint.objects.count(),
        "all_steps": Step.objects.count(),
        "entries": RegisterEntry.objects.count(),
        "last_numbers": dict(RegisterBook.objects.values_list("pk", "last_number")),
    }


def assert_nothing_changed(c: Complaint, before: dict) -> None:
    after = snapshot(c)
    assert after["row"]["state"] == before["row"]["state"]
    assert len(after["steps"]) == len(before["steps"])
    assert after == before


@pytest.fixture
def complaint_in(make_complaint):
    """complaint_in(state) → a complaint of the unit "pemerintahan" in that state."""
    return lambda state: make_complaint(state, unit="pemerintahan")


# --- the table itself -----------------------------------------------------------------------

def test_the_table_names_every_act_of_the_services_and_only_known_roles_and_states():
    # A new act in policy.ACTS must be added to this table (and to act()) before it is tested.
    assert set(ACTS) == set(policy.ACTS) == {a for a, _ in ALLOWED} == set(ROLES_EVER)
    assert all(who <= ROLES_EVER[a] for (a, _), (who, _) in ALLOWED.items())
    assert {s for _, s in ALLOWED} <= set(STATES)
    assert all(who <= set(ROLES) for who, _ in ALLOWED.values())
    # every state but closed can be left by some act; coordinating only by its result
    assert {s for (a, s) in ALLOWED if ALLOWED[(a, s)][1] != s} == set(STATES) - {S.CLOSED}
    assert allowed_acts(K, S.COORDINATING) == {"coordination_result"}


# --- the matrix -------------------------------------------------------------------------

CASES = [pytest.param(a, r, s, id=f"{a}-{r}-{s}", marks=refusal_if(refused(expected(a, r, s))))
         for a in ACTS for r in ROLES for s in STATES]


def test_matrix_size():
    assert len(CASES) == 11 * 8 * 8 == 704


@pytest.mark.parametrize("act_name,role,state", CASES)
def test_matrix(act_name, role, state, people, complaint_in):
    c = complaint_in(state)
    before = snapshot(c)
    actor = people[role]
    want = expected(act_name, role, state)

    if isinstance(want, type) and issubclass(want, Exception):
        with pytest.raises(want) as info:
            act(act_name, code=c.code, actor=actor)
        assert type(info.value) is want  # WrongState is not a PermissionDenied, nor the reverse
        assert str(info.value)  # a message the clerk can read
        assert_nothing_changed(c, before)
        return

    act(act_name, code=c.code, actor=actor)
    c.refresh_from_db()
    assert c.state == want
    new = list(Step.objects.filter(complaint=c).order_by("pk"))[len(before["steps"]):]
    assert len(new) == 1, "exactly one step per act"
    step = new[0]
    assert (step.action, step.from_state, step.to_state, step.actor_id) == (act_name, state, want, actor.pk)
    assert step.at is not None and step.note
    assert Step.objects.count() == before["all_steps"] + 1
    # no act but intake touches the Buku Pengaduan
    assert RegisterEntry.objects.count() == before["entries"]
    assert dict(RegisterBook.objects.values_list("pk", "last_number")) == before["last_numbers"]
    assert Complaint.objects.count() == before["complaints"]

    answers = list(Answer.objects.filter(complaint=c).order_by("pk"))
    coordinations = list(Coordination.objects.filter(complaint=c).order_by("pk"))
    if act_name in ("answer", "correct"):
        assert len(answers) == len(before["answers"]) + 1
        new_answer = answers[-1]
        assert new_answer.sent_by_id == actor.pk and new_answer.sent_at == step.at
        assert new_answer.reply_via == c.reply_via == "whatsapp"
        if act_name == "correct":
            assert new_answer.corrects_id == before["answers"][-1]["id"]
            # the old answer stays as it was
            assert list(Answer.objects.filter(complaint=c).order_by("pk").values())[:-1] == before["answers"]
        else:
            assert new_answer.corrects_id is None
    else:
        assert len(answers) == len(before["answers"])

    if act_name == "coordinate":
        assert len(coordinations) == len(before["coordinations"]) + 1
        co = coordinations[-1]
        assert (co.resume_state, co.asked_by_id, co.answered_at) == (state, actor.pk, None)
    elif act_name == "coordination_result":
        assert len(coordinations) == len(before["coordinations"])
        co = coordinations[-1]
        assert co.answered_at == step.at and co.answered_by_id == actor.pk and co.result
    else:
        assert len(coordinations) == len(before["coordinations"])

    if act_name == "escalate":
        assert c.unit.code == "pemerintahan"
    if act_name in ("feedback", "close"):
        assert c.closed_at == step.at
    if act_name == "feedback":
        assert c.satisfied is True
    if act_name == "answer" and state in (S.RECEIVED, S.ESCALATED, S.DIRECTED):
        assert c.first_answered_at == step.at
    if act_name == "name_staff":
        assert c.staff_named_id == _front_id() and before["row"]["staff_named_id"] is None
        assert {k: v for k, v in Complaint.objects.filter(pk=c.pk).values().get().items()
                if k not in ("staff_named_id", "updated_at")} == {
            k: v for k, v in before["row"].items() if k not in ("staff_named_id", "updated_at")}
    else:
        assert c.staff_named_id is None
    if act_name == "answer" and state == S.REOPENED:
        assert c.first_answered_at == before["row"]["first_answered_at"]  # only the first answer sets it


# --- acts_allowed: the buttons ----------------------------------------------------------------

@pytest.mark.parametrize("role,state", [pytest.param(r, s, id=f"{r}-{s}") for r in ROLES for s in STATES])
def test_acts_allowed_is_the_table(role, state, people, complaint_in):
    c = complaint_in(state)
    assert set(acts_allowed(c, people[role])) == allowed_acts(role, state)


# --- coordination: the result goes to whoever held it before -----------------------------------

RESUME = {  # state before the coordination -> (who sent it to coordination and gets it back, acts to get there)
    S.RECEIVED: (F, []),
    S.REOPENED: (F, ["answer", "unhappy"]),
    S.ESCALATED: (K, ["escalate"]),
    S.DIRECTED: (K, ["escalate", "direction_request", "direction_give"]),
}


@pytest.mark.parametrize("resume", list(RESUME))
@pytest.mark.parametrize("role", ROLES)
def test_coordination_result_goes_to_whoever_held_it_before(role, resume, office, people):
    from tests.complaints.conftest import run_act

    holder, path = RESUME[resume]
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(unit="pemerintahan"))
    for step in path:
        run_act(step, c.code, people)
    services.complaint_coordinate(code=c.code, actor=people[holder], kind="kelurahan", party="Kelurahan Satu",
                                  question="Mohon konfirmasi.")
    c.refresh_from_db()
    assert c.state == S.COORDINATING
    oversight = {"name_staff"} & set(allowed_acts(role, S.COORDINATING))  # the Camat's and the Sekcam's, in any state
    assert set(acts_allowed(c, people[role])) - oversight == ({"coordination_result"} if role == holder else set())
    before = snapshot(c)
    if role != holder:
        with pytest.raises(PermissionDenied):
            act("coordination_result", code=c.code, actor=people[role])
        assert_nothing_changed(c, before)
        return
    act("coordination_result", code=c.code, actor=people[role])
    c.refresh_from_db()
    assert c.state == resume
    step = c.steps.order_by("-pk").first()
    assert (step.action, step.from_state, step.to_state, step.actor_id) == (
        "coordination_result", S.COORDINATING, resume, people[role].pk)


# --- holders that depend on the complaint's unit ----------------------------------------------

def test_a_kasi_may_not_correct_an_answer_of_a_complaint_without_unit(people, make_complaint):
    c = make_complaint(S.ANSWERED)  # answered by the front office, never escalated: no unit
    assert c.unit_id is None
    before = snapshot(c)
    with pytest.raises(PermissionDenied):
        act("correct", code=c.code, actor=people["kasi"])
    assert_nothing_changed(c, before)
    assert acts_allowed(c, people["kasi"]) == []
    act("correct", code=c.code, actor=people["front"])


def test_escalated_to_the_subbag_the_kasi_of_that_unit_holds_it(people, make_complaint):
    c = make_complaint(S.RECEIVED)
    services.complaint_escalate(code=c.code, actor=people["front"], unit_code="umum")
    c.refresh_from_db()
    assert set(acts_allowed(c, people["kasi_other"])) == {"answer", "direction_request", "coordinate"}
    assert acts_allowed(c, people["kasi"]) == []
    with pytest.raises(PermissionDenied):
        act("answer", code=c.code, actor=people["kasi"])
    act("answer", code=c.code, actor=people["kasi_other"])
    c.refresh_from_db()
    assert c.state == S.ANSWERED
    # and that Kasi, not the other one, may correct it
    with pytest.raises(PermissionDenied):
        act("correct", code=c.code, actor=people["kasi"])
    act("correct", code=c.code, actor=people["kasi_other"])


# --- people who are not staff of this office ------------------------------------------------

@pytest.fixture
def other(office, tmp_path):
    """A second kecamatan, loaded from the mini standard with another slug and region code,
    with its own staff (the same roles as ``people``)."""
    office2 = second_office_load(office, tmp_path)
    pem = Unit.objects.get(office=office2, code="pemerintahan")
    umum = Unit.objects.get(office=office2, code="umum")
    make = lambda username, role, unit=None: staff_create(
        office=office2, username=username, role=role, unit=unit, password="x-Pass-12345", full_name=username.title()
    ).user
    return office2, {
        "front": make("petugas.lain", Role.FRONT_OFFICE),
        "kasi": make("kasi.pem.lain", Role.KASI, pem),
        "kasi_other": make("kasi.umum.lain", Role.KASI, umum),
        "sekcam": make("sekcam.lain", Role.SEKCAM),
        "camat": make("camat.lain", Role.CAMAT),
        "bendahara": make("bendahara.lain", Role.BENDAHARA, umum),
        "ppat": make("ppat.lain", Role.PPAT_OFFICER),
        "admin": make("admin.lain", Role.ADMIN),
    }


@pytest.mark.parametrize("act_name,state", [pytest.param(a, s, id=f"{a}-{s}") for a in ACTS for s in STATES])
def test_staff_of_another_office_are_refused_every_act_in_every_state(act_name, state, other, complaint_in):
    _, people2 = other
    c = complaint_in(state)
    before = snapshot(c)
    for role, person in people2.items():
        assert acts_allowed(c, person) == []
        with pytest.raises(PermissionDenied) as info:
            act(act_name, code=c.code, actor=person)
        if role_may_ever(act_name, role):
            # the role check passes; the office check stops it, before the state is looked at
            assert "kantor lain" in str(info.value), role
        assert_nothing_changed(c, before)


def test_the_other_office_works_on_its_own_complaints(other, people):
    office2, people2 = other
    c = services.complaint_record(office=office2, actor=people2["front"], data=complaint_data())
    with pytest.raises(PermissionDenied):
        services.complaint_answer(code=c.code, actor=people["front"], text="Jawaban dari kantor yang salah.")
    services.complaint_answer(code=c.code, actor=people2["front"], text="Jawaban dari kantornya sendiri.")
    c.refresh_from_db()
    assert c.state == S.ANSWERED


@pytest.mark.parametrize("act_name,state", [pytest.param(a, s, id=f"{a}-{s}") for (a, s) in ALLOWED])
def test_users_without_staff_record_are_refused(act_name, state, complaint_in, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-Pass-12345")
    c = complaint_in(state)
    before = snapshot(c)
    for nobody in (root, AnonymousUser()):
        assert acts_allowed(c, nobody) == []
        with pytest.raises(PermissionDenied):
            act(act_name, code=c.code, actor=nobody)
        assert_nothing_changed(c, before)


def test_unknown_code_is_does_not_exist(people, office):
    for name in ACTS:
        with pytest.raises(Complaint.DoesNotExist):
            act(name, code="ZZZZ-ZZZZ", actor=people["front"])
