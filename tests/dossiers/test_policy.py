"""The dossiers' act table (loket/dossiers/policy.py) agrees with the acts: for every act × role
× state, policy.acts_allowed offers an act exactly when the service lets it through; the API's
``allowed_acts`` and the detail page's buttons are that list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.catalog.models import ServiceType
from loket.dossiers import policy, services
from loket.dossiers.models import Dossier
from tests.factories import applicant_data
from tests.support.flow_agreement import disagreements

S = Dossier.State
ROLES = ["front", "kasi", "kasi_other", "sekcam", "camat", "bendahara", "ppat", "admin"]
PATH_TO = {
    S.RECEIVED: [], S.RETURNED: [],
    S.FORWARDED: [("forward", "front")],
    S.INITIALLED: [("forward", "front"), ("initial", "kasi")],
    S.SIGNED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat")],
    S.REGISTERED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")],
    S.HANDED_OVER: [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front"),
                    ("handover", "front")],
    S.CANCELLED: [("cancel_intake", "front")],
}


def run(name: str, code: str, actor, items=()):
    """One act with valid input."""
    calls = {
        "forward": lambda: services.dossier_forward(code=code, actor=actor),
        "return": lambda: services.dossier_return(code=code, actor=actor, reason="Kurang", missing=["KK"]),
        "initial": lambda: services.dossier_initial(code=code, actor=actor),
        "sign": lambda: services.dossier_sign(code=code, actor=actor),
        "register": lambda: services.dossier_register(code=code, actor=actor),
        "handover": lambda: services.dossier_handover(code=code, actor=actor),
        "resubmit": lambda: services.dossier_resubmit(code=code, actor=actor, present=items, originals=items),
        "correct": lambda: services.dossier_correct(code=code, actor=actor, changes={"name": "Siti Aminah Baru"},
                                                    reason="Salah ketik"),
        "register_handover": lambda: services.dossier_register_handover(code=code, actor=actor),
        "resubmit_forward": lambda: services.dossier_resubmit_forward(code=code, actor=actor, present=items,
                                                                       originals=items),
        "cancel_return": lambda: services.dossier_cancel_return(code=code, actor=actor, reason="Salah centang",
                                                                present=items, originals=items),
        "cancel_intake": lambda: services.dossier_cancel_intake(code=code, actor=actor, reason="Salah layanan"),
    }
    return calls[name]()


def dossier_in(state, *, office, people, items) -> Dossier:
    present = items[:1] if state == S.RETURNED else items
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
                                present=present, originals=present)
    for name, role in PATH_TO[state]:
        run(name, d.code, people[role], items)
    d.refresh_from_db()
    assert d.state == state
    return d


def offered(d: Dossier, user) -> list[str]:
    from loket.dossiers import selectors

    return policy.acts_allowed(selectors.dossier_get(office=d.office, code=d.code), user)  # as the screens read it


def test_the_table_names_every_act_of_the_screens_and_the_api():
    from typing import get_args

    from loket.dossiers.api import Action

    assert list(policy.ACTS) == list(get_args(Action))


@pytest.mark.parametrize("state, camat_only", [(s, False) for s in PATH_TO] + [(S.INITIALLED, True)])
def test_acts_allowed_agrees_with_the_acts_for_every_role(state, camat_only, office, people, all_items):
    if camat_only:  # the standard names the Camat as the only signer
        ServiceType.objects.filter(code="pindah", edition__office=office).update(signer=ServiceType.Signer.CAMAT)
    d = dossier_in(state, office=office, people=people, items=all_items)
    problems = {}
    for role in ROLES:
        wrong = disagreements(offered=offered(d, people[role]), acts=policy.ACTS,
                              run=lambda name: run(name, d.code, people[role], all_items))
        problems.update({f"{role}/{act}": why for act, why in wrong.items()})
    assert problems == {}


def test_the_sekcam_is_not_offered_sign_on_a_service_only_the_camat_signs(office, people, all_items, client):
    ServiceType.objects.filter(code="pindah", edition__office=office).update(signer=ServiceType.Signer.CAMAT)
    d = dossier_in(S.INITIALLED, office=office, people=people, items=all_items)
    assert "sign" not in offered(d, people["sekcam"])
    assert "sign" in offered(d, people["camat"])
    client.force_login(people["sekcam"])
    r = client.get(reverse("dossiers:detail", args=[d.code]))
    assert r.status_code == 200 and r.context["can"]["sign"] is False
    client.force_login(people["camat"])
    r = client.get(reverse("dossiers:detail", args=[d.code]))
    assert r.context["can"]["sign"] is True


def test_the_api_detail_lists_the_allowed_acts(office, people, all_items, client):
    d = dossier_in(S.FORWARDED, office=office, people=people, items=all_items)
    for role, acts in {"kasi": ["return", "initial", "correct"], "kasi_other": [], "front": [], "camat": []}.items():
        client.force_login(people[role])
        r = client.get(f"/api/v1/dossiers/{d.code}/")
        assert r.status_code == 200, r.content
        assert r.json()["allowed_acts"] == acts, role
