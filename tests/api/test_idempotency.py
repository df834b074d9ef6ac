"""Idempotency-Key on the API's creates (loket/api/idempotency.py, after IETF
draft-ietf-httpapi-idempotency-key-header-07): the same key and body get the first answer
again and make nothing; another body → 422; still running → 409; keys belong to the caller;
a refused request gives its key back; kept 24 hours; documented in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import timezone

from loket.api import idempotency
from loket.api.models import ApiToken, IdempotentRequest
from loket.complaints import spam
from loket.complaints.models import Complaint
from loket.dossiers import services as dossier_services
from loket.dossiers.models import Dossier
from loket.surveys.models import Response
from tests.complaints.conftest import complaint_data
from tests.support.forms import intake_payload as _payload
from tests.support.surveys import FORMS_2026, csv_of as _csv

KEY = "5f0c2a4e-8b1d-4c3e-9a7f-2d6b8e1f0a93"
DOSSIERS = "/api/v1/dossiers/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def bearer(people):
    def make(role):
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=people[role], name='tes')[1]}"}
    return make


def post(client, url, body, headers, key=KEY, **extra):
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **headers, **extra)


# --- replay, 422, 409 ----------------------------------------------------------------------------

def test_a_retry_with_the_same_key_and_body_gets_the_first_answer_and_makes_nothing(client, all_items, bearer):
    front = bearer("front")
    first = post(client, DOSSIERS, _payload(all_items), front)
    assert first.status_code == 201 and idempotency.REPLAYED not in first
    again = post(client, DOSSIERS, _payload(all_items), front)
    assert again.status_code == 201 and again[idempotency.REPLAYED] == "true"
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert Dossier.objects.count() == 1
    row = IdempotentRequest.objects.get()
    assert row.key == KEY and row.status == 201 and json.loads(row.body)["code"] == first.json()["code"]


def test_without_the_header_every_post_is_new(client, all_items, bearer):
    front = bearer("front")
    for _ in range(2):
        assert post(client, DOSSIERS, _payload(all_items), front, key=None).status_code == 201
    assert Dossier.objects.count() == 2 and not IdempotentRequest.objects.exists()


def test_json_bodies_are_compared_by_content_not_by_spelling(client, all_items, bearer):
    front = bearer("front")
    body = _payload(all_items)
    assert post(client, DOSSIERS, json.dumps(body), front).status_code == 201
    respelled = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = post(client, DOSSIERS, respelled, front)
    assert again.status_code == 201 and again[idempotency.REPLAYED] == "true"
    assert Dossier.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_makes_nothing(client, all_items, bearer):
    front = bearer("front")
    assert post(client, DOSSIERS, _payload(all_items), front).status_code == 201
    other = _payload(all_items, note="Pemohon datang lagi")
    r = post(client, DOSSIERS, other, front)
    assert r.status_code == 422 and "sudah dipakai untuk permintaan yang lain" in r.json()["detail"]
    assert r.json()["docs"].endswith("/api/v1/docs/")
    # the same key on another operation is another request too
    r = post(client, "/api/v1/staff/complaints/", complaint_data(), front)
    assert r.status_code == 422
    assert Dossier.objects.count() == 1 and not Complaint.objects.exists()


def _in_flight(headers, body, *, started_at, url=DOSSIERS) -> IdempotentRequest:
    """The row a request with this key that is still running (or died) holds."""
    request = RequestFactory().post(url, json.dumps(body), content_type="application/json", **headers)
    request.user = AnonymousUser()
    return IdempotentRequest.objects.create(scope=idempotency.scope_of(request), key=KEY, owner="x" * 32,
                                            fingerprint=idempotency.fingerprint_of(request), started_at=started_at)


def test_a_key_still_in_flight_is_409(client, all_items, bearer):
    front = bearer("front")
    _in_flight(front, _payload(all_items), started_at=timezone.now())
    r = post(client, DOSSIERS, _payload(all_items), front)
    assert r.status_code == 409 and r["Retry-After"] == "1"
    assert "masih diproses" in r.json()["detail"]
    assert not Dossier.objects.exists()
    assert post(client, DOSSIERS, _payload(all_items, note="lain"), front).status_code == 422  # the body first


def test_a_key_left_in_flight_by_a_dead_request_is_taken_over(client, all_items, bearer):
    front = bearer("front")
    row = _in_flight(front, _payload(all_items),
                     started_at=timezone.now() - dt.timedelta(seconds=idempotency.STALE - 30))
    assert post(client, DOSSIERS, _payload(all_items), front).status_code == 409  # not given up yet
    IdempotentRequest.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=idempotency.STALE + 1))
    r = post(client, DOSSIERS, _payload(all_items), front)
    assert r.status_code == 201 and Dossier.objects.count() == 1
    row = IdempotentRequest.objects.get()
    assert row.status == 201 and row.owner != "x" * 32


def test_an_error_on_the_way_gives_the_key_back(all_items, bearer, monkeypatch):
    client = Client(raise_request_exception=False)
    front = bearer("front")
    real = dossier_services.dossier_intake

    def broken(**kw):
        raise OSError("disk penuh")

    monkeypatch.setattr(dossier_services, "dossier_intake", broken)
    assert post(client, DOSSIERS, _payload(all_items), front).status_code == 500
    assert not IdempotentRequest.objects.exists()
    monkeypatch.setattr(dossier_services, "dossier_intake", real)
    assert post(client, DOSSIERS, _payload(all_items), front).status_code == 201
    assert Dossier.objects.count() == 1


def test_a_request_that_lost_its_key_meanwhile_rolls_its_act_back(client, all_items, bearer, monkeypatch):
    """Taken over by a retry while it still ran: exactly one of the two may keep its act."""
    front = bearer("front")
    real = dossier_services.dossier_intake

    def intake_then_lose_the_key(**kw):
        d = real(**kw)
        IdempotentRequest.objects.update(owner="z" * 32)  # what a takeover does
        return d

    monkeypatch.setattr(dossier_services, "dossier_intake", intake_then_lose_the_key)
    r = post(client, DOSSIERS, _payload(all_items), front)
    assert r.status_code == 409
    assert not Dossier.objects.exists()  # (the simulated takeover rolled back with it: one connection here)


# --- refusals give the key back; keys belong to the caller ---------------------------------------

def test_a_refused_request_gives_its_key_back_to_be_corrected(client, all_items, bearer):
    front = bearer("front")
    bad = _payload(all_items)
    bad["applicant"]["nik"] = "123"
    assert post(client, DOSSIERS, bad, front).status_code == 400
    assert post(client, DOSSIERS, {"service": "pindah"}, front).status_code == 400  # schema error
    assert not IdempotentRequest.objects.exists()
    assert post(client, DOSSIERS, _payload(all_items), bearer("bendahara")).status_code == 403
    good = post(client, DOSSIERS, _payload(all_items), front)
    assert good.status_code == 201
    assert post(client, DOSSIERS, _payload(all_items), front)[idempotency.REPLAYED] == "true"
    assert Dossier.objects.count() == 1


def test_keys_belong_to_the_caller(client, people, all_items, bearer):
    assert post(client, DOSSIERS, _payload(all_items), bearer("front")).status_code == 201
    other = post(client, DOSSIERS, _payload(all_items), bearer("front"))  # another token, same user
    assert other.status_code == 201 and idempotency.REPLAYED not in other
    session = Client(enforce_csrf_checks=False)
    session.force_login(people["front"])
    r = post(session, DOSSIERS, _payload(all_items), {})
    assert r.status_code == 201 and idempotency.REPLAYED not in r
    assert post(session, DOSSIERS, _payload(all_items), {})[idempotency.REPLAYED] == "true"
    assert Dossier.objects.count() == 3


def test_a_revoked_token_gets_401_not_the_stored_answer(client, all_items, bearer):
    front = bearer("front")
    assert post(client, DOSSIERS, _payload(all_items), front).status_code == 201
    ApiToken.objects.update(revoked_at=timezone.now())
    r = post(client, DOSSIERS, _payload(all_items), front)
    assert r.status_code == 401 and idempotency.REPLAYED not in r


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, '"tanpa-akhir', '"a\\q"', '"a"b"', "kunci-é", "tab\there"])
def test_a_malformed_key_is_400_and_nothing_runs(client, all_items, bearer, key):
    r = post(client, DOSSIERS, _payload(all_items), bearer("front"), key=key)
    assert r.status_code == 400 and "Idempotency-Key" in r.json()["errors"]
    assert not Dossier.objects.exists() and not IdempotentRequest.objects.exists()


def test_a_quoted_key_is_the_same_key_as_the_bare_one(client, all_items, bearer):
    """The draft writes the key as a Structured Field string ("…"); most clients send it bare."""
    front = bearer("front")
    assert post(client, DOSSIERS, _payload(all_items), front, key=f'"{KEY}"').status_code == 201
    assert post(client, DOSSIERS, _payload(all_items), front, key=KEY)[idempotency.REPLAYED] == "true"
    assert idempotency.key_parse('"a\\"b\\\\c"') == 'a"b\\c'
    assert Dossier.objects.count() == 1


# --- every create takes it ------------------------------------------------------------------------

def test_public_complaint_replay_is_per_address_and_does_not_count_against_the_limit(client, office, monkeypatch):
    monkeypatch.setattr(spam, "SUBMISSIONS_LIMIT", 1)
    url = f"/api/v1/complaints/?office={office.slug}"
    body = {"kind": "pengaduan", "name": "Budi", "reply_via": "website", "subject": "Antrean",
            "text": "Antrean di loket KTP-el sangat panjang."}
    first = post(client, url, body, {})
    assert first.status_code == 201
    for _ in range(3):
        again = post(client, url, body, {})
        assert again.status_code == 201 and again.json() == first.json()
    elsewhere = post(client, url, body, {}, REMOTE_ADDR="198.51.100.20")
    assert elsewhere.status_code == 201 and elsewhere.json()["code"] != first.json()["code"]
    assert post(client, url, body, {}, key="kunci-lain").status_code == 429  # a new filing does count
    assert Complaint.objects.count() == 2


@pytest.mark.parametrize("make", [
    pytest.param(lambda o, p: ("/api/v1/staff/complaints/", complaint_data(), "front"), id="staff-complaint"),
    pytest.param(lambda o, p: ("/api/v1/skm/kiosk/", {"service": "pindah", "answers": {"persyaratan": 4, "waktu": 3}},
                               "front"), id="skm-kiosk"),
])
def test_other_json_creates_replay(client, office, people, bearer, make):
    url, body, role = make(office, people)
    headers = bearer(role)
    first = post(client, url, body, headers)
    assert first.status_code == 201, first.content
    again = post(client, url, body, headers)
    assert again[idempotency.REPLAYED] == "true" and again.content == first.content
    assert Complaint.objects.count() + Response.objects.count() == 1


def test_an_upload_is_compared_by_its_bytes(client, office, bearer):
    headers = {**bearer("front"), "HTTP_IDEMPOTENCY_KEY": KEY}

    def upload(data):
        return client.post("/api/v1/skm/import/", {"file": SimpleUploadedFile("kuesioner.csv", data)}, **headers)

    first = upload(_csv(FORMS_2026))
    assert first.status_code == 201 and first.json() == {"imported": 5}
    again = upload(_csv(FORMS_2026))
    assert again.status_code == 201 and again[idempotency.REPLAYED] == "true"
    assert upload(_csv(FORMS_2026[:2])).status_code == 422
    assert Response.objects.count() == 5


def test_an_act_retried_gets_its_first_answer_not_a_wrong_state(client, all_items, bearer):
    front = bearer("front")
    code = post(client, DOSSIERS, _payload(all_items), front, key=None).json()["code"]
    url = f"/api/v1/dossiers/{code}/forward/"
    first = post(client, url, {}, front)
    assert first.status_code == 200 and first.json()["state"] == "forwarded"
    again = post(client, url, {}, front)
    assert again.status_code == 200 and again[idempotency.REPLAYED] == "true" and again.content == first.content
    assert post(client, url, {}, front, key="kunci-baru").status_code == 409  # a new request meets the state
    assert Dossier.objects.get().transitions.count() == 2


CREATES = [("/api/v1/dossiers/", "post"), ("/api/v1/complaints/", "post"), ("/api/v1/staff/complaints/", "post"),
           ("/api/v1/rental/bookings/", "post"), ("/api/v1/rental/deposits/", "post"), ("/api/v1/deeds/cases/", "post"),
           ("/api/v1/skm/import/", "post"),
           ("/api/v1/skm/kiosk/", "post"), ("/api/v1/skm/forms/{code}/", "post"), ("/api/v1/skm/publications/", "post"),
           ("/api/v1/dossiers/{code}/attachments/", "post"), ("/api/v1/staff/evaluation/{user_id}/assessments/", "post")]
ACTS = [("/api/v1/dossiers/{code}/{action}/", "post"), ("/api/v1/complaints/{code}/feedback/", "post"),
        ("/api/v1/staff/complaints/{code}/{action}/", "post"), ("/api/v1/rental/bookings/{code}/{action}/", "post"),
        ("/api/v1/deeds/cases/{code}/{action}/", "post"), ("/api/v1/staff/standard/review-notes/{pk}/decide/", "post")]
# personal-data protection (UU 27/2022): data-subject requests and the breach register (Pasal 46)
CREATES += [("/api/v1/privacy/requests/", "post"), ("/api/v1/privacy/breaches/", "post")]
ACTS += [("/api/v1/privacy/requests/{code}/{action}/", "post"), ("/api/v1/privacy/breaches/{code}/{act}/", "post")]


def test_the_schema_documents_the_header_and_its_answers_on_every_create_and_act(client, db):
    paths = client.get("/api/v1/schema/").json()["paths"]
    for path, method in CREATES + ACTS:
        op = paths[path][method]
        params = [p for p in op["parameters"] if p["name"] == idempotency.HEADER]
        assert len(params) == 1 and params[0]["in"] == "header" and not params[0]["required"], path
        assert "24 jam" in params[0]["description"] and "draft-ietf-httpapi-idempotency-key-header" in params[0]["description"]
        assert {"409", "422"} <= set(op["responses"]), path
    # and only there: reads, computations (quote, fee) and the PUT of a setting do not take it
    taking = {(path, method) for path, ops in paths.items() for method, op in ops.items()
              if any(p["name"] == idempotency.HEADER for p in op.get("parameters", []))}
    assert taking == set(CREATES + ACTS)


def test_old_keys_are_purged(db):
    now = timezone.now()
    for key, age in [("lama", idempotency.KEEP + 1), ("baru", idempotency.KEEP - 60)]:
        row = IdempotentRequest.objects.create(scope="s", key=key, fingerprint="f", owner="o", started_at=now)
        IdempotentRequest.objects.filter(pk=row.pk).update(created_at=now - dt.timedelta(seconds=age))
    assert idempotency.idempotent_purge(now=now) == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["baru"]


# --- two at once (PostgreSQL) ----------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_first_request_runs_is_409_and_then_gets_its_answer(people, all_items, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL; the SQLite test database serialises them")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=people['front'], name='tes')[1]}"}
    real = dossier_services.dossier_intake
    inside, go = threading.Event(), threading.Event()

    def intake_held(**kw):
        inside.set()
        assert go.wait(30)
        return real(**kw)

    monkeypatch.setattr(dossier_services, "dossier_intake", intake_held)
    results = []

    def first():
        try:
            results.append(post(Client(), DOSSIERS, _payload(all_items), headers))
        finally:
            connections.close_all()

    t = threading.Thread(target=first)
    t.start()
    try:
        assert inside.wait(30)
        retry = post(Client(), DOSSIERS, _payload(all_items), headers)
    finally:
        go.set()
        t.join()
    assert retry.status_code == 409
    assert results[0].status_code == 201 and Dossier.objects.count() == 1
    later = post(Client(), DOSSIERS, _payload(all_items), headers)
    assert later.status_code == 201 and later.content == results[0].content
    assert Dossier.objects.count() == 1
