"""Edition rules: draft → active → archived, at most one active per office, an active
edition is read-only, and the next edition starts as a draft copy."""

import pytest
from django.db import IntegrityError, transaction

from loket.catalog.models import Edition, EditionLocked, Requirement, ServiceType
from loket.catalog.services import EditionError, edition_activate, edition_copy


@pytest.fixture
def active(mini_standard):
    return mini_standard.edition


def test_active_edition_cannot_be_changed(active):
    active.title = "Diubah"
    with pytest.raises(EditionLocked):
        active.save()
    active.refresh_from_db()
    assert active.title != "Diubah"


@pytest.mark.parametrize("part", ["service", "requirement", "procedure", "tariff"])
def test_parts_of_an_active_edition_cannot_be_changed_or_deleted(active, part):
    service = active.services.get(code="sewa-gedung")
    obj = {
        "service": service,
        "requirement": service.requirements.first(),
        "procedure": service.procedure_steps.first(),
        "tariff": service.tariffs.first(),
    }[part]
    with pytest.raises(EditionLocked):
        obj.save()
    with pytest.raises(EditionLocked):
        obj.delete()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_no_new_requirement_in_an_active_edition(active):
    service = active.services.first()
    with pytest.raises(EditionLocked):
        Requirement.objects.create(service=service, order=99, text="Syarat baru")


def test_active_edition_cannot_be_deleted(active):
    with pytest.raises(EditionLocked):
        active.delete()


def test_copy_makes_a_full_draft(active):
    draft = edition_copy(edition=active, year=2019)
    assert draft.status == Edition.Status.DRAFT
    assert draft.based_on == active
    assert draft.title.endswith("2019")
    assert draft.services.count() == active.services.count()
    for old, new in zip(active.services.order_by("number"), draft.services.order_by("number")):
        assert new.pk != old.pk
        assert [r.text for r in new.requirements.all()] == [r.text for r in old.requirements.all()]
        assert [p.text for p in new.procedure_steps.all()] == [p.text for p in old.procedure_steps.all()]
        assert [(t.code, t.unit_price) for t in new.tariffs.all()] == [(t.code, t.unit_price) for t in old.tariffs.all()]


def test_draft_is_editable_and_leaves_the_active_edition_alone(active):
    draft = edition_copy(edition=active, year=2019)
    service = draft.services.get(code="pindah")
    service.duration_max = 15
    service.save()
    req = service.requirements.first()
    req.text = "Surat Pengantar RT/ RW asli"
    req.save()
    assert active.services.get(code="pindah").duration_max == 10
    assert active.services.get(code="pindah").requirements.first().text == "Surat Pengantar RT/ RW"


def test_copy_to_a_year_that_exists_is_refused(active):
    with pytest.raises(EditionError, match="sudah ada"):
        edition_copy(edition=active, year=2018)


def test_activating_archives_the_previous_one(active):
    draft = edition_copy(edition=active, year=2019)
    edition_activate(edition=draft)
    active.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == Edition.Status.ACTIVE and draft.activated_at
    assert active.status == Edition.Status.ARCHIVED and active.archived_at
    assert Edition.objects.filter(office=active.office, status=Edition.Status.ACTIVE).count() == 1


def test_only_a_draft_can_be_activated(active):
    with pytest.raises(EditionError, match="Hanya edisi draf"):
        edition_activate(edition=active)


def test_empty_draft_cannot_be_activated(active):
    empty = Edition.objects.create(office=active.office, year=2020, title="Kosong")
    with pytest.raises(EditionError, match="belum mempunyai jenis pelayanan"):
        edition_activate(edition=empty)
    active.refresh_from_db()
    assert active.status == Edition.Status.ACTIVE


def test_database_refuses_a_second_active_edition(active):
    other = Edition.objects.create(office=active.office, year=2021, title="Lain")
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=other.pk).update(status=Edition.Status.ACTIVE)


def test_duration_display(active):
    assert active.services.get(code="pindah").duration_display == "5–10 menit"
    assert active.services.get(code="sewa-gedung").duration_display == "15 menit"
    assert ServiceType.objects.count() == 2
