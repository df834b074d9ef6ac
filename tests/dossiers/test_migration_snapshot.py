"""The migrations that give each dossier its own applicant data (0003 columns, 0004 data, 0005
required birth date and index), run with Django's migration executor on a database holding
dossiers made before them: every dossier gets its applicant's data, nothing is lost, the
person records stay as they were; a registered dossier takes the name its register line
recorded at registration (the person record may have been overwritten by a later intake)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from loket.dossiers.models import Correction, Dossier
from loket.offices.models import Kelurahan
from loket.registers.models import RegisterBook, RegisterEntry
from tests.support.migrations import migrate_to

BEFORE = [("dossiers", "0002_initial")]
AFTER = [("dossiers", "0005_applicant_snapshot_required")]


@pytest.mark.django_db(transaction=True)
def test_existing_dossiers_get_their_applicants_data(office, people):
    from loket.catalog.models import ServiceType

    service = ServiceType.objects.get(edition__office=office, code="pindah")
    kelurahan = Kelurahan.objects.get(office=office, code="35.77.09.1001")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate_to(BEFORE)
        OldApplicant, OldDossier = old.get_model("dossiers", "Applicant"), old.get_model("dossiers", "Dossier")
        now = timezone.now()
        siti = OldApplicant.objects.create(
            office_id=office.pk, nik="3577014508900001", kk_number="3577010101100002",
            name="Sitti Aminnah Typo",  # overwritten by her last intake
            birth_date=dt.date(1990, 8, 5), sex="P", marital_status="kawin", address="Jl. Contoh 1", rt="001",
            rw="002", kelurahan_id=kelurahan.pk, phone="081234567890", email="siti@example.org")
        budi = OldApplicant.objects.create(
            office_id=office.pk, nik="3577011203850003", kk_number="3577010101100009", name="Budi Santoso",
            birth_date=dt.date(1985, 3, 12), sex="L", marital_status="belum_kawin", address="Jl. Luar 5", rt="004",
            rw="001", kelurahan_id=None, phone="085600001111", email="")
        book = RegisterBook.objects.create(office=office, kind="pelayanan", year=now.year, last_number=1)
        entry = RegisterEntry.objects.create(book=book, number=1, entered_at=now, entered_by=people["front"],
                                             subject=service.name, name="Siti Aminah", nik=siti.nik,
                                             kelurahan="Satu", signer="Camat", reference="REGD2345")

        def dossier(code, applicant, **kw):
            return OldDossier.objects.create(
                office_id=office.pk, code=code, service_id=service.pk, unit_id=service.unit_id,
                applicant_id=applicant.pk, state=kw.pop("state", "received"), received_at=now,
                clock_started_at=now, received_by_id=people["front"].pk, **kw)

        dossier("OPEN2345", siti)
        dossier("REGD2345", siti, state="registered", register_entry_id=entry.pk, verification_code="VERIFY234567",
                signed_by_id=people["camat"].pk, signer_capacity="camat")
        dossier("BUDI2345", budi, state="returned")
        people_before = list(OldApplicant.objects.order_by("pk").values())
    finally:
        migrate_to(latest)  # whatever happens, the database is left at the latest schema

    rows = {d.code: d for d in Dossier.objects.select_related("applicant")}
    open_, registered, other = rows["OPEN2345"], rows["REGD2345"], rows["BUDI2345"]
    for d, person in ((open_, "siti"), (registered, "siti"), (other, "budi")):
        a = d.applicant
        assert (d.applicant_nik, d.applicant_kk_number, d.applicant_birth_date, d.applicant_sex,
                d.applicant_marital_status, d.applicant_address, d.applicant_rt, d.applicant_rw,
                d.applicant_kelurahan_id, d.applicant_phone, d.applicant_email) == (
            a.nik, a.kk_number, a.birth_date, a.sex, a.marital_status, a.address, a.rt, a.rw, a.kelurahan_id,
            a.phone, a.email), person
    assert open_.applicant_name == "Sitti Aminnah Typo"  # all there is for a dossier never registered
    assert registered.applicant_name == "Siti Aminah"  # the name the register line recorded
    assert (other.applicant_name, other.applicant_kelurahan_id) == ("Budi Santoso", None)
    assert (open_.applicant_kelurahan_id, open_.applicant_email) == (kelurahan.pk, "siti@example.org")
    # nothing lost or rewritten: the person records are as they were, and no correction was invented
    from loket.dossiers.models import Applicant

    assert list(Applicant.objects.order_by("pk").values()) == people_before
    assert not Correction.objects.exists()
    assert {d.state for d in rows.values()} == {"received", "registered", "returned"}


def test_the_migrations_are_in_the_graph_in_order():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph  # no database needed
    plan = graph.forwards_plan(AFTER[0])
    names = [name for app, name in plan if app == "dossiers"]
    assert names[-3:] == ["0003_applicant_snapshot", "0004_applicant_snapshot_data", "0005_applicant_snapshot_required"]
