"""The Kartoharjo office as ``loket setup`` leaves it for deeds (the bundled standard with
service 17, the default tax rules and fee setting) and one account per role in the flow."""

from __future__ import annotations

import pytest

from loket.catalog.services import standard_load
from loket.deeds.services import tax_rules_default_create
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create

NIKS = ["3577015708900001", "3577011203850002", "3577014101700003", "3577012505950004", "3577016606920005",
        "3577010707880006"]


@pytest.fixture
def deed_office(db):
    roles_sync()
    office = standard_load().office
    tax_rules_default_create(office=office)
    return office


@pytest.fixture
def officials(deed_office):
    def unit(code):
        return Unit.objects.get(office=deed_office, code=code)

    def make(username, role, unit_=None):
        return staff_create(office=deed_office, username=username, role=role, unit=unit_,
                            password="x-Pass-12345", full_name=username.title()).user

    return {
        "front": make("petugas", Role.FRONT_OFFICE),
        "ppat": make("ppat", Role.PPAT_OFFICER, unit("ppat")),
        "kasi_pem": make("kasi.pemerintahan", Role.KASI, unit("pemerintahan")),
        "kasi_other": make("kasi.kesos", Role.KASI, unit("kesos")),
        "sekcam": make("sekcam", Role.SEKCAM),
        "camat": make("camat", Role.CAMAT),
        "bendahara": make("bendahara", Role.BENDAHARA, unit("umum")),
        "admin": make("admin", Role.ADMIN),
    }


def sale(**over) -> dict:
    """A jual beli of a Letter C parcel in Oro-oro Ombo for Rp 150 juta."""
    data = {
        "deed_kind": "jual_beli", "land_title": "letter_c", "land_reference": "Letter C No. 1234 Persil 56",
        "kelurahan": "35.77.01.1001", "land_address": "Jl. Salak III", "area_m2": 250,
        "nop": "35.77.010.001.001-0001.0", "njop": 120_000_000, "value": 150_000_000,
        "parties": [
            {"role": "penjual", "name": "Siti Aminah", "nik": NIKS[0], "address": "Jl. Salak III/5"},
            {"role": "pembeli", "name": "Budi Santoso", "nik": NIKS[1], "address": "Jl. Apel 2"},
        ],
    }
    data.update(over)
    return data


def inheritance(**over) -> dict:
    """A waris: the late Sarno leaves a certified parcel to his widow and two children."""
    data = {
        "deed_kind": "waris", "land_title": "shm", "land_reference": "SHM No. 789/Klegen",
        "kelurahan": "35.77.01.1003", "area_m2": 180, "nop": "357701000300200030", "njop": 90_000_000,
        "value": 90_000_000,
        "parties": [
            {"role": "pewaris", "name": "Sarno (alm.)", "nik": NIKS[2]},
            {"role": "ahli_waris", "name": "Sumini", "nik": NIKS[3], "share": "1/2"},
            {"role": "ahli_waris", "name": "Joko", "nik": NIKS[4], "share": "1/4"},
            {"role": "ahli_waris", "name": "Wati", "nik": NIKS[5], "share": "1/4",
             "proxy_name": "Joko", "proxy_letter": "Surat kuasa 12 November 2026"},
        ],
    }
    data.update(over)
    return data
