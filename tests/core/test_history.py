"""Append-only history (loket/core/history.py): every history model refuses a change or a
deletion by each road Django offers (the instance's save() and delete(), the QuerySet's
update(), delete() and bulk_update(), related managers), with one AppendOnlyError; new rows
are still written, and ``unguarded`` is the one raw road for tests that tamper on purpose."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from loket.complaints.models import Answer, Step
from loket.core.history import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet, expire, unguarded
from loket.deeds.models import Transition as DeedTransition
from loket.dossiers import services
from loket.leadership.models import Assessment, FollowUp, Publication as PerformancePublication
from loket.dossiers.models import Correction, Dossier, DossierAttachment
from loket.dossiers.models import Transition as DossierTransition
from loket.papers.models import Document, DocumentSignature
from loket.privacy.models import Access, BreachStep, RequestStep, RetentionRun
from loket.registers.models import RegisterEntry
from loket.registers.services import register_entry_add
from loket.rentals.models import Deposit
from loket.rentals.models import Transition as BookingTransition
from loket.surveys.models import Publication, Response
from tests.factories import applicant_data

HISTORY = [DossierTransition, Correction, DossierAttachment, BookingTransition, DeedTransition, RegisterEntry, Step,
           Answer, Publication, Response, Document, DocumentSignature, Deposit, PerformancePublication, FollowUp,
           Assessment, Access, RequestStep, BreachStep, RetentionRun]
IDS = [f"{m._meta.app_label}.{m.__name__}" for m in HISTORY]


def test_every_append_only_model_is_tested_here():
    found = {m for m in apps.get_models() if issubclass(m, AppendOnlyModel)}
    assert found == set(HISTORY)


@pytest.mark.parametrize("model", HISTORY, ids=IDS)
def test_the_default_manager_is_guarded(model):
    assert isinstance(model.objects.all(), AppendOnlyQuerySet)
    assert isinstance(model._default_manager.all(), AppendOnlyQuerySet)


@pytest.mark.parametrize("model", HISTORY, ids=IDS)
def test_queryset_update_delete_and_bulk_update_raise(db, model):
    with pytest.raises(AppendOnlyError, match="tidak dapat diubah"):
        model.objects.all().update(pk=1)
    with pytest.raises(AppendOnlyError, match="tidak dapat diubah"):
        model.objects.update(pk=1)
    with pytest.raises(AppendOnlyError, match="tidak dapat dihapus"):
        model.objects.all().delete()
    with pytest.raises(AppendOnlyError, match="tidak dapat dihapus"):
        model.objects.filter(pk=1).delete()
    with pytest.raises(AppendOnlyError, match="tidak dapat diubah"):
        model.objects.bulk_update([model(pk=1)], [model._meta.get_fields()[-1].name])


@pytest.mark.parametrize("model", HISTORY, ids=IDS)
def test_saving_a_stored_row_and_deleting_raise(db, model):
    row = model(pk=1)  # what get() returns: a row with its key
    with pytest.raises(AppendOnlyError, match="tidak dapat diubah"):
        row.save()
    with pytest.raises(AppendOnlyError, match="tidak dapat diubah"):
        row.save(update_fields=["pk"])
    with pytest.raises(AppendOnlyError, match="tidak dapat dihapus"):
        row.delete()


def test_it_is_one_value_error():
    """Callers that caught the old ValueError keep working."""
    assert issubclass(AppendOnlyError, ValueError)


# --- on real rows ---------------------------------------------------------------------------------

@pytest.fixture
def dossier(office, people, all_items) -> Dossier:
    return services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                   actor=people["front"], present=all_items, originals=all_items)


def test_new_rows_are_still_written_and_stay_as_written(office, people, dossier):
    services.dossier_forward(code=dossier.code, actor=people["front"])
    assert [t.to_state for t in dossier.transitions.all()] == ["received", "forwarded"]
    with transaction.atomic():
        entry = register_entry_add(office_id=office.pk, kind="pelayanan", actor=people["front"], subject="Uji")
    response = Response.objects.create(office=office, date=timezone.localdate(), source="paper", persyaratan=4)
    for row in [*dossier.transitions.all(), entry, response]:
        stored = type(row).objects.get(pk=row.pk)
        with pytest.raises(AppendOnlyError):
            stored.save()
        with pytest.raises(AppendOnlyError):
            stored.delete()
    assert RegisterEntry.objects.get(pk=entry.pk).subject == "Uji"
    assert Response.objects.filter(pk=response.pk).exists()


def test_related_managers_are_guarded(people, dossier):
    with pytest.raises(AppendOnlyError, match="Riwayat berkas tidak dapat diubah"):
        dossier.transitions.update(note="diubah")
    with pytest.raises(AppendOnlyError, match="Riwayat berkas tidak dapat dihapus"):
        dossier.transitions.all().delete()
    assert dossier.transitions.get().note == ""
    with pytest.raises(AppendOnlyError), transaction.atomic():
        DossierTransition.objects.bulk_update(list(dossier.transitions.all()), ["note"])
    assert dossier.transitions.count() == 1


def test_unguarded_is_the_raw_road_for_tests_that_tamper(people, dossier):
    at = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    assert unguarded(DossierTransition).filter(dossier=dossier).update(at=at) == 1
    assert dossier.transitions.get().at == at


def test_expire_is_the_retention_schedules_road_and_the_guard_stays(people, dossier):
    """UU 27/2022 Pasal 43-44: past its period a row's personal fields are emptied or the row goes;
    expire() does that and nothing else, and the model stays guarded afterwards."""
    services.dossier_forward(code=dossier.code, actor=people["front"])
    rows = DossierTransition.objects.filter(dossier=dossier)
    assert expire(rows.filter(to_state="forwarded"), note="[dihapus]") == 1
    assert sorted(rows.values_list("note", flat=True)) == ["", "[dihapus]"]
    assert expire(rows.filter(to_state="forwarded")) == 1
    assert list(rows.values_list("to_state", flat=True)) == ["received"]
    with pytest.raises(AppendOnlyError):
        rows.update(note="x")


def test_only_the_retention_schedule_calls_expire():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "loket"
    callers = {p.relative_to(root).as_posix() for p in root.rglob("*.py")
               if "expire(" in p.read_text(encoding="utf-8") and p.name != "history.py"}
    assert callers == {"subjects/retention.py"}
