"""The Camat's calendar of sidang (services.signing_schedule): half-hour SigningSlot rows whose unique
key among live slots makes two sidang at once impossible in the database itself, also when two
officers press at the same moment (PostgreSQL); moving or withdrawing frees the time; bad input is
refused with its field and saves nothing; and the Buku Register PPAT keeps its numbers without a
gap or a double when deeds are registered at once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from loket.deeds import selectors, services
from loket.deeds.models import Case, Signing, SigningSlot, Transition
from loket.core.errors import InvalidInput
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterEntry
from tests.deeds.conftest import SIDANG, T0, WIB, build, gift, inheritance, sale, signing_data

S = Case.State
DAY = SIDANG.date()  # Tuesday 10 March 2026


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=WIB)


def live_slots(case=None) -> list[dt.datetime]:
    qs = SigningSlot.objects.filter(released=False)
    if case is not None:
        qs = qs.filter(signing__case=case)
    return sorted(qs.values_list("start", flat=True))


def snapshot(case: Case) -> dict:
    case = Case.objects.get(pk=case.pk)
    return {"state": case.state, "updated_at": case.updated_at,
            "signings": list(Signing.objects.filter(case=case).order_by("pk")
                             .values_list("pk", "starts_at", "cancelled")),
            "slots": sorted(SigningSlot.objects.values_list("pk", "start", "released")),
            "transitions": Transition.objects.filter(case=case).count()}


@pytest.fixture
def two(deed_office, officials, travel):
    """Two validated deeds, at Monday 2 March 2026 (now), for the sidang of Tuesday 10 March."""
    a = build(deed_office, officials, "validated", sale(), travel=travel)
    b = build(deed_office, officials, "validated", inheritance(), travel=travel)
    return a, b


def schedule(case, officials, start, minutes=60, **over):
    return services.signing_schedule(code=case.code, actor=officials["ppat"],
                                     data=signing_data(start, minutes, **over))


# --- no double-booking ------------------------------------------------------------------------------------

@pytest.mark.parametrize("first, second, taken", [
    (("09:00", 60), ("09:00", 60), True),  # the same start
    (("09:00", 60), ("09:30", 30), True),  # a half hour inside an hour
    (("09:30", 30), ("09:00", 60), True),  # an hour over a half hour
    (("09:00", 30), ("09:00", 120), True),
    (("09:00", 120), ("10:30", 30), True),  # the last half hour of two hours
    (("09:00", 90), ("10:00", 60), True),
    (("10:00", 60), ("09:00", 90), True),
    (("09:00", 60), ("10:00", 60), False),  # right after: adjacent is allowed
    (("09:00", 60), ("08:00", 60), False),  # right before
    (("09:00", 30), ("09:30", 30), False),
    (("07:30", 120), ("09:30", 120), False),
    (("09:00", 60), ("09:00", 60, "2026-03-11"), False),  # the same hour of another day
])
def test_the_camat_is_never_booked_twice(officials, two, first, second, taken):
    a, b = two
    schedule(a, officials, at(first[0]), first[1])
    assert live_slots(a) == [at(first[0]) + i * dt.timedelta(minutes=30) for i in range(first[1] // 30)]
    day = dt.date.fromisoformat(second[2]) if len(second) > 2 else DAY
    before = snapshot(b)
    if taken:
        with pytest.raises(services.Taken, match="Camat sudah dijadwalkan sidang lain"):
            schedule(b, officials, at(second[0], day), second[1])
        assert snapshot(b) == before  # no Signing, no slot, no transition, the state as it was
        assert not Signing.objects.filter(case=b).exists()
    else:
        s = schedule(b, officials, at(second[0], day), second[1])
        assert Case.objects.get(pk=b.pk).state == S.SCHEDULED and s.starts_at == at(second[0], day)
        assert len(live_slots()) == (first[1] + second[1]) // 30


def test_moving_a_sidang_releases_its_old_half_hours(officials, two, travel):
    a, b = two
    first = schedule(a, officials, at("09:00"))
    moved = schedule(a, officials, at("11:00"), 30)
    first.refresh_from_db()
    assert first.cancelled and not moved.cancelled
    assert live_slots(a) == [at("11:00")]
    assert SigningSlot.objects.filter(signing=first, released=True).count() == 2  # kept as history
    assert [t.to_state for t in Transition.objects.filter(case=a).order_by("pk")][-2:] == [S.SCHEDULED, S.SCHEDULED]
    # the old hour is free for another deed, the new one is not
    schedule(b, officials, at("09:00"))
    with pytest.raises(services.Taken):
        schedule(b, officials, at("11:00"), 30)
    assert [s.case for s in selectors.calendar(office=a.office, start=DAY, end=DAY)] == [b, a]


def test_moving_onto_its_own_time_is_allowed(officials, two):
    a, _ = two
    schedule(a, officials, at("09:00"), 60)
    schedule(a, officials, at("09:30"), 60)  # overlaps only its own old sidang
    assert live_slots(a) == [at("09:30"), at("10:00")]
    assert Signing.objects.filter(case=a, cancelled=False).count() == 1


def test_moving_onto_a_taken_time_keeps_the_old_sidang(officials, two):
    a, b = two
    schedule(a, officials, at("09:00"))
    schedule(b, officials, at("13:00"))
    before = snapshot(a)
    with pytest.raises(services.Taken):
        schedule(a, officials, at("13:30"), 30)
    assert snapshot(a) == before
    assert live_slots(a) == [at("09:00"), at("09:30")]
    assert Signing.objects.get(case=a, cancelled=False).starts_at == at("09:00")


def test_the_camat_is_busy_exactly_during_a_sidang(deed_office, officials, two):
    a, _ = two
    schedule(a, officials, at("09:00"), 60)

    def busy(start, end):
        return selectors.camat_busy(office=deed_office, start=at(start), end=at(end))

    assert busy("09:00", "09:30") and busy("09:30", "10:00") and busy("08:00", "12:00")
    assert not busy("08:00", "09:00") and not busy("10:00", "11:00")


def test_a_withdrawn_case_frees_its_time(officials, two):
    a, b = two
    schedule(a, officials, at("09:00"))
    services.case_withdraw(code=a.code, actor=officials["ppat"], reason="Pembeli mundur")
    assert live_slots() == []
    schedule(b, officials, at("09:00"))
    assert live_slots() == [at("09:00"), at("09:30")]


def test_an_aware_time_of_another_zone_is_read_in_madiun(officials, two):
    a, _ = two
    s = schedule(a, officials, dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.timezone.utc))  # 09:00 WIB
    assert s.starts_at == at("09:00")
    b = two[1]
    s = schedule(b, officials, "2026-03-10T10:00")  # naive text: Asia/Jakarta
    assert s.starts_at == at("10:00")


# --- bad input: its field, and nothing saved --------------------------------------------------------------

BAD = {
    "not on the half hour": ({"starts_at": "2026-03-10 09:15"}, "starts_at", "setengah jam"),
    "seconds": ({"starts_at": dt.datetime(2026, 3, 10, 9, 0, 30, tzinfo=WIB)}, "starts_at", "setengah jam"),
    "in the past": ({"starts_at": "2026-03-02 07:30"}, "starts_at", "setelah sekarang"),
    "now": ({"starts_at": T0}, "starts_at", "setelah sekarang"),
    "saturday": ({"starts_at": "2026-03-14 09:00"}, "starts_at", "hari kerja"),
    "sunday": ({"starts_at": "2026-03-15 09:00"}, "starts_at", "hari kerja"),
    "before 07:30": ({"starts_at": "2026-03-10 07:00"}, "starts_at", "07.30–15.30"),
    "at 15:30": ({"starts_at": "2026-03-10 15:30", "minutes": 30}, "starts_at", "07.30–15.30"),
    "crossing 15:30": ({"starts_at": "2026-03-10 15:00", "minutes": 60}, "starts_at", "07.30–15.30"),
    "two hours crossing 15:30": ({"starts_at": "2026-03-10 14:00", "minutes": 120}, "starts_at", "07.30–15.30"),
    "at night": ({"starts_at": "2026-03-10 23:30", "minutes": 60}, "starts_at", "07.30–15.30"),
    "the same witness twice": ({"witness_2": " hadi susanto "}, "witness_2", "berbeda"),
    "no first witness": ({"witness_1": ""}, "witness_1", "wajib"),
    "no second witness": ({"witness_2": "  "}, "witness_2", "wajib"),
    "witness too long": ({"witness_1": "W" * 151}, "witness_1", "paling panjang"),
    "no place": ({"place": ""}, "place", "wajib"),
    "place too long": ({"place": "P" * 151}, "place", "paling panjang"),
    "45 minutes": ({"minutes": 45}, "minutes", "30, 60, 90 atau 120"),
    "150 minutes": ({"minutes": 150}, "minutes", "30, 60, 90 atau 120"),
    "0 minutes": ({"minutes": 0}, "minutes", "30, 60, 90 atau 120"),
    "minutes in words": ({"minutes": "satu jam"}, "minutes", "30, 60, 90 atau 120"),
    "minutes missing": ({"minutes": None}, "minutes", "30, 60, 90 atau 120"),
    "malformed time": ({"starts_at": "besok pagi"}, "starts_at", "YYYY-MM-DD HH:MM"),
    "date only": ({"starts_at": "2026-03-10"}, "starts_at", "YYYY-MM-DD HH:MM"),
    "day month year": ({"starts_at": "10-03-2026 09:00"}, "starts_at", "YYYY-MM-DD HH:MM"),
    "impossible date": ({"starts_at": "2026-02-30 09:00"}, "starts_at", "YYYY-MM-DD HH:MM"),
    "impossible hour": ({"starts_at": "2026-03-10 25:00"}, "starts_at", "YYYY-MM-DD HH:MM"),
    "no time": ({"starts_at": None}, "starts_at", "YYYY-MM-DD HH:MM"),
    "a number": ({"starts_at": 1773108000}, "starts_at", "YYYY-MM-DD HH:MM"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_with_its_field_and_saves_nothing(officials, two, case):
    a, _ = two
    over, field, words = BAD[case]
    before = snapshot(a)
    with pytest.raises(InvalidInput) as exc:
        services.signing_schedule(code=a.code, actor=officials["ppat"], data={**signing_data(), **over})
    assert set(exc.value.errors) == {field}, exc.value.errors
    assert words in exc.value.errors[field][0], exc.value.errors
    assert snapshot(a) == before and not Signing.objects.exists() and not SigningSlot.objects.exists()


def test_a_sidang_on_a_holiday_is_refused(deed_office, officials, two):
    from loket.offices.models import Holiday

    Holiday.objects.create(date=DAY, kind=Holiday.Kind.LOCAL, name="Hari jadi Kota Madiun", office=deed_office)
    a, _ = two
    with pytest.raises(InvalidInput) as exc:
        schedule(a, officials, at("09:00"))
    assert list(exc.value.errors) == ["starts_at"]


@pytest.mark.parametrize("start, minutes", [("07:30", 30), ("07:30", 120), ("15:00", 30), ("14:00", 90),
                                            ("13:30", 120)])
def test_the_working_hours_themselves_are_allowed(officials, two, start, minutes):
    s = schedule(two[0], officials, at(start), minutes)
    assert s.ends_at <= at("15:30") and s.starts_at >= at("07:30")


def test_a_bad_move_keeps_the_old_sidang(officials, two):
    a, _ = two
    schedule(a, officials, at("09:00"))
    before = snapshot(a)
    with pytest.raises(InvalidInput):
        services.signing_schedule(code=a.code, actor=officials["ppat"], data=signing_data("2026-03-14 09:00"))
    assert snapshot(a) == before and live_slots(a) == [at("09:00"), at("09:30")]


@pytest.mark.parametrize("who", ["front", "kasi_pem", "camat", "sekcam", "admin"])
def test_only_the_petugas_ppat_schedules(officials, two, who):
    a, _ = two
    before = snapshot(a)
    with pytest.raises(PermissionDenied):
        services.signing_schedule(code=a.code, actor=officials[who], data=signing_data())
    assert snapshot(a) == before


# --- PostgreSQL: two officers at the same moment; the register under load ----------------------------------------

def _pg_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers anyway")


def _run(n, work):
    """``work(i)`` in n threads released together; returns (results, errors)."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append((i, work(i)))
        except Exception as exc:  # collected and asserted by the caller
            errors.append((i, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def _deeds(n: int) -> list[dict]:
    out = []
    for i in range(n):
        data = (sale, gift, inheritance)[i % 3]()
        data["land_reference"] = f"Letter C No. {100 + i}"
        out.append(data)
    return out


@pytest.mark.django_db(transaction=True)
def test_two_officers_scheduling_at_the_same_moment_one_wins(deed_office, officials, travel):
    _pg_only()
    n = 6
    cases = [build(deed_office, officials, "validated", data, travel=travel) for data in _deeds(n)]
    second = staff_create(office=deed_office, username="ppat2", role=Role.PPAT_OFFICER, password="x-Pass-12345",
                          full_name="Ppat Dua").user
    officers = [officials["ppat"], second]

    def work(i):
        try:
            # half of them an hour at 09:00, the others a half hour at 09:30: every pair overlaps
            data = signing_data(at("09:00"), 60) if i % 2 else signing_data(at("09:30"), 30)
            return services.signing_schedule(code=cases[i].code, actor=officers[i % 2], data=data).pk
        except services.Taken:
            return None

    results, errors = _run(n, work)
    assert errors == []
    won = [i for i, pk in results if pk is not None]
    assert len(won) == 1 and len(results) == n
    assert Signing.objects.filter(cancelled=False).count() == 1 == Signing.objects.count()
    assert Case.objects.filter(state=S.SCHEDULED).count() == 1
    assert Case.objects.get(state=S.SCHEDULED).pk == cases[won[0]].pk
    assert len(live_slots()) in (1, 2) and SigningSlot.objects.count() == len(live_slots())
    assert Transition.objects.filter(to_state=S.SCHEDULED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_deeds_registered_at_once_get_every_number_once(deed_office, officials, travel):
    _pg_only()
    n = 8
    cases = []
    for i, data in enumerate(_deeds(n)):
        cases.append(build(deed_office, officials, "signed", data, travel=travel,
                           sidang=at("08:00") + i * dt.timedelta(minutes=30), minutes=30))
    travel.to(at("15:00"))
    assert not RegisterEntry.objects.exists()  # the year's book is made by the first of them

    def work(i):
        return services.case_register(code=cases[i].code, actor=officials["ppat"]).register_entry.number

    results, errors = _run(n, work)
    assert errors == []
    assert sorted(number for _, number in results) == list(range(1, n + 1))
    entries = RegisterEntry.objects.filter(book__kind="ppat", book__office=deed_office)
    assert sorted(entries.values_list("number", flat=True)) == list(range(1, n + 1))
    assert {e.reference for e in entries} == {c.code for c in cases}
    assert entries.values("book").distinct().count() == 1 and entries.first().book.last_number == n
    assert Case.objects.filter(state=S.REGISTERED).count() == n
