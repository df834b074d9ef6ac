"""The hall's price from the edition's tariff: every session, every combination of staff, with
and without the regional government's 50 %, and the amount in words of every total that can
occur."""

from __future__ import annotations

import itertools
from types import SimpleNamespace as T

import pytest

from loket.core.money import rupiah, terbilang
from loket.rentals.quote import QuoteError, quote_compute

# The tariff of the Kartoharjo standard 2018 (komponen 5 of service 18), as catalog rows.
TARIFFS = [
    T(code="siang", label="Siang", kind="session", quantity=1, unit="hari", unit_price=1_000_000),
    T(code="malam", label="Malam", kind="session", quantity=1, unit="hari", unit_price=1_500_000),
    T(code="sehari", label="Sehari", kind="session", quantity=1, unit="hari", unit_price=2_000_000),
    T(code="kebersihan", label="Petugas Kebersihan", kind="staff", quantity=4, unit="orang", unit_price=70_000),
    T(code="keamanan", label="Petugas Keamanan", kind="staff", quantity=1, unit="orang", unit_price=70_000),
    T(code="parkir", label="Petugas Parkir", kind="staff", quantity=1, unit="orang", unit_price=70_000),
]
HALL = {"siang": 1_000_000, "malam": 1_500_000, "sehari": 2_000_000}
STAFF = {"cleaning": 280_000, "security": 70_000, "parking": 70_000}
COMBOS = [dict(zip(STAFF, flags)) for flags in itertools.product([False, True], repeat=3)]


def q(session="sehari", days=1, government=False, **staff):
    flags = {k: staff.get(k, False) for k in STAFF}
    return quote_compute(tariffs=TARIFFS, government_percent=50, session=session, days=days, government=government,
                         edition_year=2018, **flags)


@pytest.mark.parametrize("session", list(HALL))
@pytest.mark.parametrize("government", [False, True])
@pytest.mark.parametrize("staff", COMBOS, ids=lambda c: "+".join(k for k, v in c.items() if v) or "no-staff")
def test_every_tariff_combination(session, government, staff):
    result = q(session, government=government, **staff)
    hall = HALL[session] // 2 if government else HALL[session]
    staff_total = sum(STAFF[k] for k, v in staff.items() if v)  # never discounted
    assert result.total == hall + staff_total
    assert result.lines[0].amount == hall and result.lines[0].code == session
    assert [line.code for line in result.lines[1:]] == [
        {"cleaning": "kebersihan", "security": "keamanan", "parking": "parkir"}[k] for k, v in staff.items() if v]
    assert sum(line.amount for line in result.lines) == result.total
    assert all(line.quantity * line.unit_price == line.amount for line in result.lines)
    assert result.total_words == terbilang(result.total)
    assert any("50 %" in n for n in result.notes)


def test_the_seed_example_sehari_for_an_opd_with_cleaning_and_parking():
    result = q("sehari", government=True, cleaning=True, parking=True)
    assert [(line.quantity, line.unit_price, line.amount) for line in result.lines] == [
        (1, 1_000_000, 1_000_000), (4, 70_000, 280_000), (1, 70_000, 70_000)]
    assert result.total == 1_350_000
    assert result.total_words == "satu juta tiga ratus lima puluh ribu rupiah"
    assert "tidak dikurangi" in " ".join(result.notes)


def test_several_days_pay_each_day_for_the_hall_and_the_staff():
    result = q("malam", days=3, cleaning=True)
    assert [(line.quantity, line.amount) for line in result.lines] == [(3, 4_500_000), (12, 840_000)]
    assert result.total == 5_340_000


@pytest.mark.parametrize("amount, words", [
    (0, "nol rupiah"), (70_000, "tujuh puluh ribu rupiah"), (500_000, "lima ratus ribu rupiah"),
    (1_000_000, "satu juta rupiah"), (1_000, "seribu rupiah"), (1_001_000, "satu juta seribu rupiah"),
    (2_420_000, "dua juta empat ratus dua puluh ribu rupiah"), (11_000, "sebelas ribu rupiah"),
    (100_000, "seratus ribu rupiah"), (1_100_000, "satu juta seratus ribu rupiah"),
])
def test_terbilang(amount, words):
    assert terbilang(amount) == words


def test_terbilang_of_every_total_a_one_day_booking_can_have():
    totals = {q(s, government=g, **c).total for s in HALL for g in (False, True) for c in COMBOS}
    assert len(totals) > 20
    for total in totals:
        words = terbilang(total)
        assert words.endswith(" rupiah") and "satu ribu" not in words and "satu ratus" not in words
    assert terbilang(2_420_000) == "dua juta empat ratus dua puluh ribu rupiah"


def test_rupiah_format():
    assert rupiah(2_000_000) == "Rp 2.000.000" and rupiah(70_000) == "Rp 70.000"


def test_a_missing_tariff_line_is_refused():
    with pytest.raises(QuoteError, match="pagi"):
        quote_compute(tariffs=TARIFFS, government_percent=50, session="pagi", days=1, government=False,
                      cleaning=False, security=False, parking=False, edition_year=2018)
    with pytest.raises(QuoteError, match="parkir"):
        quote_compute(tariffs=TARIFFS[:5], government_percent=50, session="siang", days=1, government=False,
                      cleaning=False, security=False, parking=True, edition_year=2018)
