"""The act × role × state matrix through the API, for a representative subset: every act with
an allowed role (200), a wrong role (403) and the right role in a wrong state (409), each
once with a bearer token and once with the browser session; 404 for an unknown code and for a
code of another office; every refusal answers with a JSON message and changes nothing.

The expected status is not restated here: it comes from ``expected`` of the service-level
matrix's rules (tests/support/dossier_rules.py, run in full by tests/dossiers/test_matrix.py),
whose table is the single statement of the rules."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from loket.api.models import ApiToken
from loket.dossiers.models import Dossier, Transition
from loket.registers.models import RegisterEntry
from tests.support.dossier_rules import (  # noqa: F401  (book is a fixture)
    ACTS, ALLOWED, assert_nothing_changed, book, dossier_in, expected, snapshot,
)
from tests.support.world import other  # noqa: F401  (a fixture)
from loket.core.errors import WrongState

S = Dossier.State

# (act, role, state, what the case is meant to show)
SUBSET = [
    ("forward", "front", S.RECEIVED, "allowed"),
    ("forward", "kasi", S.RECEIVED, "wrong role"),
    ("forward", "front", S.FORWARDED, "wrong state"),
    ("return", "front", S.RECEIVED, "allowed"),
    ("return", "kasi", S.FORWARDED, "allowed"),
    ("return", "bendahara", S.FORWARDED, "wrong role"),
    ("return", "front", S.FORWARDED, "wrong state"),     # after forwarding only the Kasi returns
    ("return", "kasi", S.INITIALLED, "wrong state"),
    ("initial", "kasi", S.FORWARDED, "allowed"),
    ("initial", "kasi_other", S.FORWARDED, "wrong role"),  # Kasi of another unit
    ("initial", "kasi", S.RECEIVED, "wrong state"),
    ("sign", "sekcam", S.INITIALLED, "allowed"),
    ("sign", "camat", S.INITIALLED, "allowed"),
    ("sign", "front", S.INITIALLED, "wrong role"),
    ("sign", "camat", S.FORWARDED, "wrong state"),
    ("register", "front", S.SIGNED, "allowed"),
    ("register", "camat", S.SIGNED, "wrong role"),
    ("register", "front", S.INITIALLED, "wrong state"),
    ("handover", "front", S.REGISTERED, "allowed"),
    ("handover", "admin", S.REGISTERED, "wrong role"),
    ("handover", "front", S.HANDED_OVER, "wrong state"),
    ("resubmit", "front", S.RETURNED, "allowed"),
    ("resubmit", "ppat", S.RETURNED, "wrong role"),
    ("resubmit", "front", S.RECEIVED, "wrong state"),
    ("cancel_return", "front", S.RETURNED, "allowed"),     # a return made at the counter, undone
    ("cancel_return", "kasi", S.RETURNED, "wrong role"),
    ("cancel_return", "front", S.RECEIVED, "wrong state"),
    ("cancel_intake", "front", S.RECEIVED, "allowed"),
    ("cancel_intake", "front", S.RETURNED, "allowed"),
    ("cancel_intake", "camat", S.RECEIVED, "wrong role"),
    ("cancel_intake", "front", S.FORWARDED, "wrong state"),  # it has left the counter
]

STATUS_OF = {PermissionDenied: 403, WrongState: 409}
MEANT = {"allowed": 200, "wrong role": 403, "wrong state": 409}

CASES = [
    pytest.param(a, r, s, what, auth, id=f"{a}-{r}-{s}-{auth}")
    for a, r, s, what in SUBSET for auth in ("token", "session")
]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _login(client, user, auth):
    """Headers for a bearer token, or a logged-in session (no header)."""
    if auth == "token":
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='matrix')[1]}"}
    client.force_login(user)
    return {}


def _body(action, items):
    if action == "return":
        return {"reason": "Tanda tangan lurah tidak ada", "missing": ["Surat Pengantar RT/ RW"]}
    if action == "resubmit":
        return {"present": items, "originals": items}
    if action == "cancel_return":
        return {"reason": "Salah centang", "present": items, "originals": items}
    if action == "cancel_intake":
        return {"reason": "Salah pilih layanan"}
    return {}


def _post(client, code, action, body, headers):
    return client.post(f"/api/v1/dossiers/{code}/{action}/", body, content_type="application/json", **headers)


def _status(act, role, state):
    want = expected(act, role, state)
    return STATUS_OF[want] if isinstance(want, type) else 200


def test_subset_covers_every_act_three_ways():
    for a in ACTS:
        shown = {what for act, _, _, what in SUBSET if act == a}
        assert shown == {"allowed", "wrong role", "wrong state"}, a
    # the subset says what it means to show, and the rules table agrees
    for a, r, s, what in SUBSET:
        assert _status(a, r, s) == MEANT[what], (a, r, s, what)
    assert {(a, s) for a, _, s, what in SUBSET if what == "allowed"} == set(ALLOWED)


@pytest.mark.parametrize("action,role,state,what,auth", CASES)
def test_api_matrix(action, role, state, what, auth, client, office, people, all_items, book):
    d = dossier_in(state, office=office, people=people, items=all_items)
    before = snapshot(d)
    user = people[role]
    r = _post(client, d.code.lower(), action, _body(action, all_items), _login(client, user, auth))
    status = _status(action, role, state)
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    body = r.json()

    if status != 200:
        assert isinstance(body["detail"], str) and body["detail"].strip()
        if status == 409:
            assert d.get_state_display() in body["detail"]  # says what state the dossier is in
        assert_nothing_changed(d, before)
        return

    new_state = ALLOWED[(action, state)][1]
    assert body["code"] == d.code and body["state"] == new_state
    assert len(body["transitions"]) == before["transitions"] + 1
    last = body["transitions"][-1]
    assert (last["from_state"], last["to_state"]) == (state, new_state)
    assert last["actor"] == user.get_full_name()
    d.refresh_from_db()
    assert d.state == new_state
    t = Transition.objects.filter(dossier=d).order_by("pk").last()
    assert t.actor_id == user.pk and Transition.objects.filter(dossier=d).count() == before["transitions"] + 1
    if action == "register":
        # the register line, and the legalisation's line in the Buku Agenda Surat Keluar
        assert RegisterEntry.objects.count() == before["entries"] + 2
        assert [doc["kind"] for doc in body["documents"]] == ["legalisasi"]
        assert body["register_number"] == f"8/{book.year}" and body["verification_code"]
    else:
        assert RegisterEntry.objects.count() == before["entries"]
    if action == "sign":
        assert body["signer_capacity"] == ("camat" if role == "camat" else "an_camat")
    if action == "return":
        assert body["missing"] == ["Surat Pengantar RT/ RW"] and last["note"] == "Tanda tangan lurah tidak ada"


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("action", ACTS)
def test_unknown_code_is_404(action, auth, client, people, all_items):
    r = _post(client, "ZZZZZZZZ", action, _body(action, all_items), _login(client, people["front"], auth))
    assert r.status_code == 404
    assert "ZZZZZZZZ" in r.json()["detail"]


@pytest.mark.parametrize("action,state", sorted(ALLOWED))
def test_code_of_another_office_is_404_and_changes_nothing(action, state, client, office, people, all_items, other):
    """The API answers 404 before 403 for another office's dossier: it does not even confirm the
    code exists. The role used is the one that would be allowed in its own office."""
    from tests.factories import applicant_data

    office2, people2, items2 = other
    d = dossier_in(state, office=office2, people=people2, items=items2,
                   applicant=applicant_data(kelurahan="35.77.10.1001"))
    before = snapshot(d)
    role = sorted(ALLOWED[(action, state)][0])[0]
    r = _post(client, d.code, action, _body(action, items2), _login(client, people[role], "token"))
    assert r.status_code == 404 and r.json()["detail"]
    assert_nothing_changed(d, before)


def test_return_without_reason_is_400_with_the_field(client, office, people, all_items):
    d = dossier_in(S.FORWARDED, office=office, people=people, items=all_items)
    before = snapshot(d)
    r = _post(client, d.code, "return", {"reason": " "}, _login(client, people["kasi"], "session"))
    assert r.status_code == 400
    assert r.json()["errors"]["reason"]
    assert_nothing_changed(d, before)


def test_unknown_action_is_refused(client, office, people, all_items):
    d = dossier_in(S.RECEIVED, office=office, people=people, items=all_items)
    before = snapshot(d)
    r = _post(client, d.code, "delete", {}, _login(client, people["front"], "token"))
    assert r.status_code == 400 and "action" in r.json()["errors"]
    assert_nothing_changed(d, before)


def test_account_without_office_is_403(client, office, people, all_items, django_user_model):
    d = dossier_in(S.RECEIVED, office=office, people=people, items=all_items)
    before = snapshot(d)
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-Pass-12345")
    r = _post(client, d.code, "forward", {}, _login(client, root, "session"))
    assert r.status_code == 403 and r.json()["detail"]
    assert_nothing_changed(d, before)


@pytest.mark.parametrize("action", ACTS)
def test_no_credentials_is_401_and_changes_nothing(action, client, office, people, all_items):
    d = dossier_in(S.RECEIVED, office=office, people=people, items=all_items)
    before = snapshot(d)
    r = _post(client, d.code, action, _body(action, all_items), {})
    assert r.status_code == 401
    assert_nothing_changed(d, before)
