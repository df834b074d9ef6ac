"""The PPAT duties of the Camat as PPAT Sementara (issue 17): the SK PPAT Sementara without which
no deed is signed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from loket.deeds import policy, services
from loket.deeds.models import Case, PpatAppointment
from tests.deeds.conftest import SIDANG, build, sale

pytestmark = pytest.mark.usefixtures("deed_world")
S = Case.State


def test_the_camat_signs_only_under_an_sk_valid_on_the_day(deed_office, officials, travel):
    """PP 37/1998 Pasal 5 ayat (3): the Camat acts as PPAT Sementara by appointment."""
    case = build(deed_office, officials, "scheduled", sale(), travel=travel)
    travel.to(SIDANG)
    sk = PpatAppointment.objects.get(staff=officials["camat"].staff)
    PpatAppointment.objects.filter(pk=sk.pk).update(valid_until=SIDANG.date() - dt.timedelta(days=1))
    assert "sign" not in policy.acts_allowed(case, officials["camat"])
    # the Camat's screen says why, from the act table; nobody else is told
    assert policy.ppat_missing(case, officials["camat"]) == str(policy.NOT_APPOINTED)
    assert policy.ppat_missing(case, officials["ppat"]) == ""
    with pytest.raises(PermissionDenied) as exc:
        services.case_sign(code=case.code, actor=officials["camat"])
    assert "belum ditunjuk sebagai PPAT Sementara" in str(exc.value)
    assert Case.objects.get(pk=case.pk).state == S.SCHEDULED
    PpatAppointment.objects.filter(pk=sk.pk).update(valid_until=None)
    assert policy.ppat_missing(case, officials["camat"]) == ""
    signed = services.case_sign(code=case.code, actor=officials["camat"])
    assert signed.appointment_id == sk.pk


def test_an_sk_names_staff_of_the_office(deed_office, officials, outsiders):
    with pytest.raises(Exception) as exc:
        services.ppat_appointment_record(office=deed_office, staff=outsiders["camat"].staff, decree_number="1",
                                         decree_date=dt.date(2026, 1, 1), area="x", valid_from=dt.date(2026, 1, 1))
    assert "bukan pegawai kantor ini" in str(exc.value.errors)


def test_no_signature_without_a_passing_certificate_check(deed_office, officials, travel):
    """PP 24/1997 Pasal 39 ayat (1): the PPAT refuses to make the deed when the certificate does not
    match the land office's registers; the latest check decides, and the sign button follows."""
    from loket.core.errors import WrongState
    from loket.deeds.models import CertificateCheck

    case = build(deed_office, officials, "scheduled", sale(), travel=travel)
    CertificateCheck.objects.filter(case=case).delete()
    travel.to(SIDANG)
    assert "sign" not in policy.acts_allowed(case, officials["camat"])
    assert "belum dicek" in policy.acts_waiting(case, officials["camat"])["sign"]
    with pytest.raises(WrongState, match="belum dicek di Kantor Pertanahan"):
        services.case_sign(code=case.code, actor=officials["camat"])
    services.certificate_check_record(code=case.code, actor=officials["ppat"], checked_on="2026-03-09",
                                      result="tidak_sesuai", note="Nama pemegang hak berbeda")
    with pytest.raises(WrongState, match="tidak sesuai dengan daftar"):
        services.case_sign(code=case.code, actor=officials["camat"])
    services.certificate_check_record(code=case.code, actor=officials["ppat"], checked_on="2026-03-10", result="sesuai")
    assert services.case_sign(code=case.code, actor=officials["camat"]).state == S.SIGNED


def test_a_failing_check_needs_its_note_and_nothing_is_saved(deed_office, officials, travel):
    from loket.core.errors import InvalidInput

    case = build(deed_office, officials, "preparing", sale(), travel=travel)
    before = case.transitions.count()
    with pytest.raises(InvalidInput) as exc:
        services.certificate_check_record(code=case.code, actor=officials["ppat"], checked_on="2099-01-01",
                                          result="tidak_sesuai")
    assert set(exc.value.errors) == {"note", "checked_on"}
    assert (case.certificate_checks.count(), case.transitions.count()) == (0, before)


def test_delivery_within_seven_working_days_and_the_overdue_list(deed_office, officials, travel):
    """PP 24/1997 Pasal 40 ayat (1): the deed goes to the Kantor Pertanahan at the latest on the 7th
    working day after signing (the office's calendar: weekends and holidays do not count)."""
    from loket.core.errors import InvalidInput, WrongState
    from loket.deeds import selectors

    case = build(deed_office, officials, "registered", sale(), travel=travel)  # signed Tuesday 10 March 2026
    due = selectors.delivery_due(case)
    assert due == dt.date(2026, 3, 19) or due > dt.date(2026, 3, 19)  # 7 weekdays on, later for a holiday
    travel.to(SIDANG + dt.timedelta(days=30))
    assert [(c.pk, d) for c, d in selectors.delivery_overdue(office=deed_office)] == [(case.pk, due)]
    with pytest.raises(InvalidInput) as exc:
        services.case_deliver(code=case.code, actor=officials["ppat"], delivered_on="2026-03-09", receipt="")
    assert set(exc.value.errors) == {"delivered_on", "receipt"}
    services.case_deliver(code=case.code, actor=officials["ppat"], delivered_on="2026-03-12", receipt="TT/77")
    assert selectors.delivery_overdue(office=deed_office) == []
    with pytest.raises(WrongState, match="sudah disampaikan"):
        services.case_deliver(code=case.code, actor=officials["ppat"], delivered_on="2026-03-12", receipt="TT/78")


def test_a_threshold_applies_from_its_date_with_its_source(deed_office, officials, travel):
    """Thresholds are office data with their source; a new Perda's NPOPTKP applies to cases received
    from its date on, the older one before it."""
    from loket.deeds.models import TaxRule
    from loket.deeds.taxes import taxes_needed

    case = build(deed_office, officials, "received", sale(value=90_000_000), travel=travel)  # 2 March 2026
    assert taxes_needed(case) == ["bphtb", "pph"]
    TaxRule.objects.create(office=deed_office, deed_kind="jual_beli", tax="bphtb", above=100_000_000,
                           valid_from=dt.date(2026, 4, 1), source="Perda (contoh) NPOPTKP Rp 100 juta")
    assert taxes_needed(case) == ["bphtb", "pph"]  # received before the new rule
    TaxRule.objects.filter(office=deed_office, deed_kind="jual_beli", tax="bphtb", valid_from=dt.date(2026, 4, 1)).update(
        valid_from=dt.date(2026, 3, 1))
    assert taxes_needed(case) == ["pph"]


def test_the_default_fee_rate_is_below_one_percent(other_office):
    """The standard: "dibawah 1 % dari nilai transaksi"; 1 % (PP 24/2016 Pasal 32 ayat (1)) only when
    the office sets it."""
    from decimal import Decimal

    assert services.setting_of(other_office).fee_rate == Decimal("0.9")


def test_the_demo_records_an_sk_for_the_demo_camat_once(deed_office, other_office, outsiders):
    assert services.ppat_appointment_demo_create(office=deed_office) == 0  # the Camat has one already
    assert services.ppat_appointment_demo_create(office=other_office) == 1
    assert services.ppat_appointment_demo_create(office=other_office) == 0
    assert policy.appointment_of(outsiders["camat"].staff, dt.date(2026, 3, 10)).decree_number == services.DEMO_DECREE
