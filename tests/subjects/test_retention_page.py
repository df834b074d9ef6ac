"""The retention schedule from the staff site and the API (UU 27/2022 Pasal 42-44): the data
protection officer and the Camat see the dry run (nothing changed), carry it out, and see the
run; everyone else is refused and nothing happens. What each kind removes, and that registers
and reports survive, is tests/subjects/test_retention.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from loket.privacy.models import Access, Officer, RetentionRun
from tests.support.api import token  # noqa: F401  (a fixture)

NIK = "3577014508900001"
URL = "/staf/privasi/retensi/"
API = "/api/v1/privacy/retention/"


@pytest.fixture
def due(office, people):
    """The officer appointed; two access records three years old (past catatan-akses' 24 months)
    and one of today."""
    Officer.objects.create(office=office, user=people["kasi_other"], name="Pejabat PDP", position="Kasubbag Umum",
                           email="ppdp@example.go.id")
    old = timezone.now() - dt.timedelta(days=3 * 365)
    for i, at in enumerate([old, old, timezone.now()]):
        Access.objects.create(office=office, actor=people["front"], at=at, kind="berkas", record=f"R{i}",
                              subject_nik=NIK, fields="NIK", purpose="Halaman berkas")
    return office


def test_the_officer_sees_the_dry_run_then_applies_it(client, people, due):
    client.force_login(people["kasi_other"])
    page = client.get(URL).content.decode()
    row = page[page.index('id="plan-catatan-akses"'):]
    assert "<td>2</td>" in row[:row.index("</tr>")]  # two rows would be deleted
    assert Access.objects.count() == 3 and not RetentionRun.objects.exists()  # a dry run changes nothing
    assert "Buku register (semua buku)" in page  # what Loket keeps is named
    resp = client.post(URL, {})
    assert resp.status_code == 302 and resp["Location"] == URL
    assert list(Access.objects.values_list("record", flat=True)) == ["R2"]
    run = RetentionRun.objects.get()
    assert run.counts["catatan-akses"]["deleted"] == 2 and people["kasi_other"].username in run.by
    page = client.get(URL).content.decode()
    assert "Retensi dilaksanakan" in page and 'id="retention-runs"' in page


def test_others_are_refused_and_nothing_happens(client, people, due):
    for who in ("front", "sekcam", "kasi", "admin"):
        client.force_login(people[who])
        assert client.get(URL).status_code == 403, who
        assert client.post(URL, {}).status_code == 403, who
    assert Access.objects.count() == 3 and not RetentionRun.objects.exists()


def test_the_api_gives_the_dry_run_and_applies(client, people, due, token):
    plan = client.get(API, **token("camat"))
    assert plan.status_code == 200 and plan.json()["applied"] is False
    line = next(x for x in plan.json()["lines"] if x["kind"] == "catatan-akses")
    assert (line["delete"], line["months"]) == (2, 24)
    assert Access.objects.count() == 3
    assert client.post(API, {}, content_type="application/json", **token("front")).status_code == 403
    done = client.post(API, {}, content_type="application/json", **token("camat"))
    assert done.status_code == 200 and done.json()["applied"] is True and done.json()["run_id"]
    assert Access.objects.count() == 1
    again = client.get(API, **token("camat")).json()
    assert sum(x["delete"] + x["anonymise"] for x in again["lines"]) == 0  # nothing more is due
