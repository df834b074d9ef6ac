"""Deed cases taken through the real acts of loket.deeds.services with the clock moved
(``timezone.now`` patched), so that the sidang lies in the past when the Camat signs; and a
registered deed of another office. Shared by the deed papers and report tests."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from loket.catalog.models import Edition, ServiceType
from loket.deeds import services
from loket.deeds.models import Case, Party
from loket.offices.models import Kelurahan, Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.deeds.taxes import pbb_years, taxes_needed
from tests.deeds.conftest import certificate_checked


JKT = ZoneInfo("Asia/Jakarta")
BPHTB, PPH = 4_500_000, 3_750_000


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JKT)


@contextmanager
def clock_at(when: dt.datetime):
    """Every ``timezone.now()`` (and so ``localdate()``) reads ``when`` inside the block."""
    with mock.patch("loket.deeds.services.timezone.now", lambda: when):
        yield


def requirements(office) -> list[int]:
    service = ServiceType.objects.get(edition__office=office, edition__status=Edition.Status.ACTIVE, code="ppat")
    return list(service.requirements.values_list("pk", flat=True))


def intake(office, officials, data, *, when: dt.datetime, present=None) -> Case:
    everything = requirements(office)
    with clock_at(when):
        return services.case_intake(office=office, actor=officials["front"], data=data,
                                    present=everything if present is None else present, originals=everything)


def registered(office, officials, data, *, sidang: dt.datetime, registered_at: dt.datetime | None = None,
               stop: str = "registered") -> Case:
    """A case through the whole procedure: intake two days before the sidang (complete),
    forward, the PBB receipts and the SSB/SSP the office's rules ask for, validation, the sidang
    at ``sidang``, the Camat's signature 5 minutes into it and the register entry at
    ``registered_at`` (an hour after the sidang starts). ``stop`` ends earlier: "validated",
    "scheduled" or "signed"."""
    before = sidang - dt.timedelta(days=2)
    case = intake(office, officials, data, when=before)
    assert case.state == Case.State.RECEIVED
    with clock_at(before + dt.timedelta(minutes=10)):
        services.case_forward(code=case.code, actor=officials["front"])
        for year in pbb_years(case):
            services.taxproof_record(code=case.code, actor=officials["ppat"], kind="pbb", year=year,
                                     number=f"STTS-{year}", paid_on=dt.date(year, 8, 1), amount=250_000)
        paid = before.date() - dt.timedelta(days=3)
        for tax in taxes_needed(case):
            services.taxproof_record(code=case.code, actor=officials["ppat"], kind=tax, number=f"{tax.upper()}-1",
                                     paid_on=paid, amount=BPHTB if tax == "bphtb" else PPH)
        services.case_validate(code=case.code, actor=officials["kasi_pem"])
        if stop == "validated":
            return Case.objects.get(pk=case.pk)
        certificate_checked(case, officials["ppat"])
        services.signing_schedule(code=case.code, actor=officials["ppat"], data={
            "starts_at": sidang, "minutes": 30, "place": "Ruang Camat", "witness_1": "Saksi Satu",
            "witness_2": "Saksi Dua"})
    if stop == "scheduled":
        return Case.objects.get(pk=case.pk)
    with clock_at(sidang + dt.timedelta(minutes=5)):
        services.case_sign(code=case.code, actor=officials["camat"])
    if stop == "signed":
        return Case.objects.get(pk=case.pk)
    with clock_at(registered_at or sidang + dt.timedelta(hours=1)):
        services.case_register(code=case.code, actor=officials["ppat"])
    return Case.objects.get(pk=case.pk)


def other_office_case(deed_office, *, at: dt.datetime, code: str = "LAINLAIN") -> Case:
    """A registered deed of another office (written directly: that office has no standard)."""
    from django.db import transaction

    from loket.registers.models import RegisterBook
    from loket.registers.services import register_entry_add

    office = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Lain")
    kel = Kelurahan.objects.create(office=office, code="35.77.99.1001", name="Kelurahan Rahasia")
    clerk = staff_create(office=office, username="ppat.lain", role=Role.PPAT_OFFICER, password="x-Pass-12345",
                         full_name="Petugas Lain").user
    service = ServiceType.objects.get(edition__office=deed_office, code="ppat")
    with transaction.atomic():
        entry = register_entry_add(office_id=office.pk, kind=RegisterBook.Kind.PPAT, actor=clerk, at=at,
                                   subject="Akta Jual Beli lain", name="Pihak Lain", reference=code)
        case = Case.objects.create(
            office=office, code=code, service=service, deed_kind="jual_beli", state=Case.State.REGISTERED,
            land_title="shm", land_reference="SHM No. 1/Rahasia", kelurahan=kel, area_m2=99,
            nop="357799000100100010", njop=1, value=777_000_000, fee_rate=1, fee=0, received_at=at,
            received_by=clerk, signed_by=clerk, signed_at=at, register_entry=entry)
    Party.objects.create(case=case, role="penjual", name="Penjual Rahasia", nik="3577990101800001")
    return case
