"""Data-subject requests (UU 27/2022): the legal clock per kind (3 × 24 hours for access, correction
and restriction; none for deletion and objection), recording after the identity check, answering
and refusing on a ground of the law, and what each refusal leaves behind (nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from loket.core.errors import InvalidInput, WrongState
from loket.privacy import requests
from loket.privacy.models import Access, Officer, Request, RequestStep
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.world import other  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

NIK = "3577014508900001"
K, S = Request.Kind, Request.State


def record(people, kind=K.ACCESS, who="front", **over):
    data = {"kind": kind, "nik": NIK, "name": "Siti Aminah", "contact": "081234567890", "identity": "ktp",
            "identity_note": "", "details": "Minta salinan data saya.", **over}
    return requests.request_record(office=people[who].staff.office, actor=people[who], **data)


def test_the_deadline_follows_the_kind_and_is_empty_where_the_law_sets_none(people):
    received = timezone.now() - dt.timedelta(hours=1)
    due = {kind: record(people, kind, received_at=received).due_at for kind in K.values}
    three_days = received + dt.timedelta(hours=72)
    assert due == {K.ACCESS: three_days, K.CORRECTION: three_days, K.RESTRICTION: three_days,
                   K.DELETION: None, K.OBJECTION: None}
    deletion = Request.objects.get(kind=K.DELETION)
    c = requests.clock(deletion)
    assert c.hours_left is None and not c.overdue and "tidak menetapkan batas waktu" in c.basis
    access = requests.clock(Request.objects.get(kind=K.ACCESS))
    assert access.hours_left == 70 and "Pasal 32 ayat (2)" in access.basis


def test_a_request_past_its_deadline_is_overdue_and_listed_so(client, people):
    late = record(people, received_at=timezone.now() - dt.timedelta(hours=80))
    record(people, K.DELETION, received_at=timezone.now() - dt.timedelta(days=30))  # no deadline: never late
    assert requests.clock(late).overdue and requests.clock(late).hours_over == 8
    assert [r.code for r in requests.request_list(office=late.office, overdue=True)] == [late.code]
    client.force_login(people["sekcam"])
    page = client.get(reverse("privacy:requests") + "?terlambat=1").content.decode()
    assert f'id="req-{late.code}"' in page and "terlambat 8 jam" in page
    assert NIK not in page and "357701**********" in page  # the list masks the NIK


def test_record_answer_and_refuse(people):
    officer = people["admin"]  # the officer may be any staff member
    Officer.objects.create(office=people["admin"].staff.office, user=officer, name="Dra. Rina", position="Kasubbag",
                           email="ppdp@example.go.id")
    a = record(people)
    assert a.state == S.RECEIVED and len(a.code) == 8
    requests.request_answer(code=a.code, actor=people["camat"], answer="Salinan diserahkan langsung.")
    a.refresh_from_db()
    assert (a.state, a.answered_by, a.answer) == (S.ANSWERED, people["camat"], "Salinan diserahkan langsung.")
    b = record(people, K.RESTRICTION, details="Hentikan SMS pemberitahuan.")
    requests.request_refuse(code=b.code, actor=officer, ground="pasal41a", reason="Pemberitahuan diwajibkan.")
    b.refresh_from_db()
    assert b.state == S.REFUSED and b.answer.startswith("Ditolak: UU 27/2022 Pasal 41 ayat (2) huruf a")
    assert list(b.steps.values_list("action", "from_state", "to_state")) == [
        ("record", "", S.RECEIVED), ("refuse", S.RECEIVED, S.REFUSED)]


def test_refusals_change_nothing(people, other):
    a = record(people)
    c = record(people, K.CORRECTION)
    steps = RequestStep.objects.count()
    with pytest.raises(PermissionDenied, match="pejabat pelindungan data pribadi"):  # a role that does not answer
        requests.request_answer(code=a.code, actor=people["front"], answer="Ya.")
    with pytest.raises(PermissionDenied, match="bukan petugas kantor ini"):  # the Camat of another office
        requests.request_answer(code=a.code, actor=other[1]["camat"], answer="Ya.")
    with pytest.raises(PermissionDenied):  # recording: a Kasi does not meet the citizen for this
        record(people, who="kasi")
    with pytest.raises(WrongState, match="hanya untuk permintaan akses"):  # a copy only for an access request
        requests.request_export(code=c.code, actor=people["camat"], fmt="pdf")
    requests.request_answer(code=a.code, actor=people["camat"], answer="Sudah.")
    with pytest.raises(WrongState, match="berstatus Dijawab"):
        requests.request_refuse(code=a.code, actor=people["camat"], ground="pasal33b", reason="x")
    assert RequestStep.objects.count() == steps + 1  # the one answer
    assert not Access.objects.exists() and Request.objects.count() == 2


@pytest.mark.parametrize("over, field", [
    ({"nik": "1234"}, "nik"),
    ({"nik": "3577014508900001x"}, "nik"),
    ({"identity": ""}, "identity"),
    ({"identity": "kuasa"}, "identity_note"),  # a proxy: whose and which letter
    ({"kind": "hapus-semua"}, "kind"),
    ({"details": " "}, "details"),
    ({"received_at": "besok"}, "received_at"),
], ids=["nik-short", "nik-letters", "no-identity", "proxy-unnamed", "kind", "no-details", "when"])
def test_bad_input_saves_nothing(people, over, field):
    with pytest.raises(InvalidInput) as exc:
        record(people, **over)
    assert field in exc.value.errors
    assert not Request.objects.exists() and not RequestStep.objects.exists()


def test_a_refusal_names_a_ground_of_the_law_for_its_kind(people):
    a = record(people)
    for ground, reason in (("", "Alasan."), ("arsip", "Alasan."), ("pasal33a", "")):  # arsip: a deletion's ground
        with pytest.raises(InvalidInput):
            requests.request_refuse(code=a.code, actor=people["camat"], ground=ground, reason=reason)
    a.refresh_from_db()
    assert a.state == S.RECEIVED and a.answer == ""


def test_the_pages_record_and_answer(client, people):
    client.force_login(people["front"])
    form = client.get(reverse("privacy:request_new")).content.decode()
    assert 'id="deletion-note"' in form and "Pasal 43 ayat (2)" in form  # said when recording a deletion
    resp = client.post(reverse("privacy:request_new"), {"kind": "penghapusan", "nik": NIK, "name": "Siti", "identity": "ktp",
                                                        "details": "Hapus data saya."})
    r = Request.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("privacy:request_detail", args=[r.code])
    page = client.get(resp["Location"]).content.decode()
    assert 'id="clock-none"' in page and 'id="deletion-note"' in page and "UU 43/2009" in page
    assert 'id="subject-records"' not in page and reverse("privacy:request_answer", args=[r.code]) not in page
    assert "0812" not in page
    assert client.post(reverse("privacy:request_answer", args=[r.code]), {"answer": "x"}).status_code == 403
    client.force_login(people["camat"])
    assert client.post(reverse("privacy:request_answer", args=[r.code]), {"answer": " "}).status_code == 400
    resp = client.post(reverse("privacy:request_answer", args=[r.code]),
                       {"answer": "Data Anda arsip register; disimpan sampai masa retensinya."})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.state == S.ANSWERED


def test_the_api_records_once_and_offers_the_acts(client, people, token):
    body = {"kind": "akses", "nik": NIK, "name": "Siti Aminah", "identity": "ktp", "details": "Salinan data."}
    headers = {**token("front"), "HTTP_IDEMPOTENCY_KEY": "satu"}
    first = client.post("/api/v1/privacy/requests/", body, content_type="application/json", **headers)
    again = client.post("/api/v1/privacy/requests/", body, content_type="application/json", **headers)
    assert first.status_code == again.status_code == 201 and Request.objects.count() == 1
    code = first.json()["code"]
    assert first.json()["nik_masked"] == "357701**********" and first.json()["allowed_acts"] == []
    detail = client.get(f"/api/v1/privacy/requests/{code}/", **token("camat")).json()
    assert detail["allowed_acts"] == ["answer", "refuse", "export"] and detail["hours_left"] in (71, 72)
    bad = client.post("/api/v1/privacy/requests/", {**body, "identity": ""}, content_type="application/json",
                      **token("front"))
    assert bad.status_code == 400 and Request.objects.count() == 1
    done = client.post(f"/api/v1/privacy/requests/{code}/refuse/", {"ground": "pasal33b", "reason": "Data ayah."},
                       content_type="application/json", **token("camat"))
    assert done.status_code == 200 and done.json()["state"] == "ditolak"
    assert client.get(f"/api/v1/privacy/requests/{code}/", **token("kasi")).status_code == 403
