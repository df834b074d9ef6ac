"""The complaints' act table (loket/complaints/policy.py) agrees with the acts: for every act ×
role × state (and a coordination started by the front office or by the Kasi), acts_allowed offers
an act exactly when the service lets it through."""

from __future__ import annotations

import pytest

from loket.complaints import policy, services
from loket.complaints.models import Complaint
from tests.support.flow_agreement import disagreements

S = Complaint.State


def run(name: str, code: str, actor):
    return {
        "escalate": lambda: services.complaint_escalate(code=code, actor=actor, unit_code="pemerintahan"),
        "direction_direct": lambda: services.complaint_direction_direct(code=code, actor=actor, question="Arahan?"),
        "direction_request": lambda: services.complaint_direction_request(code=code, actor=actor, question="Arahan?"),
        "direction_give": lambda: services.complaint_direction_give(code=code, actor=actor, direction="Cek data."),
        "coordinate": lambda: services.complaint_coordinate(code=code, actor=actor, kind="instansi", party="Dukcapil",
                                                            question="Blangko tersedia?"),
        "coordination_result": lambda: services.complaint_coordination_result(code=code, actor=actor,
                                                                              result="Tersedia."),
        "answer": lambda: services.complaint_answer(code=code, actor=actor, text="KTP-el dapat diambil Senin."),
        "correct": lambda: services.complaint_answer_correct(code=code, actor=actor, text="Diambil Selasa.",
                                                             reason="Salah hari."),
        "feedback": lambda: services.complaint_feedback(code=code, actor=actor, satisfied=True),
        "close": lambda: services.complaint_close(code=code, actor=actor, note="Tidak ada tanggapan."),
        # names the actor's colleague at the counter (any active staff member of the office would do)
        "name_staff": lambda: services.complaint_name_staff(code=code, actor=actor, staff_named=_front_id()),
    }[name]()


def _front_id() -> int:
    from loket.offices.models import Staff

    return Staff.objects.filter(user__username="petugas").values_list("user_id", flat=True).get()


@pytest.mark.parametrize("state, by", [(s, "") for s in S.values] + [(S.COORDINATING, "front")])
def test_acts_allowed_agrees_with_the_acts_for_every_role(state, by, make_complaint, people):
    if by:  # the front office coordinates a complaint it still holds
        c = make_complaint(S.RECEIVED, unit="pemerintahan")
        run("coordinate", c.code, people[by])
    else:
        c = make_complaint(state, unit="pemerintahan")
    c = Complaint.objects.get(pk=c.pk)
    assert c.state == state
    problems = {}
    for role, user in people.items():
        fresh = Complaint.objects.get(pk=c.pk)  # acts_allowed caches the pending coordination on the object
        wrong = disagreements(offered=policy.acts_allowed(fresh, user), acts=policy.ACTS,
                              run=lambda n: run(n, c.code, user))
        problems.update({f"{role}/{act}": why for act, why in wrong.items()})
    assert problems == {}
