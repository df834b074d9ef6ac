"""The staff API of the Evaluasi Standar Pelayanan (loket/catalog/api.py): the review notes of an
edition with the acts the caller may do, and the decision on a draft, through the same selectors,
service and act table as the page /staf/standar/evaluasi/."""

import pytest

from loket.api.models import ApiToken
from loket.catalog.models import Edition, ReviewNote
from tests.catalog.test_evaluation import draft  # noqa: F401  (the mini edition's notes, copied to a 2019 draft)

NOTES = "/api/v1/staff/standard/review-notes/"


@pytest.fixture
def bearer(people):
    return lambda role: {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=people[role], name='tes')[1]}"}


def decide(client, note, headers, **body):
    return client.post(f"{NOTES}{note.pk}/decide/", body, content_type="application/json", **headers)


def test_list_shows_the_draft_by_default_with_the_acts_of_the_caller(client, draft, bearer):
    data = client.get(NOTES, **bearer("admin")).json()
    assert (data["edition"]["year"], data["edition"]["status"]) == (2019, "draft")
    notes = {n["quote"] or n["text"]: n for n in data["notes"]}
    whole, meterai = notes["UU 1/1970"], notes["Rp 10.000"]
    assert whole["service"] is None and whole["verified"] and whole["kind"] == "text_error"
    assert meterai["service"]["name"] and meterai["component"] == 2 and meterai["source"] == "UU 10/2020"
    assert all(n["allowed_acts"] == ["decide"] and n["status"] == "undecided" for n in data["notes"])
    locked = client.get(NOTES, {"edition": 2018}, **bearer("camat")).json()
    assert locked["edition"]["status"] == "active" and all(n["allowed_acts"] == [] for n in locked["notes"])
    assert client.get(NOTES, {"edition": 1999}, **bearer("camat")).status_code == 404


def test_camat_decides_a_note_of_the_draft(client, draft, bearer, people):
    note = draft.review_notes.get(key="meterai")
    resp = decide(client, note, bearer("camat"), status="rejected", decision_note="Sudah diubah di draf.")
    assert resp.status_code == 200, resp.content
    assert (resp.json()["status"], resp.json()["decided_by"]) == ("rejected", people["camat"].get_full_name() or "camat")
    note.refresh_from_db()
    assert (note.status, note.decision_note, note.decided_by) == ("rejected", "Sudah diubah di draf.", people["camat"])


def test_a_note_of_the_locked_edition_is_409_and_unchanged(client, draft, bearer):
    note = Edition.objects.get(office=draft.office, year=2018).review_notes.get(key="meterai")
    resp = decide(client, note, bearer("camat"), status="applied")
    assert resp.status_code == 409 and "salin edisi menjadi draf" in resp.json()["detail"]
    note.refresh_from_db()
    assert note.status == ReviewNote.Status.UNDECIDED


def test_a_front_office_token_is_refused(client, draft, bearer):
    headers = bearer("front")
    assert client.get(NOTES, **headers).status_code == 403
    note = draft.review_notes.get(key="meterai")
    resp = decide(client, note, headers, status="applied")
    assert resp.status_code == 403 and "Camat" in resp.json()["detail"]
    note.refresh_from_db()
    assert note.status == ReviewNote.Status.UNDECIDED


def test_bad_input_is_400_with_field_errors_and_changes_nothing(client, draft, bearer):
    note = draft.review_notes.get(key="meterai")
    headers = bearer("admin")
    resp = decide(client, note, headers, status="mungkin")
    assert resp.status_code == 400 and "Pilih keputusan" in resp.json()["errors"]["status"][0]
    resp = decide(client, note, headers, status="rejected")
    assert resp.status_code == 400 and "alasan" in resp.json()["errors"]["decision_note"][0]
    note.refresh_from_db()
    assert note.status == ReviewNote.Status.UNDECIDED
