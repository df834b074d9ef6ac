"""Internal oversight (komponen 9): the list of what needs a look, built from the flows, on the
hand-counted November of tests/leadership/fixtures.py (seen on 30 November 16.00) plus a few
more rows; follow-up notes are append-only, the newest is the status, a closed item leaves the
list; only the Camat and the Sekcam; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from loket.core.errors import InvalidInput
from loket.core.history import AppendOnlyError
from loket.dossiers.models import Correction
from loket.leadership.models import FollowUp
from loket.leadership.oversight import items
from loket.leadership.services import follow_up_record
from tests.leadership.fixtures import S, at, dossier, november

pytestmark = pytest.mark.django_db

NOW = at(11, 30, 16, 0)


@pytest.fixture
def month(office, people):
    made = november(office, people)
    # The same citizen returned again on 25 November: twice in 30 days with D's return.
    made["R"] = dossier(office, people, "RRRRRRRR", kelurahan=None, state=S.RETURNED, steps=[
        ("received", at(11, 25, 9, 0), None, "front"), ("returned", at(11, 25, 9, 2), ["Kartu Keluarga"], "front")])
    Correction.objects.create(dossier=made["A"], field="name", old_value="Siti Aminh", new_value="Siti Aminah",
                              reason="Ejaan menurut KK.", state="received", actor=people["front"], at=at(11, 2, 8, 1))
    from loket.complaints.services import complaint_record
    from loket.catalog.models import ServiceType
    from tests.complaints.conftest import complaint_data

    service = ServiceType.objects.get(edition__office=office, code="pindah", edition__status="active")
    made["K"] = complaint_record(office=office, actor=people["front"], data=complaint_data(service=service.code))
    return made


def _keys(rows):
    return {r.key.rsplit(":", 1)[0] if r.kind == "cancelled" else r.key for r in rows}


def test_what_needs_a_look(office, month):
    rows = items(office=office, now=NOW)
    keys = _keys(rows)
    assert "late:EEEEEEEE" in keys and "late:RRRRRRRR" not in keys  # R is with the citizen
    assert "returns:RRRRRRRR" in keys  # D (16 Nov) and R (25 Nov): one citizen, twice
    assert "correction:AAAAAAAA" in keys
    assert {"cancelled:FFFFFFFF", "cancelled:EEEEEEEE"} <= keys  # the intake cancelled, the return undone
    assert f"complaint:{month['K'].code}" in keys
    assert all(r.status_label == "Belum ditinjau" for r in rows)


def test_a_complaint_about_a_person_needs_a_look(office, people, month):
    from django.utils import timezone

    from loket.complaints.services import complaint_record
    from tests.complaints.conftest import complaint_data

    plain = complaint_record(office=office, actor=people["front"], data=complaint_data())
    named = complaint_record(office=office, actor=people["kasi"],
                             data=complaint_data(staff_named=str(people["front"].pk)))
    rows = {r.key: r for r in items(office=office, now=timezone.now())}
    assert f"complaint:{plain.code}" not in rows  # about nothing in particular
    assert "Pegawai yang diadukan: Petugas." in rows[f"complaint:{named.code}"].detail


def test_a_follow_up_is_the_items_status_and_done_items_leave_the_list(office, people, month):
    key = "late:EEEEEEEE"
    follow_up_record(office=office, actor=people["sekcam"], key=key, status="ditindaklanjuti",
                     note="Kasi Pemerintahan sedang cuti; paraf diambil alih Sekcam.")
    row = next(r for r in items(office=office, now=NOW) if r.key == key)
    assert row.status_label == "Sedang ditindaklanjuti" and len(row.follow_ups) == 1
    follow_up_record(office=office, actor=people["camat"], key=key, status="selesai", note="Sudah diparaf.")
    assert key not in _keys(items(office=office, now=NOW))
    every = next(r for r in items(office=office, now=NOW, closed=True) if r.key == key)
    assert [f.status for f in every.follow_ups] == ["selesai", "ditindaklanjuti"]  # newest first, both kept
    first = every.follow_ups[1]
    first.note = "diubah"
    with pytest.raises(AppendOnlyError):
        first.save()


@pytest.mark.parametrize("data,field", [
    ({"key": "late:EEEEEEEE", "status": "selesai", "note": "  "}, "note"),
    ({"key": "late:EEEEEEEE", "status": "beres", "note": "x"}, "status"),
    ({"key": "lain:EEEEEEEE", "status": "selesai", "note": "x"}, "key"),
    ({"key": "late:EEEEEEEE", "status": "selesai", "note": "x" * 2001}, "note"),
])
def test_bad_input_is_refused_and_nothing_is_saved(office, people, data, field):
    with pytest.raises(InvalidInput) as exc:
        follow_up_record(office=office, actor=people["camat"], **data)
    assert field in exc.value.errors
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("who", ["front", "kasi", "admin"])
def test_only_the_camat_and_sekcam(office, people, who, client):
    with pytest.raises(PermissionDenied):
        follow_up_record(office=office, actor=people[who], key="late:EEEEEEEE", status="selesai", note="x")
    client.force_login(people[who])
    assert client.get(reverse("leadership:oversight")).status_code == 403
    assert not FollowUp.objects.exists()


def test_the_page_lists_and_records(client, office, people, month):
    client.force_login(people["sekcam"])
    page = client.get(reverse("leadership:oversight")).content.decode()
    assert 'id="lateEEEEEEEE"' in page and "Belum ditinjau" in page
    resp = client.post(reverse("leadership:oversight_note"),
                       {"key": "late:EEEEEEEE", "status": "ditindaklanjuti", "note": "Ditanyakan ke Kasi."})
    assert resp.status_code == 302 and FollowUp.objects.count() == 1
    resp = client.post(reverse("leadership:oversight_note"), {"key": "late:EEEEEEEE", "status": "selesai", "note": ""},
                       follow=True)
    assert "Catatan tindak lanjut wajib diisi." in resp.content.decode() and FollowUp.objects.count() == 1
