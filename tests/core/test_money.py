"""Rupiah in the kit (loket/core/money.py): written with dots between thousands and in words, and
read strictly: a typed amount is a whole number of rupiah or it is refused with why."""

from __future__ import annotations

import pytest

from loket.core.money import AmountError, rupiah, rupiah_parse, terbilang, thousands


@pytest.mark.parametrize("n, text", [(0, "0"), (999, "999"), (1000, "1.000"), (1_350_000, "1.350.000"),
                                     (10**15, "1.000.000.000.000.000")])
def test_thousands_and_rupiah(n, text):
    assert thousands(n) == text
    assert rupiah(n) == f"Rp {text}"


@pytest.mark.parametrize("n, words", [
    (0, "nol rupiah"), (1000, "seribu rupiah"), (1_001_000, "satu juta seribu rupiah"),
    (1_350_000, "satu juta tiga ratus lima puluh ribu rupiah"), (2_000_000, "dua juta rupiah"),
])
def test_terbilang(n, words):
    assert terbilang(n) == words


def test_terbilang_refuses_a_negative_amount():
    with pytest.raises(ValueError):
        terbilang(-1)


@pytest.mark.parametrize("raw, value", [
    ("1350000", 1_350_000), ("1.350.000", 1_350_000), ("Rp 1.350.000", 1_350_000), ("rp1.350.000", 1_350_000),
    ("Rp. 1.350.000", 1_350_000), ("  1 350 000 ", 1_350_000), ("0", 0), ("1.000", 1000), (1_350_000, 1_350_000),
    ("9" * 16, 10**16 - 1),
])
def test_what_is_read(raw, value):
    assert rupiah_parse(raw) == value


@pytest.mark.parametrize("raw", [
    "1.5", "1,5", "1.350.000,00", "13.500.00", "1.35.000", "1..000", "1350000.", ".5", "-5", "+5", "satu juta",
    "", "   ", "Rp", "1e6", "1_000", "１２３", "١٢٣", "9" * 17, "1.350 000", None, 1.5, True, -1,
])
def test_what_is_refused(raw):
    with pytest.raises(AmountError) as exc:
        rupiah_parse(raw)
    assert "rupiah" in str(exc.value) or "negatif" in str(exc.value)


def test_the_message_says_what_was_typed():
    with pytest.raises(AmountError, match="«1.5» bukan bilangan bulat rupiah"):
        rupiah_parse("1.5")


def test_the_upper_bound():
    assert rupiah_parse("1.000.000", hi=1_000_000) == 1_000_000
    with pytest.raises(AmountError, match="paling banyak Rp 1.000.000"):
        rupiah_parse("1.000.001", hi=1_000_000)
