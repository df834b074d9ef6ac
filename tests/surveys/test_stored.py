"""Stored responses: the import of paper forms into the database (all rows or none), and the
IKM of stored answers aggregated in the database, equal to the IKM of the same answers in Python."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from loket.surveys import ikm, selectors, services
from loket.surveys.importer import ImportRefused, parse, read_cells
from loket.surveys.models import Response

KEYS = ikm.KEYS
HEADER = ",".join(KEYS) + ",tanggal,layanan,jenis_kelamin,umur"


def _rows(text):
    return parse(read_cells("x.csv", text.encode()))


def test_import_then_ikm_from_the_database_equals_the_python_ikm(office, people):
    rng = random.Random(7)
    lines, answers = [], []
    for i in range(60):
        a = [rng.choice([None, 1, 2, 3, 4, 4, 3]) for _ in KEYS]
        a[0] = a[0] or 3  # never a row with nothing
        answers.append(dict(zip(KEYS, a)))
        lines.append(",".join("" if v is None else str(v) for v in a) + f",2026-0{1 + i % 6}-15,pindah,{'LP'[i % 2]},{20 + i}")
    n = services.responses_import(office=office, actor=people["front"], rows=_rows(HEADER + "\n" + "\n".join(lines) + "\n"))
    assert n == 60 == Response.objects.count()
    for weight in ikm.WEIGHTS:
        stored = selectors.ikm_stored(office=office, weight=weight)
        assert stored.as_json() == ikm.ikm(answers, weight=weight).as_json()
    # a period and a service narrow it
    first_quarter = selectors.ikm_stored(office=office, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert first_quarter.respondents == 30
    assert selectors.ikm_stored(office=office, service_code="pindah").respondents == 60
    r = Response.objects.filter(sex="P").first()
    assert r.service.code == "pindah" and r.unit_id == r.service.unit_id and r.source == Response.Source.PAPER


def test_an_unknown_service_refuses_the_whole_file(office, people):
    text = HEADER + "\n" + ",".join(["3"] * 9) + ",2026-01-05,pindah,L,30\n" + ",".join(["3"] * 9) + ",2026-01-05,tidak-ada,P,31\n"
    with pytest.raises(ImportRefused) as exc:
        services.responses_import(office=office, actor=people["front"], rows=_rows(text))
    assert exc.value.problems == ["Baris 3: layanan 'tidak-ada' tidak dikenal di kantor ini."]
    assert not Response.objects.exists()


@pytest.mark.parametrize("who", ["kasi", "bendahara", "ppat"])
def test_roles_that_may_not_import(office, people, who):
    with pytest.raises(PermissionDenied):
        services.responses_import(office=office, actor=people[who], rows=_rows(HEADER + "\n" + ",".join(["3"] * 9) + ",,,,\n"))
    assert not Response.objects.exists()


def test_the_database_refuses_an_answer_outside_1_to_4_and_a_row_without_answers(office):
    base = dict(office=office, date=dt.date(2026, 1, 1), source=Response.Source.KIOSK)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(**base, persyaratan=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(**base)
    Response.objects.create(**base, sarana=4)
    assert Response.objects.count() == 1


def test_no_responses_no_ikm(office):
    with pytest.raises(ikm.IkmError):
        selectors.ikm_stored(office=office)


# --- GET /api/v1/skm/ikm/ -------------------------------------------------------------------

def _import(office, people, lines):
    services.responses_import(office=office, actor=people["front"], rows=_rows(HEADER + "\n" + "\n".join(lines) + "\n"))


def test_api_returns_the_cli_shape_for_stored_responses(client, office, people):
    _import(office, people, [",".join(["4", "4", "3", "4", "3", "3", "4", "2", "3"]) + ",2026-02-01,pindah,L,30",
                             ",".join(["3", "3", "3", "4", "3", "4", "4", "", "3"]) + ",2026-03-01,,P,40"])
    client.force_login(people["bendahara"])  # every staff role may read the index
    r = client.get("/api/v1/skm/ikm/", {"weight": "0.11"})
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["ikm"] == 3.245 and out["ikm_unit"] == 81.13 and out["grade"] == "B" and out["respondents"] == 2
    assert [e["key"] for e in out["elements"]] == KEYS
    # the period and the service narrow it; a period without an answer to every element is 404
    assert client.get("/api/v1/skm/ikm/", {"from": "2026-02-01", "to": "2026-02-28"}).json()["respondents"] == 1
    assert client.get("/api/v1/skm/ikm/", {"service": "pindah"}).json()["respondents"] == 1
    r = client.get("/api/v1/skm/ikm/", {"from": "2026-03-01"})
    assert r.status_code == 404 and "Penanganan pengaduan" in r.json()["detail"]
    r = client.get("/api/v1/skm/ikm/", {"from": "2026-03-01", "to": "2026-01-01"})
    assert r.status_code == 400 and "from" in r.json()["errors"]
    assert client.get("/api/v1/skm/ikm/", {"weight": "0.2"}).status_code == 400


def test_api_needs_a_staff_account(client):
    assert client.get("/api/v1/skm/ikm/").status_code == 401
