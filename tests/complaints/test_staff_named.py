"""The staff member a complaint names ("Pegawai yang diadukan", issue 18): recorded at the counter
(the staff form and the staff API) or later by the Camat and the Sekcam (act ``name_staff``, one
Step, the state unchanged); shown to them only, never on the public side, never logged; and
``selectors.naming_counts``, the "complaints that name them" of the staff evaluation."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from loket.complaints import policy, selectors, services
from loket.complaints.models import Complaint, Step
from loket.core.errors import InvalidInput, WrongState
from loket.offices.models import Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterEntry
from tests.complaints.conftest import complaint_data
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.complaints import form_data, form_url

S = Complaint.State
BASE = "/staf/pengaduan/"
STAFF_API = "/api/v1/staff/complaints/"
NAME, POSITION = "Slamet Riyadi", "Pengadministrasi Umum"
READERS = ("camat", "sekcam")
OTHERS = ("front", "kasi", "kasi_other", "bendahara", "ppat", "admin")
WIB = ZoneInfo("Asia/Jakarta")
FOREIGN_MESSAGE = "Pegawai yang diadukan tidak dikenal: pilih pegawai aktif kantor ini dari daftar."


@pytest.fixture
def named(office):
    """A clerk of the office whose conduct the complaints are about (no other part in the tests)."""
    return staff_create(office=office, username="slamet", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                        full_name=NAME, position=POSITION).user


@pytest.fixture
def other_office(office):
    return Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota")


@pytest.fixture
def foreign(other_office):
    """A staff member of another kecamatan."""
    return staff_create(office=other_office, username="petugas.lain", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                        full_name="Orang Lain").user


@pytest.fixture
def retired(office):
    """A former staff member of the office (account deactivated)."""
    user = staff_create(office=office, username="pensiun", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                        full_name="Sudah Pensiun").user
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def _counts():
    return Complaint.objects.count(), RegisterEntry.objects.count(), Step.objects.count()


def _errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


# --- intake at the counter -------------------------------------------------------------------

def test_intake_without_it_names_nobody(office, people):
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    assert c.staff_named_id is None
    assert list(c.steps.values_list("action", flat=True)) == ["intake"]


def test_intake_with_it_records_it_in_a_step_of_its_own(office, people, named):
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(staff_named=str(named.pk)))
    c.refresh_from_db()
    assert c.staff_named_id == named.pk and c.state == S.RECEIVED
    intake, naming = c.steps.order_by("pk")
    assert (intake.action, intake.from_state, intake.to_state) == ("intake", "", S.RECEIVED)
    assert NAME not in intake.note  # every staff role reads the intake's note
    assert (naming.action, naming.from_state, naming.to_state, naming.actor_id, naming.at) == (
        "name_staff", S.RECEIVED, S.RECEIVED, people["front"].pk, intake.at)
    assert naming.note == f"Pegawai yang diadukan dicatat saat pencatatan: {NAME} — {POSITION}."


def test_the_staff_form_lists_the_active_staff_of_the_office_by_name_and_position(
        client, people, named, foreign, retired):
    client.force_login(people["front"])
    page = client.get(f"{BASE}baru/").content.decode()
    assert "Pegawai yang diadukan (bila ada)" in page and 'name="staff_named"' in page
    assert f'<option value="{named.pk}">{NAME} — {POSITION}</option>' in page
    # without a position: the role
    assert f'<option value="{people["camat"].pk}">Camat — Camat</option>' in page
    assert "Orang Lain" not in page and "Sudah Pensiun" not in page


def test_the_staff_form_records_it(client, people, named):
    client.force_login(people["front"])
    r = client.post(f"{BASE}baru/", complaint_data(staff_named=named.pk))
    assert r.status_code == 302, r.content.decode()[:500]
    c = Complaint.objects.get()
    assert c.staff_named_id == named.pk
    assert list(c.steps.values_list("action", flat=True)) == ["intake", "name_staff"]


def test_the_staff_api_records_it_and_shows_it_to_the_camat_only(client, people, named, token):
    r = client.post(STAFF_API, complaint_data(staff_named=named.pk), content_type="application/json", **token("front"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["staff_named"] is None and [s["action"] for s in body["steps"]] == ["intake"]  # the clerk: not again
    assert NAME not in r.content.decode()
    c = Complaint.objects.get(code=body["code"])
    assert c.staff_named_id == named.pk
    body = client.get(f"{STAFF_API}{c.code}/", **token("camat")).json()
    assert body["staff_named"] == {"id": named.pk, "name": NAME, "position": POSITION}
    assert [s["action"] for s in body["steps"]] == ["intake", "name_staff"]


BAD = ["foreign", "retired", "not a number", "999999", str(2**40), "-3"]


@pytest.mark.parametrize("bad", BAD)
def test_a_value_that_is_no_active_staff_of_the_office_is_refused_and_nothing_is_saved(
        bad, office, people, foreign, retired, client, token):
    value = {"foreign": foreign.pk, "retired": retired.pk}.get(bad, bad)
    before = _counts()
    with pytest.raises(InvalidInput) as info:
        services.complaint_record(office=office, actor=people["front"], data=complaint_data(staff_named=value))
    assert info.value.errors == {"staff_named": [FOREIGN_MESSAGE]}
    # the staff form: 400, the message by the field, nothing saved
    client.force_login(people["front"])
    r = client.post(f"{BASE}baru/", complaint_data(staff_named=value))
    assert r.status_code == 400 and FOREIGN_MESSAGE in r.content.decode()
    assert "Tidak ada yang disimpan." in r.content.decode()
    assert _counts() == before
    # the staff API: 400 with the field's error (a number that pydantic takes)
    if isinstance(value, int) or str(value).lstrip("-").isdigit() and abs(int(value)) < 2**63:
        r = client.post(STAFF_API, complaint_data(staff_named=int(value)), content_type="application/json",
                        **token("front"))
        assert r.status_code == 400 and r.json()["errors"]["staff_named"] == [FOREIGN_MESSAGE], r.content
    assert _counts() == before


def test_only_a_complaint_proper_names_a_staff_member(office, people, named, make_complaint):
    before = _counts()
    with pytest.raises(InvalidInput) as info:
        services.complaint_record(office=office, actor=people["front"], data=complaint_data(kind="saran",
                                                                                        staff_named=named.pk))
    assert info.value.errors == {"staff_named": ["Pegawai yang diadukan hanya dicatat untuk jenis pengaduan."]}
    assert _counts() == before
    # nor later: a suggestion is not offered the act, and the act refuses it
    c = make_complaint(kind="saran")
    assert "name_staff" not in policy.acts_allowed(c, people["camat"])
    with pytest.raises(WrongState, match="hanya dicatat pada pengaduan"):
        services.complaint_name_staff(code=c.code, actor=people["camat"], staff_named=named.pk)


def test_the_public_cannot_name_a_staff_member(client, office, named):
    cache.clear()
    r = client.post(form_url(office), form_data(staff_named=named.pk))
    assert r.status_code == 302, r.content.decode()[:500]
    r = client.post("/api/v1/complaints/", {**{k: v for k, v in complaint_data().items() if k != "channel"},
                                            "staff_named": named.pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert Complaint.objects.count() == 2
    assert not Complaint.objects.filter(staff_named__isnull=False).exists()
    assert not Step.objects.filter(action="name_staff").exists()


# --- the act: the Camat and the Sekcam, in any state ---------------------------------------------

@pytest.mark.parametrize("who", READERS)
def test_the_act_records_changes_and_clears_it_with_one_step_each(who, make_complaint, people, named):
    c = make_complaint(S.ESCALATED)  # held by the Kasi: the act does not ask who holds it
    actor = people[who]

    def last_step():
        return c.steps.order_by("-pk").first()

    services.complaint_name_staff(code=c.code, actor=actor, staff_named=named.pk)
    c.refresh_from_db()
    assert c.staff_named_id == named.pk and c.state == S.ESCALATED
    step = last_step()
    assert (step.action, step.from_state, step.to_state, step.actor_id) == ("name_staff", S.ESCALATED, S.ESCALATED,
                                                                            actor.pk)
    assert step.note == f"Pegawai yang diadukan dicatat: {NAME} — {POSITION}."

    services.complaint_name_staff(code=c.code, actor=actor, staff_named=str(people["kasi"].pk))  # a form's text
    c.refresh_from_db()
    assert c.staff_named_id == people["kasi"].pk
    assert last_step().note == f"Pegawai yang diadukan dicatat: Kasi.Pem — Kasi / Kasubbag (sebelumnya: {NAME} — {POSITION})."

    services.complaint_name_staff(code=c.code, actor=actor, staff_named="")
    c.refresh_from_db()
    assert c.staff_named_id is None and c.state == S.ESCALATED
    assert last_step().note == "Pegawai yang diadukan dihapus (sebelumnya: Kasi.Pem — Kasi / Kasubbag)."
    assert list(c.steps.values_list("action", flat=True)) == ["intake", "escalate", "name_staff", "name_staff",
                                                              "name_staff"]

    # nothing to change: refused, nothing written
    steps = Step.objects.count()
    with pytest.raises(InvalidInput, match="tidak ada yang dihapus"):
        services.complaint_name_staff(code=c.code, actor=actor, staff_named=None)
    services.complaint_name_staff(code=c.code, actor=actor, staff_named=named.pk)
    with pytest.raises(InvalidInput, match="sudah tercatat"):
        services.complaint_name_staff(code=c.code, actor=actor, staff_named=named.pk)
    assert Step.objects.count() == steps + 1


def test_the_act_refuses_a_staff_member_of_another_office(make_complaint, people, foreign, retired):
    c = make_complaint()
    steps = Step.objects.count()
    for value in (foreign.pk, retired.pk, "x"):
        with pytest.raises(InvalidInput) as info:
            services.complaint_name_staff(code=c.code, actor=people["camat"], staff_named=value)
        assert info.value.errors == {"staff_named": [FOREIGN_MESSAGE]}
    c.refresh_from_db()
    assert c.staff_named_id is None and Step.objects.count() == steps


@pytest.mark.parametrize("who", READERS)
def test_the_act_through_the_page_and_the_api(who, client, people, make_complaint, named, token):
    c = make_complaint(S.ANSWERED)
    client.force_login(people[who])
    page = client.get(f"{BASE}{c.code}/").content.decode()
    assert f'action="{BASE}{c.code}/name_staff/"' in page and "Catat pegawai yang diadukan" in page
    assert f'<option value="{named.pk}">{NAME} — {POSITION}</option>' in page
    r = client.post(f"{BASE}{c.code}/name_staff/", {"staff_named": named.pk})
    assert r.status_code == 302 and r["Location"] == f"{BASE}{c.code}/" and not _errors(r)
    c.refresh_from_db()
    assert c.staff_named_id == named.pk and c.state == S.ANSWERED
    page = client.get(f"{BASE}{c.code}/").content.decode()
    assert f"Pegawai yang diadukan</dt><dd>{NAME} — {POSITION}</dd>" in page
    assert f'<option value="{named.pk}" selected>' in page

    c = make_complaint(S.CLOSED)
    r = client.post(f"{STAFF_API}{c.code}/name_staff/", {"staff_named": named.pk}, content_type="application/json",
                    **token(who))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == S.CLOSED and body["staff_named"] == {"id": named.pk, "name": NAME, "position": POSITION}
    assert body["steps"][-1]["action"] == "name_staff" and NAME in body["steps"][-1]["note"]
    assert "name_staff" in body["allowed_acts"]
    r = client.post(f"{STAFF_API}{c.code}/name_staff/", {"staff_named": None}, content_type="application/json",
                    **token(who))
    assert r.status_code == 200 and r.json()["staff_named"] is None
    r = client.post(f"{STAFF_API}{c.code}/name_staff/", {"staff_named": None}, content_type="application/json",
                    **token(who))
    assert r.status_code == 400 and "staff_named" in r.json()["errors"]


@pytest.mark.parametrize("who", ["front", "kasi", "kasi_other", "bendahara", "ppat", "admin"])
def test_other_roles_are_refused_on_the_page_and_the_api(who, client, people, make_complaint, named, token):
    c = make_complaint(S.ESCALATED, unit="pemerintahan")  # the Kasi holds it, and is refused all the same
    before = (Step.objects.count(), Complaint.objects.values().get(pk=c.pk))
    assert "name_staff" not in policy.acts_allowed(c, people[who])
    with pytest.raises(PermissionDenied, match="hanya untuk Camat atau Sekretaris Kecamatan"):
        services.complaint_name_staff(code=c.code, actor=people[who], staff_named=named.pk)
    client.force_login(people[who])
    assert f"{BASE}{c.code}/name_staff/" not in client.get(f"{BASE}{c.code}/").content.decode()
    # the page: the refusal as a message, back on the complaint (as every act of the screens)
    r = client.post(f"{BASE}{c.code}/name_staff/", {"staff_named": named.pk})
    assert r.status_code == 302 and r["Location"] == f"{BASE}{c.code}/"
    assert _errors(r) == ["Tindakan 'Catat pegawai yang diadukan' hanya untuk Camat atau Sekretaris Kecamatan."]
    r = client.post(f"{STAFF_API}{c.code}/name_staff/", {"staff_named": named.pk}, content_type="application/json",
                    **token(who))
    assert r.status_code == 403 and "hanya untuk Camat atau Sekretaris Kecamatan" in r.json()["detail"]
    assert (Step.objects.count(), Complaint.objects.values().get(pk=c.pk)) == before


def test_another_offices_camat_is_refused(make_complaint, named, other_office):
    camat = staff_create(office=other_office, username="camat.lain", role=Role.CAMAT, password="x-Pass-12345").user
    c = make_complaint()
    with pytest.raises(PermissionDenied, match="kantor lain"):
        services.complaint_name_staff(code=c.code, actor=camat, staff_named=named.pk)
    assert policy.acts_allowed(c, camat) == []


# --- who sees it ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", READERS + OTHERS)
def test_only_the_camat_and_the_sekcam_see_whom_it_names(who, client, people, make_complaint, named):
    c = make_complaint(staff_named=named.pk)
    services.complaint_name_staff(code=c.code, actor=people["camat"], staff_named=people["kasi_other"].pk)
    services.complaint_name_staff(code=c.code, actor=people["sekcam"], staff_named=named.pk)
    sees = who in READERS
    assert policy.may_see_staff_named(people[who]) is sees
    client.force_login(people[who])
    page = client.get(f"{BASE}{c.code}/").content.decode()
    assert (f"Pegawai yang diadukan</dt><dd>{NAME} — {POSITION}</dd>" in page) is sees
    assert (NAME in page) is sees and ("diadukan" in page) is sees  # nor the history's steps, nor the form
    body = client.get(f"{STAFF_API}{c.code}/").json()
    assert (body["staff_named"] is not None) is sees
    assert [s["action"] for s in body["steps"]] == (
        ["intake", "name_staff", "name_staff", "name_staff"] if sees else ["intake"])
    assert (NAME in str(body)) is sees and ("diadukan" in str(body)) is sees


def test_the_public_tracking_page_and_api_show_nothing_of_it(client, people, make_complaint, named):
    cache.clear()  # the look-ups are rate-limited per address
    plain = make_complaint()
    c = make_complaint(staff_named=named.pk)
    services.complaint_name_staff(code=c.code, actor=people["camat"], staff_named=people["kasi"].pk)
    page = client.get(f"/pengaduan/lacak/{c.code}/").content.decode()
    for hidden in (NAME, "Kasi.Pem", "diadukan", "name_staff", POSITION):
        assert hidden not in page, hidden
    body = client.get(f"/api/v1/complaints/{c.code}/").json()
    assert "staff_named" not in body and NAME not in str(body) and "diadukan" not in str(body)
    def steps(timeline):
        return [{k: v for k, v in s.items() if k != "at"} for s in timeline]

    # the same timeline as a complaint that names nobody: the intake only
    assert steps(body["timeline"]) == steps(client.get(f"/api/v1/complaints/{plain.code}/").json()["timeline"])
    assert [s["label"] for s in body["timeline"]] == ["Diterima dan dicatat di Buku Pengaduan"]
    assert selectors.tracking_public(code=c.code)["timeline"][0]["label"] == "Diterima dan dicatat di Buku Pengaduan"


def test_it_is_never_logged(caplog, client, office, people, named, make_complaint, token):
    caplog.set_level(logging.DEBUG)
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(staff_named=named.pk))
    services.complaint_name_staff(code=c.code, actor=people["camat"], staff_named=people["kasi"].pk)
    client.force_login(people["camat"])
    client.post(f"{BASE}{c.code}/name_staff/", {"staff_named": named.pk})
    client.get(f"{BASE}{c.code}/")
    client.post(f"{STAFF_API}{c.code}/name_staff/", {"staff_named": 999999}, content_type="application/json",
                **token("camat"))  # a refusal is not logged with the value either
    assert caplog.records  # the capture works (the intake's own line)
    for record in caplog.records:
        text = " ".join(str(x) for x in (record.getMessage(), record.msg, record.args, record.exc_text))
        assert NAME not in text and "slamet" not in text.lower() and "Kasi.Pem" not in text, text


# --- naming_counts ---------------------------------------------------------------------------------

def _at(office, actor, when: dt.datetime, **data) -> Complaint:
    c = services.complaint_record(office=office, actor=actor, data=complaint_data(**data))
    Complaint.objects.filter(pk=c.pk).update(received_at=when)
    return c


def test_naming_counts_hand_counted(office, people, named, other_office, foreign, django_assert_num_queries):
    front, kasi = people["front"], people["kasi"]
    # March 2026, local dates: 1 March 00:00 WIB is still 28 February in UTC
    _at(office, front, dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=WIB), staff_named=named.pk)   # before: out
    _at(office, front, dt.datetime(2026, 3, 1, 0, 0, tzinfo=WIB), staff_named=named.pk)          # first instant: in
    _at(office, front, dt.datetime(2026, 3, 15, 12, 0, tzinfo=WIB), staff_named=named.pk)        # in
    _at(office, front, dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=WIB), staff_named=kasi.pk)    # last instant: in
    _at(office, front, dt.datetime(2026, 4, 1, 0, 0, tzinfo=WIB), staff_named=kasi.pk)           # after: out
    _at(office, front, dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB))                               # names nobody
    # another kind naming someone (only through the database: intake refuses it): out
    c = _at(office, front, dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB), staff_named=named.pk)
    Complaint.objects.filter(pk=c.pk).update(kind=Complaint.Kind.SUGGESTION)
    # another office's complaint, even naming this office's clerk: out
    c = _at(other_office, foreign, dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB), staff_named=foreign.pk)
    Complaint.objects.filter(pk=c.pk).update(staff_named=named)
    with django_assert_num_queries(1):
        counts = selectors.naming_counts(office=office, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert counts == {named.pk: 2, kasi.pk: 1}
    assert selectors.naming_counts(office=office, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1)) == {named.pk: 1}
    assert selectors.naming_counts(office=office, start=dt.date(2026, 2, 1), end=dt.date(2026, 4, 30)) == {
        named.pk: 3, kasi.pk: 2}
    assert selectors.naming_counts(office=other_office, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)) == {
        named.pk: 1}
    assert selectors.naming_counts(office=office, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)) == {}
