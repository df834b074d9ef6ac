"""Two offices on one install, each with a row of every model its Admin keeps in the admin.

Office A is the mini office of tests/conftest.py (``office``, ``people``: one account per
role); office B ("Kecamatan Taman") is the same mini standard copied for another kecamatan,
with its own Admin and front-office clerk. Both get a draft edition, complaint categories,
deed tax rules and setting, a venue and a local holiday; one national holiday is shared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from loket.catalog.services import edition_copy, standard_load
from loket.complaints.services import categories_default_create
from loket.site.demo import standard_for_office
from loket.deeds.services import tax_rules_default_create
from loket.offices.models import Absence, ActingAppointment, Holiday, Office, Staff, Unit
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.deeds.models import PpatAppointment
from loket.rentals.models import HallTreasury, Venue
from tests.conftest import MINI_STANDARD

PASSWORD = "x-Pass-12345"  # tests/conftest.py's people
TAMAN = {
    "slug": "taman", "region_code": "35.77.03", "name": "Kecamatan Taman", "city": "Kota Madiun",
    "head": {"title": "Camat Taman", "name": "Contoh"},
}


def second_office_load(path=MINI_STANDARD) -> Office:
    """The mini standard copied for Kecamatan Taman (units, kelurahan, an active edition)."""
    data = standard_for_office(path=path, office=TAMAN, kelurahan=[("35.77.03.1001", "Mojorejo")])
    return standard_load(path=path, data=data).office


def office_rows(office: Office, *, holiday_day: dt.date) -> None:
    """A row of every model an office's Admin keeps, besides what loading the standard made."""
    edition_copy(edition=office.editions.get(), year=2019)  # a draft: service types can be added
    categories_default_create(office=office)
    tax_rules_default_create(office=office)  # also the deed Setting
    Venue.objects.create(office=office, code="aula", name=f"Aula {office.name}", capacity=100)
    HallTreasury.objects.create(office=office, deposit_working_days=1, kas_daerah=f"Kas Daerah {office.city}")
    Holiday.objects.create(office=office, date=holiday_day, kind=Holiday.Kind.LOCAL, name=f"Hari jadi {office.name}")


def acting_row(office: Office, user) -> None:
    """A Plt. of the Camat, an SK PPAT Sementara and an absence (each names a staff member of the
    office, so they come after the accounts)."""
    ActingAppointment.objects.create(office=office, post="camat", user=user, kind="plt", decree_number="800/1/2026",
                                     decree_date=dt.date(2026, 6, 1), starts=dt.date(2026, 6, 1))
    # and an SK PPAT Sementara (names a staff member of the office, too)
    PpatAppointment.objects.create(office=office, staff=Staff.objects.get(user=user), decree_number="590/1/2026",
                                   decree_date=dt.date(2026, 6, 1), area=office.name, valid_from=dt.date(2026, 6, 1))
    # and a staff member's absence (ketidakhadiran pegawai)
    Absence.objects.create(office=office, staff=Staff.objects.get(user=user), kind=Absence.Kind.CUTI,
                           start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 8), note="800/2/2026")
    # and its register of processing and privacy officer (the public privacy notice)
    from loket.privacy.models import Officer, RetentionRun
    from loket.privacy.retention_defaults import retention_defaults_create
    from loket.privacy.services import register_default_create

    register_default_create(office=office)
    Officer.objects.create(office=office, user=user, name="Pejabat PDP", position="Kasubbag Umum",
                           email="ppdp@example.go.id")
    # and its retention periods and one retention run (read-only in the admin)
    retention_defaults_create(office=office)
    RetentionRun.objects.create(office=office, at=timezone.now(), by="uji", counts={})


@dataclass
class TwoOffices:
    a: Office
    b: Office
    people: dict  # office A: the ``people`` fixture; office B: admin_b, front_b, kasi_b
    national: Holiday

    def staff(self, who: str) -> Staff:
        return Staff.objects.get(user=self.people[who])


@pytest.fixture
def two_offices(office, people) -> TwoOffices:
    b = second_office_load()
    office_rows(office, holiday_day=dt.date(2026, 6, 1))
    office_rows(b, holiday_day=dt.date(2026, 6, 2))
    national = Holiday.objects.get_or_create(date=dt.date(2026, 8, 17), office=None,
                                             defaults={"kind": Holiday.Kind.NATIONAL, "name": "Hari Kemerdekaan"})[0]
    pem_b = Unit.objects.get(office=b, code="pemerintahan")
    make = lambda username, role, unit=None: staff_create(
        office=b, username=username, role=role, unit=unit, password=PASSWORD, full_name=username.title()
    ).user
    everyone = {
        **people,
        "admin_b": make("taman.admin", Role.ADMIN),
        "front_b": make("taman.petugas", Role.FRONT_OFFICE),
        "kasi_b": make("taman.kasi", Role.KASI, pem_b),
    }
    acting_row(office, people["sekcam"])
    acting_row(b, everyone["kasi_b"])
    return TwoOffices(a=office, b=b, people=everyone, national=national)


@pytest.fixture
def superuser(db):
    """The platform superuser as ``loket createsuperuser`` makes it: no Staff row."""
    return get_user_model().objects.create_superuser(username="platform", password=PASSWORD, email="")
