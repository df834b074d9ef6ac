"""The copy of what the office holds about a NIK (UU 27/2022 Pasal 32): the person's dossiers with
their corrections, the deeds where they are a party (without the other parties), who read their
data (by name and position) and the exports of the books that covered their records; nothing of
another NIK. Each download is itself recorded: a step of the request and an access record."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from loket.deeds.models import Case, Party
from loket.dossiers import services as dossier_services
from loket.offices.models import Kelurahan, Staff
from loket.papers.models import Document
from loket.privacy import requests
from loket.privacy.models import Access, RequestStep
from loket.subjects.export import subject_data
from loket.registers.models import RegisterEntry
from tests.factories import applicant_data
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.pdf import text_of

pytestmark = pytest.mark.django_db

NIK = "3577014508900001"        # Siti Aminah, the mini office's applicant
OTHER = "3577011203850002"      # Budi Santoso, born 12 March 1985


@pytest.fixture
def held(people, all_items):
    """Two dossiers of NIK (one corrected), a deed where NIK sells to OTHER, OTHER's own dossier, a
    named clerk who read NIK's dossier and OTHER's, an export of the register by the Kasi covering
    today, one of 2001 that covers nothing of theirs, and an access request for NIK."""
    front, office = people["front"], people["front"].staff.office
    Staff.objects.filter(user=front).update(full_name="Dewi Lestari, S.E.", position="Petugas Registrasi Pelayanan")
    Staff.objects.filter(user=people["kasi"]).update(full_name="Bambang Wijaya", position="Kasi Pemerintahan")

    def intake(**over):
        return dossier_services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(**over),
                                               actor=front, present=all_items, originals=all_items)

    d1, d2 = intake(), intake(phone="")
    dossier_services.dossier_correct(code=d1.code, actor=front, changes={"address": "Jl. Contoh 2"},
                                     reason="Salah ketik saat penerimaan.")
    theirs = intake(nik=OTHER, name="Budi Santoso", birth_date=dt.date(1985, 3, 12), sex="L", address="Jl. Apel 2")
    case = Case.objects.create(
        office=office, code="AKTA2345", service=d1.service, deed_kind="jual_beli", state="received",
        land_title="letter_c", land_reference="Letter C No. 1234", kelurahan=Kelurahan.objects.filter(office=office).first(),
        area_m2=250, nop="357701000100100010", njop=120_000_000, value=150_000_000, fee_rate=Decimal("0.9"),
        fee=1_350_000, received_at=timezone.now(), received_by=front)
    Party.objects.create(case=case, role="penjual", name="Siti Aminah", nik=NIK, address="Jl. Salak III/5", order=1)
    Party.objects.create(case=case, role="pembeli", name="Budi Santoso", nik=OTHER, address="Jl. Apel 2", order=2)
    now, today = timezone.now(), timezone.localdate()
    for code, nik in ((d1.code, NIK), (theirs.code, OTHER)):
        Access.objects.create(office=office, actor=front, at=now, kind="berkas", record=code, subject_nik=nik,
                              fields="NIK, alamat, telepon", purpose="Halaman berkas")
    Access.objects.create(office=office, actor=people["kasi"], at=now, kind="register", fields="NIK, nama",
                          purpose="Ekspor buku register pelayanan (XLSX)", period_start=today.replace(day=1),
                          period_end=today)
    Access.objects.create(office=office, actor=people["sekcam"], at=now, kind="register", fields="NIK, nama",
                          purpose="Ekspor buku register lama", period_start=dt.date(2001, 1, 1),
                          period_end=dt.date(2001, 12, 31))
    r = requests.request_record(office=office, actor=front, kind="akses", nik=NIK, name="Siti Aminah", contact="",
                                identity="ktp", identity_note="", details="Apa yang kantor simpan tentang saya?")
    return {"office": office, "d1": d1, "d2": d2, "theirs": theirs, "case": case, "request": r}


def test_the_export_holds_the_persons_records_and_who_read_them(held):
    data = subject_data(office=held["office"], nik=NIK)
    assert [d["code"] for d in data["dossiers"]] == [held["d1"].code, held["d2"].code]
    first = data["dossiers"][0]
    assert first["applicant"]["address"] == "Jl. Contoh 2"
    assert [(c["field"], c["old_value"], c["new_value"]) for c in first["corrections"]] == [
        ("Alamat", "Jl. Contoh 1", "Jl. Contoh 2")]
    assert first["corrections"][0]["by"] == {"name": "Dewi Lestari, S.E.", "position": "Petugas Registrasi Pelayanan"}
    assert [(x["code"], x["party"]["role"], x["party"]["nik"]) for x in data["deeds"]] == [("AKTA2345", "Penjual", NIK)]
    assert [(x["name"], x["position"], x["record"]) for x in data["reads"]] == [
        ("Dewi Lestari, S.E.", "Petugas Registrasi Pelayanan", held["d1"].code)]
    [export] = data["exports"]  # the register of this month, not that of 2001
    assert (export["name"], export["position"]) == ("Bambang Wijaya", "Kasi Pemerintahan")
    assert set(export["covers"]) == {held["d1"].code, held["d2"].code}
    assert [r["code"] for r in data["requests"]] == [held["request"].code]
    assert {x["record"] for x in data["not_linked"]} >= {"Pengaduan", "Sewa gedung pertemuan"}
    text = json.dumps(data, default=str)
    assert OTHER not in text and "Budi" not in text and held["theirs"].code not in text  # another person's data
    assert "petugas" not in text and "kasi.pem" not in text  # readers by name, never by username


def test_each_download_writes_the_step_and_one_access_record(client, people, held, token):
    r = held["request"]
    client.force_login(people["camat"])
    resp = client.get(reverse("subjects:data_pdf", args=[r.code]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = text_of(resp.content)
    assert "Salinan data pribadi" in text and "Pasal 32" in text and NIK in text
    assert "Dewi Lestari" in text and "Bambang Wijaya" in text and "Jl. Contoh 2" in text
    assert "Budi Santoso" not in text
    [step] = RequestStep.objects.filter(request=r, action="export")
    assert (step.actor, step.from_state, step.to_state) == (people["camat"], "diterima", "diterima")
    row = Access.objects.get(kind="permintaan")
    assert (row.actor, row.subject_nik, row.record, row.purpose) == (people["camat"], NIK, r.code,
                                                                     "Salinan data subjek (PDF)")
    data = json.loads(client.get(reverse("subjects:data_json", args=[r.code])).content)
    assert data["nik"] == NIK and data["request"]["code"] == r.code
    assert any(x["purpose"] == "Salinan data subjek (PDF)" for x in data["reads"])  # the first copy, read back
    api = client.get(f"/api/v1/privacy/requests/{r.code}/data", **token("camat"))
    assert api.status_code == 200 and api.json()["deeds"][0]["code"] == "AKTA2345"
    assert list(Access.objects.filter(kind="permintaan").values_list("purpose", flat=True).order_by("pk")) == [
        "Salinan data subjek (PDF)", "Salinan data subjek (JSON)", "Salinan data subjek (JSON)"]
    assert RequestStep.objects.filter(request=r, action="export").count() == 3


def test_the_pdf_copy_is_a_numbered_letter_given_once(client, people, held):
    """The first PDF download issues the copy as a paper of the office (the next number of the
    Buku Agenda Surat Keluar, a verification code, the Camat as signer); a second download gives
    that same paper, takes no new number, and is still recorded as a reading."""
    r = held["request"]
    agenda = RegisterEntry.objects.filter(book__office=held["office"], book__kind="surat_keluar")
    before = agenda.count()
    client.force_login(people["camat"])
    first = client.get(reverse("subjects:data_pdf", args=[r.code])).content
    copy = Document.objects.get(reference=r.code)
    assert copy.template == "pdp-salinan" and copy.signer_title.upper().startswith("CAMAT")
    assert agenda.count() == before + 1 and copy.number
    text = text_of(first)
    assert copy.number in text and "Kode verifikasi" in text and "Siti Aminah" in text
    second = client.get(reverse("subjects:data_pdf", args=[r.code])).content
    assert second == first and agenda.count() == before + 1 and Document.objects.filter(reference=r.code).count() == 1
    assert Access.objects.filter(kind="permintaan", record=r.code).count() == 2


def test_only_the_officer_and_the_camat_get_the_copy_of_an_access_request(client, people, held, token):
    r = held["request"]
    for role in ("front", "sekcam", "kasi", "admin"):
        client.force_login(people[role])
        assert client.get(reverse("subjects:data_pdf", args=[r.code])).status_code == 403, role
        assert client.get(reverse("subjects:records", args=[r.code])).status_code == 403, role
    assert client.get(f"/api/v1/privacy/requests/{r.code}/data", **token("front")).status_code == 403
    correction = requests.request_record(office=held["office"], actor=people["front"], kind="pembetulan", nik=NIK,
                                         name="Siti Aminah", contact="", identity="ktp", identity_note="",
                                         details="Alamat saya salah.")
    client.force_login(people["camat"])
    resp = client.get(reverse("subjects:data_pdf", args=[correction.code]))
    assert resp.status_code == 302 and resp["Location"] == reverse("privacy:request_detail", args=[correction.code])
    assert client.get(f"/api/v1/privacy/requests/{correction.code}/data", **token("camat")).status_code == 409
    assert not Access.objects.filter(kind="permintaan").exists()
    assert not RequestStep.objects.filter(action="export").exists()
    # what the Camat answers a correction with: the records, each corrected on its own page
    page = client.get(reverse("subjects:records", args=[correction.code]), headers={"HX-Request": "true"}).content.decode()
    assert reverse("dossiers:detail", args=[held["d1"].code]) in page and "AKTA2345" in page
    assert held["theirs"].code not in page and "Koreksi data pemohon di halaman berkas" in page
