"""The Buku Pengaduan: every complaint, from any channel or the web form, takes the next number of
its office's book for the year (in Asia/Jakarta), 1..n without gaps; a refused intake takes no
number; and many clerks filing at once (PostgreSQL) get distinct consecutive numbers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from loket.complaints import services
from loket.complaints.models import Attachment, Complaint
from loket.offices.models import Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterBook, RegisterEntry
from tests.complaints.conftest import complaint_data
from loket.core.errors import InvalidInput

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
UTC = dt.timezone.utc


def numbers(office, year=None) -> list[int]:
    year = year or timezone.localdate().year
    return list(RegisterEntry.objects.filter(book__office=office, book__kind="pengaduan", book__year=year)
                .order_by("number").values_list("number", flat=True))


def last_number(office, year=None) -> int:
    year = year or timezone.localdate().year
    return RegisterBook.objects.get(office=office, kind="pengaduan", year=year).last_number


def record(office, actor, **over) -> Complaint:
    return services.complaint_record(office=office, actor=actor, data=complaint_data(**over))


@pytest.fixture
def office2(office):
    o = Office.objects.create(slug="lain", region_code="35.77.10", name="Kecamatan Lain", city="Kota")
    front = staff_create(office=o, username="petugas.lain", role=Role.FRONT_OFFICE, password="x-Pass-12345").user
    return o, front


def test_numbers_run_1_to_n_per_office_without_gaps(office, people, office2):
    other, other_front = office2
    made = []
    for i in range(4):
        made.append(record(office, people["front"]))
        made.append(services.complaint_file_public(office=office, data=complaint_data(reply_via="website")))
        if i % 2:
            made.append(record(office, people["camat"], channel="sms"))
    made.append(record(other, other_front))
    ours = [c for c in made if c.office_id == office.pk]
    assert [c.register_entry.number for c in ours] == list(range(1, len(ours) + 1)) == numbers(office)
    assert last_number(office) == len(ours) == 10
    assert numbers(other) == [1] and last_number(other) == 1
    # every line names its complaint and its clerk (none for the web form)
    for c in ours:
        e = c.register_entry
        assert e.reference == c.code and e.book.kind == RegisterBook.Kind.PENGADUAN and e.book.office_id == office.pk
        assert e.entered_by_id == (c.received_by_id if c.channel != "website" else None)
        assert e.entered_at == c.received_at
    # the complaint books are apart from the other books of the office
    assert not RegisterEntry.objects.exclude(book__kind="pengaduan").exists()


def test_the_year_is_the_year_in_jakarta_and_each_year_starts_at_1(office, people, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 31, 16, 59, tzinfo=UTC))  # 23:59 WIB
    assert [record(office, people["front"]).register_entry.number_display for _ in range(2)] == ["1/2026", "2/2026"]
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 31, 17, 0, tzinfo=UTC))  # 00:00 WIB 2027
    assert record(office, people["front"]).register_entry.number_display == "1/2027"
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # a late 2026 line
    assert record(office, people["front"]).register_entry.number_display == "3/2026"
    assert numbers(office, 2026) == [1, 2, 3] and numbers(office, 2027) == [1]


def test_a_refused_intake_takes_no_number(office, people, monkeypatch):
    assert record(office, people["front"]).register_entry.number == 1
    assert last_number(office) == 1

    with pytest.raises(InvalidInput):
        record(office, people["front"], text="pendek")
    with pytest.raises(InvalidInput):
        services.complaint_file_public(office=office, data=complaint_data(subject=""))
    with pytest.raises(InvalidInput):
        services.complaint_record(office=office, actor=people["front"], data=complaint_data(),
                                  files=[SimpleUploadedFile("x.pdf", b"bukan pdf")])
    with pytest.raises(PermissionDenied):
        record(office, people["bendahara"])
    assert last_number(office) == 1

    # a failure inside the intake's transaction (after the number was taken) gives it back
    def broken(self, *args, **kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(Attachment, "save", broken)
    with pytest.raises(OSError):
        services.complaint_record(office=office, actor=people["front"], data=complaint_data(),
                                  files=[SimpleUploadedFile("a.pdf", PDF)])
    monkeypatch.undo()
    assert last_number(office) == 1
    assert Complaint.objects.count() == RegisterEntry.objects.count() == 1

    assert record(office, people["front"]).register_entry.number == 2
    assert numbers(office) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_20_clerks_filing_at_once_get_20_distinct_consecutive_numbers(office, people):
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL; SQLite serialises writers anyway")
    threads_n = 20
    clerks = [people["front"], people["kasi"], people["sekcam"], people["camat"]]
    errors, made = [], []
    barrier = threading.Barrier(threads_n)

    def clerk(i):
        try:
            barrier.wait()
            if i % 5 == 4:
                c = services.complaint_file_public(office=office, data=complaint_data(reply_via="website"))
            else:
                c = record(office, clerks[i % len(clerks)], subject=f"Pengaduan {i}")
            made.append(c.pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(made) == len(set(made)) == threads_n
    assert numbers(office) == list(range(1, threads_n + 1))
    assert last_number(office) == threads_n
    assert RegisterBook.objects.filter(office=office, kind="pengaduan").count() == 1  # one book, created once
    # one complaint per number, one number per complaint
    assert sorted(Complaint.objects.filter(office=office).values_list("register_entry__number", flat=True)) == list(
        range(1, threads_n + 1))
