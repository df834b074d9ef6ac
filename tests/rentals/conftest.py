"""The Kartoharjo office as ``loket setup`` leaves it (the bundled standard with the hall's
tariff, the venue it describes) and one account per role that matters for the hall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from loket.catalog.services import standard_load
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.rentals.services import venues_default_create


@pytest.fixture
def hall_office(db):
    roles_sync()
    office = standard_load().office
    assert venues_default_create(office=office) == 1
    return office


@pytest.fixture
def clerks(hall_office):
    umum = Unit.objects.get(office=hall_office, code="umum")
    pem = Unit.objects.get(office=hall_office, code="pemerintahan")

    def make(username, role, unit=None):
        return staff_create(office=hall_office, username=username, role=role, unit=unit,
                            password="x-Pass-12345", full_name=username.title()).user

    return {
        "bendahara": make("bendahara", Role.BENDAHARA, umum),
        "kasubbag": make("kasubbag.umum", Role.KASI, umum),
        "kasi": make("kasi.pem", Role.KASI, pem),
        "front": make("petugas", Role.FRONT_OFFICE),
        "sekcam": make("sekcam", Role.SEKCAM),
        "camat": make("camat", Role.CAMAT),
        "ppat": make("ppat", Role.PPAT_OFFICER),
        "admin": make("admin", Role.ADMIN),
    }


def next_month(day: int = 10) -> dt.date:
    today = timezone.localdate()
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first.replace(day=day)


def order(**over) -> dict:
    data = {"date": next_month().isoformat(), "session": "sehari", "channel": "surat", "renter_type": "opd",
            "renter_name": "Drs. Bambang", "organisation": "Dinas Pendidikan Kota Madiun", "phone": "081234567890",
            "event": "Rapat koordinasi kepala sekolah", "attendance": "150", "cleaning": True, "parking": True}
    data.update(over)
    return data
