"""Dossier API: intake 201/400, actions 200/403/409, token and session auth, public tracking
and verification without personal data, rate-limited."""

import pytest
from django.core.cache import cache

from loket.api.models import ApiToken
from loket.dossiers.models import Dossier
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.forms import intake_payload as _payload


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_intake_and_whole_path_through_the_api(client, people, all_items, token):
    r = _post(client, "/api/v1/dossiers/", _payload(all_items), token("front"))
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["state"] == "received"
    for action, role in [("forward", "front"), ("initial", "kasi"), ("sign", "sekcam"), ("register", "front"), ("handover", "front")]:
        r = _post(client, f"/api/v1/dossiers/{code}/{action}/", {}, token(role))
        assert r.status_code == 200, (action, r.content)
    body = r.json()
    assert body["state"] == "handed_over" and body["register_number"].startswith("1/")
    assert body["signer_capacity"] == "an_camat"


def test_bad_input_gives_400_with_field_errors_and_saves_nothing(client, people, all_items, token):
    body = _payload(all_items)
    body["applicant"]["nik"] = "35770145089000AB"
    r = _post(client, "/api/v1/dossiers/", body, token("front"))
    assert r.status_code == 400
    assert r.json()["errors"]["nik"] == ["NIK hanya boleh berisi angka."]
    assert not Dossier.objects.exists()


def test_missing_field_is_400_not_422(client, people, token):
    r = _post(client, "/api/v1/dossiers/", {"service": "pindah"}, token("front"))
    assert r.status_code == 400
    assert "applicant" in r.json()["errors"]


def test_wrong_role_403_wrong_state_409(client, people, all_items, token):
    code = _post(client, "/api/v1/dossiers/", _payload(all_items), token("front")).json()["code"]
    r = _post(client, f"/api/v1/dossiers/{code}/initial/", {}, token("kasi"))
    assert r.status_code == 409 and "Diterima" in r.json()["detail"]
    r = _post(client, f"/api/v1/dossiers/{code}/forward/", {}, token("kasi"))
    assert r.status_code == 403 and r.json()["detail"]
    r = _post(client, "/api/v1/dossiers/", _payload(all_items), token("camat"))
    assert r.status_code == 403


def test_no_auth_is_401(client, people):
    assert client.get("/api/v1/dossiers/ABCDEFGH/").status_code == 401


def test_revoked_token_is_refused(client, people):
    row, tok = ApiToken.issue(user=people["front"], name="x")
    row.revoked_at = row.created_at
    row.save()
    assert client.get("/api/v1/dossiers/ABCDEFGH/", HTTP_AUTHORIZATION=f"Bearer {tok}").status_code == 401


def test_session_auth_works_for_the_browser(client, people, all_items):
    client.force_login(people["front"])
    r = client.post("/api/v1/dossiers/", _payload(all_items), content_type="application/json")
    assert r.status_code == 201


def test_public_tracking_shows_no_personal_data(client, people, all_items, token):
    code = _post(client, "/api/v1/dossiers/", _payload(all_items), token("front")).json()["code"]
    r = client.get(f"/api/v1/track/{code.lower()}/")
    assert r.status_code == 200
    text = r.content.decode()
    for secret in ["3577014508900001", "Siti", "Aminah", "081234567890", "3577010101100002"]:
        assert secret not in text
    assert r.json()["state"] == "received"
    assert r.json()["public"] == {"key": "in_progress", "label": "Sedang diproses", "missing": [],
                                  "hint": r.json()["public"]["hint"]} and "belum perlu datang" in r.json()["public"]["hint"]
    assert client.get("/api/v1/track/ZZZZZZZZ/").status_code == 404


def test_public_tracking_names_what_a_returned_dossier_lacks(client, people, all_items, token):
    code = _post(client, "/api/v1/dossiers/", _payload(all_items[:-1]), token("front")).json()["code"]
    public = client.get(f"/api/v1/track/{code}/").json()["public"]
    assert public["key"] == "returned" and public["label"] == "Dikembalikan" and len(public["missing"]) == 1


def test_tracking_is_rate_limited(client, db, one_rate_window):
    statuses = [client.get("/api/v1/track/ZZZZZZZZ/").status_code for _ in range(25)]
    assert statuses[:20] == [404] * 20
    assert statuses[-1] == 429


def test_verification_of_a_registered_paper_and_a_forgery(client, people, all_items, token):
    code = _post(client, "/api/v1/dossiers/", _payload(all_items), token("front")).json()["code"]
    for action, role in [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")]:
        _post(client, f"/api/v1/dossiers/{code}/{action}/", {}, token(role))
    vcode = Dossier.objects.get(code=code).verification_code
    r = client.get(f"/api/v1/verify/{vcode}/")
    assert r.status_code == 200
    assert r.json()["name"] == "S*** A*****" and r.json()["register_number"].startswith("1/")
    assert "Camat" in r.json()["signer"]
    assert client.get("/api/v1/verify/ABCDEFGHJKLM/").status_code == 404
