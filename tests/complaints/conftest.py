"""Fixtures for complaint tests: valid input, and complaints brought to any state through the
real acts (never by writing the state directly)."""

from __future__ import annotations

import pytest

from loket.complaints import services
from loket.complaints.models import Complaint

S = Complaint.State


def complaint_data(**over) -> dict:
    """A valid named complaint that wants its answer by WhatsApp."""
    data = {
        "kind": "pengaduan", "channel": "whatsapp", "name": "Budi Santoso", "phone": "081234567890",
        "reply_via": "whatsapp", "subject": "KTP-el belum jadi",
        "text": "KTP-el saya belum jadi sejak dua bulan yang lalu, mohon dicek.",
    }
    data.update(over)
    return data


# The path of acts that brings a new complaint to each state (kasi = the Kasi of "pemerintahan").
PATHS = {
    S.RECEIVED: [],
    S.ESCALATED: ["escalate"],
    S.DIRECTION_REQUESTED: ["escalate", "direction_request"],
    S.DIRECTED: ["escalate", "direction_request", "direction_give"],
    S.COORDINATING: ["escalate", "coordinate"],
    S.ANSWERED: ["answer"],
    S.REOPENED: ["answer", "unhappy"],
    S.CLOSED: ["answer", "happy"],
}


def run_act(step: str, code: str, people: dict):
    if step == "escalate":
        return services.complaint_escalate(code=code, actor=people["front"], unit_code="pemerintahan")
    if step == "direction_request":
        return services.complaint_direction_request(code=code, actor=people["kasi"], question="Mohon arahan.")
    if step == "direction_give":
        return services.complaint_direction_give(code=code, actor=people["camat"], direction="Koordinasikan dengan kelurahan.")
    if step == "coordinate":
        return services.complaint_coordinate(code=code, actor=people["kasi"], kind="kelurahan",
                                             party="Kelurahan Klegen", question="Mohon konfirmasi data.")
    if step == "answer":
        return services.complaint_answer(code=code, actor=people["front"], text="Berkas Anda sudah selesai, silakan ambil.")
    if step == "unhappy":
        return services.complaint_feedback(code=code, satisfied=False, note="Belum selesai.")
    if step == "happy":
        return services.complaint_feedback(code=code, satisfied=True)
    raise ValueError(step)


@pytest.fixture
def make_complaint(office, people):
    """make_complaint(state="received", **data) → a Complaint of the mini office in that state."""

    def make(state: str = S.RECEIVED, **over) -> Complaint:
        c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(**over))
        for step in PATHS[state]:
            run_act(step, c.code, people)
        c.refresh_from_db()
        assert c.state == state
        return c

    return make
