"""The deeds' act table (loket/deeds/policy.py) agrees with the acts: for every act × role ×
state (and a sidang not yet begun, a tax proof missing), policy.acts_allowed offers an act
exactly when the service lets it through."""

from __future__ import annotations

import pytest

from loket.deeds import policy, services
from loket.deeds.models import Case, TaxProof
from tests.deeds.conftest import SIDANG, build, checklist, signing_data
from tests.support.flow_agreement import disagreements

pytestmark = pytest.mark.usefixtures("deed_world")
S = Case.State


def run(name: str, case: Case, user, office):
    code = case.code
    present, originals = checklist(office)
    return {
        "resubmit": lambda: services.case_resubmit(code=code, actor=user, present=present, originals=originals),
        "forward": lambda: services.case_forward(code=code, actor=user),
        "taxproof": lambda: services.taxproof_record(code=code, actor=user, kind="pbb", year=2025, number="STTS-1",
                                                     paid_on="2026-03-09", amount=130_000),
        "certcheck": lambda: services.certificate_check_record(code=code, actor=user, checked_on="2026-03-09",
                                                               result="sesuai"),
        "deliver": lambda: services.case_deliver(code=code, actor=user, delivered_on="2026-03-10", receipt="TT-1"),
        "wait": lambda: services.case_wait(code=code, actor=user, reason="Menunggu surat"),
        "resume": lambda: services.case_resume(code=code, actor=user),
        "validate": lambda: services.case_validate(code=code, actor=user),
        "schedule": lambda: services.signing_schedule(code=code, actor=user, data=signing_data()),
        "sign": lambda: services.case_sign(code=code, actor=user),
        "register": lambda: services.case_register(code=code, actor=user),
        "handover": lambda: services.case_handover(code=code, actor=user, to="Sumini"),
        "withdraw": lambda: services.case_withdraw(code=code, actor=user, reason="Batal"),
    }[name]()


CASES = [pytest.param(s, "", id=s) for s in S.values] + [
    pytest.param(S.SCHEDULED, "before the sidang", id="scheduled-before-sidang"),
    pytest.param(S.PREPARING, "a tax proof missing", id="preparing-proof-missing"),
]


@pytest.mark.parametrize("state, twist", CASES)
def test_acts_allowed_agrees_with_the_acts_for_every_role(state, twist, deed_office, officials, travel):
    case = build(deed_office, officials, state, travel=travel)
    if state == S.SCHEDULED and not twist:
        travel.to(SIDANG)
    if twist == "a tax proof missing":
        TaxProof.objects.filter(case=case, kind=TaxProof.Kind.PBB).delete()
    case = Case.objects.select_related("office", "service").get(pk=case.pk)
    problems = {}
    for role, user in officials.items():
        wrong = disagreements(offered=policy.acts_allowed(case, user), acts=policy.ACTS,
                              run=lambda n: run(n, case, user, deed_office))
        problems.update({f"{role}/{act}": why for act, why in wrong.items()})
    assert problems == {}
