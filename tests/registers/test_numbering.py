"""Register numbers: per office, per book, per year; 1..N with no gap and no duplicate, also
with many clerks at once; entries append-only."""

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from loket.core.history import AppendOnlyError
from loket.offices.models import Office
from loket.registers.models import RegisterBook, RegisterEntry
from loket.registers.services import register_entry_add


def _office(slug="a", code="35.77.01"):
    return Office.objects.create(slug=slug, region_code=code, name=f"Kecamatan {slug}", city="Kota")


def _add(office, user, kind="pelayanan", at=None):
    with transaction.atomic():
        return register_entry_add(office_id=office.pk, kind=kind, actor=user, subject="Legalisasi", at=at)


@pytest.mark.django_db
def test_numbers_run_per_office_kind_and_year():
    user = get_user_model().objects.create(username="u")
    a, b = _office("a", "35.77.01"), _office("b", "35.77.02")
    jan = dt.datetime(2026, 1, 2, 9, tzinfo=dt.timezone.utc)
    assert [_add(a, user, at=jan).number for _ in range(3)] == [1, 2, 3]
    assert _add(b, user, at=jan).number == 1
    assert _add(a, user, kind="ppat", at=jan).number == 1
    assert _add(a, user, at=jan.replace(year=2027)).number == 1
    assert _add(a, user, at=jan).number == 4


@pytest.mark.django_db
def test_year_follows_jakarta_time():
    user = get_user_model().objects.create(username="u")
    a = _office()
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Jakarta (UTC+7).
    entry = _add(a, user, at=dt.datetime(2026, 12, 31, 18, tzinfo=dt.timezone.utc))
    assert entry.book.year == 2027


@pytest.mark.django_db
def test_a_failed_transaction_loses_no_number():
    user = get_user_model().objects.create(username="u")
    a = _office()
    _add(a, user)
    with pytest.raises(RuntimeError), transaction.atomic():
        register_entry_add(office_id=a.pk, kind="pelayanan", actor=user, subject="x")
        raise RuntimeError("listrik padam")
    assert _add(a, user).number == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused():
    user = get_user_model().objects.create(username="u")
    a = _office()
    with pytest.raises(RuntimeError):
        register_entry_add(office_id=a.pk, kind="pelayanan", actor=user, subject="x")


@pytest.mark.django_db
def test_entries_are_append_only():
    user = get_user_model().objects.create(username="u")
    entry = _add(_office(), user)
    entry.subject = "diubah"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_32_concurrent_clerks_get_1_to_n_without_gap_or_duplicate():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL; SQLite serialises writers anyway")
    user = get_user_model().objects.create(username="u")
    office = _office()
    per_thread, threads_n = 10, 32
    errors = []
    barrier = threading.Barrier(threads_n)

    def clerk():
        try:
            barrier.wait()
            for _ in range(per_thread):
                _add(office, user)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(RegisterEntry.objects.values_list("number", flat=True))
    assert numbers == list(range(1, per_thread * threads_n + 1))
    assert RegisterBook.objects.get().last_number == per_thread * threads_n
