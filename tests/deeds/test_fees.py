"""Uang jasa of the Camat as PPAT Sementara (loket/deeds/fees.py and the services that use it):
PP 24/2016 Pasal 32 ayat (1) — at most 1 % of the transaction price, the witnesses' fee included;
ayat (2) — nothing from a person who cannot afford it (tidak mampu). The office chooses its rate
(in percent, above 0, at most 1, at most three decimals); the fee of a rate is rounded down; an
edition may set a lower cap, never a higher one; the database refuses a fee above 1 % too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.catalog.models import ServiceType
from loket.deeds import fees, services
from loket.deeds.fees import FeeError, cap_of, fee_quote, rate_check
from loket.deeds.models import Case, Setting
from loket.core.errors import InvalidInput
from tests.deeds.conftest import checklist, sale


# one office for the module: deed_office, officials, other_office and outsiders come from it
pytestmark = pytest.mark.usefixtures("deed_world")


HUNDRED_MILLION = 100_000_000


# --- the cap at and around 1 % ------------------------------------------------------------------

def test_one_percent_of_a_hundred_million_is_the_most():
    assert cap_of(HUNDRED_MILLION) == 1_000_000
    q = fee_quote(value=HUNDRED_MILLION, rate=1, fee=1_000_000)
    assert (q.value, q.rate, q.cap, q.fee, q.free) == (HUNDRED_MILLION, Decimal("1"), 1_000_000, 1_000_000, False)
    assert fee_quote(value=HUNDRED_MILLION, rate=1).fee == 1_000_000  # the rate's own fee
    assert fee_quote(value=HUNDRED_MILLION, rate=1, fee=999_999).fee == 999_999  # less may be agreed
    with pytest.raises(FeeError) as exc:
        fee_quote(value=HUNDRED_MILLION, rate=1, fee=1_000_001)
    assert exc.value.field == "fee"
    assert "Rp 1.000.001" in str(exc.value) and "Rp 1.000.000" in str(exc.value) and "Pasal 32" in str(exc.value)


@pytest.mark.parametrize("value, cap", [
    (0, 0), (1, 0), (99, 0), (100, 1), (101, 1), (199, 1), (200, 2), (150_000_099, 1_500_000),
    (150_000_100, 1_500_001), (123_456_789, 1_234_567), (fees.MAX_VALUE, 10**13),
])
def test_the_cap_is_one_percent_rounded_down(value, cap):
    assert cap_of(value) == cap
    q = fee_quote(value=value, rate=1)
    assert q.cap == q.fee == cap  # the rate of 1 % asks exactly the cap, never a rupiah more
    with pytest.raises(FeeError):
        fee_quote(value=value, rate=1, fee=cap + 1)


def test_a_value_of_zero_has_a_cap_of_zero():
    q = fee_quote(value=0, rate="0,5")
    assert (q.cap, q.fee) == (0, 0)
    with pytest.raises(FeeError, match="melebihi batas"):
        fee_quote(value=0, rate=1, fee=1)


@pytest.mark.parametrize("rate, fee", [
    (1, 1_000_000), ("1", 1_000_000), ("1,0", 1_000_000), (Decimal("0.5"), 500_000), ("0,5", 500_000),
    (" 0.5 ", 500_000), (0.5, 500_000), ("0.001", 1_000), ("0,001", 1_000), ("0.125", 125_000), ("1e-3", 1_000),
])
def test_rates_within_the_law(rate, fee):
    q = fee_quote(value=HUNDRED_MILLION, rate=rate)
    assert q.fee == fee and q.cap == 1_000_000
    assert rate_check(rate) == q.rate


def test_the_fee_of_a_rate_is_rounded_down():
    # 0,125 % of Rp 1.001 is Rp 1,25125 → Rp 1; 0,999 % of Rp 199 is Rp 1,98801 → Rp 1
    assert fee_quote(value=1_001, rate="0.125").fee == 1
    assert fee_quote(value=199, rate="0.999").fee == 1
    assert fee_quote(value=99_999, rate="0.001").fee == 0


@pytest.mark.parametrize("rate, words", [
    (0, "lebih dari 0"), ("0", "lebih dari 0"), ("0,000", "lebih dari 0"), (-1, "lebih dari 0"),
    ("1.0001", None), ("1,001", "paling tinggi 1%"), (2, "paling tinggi 1%"), ("100", "paling tinggi 1%"),
    ("abc", "angka persen"), ("", "angka persen"), (None, "angka persen"), ("1 %", "angka persen"),
    ("0.0001", "tiga angka"), ("0,5555", "tiga angka"), ("NaN", None), ("Infinity", None), ("-Infinity", None),
    (True, "angka persen"),
])
def test_rates_outside_the_law_are_refused(rate, words):
    with pytest.raises(FeeError) as exc:
        rate_check(rate)
    assert exc.value.field == "fee_rate"
    if words:
        assert words in str(exc.value), str(exc.value)
    with pytest.raises(FeeError):
        fee_quote(value=HUNDRED_MILLION, rate=rate)


# --- the edition's cap and the law's --------------------------------------------------------------

def test_an_edition_cap_below_one_percent_lowers_the_cap():
    half = Decimal("0.5")
    assert cap_of(HUNDRED_MILLION, half) == 500_000
    assert rate_check("0.5", half) == half
    with pytest.raises(FeeError, match="paling tinggi 0,5%"):
        rate_check(1, half)
    q = fee_quote(value=HUNDRED_MILLION, rate="0.5", cap_percent=half)
    assert (q.cap, q.fee) == (500_000, 500_000)
    with pytest.raises(FeeError, match="melebihi batas"):
        fee_quote(value=HUNDRED_MILLION, rate="0.5", fee=500_001, cap_percent=half)


@pytest.mark.parametrize("edition_cap", [Decimal("1.5"), Decimal("2"), Decimal("10")])
def test_the_laws_cap_wins_over_an_edition_cap_above_one_percent(edition_cap):
    assert cap_of(HUNDRED_MILLION, edition_cap) == 1_000_000
    with pytest.raises(FeeError, match="paling tinggi 1%"):
        rate_check("1.5", edition_cap)
    with pytest.raises(FeeError):
        fee_quote(value=HUNDRED_MILLION, rate=1, fee=1_000_001, cap_percent=edition_cap)


# --- tidak mampu, the office's rate, the inputs --------------------------------------------------------

def test_a_person_who_cannot_afford_it_pays_nothing():
    q = fee_quote(value=HUNDRED_MILLION, rate=1, free=True)
    assert (q.fee, q.free, q.cap) == (0, True, 1_000_000)
    assert "tanpa memungut biaya" in q.notes[0]
    assert fee_quote(value=HUNDRED_MILLION, rate=1, fee=0, free=True).fee == 0
    for fee in (1, 1_000_000):
        with pytest.raises(FeeError, match="uang jasa harus 0") as exc:
            fee_quote(value=HUNDRED_MILLION, rate=1, fee=fee, free=True)
        assert exc.value.field == "fee"


def test_a_fee_above_the_offices_rate_is_refused_even_within_the_cap():
    assert fee_quote(value=HUNDRED_MILLION, rate="0.5", fee=500_000).fee == 500_000
    with pytest.raises(FeeError, match="tarif kantor 0,5%") as exc:
        fee_quote(value=HUNDRED_MILLION, rate="0.5", fee=500_001)
    assert exc.value.field == "fee"


@pytest.mark.parametrize("value", [True, False, -1, fees.MAX_VALUE + 1, 10**20, 1.0, 1.5, "100", None, Decimal("100")])
def test_a_bad_value_is_refused(value):
    with pytest.raises(FeeError) as exc:
        fee_quote(value=value, rate=1)
    assert exc.value.field == "value"


@pytest.mark.parametrize("fee", [True, False, -1, 1.0, "1000", Decimal("1000")])
def test_a_bad_fee_is_refused(fee):
    with pytest.raises(FeeError) as exc:
        fee_quote(value=HUNDRED_MILLION, rate=1, fee=fee)
    assert exc.value.field == "fee"


def test_the_quote_explains_itself():
    q = fee_quote(value=150_000_000, rate="0.5")
    assert q.notes == ["Uang jasa 0,5% dari harga transaksi, termasuk uang jasa saksi; paling banyak 1% "
                       "(PP 24/2016 Pasal 32 ayat (1)) = Rp 1.500.000."]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=st.integers(min_value=0, max_value=fees.MAX_VALUE), milli=st.integers(min_value=1, max_value=1000))
def test_property_the_fee_never_crosses_one_percent_nor_the_rate(value, milli):
    rate = Decimal(milli) / 1000  # (0, 1], at most three decimals
    q = fee_quote(value=value, rate=rate)
    assert 0 <= q.fee <= q.cap
    assert q.fee * 100 <= value  # ≤ value/100
    assert q.fee * 100 <= value * rate  # ≤ value × rate/100
    assert (q.fee + 1) * 100 > value * rate  # rounded down, never by more than a rupiah
    assert q.cap * 100 <= value < (q.cap + 1) * 100
    with pytest.raises(FeeError):
        fee_quote(value=value, rate=rate, fee=q.cap + 1)


# --- the services: the office's rate, the edition's cap, intake ------------------------------------------

def _ppat(office) -> ServiceType:
    return ServiceType.objects.get(edition__office=office, edition__status="active", code="ppat")


def test_the_standard_sets_a_one_percent_cap_and_the_office_starts_at_one_percent(deed_office):
    assert _ppat(deed_office).fee_percent_cap == Decimal("1")
    assert Setting.objects.get(office=deed_office).fee_rate == Decimal("1")
    q = services.fee_for(office=deed_office, value=150_000_000)
    assert (q.rate, q.cap, q.fee) == (Decimal("1"), 1_500_000, 1_500_000)
    assert services.fee_for(office=deed_office, value="Rp 150.000.000").fee == 1_500_000
    assert services.fee_for(office=deed_office, value=150_000_000, fee="1.000.000").fee == 1_000_000
    assert services.fee_for(office=deed_office, value=150_000_000, free=True).fee == 0


@pytest.mark.parametrize("who", ["camat", "admin"])
def test_the_camat_or_the_admin_sets_the_rate(deed_office, officials, who):
    s = services.fee_rate_set(office=deed_office, actor=officials[who], rate="0,75")
    assert s.fee_rate == Decimal("0.75") and Setting.objects.get(office=deed_office).fee_rate == Decimal("0.75")
    assert services.fee_for(office=deed_office, value=150_000_000).fee == 1_125_000


@pytest.mark.parametrize("who", ["front", "ppat", "kasi_pem", "kasi_other", "sekcam", "bendahara"])
def test_nobody_else_sets_the_rate(deed_office, officials, who):
    with pytest.raises(PermissionDenied):
        services.fee_rate_set(office=deed_office, actor=officials[who], rate="0.5")
    assert Setting.objects.get(office=deed_office).fee_rate == Decimal("1")


def test_a_camat_of_another_office_does_not_set_this_offices_rate(deed_office, outsiders):
    with pytest.raises(PermissionDenied):
        services.fee_rate_set(office=deed_office, actor=outsiders["camat"], rate="0.5")
    assert Setting.objects.get(office=deed_office).fee_rate == Decimal("1")


@pytest.mark.parametrize("rate", ["0", "1,5", "2", "abc", "-1", "0,0001"])
def test_a_rate_outside_the_law_is_not_set(deed_office, officials, rate):
    with pytest.raises(InvalidInput) as exc:
        services.fee_rate_set(office=deed_office, actor=officials["camat"], rate=rate)
    assert list(exc.value.errors) == ["fee_rate"]
    assert Setting.objects.get(office=deed_office).fee_rate == Decimal("1")


def test_an_edition_with_a_lower_cap_lowers_the_offices_ceiling(deed_office, officials):
    ServiceType.objects.filter(pk=_ppat(deed_office).pk).update(fee_percent_cap=Decimal("0.5"))
    with pytest.raises(InvalidInput) as exc:
        services.fee_rate_set(office=deed_office, actor=officials["camat"], rate="0.6")
    assert "paling tinggi 0,5%" in exc.value.errors["fee_rate"][0]
    services.fee_rate_set(office=deed_office, actor=officials["camat"], rate="0.5")
    q = services.fee_for(office=deed_office, value=HUNDRED_MILLION)
    assert (q.cap, q.fee) == (500_000, 500_000)
    with pytest.raises(InvalidInput) as exc:
        services.fee_for(office=deed_office, value=HUNDRED_MILLION, fee=500_001)
    assert list(exc.value.errors) == ["fee"]


def test_an_edition_cap_above_one_percent_does_not_raise_the_ceiling(deed_office, officials):
    ServiceType.objects.filter(pk=_ppat(deed_office).pk).update(fee_percent_cap=Decimal("2"))
    with pytest.raises(InvalidInput):
        services.fee_rate_set(office=deed_office, actor=officials["camat"], rate="1.5")
    q = services.fee_for(office=deed_office, value=HUNDRED_MILLION)
    assert (q.cap, q.fee) == (1_000_000, 1_000_000)
    with pytest.raises(InvalidInput):
        services.fee_for(office=deed_office, value=HUNDRED_MILLION, fee=1_000_001)


def test_an_edition_cap_of_zero_allows_no_fee(deed_office):
    ServiceType.objects.filter(pk=_ppat(deed_office).pk).update(fee_percent_cap=Decimal("0"))
    try:
        q = services.fee_for(office=deed_office, value=HUNDRED_MILLION)
    except InvalidInput:
        return  # refusing every rate is also within the law
    assert q.cap == 0 and q.fee == 0


@pytest.mark.parametrize("value", ["seratus juta", 1.5, True, -1, fees.MAX_VALUE + 1, "", None, [100]])
def test_fee_for_refuses_a_bad_value_with_its_field(deed_office, value):
    with pytest.raises(InvalidInput) as exc:
        services.fee_for(office=deed_office, value=value)
    assert list(exc.value.errors) == ["value"]


def test_intake_keeps_the_rate_and_the_fee(deed_office, officials):
    present, originals = checklist(deed_office)
    c = services.case_intake(office=deed_office, actor=officials["front"], data=sale(), present=present,
                             originals=originals)
    assert (c.value, c.fee_rate, c.fee, c.fee_free) == (150_000_000, Decimal("1"), 1_500_000, False)
    c2 = services.case_intake(office=deed_office, actor=officials["front"], data=sale(fee="750.000"),
                              present=present, originals=originals)
    assert c2.fee == 750_000
    c3 = services.case_intake(office=deed_office, actor=officials["front"], data=sale(fee_free=True),
                              present=present, originals=originals)
    assert (c3.fee, c3.fee_free) == (0, True)
    with pytest.raises(InvalidInput) as exc:
        services.case_intake(office=deed_office, actor=officials["front"], data=sale(fee=1_500_001))
    assert list(exc.value.errors) == ["fee"]
    with pytest.raises(InvalidInput) as exc:
        services.case_intake(office=deed_office, actor=officials["front"], data=sale(fee_free="1", fee=10))
    assert list(exc.value.errors) == ["fee"]
    assert Case.objects.count() == 3


# --- the database refuses what the services would --------------------------------------------------------

def _case(office, officials, **over) -> Case:
    present, originals = checklist(office)
    return services.case_intake(office=office, actor=officials["front"], data=sale(**over), present=present,
                                originals=originals)


def test_the_database_refuses_a_fee_above_one_percent(deed_office, officials):
    c = _case(deed_office, officials)
    Case.objects.filter(pk=c.pk).update(fee=1_500_000)  # exactly 1 %: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=c.pk).update(fee=1_500_001)
    c.refresh_from_db()
    assert c.fee == 1_500_000


@pytest.mark.parametrize("value, most", [(199, 1), (100, 1), (99, 0), (150_000_099, 1_500_000)])
def test_the_database_rounds_one_percent_down_too(deed_office, officials, value, most):
    c = _case(deed_office, officials, value=value)
    Case.objects.filter(pk=c.pk).update(fee=most)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=c.pk).update(fee=most + 1)
    with pytest.raises(IntegrityError), transaction.atomic():  # lowering the value under the fee
        Case.objects.filter(pk=c.pk).update(value=most * 100 - 1 if most else 0, fee=most or 1)


def test_the_database_refuses_a_fee_from_a_person_who_cannot_afford_it(deed_office, officials):
    c = _case(deed_office, officials, fee_free=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=c.pk).update(fee=1)


# --- one cap for every place that shows it (fees.cap_percent, fees.quote_of) ---------------------------

@pytest.mark.parametrize("edition_cap, percent", [(None, Decimal("1")), (Decimal("0.5"), Decimal("0.5")),
                                                  (Decimal("2"), Decimal("1")), (Decimal("0"), Decimal("0"))])
def test_the_cap_percent_is_the_editions_never_above_the_law(edition_cap, percent):
    assert fees.cap_percent(ServiceType(fee_percent_cap=edition_cap)) == percent


def test_the_screen_the_api_and_the_paper_show_the_editions_cap(client, deed_office, officials):
    """The case screen once showed 1 % of the value whatever the edition said."""
    ServiceType.objects.filter(pk=_ppat(deed_office).pk).update(fee_percent_cap=Decimal("0.5"))
    services.fee_rate_set(office=deed_office, actor=officials["camat"], rate="0.5")
    c = Case.objects.select_related("service").get(pk=_case(deed_office, officials).pk)
    assert fees.quote_of(c).cap == 750_000  # 0,5 % of Rp 150 juta
    client.force_login(officials["front"])
    r = client.get(f"/staf/akta/{c.code}/")
    assert r.status_code == 200 and r.context["cap"] == 750_000
    assert "tarif 0,5%, batas 0,5% = Rp 750.000" in r.content.decode()
    body = client.get(f"/api/v1/deeds/cases/{c.code}/").json()
    assert body["fee_detail"]["cap"] == 750_000
