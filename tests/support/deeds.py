"""Deeds (akta tanah) on the mini office of the harness: service 17 of the bundled standard added
to its edition (``mini_deeds``), and a case brought to any state through the real acts
(``deed_case``). Shared by the deed API tests, the authorization matrix, the query budgets and
schemathesis."""

from __future__ import annotations

import contextlib
import datetime as dt
from unittest import mock

from django.utils import timezone

from loket.catalog.models import Edition, Requirement, ServiceType
from loket.catalog.standard_file import DEFAULT_STANDARD, parse_standard_file
from loket.deeds import selectors
from loket.deeds import inputs as deed_inputs, services as deed_services
from loket.deeds.policy import VALIDATOR_UNIT
from loket.deeds.models import Case, Signing
from loket.offices.calendar import holidays_for_office, is_working_day
from loket.offices.models import Unit
from tests.deeds.conftest import sale
from loket.deeds.taxes import pbb_years, taxes_missing, taxes_needed

C = Case.State


def mini_deeds(office) -> ServiceType:
    """Service 17 of the bundled standard (akta tanah, its checklist and standard time) added to
    ``office``'s active edition, with the default tax rules. The edition is read-only through
    save(); bulk_create writes this test data around that lock (as tests/perf does)."""
    edition = office.editions.get(status=Edition.Status.ACTIVE)
    found = ServiceType.objects.filter(edition=edition, code=deed_services.SERVICE_CODE).first()
    if found is None:
        spec = next(s for s in parse_standard_file(DEFAULT_STANDARD).services if s.code == deed_services.SERVICE_CODE)
        number = (ServiceType.objects.filter(edition=edition).order_by("-number")
                  .values_list("number", flat=True).first() or 0) + 1
        [found] = ServiceType.objects.bulk_create([ServiceType(
            edition=edition, number=number, code=spec.code, name=spec.name, short_name=spec.short_name,
            unit=Unit.objects.get(office=office, code=VALIDATOR_UNIT), signer=spec.signer,
            register_book=spec.register_book, product=spec.product, forwarded_to=spec.forwarded_to,
            legal_basis=spec.legal_basis, duration_min=spec.duration.min, duration_max=spec.duration.max,
            duration_unit=spec.duration.unit, duration_text=spec.duration.text, fee_kind=spec.fee.kind,
            fee_text=spec.fee.text, fee_percent_cap=spec.fee.percent, fee_notes=spec.fee.notes,
            internal_oversight=spec.internal_oversight, complaint_handling=spec.complaint_handling.model_dump(),
            staffing=spec.staffing, service_guarantee=spec.service_guarantee,
            security_guarantee=spec.security_guarantee)])
        Requirement.objects.bulk_create(Requirement(service=found, order=i, **r.model_dump())
                                        for i, r in enumerate(spec.requirements, 1))
    deed_services.tax_rules_default_create(office=office)
    from tests.deeds.conftest import office_rate_one_percent

    if found.pk and not getattr(office, "_rate_set", False):  # once: a test may change the rate after
        office_rate_one_percent(office)
        office._rate_set = True
    appoint_camats(office)
    return found


def appoint_camats(office) -> None:
    """An SK PPAT Sementara for every Camat of the office that has none (without one a Camat cannot
    sign a deed)."""
    from loket.deeds.models import PpatAppointment
    from loket.offices.models import Staff
    from loket.offices.roles import Role

    for staff in Staff.objects.filter(office=office, role=Role.CAMAT).exclude(ppat_appointments__isnull=False):
        PpatAppointment.objects.create(office=office, staff=staff, decree_number="590/1/2020", decree_date=dt.date(2020, 1, 1),
                                       area=office.name, valid_from=dt.date(2020, 1, 1))


def mini_sale(**over) -> dict:
    """tests/deeds/conftest.sale() with a kelurahan of the mini office."""
    return sale(**{"kelurahan": office_kelurahan(), **over})


def office_kelurahan() -> str:
    return "35.77.09.1001"


def all_items(office) -> list[int]:
    """Every requirement of service 17 (the checklist ignores those that do not apply)."""
    return list(Requirement.objects.filter(service__edition__office=office, service__edition__status="active",
                                           service__code=deed_services.SERVICE_CODE).values_list("pk", flat=True))


def sidang_slot(office, minutes: int = 60, *, not_before: dt.date | None = None) -> dt.datetime:
    """The first half hour, from the third day ahead on (a working day of the office, 07.30–15.30),
    at which the Camat is free for ``minutes``."""
    tz = timezone.get_default_timezone()
    day = not_before or timezone.localdate() + dt.timedelta(days=3)
    while True:
        if is_working_day(day, holidays_for_office(office.pk, years=[day.year])):
            for k in range(16):
                start = timezone.make_aware(dt.datetime.combine(day, dt.time(7, 30)) + k * deed_services.SLOT, tz)
                end = start + dt.timedelta(minutes=minutes)
                if (timezone.localtime(end).time() <= deed_inputs.SIGNING_HOURS[1]
                        and not selectors.camat_busy(office=office, start=start, end=end)):
                    return start
        day += dt.timedelta(days=1)


def sidang_form(start: dt.datetime, minutes: int = 60) -> dict:
    return {"starts_at": f"{timezone.localtime(start):%Y-%m-%d %H:%M}", "minutes": minutes,
            "place": "Ruang Camat", "witness_1": "Sri Wahyuni", "witness_2": "Agus Salim"}


def at(when: dt.datetime):
    """Run as if it were ``when`` (the Camat signs once the sidang has begun)."""
    return mock.patch("django.utils.timezone.now", return_value=when)


ORDER = [C.RECEIVED, C.PREPARING, C.VALIDATED, C.SCHEDULED, C.SIGNED, C.REGISTERED, C.HANDED_OVER]


def deed_case(office, actors: dict, state: str, data: dict | None = None, *, taxed: bool = False) -> Case:
    """A case of ``office`` brought to ``state`` through the real acts. ``actors``: the users
    "front", "ppat", "validator" (Kasi Pemerintahan) and "camat" of the office. ``taxed``: a
    case preparing or waiting has all its tax proofs already (so that it can be validated)."""
    items = all_items(office)
    data = data or mini_sale()
    front, ppat = actors["front"], actors["ppat"]
    complete = state != C.RETURNED
    case = deed_services.case_intake(office=office, actor=front, data=data, present=items if complete else [],
                                     originals=items if complete else [])
    code = case.code
    if state == C.WITHDRAWN:
        deed_services.case_withdraw(code=code, actor=front, reason="Pemohon membatalkan jual beli.")
    if state in (C.RETURNED, C.WITHDRAWN):
        return Case.objects.get(pk=case.pk)
    target = C.PREPARING if state == C.WAITING else state
    when = None  # from the signing on, the acts happen at the sidang, five minutes apart
    for step in ORDER[1:ORDER.index(target) + 1]:
        if step == C.SIGNED:
            when = Signing.objects.get(case=case, cancelled=False).starts_at
        if when is not None:
            when += dt.timedelta(minutes=5)
        with at(when) if when else contextlib.nullcontext():
            _step(office, actors, case, step)
    if taxed and target == C.PREPARING:
        _tax_proofs(case, ppat)
    if state == C.WAITING:
        deed_services.case_wait(code=code, actor=ppat, reason="SPPT PBB tahun lalu belum dibawa.")
    case = Case.objects.get(pk=case.pk)
    assert case.state == state, (case.state, state)
    return case


def _step(office, actors: dict, case: Case, step: str) -> None:
    code, front, ppat = case.code, actors["front"], actors["ppat"]
    if step == C.PREPARING:
        deed_services.case_forward(code=code, actor=front)
    elif step == C.VALIDATED:
        if taxes_missing(Case.objects.get(pk=case.pk)):
            _tax_proofs(case, ppat)
        deed_services.case_validate(code=code, actor=actors["validator"])
    elif step == C.SCHEDULED:
        from tests.deeds.conftest import certificate_checked

        certificate_checked(case, ppat)
        deed_services.signing_schedule(code=code, actor=ppat, data=sidang_form(sidang_slot(office)))
    elif step == C.SIGNED:
        deed_services.case_sign(code=code, actor=actors["camat"])
    elif step == C.REGISTERED:
        deed_services.case_register(code=code, actor=ppat)
    elif step == C.HANDED_OVER:
        deed_services.case_handover(code=code, actor=ppat, to="Budi Santoso")


def _tax_proofs(case: Case, ppat) -> None:
    """The PBB receipts of the three years and the SSB/SSP the office's rules ask for."""
    case = Case.objects.get(pk=case.pk)
    for year in pbb_years(case):
        deed_services.taxproof_record(code=case.code, actor=ppat, kind="pbb", year=year, number=f"STTS-{year}",
                                      paid_on=timezone.localdate(), amount=250_000)
    for tax in taxes_needed(case):
        deed_services.taxproof_record(code=case.code, actor=ppat, kind=tax, number=f"NTPD-{tax}",
                                      paid_on=timezone.localdate(), amount=1_000_000)
