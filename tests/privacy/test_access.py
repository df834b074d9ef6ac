"""The record of who read what (issue 19 item 5; UU 27/2022 Pasal 31): every staff view of a full
NIK, KK number, telephone or address, and every export that contains them, writes an access
row; the public never does; the officer and the Camat search it, nobody else; the rows are
append-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from loket.core import codes
from loket.core.history import AppendOnlyError
from loket.privacy.models import Access, Officer
from loket.privacy.selectors import AccessFilters, access_filters, access_search
from tests.factories import applicant_data
from tests.support.dossier_rules import S, dossier_in
from tests.support.api import token  # noqa: F401  (fixture)
from tests.support.world import other  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

NIK = "3577014508900001"


def _rows(**lookup):
    return list(Access.objects.filter(**lookup).order_by("pk"))


def test_the_dossier_page_records_who_read_what(client, office, people, all_items):
    d = dossier_in(S.RECEIVED, office=office, people=people, items=all_items, applicant=applicant_data(nik=NIK))
    before = Access.objects.count()
    client.force_login(people["front"])
    assert client.get(reverse("dossiers:detail", args=[d.code])).status_code == 200
    [row] = _rows(pk__gt=0)[before:]
    assert (row.actor, row.kind, row.record, row.subject_nik, row.purpose) == (
        people["front"], "berkas", d.code, NIK, "Halaman berkas")
    assert row.fields.startswith("NIK") and "alamat" in row.fields
    # the Bendahara sees the NIK masked: only the address was read
    client.force_login(people["bendahara"])
    client.get(reverse("dossiers:detail", args=[d.code]))
    assert Access.objects.latest("pk").fields == "alamat"
    # the public tracking page shows nothing personal and records nothing
    client.logout()
    count = Access.objects.count()
    client.get(reverse("track_detail", args=[d.code]))
    assert Access.objects.count() == count


def test_the_register_records_each_line_on_screen_and_one_row_per_export(client, office, people, all_items):
    first = dossier_in(S.REGISTERED, office=office, people=people, items=all_items, applicant=applicant_data(nik=NIK))
    dossier_in(S.REGISTERED, office=office, people=people, items=all_items,
               applicant=applicant_data(nik="3577014508900002"))
    client.force_login(people["front"])
    count = Access.objects.count()
    assert client.get(reverse("registers:book")).status_code == 200
    lines = _rows(kind="register", purpose="Buku register pelayanan (layar)")
    assert len(lines) == Access.objects.count() - count == 2
    assert {r.subject_nik for r in lines} == {NIK, "3577014508900002"}
    assert first.register_entry.number_display in {r.record for r in lines}
    year = dt.date.today().year
    assert client.get(reverse("registers:export_xlsx") + f"?tahun={year}").status_code == 200
    export = Access.objects.latest("pk")
    assert (export.purpose, export.subject_nik, export.period_start, export.period_end) == (
        "Ekspor buku register pelayanan (XLSX)", "", dt.date(year, 1, 1), dt.date(year, 12, 31))
    # a role that sees the NIK masked reads no NIK: nothing recorded
    client.force_login(people["bendahara"])
    count = Access.objects.count()
    client.get(reverse("registers:book"))
    client.get(reverse("registers:export_pdf"))
    assert Access.objects.count() == count


def test_the_complaint_contact_and_its_book_are_recorded(client, office, people):
    from loket.complaints.services import complaint_record
    from tests.support.complaints import form_data

    c = complaint_record(office=office, actor=people["front"], data=form_data(channel="tatap_muka"))
    client.force_login(people["front"])
    assert client.get(reverse("complaints:detail", args=[c.code])).status_code == 200
    row = Access.objects.latest("pk")
    assert (row.kind, row.record, row.fields, row.purpose) == ("pengaduan", c.code, "telepon", "Halaman pengaduan")
    year = dt.date.today().year
    assert client.get(reverse("complaints:book_xlsx", args=[year])).status_code == 200
    row = Access.objects.latest("pk")
    assert (row.purpose, row.period_start, row.period_end) == (
        "Ekspor buku pengaduan (XLSX)", dt.date(year, 1, 1), dt.date(year, 12, 31))


def test_the_deed_parties_and_the_renter_are_recorded(client, office, people):
    from tests.support.deeds import deed_case, mini_deeds

    mini_deeds(office)
    case = deed_case(office, {"front": people["front"], "ppat": people["ppat"], "validator": people["kasi"],
                              "camat": people["camat"]}, "preparing")
    client.force_login(people["ppat"])
    count = Access.objects.count()
    assert client.get(reverse("deeds:detail", args=[case.code])).status_code == 200
    rows = _rows(kind="akta")[-(Access.objects.count() - count):]
    assert {r.subject_nik for r in rows} == {p.nik for p in case.parties.all()} and len(rows) == case.parties.count()
    assert all(r.record == case.code and r.fields == "NIK, alamat" for r in rows)

    from loket.rentals import services as rental_services
    from loket.rentals.models import HallTreasury, Venue
    from tests.rentals.conftest import order

    Venue.objects.get_or_create(office=office, code="aula", defaults={"name": "Aula", "capacity": 400})
    HallTreasury.objects.get_or_create(office=office)
    b = rental_services.booking_create(office=office, actor=people["bendahara"],
                                       data=order(venue="aula", session="siang", parking=False, renter_type="swasta"))
    client.force_login(people["bendahara"])
    assert client.get(reverse("rentals:detail", args=[b.code])).status_code == 200
    row = Access.objects.latest("pk")
    assert (row.kind, row.record, row.fields, row.actor) == ("sewa", b.code, "telepon", people["bendahara"])


def test_the_search_is_the_officers_and_the_camats(client, office, people, all_items, other):
    office2, people2, _ = other
    d = dossier_in(S.RECEIVED, office=office, people=people, items=all_items, applicant=applicant_data(nik=NIK))
    client.force_login(people["front"])
    client.get(reverse("dossiers:detail", args=[d.code]))
    Access.objects.create(office=office2, actor=people2["front"], at=d.received_at, kind="berkas", record="X",
                          subject_nik=NIK, fields="NIK", purpose="Halaman berkas")
    url = reverse("privacy:access")
    for who in ("front", "kasi", "sekcam", "admin"):
        client.force_login(people[who])
        assert client.get(url).status_code == 403, who
    Officer.objects.create(office=office, user=people["kasi_other"], name="Kasubbag Umum", position="Kasubbag Umum",
                           email="ppdp@example.go.id")
    for who in ("kasi_other", "camat"):
        client.force_login(people[who])
        page = client.get(url, {"nik": NIK}).content.decode()
        rows = page[page.index('id="access-rows"'):]
        assert codes.display(d.code) in rows and ">X<" not in rows  # the other office's row is not theirs
        assert f'href="{reverse("dossiers:detail", args=[d.code])}"' in rows  # the case, one click away
        assert NIK not in rows and NIK[:6] + "*" * 10 in rows  # each row shows the NIK masked
    page = client.get(url, {"nik": "12", "dari": "kemarin"}).content.decode()
    assert "NIK harus 16 angka" in page and "Tanggal &#x27;dari&#x27;" in page  # problems said, search still runs


def test_filters_and_their_problems():
    f, problems = access_filters({"nik": "3577 0145 0890 0001", "jenis": "akta", "petugas": "7", "dari": "2026-12-01"})
    assert (f.nik, f.kind, f.actor_id, f.date_from, problems) == (NIK, "akta", 7, dt.date(2026, 12, 1), [])
    f, problems = access_filters({"nik": "x", "jenis": "rahasia", "petugas": "budi", "sampai": "31-12-2026"})
    assert f == AccessFilters() and len(problems) == 4
    # a case's code as printed on the page, or as typed; a register line as it is
    assert access_filters({"catatan": "wr3x-4va4"})[0].record == "WR3X4VA4"
    assert access_filters({"catatan": "PL/12"})[0].record == "PL/12"


def test_the_search_narrows_by_person_kind_record_and_day(office, people):
    now = dt.datetime(2026, 12, 3, 10, tzinfo=dt.timezone.utc)
    for i, (kind, nik, who) in enumerate((("berkas", NIK, "front"), ("akta", NIK, "ppat"),
                                          ("berkas", "3577014508900002", "front"))):
        Access.objects.create(office=office, actor=people[who], at=now - dt.timedelta(days=i), kind=kind,
                              record=f"R{i}", subject_nik=nik, fields="NIK", purpose="Halaman")
    search = lambda **kw: [a.record for a in access_search(office=office, f=AccessFilters(**kw))]
    assert search(nik=NIK) == ["R0", "R1"]
    assert search(kind="akta") == ["R1"]
    assert search(actor_id=people["front"].pk) == ["R0", "R2"]
    assert search(record="R2") == ["R2"]
    assert search(date_from=dt.date(2026, 12, 2), date_to=dt.date(2026, 12, 2)) == ["R1"]


def test_the_api_answers_the_same_search(client, office, people, token):
    Access.objects.create(office=office, actor=people["front"], at=dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc),
                          kind="berkas", record="R0", subject_nik=NIK, fields="NIK, alamat", purpose="Halaman berkas")
    url = "/api/v1/privacy/access/"
    assert client.get(url, **token("front")).status_code == 403
    auth = token("camat")
    [row] = client.get(url, {"nik": NIK}, **auth).json()
    assert (row["record"], row["subject_nik"], row["fields"]) == ("R0", NIK[:6] + "*" * 10, "NIK, alamat")
    bad = client.get(url, {"nik": "12"}, **auth)
    assert bad.status_code == 400 and "NIK harus 16 angka" in str(bad.json())


def test_access_rows_are_never_changed_or_deleted(office, people):
    row = Access.objects.create(office=office, actor=people["front"], at=dt.datetime.now(dt.timezone.utc),
                                kind="berkas", record="R", subject_nik=NIK, fields="NIK", purpose="Halaman berkas")
    row.purpose = "lain"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        Access.objects.filter(pk=row.pk).delete()
