"""The Kartoharjo office as ``loket setup`` leaves it for deeds (the bundled standard with
service 17, the default tax rules and fee setting) and one account per role in the flow; the data
of each kind of deed; a second office; the tests' clock (``travel``: every service reads
django.utils.timezone.now); a case brought to any state through the services (``build``); and
``deed_world``, the same office built once per module for modules that override the fixtures."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from loket.catalog.models import Edition, Requirement
from loket.catalog.services import standard_load
from loket.deeds import services
from loket.deeds.models import Case
from loket.deeds.services import tax_rules_default_create
from loket.offices.models import Kelurahan, Office, Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.deeds.taxes import pbb_years, taxes_missing, taxes_needed

NIKS = ["3577015708900001", "3577011203850002", "3577014101700003", "3577012505950004", "3577016606920005",
        "3577010707880006"]


def _world(request):
    """The module's shared ``deed_world`` when the module uses it
    (``pytestmark = pytest.mark.usefixtures("deed_world")``), else None."""
    return request.getfixturevalue("deed_world") if "deed_world" in request.fixturenames else None


@pytest.fixture
def deed_office(request, db):
    if world := _world(request):
        return world.office
    roles_sync()
    office = standard_load().office
    tax_rules_default_create(office=office)
    office_rate_one_percent(office)
    return office


def office_rate_one_percent(office) -> None:
    """The tests' office has set its rate at the cap, 1 % (the default is below it)."""
    from decimal import Decimal

    from loket.deeds.models import Setting

    Setting.objects.update_or_create(office=office, defaults={"fee_rate": Decimal("1")})


def officials_make(office) -> dict:
    """One account per role of the deed flow (and a Kasi of another unit), as ``officials``."""
    def unit(code):
        return Unit.objects.get(office=office, code=code)

    def make(username, role, unit_=None):
        return staff_create(office=office, username=username, role=role, unit=unit_,
                            password="x-Pass-12345", full_name=username.title()).user

    people = {
        "front": make("petugas", Role.FRONT_OFFICE),
        "ppat": make("ppat", Role.PPAT_OFFICER, unit("ppat")),
        "kasi_pem": make("kasi.pemerintahan", Role.KASI, unit("pemerintahan")),
        "kasi_other": make("kasi.kesos", Role.KASI, unit("kesos")),
        "sekcam": make("sekcam", Role.SEKCAM),
        "camat": make("camat", Role.CAMAT),
        "bendahara": make("bendahara", Role.BENDAHARA, unit("umum")),
        "admin": make("admin", Role.ADMIN),
    }
    appoint(office, people["camat"])
    return people


def appoint(office, user, *, valid_from=dt.date(2020, 1, 1), valid_until=None):
    """The Camat's SK PPAT Sementara (without one he cannot sign)."""
    return services.ppat_appointment_record(office=office, staff=user.staff, decree_number="590/12/401.102/2020",
                                            decree_date=valid_from, area=office.name, valid_from=valid_from,
                                            valid_until=valid_until)


@pytest.fixture
def officials(request, deed_office):
    if world := _world(request):
        return world.officials
    return officials_make(deed_office)


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
    """A pembagian hak bersama of an inheritance: the late Sarno leaves a certified parcel to his
    widow and two children."""
    data = {
        "deed_kind": "pembagian", "cause": "warisan", "land_title": "shm", "land_reference": "SHM No. 789/Klegen",
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


# --- more parties, other deeds, another office -----------------------------------------------------

WIB = ZoneInfo("Asia/Jakarta")
# The tests' calendar: intake on Monday 2 March 2026 at 08:00 WIB (PBB years 2023–2025), the sidang
# on Tuesday 10 March 2026 at 09:00. Every service reads django.utils.timezone.now (see ``travel``).
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
SIDANG = dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB)
MORE_NIKS = ["3577011508800007", "3577015512750008", "3577010101600009", "3577014402990010"]


def gift(**over) -> dict:
    """A hibah of a certified parcel from a father to his daughter, Rp 80 juta."""
    data = sale(deed_kind="hibah", land_title="shm", land_reference="SHM No. 55/Sukosari", kelurahan="35.77.01.1002",
                value=80_000_000, parties=[
                    {"role": "pemberi_hibah", "name": "Darmo", "nik": NIKS[2]},
                    {"role": "penerima_hibah", "name": "Ratna", "nik": NIKS[0]},
                ])
    data.update(over)
    return data


def release(**over) -> dict:
    """A penyerahan hak bersama: one co-owner hands his part to the other."""
    data = sale(deed_kind="penyerahan", value=40_000_000, parties=[
        {"role": "penyerah_hak", "name": "Karno", "nik": NIKS[1]},
        {"role": "penerima_hak", "name": "Karni", "nik": NIKS[3]},
    ])
    data.update(over)
    return data


def division(**over) -> dict:
    """A pembagian hak bersama between two co-owners, half each."""
    data = sale(deed_kind="pembagian", value=200_000_000, parties=[
        {"role": "pemegang_hak", "name": "Sugeng", "nik": NIKS[1], "share": "1/2"},
        {"role": "pemegang_hak", "name": "Sugiyem", "nik": NIKS[3], "share": "1/2"},
    ])
    data.update(over)
    return data


def certificate(**over) -> dict:
    """Help with a land certificate: one applicant."""
    data = sale(deed_kind="sertifikat", value=0, parties=[{"role": "pemohon", "name": "Paijo", "nik": NIKS[1]}])
    data.update(over)
    return data


KIND_DATA = {"jual_beli": sale, "hibah": gift, "waris": inheritance, "pembagian": division, "penyerahan": release,
             "sertifikat": certificate}


def checklist(office) -> tuple[list[int], list[int]]:
    """Every requirement of service 17 in force (ids), and those whose original must be shown."""
    reqs = Requirement.objects.filter(service__edition__office=office, service__edition__status=Edition.Status.ACTIVE,
                                      service__code="ppat").order_by("order")
    return ([r.pk for r in reqs], [r.pk for r in reqs if r.show_original])


def other_office_make() -> Office:
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota")
    Kelurahan.objects.create(office=other, code="35.77.99.1001", name="Lain")
    return other


def outsiders_make(other: Office) -> dict:
    def make(username, role):
        return staff_create(office=other, username=username, role=role, password="x-Pass-12345",
                            full_name=username.title()).user

    return {"front": make("petugas.lain", Role.FRONT_OFFICE), "ppat": make("ppat.lain", Role.PPAT_OFFICER),
            "camat": make("camat.lain", Role.CAMAT)}


@pytest.fixture
def other_office(request, db):
    """A second kecamatan, with a kelurahan (its staff: ``outsiders``)."""
    if world := _world(request):
        return world.other_office
    roles_sync()
    return other_office_make()


@pytest.fixture
def outsiders(request, other_office):
    """A front office, a Petugas PPAT and a Camat of the second kecamatan."""
    if world := _world(request):
        return world.outsiders
    return outsiders_make(other_office)


@pytest.fixture(scope="module")
def deed_world(django_db_setup, django_db_blocker):
    """``deed_office``, ``officials``, ``other_office`` and ``outsiders`` built once for a module,
    inside an outer transaction rolled back at its end (each test still runs in its own savepoint
    when it asks for ``db``). A module uses it with::

        pytestmark = pytest.mark.usefixtures("deed_world")

    (module scope: pytest sets it up before each test's ``db``), and the four fixtures return
    its objects.

    Not for a module with ``transaction=True`` tests: their data must be committed."""
    from types import SimpleNamespace

    from django.db import transaction
    from django.test import override_settings

    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=md5):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            roles_sync()
            office = standard_load().office
            tax_rules_default_create(office=office)
            office_rate_one_percent(office)
            other = other_office_make()
            yield SimpleNamespace(office=office, officials=officials_make(office), other_office=other,
                                  outsiders=outsiders_make(other))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- the clock of the tests ---------------------------------------------------------------------

class Travel:
    """travel.to(moment) makes django.utils.timezone.now() return ``moment`` for every module that
    calls it (services, registers, auto_now); travel.by(delta) moves it on."""

    def __init__(self, monkeypatch):
        self.now = T0
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def to(self, moment: dt.datetime) -> dt.datetime:
        self.now = moment
        return moment

    def by(self, **delta) -> dt.datetime:
        self.now = self.now + dt.timedelta(**delta)
        return self.now


@pytest.fixture
def travel(monkeypatch):
    return Travel(monkeypatch)


# --- a case brought to a state through the services -------------------------------------------------

def signing_data(starts_at: dt.datetime | str = SIDANG, minutes=60, **over) -> dict:
    data = {"starts_at": starts_at, "minutes": minutes, "place": "Ruang Camat Kartoharjo",
            "witness_1": "Hadi Susanto", "witness_2": "Sri Wahyuni"}
    data.update(over)
    return data


def proofs_record(case, actor, *, when: dt.date | None = None) -> None:
    """Every tax proof the case needs: PBB of each of its three years, and the SSB/SSP of its rules."""
    when = when or timezone.localdate()
    for year in pbb_years(case):
        services.taxproof_record(code=case.code, actor=actor, kind="pbb", year=year, number=f"STTS-{year}",
                                 paid_on=when, amount=150_000)
    for tax in taxes_needed(case):
        services.taxproof_record(code=case.code, actor=actor, kind=tax, number=f"NTPD-{tax}", paid_on=when,
                                 amount=2_500_000)
    assert taxes_missing(case) == []


def certificate_checked(case, actor) -> None:
    """A passing check of the certificate at the land office (the Camat signs only after one),
    written directly: the act itself is tested on its own (tests/deeds/test_ppat.py)."""
    from loket.deeds.models import CertificateCheck

    CertificateCheck.objects.create(case=case, checked_on=timezone.localdate(), result="sesuai", recorded_by=actor,
                                    recorded_at=timezone.now())


def intake(office, people, data=None, *, complete=True):
    """A case taken in at the counter by the front office, complete (received) or with nothing
    ticked (returned)."""
    present, originals = checklist(office) if complete else ([], [])
    return services.case_intake(office=office, actor=people["front"], data=data or sale(), present=present,
                                originals=originals)


STATE_ORDER = ("received", "preparing", "validated", "scheduled", "signed", "registered", "handed_over")


def build(office, people, state: str, data=None, *, travel: Travel, start: dt.datetime = T0,
          sidang: dt.datetime = SIDANG, minutes: int = 60):
    """A case brought to ``state`` through the services, from ``start``. 'preparing' and 'waiting'
    have every tax proof recorded (so that it can be validated); 'withdrawn' is withdrawn when
    received; 'signed' and later leave the time at the start of the sidang."""
    travel.to(start)
    case = intake(office, people, data, complete=state != "returned")
    if state == "withdrawn":
        services.case_withdraw(code=case.code, actor=people["front"], reason="Pemohon membatalkan")
    elif state not in ("received", "returned"):
        code = case.code
        services.case_forward(code=code, actor=people["front"])
        travel.by(hours=1)
        proofs_record(case, people["ppat"])
        if state == "waiting":
            services.case_wait(code=code, actor=people["ppat"], reason="Menunggu surat nikah pewaris")
        goal = STATE_ORDER.index(state) if state in STATE_ORDER else 1
        if goal >= STATE_ORDER.index("validated"):
            services.case_validate(code=code, actor=people["kasi_pem"])
        if goal >= STATE_ORDER.index("scheduled"):
            certificate_checked(case, people["ppat"])
            services.signing_schedule(code=code, actor=people["ppat"], data=signing_data(sidang, minutes))
        if goal >= STATE_ORDER.index("signed"):
            travel.to(sidang)
            services.case_sign(code=code, actor=people["camat"])
        if goal >= STATE_ORDER.index("registered"):
            services.case_register(code=code, actor=people["ppat"])
        if goal >= STATE_ORDER.index("handed_over"):
            services.case_handover(code=code, actor=people["ppat"], to="Pemohon")
    case = Case.objects.get(pk=case.pk)
    assert case.state == state
    return case
