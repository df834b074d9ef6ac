"""catalog 0005: an edition loaded from the bundled 2018 file before the complaint routing
existed gets the routing the file carries for services 17 and 18; one already set is kept."""

import importlib

import pytest
from django.apps import apps

from loket.catalog.models import Edition, ServiceType

migration = importlib.import_module("loket.catalog.migrations.0005_bundled_complaint_routing")


@pytest.mark.django_db
def test_bundled_edition_gets_the_routing_of_its_file(mini_standard):
    edition = Edition.objects.get(office__slug="contoh")
    first, second = ServiceType.objects.filter(edition=edition).order_by("number")
    Edition.objects.filter(pk=edition.pk).update(source="kartoharjo-2018.yaml")
    ServiceType.objects.filter(pk=first.pk).update(code="ppat", complaint_handling={"steps": ["x"]})
    own = {"front_office": ["front_office"], "back_office": ["kasi"], "direction": ["sekcam"], "units": ["umum"]}
    ServiceType.objects.filter(pk=second.pk).update(code="sewa-gedung", complaint_handling={"routing": own})

    migration.bundled_routing(apps, None)

    first.refresh_from_db(), second.refresh_from_db()
    assert first.complaint_handling == {"steps": ["x"], "routing": migration.ROUTING["ppat"]}
    assert second.complaint_handling == {"routing": own}  # already set: left alone


def test_the_migration_says_what_the_bundled_file_says():
    from loket.catalog.standard_file import DEFAULT_STANDARD, parse_standard_file

    data = parse_standard_file(DEFAULT_STANDARD)
    for s in data.services:
        if s.code in migration.ROUTING:
            assert s.complaint_handling.routing.model_dump(exclude_none=True) == migration.ROUTING[s.code]
