"""Staff absences (ketidakhadiran pegawai) and the working days present they leave
(loket.offices.attendance.presence; Permenpan RB 15/2014 komponen 14, issue 18 item 3).

Every figure is counted by hand on the calendar of July 2026, which has no national holiday:

    Mo Tu We Th Fr Sa Su
           1  2  3  4  5
     6  7  8  9 10 11 12
    13 14 15 16 17 18 19
    20 21 22 23 24 25 26
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from loket.offices.attendance import Presence, presence
from loket.offices.models import Absence, Holiday, Staff
from loket.offices.roles import Role
from loket.offices.services import staff_create
from tests.offices.conftest import PASSWORD, second_office_load

pytestmark = pytest.mark.django_db

D = dt.date
JUL = lambda day: D(2026, 7, day)  # noqa: E731
TWO_WEEKS = (JUL(6), JUL(17))  # Monday 6 to Friday 17 July: 10 working days


def staff(user) -> Staff:
    return Staff.objects.get(user=user)


def away(who: Staff, start: dt.date, end: dt.date, kind=Absence.Kind.CUTI, office=None) -> Absence:
    return Absence.objects.create(office=office or who.office, staff=who, kind=kind, start=start, end=end)


def one(office, who: Staff, start: dt.date, end: dt.date) -> Presence:
    return presence(office_id=office.pk, start=start, end=end, staff_ids=[who.pk])[who.pk]


# --- counting ----------------------------------------------------------------------------------

def test_a_week_with_a_holiday_of_the_office_and_a_national_one(office, people):
    """Mon 6 – Sun 12 July: 5 weekdays, less the office's own holiday (Wed 8) and a national one
    (Fri 10) = 3 working days (Mon, Tue, Thu). Another office's holiday (Thu 9) is not ours.
    A cuti on Tue 7 – Wed 8 covers one working day (Wed is the holiday)."""
    b = second_office_load()
    Holiday.objects.create(office=office, date=JUL(8), kind=Holiday.Kind.LOCAL, name="Hari jadi kota")
    Holiday.objects.create(office=None, date=JUL(10), kind=Holiday.Kind.NATIONAL, name="Libur uji")
    Holiday.objects.create(office=b, date=JUL(9), kind=Holiday.Kind.LOCAL, name="Hari jadi Taman")
    front, kasi = staff(people["front"]), staff(people["kasi"])
    away(front, JUL(7), JUL(8))
    got = presence(office_id=office.pk, start=JUL(6), end=JUL(12), staff_ids=[front.pk, kasi.pk])
    assert got == {front.pk: Presence(working_days=3, absent_days=1), kasi.pk: Presence(working_days=3, absent_days=0)}
    assert (got[front.pk].present_days, got[kasi.pk].present_days) == (2, 3)


def test_an_absence_over_a_weekend_counts_its_working_days_only(office, people):
    """Sakit Thu 9 – Tue 14 July: Thu 9, Fri 10, Mon 13, Tue 14 = 4 (Sat 11 and Sun 12 are no
    working days); present 10 − 4 = 6."""
    front = staff(people["front"])
    away(front, JUL(9), JUL(14), kind=Absence.Kind.SAKIT)
    got = one(office, front, *TWO_WEEKS)
    assert (got.working_days, got.absent_days, got.present_days) == (10, 4, 6)


def test_overlapping_absences_count_a_day_once(office, people):
    """Cuti Mon 6 – Wed 8 and dinas luar Tue 7 – Fri 10 (and a second izin on Wed 8): together
    Mon 6 – Fri 10 = 5 days, not 3 + 4 + 1 = 8."""
    kasi = staff(people["kasi"])
    away(kasi, JUL(6), JUL(8))
    away(kasi, JUL(7), JUL(10), kind=Absence.Kind.DINAS_LUAR)
    away(kasi, JUL(8), JUL(8), kind=Absence.Kind.IZIN)
    got = one(office, kasi, *TWO_WEEKS)
    assert (got.working_days, got.absent_days, got.present_days) == (10, 5, 5)


def test_absences_partly_outside_the_period_count_inside_it_only(office, people):
    """Diklat Wed 1 – Tue 7 July: Mon 6 and Tue 7 in the period; cuti Thu 16 – Wed 22: Thu 16 and
    Fri 17; a cuti in June: nothing. 2 + 2 = 4 of 10."""
    sekcam = staff(people["sekcam"])
    away(sekcam, JUL(1), JUL(7), kind=Absence.Kind.DIKLAT)
    away(sekcam, JUL(16), JUL(22))
    away(sekcam, D(2026, 6, 22), D(2026, 6, 26))
    got = one(office, sekcam, *TWO_WEEKS)
    assert (got.working_days, got.absent_days, got.present_days) == (10, 4, 6)


def test_an_absence_covering_the_whole_period_leaves_no_day_present(office, people):
    camat = staff(people["camat"])
    away(camat, D(2026, 6, 29), D(2026, 7, 31))
    assert one(office, camat, *TWO_WEEKS) == Presence(working_days=10, absent_days=10)
    assert one(office, camat, *TWO_WEEKS).present_days == 0


def test_another_offices_absences_are_left_out(office, people):
    """An absence is counted for the office it is recorded in: office B's clerk's cuti does not
    count when office A asks, nor does a row of office B naming office A's clerk (written past
    clean(), as a bad import could)."""
    b = second_office_load()
    front_b = staff_create(office=b, username="taman.petugas", role=Role.FRONT_OFFICE, password=PASSWORD)
    front_a = staff(people["front"])
    away(front_b, JUL(6), JUL(10))
    Absence.objects.create(office=b, staff=front_a, kind=Absence.Kind.CUTI, start=JUL(13), end=JUL(17))
    got = presence(office_id=office.pk, start=TWO_WEEKS[0], end=TWO_WEEKS[1], staff_ids=[front_a.pk, front_b.pk])
    assert got == {front_a.pk: Presence(10, 0), front_b.pk: Presence(10, 0)}
    assert one(b, front_b, *TWO_WEEKS) == Presence(10, 5)  # office B's own count has it


def test_end_before_start_gives_zeros_without_a_query(office, people, django_assert_num_queries):
    front = staff(people["front"])
    away(front, JUL(6), JUL(10))
    with django_assert_num_queries(0):
        got = presence(office_id=office.pk, start=JUL(10), end=JUL(6), staff_ids=[front.pk])
    assert got == {front.pk: Presence(0, 0)} and got[front.pk].present_days == 0


def test_one_day_period_and_every_id_given_is_a_key(office, people):
    front, kasi = staff(people["front"]), staff(people["kasi"])
    away(front, JUL(7), JUL(7))
    got = presence(office_id=office.pk, start=JUL(7), end=JUL(7), staff_ids=iter([front.pk, kasi.pk, front.pk]))
    assert got == {front.pk: Presence(1, 1), kasi.pk: Presence(1, 0)}
    assert presence(office_id=office.pk, start=JUL(11), end=JUL(12), staff_ids=[front.pk]) == {front.pk: Presence(0, 0)}
    assert presence(office_id=office.pk, start=JUL(6), end=JUL(10), staff_ids=[]) == {}


def test_two_queries_whatever_the_staff_and_absences(office, people, django_assert_num_queries):
    """The office's holidays once and the overlapping absences once, for the whole staff."""
    everyone = [staff(u) for u in people.values()]
    for n, who in enumerate(everyone):
        away(who, JUL(6 + n % 5), JUL(8 + n % 5))
    with django_assert_num_queries(2):
        got = presence(office_id=office.pk, start=JUL(1), end=JUL(31), staff_ids=[s.pk for s in everyone])
    assert len(got) == len(everyone) and all(p.working_days == 23 for p in got.values())


# --- the model -----------------------------------------------------------------------------------

def test_clean_refuses_an_end_before_the_start_in_indonesian(office, people):
    bad = Absence(office=office, staff=staff(people["front"]), kind=Absence.Kind.CUTI, start=JUL(8), end=JUL(7))
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert err.value.message_dict == {"end": ["Tanggal sampai tidak boleh sebelum tanggal mulai."]}


def test_the_database_refuses_an_end_before_the_start(office, people):
    with pytest.raises(IntegrityError), transaction.atomic():
        Absence.objects.create(office=office, staff=staff(people["front"]), kind=Absence.Kind.IZIN,
                               start=JUL(8), end=JUL(7))
    assert not Absence.objects.exists()


def test_clean_refuses_a_staff_member_of_another_office(office, people):
    b = second_office_load()
    bad = Absence(office=b, staff=staff(people["front"]), kind=Absence.Kind.SAKIT, start=JUL(7), end=JUL(7))
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert err.value.message_dict == {"staff": ["Pegawai yang tidak hadir harus pegawai kantor kecamatan ini."]}


def test_a_one_day_absence_of_the_offices_own_staff_is_valid(office, people):
    ok = Absence(office=office, staff=staff(people["front"]), kind=Absence.Kind.DINAS_LUAR, start=JUL(7),
                 end=JUL(7), note="Surat tugas 094/15/2026")
    ok.full_clean()
    assert str(ok) == "Dinas luar 07-07-2026 s.d. 07-07-2026"


# --- the admin: an office's Admin keeps its own office's absences ---------------------------------

def test_the_absence_admin_offers_only_the_admins_own_offices_staff(two_offices):
    from django.contrib import admin
    from django.test import RequestFactory

    model_admin = admin.site._registry[Absence]
    request = RequestFactory().get("/")
    request.user = two_offices.people["admin_b"]
    field = model_admin.formfield_for_foreignkey(Absence._meta.get_field("staff"), request)
    offered = set(field.queryset)
    assert two_offices.staff("front_b") in offered
    assert not offered & {two_offices.staff("sekcam"), two_offices.staff("camat")}  # office A's staff


def test_an_office_admin_records_an_absence_of_its_own_staff_and_not_of_another_office(two_offices, client):
    from django.urls import reverse

    client.force_login(two_offices.people["admin_b"])
    add = reverse("admin:offices_absence_add")
    form = {"office": two_offices.b.pk, "kind": "cuti", "start": "2026-07-13", "end": "2026-07-14",
            "note": "800/3/2026"}
    before = Absence.objects.count()
    refused = client.post(add, {**form, "staff": two_offices.staff("camat").pk})  # office A's Camat
    assert refused.status_code == 200 and "staff" in refused.context["adminform"].form.errors
    backwards = client.post(add, {**form, "staff": two_offices.staff("front_b").pk, "end": "2026-07-10"})
    assert backwards.context["adminform"].form.errors["end"] == ["Tanggal sampai tidak boleh sebelum tanggal mulai."]
    assert Absence.objects.count() == before
    done = client.post(add, {**form, "staff": two_offices.staff("front_b").pk})
    assert done.status_code == 302
    row = Absence.objects.get(note="800/3/2026")
    assert (row.office, row.staff) == (two_offices.b, two_offices.staff("front_b"))
    listed = client.get(reverse("admin:offices_absence_changelist")).context["cl"].result_list
    assert {a.office_id for a in listed} == {two_offices.b.pk}
