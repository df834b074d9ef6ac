"""Migration 0010_phone_optional (the applicant's telephone may be left empty, UU 27/2022 Pasal
16 ayat (2) huruf a), run with Django's migration executor over rows made before it, as in
test_migration_snapshot.py: it only lets the columns be blank, and every number already
recorded stays as it was, on the dossiers and on the person records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from loket.dossiers.models import Applicant, Dossier
from tests.support.migrations import migrate_to

BEFORE = [("dossiers", "0009_report_indexes")]
AFTER = ("dossiers", "0010_phone_optional")


@pytest.mark.django_db(transaction=True)
def test_the_numbers_already_recorded_stay(office, people):
    from loket.catalog.models import ServiceType

    service = ServiceType.objects.get(edition__office=office, code="pindah")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    phones = {"ONEA2345": "081234567890", "TWOB2345": "+6285600001111"}
    try:
        old = migrate_to(BEFORE)
        OldApplicant, OldDossier = old.get_model("dossiers", "Applicant"), old.get_model("dossiers", "Dossier")
        now = timezone.now()
        for i, (code, phone) in enumerate(phones.items()):
            a = OldApplicant.objects.create(office_id=office.pk, nik=f"357701450890000{i + 1}", name=code,
                                            birth_date=now.date(), sex="P", address="Jl. Contoh 1", rt="001",
                                            rw="002", phone=phone)
            OldDossier.objects.create(
                office_id=office.pk, code=code, service_id=service.pk, unit_id=service.unit_id, applicant_id=a.pk,
                applicant_nik=a.nik, applicant_name=code, applicant_birth_date=a.birth_date, applicant_sex="P",
                applicant_address=a.address, applicant_rt="001", applicant_rw="002", applicant_phone=phone,
                state="received", received_at=now, clock_started_at=now, received_by_id=people["front"].pk)
    finally:
        migrate_to(latest)  # whatever happens, the database is left at the latest schema

    assert dict(Dossier.objects.values_list("code", "applicant_phone")) == phones
    assert dict(Applicant.objects.values_list("name", "phone")) == phones
    for field in (Dossier._meta.get_field("applicant_phone"), Applicant._meta.get_field("phone")):
        assert field.blank and not field.null  # empty is "", never NULL: no reader ever sees None


def test_the_migration_follows_the_last_one_and_changes_no_data():
    loader = MigrationLoader(None, ignore_no_migrations=True)  # no database needed
    assert loader.graph.node_map[AFTER].parents == {BEFORE[0]}
    migration = loader.disk_migrations[AFTER]
    assert {type(op).__name__ for op in migration.operations} == {"AlterField"}
    assert {(op.model_name, op.name) for op in migration.operations} == {("applicant", "phone"),
                                                                         ("dossier", "applicant_phone")}
