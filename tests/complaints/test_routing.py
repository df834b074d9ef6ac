"""Complaints about a service follow that service's own complaint flowchart (issue 17): the
routing comes from the standard (complaint_handling.routing), not from the service's code. The
PPAT: back office = Petugas administrasi PPAT, direction from the Camat only. The hall: front
office = Bendahara Penerimaan, back office = Kasubbag. Umum dan Keuangan. And the front office's
direct route to the Camat/Sekcam's direction (the indirect-complaint flowchart)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from loket.catalog.models import ServiceType
from loket.catalog.standard_file import parse_standard_file
from loket.complaints import policy, selectors, services
from loket.complaints.models import Complaint
from loket.core.errors import InvalidInput
from loket.offices.models import Unit
from tests.complaints.conftest import complaint_data

S = Complaint.State
STANDARD = Path(__file__).resolve().parents[2] / "loket/catalog/standards/kartoharjo-2018.yaml"
PPAT = {"front_office": ["front_office"], "back_office": ["ppat_officer"], "direction": ["camat"], "units": ["ppat"]}
HALL = {"front_office": ["bendahara"], "back_office": ["kasi"], "direction": ["camat", "sekcam"], "units": ["umum"]}


def test_the_standard_carries_the_routing_of_services_17_and_18_only():
    services_ = {s.number: s for s in parse_standard_file(STANDARD).services}
    assert services_[17].complaint_handling.routing.model_dump() == PPAT
    assert services_[18].complaint_handling.routing.model_dump() == HALL
    assert all(s.complaint_handling.routing is None for n, s in services_.items() if n not in (17, 18))


@pytest.fixture
def routed(office):
    """routed(routing) → the code of a mini-office service carrying that routing (the PPAT's
    unit is added to the mini office)."""
    Unit.objects.get_or_create(office=office, code="ppat", defaults={"name": "PPAT", "kind": Unit.Kind.PPAT})

    def make(routing: dict) -> str:
        service = ServiceType.objects.filter(edition__office=office, code="sewa-gedung")
        # as a loaded standard would hold it (an active edition refuses save(): EditionLocked)
        service.update(complaint_handling={**service.get().complaint_handling, "routing": routing})
        return "sewa-gedung"

    return make


def _new(office, people, service: str, actor="front") -> Complaint:
    return services.complaint_record(office=office, actor=people[actor], data=complaint_data(service=service))


def _fresh(c) -> Complaint:
    return Complaint.objects.get(pk=c.pk)


def test_ppat_complaint_goes_to_the_ppat_officer_and_only_the_camat_directs(office, people, routed):
    c = _new(office, people, routed(PPAT))
    c = services.complaint_escalate(code=c.code, actor=people["front"], unit_code="")  # the one unit: ppat
    assert c.unit.code == "ppat" and c.state == S.ESCALATED
    with pytest.raises(PermissionDenied, match="Petugas administrasi PPAT"):
        services.complaint_answer(code=c.code, actor=people["kasi"], text="Jawaban Kasi.")
    assert set(policy.acts_allowed(_fresh(c), people["ppat"])) == {"direction_request", "coordinate", "answer"}
    assert policy.acts_allowed(_fresh(c), people["kasi_other"]) == []
    assert c.pk in {x.pk for x in selectors.worklist(user=people["ppat"])}
    services.complaint_direction_request(code=c.code, actor=people["ppat"], question="Mohon arahan Camat.")
    # no direction for the Sekcam here; only the oversight act every complaint offers it
    assert policy.acts_allowed(_fresh(c), people["sekcam"]) == ["name_staff"]
    assert c.pk not in {x.pk for x in selectors.worklist(user=people["sekcam"])}
    with pytest.raises(PermissionDenied, match="Camat"):
        services.complaint_direction_give(code=c.code, actor=people["sekcam"], direction="Arahan Sekcam.")
    services.complaint_direction_give(code=c.code, actor=people["camat"], direction="Cek akta di BPN.")
    assert services.complaint_answer(code=c.code, actor=people["ppat"], text="Akta sudah dicek.").complaint.state == S.ANSWERED


def test_ppat_complaint_cannot_go_to_a_kasi(office, people, routed):
    c = _new(office, people, routed(PPAT))
    with pytest.raises(InvalidInput) as info:
        services.complaint_escalate(code=c.code, actor=people["front"], unit_code="pemerintahan")
    assert "PPAT" in info.value.errors["unit"][0]
    assert _fresh(c).state == S.RECEIVED


def test_hall_complaint_is_the_bendaharas_then_the_subbag_umums(client, office, people, routed):
    c = _new(office, people, routed(HALL))
    assert set(policy.acts_allowed(_fresh(c), people["front"])) == set()
    client.force_login(people["bendahara"])  # the API offers what the table allows
    body = client.get(f"/api/v1/staff/complaints/{c.code}/").json()
    assert "answer" in body["allowed_acts"] and body["phone"] == "081234567890"  # it answers: it reads the contact
    with pytest.raises(PermissionDenied, match="Bendahara Penerimaan"):
        services.complaint_answer(code=c.code, actor=people["front"], text="Jawaban front office.")
    assert {"escalate", "direction_direct", "answer", "coordinate"} == set(policy.acts_allowed(_fresh(c), people["bendahara"]))
    assert c.pk in {x.pk for x in selectors.worklist(user=people["bendahara"])}
    assert c.pk not in {x.pk for x in selectors.worklist(user=people["front"])}
    with pytest.raises(InvalidInput):
        services.complaint_escalate(code=c.code, actor=people["bendahara"], unit_code="pemerintahan")
    c = services.complaint_escalate(code=c.code, actor=people["bendahara"], unit_code="umum")
    assert policy.acts_allowed(_fresh(c), people["kasi"]) == []  # Kasi Pemerintahan
    assert "answer" in policy.acts_allowed(_fresh(c), people["kasi_other"])  # heads the Subbag Umum
    assert c.pk in {x.pk for x in selectors.worklist(user=people["kasi_other"])}
    services.complaint_direction_request(code=c.code, actor=people["kasi_other"], question="Mohon arahan.")
    assert "direction_give" in policy.acts_allowed(_fresh(c), people["sekcam"])


def test_a_complaint_without_a_service_follows_the_general_flowchart(office, people, routed):
    routed(HALL)
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    assert "answer" in policy.acts_allowed(c, people["front"])
    assert policy.acts_allowed(_fresh(c), people["bendahara"]) == []


# --- the front office's direct route to direction -----------------------------------------------

def test_front_office_asks_direction_directly_and_gets_it_back(office, people, make_complaint):
    c = make_complaint(S.RECEIVED)
    c = services.complaint_direction_direct(code=c.code, actor=people["front"], question="Mohon arahan langsung.")
    assert (c.state, c.direction_to_front, c.unit_id) == (S.DIRECTION_REQUESTED, True, None)
    assert c.steps.latest("pk").action == "direction_direct"
    assert "direction_give" in policy.acts_allowed(_fresh(c), people["sekcam"])
    services.complaint_direction_give(code=c.code, actor=people["sekcam"], direction="Jawab sesuai SOP.")
    c = _fresh(c)
    assert set(policy.acts_allowed(c, people["front"])) == {"direction_direct", "coordinate", "answer"}
    assert policy.acts_allowed(_fresh(c), people["kasi"]) == []
    assert c.pk in {x.pk for x in selectors.worklist(user=people["front"])}
    with pytest.raises(PermissionDenied):
        services.complaint_answer(code=c.code, actor=people["kasi"], text="Jawaban Kasi.")
    assert services.complaint_answer(code=c.code, actor=people["front"], text="Sesuai arahan.").complaint.state == S.ANSWERED


def test_direct_direction_needs_the_question_and_the_front_office(people, make_complaint):
    c = make_complaint(S.RECEIVED)
    with pytest.raises(InvalidInput):
        services.complaint_direction_direct(code=c.code, actor=people["front"], question="  ")
    for who in ("kasi", "camat", "bendahara"):
        with pytest.raises(PermissionDenied):
            services.complaint_direction_direct(code=c.code, actor=people[who], question="Arahan?")
    assert _fresh(c).state == S.RECEIVED and c.steps.count() == 1


def test_after_a_back_office_request_the_direction_goes_back_to_the_back_office(people, make_complaint):
    c = make_complaint(S.DIRECTED, unit="pemerintahan")
    assert c.direction_to_front is False
    assert "direction_direct" not in policy.acts_allowed(c, people["front"])
    assert "answer" in policy.acts_allowed(_fresh(c), people["kasi"])
