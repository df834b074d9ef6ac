"""Bookings of the hall: the venue from the standard, the states, the register and receipt
numbers, and no session ever booked twice: Sehari overlaps Siang and Malam, in the database."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from loket.core.errors import InvalidInput, WrongState
from loket.registers.models import RegisterEntry
from loket.rentals import services
from loket.rentals.models import Booking, Slot, Transition, Venue
from tests.rentals.conftest import next_month, order

S = Booking.State


def test_the_venue_comes_from_the_standard(hall_office):
    v = Venue.objects.get(office=hall_office)
    assert (v.name, v.capacity) == ("Gedung Pertemuan Karto Praja", 400)
    assert "Kursi yang disewakan sejumlah 350 buah" in v.facility_list()
    assert services.venues_default_create(office=hall_office) == 0  # once


def test_the_seed_example_booked_paid_used(hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order())
    assert b.state == S.BOOKED and b.government and b.total == 1_350_000
    assert b.quote["total_words"] == "satu juta tiga ratus lima puluh ribu rupiah"
    assert b.register_entry.number_display == f"1/{b.register_entry.book.year}"
    assert sorted(Slot.objects.filter(booking=b).values_list("half", flat=True)) == ["malam", "siang"]
    with pytest.raises(InvalidInput):
        services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=1_000_000)
    b = services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=1_350_000)
    assert b.state == S.PAID and b.receipt_entry.book.kind == "kuitansi" and b.receipt_entry.number == 1
    with pytest.raises(WrongState, match="baru dipakai"):
        services.booking_use(code=b.code, actor=clerks["bendahara"])
    assert [t.to_state for t in Transition.objects.filter(booking=b)] == [S.BOOKED, S.PAID]  # a direct order


@pytest.mark.parametrize("first, second", [
    ("sehari", "siang"), ("sehari", "malam"), ("sehari", "sehari"), ("siang", "sehari"), ("malam", "sehari"),
    ("siang", "siang"), ("malam", "malam"),
])
def test_a_taken_session_is_refused_and_nothing_is_saved(hall_office, clerks, first, second):
    services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(session=first))
    entries = RegisterEntry.objects.count()
    with pytest.raises(services.Taken, match="sudah dipesan"):
        services.booking_create(office=hall_office, actor=clerks["kasubbag"], data=order(session=second))
    assert Booking.objects.count() == 1 and RegisterEntry.objects.count() == entries


def test_siang_and_malam_of_one_day_go_together(hall_office, clerks):
    services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(session="siang"))
    b = services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(session="malam"))
    assert b.state == S.BOOKED and b.register_entry.number == 2


def test_a_multi_day_booking_holds_every_day(hall_office, clerks):
    services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(session="siang", days="3"))
    later = next_month(12).isoformat()
    with pytest.raises(services.Taken):
        services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(date=later, session="siang"))
    assert services.booking_create(office=hall_office, actor=clerks["bendahara"],
                                   data=order(date=later, session="malam")).state == S.BOOKED


def test_cancelling_frees_the_session(hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order())
    with pytest.raises(InvalidInput):
        services.booking_cancel(code=b.code, actor=clerks["bendahara"], reason=" ")
    services.booking_cancel(code=b.code, actor=clerks["bendahara"], reason="Acara diundur")
    assert Slot.objects.filter(booking=b, released=True).count() == 2  # kept as history
    again = services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order())
    assert again.state == S.BOOKED and again.register_entry.number == 2  # the register never reuses a number


def test_an_inquiry_holds_nothing_until_confirmed(hall_office, clerks):
    i = services.booking_create(office=hall_office, actor=clerks["kasubbag"], data=order(), inquiry=True)
    assert i.state == S.INQUIRY and i.register_entry is None and not Slot.objects.exists()
    other = services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(session="siang"))
    with pytest.raises(services.Taken):
        services.booking_confirm(code=i.code, actor=clerks["bendahara"])
    i.refresh_from_db()
    assert i.state == S.INQUIRY and i.register_entry is None
    services.booking_cancel(code=other.code, actor=clerks["bendahara"], reason="Batal")
    assert services.booking_confirm(code=i.code, actor=clerks["bendahara"]).state == S.BOOKED


@pytest.mark.parametrize("field, value, words", [
    ("date", "2020-01-01", "sudah lewat"), ("date", "31-12-2026", "TTTT-BB-HH"), ("date", "20991231", "TTTT-BB-HH"),
    ("date", "2099-W01-1", "TTTT-BB-HH"), ("date", "2099-02-30", "TTTT-BB-HH"), ("session", "pagi", "Sesi"),
    ("renter_type", "x", "Jenis pemesan"), ("channel", "fax", "Cara memesan"), ("renter_name", "", "wajib"),
    ("phone", "12", "tidak valid"), ("attendance", "500", "kapasitas"), ("attendance", "nol", "bilangan"),
    ("days", "9", "1–7"), ("event", "x" * 201, "paling panjang"),
])
def test_bad_input_is_refused_with_its_field_and_saves_nothing(hall_office, clerks, field, value, words):
    with pytest.raises(InvalidInput) as exc:
        services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(**{field: value}))
    assert any(words in m for m in exc.value.errors[field]), exc.value.errors
    assert not Booking.objects.exists() and not RegisterEntry.objects.exists() and not Slot.objects.exists()


@pytest.mark.parametrize("who", ["kasi", "front", "sekcam", "camat", "ppat", "admin"])
def test_only_the_bendahara_and_the_kasubbag_umum_take_orders(hall_office, clerks, who):
    with pytest.raises(PermissionDenied):
        services.booking_create(office=hall_office, actor=clerks[who], data=order())
    assert not Booking.objects.exists()


def test_only_the_bendahara_records_payments(hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["kasubbag"], data=order())
    with pytest.raises(PermissionDenied):
        services.booking_pay(code=b.code, actor=clerks["kasubbag"], amount=b.total)
    b.refresh_from_db()
    assert b.state == S.BOOKED and b.receipt_entry is None


@pytest.mark.django_db(transaction=True)
def test_two_clerks_booking_the_same_day_at_once_one_wins(hall_office, clerks):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers anyway")
    n = 8
    barrier = threading.Barrier(n)
    won, lost, errors = [], [], []

    def clerk(i):
        try:
            barrier.wait()
            who = clerks["bendahara"] if i % 2 else clerks["kasubbag"]
            won.append(services.booking_create(office=hall_office, actor=who,
                                               data=order(session=["siang", "sehari"][i % 2])).pk)
        except services.Taken:
            lost.append(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(won) == 1 and len(lost) == n - 1
    assert Booking.objects.count() == 1 and RegisterEntry.objects.filter(book__kind="penyewa").count() == 1
    assert Slot.objects.filter(released=False).count() in (1, 2)


def test_a_staff_line_the_edition_does_not_price_is_a_field_error(hall_office, clerks):
    from loket.catalog.models import Tariff

    Tariff.objects.filter(service__edition__office=hall_office, code="parkir").delete()
    with pytest.raises(InvalidInput) as exc:
        services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order(parking=True))
    assert "parkir" in exc.value.errors["parking"][0]
    assert not Booking.objects.exists()
