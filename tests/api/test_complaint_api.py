"""Complaint API: public filing (201/400/429), public tracking and feedback without personal
data, the staff list, record and detail, every staff act with an allowed role (200), a wrong
role (403, no step written) and the right role in a wrong state (409), 401 without
credentials, 404 for an unknown code and for another office's, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from loket.complaints import api as complaints_api
from loket.complaints import services
from loket.complaints.models import Answer, Complaint, Coordination, Step
from loket.core import codes
from loket.registers.models import RegisterEntry
from tests.complaints.conftest import complaint_data, make_complaint  # noqa: F401  (make_complaint is a fixture)
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.world import other  # noqa: F401  (a fixture: a second office with its own staff)
from loket.complaints.policy import ACTS

S = Complaint.State
PUBLIC = "/api/v1/complaints/"
STAFF = "/api/v1/staff/complaints/"


def public_data(**over) -> dict:
    """A valid web-form complaint (no channel: the public API always records "website")."""
    data = complaint_data(**over)
    data.pop("channel", None)
    return data


def _post(client, url, body, headers=None, **extra):
    return client.post(url, body, content_type="application/json", **(headers or {}), **extra)


# --- public filing ------------------------------------------------------------------------------

def test_public_post_files_a_website_complaint(client, office):
    r = _post(client, PUBLIC, public_data())
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"code", "register_number", "tracking_url"}
    code = body["code"]
    assert len(code) == 8 and "-" not in code and set(code) <= set(codes.ALPHABET)
    year = timezone.localdate().year
    assert body["register_number"] == f"1/{year}"
    assert body["tracking_url"] == f"http://testserver/pengaduan/lacak/{code}/"
    c = Complaint.objects.get(code=code)
    assert c.office == office and c.channel == Complaint.Channel.WEBSITE and c.state == S.RECEIVED
    assert c.received_by is None and c.name == "Budi Santoso" and c.register_entry.number_display == f"1/{year}"
    assert list(c.steps.values_list("action", "actor")) == [("intake", None)]


def test_public_post_ignores_a_channel_sent_by_the_citizen(client, office):
    r = _post(client, PUBLIC, {**public_data(), "channel": "tatap_muka", "unit": "umum"})
    assert r.status_code == 201, r.content
    c = Complaint.objects.get(code=r.json()["code"])
    assert c.channel == Complaint.Channel.WEBSITE and c.unit_id is None


def test_public_post_for_an_unknown_office_is_404(client, office):
    r = _post(client, PUBLIC + "?office=tidak-ada", public_data())
    assert r.status_code == 404 and r.json()["detail"]
    assert not Complaint.objects.exists()


BAD_INPUT = {
    "missing text": ({k: v for k, v in public_data().items() if k != "text"}, "text", None),
    "text too long": (public_data(text="x" * 5001), "text", "Uraian paling panjang 5000 karakter (sekarang 5001)."),
    "unknown kind": (public_data(kind="keluhan"), "kind",
                     "Pilih jenis: pengaduan, konsultasi, saran, atau permintaan informasi."),
    "anonymous wants whatsapp": (public_data(anonymous=True), "reply_via",
                                 "Pengadu tanpa nama menerima jawaban lewat halaman lacak (kode) atau datang langsung."),
    "malformed json": (b'{"kind": "pengaduan", ', "body", "Isi permintaan bukan JSON yang sah."),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_public_post_bad_input_is_400_with_field_errors_and_saves_nothing(case, client, office):
    body, field, message = BAD_INPUT[case]
    r = _post(client, PUBLIC, body)
    assert r.status_code == 400, r.content
    out = r.json()
    assert out["detail"] == "Data tidak valid."
    assert field in out["errors"], out
    if message is not None:
        assert out["errors"][field] == [message]
    assert not Complaint.objects.exists() and not RegisterEntry.objects.exists()


def test_public_post_is_rate_limited_per_address(client, office, one_rate_window):
    statuses = [_post(client, PUBLIC, public_data()).status_code for _ in range(complaints_api.POSTS_PER_WINDOW + 1)]
    assert statuses == [201] * 5 + [429]
    assert Complaint.objects.count() == 5
    r = _post(client, PUBLIC, public_data())
    assert r.status_code == 429 and r.json()["detail"]
    # another address still gets through: the count is per address
    assert _post(client, PUBLIC, public_data(), REMOTE_ADDR="10.1.2.3").status_code == 201


# --- public tracking and feedback ---------------------------------------------------------------

MARKERS = {
    "name": "Zulkarnainpenanda Rahasia", "phone": "081299887766", "email": "penanda.rahasia@example.org",
    "address": "Jalan Alamatpenanda 17", "subject": "Pokokpenanda masalah lampu jalan",
    "text": "Uraianpenanda: lampu jalan di depan rumah saya mati sejak lama.",
}
NOTES = {"escalate": "Catatanpenanda internal", "question": "Pertanyaanpenanda arahan",
         "direction": "Arahanpenanda pimpinan", "party": "Pihakpenanda Kelurahan", "coord": "Koordinasipenanda data",
         "result": "Hasilpenanda koordinasi", "close": "Tutuppenanda alasan"}
PUBLIC_KEYS = {"code", "office", "kind", "kind_label", "category", "channel_label", "state", "state_label",
               "received_at", "register_number", "due_date", "closed_at", "can_give_feedback", "satisfied",
               "timeline", "answers"}


def test_public_tracking_shows_no_personal_data(client, office, people, token):
    r = _post(client, PUBLIC, public_data(reply_via="email", **MARKERS))
    assert r.status_code == 201, r.content
    assert not any(m in r.content.decode() for m in MARKERS.values())
    code = r.json()["code"]
    for role, user in people.items():  # staff names that cannot be confused with the words of a label
        user.first_name, user.last_name = "Pegawaipenanda", role.title()
        user.save(update_fields=["first_name", "last_name"])
    steps = [
        ("escalate", "front", {"unit": "pemerintahan", "note": NOTES["escalate"]}),
        ("direction_request", "kasi", {"question": NOTES["question"]}),
        ("direction_give", "camat", {"direction": NOTES["direction"]}),
        ("coordinate", "kasi", {"kind": "kelurahan", "party": NOTES["party"], "question": NOTES["coord"]}),
        ("coordination_result", "kasi", {"result": NOTES["result"]}),
        ("answer", "kasi", {"text": "Lampu sudah diperbaiki oleh dinas terkait."}),
        ("close", "front", {"note": NOTES["close"]}),
    ]
    for action, role, body in steps:
        assert _post(client, f"{STAFF}{code}/{action}/", body, token(role)).status_code == 200, action
    # the staff detail holds every marker (so the check below looks for strings that exist)
    staff_text = client.get(f"{STAFF}{code}/", **token("front")).content.decode()
    assert all(m in staff_text for m in [*MARKERS.values(), *NOTES.values(), "Pegawaipenanda Kasi", "Pegawaipenanda Camat"])

    r = client.get(f"{PUBLIC}{code.lower()}/")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == PUBLIC_KEYS
    text = r.content.decode()
    for secret in [*MARKERS.values(), *NOTES.values(), "penanda", "Pegawaipenanda", "kasi.pem", "petugas"]:
        assert secret not in text, secret
    assert body["code"] == codes.display(code) and body["state"] == S.CLOSED
    assert [a["text"] for a in body["answers"]] == ["Lampu sudah diperbaiki oleh dinas terkait."]
    assert [s["state"] for s in body["timeline"]] == [
        "received", "escalated", "direction_requested", "directed", "coordinating", "directed", "answered", "closed"]
    assert all(set(s) == {"at", "state", "state_label", "label"} for s in body["timeline"])
    assert all(set(a) == {"at", "text", "via", "correction"} for a in body["answers"])


def test_public_tracking_unknown_code_404_and_rate_limited(client, db, one_rate_window):
    statuses = [client.get(f"{PUBLIC}ZZZZZZZZ/").status_code for _ in range(25)]
    assert statuses[:20] == [404] * 20 and statuses[-1] == 429
    assert "tidak ditemukan" in client.get(f"{PUBLIC}ZZZZZZZZ/", REMOTE_ADDR="10.9.9.9").json()["detail"]


def test_public_feedback_409_before_the_answer_then_closes(client, make_complaint, people):
    c = make_complaint(S.RECEIVED)
    steps_before = Step.objects.filter(complaint=c).count()
    r = _post(client, f"{PUBLIC}{c.code}/feedback/", {"satisfied": True})
    assert r.status_code == 409 and r.json()["detail"]
    assert Step.objects.filter(complaint=c).count() == steps_before
    services.complaint_answer(code=c.code, actor=people["front"], text="Sudah kami tindak lanjuti.")
    r = _post(client, f"{PUBLIC}{c.code}/feedback/", {"satisfied": True, "note": "Terima kasih."})
    assert r.status_code == 200, r.content
    assert set(r.json()) == PUBLIC_KEYS
    assert r.json()["state"] == S.CLOSED and r.json()["satisfied"] is True and r.json()["closed_at"]
    assert "Terima kasih" not in r.content.decode() and "Budi" not in r.content.decode()
    step = Step.objects.filter(complaint=c).order_by("pk").last()
    assert (step.action, step.actor, step.to_state) == ("feedback", None, S.CLOSED)


def test_public_feedback_not_satisfied_reopens(client, make_complaint):
    c = make_complaint(S.ANSWERED)
    r = _post(client, f"{PUBLIC}{codes.display(c.code)}/feedback/", {"satisfied": False})
    assert r.status_code == 200 and r.json()["state"] == S.REOPENED and r.json()["satisfied"] is False


def test_public_feedback_unknown_code_is_404_and_needs_satisfied(client, make_complaint):
    r = _post(client, f"{PUBLIC}ZZZZZZZZ/feedback/", {"satisfied": True})
    assert r.status_code == 404 and "ZZZZZZZZ" in r.json()["detail"]
    c = make_complaint(S.ANSWERED)
    r = _post(client, f"{PUBLIC}{c.code}/feedback/", {"note": "x"})
    assert r.status_code == 400 and "satisfied" in r.json()["errors"]
    c.refresh_from_db()
    assert c.state == S.ANSWERED


def test_public_feedback_is_rate_limited(client, db, one_rate_window):
    statuses = [_post(client, f"{PUBLIC}ZZZZZZZZ/feedback/", {"satisfied": True}).status_code for _ in range(21)]
    assert statuses[:20] == [404] * 20 and statuses[-1] == 429


# --- staff: list, record, detail ----------------------------------------------------------------

def test_staff_list_with_filters_and_ageing(client, make_complaint, token, people):
    received = make_complaint(S.RECEIVED, subject="Jalan rusak di RT 3")
    escalated = make_complaint(S.ESCALATED)
    answered = make_complaint(S.ANSWERED)
    # overdue: its target date is in the past (the clock started long ago)
    Complaint.objects.filter(pk=received.pk).update(
        clock_started_at=timezone.now() - dt.timedelta(days=60), due_date=timezone.localdate() - dt.timedelta(days=20))

    def codes_of(query=""):
        r = client.get(f"{STAFF}{query}", **token("kasi"))
        assert r.status_code == 200, r.content
        return {row["code"] for row in r.json()}, r.json()

    every, rows = codes_of()
    assert every == {received.code, escalated.code, answered.code}
    row = next(r for r in rows if r["code"] == received.code)
    assert set(row) == {"code", "kind", "channel", "state", "state_label", "subject", "unit", "received_at",
                        "due_date", "legal_due_date", "overdue", "ageing_days", "register_number",
                        "lapor_number", "lapor_forward_due", "lapor_followup_due", "lapor_overdue"}
    assert row["overdue"] is True and row["ageing_days"] >= 25 and row["subject"] == "Jalan rusak di RT 3"
    assert next(r for r in rows if r["code"] == escalated.code)["unit"] == "pemerintahan"
    assert codes_of("?state=escalated")[0] == {escalated.code}
    assert codes_of("?unit=pemerintahan")[0] == {escalated.code}
    assert codes_of("?overdue=true")[0] == {received.code}
    assert codes_of("?open=true")[0] == {received.code, escalated.code}
    assert codes_of("?q=jalan+rusak")[0] == {received.code}
    assert codes_of("?channel=website")[0] == set()
    assert codes_of("?kind=saran")[0] == set()


def test_staff_record_201_with_channel_and_unit(client, office, people, token):
    r = _post(client, STAFF, {**complaint_data(channel="telepon"), "unit": "umum", "note": "Ditelepon pukul 09.00"},
              token("front"))
    assert r.status_code == 201, r.content
    body = r.json()
    c = Complaint.objects.get(code=body["code"])
    assert c.channel == "telepon" and c.received_by == people["front"] and c.unit.code == "umum"
    assert body["name"] == "Budi Santoso" and body["phone"] == "081234567890" and body["unit"] == "umum"
    assert body["steps"][0]["note"] == "Ditelepon pukul 09.00" and body["steps"][0]["actor"] == people["front"].get_full_name()
    assert "escalate" in body["allowed_acts"] and "close" not in body["allowed_acts"]


@pytest.mark.parametrize("role", ["bendahara", "ppat", "admin"])
def test_staff_record_by_a_role_that_may_not_is_403(role, client, office, token):
    r = _post(client, STAFF, complaint_data(), token(role))
    assert r.status_code == 403 and r.json()["detail"]
    assert not Complaint.objects.exists() and not RegisterEntry.objects.exists()


def test_staff_record_needs_a_channel(client, office, token):
    body = complaint_data()
    body["channel"] = "merpati"
    r = _post(client, STAFF, body, token("front"))
    assert r.status_code == 400 and r.json()["errors"]["channel"] == ["Pilih saluran masuknya pengaduan."]
    assert not Complaint.objects.exists()


def test_staff_detail_has_everything(client, make_complaint, people, token):
    c = make_complaint(S.ANSWERED)
    services.complaint_answer_correct(code=c.code, actor=people["front"], text="Jawaban yang benar: sudah jadi.",
                                      reason="Salah ketik.")
    r = client.get(f"{STAFF}{codes.display(c.code).lower()}/", **token("front"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["code"] == c.code and body["name"] == "Budi Santoso" and body["text"].startswith("KTP-el saya")
    assert body["reply_via"] == "whatsapp" and body["anonymous"] is False
    first, second = body["answers"]
    assert second["corrects"] == first["id"] and first["corrects"] is None and second["sent_by"] == people["front"].get_full_name()
    assert [s["action"] for s in body["steps"]] == ["intake", "answer", "correct"]
    assert body["steps"][-1]["note"] == "Koreksi jawaban: Salah ketik."
    assert set(body["allowed_acts"]) == {"correct", "feedback", "close"}
    # the Camat holds nothing here; it may only record the staff member the complaint names
    assert client.get(f"{STAFF}{c.code}/", **token("camat")).json()["allowed_acts"] == ["name_staff"]


def test_staff_detail_shows_coordinations(client, make_complaint, people, token):
    c = make_complaint(S.COORDINATING)
    body = client.get(f"{STAFF}{c.code}/", **token("kasi")).json()
    (k,) = body["coordinations"]
    assert k["kind"] == "kelurahan" and k["party"] == "Kelurahan Klegen" and k["asked_by"] == people["kasi"].get_full_name()
    assert k["answered_at"] is None and k["result"] == ""
    assert body["allowed_acts"] == ["coordination_result"]


# --- staff acts: the role × state table ---------------------------------------------------------

BODIES = {
    "escalate": {"unit": "pemerintahan", "note": "Perlu dicek seksi pemerintahan."},
    "direction_direct": {"question": "Mohon arahan langsung."},
    "direction_request": {"question": "Mohon arahan penanganan."},
    "direction_give": {"direction": "Koordinasikan dengan kelurahan."},
    "coordinate": {"kind": "musyawarah", "party": "Lurah dan ketua RT", "question": "Agenda: lampu jalan",
                   "meeting_date": "2030-01-15"},
    "coordination_result": {"result": "Lampu akan diganti minggu depan.", "meeting_date": "2030-01-16"},
    "answer": {"text": "Terima kasih, sudah kami tindak lanjuti."},
    "correct": {"text": "Koreksi: lampu diganti bulan depan.", "reason": "Jadwal berubah."},
    "feedback": {"satisfied": False, "note": "Pengadu menelepon: belum puas."},
    "close": {"note": "Tidak ada tanggapan pengadu dalam 14 hari."},
    # the front-office clerk as the staff member the complaint is about (the id is the test's)
    "name_staff": lambda people: {"staff_named": people["front"].pk},
}

# action: (allowed role, from state, new state), (wrong role in that state), (allowed role, wrong state)
TABLE = {
    "escalate": (("front", S.RECEIVED, S.ESCALATED), "kasi", S.ESCALATED),
    "direction_direct": (("front", S.RECEIVED, S.DIRECTION_REQUESTED), "kasi", S.ANSWERED),
    "direction_request": (("kasi", S.ESCALATED, S.DIRECTION_REQUESTED), "kasi_other", S.RECEIVED),
    "direction_give": (("camat", S.DIRECTION_REQUESTED, S.DIRECTED), "kasi", S.ESCALATED),
    "coordinate": (("kasi", S.ESCALATED, S.COORDINATING), "front", S.ANSWERED),
    "coordination_result": (("kasi", S.COORDINATING, S.ESCALATED), "front", S.ESCALATED),
    "answer": (("front", S.RECEIVED, S.ANSWERED), "camat", S.ANSWERED),
    "correct": (("front", S.ANSWERED, S.ANSWERED), "camat", S.RECEIVED),
    "feedback": (("front", S.ANSWERED, S.REOPENED), "kasi", S.RECEIVED),
    "close": (("front", S.ANSWERED, S.CLOSED), "sekcam", S.CLOSED),
    # allowed in every state (no wrong state: only another kind of complaint, tests/complaints/test_staff_named.py)
    "name_staff": (("sekcam", S.COORDINATING, S.COORDINATING), "front", None),
}

CASES = []
for _act, ((_role, _state, _new), _wrong_role, _wrong_state) in TABLE.items():
    CASES += [
        pytest.param(_act, _role, _state, 200, _new, id=f"{_act}-{_role}-{_state}-allowed"),
        pytest.param(_act, _wrong_role, _state, 403, None, id=f"{_act}-{_wrong_role}-{_state}-wrong-role"),
    ]
    if _wrong_state is not None:
        CASES.append(pytest.param(_act, _role, _wrong_state, 409, None, id=f"{_act}-{_role}-{_wrong_state}-wrong-state"))


def _body(action: str, people) -> dict:
    return BODIES[action](people) if callable(BODIES[action]) else BODIES[action]


def _history(c: Complaint) -> tuple:
    c.refresh_from_db()
    return (c.state, c.unit_id, c.satisfied, c.closed_at, c.staff_named_id, Step.objects.filter(complaint=c).count(),
            Answer.objects.filter(complaint=c).count(),
            list(Coordination.objects.filter(complaint=c).values_list("pk", "answered_at")))


def test_the_table_covers_every_act():
    assert set(TABLE) == set(ACTS) == set(BODIES)


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("action,role,state,status,new_state", CASES)
def test_staff_act(action, role, state, status, new_state, auth, client, make_complaint, people, token):
    c = make_complaint(state)
    before = _history(c)
    if auth == "token":
        headers = token(role)
    else:
        client.force_login(people[role])
        headers = {}
    r = _post(client, f"{STAFF}{c.code.lower()}/{action}/", _body(action, people), headers)
    assert r.status_code == status, r.content
    body = r.json()
    if status != 200:
        assert isinstance(body["detail"], str) and body["detail"].strip()
        if status == 409:
            assert c.get_state_display() in body["detail"]
        assert _history(c) == before  # no step, no answer, no coordination, same state
        return
    assert body["code"] == c.code and body["state"] == new_state
    c.refresh_from_db()
    assert c.state == new_state
    steps = Step.objects.filter(complaint=c).order_by("pk")
    assert steps.count() == before[5] + 1
    last = steps.last()
    assert (last.action, last.from_state, last.to_state, last.actor) == (action, state, new_state, people[role])
    assert body["steps"][-1]["action"] == action and body["steps"][-1]["actor"] == people[role].get_full_name()
    if action == "escalate":
        assert body["unit"] == "pemerintahan"
    if action == "coordinate":
        assert body["coordinations"][-1]["meeting_date"] == "2030-01-15"
        assert body["coordinations"][-1]["kind"] == "musyawarah"
    if action == "coordination_result":
        assert body["coordinations"][-1]["result"] == "Lampu akan diganti minggu depan."
        assert body["coordinations"][-1]["meeting_date"] == "2030-01-16"
    if action in ("answer", "correct"):
        assert body["answers"][-1]["text"] == BODIES[action]["text"]
    if action == "feedback":
        assert body["satisfied"] is False and last.actor == people["front"]
    if action == "close":
        assert body["closed_at"] and last.note == BODIES["close"]["note"]
    if action == "name_staff":
        assert body["staff_named"]["id"] == people["front"].pk and c.staff_named_id == people["front"].pk


def test_act_with_a_missing_field_is_400_and_changes_nothing(client, make_complaint, token):
    c = make_complaint(S.ESCALATED)
    before = _history(c)
    r = _post(client, f"{STAFF}{c.code}/direction_request/", {"question": "  "}, token("kasi"))
    assert r.status_code == 400 and r.json()["errors"]["question"] == ["Hal yang dimintakan arahan wajib diisi."]
    r = _post(client, f"{STAFF}{c.code}/coordinate/", {"kind": "musyawarah", "party": "RT", "question": "Agenda",
                                                       "meeting_date": "15-01-2030"}, token("kasi"))
    assert r.status_code == 400 and "meeting_date" in r.json()["errors"]
    assert _history(c) == before


def test_unknown_action_is_400(client, make_complaint, token):
    c = make_complaint(S.RECEIVED)
    before = _history(c)
    r = _post(client, f"{STAFF}{c.code}/delete/", {}, token("front"))
    assert r.status_code == 400 and "action" in r.json()["errors"]
    assert _history(c) == before


# --- authentication and other offices ------------------------------------------------------------

STAFF_CALLS = [("get", STAFF), ("post", STAFF), ("get", STAFF + "{code}/")] + [
    ("post", STAFF + "{code}/" + act + "/") for act in TABLE
]


@pytest.mark.parametrize("method,url", STAFF_CALLS)
def test_staff_endpoints_without_credentials_are_401(method, url, client, make_complaint):
    c = make_complaint(S.RECEIVED)
    before = _history(c)
    url = url.format(code=c.code)
    r = client.get(url) if method == "get" else _post(client, url, BODIES.get(url.rstrip("/").rsplit("/", 1)[-1], {}))
    assert r.status_code == 401 and "Authorization" in r.json()["detail"]
    assert _history(c) == before
    assert Complaint.objects.count() == 1


def test_a_bad_token_is_401(client, make_complaint):
    c = make_complaint(S.RECEIVED)
    assert client.get(f"{STAFF}{c.code}/", HTTP_AUTHORIZATION="Bearer lkt_salah").status_code == 401


def test_an_account_without_office_is_403(client, make_complaint, django_user_model):
    c = make_complaint(S.RECEIVED)
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-Pass-12345")
    client.force_login(root)
    assert client.get(f"{STAFF}{c.code}/").status_code == 403
    assert client.get(STAFF).status_code == 403


@pytest.mark.parametrize("action", TABLE)
def test_another_offices_complaint_is_404_and_changes_nothing(action, client, office, people, token, other):
    office2, people2, _ = other
    c = services.complaint_record(office=office2, actor=people2["front"], data=complaint_data())
    before = _history(c)
    role = TABLE[action][0][0]
    r = _post(client, f"{STAFF}{c.code}/{action}/", _body(action, people), token(role))
    assert r.status_code == 404 and c.code in r.json()["detail"]
    assert client.get(f"{STAFF}{c.code}/", **token(role)).status_code == 404
    assert c.code not in client.get(STAFF, **token(role)).content.decode()
    assert _history(c) == before
    # its own office sees it
    assert client.get(f"{STAFF}{c.code}/", **token(role, people2["front"])).status_code == 200


def test_unknown_code_is_404(client, people, token):
    r = client.get(f"{STAFF}ZZZZZZZZ/", **token("front"))
    assert r.status_code == 404 and "ZZZZZZZZ" in r.json()["detail"]
    r = _post(client, f"{STAFF}ZZZZZZZZ/close/", {"note": "x"}, token("front"))
    assert r.status_code == 404


# --- OpenAPI --------------------------------------------------------------------------------------

def test_the_operations_are_in_the_openapi_schema(client, db):
    r = client.get("/api/v1/schema/")
    assert r.status_code == 200
    schema = json.loads(r.content)
    paths = schema["paths"]
    expected = {
        "/api/v1/complaints/": {"post"}, "/api/v1/complaints/{code}/": {"get"},
        "/api/v1/complaints/{code}/feedback/": {"post"},
        "/api/v1/staff/complaints/": {"get", "post"}, "/api/v1/staff/complaints/{code}/": {"get"},
        "/api/v1/staff/complaints/{code}/{action}/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for m in methods:
            op = paths[path][m]
            assert op["tags"] == ["Pengaduan"]
            assert ("security" in op) == path.startswith("/api/v1/staff/"), (path, m)
            if path.startswith("/api/v1/staff/"):
                assert {"401", "403"} <= set(op["responses"]), (path, m)
            else:
                assert "429" in op["responses"], (path, m)
    assert "lampiran" in paths["/api/v1/complaints/"]["post"]["description"].lower()
    assert {"400", "201", "429"} <= set(paths["/api/v1/complaints/"]["post"]["responses"])
    assert "409" in paths["/api/v1/staff/complaints/{code}/{action}/"]["post"]["responses"]
    actions = next(p for p in paths["/api/v1/staff/complaints/{code}/{action}/"]["post"]["parameters"]
                   if p["name"] == "action")
    assert set(actions["schema"]["enum"]) == set(ACTS)
    # the public tracking answer names exactly its fields: nothing else can leak through it
    track = paths["/api/v1/complaints/{code}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = track["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][name]["properties"]) == PUBLIC_KEYS


def test_list_filter_with_a_huge_category_key_finds_nothing(client, people, make_complaint):
    """Found by schemathesis: ?category=<30 digits> overflowed SQLite's INTEGER (500)."""
    make_complaint()
    client.force_login(people["front"])
    r = client.get("/api/v1/staff/complaints/", {"category": str(10**30)})
    assert r.status_code == 200 and r.json() == []
