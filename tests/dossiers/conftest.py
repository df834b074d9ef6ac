import datetime as dt

import pytest

from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create


@pytest.fixture
def office(mini_standard):
    roles_sync()
    return mini_standard.office


@pytest.fixture
def people(office):
    """One account per role in the mini office, plus a Kasi of another unit."""
    pem = Unit.objects.get(office=office, code="pemerintahan")
    umum = Unit.objects.get(office=office, code="umum")
    make = lambda username, role, unit=None: staff_create(
        office=office, username=username, role=role, unit=unit, password="x-Pass-12345", full_name=username.title()
    ).user
    return {
        "front": make("petugas", Role.FRONT_OFFICE),
        "kasi": make("kasi.pem", Role.KASI, pem),
        "kasi_other": make("kasi.umum", Role.KASI, umum),
        "sekcam": make("sekcam", Role.SEKCAM),
        "camat": make("camat", Role.CAMAT),
        "bendahara": make("bendahara", Role.BENDAHARA, umum),
        "ppat": make("ppat", Role.PPAT_OFFICER),
        "admin": make("admin", Role.ADMIN),
    }


def applicant_data(**over):
    """A valid applicant of the mini office: a woman born 5 August 1990 (day + 40 = 45)."""
    data = {
        "nik": "3577014508900001", "kk_number": "3577010101100002", "name": "Siti Aminah",
        "birth_date": dt.date(1990, 8, 5), "sex": "P", "marital_status": "kawin", "address": "Jl. Contoh 1",
        "rt": "1", "rw": "2", "kelurahan": "35.77.09.1001", "phone": "081234567890", "email": "",
    }
    data.update(over)
    return data


@pytest.fixture
def all_items(office):
    """Every requirement of the 'pindah' service ticked present and with the original shown."""
    from loket.catalog.models import Requirement

    ids = list(Requirement.objects.filter(service__code="pindah", service__edition__office=office).values_list("pk", flat=True))
    return ids
